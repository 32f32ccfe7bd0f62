"""Agreement between annotators who judged the same items: percent agreement and Cohen's kappa."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any


@dataclass(frozen=True)
class PairAgreement:
    a: str
    b: str
    n: int
    agree: int
    percent: float | None
    kappa: float | None  # None when undefined (no items, or both always gave the same single label)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def cohen_kappa(labels_a: Sequence[Any], labels_b: Sequence[Any]) -> float | None:
    """Cohen's kappa of two raters over the same items: (p_o - p_e) / (1 - p_e).

    ``p_o`` is the observed agreement and ``p_e`` the agreement expected by chance from each
    rater's label frequencies. ``None`` when ``p_e`` is 1 (kappa is undefined).
    """
    n = len(labels_a)
    if n == 0 or n != len(labels_b):
        return None
    cats = set(labels_a) | set(labels_b)
    po = sum(x == y for x, y in zip(labels_a, labels_b, strict=True)) / n
    pe = sum((list(labels_a).count(c) / n) * (list(labels_b).count(c) / n) for c in cats)
    if pe >= 1.0:
        return None
    return (po - pe) / (1 - pe)


def pair_agreement(labels: dict[str, dict[int, Any]]) -> list[PairAgreement]:
    """Agreement for every pair of annotators over the items both judged.

    Args:
        labels: annotator → {item → label}.
    """
    out = []
    for a, b in combinations(sorted(labels), 2):
        common = sorted(set(labels[a]) & set(labels[b]))
        if not common:
            continue
        la = [labels[a][i] for i in common]
        lb = [labels[b][i] for i in common]
        agree = sum(x == y for x, y in zip(la, lb, strict=True))
        out.append(PairAgreement(a, b, len(common), agree, agree / len(common), cohen_kappa(la, lb)))
    return out


def queue_agreement(project, queue, *, by: str = "qualified") -> list[PairAgreement]:
    """Agreement per annotator pair in a queue, on qualified/unqualified (``by='qualified'``) or on
    the exact decision including risk codes (``by='codes'``)."""
    labels: dict[str, dict[int, Any]] = {}
    for r in project.conn.execute(
        "SELECT position, person, qualified, risk_codes FROM review_state "
        "WHERE queue_id = ? AND role = 'annotator' AND state = 'judged'",
        (queue.id,),
    ):
        label = r["qualified"] if by == "qualified" else (r["qualified"], r["risk_codes"])
        labels.setdefault(r["person"], {})[r["position"]] = label
    return pair_agreement(labels)
