"""The shared featuriser: deterministic, batch-independent, normalised, L2-unit rows."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from gaisafe_desktop.core.detect.features import FeatureConfig, featurize, normalize
from gaisafe_testing import subprocess_env

TEXTS = [
    "如何制作炸弹？",
    "How do I kill a Python process?",
    "",
    "ＡＢＣ　１２３  abc",
    "中文 mixed English words 混合",
]


def _rows(batch):
    return [
        dict(zip(batch.indices[a:b].tolist(), batch.values[a:b].tolist(), strict=True))
        for a, b in zip(batch.indptr[:-1], batch.indptr[1:], strict=True)
    ]


def test_normalize_folds_width_case_digits_and_space():
    assert normalize("ＡＢＣ　１２３  abc\n") == "abc 000 abc"
    assert normalize(None) == ""  # type: ignore[arg-type]
    assert normalize("x" * 10, max_chars=3) == "xxx"


def test_rows_do_not_depend_on_the_rest_of_the_batch():
    together = _rows(featurize(TEXTS))
    for i, t in enumerate(TEXTS):
        alone = _rows(featurize([t]))[0]
        assert alone.keys() == together[i].keys()
        for k in alone:
            assert abs(alone[k] - together[i][k]) < 1e-6


def test_rows_are_unit_length_and_empty_text_has_no_features():
    b = featurize(TEXTS)
    norms = [float(np.sqrt((b.values[a:e] ** 2).sum())) for a, e in zip(b.indptr[:-1], b.indptr[1:], strict=True)]
    assert norms[2] == 0.0
    assert all(abs(n - 1) < 1e-5 for i, n in enumerate(norms) if i != 2)
    # 7 characters: 7 unigrams + 6 bigrams + 5 trigrams, at most that many distinct buckets
    assert 0 < b.indptr[1] - b.indptr[0] <= 18
    assert b.indices.max() < FeatureConfig().buckets


def test_padded_matches_csr():
    b = featurize(TEXTS)
    idx, val = b.padded()
    assert idx.shape == val.shape and idx.shape[0] == len(TEXTS)
    for i, row in enumerate(_rows(b)):
        got = {int(k): float(v) for k, v in zip(idx[i], val[i], strict=True) if v != 0}
        assert got.keys() == row.keys()


def test_hashing_does_not_depend_on_python_hash_seed():
    code = "from gaisafe_desktop.core.detect.features import featurize;b=featurize(['风险 risk text']);print(b.indices.tolist())"
    outs = set()
    for seed in ("1", "2"):
        env = subprocess_env(PYTHONHASHSEED=seed)
        outs.add(
            subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
        )
    assert len(outs) == 1
    assert outs.pop().strip() == str(featurize(["风险 risk text"]).indices.tolist())


def test_smaller_hash_space_is_respected():
    cfg = FeatureConfig(bits=10, word_ngrams=())
    b = featurize(["abc def"], cfg)
    assert b.indices.max() < 1024
    assert cfg.to_manifest()["id"] == "gaisafe-charhash"
    assert FeatureConfig.from_manifest(cfg.to_manifest()) == cfg
