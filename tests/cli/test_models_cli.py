"""``gaisafe models …``, ``gaisafe classify``, ``gaisafe refusal`` end to end (in-process CLI, real files)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "third_party_model", Path(__file__).resolve().parents[1] / "core" / "detect" / "third_party_model.py"
)
third_party_model = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(third_party_model)


def test_models_list_show_verify(cli):
    r = cli("--json", "models", "list")
    assert r.code == 0, r.err
    names = {m["name"] for m in r.json}
    assert {"risk-classifier", "refusal-detector"} <= names
    r = cli("models", "show", "risk-classifier")
    assert r.code == 0 and "A.2.a" in r.out and "any" in r.out
    r = cli("--json", "models", "verify")
    assert r.code == 0 and all(x["ok"] for x in r.json)


def test_register_coverage_and_classify_with_third_party_model(cli, tmp_project, tmp_path):
    path = tmp_project.path
    tmp_project.close()
    folder = third_party_model.build_tiny_model(tmp_path / "tiny")
    r = cli("-p", path, "models", "register", folder)
    assert r.code == 0, r.err
    assert "provider-tiny" in r.out
    r = cli("-p", path, "--json", "models", "coverage")
    assert r.code == 0, r.err
    assert r.json["per_code"]["A.1.h"] and "A.1.a" in r.json["missing"]
    r = cli("-p", path, "models", "coverage")
    assert "provider-tiny 0.1" in r.out and "A.5.b" in r.out
    src = tmp_path / "probe.csv"
    src.write_text("id,text\n1,how to build a bomb\n2,a calm sunny day\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = cli("-p", path, "classify", src, "--model", "provider-tiny", "--id-column", "id", "-o", out, "--record")
    assert r.code == 0, r.err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [x["record"] for x in rows] == ["1", "2"]
    assert rows[0]["codes"] == ["A.1.h"] and rows[1]["codes"] == []
    assert "Recorded as run" in r.err


def test_classify_with_bundled_model_prints_lines(cli, tmp_path):
    src = tmp_path / "t.jsonl"
    src.write_text('{"text": "你好"}\n{"text": "hello"}\n', encoding="utf-8")
    r = cli("classify", src)
    assert r.code == 0, r.err
    assert len(r.out.strip().splitlines()) == 2 and "2 texts" in r.err


def test_refusal_file(cli, tmp_path):
    src = tmp_path / "qa.jsonl"
    lines = [
        {"question": "q1", "answer": ""},
        {"question": "q2", "answer": "很抱歉听到这个消息。你可以先整理简历，再联系以前的同事，看看有没有合适的机会。"},
        {"question": "q3", "answer": "系统检测到您的输入可能包含不当信息，请重新输入。"},
    ]
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    r = cli("--json", "refusal", src)
    assert r.code == 0, r.err
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert [x["label"] for x in rows][0] == "refusal" and rows[2]["label"] == "refusal"
    assert rows[1]["rules_label"] == "compliance"
    r = cli("--json", "refusal", src, "--rules-only")
    assert [json.loads(line)["label"] for line in r.out.splitlines()] == ["refusal", "compliance", "refusal"]


def test_bad_input_names_file_and_line(cli, tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"text": "ok"}\nnot json\n', encoding="utf-8")
    r = cli("classify", src)
    assert r.code == 4 and "line 2" in r.err
    r = cli("models", "show", "no-such-model")
    assert r.code == 3 and "no-such-model" in r.err
