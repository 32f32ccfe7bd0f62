"""Judgements import: by record key and by field value, atomic, errors naming file/line/field, history."""

from __future__ import annotations

import json

import pytest

from gaisafe_desktop.core.assess.judgements import (
    effective_judgements,
    import_judgements,
    judgement_history,
    list_judgements,
    write_judgement,
)
from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source
from gaisafe_desktop.core.ingest.iterate import iter_records


def _w(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_project, tmp_path):
    save_source(tmp_project, "web", origin="domestic", source_type="open_source")
    train = _w(tmp_path / "t.jsonl", [{"id": f"t-{i}", "text": f"文本{i}"} for i in range(20)])
    import_dataset(tmp_project, ImportRequest(kind="training", paths=[train], name="web", source="web"))
    ans = _w(
        tmp_path / "a.jsonl",
        [{"bank_id": "generated", "question_id": f"q{i}", "question": f"问{i}", "answer": f"答{i}"} for i in range(5)],
    )
    import_dataset(tmp_project, ImportRequest(kind="transcripts", paths=[ans], name="answers", model="m"))
    return tmp_project


def _keys(project, name):
    from gaisafe_desktop.core.ingest.manifest import get_dataset

    return [r.key for r in iter_records(project, get_dataset(project, name)["id"])]


def test_import_by_key_by_id_and_by_bank_question(project, tmp_path):
    tkeys, akeys = _keys(project, "web"), _keys(project, "answers")
    f = _w(
        tmp_path / "j.jsonl",
        [
            {"record_key": tkeys[0], "qualified": "yes", "annotator": "A", "reviewer": "R", "time": "2026-11-01T10:00"},
            {"dataset": "web", "id": "t-3", "qualified": False, "risk_codes": ["A.1.d"], "annotator": "A"},
            {"id": "generated:q2", "qualified": "否", "risk_codes": "A.2.i|A.3.a", "annotator": "B"},
        ],
    )
    r = import_judgements(project, f)
    assert (r.lines, r.added) == (3, 3)
    eff = effective_judgements(project)
    assert eff[tkeys[0]]["qualified"] is True and eff[tkeys[0]]["judged_at"] == "2026-11-01T10:00"
    assert eff[tkeys[3]]["risk_codes"] == ["A.1.d"]
    assert eff[akeys[2]]["risk_codes"] == ["A.2.i", "A.3.a"] and eff[akeys[2]]["judge"] == "B"
    # the same file again changes nothing; a changed decision is recorded with its old value
    assert import_judgements(project, f).unchanged == 3
    _w(f, [{"dataset": "web", "id": "t-3", "qualified": True, "annotator": "A"}])
    assert import_judgements(project, f).changed == 1
    hist = judgement_history(project, tkeys[3])
    assert [json.loads(h["new_value"])["qualified"] for h in hist] == [False, True]
    assert json.loads(hist[1]["old_value"])["risk_codes"] == ["A.1.d"]


def test_higher_role_decides(project):
    key = _keys(project, "web")[5]
    with project.transaction("test") as tx:
        write_judgement(
            tx,
            project,
            record_key=key,
            dataset_id=1,
            role="annotator",
            judge="A",
            qualified=True,
            risk_codes=[],
            origin="workbench",
        )
        write_judgement(
            tx,
            project,
            record_key=key,
            dataset_id=1,
            role="adjudicator",
            judge="C",
            qualified=False,
            risk_codes=["A.4.a"],
            origin="workbench",
        )
        write_judgement(
            tx,
            project,
            record_key=key,
            dataset_id=1,
            role="reviewer",
            judge="R",
            qualified=True,
            risk_codes=[],
            origin="workbench",
        )
    assert effective_judgements(project, [key])[key]["judge"] == "C"
    assert len(list_judgements(project, record_key=key)) == 3


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"id": "t-1", "qualified": "maybe", "annotator": "A"}, "qualified"),
        ({"id": "t-1", "qualified": "no", "risk_codes": ["Z.9"], "annotator": "A"}, "risk_codes"),
        ({"id": "t-1", "qualified": "no"}, "annotator"),
        ({"qualified": "no", "annotator": "A"}, "record_key"),
        ({"record_key": "rk1:nothex", "qualified": "no", "annotator": "A"}, "record_key"),
        ({"id": "t-999", "qualified": "no", "annotator": "A"}, "id"),
    ],
)
def test_bad_line_names_file_line_field_and_writes_nothing(project, tmp_path, row, field):
    f = _w(tmp_path / "bad.jsonl", [{"id": "t-0", "qualified": "yes", "annotator": "A"}, row])
    with pytest.raises(ValidationError) as exc:
        import_judgements(project, f)
    msg = exc.value.message()
    assert "bad.jsonl, line 2" in msg and f"`{field}`" in msg
    assert list_judgements(project) == []


def test_csv_import(project, tmp_path):
    f = tmp_path / "j.csv"
    f.write_text("id,dataset,qualified,risk_codes,annotator,reviewer\nt-1,web,no,A.1.d;A.2.a,A,R\n", encoding="utf-8")
    assert import_judgements(project, f).added == 1
    (j,) = list_judgements(project)
    assert j["risk_codes"] == ["A.1.d", "A.2.a"] and j["reviewer"] == "R"
