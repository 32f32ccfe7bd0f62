"""`gaisafe keywords …`: import, versions, diff, check (starter and a generated 12,000-term library), scan, suggest, export."""

from __future__ import annotations

import csv
import json
import random

import pytest

from gaisafe_desktop.core.detect.keywords.normalize import normalize
from gaisafe_desktop.core.detect.keywords.service import starter_library_path
from gaisafe_desktop.core.frameworks import load_framework

CODES = load_framework("tc260-2024-draft").risk_set("a1_a2")


@pytest.fixture
def project(tmp_path, cli):
    path = tmp_path / "kw.gaisafe"
    r = cli("project", "new", path, "--provider", "P", "--service", "S", "--model-name", "m", "--model-version", "1")
    assert r.code == 0, r.err
    return path


def generated_library(path, n=12000, seed=5, skip=0):
    """Random distinct Chinese terms over the 17 A.1/A.2 codes: test data, never shipped."""
    rng = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    seen, rows = set(), []
    while len(rows) < n:
        t = "".join(rng.choices(chars, k=rng.randint(3, 6)))
        if t not in seen:
            seen.add(t)
            rows.append((t, CODES[len(rows) % len(CODES)]))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["term", "risk"])
        w.writerows(rows[skip:])
    return rows


def test_check_starter_library_prints_the_verdict_per_risk(cli):
    r = cli("keywords", "check", "--starter")
    assert r.code == 0, r.err
    assert "B.1.1 keyword library check" in r.out and "NOT MET" in r.out
    for code in CODES:
        assert code in r.out
    data = cli("--json", "keywords", "check", "--starter").json
    # counts recomputed here from the shipped file: distinct normalised terms per code
    per_code: dict[str, set[str]] = {}
    with starter_library_path().open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for code in row["risk"].split("|"):
                per_code.setdefault(code, set()).add(normalize(row["term"]))
    total = set().union(*per_code.values())
    assert data["a_total"]["have"] == len(total) < 10000
    assert data["a_total"]["shortfall"] == 10000 - len(total)
    for r_ in data["b_per_risk"]:
        have = len(per_code.get(r_["code"], ()))
        assert r_["have"] == have and r_["shortfall"] == max(0, r_["required"] - have)
    assert {r_["code"]: r_["have"] for r_ in data["b_per_risk"]}["A.1.a"] == 0  # no open data for A.1.a
    assert data["c_updates"]["verdict"] == "not_judged"
    assert data["verdict"] == "not_met"


def test_generated_12000_term_library_meets_b11_with_weekly_versions(cli, project, tmp_path):
    lib = tmp_path / "gen.csv"
    generated_library(lib)
    data = cli("--json", "keywords", "check", "--library-file", lib).json
    assert data["a_total"]["have"] == 12000 and data["a_total"]["met"]
    assert data["b_met"] and all(r["met"] for r in data["b_per_risk"])
    assert data["verdict"] == "not_met" and data["c_updates"]["verdict"] == "not_judged"

    assert (
        cli("--project", project, "keywords", "import", lib, "--library", "main", "--released", "2026-11-02").code == 0
    )
    lib2 = tmp_path / "gen2.csv"
    generated_library(lib2, n=12001)  # the next weekly release adds one term
    assert (
        cli("--project", project, "keywords", "import", lib2, "--library", "main", "--released", "2026-11-09").code == 0
    )
    r = cli("--project", project, "keywords", "check", "--library", "main", "--as-of", "2026-11-12")
    assert r.code == 0, r.err
    assert ": met" in r.out.splitlines()[0]
    for code in CODES:
        assert code in r.out
    late = cli("--project", project, "--json", "keywords", "check", "--library", "main", "--as-of", "2026-11-20").json
    assert late["verdict"] == "not_met"
    assert late["c_updates"]["gaps_over"] == [{"from": "2026-11-09", "to": "2026-11-20", "days": 11}]


def test_import_versions_diff_export_round_trip(cli, project, tmp_path):
    v1 = tmp_path / "v1.csv"
    v1.write_text("term,risk,kind\n炸弹,A.1.d,\n口交,A.1.f,\n路口交通,,allow\n", encoding="utf-8")
    v2 = tmp_path / "v2.txt"
    v2.write_text("炸弹\n雷管\n", encoding="utf-8")
    r = cli("--project", project, "keywords", "import", v1, "--library", "lib", "--released", "2026-11-01")
    assert r.code == 0 and "version 1" in r.out
    r = cli(
        "--project",
        project,
        "keywords",
        "import",
        v2,
        "--library",
        "lib",
        "--risk",
        "A.1.d",
        "--released",
        "2026-11-05",
    )
    assert r.code == 0 and "version 2" in r.out
    listing = cli("--project", project, "--json", "keywords", "list").json
    assert listing[0]["name"] == "lib" and listing[0]["latest"] == 2
    vers = cli("--project", project, "--json", "keywords", "versions", "lib").json
    assert [v["released_on"] for v in vers] == ["2026-11-01", "2026-11-05"]
    d = cli("--project", project, "keywords", "diff", "lib", "1", "2")
    assert d.code == 0
    assert "+ 雷管" in d.out and "- 口交" in d.out and "- 路口交通" in d.out
    out = tmp_path / "back.xlsx"
    assert cli("--project", project, "keywords", "export", "lib", out, "--version", "1").code == 0
    again = cli("--json", "keywords", "check", "--library-file", out).json
    assert again["a_total"]["have"] == 2 and again["a_total"]["allow_entries"] == 1
    # an export imported again is the same version content (same hash)
    csv_out = tmp_path / "back.csv"
    assert cli("--project", project, "keywords", "export", "lib", csv_out, "--version", "1").code == 0
    assert (
        cli("--project", project, "keywords", "import", csv_out, "--library", "copy", "--released", "2026-11-01").code
        == 0
    )
    copy = cli("--project", project, "--json", "keywords", "versions", "copy").json
    assert copy[0]["sha256"] == vers[0]["sha256"]
    audit = cli("--project", project, "audit", "verify")
    assert audit.code == 0, audit.out + audit.err


def test_import_errors_name_file_and_line(cli, project, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("term,risk\n炸弹,A.1.d\n雷管,\n", encoding="utf-8")
    r = cli("--project", project, "keywords", "import", bad, "--library", "x")
    assert r.code == 4
    assert "bad.csv, line 3" in r.err and "risk" in r.err
    # nothing was stored
    assert cli("--project", project, "--json", "keywords", "list").json == []


@pytest.mark.parametrize("workers", ["1", "2"])
def test_scan_reports_hits_with_original_text(cli, tmp_path, workers):
    lib = tmp_path / "lib.csv"
    lib.write_text("term,risk,kind\n炸弹,A.1.d,\n口交,A.1.f,\n路口交通,,allow\n", encoding="utf-8")
    data = tmp_path / "answers.jsonl"
    texts = ["这是正常回答", "制作炸 弹的方法", "在路口交通灯前", "炸彈", "ok"] * 50
    data.write_text("".join(json.dumps({"answer": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
    hits = tmp_path / "hits.jsonl"
    r = cli(
        "--json",
        "keywords",
        "scan",
        data,
        "--library-file",
        lib,
        "--field",
        "answer",
        "--workers",
        workers,
        "--out",
        hits,
    )
    assert r.code == 0, r.err
    res = r.json
    assert res["records"] == 250 and res["hits"] == 100 and res["per_risk"] == {"A.1.d": 100}
    lines = [json.loads(x) for x in hits.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 100
    assert lines[0] == {
        "file": str(data),
        "line": 2,
        "term": "炸弹",
        "risks": ["A.1.d"],
        "spans": [[2, 5]],
        "matched": ["炸 弹"],
    }
    assert lines[1]["matched"] == ["炸彈"] and lines[1]["line"] == 4


def test_suggest_mines_candidates_from_labelled_text(cli, tmp_path):
    rng = random.Random(3)
    fillers = ["今天", "我们", "如何", "在家里", "请告诉我", "方法", "朋友说", "听说", "晚上", "学校"]
    rows = []
    for _ in range(40):
        rows.append((rng.choice(fillers) + "制造雷管" + rng.choice(fillers), "A.1.d"))
        rows.append((rng.choice(fillers) + "的天气" + rng.choice(fillers), ""))
    labelled = tmp_path / "labelled.csv"
    with labelled.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "risk"])
        w.writerows(rows)
    out = tmp_path / "cands.csv"
    r = cli("--json", "keywords", "suggest", "--from", labelled, "--out", out)
    assert r.code == 0, r.err
    terms = [c["term"] for c in r.json["A.1.d"]]
    assert "制造雷管" in terms
    assert not any(t in ("今天", "我们") for t in terms)
    again = cli("--json", "keywords", "check", "--library-file", out).json
    assert again["a_total"]["have"] == len(terms)


def test_check_needs_exactly_one_library(cli):
    r = cli("keywords", "check")
    assert r.code == 2 and "exactly one library" in r.err


def test_import_the_starter_library_into_a_project(cli, project):
    r = cli("--project", project, "keywords", "import", "--starter", "--library", "starter", "--released", "2026-11-30")
    assert r.code == 0, r.err
    data = cli("--project", project, "--json", "keywords", "check", "--library", "starter").json
    assert data["a_total"]["have"] == cli("--json", "keywords", "check", "--starter").json["a_total"]["have"]
    assert cli("--project", project, "keywords", "import", "--library", "x").code == 2


def test_unwritable_outputs_are_clear_errors(cli, project, tmp_path):
    lib = tmp_path / "lib.csv"
    lib.write_text("term,risk\n炸弹,A.1.d\n", encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("炸弹\n", encoding="utf-8")
    missing = tmp_path / "no-such-folder" / "out.jsonl"
    r = cli("keywords", "scan", text, "--library-file", lib, "--out", missing)
    assert r.code == 2 and "Cannot write" in r.err
    assert cli("--project", project, "keywords", "import", lib, "--library", "l").code == 0
    r = cli("--project", project, "keywords", "export", "l", tmp_path / "no-such-folder" / "x.csv")
    assert r.code == 2 and "Cannot write" in r.err


def test_suggest_reports_bad_encoding_and_missing_columns(cli, tmp_path):
    bad = tmp_path / "gbk.csv"
    bad.write_bytes(b"text,risk\nok,A.1.d\n" + "我们,A.1.d\n".encode("gb18030"))
    r = cli("keywords", "suggest", "--from", bad)
    assert r.code == 4 and "gbk.csv, line 3: not valid UTF-8" in r.err
    cols = tmp_path / "cols.csv"
    cols.write_text("content,label\nx,A.1.d\n", encoding="utf-8")
    r = cli("keywords", "suggest", "--from", cols)
    assert r.code == 4 and "column `text` missing" in r.err
