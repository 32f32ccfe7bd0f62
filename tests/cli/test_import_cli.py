"""`gaisafe import …` and `gaisafe datasets …` end to end through the CLI (in-process and a real process)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

FIX = Path(__file__).resolve().parent.parent / "core" / "ingest" / "fixtures"


@pytest.fixture
def proj(cli, tmp_path):
    path = tmp_path / "audit.gaisafe"
    r = cli("project", "new", path, "--provider", "P", "--service", "S")
    assert r.code == 0, r.err
    return path


def test_preview_shows_format_encoding_columns_and_mapping(cli):
    r = cli("import", "preview", FIX / "excel_gbk.csv", "--kind", "transcripts")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[:4] == ["Format: csv", "Encoding: gb18030", "Delimiter: ','", "Columns: 编号, 问题, 回答, 风险类别"]
    assert "  question ← 问题" in lines and "  answer ← 回答" in lines and "  risk_code ← 风险类别" in lines
    assert any("今天天气怎么样？" in line for line in lines)
    r = cli("--json", "import", "preview", FIX / "excel_gbk.csv", "--map", "text=回答")
    assert r.json["mapping"]["text"] == "回答"


def test_import_data_with_source_metadata_licence_and_quarantine(cli, proj, tmp_path):
    licence = tmp_path / "licence.txt"
    licence.write_text("Licensed for training under CC-BY-4.0.", encoding="utf-8")
    r = cli(
        "--project", proj, "import", "data", FIX / "broken.jsonl", "--source", "web-crawl",
        "--origin", "foreign", "--source-type", "open_source", "--licence", licence,
        "--personal-info", "no", "--sensitive-info", "no", "--robots-note", "robots.txt honoured",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert (
        "Dataset 1 `web-crawl` (training, full import): 4 records taken, 4 quarantined, 1 duplicates, 1 empty." in r.out
    )
    assert "See the quarantined rows with: gaisafe datasets quarantine 1" in r.out

    show = cli("--json", "--project", proj, "datasets", "show", "web-crawl").json
    assert show["status"] == "complete" and show["files"][0]["encoding"] == "utf-8"
    src = show["source_metadata"]
    assert (src["origin"], src["source_type"], src["personal_info"], src["robots_note"]) == (
        "foreign",
        "open_source",
        "no",
        "robots.txt honoured",
    )
    ev = cli("--json", "--project", proj, "evidence", "list").json
    assert ev[0]["sha256"] == src["licence_evidence"] and ev[0]["links"] == [{"type": "source", "id": "web-crawl"}]

    listed = cli("--json", "--project", proj, "datasets", "list").json
    assert [(d["name"], d["records"], d["quarantined"], d["duplicates"]) for d in listed] == [("web-crawl", 4, 4, 1)]

    q = cli("--project", proj, "datasets", "quarantine", "1")
    assert q.code == 0 and "bad_json" in q.out and "undecodable" in q.out
    out = tmp_path / "q.csv"
    r = cli("--project", proj, "datasets", "quarantine", "1", "--export", out)
    assert r.out.strip() == f"Wrote 4 rows to {out}"
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["line"], r["reason"]) for r in rows] == [
        ("2", "bad_json"),
        ("4", "undecodable"),
        ("6", "not_object"),
        ("8", "missing_field"),
    ]
    assert rows[1]["detail"] == "bytes ff fe 20 62 at byte 23 are not UTF-8"


def test_import_transcripts_bank_media_and_register(cli, proj):
    r = cli(
        "--project", proj, "import", "transcripts", FIX / "refusal.eval", FIX / "garak.report.jsonl", "--name", "runs"
    )
    assert r.code == 0, r.err
    assert "5 records taken" in r.out
    r = cli(
        "--project", proj, "import", "bank", FIX / "should_refuse_bank.csv", "--kind", "should_refuse",
        "--version-date", "2025-03-01",
    )  # fmt: skip
    assert r.code == 0 and "3 records taken, 0 quarantined, 0 duplicates, 1 empty" in r.out
    r = cli("--project", proj, "import", "media", FIX / "media")
    assert r.code == 0 and "Dataset 3 `media` (media, register-only): 3 records taken" in r.out
    r = cli("--project", proj, "import", "data", FIX / "semicolon.csv", "--source", "s", "--register")
    assert r.code == 0 and "(training, register-only)" in r.out
    listed = cli("--json", "--project", proj, "datasets", "list").json
    assert [(d["kind"], d["mode"], d["records"]) for d in listed] == [
        ("transcripts", "full", 5),
        ("bank", "full", 3),
        ("media", "register", 3),
        ("training", "register", 2),
    ]


def test_rejections_have_precise_messages_and_exit_codes(cli, proj):
    r = cli("--project", proj, "import", "data", FIX / "empty.csv", "--source", "s")
    assert r.code == 4
    assert r.err.strip() == f"error: {FIX / 'empty.csv'} is empty (0 bytes); there is nothing to import."
    r = cli("--project", proj, "import", "data", FIX / "binary.csv", "--source", "s")
    assert r.code == 4 and "looks binary" in r.err
    r = cli("--project", proj, "import", "transcripts", FIX / "semicolon.csv")
    assert r.code == 4 and "no column for the required field `question`" in r.err
    r = cli("--project", proj, "import", "data", FIX / "semicolon.csv", "--source", "s", "--map", "body=text")
    assert r.code == 2 and "--map body=text: expected FIELD=COLUMN" in r.err
    r = cli("--project", proj, "datasets", "show", "nope")
    assert r.code == 3 and "No dataset nope" in r.err


def test_import_in_a_real_process_in_chinese(gaisafe_subprocess, proj):
    r = gaisafe_subprocess("--lang", "zh", "--project", proj, "import", "transcripts", FIX / "openai_chat.jsonl")
    assert r.returncode == 0, r.stderr
    assert "条记录" in r.stdout
    r = gaisafe_subprocess("--json", "--project", proj, "datasets", "list")
    assert json.loads(r.stdout)[0]["records"] == 2


def test_records_by_dataset_and_by_key_and_population(cli, proj):
    assert cli("--project", proj, "import", "data", FIX / "broken.jsonl", "--source", "s").code == 0
    assert cli("--project", proj, "import", "data", FIX / "semicolon.csv", "--source", "t", "--register").code == 0
    recs = cli("--json", "--project", proj, "datasets", "records", "s", "--limit", "10").json
    assert [(r["line"], r["empty"], r["duplicate"]) for r in recs] == [
        (1, False, False),
        (3, True, False),
        (5, False, True),
        (9, False, False),
    ]
    r = cli("--project", proj, "datasets", "records", "--key", recs[2]["key"])
    assert r.code == 0
    assert r.out.splitlines() == [f"{recs[2]['key']}  line 5  [duplicate]", "  text: 第一条训练文本。"]
    r = cli("--project", proj, "datasets", "records")
    assert r.code == 2 and "Give a dataset, or --key KEY." in r.err
    pop = cli("--json", "--project", proj, "datasets", "population", "s", "t").json
    assert pop["records"] == 6 and [d["mode"] for d in pop["datasets"]] == ["full", "register"]
    human = cli("--project", proj, "datasets", "population", "1", "2").out
    assert human.splitlines()[0] == "Population: 6 records in 2 datasets"
    assert human.splitlines()[-1] == f"Population SHA-256 {pop['hash']}"
