"""Manifest validation: clear errors naming file and field."""

from __future__ import annotations

import json

import pytest

from gaisafe_desktop.core.detect.manifest import ALL_RISK_CODES, load_manifest
from gaisafe_desktop.core.errors import NotFoundError, ValidationError


def _manifest(**over):
    m = {
        "schema": "gaisafe-model-manifest/1",
        "name": "tiny",
        "version": "1",
        "task": "risk-multilabel",
        "model_file": "model.onnx",
        "sha256": "0" * 64,
        "preprocessing": {"id": "gaisafe-charhash", "version": 1, "bits": 10},
        "output": {"name": "probabilities", "activation": "sigmoid"},
        "labels": [{"name": "violence", "risk_codes": ["A.1.f"]}],
        "thresholds": {"violence": 0.5},
    }
    m.update(over)
    return m


def _write(tmp_path, data) -> object:
    (tmp_path / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_31_codes():
    assert len(ALL_RISK_CODES) == 31 and len(set(ALL_RISK_CODES)) == 31
    assert ALL_RISK_CODES[0] == "A.1.a" and ALL_RISK_CODES[-1] == "A.5.b"


def test_valid_manifest_loads(tmp_path):
    m = load_manifest(_write(tmp_path, _manifest()))
    assert m.name == "tiny" and m.covered_codes() == {"A.1.f": ["violence"]}
    assert m.threshold("violence") == 0.5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"labels": [{"name": "x", "risk_codes": ["A.9.z"]}]}, "labels/0/risk_codes/0"),
        ({"sha256": "abc"}, "sha256"),
        ({"task": "poetry"}, "task"),
        ({"model_file": "../evil.onnx"}, "model_file"),
    ],
)
def test_invalid_field_is_named(tmp_path, change, field):
    with pytest.raises(ValidationError) as exc:
        load_manifest(_write(tmp_path, _manifest(**change)))
    assert f"`{field}`" in str(exc.value) and "manifest.json" in str(exc.value)


def test_threshold_for_unknown_label(tmp_path):
    with pytest.raises(ValidationError, match="thresholds/nope"):
        load_manifest(_write(tmp_path, _manifest(thresholds={"nope": 0.3})))


def test_refusal_model_needs_three_labels(tmp_path):
    bad = _manifest(task="refusal", labels=[{"name": "refusal", "risk_codes": []}], thresholds={})
    with pytest.raises(ValidationError, match="refusal, partial, compliance"):
        load_manifest(_write(tmp_path, bad))


def test_broken_json_names_line(tmp_path):
    (tmp_path / "manifest.json").write_text('{\n "name": "x",\n oops\n}', encoding="utf-8")
    with pytest.raises(ValidationError, match="line 3"):
        load_manifest(tmp_path)


def test_missing_manifest(tmp_path):
    with pytest.raises(NotFoundError):
        load_manifest(tmp_path)
