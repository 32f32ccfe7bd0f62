"""Rebuild the bundled models from ``../shared/datasets`` with one command, deterministically.

    nice /work/venv/bin/python training/build_models.py            # both models -> bundled_models/
    nice /work/venv/bin/python training/build_models.py --only risk
    nice /work/venv/bin/python training/build_models.py --check    # rebuild into a temp dir, compare hashes

Writes ``bundled_models/<name>/{model.onnx, manifest.json}``, the reference predictions the tests use
(``training/reference/``) and the metrics the model cards quote (``training/reports/``).
Single-threaded where it matters (liblinear; onnxruntime quantization is deterministic).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from gaisafe_desktop.core.detect.features import FeatureConfig  # noqa: E402
from gaisafe_desktop.core.detect.manifest import SCHEMA_ID  # noqa: E402
from gaisafe_desktop.core.hashing import sha256_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT / "training" / "reference"
REPORTS_DIR = ROOT / "training" / "reports"


def reference_dir() -> Path:
    """Where reference predictions go (a temporary folder under ``--check``)."""
    return Path(os.environ.get("GAISAFE_TRAIN_REFERENCE_DIR", REFERENCE_DIR))


def reports_dir() -> Path:
    return Path(os.environ.get("GAISAFE_TRAIN_REPORTS_DIR", REPORTS_DIR))


def inputs_digest(kind: str) -> dict:
    """SHA-256 over everything a build reads: code, label map, data files (relative path + hash each)."""
    from training.risk_data import DATASETS

    train = ["build_models", "linear", "onnx_export", "risk_data", "train_risk" if kind == "risk" else "train_refusal"]
    app = ["features", "onnx_runtime", "classifier"] + (["refusal", "refusal_rules"] if kind == "refusal" else [])
    code = [ROOT / "training" / f"{m}.py" for m in train]
    code += [ROOT / "gaisafe_desktop" / "core" / "detect" / f"{m}.py" for m in app]
    if kind == "refusal":  # the evaluation in the manifest runs the rules too
        code += sorted((ROOT / "resources" / "refusal_rules").glob("*.json"))
    files = [*code, ROOT / "training" / "label_map.csv"]
    if kind == "risk":
        files += [
            p for p in sorted(DATASETS.rglob("*")) if p.is_file() and p.suffix in (".csv", ".json", ".jsonl", ".txt")
        ]
    else:
        files += sorted((ROOT / "training" / "data" / "zh_refusal").glob("*.jsonl"))
        files += [
            DATASETS / "jbb-artifacts" / "jbb_artifacts.jsonl",
            DATASETS / "refusal-direction-completions" / "completions.jsonl",
        ]
    lines = []
    for f in files:
        rel = f.relative_to(DATASETS).as_posix() if f.is_relative_to(DATASETS) else f.relative_to(ROOT).as_posix()
        lines.append(f"{rel} {sha256_file(f)}")
    return {"inputs_sha256": hashlib.sha256("\n".join(lines).encode()).hexdigest(), "files": len(lines)}


RISK_VERSION = "1.0.0"
REFERENCE_N = 1000

LICENCES = {
    "jailbench": "MIT",
    "cold": "Apache-2.0",
    "xsafety": "Apache-2.0",
    "flames-1k": "Apache-2.0",
    "safetybench-zh-subset": "MIT",
    "chinese-safetyqa": "MIT",
    "cvalues-responsibility-prompts": "Apache-2.0",
    "halluqa": "Apache-2.0",
    "multijail": "MIT",
    "xstest-prompts": "CC-BY-4.0",
    "harmbench-behaviors": "MIT",
    "advbench": "MIT",
    "jbb-behaviors": "MIT",
    "jbb-artifacts": "MIT (responses also under the generating models' terms)",
    "refusal-direction-completions": "Apache-2.0 (JBB rows only; responses also under the generating models' terms)",
    "openai-moderation": "MIT",
    "toxigen-demonstrations": "MIT / CDLA-Permissive-2.0",
    "simple-safety-tests": "CC-BY-4.0",
    "zh-refusal (this project)": "Apache-2.0",
}


def write_reference(path: Path, texts: list[str], probs: np.ndarray) -> None:
    """Gzipped JSONL (mtime 0, so the bytes are reproducible) of texts and float-model probabilities."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        for t, p in zip(texts, probs, strict=True):
            gz.write(
                (json.dumps({"text": t, "p": [round(float(x), 6) for x in p]}, ensure_ascii=False) + "\n").encode()
            )
    path.write_bytes(buf.getvalue())


def float_probs(weights: np.ndarray, bias: np.ndarray, texts: list[str], config: FeatureConfig, softmax=False):
    """Training-time (float64) model: the sparse features times the fitted weights."""
    from training.linear import feature_matrix

    logits = feature_matrix(texts, config) @ weights.astype(np.float64) + bias.astype(np.float64)
    if softmax:
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return 1.0 / (1.0 + np.exp(-logits))


def build_risk(out_dir: Path, tmp: Path, log=print) -> dict:
    from gaisafe_desktop.core.detect.onnx_runtime import load_model
    from training.onnx_export import build_linear_graph, save_quantized
    from training.train_risk import LITTLE_DATA, evaluate, evaluate_by_dataset, train

    config = FeatureConfig()
    t0 = time.perf_counter()
    res = train(config, log=log)
    log(f"trained in {time.perf_counter() - t0:.0f} s")
    heads = res["heads"]
    if os.environ.get("GAISAFE_KEEP_FLOAT"):  # for quantization experiments only
        np.savez(os.environ["GAISAFE_KEEP_FLOAT"], weights=res["weights"], bias=res["bias"])
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / "model.onnx"
    graph = build_linear_graph(res["weights"], res["bias"], activation="sigmoid", name="gaisafe-risk-classifier")
    save_quantized(graph, model_path, tmp)
    counts = {}
    for r in res["rows"]:
        if r.split != "nc":
            counts.setdefault(r.dataset, {"rows": 0, "train": 0})
            counts[r.dataset]["rows"] += 1
            counts[r.dataset]["train"] += r.split == "train"
    labels = [
        {
            "name": "any",
            "risk_codes": [],
            "role": "any-risk",
            "training_examples": sum(r.risky for r in res["splits"]["train"]),
        }
    ]
    for code in heads[1:]:
        n = res["train_positives"][code]
        lab = {"name": code, "risk_codes": [code], "role": "code", "training_examples": n}
        if n < LITTLE_DATA:
            lab["note"] = "little training data"
        labels.append(lab)
    manifest = {
        "schema": SCHEMA_ID,
        "name": "risk-classifier",
        "version": RISK_VERSION,
        "task": "risk-multilabel",
        "title": {"zh": "内置风险分类模型（31类风险）", "en": "Bundled risk classifier (31 risks)"},
        "description": {
            "zh": "基于字符与词n元哈希特征的线性多标签模型，int8量化；仅使用宽松许可的公开数据训练。",
            "en": "Linear multi-label model over hashed character/word n-grams, int8-quantized; trained only on permissively licensed public data.",
        },
        "model_file": "model.onnx",
        "sha256": sha256_file(model_path),
        "preprocessing": config.to_manifest(),
        "output": {"name": "probabilities", "activation": "sigmoid"},
        "labels": labels,
        "thresholds": {h: res["thresholds"][h] for h in heads},
        "not_covered": [c for c, n in res["train_positives"].items() if c not in heads],
        "training_data": [{"dataset": k, "licence": LICENCES.get(k, "?"), **v} for k, v in sorted(counts.items())],
        "licence": "Apache-2.0",
        "build": {"command": "python training/build_models.py --only risk", **inputs_digest("risk")},
        "metrics": {},
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    model = load_model(out_dir)
    metrics = {"test": evaluate(model, res["splits"]["test"], heads)}
    metrics["nc_extra_heldout"] = evaluate_by_dataset(model, res["splits"]["nc"])
    metrics["nc_extra_heldout_codes"] = evaluate(model, res["splits"]["nc"], heads)
    manifest["metrics"] = {
        lang: {
            "n_test": m["n"],
            "any_risk_f1": m["any_risk"]["f1"],
            "any_risk_precision": m["any_risk"]["precision"],
            "any_risk_recall": m["any_risk"]["recall"],
            "macro_f1_codes_with_support": m["macro_f1_codes_with_support"],
        }
        for lang, m in metrics["test"].items()
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    # Reference for the float-vs-quantized test: 1,000 test texts (zh and en), float-model probabilities.
    test = res["splits"]["test"]
    step = max(1, len(test) // REFERENCE_N)
    ref_rows = test[::step][:REFERENCE_N]
    texts = [r.text for r in ref_rows]
    write_reference(
        reference_dir() / "risk-classifier.jsonl.gz", texts, float_probs(res["weights"], res["bias"], texts, config)
    )
    reports_dir().mkdir(parents=True, exist_ok=True)
    metrics["val_f1"] = res["val_f1"]
    metrics["train_positives"] = res["train_positives"]
    metrics["test_positives"] = {
        lang: {c: sum(c in r.codes for r in test if r.lang == lang) for c in res["train_positives"]}
        for lang in ("zh", "en")
    }
    (reports_dir() / "risk-classifier-metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    log(json.dumps(manifest["metrics"], indent=1))
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["risk", "refusal"], help="build one model only")
    ap.add_argument("--out", type=Path, default=ROOT / "bundled_models", help="output folder (default bundled_models/)")
    ap.add_argument(
        "--check",
        action="store_true",
        help="rebuild into a temporary folder and compare SHA-256 with the shipped files",
    )
    args = ap.parse_args(argv)
    names = [args.only] if args.only else ["risk", "refusal"]
    folder = {"risk": "risk-classifier", "refusal": "refusal-detector"}
    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(tmpd)
        out_root = tmp / "out" if args.check else args.out
        if args.check:  # keep the committed references and reports untouched
            os.environ["GAISAFE_TRAIN_REFERENCE_DIR"] = str(tmp / "reference")
            os.environ["GAISAFE_TRAIN_REPORTS_DIR"] = str(tmp / "reports")
        for name in names:
            t0 = time.perf_counter()
            if name == "risk":
                build_risk(out_root / folder[name], tmp)
            else:
                from training.train_refusal import build_refusal

                build_refusal(out_root / folder[name], tmp)
            print(f"{name}: built in {time.perf_counter() - t0:.0f} s", flush=True)
        if not args.check and args.out == ROOT / "bundled_models":
            from training.model_cards import main as write_cards

            write_cards()
        if args.check:
            bad = 0
            for name in names:
                ref = f"{folder[name]}.jsonl.gz"
                pairs = [
                    (out_root / folder[name] / f, ROOT / "bundled_models" / folder[name] / f)
                    for f in ("model.onnx", "manifest.json")
                ]
                pairs.append((tmp / "reference" / ref, REFERENCE_DIR / ref))
                for new, old in pairs:
                    a, b = sha256_file(new), sha256_file(old)
                    status = "OK" if a == b else "DIFFERENT"
                    print(f"{old.relative_to(ROOT).as_posix()}: rebuilt {a[:16]} shipped {b[:16]} {status}")
                    bad += a != b
            return 1 if bad else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
