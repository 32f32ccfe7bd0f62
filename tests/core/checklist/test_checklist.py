"""The clause checklist on a real project: applicability, overrides, results, evidence, progress, export."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from gaisafe_desktop.core.checklist.checklist import (
    attach_evidence,
    checklist_rows,
    get_row,
    section_progress,
    set_clause,
)
from gaisafe_desktop.core.checklist.export import export_checklist
from gaisafe_desktop.core.errors import NotFoundError, UsageError
from gaisafe_desktop.core.store.audit import verify_project


def _not_applicable(project):
    return next(r for r in checklist_rows(project) if not r.applies)


def test_every_clause_with_computed_applicability(tmp_project):
    rows = checklist_rows(tmp_project)
    assert [r.clause_id for r in rows] == [c.id for c in tmp_project.framework.clauses]
    na = [r for r in rows if not r.applies]
    assert na, "the default profile leaves some clauses not applicable"
    assert all(r.reason and r.reason["zh"] and r.reason["en"] for r in na)
    assert all(r.result == "not_applicable" for r in na)
    assert all(r.result == "not_assessed" and r.is_open for r in rows if r.applies)
    row = get_row(tmp_project, "5.2.a")
    assert sorted(a["assessment"] for a in row.assessments) == ["training_manual", "training_technical"]


def test_set_result_and_override_with_logged_justification(tmp_project):
    row = set_clause(tmp_project, "5.2.a", result="partial", observations="sample of 4,000 not yet complete")
    assert (row.result, row.assessed_by, row.is_open) == ("partial", "Test Auditor", False)
    with pytest.raises(UsageError, match="override"):
        set_clause(tmp_project, "5.2.a", result="not_applicable")
    with pytest.raises(UsageError, match="justification"):
        set_clause(tmp_project, "5.2.a", applies="not_applicable")
    row = set_clause(tmp_project, "5.2.a", applies="not_applicable", justification="no training done by this provider")
    assert (row.applies, row.result, row.applies_computed) == (False, "partial", True)
    row = set_clause(tmp_project, "5.2.a", result="not_applicable")
    assert row.result == "not_applicable"
    na = _not_applicable(tmp_project)
    row = set_clause(
        tmp_project, na.clause_id, applies="applies", justification="service will open to minors", result="conform"
    )
    assert row.applies and row.result == "conform"
    logged = tmp_project.conn.execute(
        "SELECT payload FROM audit_log WHERE action = 'checklist.set' AND payload LIKE '%justification%'"
    ).fetchall()
    assert any("no training done by this provider" in r[0] for r in logged)
    assert any("service will open to minors" in r[0] for r in logged)
    with pytest.raises(NotFoundError):
        set_clause(tmp_project, "9.9.z", result="conform")
    with pytest.raises(UsageError, match="Unknown result"):
        set_clause(tmp_project, "5.2.a", result="great")
    assert verify_project(tmp_project.conn).ok


def test_evidence_progress_and_export(tmp_project, tmp_path):
    f = tmp_path / "policy.pdf"
    f.write_bytes(b"%PDF-1.4 annotation policy")
    ev = attach_evidence(tmp_project, "5.3.a.1", f, note="annotator training policy")
    attach_evidence(tmp_project, "5.3.b.1", f)
    row = get_row(tmp_project, "5.3.a.1")
    assert [e["sha256"] for e in row.evidence] == [ev.sha256]
    assert tmp_project.conn.execute("SELECT COUNT(*) FROM evidence").fetchone()[0] == 1
    before = {p["section"]: p for p in section_progress(tmp_project)}
    set_clause(tmp_project, "5.3.a.1", result="conform")
    after = {p["section"]: p for p in section_progress(tmp_project)}
    assert after["5"]["done"] == before["5"]["done"] + 1
    assert after["5"]["applicable"] == before["5"]["applicable"]
    out = export_checklist(tmp_project, tmp_path / "cl.csv", lang="zh")
    with out.open(encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    assert table[0][0] == "条款"
    assert len(table) == 1 + len(tmp_project.framework.clauses)
    r53 = next(r for r in table if r[0] == "5.3 a) 1)")
    assert r53[10] == "符合" and ev.sha256[:12] in r53[12]
    xlsx = export_checklist(tmp_project, tmp_path / "cl.xlsx", lang="en")
    ws = load_workbook(xlsx).active
    assert ws["A1"].value == "Clause" and ws.max_row == 1 + len(tmp_project.framework.clauses)
    with pytest.raises(UsageError, match="csv or xlsx"):
        export_checklist(tmp_project, tmp_path / "cl.pdf")
