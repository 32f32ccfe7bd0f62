"""Framework pack benchmark: loading and validating the shipped pack, and clause applicability.

    /work/venv/bin/python benchmarks/framework_bench.py [--repeat 20]

Measured in the same run:

* reference: reading the pack's JSON files and ``json.loads`` only (the floor of any loader);
* full load: read + hash + JSON Schema validation + cross-reference checks + build (cache cleared);
* cached load (what every later ``load_framework`` call costs: a stat of the pack files);
* applicability of every clause for random valid service profiles, per clause and per full checklist.

Prints milliseconds and ratios; results go to ``docs/PERFORMANCE.md`` under ``## Framework packs``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jsonschema  # noqa: E402,F401  - imported up front so the timings exclude the one-off import

from gaisafe_desktop.core.frameworks import framework_dir, load_framework, loader, validation  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--profiles", type=int, default=500)
    args = ap.parse_args()
    folder = framework_dir("tc260-2024-draft")
    files = sorted(folder.glob("*.json"))
    size = sum(p.stat().st_size for p in files)

    def reference():
        for p in files:
            json.loads(p.read_bytes())

    def full():
        loader._cache.clear()
        validation._validator.cache_clear()
        load_framework("tc260-2024-draft")

    def cached():
        load_framework("tc260-2024-draft")

    full()  # warm the OS file cache
    ref_min, ref_med = best_of(reference, args.repeat)
    full_min, full_med = best_of(full, args.repeat)
    cached_min, cached_med = best_of(cached, args.repeat * 10)
    print(f"pack: {len(files)} files, {size / 1024:.1f} KiB")
    print(f"reference json.loads only : {ref_min * 1e3:8.2f} ms (median {ref_med * 1e3:.2f})")
    print(
        f"full validated load       : {full_min * 1e3:8.2f} ms (median {full_med * 1e3:.2f})"
        f"  = {full_min / ref_min:.1f}x reference"
    )
    print(
        f"cached load               : {cached_min * 1e3:8.3f} ms (median {cached_med * 1e3:.3f})"
        f"  = {cached_min / ref_min:.2f}x reference"
    )

    fw = load_framework("tc260-2024-draft")
    rng = random.Random(7)
    profiles = []
    for _ in range(args.profiles):
        prof = {}
        for f in fw.profile_fields:
            if f.type == "bool":
                prof[f.id] = rng.random() < 0.5
            else:
                k = rng.randint(f.min_items, len(f.choices))
                prof[f.id] = rng.sample(list(f.choices), k)
        profiles.append(prof)
    t = time.perf_counter()
    n = 0
    for prof in profiles:
        for c in fw.clauses:
            fw.applicability(c, prof)
            n += 1
    per_clause = (time.perf_counter() - t) / n
    t = time.perf_counter()
    for prof in profiles:
        fw.applicable_clauses(prof)
    per_checklist = (time.perf_counter() - t) / len(profiles)
    print(f"applicability, one clause : {per_clause * 1e6:8.1f} µs ({n} calls; validates the profile each call)")
    print(
        f"applicable_clauses(profile): {per_checklist * 1e6:8.1f} µs for {len(fw.clauses)} clauses"
        f" = {per_clause * len(fw.clauses) / per_checklist:.1f}x faster than per-clause calls"
    )


if __name__ == "__main__":
    main()
