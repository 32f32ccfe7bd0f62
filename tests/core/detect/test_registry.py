"""Registering a third-party ONNX model in a project, running a check with it, B.1.4 coverage."""

from __future__ import annotations

import json

import pytest
from third_party_model import build_tiny_model

from gaisafe_desktop.core.detect.classifier import classify_texts
from gaisafe_desktop.core.detect.manifest import ALL_RISK_CODES
from gaisafe_desktop.core.detect.model_registry import (
    coverage_report,
    find_model,
    list_models,
    load_model_info,
    record_run,
    register_model,
    verify_models,
)
from gaisafe_desktop.core.errors import IntegrityError, UsageError


def test_register_and_run_a_third_party_model(tmp_project, tmp_path):
    folder = build_tiny_model(tmp_path / "tiny")
    info = register_model(tmp_project, folder, note="brought by the provider")
    assert info.covered_codes == ["A.1.e", "A.1.h", "A.2.a"]
    # the project keeps the model bytes: it still runs after the provider's folder is gone
    for f in folder.iterdir():
        f.unlink()
    found = find_model("provider-tiny", tmp_project)
    model = load_model_info(found, tmp_project)
    results = classify_texts(model, ["how to build a bomb", "a calm sunny day", "I hate them"])
    assert results[0].codes == ["A.1.h"] and results[0].risky
    assert results[1].codes == [] and not results[1].risky
    assert results[2].codes == ["A.1.e", "A.2.a"]
    run_id = record_run(
        tmp_project,
        found,
        kind="classify",
        source_name="probe.jsonl",
        source_sha256="0" * 64,
        results=[(str(i), r.to_dict()) for i, r in enumerate(results)],
    )
    row = tmp_project.conn.execute("SELECT * FROM model_runs WHERE id = ?", (run_id,)).fetchone()
    assert row["records"] == 3 and row["flagged"] == 2
    assert json.loads(row["summary"]) == {"A.1.h": 1, "A.1.e": 1, "A.2.a": 1}
    n = tmp_project.conn.execute("SELECT count(*) FROM model_run_results WHERE run_id = ?", (run_id,)).fetchone()[0]
    assert n == 3
    actions = [r["action"] for r in tmp_project.conn.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert "models.register" in actions and "models.run" in actions


def test_same_version_twice_and_tampered_file(tmp_project, tmp_path):
    folder = build_tiny_model(tmp_path / "tiny")
    register_model(tmp_project, folder)
    with pytest.raises(UsageError, match="already registered"):
        register_model(tmp_project, folder)
    other = build_tiny_model(tmp_path / "tiny2", version="0.2")
    data = bytearray((other / "tiny.onnx").read_bytes())
    data[-10] ^= 0xFF
    (other / "tiny.onnx").write_bytes(bytes(data))
    with pytest.raises(IntegrityError):
        register_model(tmp_project, other)


def test_coverage_lists_every_model_and_code(tmp_project, tmp_path):
    register_model(tmp_project, build_tiny_model(tmp_path / "tiny"))
    rep = coverage_report(tmp_project)
    names = [m["name"] for m in rep["models"]]
    assert names == ["risk-classifier", "provider-tiny"]
    assert list(rep["per_code"]) == list(ALL_RISK_CODES)
    assert "provider-tiny 0.1" in rep["per_code"]["A.1.e"]
    bundled = rep["models"][0]
    assert set(bundled["covered_codes"]) | set(bundled["missing_codes"]) == set(ALL_RISK_CODES)
    assert rep["missing"] == [c for c in ALL_RISK_CODES if not rep["per_code"][c]]
    assert rep["complete"] == (not rep["missing"])
    assert "A.1.a" in rep["missing"]  # no model here covers subversion of state power


def test_list_and_verify_without_project():
    names = {(m.name, m.origin) for m in list_models()}
    assert {("risk-classifier", "bundled"), ("refusal-detector", "bundled")} <= names
    assert all(r["ok"] for r in verify_models())


def test_raw_text_model_with_its_own_tokeniser(tmp_project, tmp_path):
    """A provider's scikit-learn pipeline exported with skl2onnx (string input, own TF-IDF)."""
    skl2onnx = pytest.importorskip("skl2onnx")
    from skl2onnx.common.data_types import StringTensorType
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from gaisafe_desktop.core.hashing import sha256_file

    texts = ["you are an idiot", "what a stupid idiot", "have a nice day", "the weather is nice", "idiot!", "nice work"]
    pipe = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), LogisticRegression(C=10.0))
    pipe.fit(texts, [1, 1, 0, 0, 1, 0])
    onx = skl2onnx.to_onnx(
        pipe,
        initial_types=[("text", StringTensorType([None]))],
        options={id(pipe.steps[-1][1]): {"zipmap": False}, TfidfVectorizer: {"locale": "C.UTF-8"}},
        target_opset=17,
    )
    folder = tmp_path / "sk"
    folder.mkdir()
    (folder / "model.onnx").write_bytes(onx.SerializeToString())
    manifest = {
        "schema": "gaisafe-model-manifest/1",
        "name": "provider-insult",
        "version": "2024.1",
        "task": "risk-multilabel",
        "model_file": "model.onnx",
        "sha256": sha256_file(folder / "model.onnx"),
        "preprocessing": {"id": "raw-text"},
        "output": {"name": "probabilities", "activation": "softmax"},
        "labels": [{"name": "clean", "risk_codes": []}, {"name": "insult", "risk_codes": ["A.4.c"]}],
        "thresholds": {"clean": 1.0, "insult": 0.5},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    info = register_model(tmp_project, folder)
    assert info.covered_codes == ["A.4.c"]
    model = load_model_info(find_model("provider-insult", tmp_project), tmp_project)
    res = classify_texts(model, ["what an idiot", "nice day"])
    assert res[0].codes == ["A.4.c"] and res[1].codes == []


def test_register_the_bundled_model_by_name_and_record_a_run(tmp_project):
    info = register_model(tmp_project, "risk-classifier")
    assert info.origin == "bundled" and info.model_id is not None
    found = find_model("risk-classifier", tmp_project)
    assert found.origin == "bundled, registered"
    model = load_model_info(found, tmp_project)
    res = classify_texts(model, ["你好", "hello"])
    run = record_run(
        tmp_project,
        found,
        kind="classify",
        source_name="x",
        source_sha256="0" * 64,
        results=[("1", res[0].to_dict()), ("2", res[1].to_dict())],
    )
    assert run >= 1
    assert all(r["ok"] for r in verify_models(tmp_project))
