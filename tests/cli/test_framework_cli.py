"""``gaisafe framework list|show|validate`` on the real shipped pack and on broken copies."""

from __future__ import annotations

import json
import shutil

from gaisafe_desktop.core.frameworks import framework_dir, load_framework


def test_show_risks_json_lists_exactly_31(cli):
    r = cli("framework", "show", "tc260-2024-draft", "--risks", "--json")
    assert r.code == 0, r.err
    data = r.json
    assert len(data["risks"]) == 31
    per_group = {}
    for risk in data["risks"]:
        per_group[risk["group"]] = per_group.get(risk["group"], 0) + 1
    assert per_group == {"A.1": 8, "A.2": 9, "A.3": 5, "A.4": 7, "A.5": 2}
    assert data["risks"][0] == {
        "code": "A.1.a",
        "group": "A.1",
        "group_name": data["risks"][0]["group_name"],
        "name": {"zh": "煽动颠覆国家政权、推翻社会主义制度", "en": data["risks"][0]["name"]["en"]},
    }
    assert data["pack_hash"] == load_framework("tc260-2024-draft").pack_hash
    assert "clauses" not in data  # only the parts asked for


def test_global_json_flag_works_too(cli):
    r = cli("--json", "framework", "show", "tc260-2024-draft", "--aspects", "--assessments", "--clauses")
    assert r.code == 0, r.err
    d = r.json
    assert [a["id"] for a in d["aspects"]][-1] == "health" and len(d["aspects"]) == 13
    assert {a["id"] for a in d["assessments"]} >= {"training_manual", "refusal_should_not_refuse"}
    assert next(a for a in d["assessments"] if a["id"] == "training_manual")["min_sample"] == 4000
    assert len(d["clauses"]) == d["counts"]["clauses"] == 86
    c734 = next(c for c in d["clauses"] if c["id"] == "7.b.3")
    assert c734["applies_if"] == {"field": "interfaces", "contains": "programmable"}


def test_show_human_in_chinese(cli):
    r = cli("--lang", "zh", "framework", "show", "tc260-2024-draft", "--risks", "--clauses")
    assert r.code == 0, r.err
    assert "煽动颠覆国家政权、推翻社会主义制度" in r.out
    assert "interfaces ∋ programmable" in r.out
    assert "适用条件" in r.out and "始终适用" in r.out  # table header and cells in Chinese
    assert "GB/T 45654-2025" in r.out


def test_list(cli):
    r = cli("--json", "framework", "list")
    assert r.code == 0, r.err
    ids = [p["id"] for p in r.json]
    assert "tc260-2024-draft" in ids
    human = cli("framework", "list")
    assert "tc260-2024-draft" in human.out and "GB/T 45654-2025" in human.out


def test_unknown_id_is_a_not_found_error(cli):
    r = cli("framework", "show", "no-such-pack")
    assert r.code == 3
    assert "no-such-pack" in r.err and "tc260-2024-draft" in r.err


def test_validate_installed_pack(cli):
    r = cli("framework", "validate", "tc260-2024-draft")
    assert r.code == 0, r.err
    assert "valid framework pack tc260-2024-draft" in r.out


def test_validate_broken_copy_lists_every_problem(cli, tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(framework_dir("tc260-2024-draft"), pack)
    clauses = json.loads((pack / "clauses.json").read_text(encoding="utf-8"))
    clauses["clauses"][12]["obligation"] = "must"
    clauses["clauses"][20]["applies_if"] = {"field": "serves_minors", "equals": True}
    clauses["clauses"][20]["not_applicable_reason"] = {"zh": "无", "en": "n/a"}
    text = json.dumps(clauses, ensure_ascii=False, indent=2)
    (pack / "clauses.json").write_text(text, encoding="utf-8")
    line = 1 + next(i for i, x in enumerate(text.splitlines()) if '"must"' in x)
    r = cli("framework", "validate", str(pack))
    assert r.code == 4
    assert f"clauses.json:{line}: clauses[12].obligation: 'must' is not one of ['shall', 'should']" in r.out
    assert "1 problem(s)" in r.err  # schema problems stop cross-reference checks
    clauses["clauses"][12]["obligation"] = "shall"
    (pack / "clauses.json").write_text(json.dumps(clauses, ensure_ascii=False), encoding="utf-8")
    r = cli("--json", "framework", "validate", str(pack))
    assert r.code == 4
    assert r.json["valid"] is False
    assert [(p["file"], p["path"]) for p in r.json["problems"]] == [("clauses.json", "clauses[20].applies_if.field")]
    assert r.json["problems"][0]["line"] == 1  # written on one line above
    assert "serves_minors" in r.json["problems"][0]["message"]
    shown = cli("framework", "show", str(pack))
    assert shown.code == 4 and "clauses[20].applies_if.field" in shown.err


def test_validate_in_a_real_process_in_chinese(gaisafe_subprocess, tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(framework_dir("tc260-2024-draft"), pack)
    risks = json.loads((pack / "risks.json").read_text(encoding="utf-8"))
    risks["sets"][2]["count"] = 18
    (pack / "risks.json").write_text(json.dumps(risks, ensure_ascii=False), encoding="utf-8")
    proc = gaisafe_subprocess("--lang", "zh", "framework", "validate", str(pack))
    assert proc.returncode == 4, proc.stderr
    assert "risks.json:1: sets[2].count: 写明 18 类，但集合实际有 17 类风险" in proc.stdout
    assert "1 个问题" in proc.stderr
