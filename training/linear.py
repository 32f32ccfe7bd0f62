"""Shared training helpers: sparse matrices from the app's featuriser, masked binary heads, thresholds."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from gaisafe_desktop.core.detect.features import FeatureConfig, featurize


def feature_matrix(texts: list[str], config: FeatureConfig, batch: int = 2048) -> sparse.csr_matrix:
    """CSR matrix of the app's features (the very function the runtime calls)."""
    parts = []
    for i in range(0, len(texts), batch):
        b = featurize(texts[i : i + batch], config)
        parts.append(sparse.csr_matrix((b.values, b.indices, b.indptr), shape=(b.n_rows, config.buckets)))
    return sparse.vstack(parts, format="csr") if parts else sparse.csr_matrix((0, config.buckets))


def fit_head(x: sparse.csr_matrix, y: np.ndarray, *, c: float, balanced: bool = True) -> tuple[np.ndarray, float]:
    """One logistic-regression head (liblinear: deterministic, single-threaded). Returns (coef, bias)."""
    clf = LogisticRegression(
        solver="liblinear", C=c, class_weight="balanced" if balanced else None, max_iter=200, random_state=0
    )
    clf.fit(x, y)
    return clf.coef_[0].astype(np.float64), float(clf.intercept_[0])


def best_threshold(scores: np.ndarray, y: np.ndarray, default: float = 0.5) -> tuple[float, float]:
    """Threshold maximising F1 on (scores, y); ``default`` when there is no positive example."""
    if y.sum() == 0:
        return default, float("nan")
    best_t, best_f = default, -1.0
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        pred = scores >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f > best_f + 1e-12:
            best_t, best_f = float(t), f
    return best_t, best_f


def prf(pred: np.ndarray, y: np.ndarray) -> dict:
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "support": int(y.sum()),
        "predicted": int(pred.sum()),
    }
