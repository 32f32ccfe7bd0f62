"""The audit log is append-only and hash-chained; the verifier names the first broken row."""

from __future__ import annotations

import sqlite3

import pytest

from gaisafe_desktop.core.store.audit import verify_project
from gaisafe_desktop.core.store.evidence import add_evidence
from gaisafe_desktop.core.store.people import add_person
from gaisafe_desktop.core.store.profile import set_profile


@pytest.fixture
def busy_project(tmp_project, tmp_path):
    add_person(tmp_project, "Li Lei", ["lead_auditor"])
    add_person(tmp_project, "Han Meimei", ["annotator", "reviewer"])
    set_profile(tmp_project, {"suitable_for_minors": True})
    f = tmp_path / "policy.txt"
    f.write_text("数据来源管理制度 v1", encoding="utf-8")
    add_evidence(tmp_project, f, note="source policy", links=[("clause", "5.1.a.1")])
    return tmp_project


def _raw(project) -> sqlite3.Connection:
    """A raw connection, as an attacker with the file would have."""
    conn = sqlite3.connect(project.path, isolation_level=None)
    return conn


def test_untouched_project_verifies(busy_project):
    report = verify_project(busy_project.conn)
    assert report.ok, report.to_dict()
    assert report.entries >= 6
    assert report.rows_checked >= 5


def test_triggers_reject_update_and_delete(busy_project):
    conn = _raw(busy_project)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = 'Mallory' WHERE seq = 2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE seq = 2")
    conn.close()


def test_altered_log_row_is_named(busy_project):
    conn = _raw(busy_project)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'Mallory' WHERE seq = 3")
    conn.close()
    report = verify_project(busy_project.conn)
    assert not report.ok
    assert report.first_broken.where == "audit_log seq 3"
    assert "altered" in report.first_broken.message()


def test_deleted_log_row_is_named(busy_project):
    conn = _raw(busy_project)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = 4")
    conn.close()
    report = verify_project(busy_project.conn)
    assert not report.ok
    assert report.first_broken.where == "audit_log seq 5"


def test_altered_audited_row_is_named(busy_project):
    conn = _raw(busy_project)
    conn.execute("UPDATE people SET roles = '[\"reviewer\"]' WHERE name = 'Li Lei'")
    conn.close()
    report = verify_project(busy_project.conn)
    assert not report.ok
    problem = report.first_broken
    assert problem.kind == "row"
    assert problem.where == "people id=1"
    assert "changed outside the app" in problem.message()


def test_inserted_and_deleted_rows_are_named(busy_project):
    conn = _raw(busy_project)
    conn.execute("INSERT INTO people(name, roles, created_at) VALUES ('Eve', '[]', 'now')")
    conn.execute("DELETE FROM people WHERE name = 'Han Meimei'")
    conn.close()
    problems = {p.where: p.kind for p in verify_project(busy_project.conn).problems}
    assert problems["people id=3"] == "unlogged"
    assert problems["people id=2"] == "row"


def test_altered_evidence_blob_is_named(busy_project):
    conn = _raw(busy_project)
    conn.execute("UPDATE evidence_chunks SET data = X'00' WHERE idx = 0")
    conn.close()
    report = verify_project(busy_project.conn)
    assert [p.kind for p in report.problems] == ["evidence"]


def test_changes_through_the_app_keep_the_chain_valid(busy_project):
    from gaisafe_desktop.core.store.people import set_roles

    set_roles(busy_project, "Li Lei", ["lead_auditor", "reviewer"])
    set_profile(busy_project, {"modalities": "text,image"})
    assert verify_project(busy_project.conn).ok
