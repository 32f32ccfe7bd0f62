"""Throughput and peak memory of the bundled classifiers on ~100-character texts (zh + en).

    nice /work/venv/bin/python benchmarks/classifier_bench.py [--n 20000] [--batch 256]

Texts: built from the 1,000 committed reference texts (held-out test split): alternately Chinese
and English, joined and cut to exactly 100 characters, ``--n`` in all. Reported in the same run:
- featurisation alone (numpy featuriser; the floor of any configuration),
- the risk classifier with one worker and one intra-op thread (reference), with one batch at a time
  on two intra-op threads, and with the default (one concurrent batch per core),
- the refusal detector with all cores, and the rules channel alone.
Peak RSS is read from the OS (ru_maxrss) after each stage.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import onnxruntime as ort  # noqa: E402

from gaisafe_desktop.core.detect.classifier import classify_texts  # noqa: E402
from gaisafe_desktop.core.detect.features import featurize  # noqa: E402
from gaisafe_desktop.core.detect.onnx_runtime import OnnxModel, load_model, session_options  # noqa: E402
from gaisafe_desktop.core.detect.refusal import judge_refusals  # noqa: E402
from gaisafe_desktop.core.detect.refusal_rules import judge_rules, load_rules  # noqa: E402
from gaisafe_desktop.core.resources import models_path  # noqa: E402


def texts_100(n: int) -> list[str]:
    """Half Chinese, half English texts of exactly 100 characters, built from the reference texts."""
    with gzip.open(ROOT / "training" / "reference" / "risk-classifier.jsonl.gz", "rt", encoding="utf-8") as fh:
        base = [json.loads(line)["text"] for line in fh]
    pools = {
        "zh": [t for t in base if sum("\u4e00" <= c <= "\u9fff" for c in t) > len(t) * 0.3],
        "en": [t for t in base if not any("\u4e00" <= c <= "\u9fff" for c in t)],
    }
    out: list[str] = []
    idx = {"zh": 0, "en": 0}
    while len(out) < n:
        lang = "zh" if len(out) % 2 == 0 else "en"
        buf = ""
        while len(buf) < 100:
            pool = pools[lang]
            buf += pool[idx[lang] % len(pool)] + " "
            idx[lang] += 1
        out.append(buf[:100])
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, n: int) -> float:
    t = time.perf_counter()
    fn()
    return n / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=256)
    args = ap.parse_args()
    texts = texts_100(args.n)
    cjk = sum(any("\u4e00" <= c <= "\u9fff" for c in t) for t in texts) / len(texts)
    print(
        f"{len(texts)} texts of {sum(map(len, texts)) / len(texts):.0f} chars; {cjk:.0%} contain Chinese; cores={os.cpu_count()}"
    )
    print(f"start: peak RSS {peak_mb():.0f} MB")
    b = args.batch
    feat = timed(lambda: [featurize(texts[i : i + b]) for i in range(0, len(texts), b)], len(texts))
    print(f"featurise only           {feat:9.0f} texts/s")
    m1 = load_model(models_path("risk-classifier"), threads=1)
    classify_texts(m1, texts[:512], batch_size=b)  # warm-up
    one = timed(lambda: classify_texts(m1, texts, batch_size=b), len(texts))
    print(
        f"risk classifier, 1 worker, 1 thread       {one:7.0f} texts/s  (reference; {one / feat:.2f}x featurise-only)"
    )
    intra = OnnxModel(
        manifest=m1.manifest,
        session=ort.InferenceSession(
            str(m1.manifest.model_path), sess_options=session_options(2), providers=["CPUExecutionProvider"]
        ),
        feature_config=m1.feature_config,
        workers=1,
    )
    classify_texts(intra, texts[:512], batch_size=b)
    alt = timed(lambda: classify_texts(intra, texts, batch_size=b), len(texts))
    print(f"risk classifier, 1 worker, 2 intra threads {alt:6.0f} texts/s  ({alt / one:.2f}x reference)")
    m2 = load_model(models_path("risk-classifier"))
    classify_texts(m2, texts[:512], batch_size=b)
    two = timed(lambda: classify_texts(m2, texts, batch_size=b), len(texts))
    print(
        f"risk classifier, {m2.workers} workers (default)     {two:7.0f} texts/s  ({two / one:.2f}x reference)  "
        f"peak RSS {peak_mb():.0f} MB"
    )
    rules = load_rules()
    r_only = timed(lambda: [judge_rules(t, rules) for t in texts], len(texts))
    print(f"refusal rules only       {r_only:9.0f} answers/s")
    ref = load_model(models_path("refusal-detector"))
    pairs = [("", t) for t in texts]
    judge_refusals(pairs[:512], model=ref, rules=rules)
    both = timed(lambda: judge_refusals(pairs, model=ref, rules=rules, batch_size=b), len(texts))
    print(
        f"refusal rules + model    {both:9.0f} answers/s   ({both / r_only:.2f}x rules only)  peak RSS {peak_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()
