"""A broken pack is refused with a message naming the file and the JSON path of the field."""

from __future__ import annotations

import json

import pytest

from gaisafe_desktop.core.errors import NotFoundError, ValidationError
from gaisafe_desktop.core.frameworks import load_framework, validate_pack
from gaisafe_desktop.core.i18n import set_language
from tests.core.frameworks.conftest import edit_json


def test_shipped_pack_is_valid():
    assert validate_pack("tc260-2024-draft") == []


def test_bad_obligation_names_file_path_and_allowed_values(pack_copy):
    edit_json(pack_copy / "clauses.json", lambda d: d["clauses"][12].update(obligation="must"))
    with pytest.raises(ValidationError) as exc:
        load_framework(pack_copy)
    assert str(exc.value) == "clauses.json: clauses[12].obligation: 'must' is not one of ['shall', 'should']"
    assert exc.value.exit_code == 4


def test_unknown_profile_field_in_applies_if_is_rejected(pack_copy):
    def change(d):
        d["clauses"][3]["applies_if"] = {"any": [{"field": "serves_minors", "equals": True}]}

    edit_json(pack_copy / "clauses.json", change)
    problems = validate_pack(pack_copy)
    assert [(p.file, p.path) for p in problems] == [("clauses.json", "clauses[3].applies_if.any[0].field")]
    assert "serves_minors" in str(problems[0]) and "suitable_for_minors" in str(problems[0])
    with pytest.raises(ValidationError, match=r"clauses\.json: clauses\[3\]\.applies_if\.any\[0\]\.field"):
        load_framework(pack_copy)


def test_condition_operators_are_checked_against_field_types(pack_copy):
    def change(d):
        d["clauses"][0]["applies_if"] = {"field": "interfaces", "contains": "telepathy"}
        d["clauses"][0]["not_applicable_reason"] = {"zh": "无", "en": "none"}
        d["clauses"][1]["applies_if"] = {"field": "suitable_for_minors", "contains": "yes"}
        d["clauses"][1]["not_applicable_reason"] = {"zh": "无", "en": "none"}
        d["clauses"][2]["applies_if"] = {"field": "modalities", "equals": True}
        d["clauses"][2]["not_applicable_reason"] = {"zh": "无", "en": "none"}
        d["clauses"][4]["applies_if"] = {"field": "modalities", "contains": "text", "nonempty": True}
        d["clauses"][4]["not_applicable_reason"] = {"zh": "无", "en": "none"}

    edit_json(pack_copy / "clauses.json", change)
    got = {p.path: str(p) for p in validate_pack(pack_copy)}
    assert "telepathy" in got["clauses[0].applies_if.contains"]
    assert "clauses[1].applies_if.contains" in got
    assert "contains" in got["clauses[2].applies_if.equals"]
    assert "clauses[4].applies_if" in got


def test_condition_without_reason_is_a_schema_error(pack_copy):
    edit_json(
        pack_copy / "clauses.json",
        lambda d: d["clauses"][0].update(applies_if={"field": "uses_foreign_data", "equals": True}),
    )
    with pytest.raises(ValidationError, match=r"clauses\[0\]\.not_applicable_reason: None is not of type 'object'"):
        load_framework(pack_copy)


def test_json_syntax_error_names_line_and_column(pack_copy):
    path = pack_copy / "risks.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4] + ","  # trailing comma before a closing bracket/brace or a double comma
    lines[4] = lines[4].replace(",,", ",") + " ,"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"^risks\.json: line 5, column \d+: "):
        load_framework(pack_copy)


def test_duplicate_json_key_is_refused(pack_copy):
    path = pack_copy / "aspects.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"ref":', '"aspects": [], "ref":', 1), encoding="utf-8")
    with pytest.raises(ValidationError, match="aspects.json: invalid JSON: duplicate key 'aspects'"):
        load_framework(pack_copy)


def test_missing_file_is_named(pack_copy):
    (pack_copy / "assessments.json").unlink()
    with pytest.raises(ValidationError, match=r"framework\.json: files\.assessments: lists `assessments\.json`"):
        load_framework(pack_copy)


def test_cross_reference_problems_are_all_listed(pack_copy):
    edit_json(pack_copy / "risks.json", lambda d: d["sets"][1].update(count=30))
    edit_json(pack_copy / "risks.json", lambda d: d["risks"][5].update(group="A.9"))
    edit_json(
        pack_copy / "assessments.json", lambda d: d["assessments"][5]["parameters"].update(illegal_risk_set="bad")
    )
    edit_json(pack_copy / "assessments.json", lambda d: d["assessments"][6]["clauses"].remove("B.2.1.a"))
    edit_json(pack_copy / "clauses.json", lambda d: d["clauses"][7].update(section="5.9"))
    paths = {(p.file, p.path) for p in validate_pack(pack_copy)}
    assert ("risks.json", "sets[1].count") in paths
    assert ("risks.json", "risks[5].group") in paths
    assert ("assessments.json", "assessments[5].parameters.illegal_risk_set") in paths
    assert ("assessments.json", "assessments[6].clauses") in paths  # clause B.2.1.a still names training_manual
    assert ("clauses.json", "clauses[7].section") in paths
    with pytest.raises(ValidationError, match=r"more problem\(s\)"):
        load_framework(pack_copy)


def test_duplicate_clause_id(pack_copy):
    edit_json(pack_copy / "clauses.json", lambda d: d["clauses"][1].update(id=d["clauses"][0]["id"]))
    assert any(p.path == "clauses[1].id" and "duplicate" in str(p) for p in validate_pack(pack_copy))


def test_unknown_parameter_reference_and_bad_rate(pack_copy):
    def change(d):
        d["assessments"][1]["parameters"]["min_per_risk"]["A.7"] = 5
        d["assessments"][6]["parameters"]["min_qualified_rate"] = 96

    edit_json(pack_copy / "assessments.json", change)
    problems = validate_pack(pack_copy)
    assert [p.path for p in problems] == ["assessments[6].parameters.min_qualified_rate"]  # schema first
    edit_json(
        pack_copy / "assessments.json", lambda d: d["assessments"][6]["parameters"].update(min_qualified_rate=0.96)
    )
    assert [p.path for p in validate_pack(pack_copy)] == ["assessments[1].parameters.min_per_risk.A.7"]


def test_newer_pack_format_is_refused(pack_copy):
    edit_json(pack_copy / "framework.json", lambda d: d.update(format=2))
    with pytest.raises(ValidationError, match="needs a newer GAISafe Desktop"):
        load_framework(pack_copy)


def test_id_must_match_folder_for_installed_packs(pack_copy, monkeypatch):
    from gaisafe_desktop.core.frameworks import loader

    root = pack_copy.parent
    (root / "other-pack").mkdir()
    for f in pack_copy.iterdir():
        (root / "other-pack" / f.name).write_bytes(f.read_bytes())
    monkeypatch.setattr(loader, "frameworks_root", lambda: root)
    assert load_framework("tc260-2024-draft").path == pack_copy
    with pytest.raises(ValidationError, match="framework.json: id: `tc260-2024-draft` differs from the folder name"):
        load_framework("other-pack")
    infos = {i.id: i for i in loader.list_frameworks()}
    assert infos["other-pack"].error and infos["tc260-2024-draft"].error is None


def test_not_a_pack_folder(tmp_path):
    with pytest.raises(NotFoundError, match="not a framework pack"):
        load_framework(tmp_path)


def test_cache_sees_edits(pack_copy):
    first = load_framework(pack_copy)
    assert load_framework(pack_copy) is first
    edit_json(pack_copy / "framework.json", lambda d: d.update(version="9.9"))
    assert load_framework(pack_copy).version == "9.9"


def test_error_message_follows_the_language(pack_copy):
    edit_json(pack_copy / "risks.json", lambda d: d["risks"][0].update(group="A.9"))
    with pytest.raises(ValidationError) as exc:
        load_framework(pack_copy)
    assert str(exc.value).startswith("risks.json: risks[0].group: unknown group `A.9` (and 3 more problem(s)")
    set_language("zh")
    assert "A.9" in str(exc.value) and "未知" in str(exc.value)


def test_pack_files_are_plain_utf8_json():
    from gaisafe_desktop.core.frameworks import framework_dir

    for path in framework_dir("tc260-2024-draft").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def test_schemas_are_valid_draft_2020_12():
    """The loader skips the metaschema check at start-up for speed; this test does it instead."""
    import jsonschema

    from gaisafe_desktop.core.resources import resource_path

    schemas = sorted(resource_path("frameworks", "_schema").glob("*.schema.json"))
    assert len(schemas) == 6
    for path in schemas:
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_problems_carry_the_line_of_the_field(pack_copy):
    edit_json(pack_copy / "clauses.json", lambda d: d["clauses"][40].update(obligation="may"))
    lines = (pack_copy / "clauses.json").read_text(encoding="utf-8").splitlines()
    (problem,) = validate_pack(pack_copy)
    assert problem.path == "clauses[40].obligation"
    assert lines[problem.line - 1].strip() == '"obligation": "may",'
