"""gaisafe judgements import|list and gaisafe assess … from the command line: output, errors, exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core" / "assess"))
from assess_data import build, cli_setup  # noqa: E402


def test_assess_cli_human_and_json(tmp_path, cli):
    d = build(tmp_path / "data", ok_records=300, bad_records=100)
    proj = tmp_path / "a.gaisafe"
    cli_setup(cli, proj, d)
    p = ["--project", proj]

    r = cli(*p, "judgements", "list", "--limit", "3")
    assert r.code == 0 and "Ann" in r.out and "Qualified" in r.out
    r = cli(*p, "--json", "judgements", "list", "--limit", "1")
    key = r.json["judgements"][0]["record_key"]
    r = cli(*p, "--json", "judgements", "list", "--key", key)
    assert len(r.json["history"]) == 1 and r.json["history"][0]["old_value"] is None

    # the refusal check prints the point rule and the interval for each verdict
    r = cli(*p, "assess", "refusal", "--nonce", "n1")
    assert r.code == 0, r.err
    assert "Should-refuse spot check [6.b.3, B.2.3.b]:" in r.out
    assert "rule ≥ 95.0%; 95% exact interval" in r.out and "rule ≤ 5.0%" in r.out

    # the manual check on 400 training records: insufficient sample, with the standard's minimum named
    r = cli(*p, "assess", "training-manual", "--nonce", "n1")
    assert "INSUFFICIENT SAMPLE" in r.out and "at least 4000" in r.out

    r = cli(*p, "--json", "assess", "show", "refusal_should_not_refuse")
    assert r.code == 0 and r.json["items"] and {i["outcome"] for i in r.json["items"]} >= {"refused"}
    r = cli(*p, "assess", "show")
    assert "refusal_should_refuse" in r.out and "not run" in r.out  # never-run checks are listed too
    r = cli(*p, "assess", "show", "no_such_check")
    assert r.code == 3 and "known checks" in r.err

    # a regulator's check: items and plans still match the audited results; an edited item is named
    r = cli(*p, "assess", "verify")
    assert r.code == 0 and "refusal_should_refuse: ok" in r.out
    import sqlite3

    con = sqlite3.connect(proj)
    con.execute("UPDATE assessment_items SET outcome = 'edited' WHERE seq = 0")
    con.commit()
    con.close()
    r = cli(*p, "assess", "verify")
    assert r.code == 5 and "differ from the digest" in r.out


def test_bad_judgement_file_exit_code_and_message(tmp_path, cli):
    proj = tmp_path / "a.gaisafe"
    assert cli("project", "new", proj, "--provider", "P", "--service", "S").code == 0
    f = tmp_path / "j.jsonl"
    f.write_text(
        json.dumps({"record_key": "rk1:0123456789abcdef:0:0123456789abcdef", "qualified": "yes", "annotator": "A"})
        + "\n",
        encoding="utf-8",
    )
    r = cli("--project", proj, "judgements", "import", f)
    assert r.code == 4
    assert "j.jsonl, line 1: field `record_key`" in r.err
    r = cli("--project", proj, "assess", "sources")
    assert r.code == 0
    r = cli("--project", proj, "--json", "assess", "resources")
    assert {x["verdict"] for x in r.json if x["check_id"] != "classifier_coverage"} == {"not_run"}


@pytest.mark.slow
def test_assess_job_export_run_import(tmp_path, cli):
    d = build(tmp_path / "data", ok_records=200, bad_records=100)
    proj = tmp_path / "a.gaisafe"
    cli_setup(cli, proj, d)
    p = ["--project", proj, "--json"]
    r = cli(*p, "assess", "job", "export", tmp_path / "job", "--nonce", "n2")
    assert r.code == 0, r.err
    job = r.json["job"]
    r = cli("--json", "assess", "job", "run", job, "--workers", "1")
    assert r.code == 0, r.err
    r = cli(*p, "assess", "job", "import", r.json["manifest"])
    assert r.code == 0, r.err
    (row,) = r.json
    assert row["check_id"] == "training_technical" and row["n"] == 30  # ⌈10% × 300⌉
    r = cli(*p, "assess", "training-technical", "--workers", "1")  # the same sample, checked locally
    assert (r.json[0]["n"], r.json[0]["count"]) == (row["n"], row["count"])
