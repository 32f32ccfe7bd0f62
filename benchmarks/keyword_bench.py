"""Keyword engine benchmark: 20,000 Chinese keywords over >= 50 MB of mixed Chinese/ASCII text.

    nice /work/venv/bin/python benchmarks/keyword_bench.py [--mb 50] [--keywords 20000] [--repeat 3]

Measured in the same run, on the same text and keywords:

* the engine (reading, decoding, normalisation, scan, span map, rules) on 1 core and on 2 cores
  (the caller plus one worker: forked, spawned, or spawned and already started), interleaved
  ``--repeat`` times because this machine's speed drifts within minutes;
* the engine with a few Latin terms added to the library (letters join the scan code, and terms
  that need word-boundary checks send their records through the slower checked path);
* references without normalisation: raw ahocorasick-rs, raw pyahocorasick ``iter`` and one regex
  alternation (the last two on a prefix of the text: they are too slow for 50 MB).

The text is real Chinese sentences (COLD, Apache-2.0, and S-Eval prompts; benchmark only, never
shipped) mixed with ASCII words, ~70 % CJK bytes, written to a temporary file. Keywords: 19,800
random 2–5 character strings over the corpus' Chinese characters plus 200 real 3–4-grams from
it, so hits occur at a realistic low rate. Prints MB/s and ratios; results go to
``docs/PERFORMANCE.md`` under ``## Keyword engine``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ahocorasick  # noqa: E402
import ahocorasick_rs  # noqa: E402

from gaisafe_desktop.core.detect.keywords.library import Entry  # noqa: E402
from gaisafe_desktop.core.detect.keywords.matcher import KeywordMatcher  # noqa: E402
from gaisafe_desktop.core.detect.keywords.scanner import KeywordScanPool, run_keyword_scan  # noqa: E402

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
LATIN_RARE = "kill bomb drug gun hack exploit attack".split()
LATIN_COMMON = "data user error".split()
ASCII_WORDS = "the model data safety http www example com 2024 value json error user test id api v2 OK".split()


def chinese_sentences() -> list[str]:
    rows = [r["TEXT"] for r in csv.DictReader((DATASETS / "cold" / "train.csv").open(encoding="utf-8"))]
    with (DATASETS / "s-eval" / "S-Eval_base_risk_zh_full.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            rows.append(str(obj.get("prompt", "")))
    return [r for r in rows if r]


def make_corpus(path: Path, mb: float, rng: random.Random, sentences: list[str]) -> int:
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < mb * 1e6:
            parts = []
            for _ in range(rng.randint(1, 4)):
                parts.append(rng.choice(sentences))
                parts.append(" ".join(rng.choices(ASCII_WORDS, k=rng.randint(2, 12))))
            line = "，".join(parts) + "\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
    return size


def make_keywords(n: int, rng: random.Random, sentences: list[str]) -> list[str]:
    chars = sorted({c for s in sentences[:20000] for c in s if "\u4e00" <= c <= "\u9fff"})
    real: set[str] = set()
    while len(real) < n // 100:
        s = rng.choice(sentences)
        k = rng.randint(3, 4)
        if len(s) > k:
            i = rng.randrange(len(s) - k)
            gram = s[i : i + k]
            if all("\u4e00" <= c <= "\u9fff" for c in gram):
                real.add(gram)
    out = set(real)
    while len(out) < n:
        out.add("".join(rng.choices(chars, k=rng.randint(2, 5))))
    return sorted(out)


def mbps(nbytes: int, seconds: float) -> float:
    return nbytes / 1e6 / seconds


def automaton_choices(text: str, size: int, matcher: KeywordMatcher) -> None:
    """The scan code of the whole text, scanned by each automaton ahocorasick-rs offers."""
    from gaisafe_desktop.core.detect.keywords.normalize import BARRIER, normalize_codes, to_codes

    joined = text.replace("\n", BARRIER)
    pieces = [joined[i : i + (1 << 18)] for i in range(0, len(joined), 1 << 18)]
    codec = matcher._codec  # the engine's own scan code and patterns
    encoded = [codec.encode(to_codes(x))[0].tobytes() for x in pieces]
    utf8 = sum(len(normalize_codes(x, records=True).text.encode()) for x in pieces)
    print(
        f"scan code: {sum(map(len, encoded)) / size:.2f} bytes per original byte "
        f"(UTF-8 of the normal form: {utf8 / size:.2f})"
    )
    for name in ("ContiguousNFA", "DFA", "NoncontiguousNFA"):
        impl = getattr(ahocorasick_rs.Implementation, name)
        ac = ahocorasick_rs.BytesAhoCorasick(matcher._patterns, implementation=impl)
        t = time.process_time()
        n = sum(len(ac.find_matches_as_indexes(e, overlapping=True)) for e in encoded)
        print(
            f"  scan code, {name}: {mbps(size, time.process_time() - t):6.1f} MB of text per CPU-second ({n:,} matches)"
        )


def measure_engine(corpus: Path, size: int, matcher: KeywordMatcher, repeat: int) -> list[tuple]:
    """Per repetition, back to back: 1 core (wall, CPU), then 2 cores three ways.

    Two cores: worker forked (the default of ``gaisafe keywords scan`` on Linux), worker spawned
    (Windows, macOS, the desktop application), each timed from creating the pool to closing it;
    and a pool whose spawned worker has already started. The machine's speed drifts by tens of per
    cent within minutes, so the configurations are interleaved and each ratio is taken within one
    repetition.
    """
    runs = []
    for _ in range(repeat):
        cpu = time.process_time()
        r1 = run_keyword_scan([corpus], matcher, workers=1, keep_hits=False)
        cpu = time.process_time() - cpu
        rates = []
        for method in ("fork", "spawn"):
            t = time.perf_counter()
            with KeywordScanPool(matcher, 2, start_method=method) as pool:
                r = pool.scan([corpus], keep_hits=False)
            rates.append(mbps(size, time.perf_counter() - t))
            assert r.hit_count == r1.hit_count, (method, r.hit_count, r1.hit_count)
        with KeywordScanPool(matcher, 2, start_method="spawn") as pool:
            pool.wait_ready()
            r3 = pool.scan([corpus], keep_hits=False)
        assert r3.hit_count == r1.hit_count
        runs.append((r1.mb_per_s, mbps(size, cpu), *rates, r3.mb_per_s, r1.hit_count))
    return runs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--keywords", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3, help="interleaved repetitions of the engine runs")
    ap.add_argument("--prefix-mb", type=float, default=3.0, help="text for the pyahocorasick reference")
    args = ap.parse_args()
    rng = random.Random(20241130)
    sentences = chinese_sentences()
    tmp = Path(tempfile.mkdtemp(prefix="kwbench-"))
    corpus = tmp / "corpus.txt"
    size = make_corpus(corpus, args.mb, rng, sentences)
    keywords = make_keywords(args.keywords, rng, sentences)
    text = corpus.read_text(encoding="utf-8")
    print(f"corpus {size / 1e6:.1f} MB, {len(text):,} chars, {len(keywords):,} keywords")

    t = time.perf_counter()
    matcher = KeywordMatcher([Entry(k, ("A.1.h",)) for k in keywords])
    print(f"compile library: {time.perf_counter() - t:.2f} s")

    runs = measure_engine(corpus, size, matcher, args.repeat)

    def each(k: int) -> str:
        return ", ".join(f"{r[k]:.1f}" for r in runs)

    one = statistics.median(r[0] for r in runs)
    print(f"engine, 1 core : {one:6.1f} MB/s median of {args.repeat} (each: {each(0)})")
    print(f"engine, 1 core : {statistics.median(r[1] for r in runs):6.1f} MB per CPU-second (process time)")
    for k, label in ((2, "worker forked"), (3, "worker spawned"), (4, "spawned worker already started")):
        rate = statistics.median(r[k] for r in runs)
        ratio = statistics.median(r[k] / r[0] for r in runs)
        print(f"engine, 2 cores: {rate:6.1f} MB/s median, {label} (each: {each(k)}); {ratio:.2f}x one core")
    for label, extra in (
        ("+ 7 Latin terms that rarely occur (kill, bomb …)", LATIN_RARE),
        ("+ 3 Latin terms in most lines (data, user, error)", LATIN_COMMON),
    ):
        lat = KeywordMatcher([Entry(k, ("A.1.h",)) for k in keywords + extra])
        cpu = time.process_time()
        r = run_keyword_scan([corpus], lat, workers=1, keep_hits=False)
        print(
            f"engine, 1 core, library {label}: {mbps(size, time.process_time() - cpu):6.1f} MB per CPU-second "
            f"({r.hit_count:,} hits in {r.records_with_hits:,} lines)"
        )
    automaton_choices(text, size, matcher)
    e1 = statistics.median(r[1] for r in runs)  # CPU time, like the references
    hits = runs[0][5]

    lines = text.split("\n")
    ac = ahocorasick_rs.AhoCorasick(keywords)  # the library's default automaton
    t = time.process_time()
    n_rs = sum(len(ac.find_matches_as_indexes(ln, overlapping=True)) for ln in lines)
    t_rs = time.process_time() - t
    print(f"raw ahocorasick-rs, no normalisation: {mbps(size, t_rs):6.1f} MB/s ({n_rs:,} raw matches)")

    ac2 = ahocorasick_rs.AhoCorasick(keywords, implementation=ahocorasick_rs.Implementation.ContiguousNFA)
    t = time.process_time()
    n_rs2 = sum(len(ac2.find_matches_as_indexes(ln, overlapping=True)) for ln in lines)
    t_rs2 = time.process_time() - t
    assert n_rs2 == n_rs
    print(
        f"raw ahocorasick-rs contiguous NFA (the engine's automaton), no normalisation: {mbps(size, t_rs2):6.1f} MB/s"
    )

    prefix = text[: int(args.prefix_mb * 1e6 / 1.8)]
    pbytes = len(prefix.encode("utf-8"))
    automaton = ahocorasick.Automaton()
    for k in keywords:
        automaton.add_word(k, k)
    automaton.make_automaton()
    t = time.process_time()
    n_py = sum(1 for ln in prefix.split("\n") for _ in automaton.iter(ln))
    t_py = time.process_time() - t
    print(
        f"raw pyahocorasick iter, no normalisation: {mbps(pbytes, t_py):6.1f} MB/s on {pbytes / 1e6:.1f} MB ({n_py} matches)"
    )

    rx = re.compile("|".join(map(re.escape, sorted(keywords, key=len, reverse=True))))
    small = prefix[:60_000]
    sbytes = len(small.encode("utf-8"))
    t = time.process_time()
    n_rx = sum(1 for ln in small.split("\n") for _ in rx.finditer(ln))
    t_rx = time.process_time() - t
    print(
        f"regex alternation, no normalisation: {mbps(sbytes, t_rx):6.2f} MB/s on {sbytes / 1e3:.0f} KB ({n_rx} matches)"
    )

    print("references are MB per CPU-second (process time), compared with the engine's CPU-time median")
    print(f"engine hits: {hits:,}")
    print("ratios:")
    print(f"  engine 1 core / pyahocorasick = {e1 / mbps(pbytes, t_py):.1f}x")
    print(f"  engine 1 core / regex         = {e1 / mbps(sbytes, t_rx):.0f}x")
    print(f"  engine 1 core / raw ahocorasick-rs (default) = {e1 / mbps(size, t_rs):.2f}x")
    print(f"  engine 1 core / raw ahocorasick-rs (contiguous NFA) = {e1 / mbps(size, t_rs2):.2f}x")
    print(f"load average during the run: {os.getloadavg()}")
    corpus.unlink()
    tmp.rmdir()


if __name__ == "__main__":
    main()
