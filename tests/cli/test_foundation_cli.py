"""The foundation's CLI tour: create, profile, people, evidence, verify, tamper, newer schema."""

from __future__ import annotations

import sqlite3

import pytest


@pytest.fixture
def project_file(tmp_path, cli):
    path = tmp_path / "acme.gaisafe"
    r = cli(
        "project",
        "new",
        path,
        "--provider",
        "Acme AI",
        "--service",
        "Acme Chat",
        "--model-name",
        "acme-7b",
        "--model-version",
        "2.1",
    )
    assert r.code == 0, r.err
    assert "Created" in r.out
    return path


def test_tour_create_profile_people_evidence_verify(project_file, tmp_path, cli):
    p = ["--project", project_file]
    r = cli(
        *p, "project", "profile", "--set", "suitable_for_minors=yes", "--set", "interfaces=interactive,programmable"
    )
    assert r.code == 0, r.err
    assert "7.a.4" in r.out  # not applicable for a service suitable for minors, with its reason
    r = cli(*p, "--json", "project", "profile")
    data = r.json
    assert data["profile"]["suitable_for_minors"] is True
    assert "7.a.3.a" not in {x["clause"] for x in data["not_applicable"]}

    assert cli(*p, "people", "add", "Li Lei", "--role", "lead_auditor", "--organisation", "CAICT").code == 0
    assert cli(*p, "people", "add", "Wang Fang", "--role", "annotator", "--role", "reviewer").code == 0
    people = cli(*p, "--json", "people", "list").json
    assert [x["name"] for x in people] == ["Li Lei", "Wang Fang"]

    doc = tmp_path / "licence.txt"
    doc.write_text("CC-BY-4.0 licence of source X", encoding="utf-8")
    r = cli(*p, "--actor", "Li Lei", "--json", "evidence", "add", doc, "--clause", "5.1.c.1", "--note", "licence")
    assert r.code == 0, r.err
    sha = r.json[0]["sha256"]
    listed = cli(*p, "--json", "evidence", "list", "--clause", "5.1.c.1").json
    assert [e["sha256"] for e in listed] == [sha]
    out = tmp_path / "exported.txt"
    assert cli(*p, "evidence", "export", sha[:8], out).code == 0
    assert out.read_text(encoding="utf-8") == "CC-BY-4.0 licence of source X"

    r = cli(*p, "audit", "verify")
    assert r.code == 0, r.out + r.err
    assert "intact" in r.out
    log = cli(*p, "--json", "audit", "log", "--action", "evidence").json
    assert log[-1]["actor"] == "Li Lei"


def test_verify_names_a_row_altered_with_raw_sql(project_file, cli):
    p = ["--project", project_file]
    cli(*p, "people", "add", "Li Lei", "--role", "lead_auditor")
    conn = sqlite3.connect(project_file)
    conn.execute("UPDATE people SET roles = '[\"observer\"]' WHERE name = 'Li Lei'")
    conn.commit()
    conn.close()
    r = cli(*p, "audit", "verify")
    assert r.code == 5
    assert "people id=1" in r.out
    assert "people id=1" in r.err


def test_verify_names_an_altered_log_entry(project_file, cli):
    p = ["--project", project_file]
    cli(*p, "people", "add", "Li Lei", "--role", "lead_auditor")
    conn = sqlite3.connect(project_file)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET payload = '{}' WHERE seq = 2")
    conn.commit()
    conn.close()
    r = cli(*p, "--json", "audit", "verify")
    assert r.code == 5
    assert r.json["problems"][0]["where"] == "audit_log seq 2"


def test_newer_schema_refused_with_clear_message(project_file, cli):
    conn = sqlite3.connect(project_file)
    conn.execute("INSERT INTO schema_migrations VALUES ('9999_future.sql', 9999, 'x', 'now')")
    conn.commit()
    conn.close()
    before = project_file.read_bytes()
    r = cli("--project", project_file, "project", "info")
    assert r.code == 6
    assert "newer version of GAISafe Desktop" in r.err
    assert r.err.count("\n") == 1  # one line
    assert project_file.read_bytes() == before


def test_errors_are_one_line_with_nonzero_exit(tmp_path, cli):
    r = cli("project", "info")
    assert r.code == 2 and "No project given" in r.err
    r = cli("--project", tmp_path / "missing.gaisafe", "project", "info")
    assert r.code == 3 and "does not exist" in r.err
    r = cli("--project", tmp_path / "x.gaisafe", "people", "list")
    assert r.code == 3


def test_chinese_messages(project_file, cli):
    r = cli("--lang", "zh", "--project", project_file, "people", "add", "X", "--role", "annotator")
    assert r.code == 0
    assert "已添加" in r.out
    r = cli("--lang", "zh", "--project", project_file.with_name("none.gaisafe"), "project", "info")
    assert "不存在" in r.err


def test_help_everywhere(cli):
    from gaisafe_desktop.cli.main import cli as root

    def walk(group, path):
        yield path
        for name, cmd in getattr(group, "commands", {}).items():
            yield from walk(cmd, [*path, name])

    paths = list(walk(root, []))
    assert len(paths) > 10
    for path in paths:
        r = cli(*path, "--help")
        assert r.code == 0, path
        assert "Usage:" in r.out
    zh = cli("--lang", "zh", "project", "--help")
    assert "创建" in zh.out


def test_cli_runs_in_a_real_process_without_qt(tmp_path, gaisafe_subprocess):
    path = tmp_path / "p.gaisafe"
    r = gaisafe_subprocess("project", "new", path, "--provider", "P", "--service", "S", GAISAFE_BLOCK_QT="1")
    assert r.returncode == 0, r.stderr
    r = gaisafe_subprocess("--project", path, "audit", "verify", GAISAFE_BLOCK_QT="1")
    assert r.returncode == 0, r.stderr
