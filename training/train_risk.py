"""Train the bundled risk classifier (31 codes of Appendix A + any-risk) and write its ONNX model.

Run through ``training/build_models.py``. Steps: load the corpus via ``label_map.csv``, split by
group hash, featurise with the app's featuriser, fit one masked logistic-regression head per code
with data plus an any-risk head, choose thresholds on validation, export to ONNX, quantize to int8,
evaluate the *shipped* quantized model through the app's runtime on the test split (and on the NC
sets, separately), and write the manifest.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from gaisafe_desktop.core.detect.features import FeatureConfig
from gaisafe_desktop.core.detect.manifest import ALL_RISK_CODES
from training.linear import best_threshold, feature_matrix, fit_head, prf
from training.risk_data import build_corpus

MIN_TRAIN_POSITIVES = 5
LITTLE_DATA = 100  # codes with fewer training positives are flagged "little data"
C_ANY = 4.0
C_CODE = 4.0


def _masked(row, code: str) -> bool:
    return code not in row.codes and any(code.startswith(m) for m in row.masks)


def label_arrays(rows, code: str) -> tuple[np.ndarray, np.ndarray]:
    """(y, keep) of one head: ``keep`` drops rows whose label for ``code`` is unknown."""
    if code == "any":
        return np.array([r.risky for r in rows], dtype=np.int8), np.ones(len(rows), dtype=bool)
    y = np.array([code in r.codes for r in rows], dtype=np.int8)
    keep = np.array([not _masked(r, code) for r in rows], dtype=bool)
    return y, keep


def train(config: FeatureConfig, log=print) -> dict:
    rows = build_corpus(include_nc=True)
    by_split = {s: [r for r in rows if r.split == s] for s in ("train", "val", "test", "nc")}
    log("rows: " + ", ".join(f"{k}={len(v)}" for k, v in by_split.items()))
    tr, va = by_split["train"], by_split["val"]
    x_tr = feature_matrix([r.text for r in tr], config)
    x_va = feature_matrix([r.text for r in va], config)
    train_pos = Counter(c for r in tr for c in r.codes)
    heads = ["any"] + [c for c in ALL_RISK_CODES if train_pos[c] >= MIN_TRAIN_POSITIVES]
    weights = np.zeros((config.buckets, len(heads)), dtype=np.float32)
    bias = np.zeros(len(heads), dtype=np.float32)
    thresholds, val_f1 = {}, {}
    for j, head in enumerate(heads):
        y, keep = label_arrays(tr, head)
        coef, b = fit_head(x_tr[keep], y[keep], c=C_ANY if head == "any" else C_CODE)
        weights[:, j], bias[j] = coef, b
        yv, kv = label_arrays(va, head)
        sv = 1.0 / (1.0 + np.exp(-(x_va[kv] @ coef + b)))
        thresholds[head], val_f1[head] = best_threshold(sv, yv[kv])
        log(
            f"  {head:6s} train+={int(y[keep].sum()):5d} val+={int(yv[kv].sum()):4d} t={thresholds[head]:.2f} valF1={val_f1[head]:.3f}"
        )
    return {
        "rows": rows,
        "splits": by_split,
        "heads": heads,
        "weights": weights,
        "bias": bias,
        "thresholds": thresholds,
        "val_f1": val_f1,
        "train_positives": {c: int(train_pos[c]) for c in ALL_RISK_CODES},
    }


def evaluate(model, rows, heads: list[str]) -> dict:
    """Per-code P/R/F1 with support, macro F1 and binary any-risk F1, per language, of the app's model."""
    from gaisafe_desktop.core.detect.classifier import classify_texts

    out = {}
    for lang in ("zh", "en"):
        sub = [r for r in rows if r.lang == lang]
        if not sub:
            continue
        results = classify_texts(model, [r.text for r in sub])
        per_code = {}
        for code in heads[1:]:
            y, keep = label_arrays(sub, code)
            pred = np.array([code in res.codes for res in results], dtype=bool)
            per_code[code] = prf(pred[keep], y[keep])
        scored = [m for m in per_code.values() if m["support"] > 0]
        macro = round(float(np.mean([m["f1"] for m in scored])), 4) if scored else None
        y_any = np.array([r.risky for r in sub], dtype=np.int8)
        pred_any = np.array([res.risky for res in results], dtype=bool)
        out[lang] = {
            "n": len(sub),
            "any_risk": prf(pred_any, y_any),
            "macro_f1_codes_with_support": macro,
            "per_code": per_code,
        }
    return out


def evaluate_by_dataset(model, rows) -> dict:
    """Any-risk recall (or specificity for clean rows) per dataset: used for the NC sets."""
    from gaisafe_desktop.core.detect.classifier import classify_texts

    out = {}
    for ds in sorted({r.dataset for r in rows}):
        sub = [r for r in rows if r.dataset == ds]
        results = classify_texts(model, [r.text for r in sub])
        by_label = {}
        for lab in sorted({r.source_label for r in sub}):
            idx = [i for i, r in enumerate(sub) if r.source_label == lab]
            flagged = sum(results[i].risky for i in idx)
            codes = Counter(c for i in idx for c in results[i].codes).most_common(3)
            by_label[lab] = {
                "n": len(idx),
                "flagged_risky": flagged,
                "rate": round(flagged / len(idx), 4),
                "top_codes": codes,
            }
        out[ds] = by_label
    return out


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
