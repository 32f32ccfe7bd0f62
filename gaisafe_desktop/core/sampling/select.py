"""The selection rule, as a pure function of (seed, record key).

Each record gets the score SHA-256(seed ‖ 0x1F ‖ key); a sample of size k is the k records with the
smallest scores (per stratum when stratified). One streaming pass with a bounded heap draws it, so a
regulator re-draws the identical sample from the same files, and nobody can choose which records it
contains once the seed is fixed — and the seed is logged before the draw.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

SEP = b"\x1f"


def score(seed: str, key: str) -> bytes:
    """The record's draw score: SHA-256 over the seed, a unit separator and the key (UTF-8)."""
    return hashlib.sha256(seed.encode("utf-8") + SEP + key.encode("utf-8")).digest()


@dataclass(frozen=True)
class Picked:
    key: str
    dataset_id: int
    stratum: str
    score: bytes


def sample_size(rule: dict, population: int) -> int:
    """Size of the sample a rule asks for. A fraction rule gives exactly ⌈fraction × N⌉."""
    if rule["kind"] == "count":
        return min(int(rule["n"]), population)
    frac = Fraction(str(rule["fraction"]))
    return min(population, math.ceil(frac * population))


def allocate(rule: dict, sizes: dict[str, int]) -> dict[str, int]:
    """Per-stratum sample sizes.

    A fraction rule takes ⌈fraction × N_s⌉ from every stratum (so the total is at least
    ⌈fraction × N⌉). A count rule is split in proportion to stratum sizes by largest remainder.
    """
    total = sum(sizes.values())
    if rule["kind"] == "fraction":
        return {s: sample_size(rule, n) for s, n in sizes.items()}
    want = min(int(rule["n"]), total)
    if total == 0:
        return {s: 0 for s in sizes}
    exact = {s: Fraction(want * n, total) for s, n in sizes.items()}
    out = {s: int(math.floor(v)) for s, v in exact.items()}
    left = want - sum(out.values())
    for s in sorted(sizes, key=lambda s: (-(exact[s] - out[s]), s))[:left]:
        out[s] += 1
    return out


def select_smallest(seed: str, items: Iterable[tuple[str, int, str]], quotas: dict[str, int]) -> list[Picked]:
    """Stream ``(key, dataset_id, stratum)`` items and keep, per stratum, the ``quota`` smallest scores.

    Returns the sample ordered by stratum name, then by score. Memory is O(sample size).
    """
    heaps: dict[str, list[tuple[int, str, int]]] = {s: [] for s in quotas}
    for key, dataset_id, stratum in items:
        k = quotas.get(stratum, 0)
        if k <= 0:
            continue
        s = int.from_bytes(score(seed, key), "big")
        heap = heaps[stratum]
        # max-heap on score via negation: keep the k smallest scores
        if len(heap) < k:
            heapq.heappush(heap, (-s, key, dataset_id))
        elif -heap[0][0] > s:
            heapq.heapreplace(heap, (-s, key, dataset_id))
    out: list[Picked] = []
    for stratum in sorted(heaps):
        for neg, key, dataset_id in sorted(heaps[stratum], key=lambda t: -t[0]):
            out.append(Picked(key, dataset_id, stratum, (-neg).to_bytes(32, "big")))
    return out
