"""Train the bundled refusal detector (refusal / partial / compliance) and evaluate it against baselines.

Data:
- Chinese: ``training/data/zh_refusal/*.jsonl`` (written for this project, human-chosen labels);
- English: ``jbb-artifacts`` responses (``jailbroken`` from JailbreakBench's LLM judge: False ->
  refusal, True -> compliance) and ``refusal-direction-completions`` JBB rows where the two machine
  labels agree (LlamaGuard-2 harmless + refusal phrase -> refusal; harmful + no refusal phrase ->
  compliance). **Machine labels**; the Alpaca-prompt rows (NC) are not used. No English partial data.

Split by group (Chinese: the question; English: the JBB behaviour) with the same hash rule as the
risk classifier. The evaluation runs, in one pass over the test split, the phrase-list baseline,
the rules channel, the model channel and the combined verdict.
"""

from __future__ import annotations

import glob
import json
from collections import Counter
from pathlib import Path

import numpy as np

from gaisafe_desktop.core.detect.features import FeatureConfig
from gaisafe_desktop.core.detect.manifest import REFUSAL_LABELS, SCHEMA_ID
from gaisafe_desktop.core.hashing import sha256_file
from training.linear import feature_matrix, prf
from training.risk_data import DATASETS, split_of

HERE = Path(__file__).resolve().parent
ZH_DIR = HERE / "data" / "zh_refusal"
REFUSAL_VERSION = "1.0.0"
C = 4.0


def load_refusal_rows() -> list[dict]:
    rows = []
    for path in sorted(glob.glob(str(ZH_DIR / "*.jsonl"))):
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}, line {n}: invalid JSON ({exc})") from None
                if r.get("label") not in REFUSAL_LABELS:
                    raise SystemExit(f"{path}, line {n}: label {r.get('label')!r} not in {REFUSAL_LABELS}")
                rows.append(
                    {
                        "question": r.get("question", ""),
                        "answer": r.get("answer") or "",
                        "label": r["label"],
                        "lang": "zh",
                        "source": "zh_refusal",
                        "hard_case": r.get("hard_case") or "none",
                        "question_type": r.get("question_type", ""),
                        "group": "zhq:" + (r.get("question") or r.get("id", "")),
                    }
                )
    with open(DATASETS / "jbb-artifacts" / "jbb_artifacts.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("response") and r.get("prompt"):
                rows.append(
                    {
                        "question": r["prompt"],
                        "answer": r["response"],
                        "label": "compliance" if r["jailbroken"] else "refusal",
                        "lang": "en",
                        "source": "jbb-artifacts",
                        "hard_case": "machine-label",
                        "question_type": "should_refuse",
                        "group": f"jbb:{r['goal']}",
                    }
                )
    with open(DATASETS / "refusal-direction-completions" / "completions.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if not r["condition"].startswith("jailbreakbench"):
                continue
            lg, sub = r["is_jailbreak_llamaguard2"], r["is_jailbreak_substring_matching"]
            if lg == 0 and sub == 0:
                label = "refusal"
            elif lg == 1 and sub == 1:
                label = "compliance"
            else:
                continue
            rows.append(
                {
                    "question": r["prompt"],
                    "answer": r["response"],
                    "label": label,
                    "lang": "en",
                    "source": "refusal-direction-completions",
                    "hard_case": "machine-label",
                    "question_type": "should_refuse",
                    "group": f"jbb:{r['prompt']}",
                }
            )
    for r in rows:
        r["split"] = split_of(r["group"])
    return rows


def _scores(rows, pred_key: str) -> dict:
    y = np.array([r["label"] for r in rows])
    p = np.array([r[pred_key] for r in rows])
    out = {"n": len(rows), "accuracy_3class": round(float((y == p).mean()), 4) if len(rows) else None}
    out["refusal_binary"] = prf(p == "refusal", (y == "refusal").astype(np.int8))
    out["refusal_or_partial_binary"] = prf(p != "compliance", (y != "compliance").astype(np.int8))
    if pred_key != "baseline":
        f1s = [prf(p == lab, (y == lab).astype(np.int8))["f1"] for lab in REFUSAL_LABELS if (y == lab).any()]
        out["macro_f1_3class"] = round(float(np.mean(f1s)), 4) if f1s else None
    out["confusion"] = {f"{a}->{b}": int(((y == a) & (p == b)).sum()) for a in REFUSAL_LABELS for b in REFUSAL_LABELS}
    return out


def evaluate_refusal(model, rows: list[dict]) -> dict:
    """Baseline, rules, model and combined verdicts on ``rows``, per language and per hard case."""
    from gaisafe_desktop.core.detect.refusal import judge_refusals
    from gaisafe_desktop.core.detect.refusal_rules import baseline_is_refusal

    verdicts = judge_refusals([(r["question"], r["answer"]) for r in rows], model=model)
    for r, v in zip(rows, verdicts, strict=True):
        r["baseline"] = "refusal" if baseline_is_refusal(r["answer"]) else "compliance"
        r["rules"], r["model"], r["combined"], r["disagreement"] = v.rules_label, v.model_label, v.label, v.disagreement
    out = {}
    for lang in ("zh", "en"):
        sub = [r for r in rows if r["lang"] == lang]
        if not sub:
            continue
        res = {k: _scores(sub, k) for k in ("baseline", "rules", "model", "combined")}
        dis = [r for r in sub if r["disagreement"]]
        res["disagreement"] = {
            "flagged": len(dis),
            "rate": round(len(dis) / len(sub), 4),
            "combined_accuracy_on_flagged": round(float(np.mean([r["combined"] == r["label"] for r in dis])), 4)
            if dis
            else None,
            "combined_accuracy_on_unflagged": round(
                float(np.mean([r["combined"] == r["label"] for r in sub if not r["disagreement"]])), 4
            ),
        }
        if lang == "zh":
            hard = {}
            for case in sorted({r["hard_case"] for r in sub}):
                cs = [r for r in sub if r["hard_case"] == case]
                hard[case] = {
                    "n": len(cs),
                    **{
                        k: round(float(np.mean([r[k] == r["label"] for r in cs])), 3)
                        for k in ("baseline", "rules", "model", "combined")
                    },
                }
            res["by_hard_case_accuracy"] = hard
            # B.2.3 is judged on refusal *rates* per bank: compare each method's rate with the labelled one.
            rates = {}
            for qt in sorted({r["question_type"] for r in sub}):
                qs = [r for r in sub if r["question_type"] == qt]
                rates[qt] = {"n": len(qs), "labelled": round(float(np.mean([r["label"] == "refusal" for r in qs])), 4)}
                for k in ("baseline", "rules", "model", "combined"):
                    rates[qt][k] = round(float(np.mean([r[k] == "refusal" for r in qs])), 4)
            res["refusal_rate_by_question_type"] = rates
        out[lang] = res
    return out


def build_refusal(out_dir: Path, tmp: Path, log=print) -> dict:
    from sklearn.linear_model import LogisticRegression

    from gaisafe_desktop.core.detect.onnx_runtime import load_model
    from training.build_models import float_probs, inputs_digest, reference_dir, reports_dir, write_reference
    from training.linear import best_threshold  # noqa: F401  (thresholds are argmax for softmax)
    from training.onnx_export import build_linear_graph, save_quantized

    config = FeatureConfig()
    rows = load_refusal_rows()
    split = {s: [r for r in rows if r["split"] == s] for s in ("train", "val", "test")}
    log(
        "refusal rows: "
        + ", ".join(f"{k}={len(v)}" for k, v in split.items())
        + f"; by source {dict(Counter(r['source'] for r in rows))}"
    )
    train = split["train"] + split["val"]  # no threshold to tune (argmax); validation is folded into training
    x = feature_matrix([r["answer"] for r in train], config)
    y = np.array([REFUSAL_LABELS.index(r["label"]) for r in train])
    # Chinese rows are fewer than English ones but the main target: weight languages equally.
    lang_w = {lang: len(train) / (2 * max(1, sum(r["lang"] == lang for r in train))) for lang in ("zh", "en")}
    sw = np.array([lang_w[r["lang"]] for r in train])
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced", solver="lbfgs")
    clf.fit(x, y, sample_weight=sw)
    weights = np.zeros((config.buckets, len(REFUSAL_LABELS)), dtype=np.float32)
    bias = np.zeros(len(REFUSAL_LABELS), dtype=np.float32)
    for k, cls in enumerate(clf.classes_):
        weights[:, cls] = clf.coef_[k]
        bias[cls] = clf.intercept_[k]
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / "model.onnx"
    save_quantized(
        build_linear_graph(weights, bias, activation="softmax", name="gaisafe-refusal-detector"), model_path, tmp
    )
    manifest = {
        "schema": SCHEMA_ID,
        "name": "refusal-detector",
        "version": REFUSAL_VERSION,
        "task": "refusal",
        "title": {"zh": "内置拒答检测模型", "en": "Bundled refusal detector"},
        "description": {
            "zh": "判断回答为拒答/部分拒答/正常回答的线性模型（回答文本的字符与词n元哈希特征），与短语规则通道配合使用。",
            "en": "Linear model judging an answer as refusal / partial / compliance (hashed character/word n-grams of the answer); used with the phrase-rules channel.",
        },
        "model_file": "model.onnx",
        "sha256": sha256_file(model_path),
        "preprocessing": config.to_manifest(),
        "output": {"name": "probabilities", "activation": "softmax"},
        "labels": [
            {"name": lab, "risk_codes": [], "role": "class", "training_examples": int((y == i).sum())}
            for i, lab in enumerate(REFUSAL_LABELS)
        ],
        "training_data": [
            {
                "dataset": "zh_refusal (this project, training/data/zh_refusal)",
                "licence": "Apache-2.0",
                "rows": sum(r["source"] == "zh_refusal" for r in rows),
            },
            {
                "dataset": "jbb-artifacts",
                "licence": "MIT (responses also under the generating models' terms)",
                "rows": sum(r["source"] == "jbb-artifacts" for r in rows),
                "labels": "machine (JailbreakBench judge)",
            },
            {
                "dataset": "refusal-direction-completions (JBB rows only)",
                "licence": "Apache-2.0",
                "rows": sum(r["source"] == "refusal-direction-completions" for r in rows),
                "labels": "machine (LlamaGuard-2 + substring), rows where both agree",
            },
        ],
        "licence": "Apache-2.0",
        "build": {"command": "python training/build_models.py --only refusal", **inputs_digest("refusal")},
        "metrics": {},
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    model = load_model(out_dir)
    metrics = {"test": evaluate_refusal(model, split["test"])}
    manifest["metrics"] = {
        lang: {
            "n_test": m["combined"]["n"],
            "accuracy_3class": m["combined"]["accuracy_3class"],
            "macro_f1_3class": m["combined"]["macro_f1_3class"],
            "refusal_f1": m["combined"]["refusal_binary"]["f1"],
            "baseline_refusal_f1": m["baseline"]["refusal_binary"]["f1"],
        }
        for lang, m in metrics["test"].items()
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    test = split["test"]
    texts = [r["answer"] for r in test][:1000]
    write_reference(
        reference_dir() / "refusal-detector.jsonl.gz", texts, float_probs(weights, bias, texts, config, softmax=True)
    )
    reports_dir().mkdir(parents=True, exist_ok=True)
    (reports_dir() / "refusal-detector-metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    log(json.dumps(manifest["metrics"], indent=1))
    return manifest
