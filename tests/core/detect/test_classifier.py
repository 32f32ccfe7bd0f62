"""The shipped risk classifier: hash-verified loading, agreement with the training-time float model,
thresholds from the manifest, progress and cancel."""

from __future__ import annotations

import gzip
import json
import shutil

import numpy as np
import pytest

from gaisafe_desktop.core.detect.classifier import classify_file, classify_texts, load_bundled_risk_model
from gaisafe_desktop.core.detect.manifest import ALL_RISK_CODES
from gaisafe_desktop.core.detect.onnx_runtime import load_model
from gaisafe_desktop.core.errors import CancelledError, IntegrityError, ValidationError
from gaisafe_desktop.core.jobs import CancelToken
from gaisafe_desktop.core.resources import models_path
from gaisafe_testing import ROOT

REFERENCE = ROOT / "training" / "reference" / "risk-classifier.jsonl.gz"


@pytest.fixture(scope="module")
def model():
    return load_bundled_risk_model()


@pytest.fixture(scope="module")
def reference():
    with gzip.open(REFERENCE, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [r["text"] for r in rows], np.array([r["p"] for r in rows])


def test_quantized_model_agrees_with_float_model_on_1000_texts(model, reference):
    texts, float_p = reference
    assert len(texts) == 1000
    assert any("\u4e00" <= ch <= "\u9fff" for ch in texts[0] + texts[-1]) or any(
        any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts
    )
    q = model.predict(texts)
    assert q.shape == float_p.shape
    thr = np.array([model.manifest.threshold(lab) for lab in model.labels])
    label_agreement = float(((q >= thr) == (float_p >= thr)).mean())
    max_diff = float(np.abs(q - float_p).max())
    assert max_diff < 0.05, max_diff
    assert label_agreement >= 0.995, label_agreement


def test_manifest_thresholds_and_coverage_are_honest(model):
    m = model.manifest
    assert m.task == "risk-multilabel" and m.labels[0].role == "any-risk"
    covered = set(m.covered_codes())
    not_covered = set(m.data["not_covered"])
    assert covered | not_covered == set(ALL_RISK_CODES) and not covered & not_covered
    assert {"A.1.a", "A.1.b", "A.1.c", "A.4.d"} <= not_covered  # no open data for these
    for lab in m.labels:
        assert 0 < m.threshold(lab.name) < 1
        assert lab.training_examples is not None
    assert m.data["metrics"]["zh"]["n_test"] > 1000 and m.data["metrics"]["en"]["n_test"] > 500


def test_classify_applies_manifest_thresholds(model, reference):
    texts = reference[0][:200]
    results = classify_texts(model, texts)
    scores = model.predict(texts)
    labels = model.manifest.labels
    for res, row in zip(results, scores, strict=True):
        expect = sorted(
            {
                c
                for j, lab in enumerate(labels)
                if lab.role == "code" and row[j] >= model.manifest.threshold(lab.name)
                for c in lab.risk_codes
            }
        )
        assert res.codes == expect
        assert res.risky == (row[0] >= model.manifest.threshold("any") or bool(expect))
    assert any(r.risky for r in results) and not all(r.risky for r in results)


def test_batching_and_order_do_not_change_scores(model, reference):
    texts = reference[0][:300]
    a = model.predict(texts, batch_size=7)
    b = model.predict(texts[::-1], batch_size=300)[::-1]
    assert np.abs(a - b).max() < 1e-5


def test_progress_and_cancel(model, reference):
    seen = []
    model.predict(reference[0][:100], batch_size=30, progress=lambda d, t, m="": seen.append((d, t)))
    assert seen[-1] == (100, 100) and len(seen) == 4
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        model.predict(reference[0][:100], cancel=token)


def test_changed_model_file_is_refused(tmp_path):
    folder = tmp_path / "risk-classifier"
    shutil.copytree(models_path("risk-classifier"), folder)
    data = bytearray((folder / "model.onnx").read_bytes())
    data[len(data) // 2] ^= 0x01
    (folder / "model.onnx").write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match="SHA-256"):
        load_model(folder)


def test_classify_file_streams_jsonl_and_names_bad_lines(model, tmp_path):
    good = tmp_path / "in.jsonl"
    good.write_text(
        "\n".join(json.dumps({"id": i, "content": t}, ensure_ascii=False) for i, t in enumerate(["你好", "hello"])),
        encoding="utf-8",
    )
    out = list(classify_file(model, good, id_column="id", chunk=1))
    assert [k for k, _ in out] == ["0", "1"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": broken}\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="line 2"):
        list(classify_file(model, bad))
    csvf = tmp_path / "in.csv"
    csvf.write_text("id,body\n1,hello\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="column `text` missing"):
        list(classify_file(model, csvf, column="text"))
