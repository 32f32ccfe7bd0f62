"""Library files, versions in the project file, diff and the B.1.1 verdict."""

from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest

from gaisafe_desktop.core.detect.keywords.conformance import MET, NOT_JUDGED, NOT_MET, check_b11, check_updates
from gaisafe_desktop.core.detect.keywords.formats import read_library, write_library
from gaisafe_desktop.core.detect.keywords.library import Entry
from gaisafe_desktop.core.detect.keywords.versions import (
    check_library,
    diff_versions,
    import_library_version,
    list_libraries,
    list_versions,
    load_entries,
    verify_version,
)
from gaisafe_desktop.core.errors import UsageError, ValidationError
from gaisafe_desktop.core.frameworks import load_framework

CSV = """term,risk,kind,lang,match,note,added
炸弹,A.1.d,,,,,2026-11-01
炸彈,A.1.d|A.1.h,,,,traditional duplicate,
赌博&网站~新闻,A.1.h,,,,rule,
路口交通,,allow,,,context for 口交,
口交,A.1.f,,,exact,,
foo,A.9.z,,,,,
"""


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_csv_tsv_xlsx_txt_round_trip(tmp_path):
    entries = read_library(write(tmp_path, "lib.csv", CSV))
    assert [e.term for e in entries] == ["炸弹", "炸彈", "赌博&网站~新闻", "路口交通", "口交", "foo"]
    assert entries[1].risks == ("A.1.d", "A.1.h")
    assert entries[3].kind == "allow" and entries[4].match == "exact"
    assert entries[0].lang == "zh" and entries[5].lang == "en"
    assert entries[0].where == "lib.csv, line 2"
    for fmt in ("csv", "tsv", "xlsx"):
        out = tmp_path / f"out.{fmt}"
        write_library(entries, out)
        again = read_library(out)
        assert [(e.term, e.risks, e.kind, e.match, e.note, e.added) for e in again] == [
            (e.term, e.risks, e.kind, e.match, e.note, e.added) for e in entries
        ]
    txt = write(tmp_path, "words.txt", "# comment\n炸药\n\n雷管\n")
    assert [(e.term, e.risks) for e in read_library(txt, risk="A.1.d")] == [("炸药", ("A.1.d",)), ("雷管", ("A.1.d",))]


def test_chinese_headers_and_gb18030(tmp_path):
    p = tmp_path / "gbk.csv"
    p.write_bytes("关键词,风险,备注\n炸弹,A.1.d,中文备注\n".encode("gb18030"))
    (e,) = read_library(p)
    assert (e.term, e.risks, e.note) == ("炸弹", ("A.1.d",), "中文备注")


def test_xlsx_with_date_cells(tmp_path):
    p = tmp_path / "lib.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["term", "risk", "added"])
    ws.append(["炸弹", "A.1.d", dt.datetime(2026, 11, 2)])
    wb.save(p)
    (e,) = read_library(p)
    assert e.added == "2026-11-02" and e.where == "lib.xlsx, line 2"


@pytest.mark.parametrize(
    "text, message",
    [
        ("word,risk\n炸弹,A.1.d\n", "line 1: no `term` column"),
        ("term,risk\n炸弹,A.1.d\n雷管,\n", "lib.csv, line 3: column `risk`"),
        ("term,risk,kind\n炸弹,A.1.d,deny\n", "lib.csv, line 2: column `kind`"),
        ("term,risk,match\n炸弹,A.1.d,fuzzy\n", "lib.csv, line 2: column `match`"),
        ("term,risk,added\n炸弹,A.1.d,yesterday\n", "lib.csv, line 2: column `added`"),
    ],
)
def test_bad_rows_name_file_line_and_column(tmp_path, text, message):
    with pytest.raises(ValidationError, match=message):
        read_library(write(tmp_path, "lib.csv", text))


def test_txt_needs_a_risk(tmp_path):
    with pytest.raises(UsageError, match="--risk"):
        read_library(write(tmp_path, "w.txt", "炸弹\n"))


def test_versions_diff_and_integrity(tmp_project, tmp_path):
    v1 = import_library_version(tmp_project, write(tmp_path, "lib.csv", CSV), library="main", released="2026-11-02")
    assert v1["version"] == 1 and v1["distinct_terms"] == 4  # 炸弹/炸彈 count once; allow not counted
    assert v1["counts"] == {"A.1.d": 1, "A.1.f": 1, "A.1.h": 2, "A.9.z": 1}
    with pytest.raises(UsageError, match="identical to version 1"):
        import_library_version(tmp_project, tmp_path / "lib.csv", library="main", released="2026-11-09")
    v2_text = (
        CSV.replace("口交,A.1.f,,,exact,,\n", "").replace("赌博&网站~新闻,A.1.h", "赌博&网站~新闻,A.1.h|A.1.g")
        + "雷管,A.1.d,,,,,\n"
    )
    v2 = import_library_version(
        tmp_project, write(tmp_path, "lib2.csv", v2_text), library="main", released="2026-11-09"
    )
    assert v2["version"] == 2
    with pytest.raises(ValidationError, match="before the release date"):
        import_library_version(
            tmp_project, write(tmp_path, "lib3.csv", "term,risk\n新,A.1.a\n"), library="main", released="2026-11-01"
        )
    assert [v["version"] for v in list_versions(tmp_project, "main")] == [1, 2]
    assert list_libraries(tmp_project)[0]["latest"] == 2
    d = diff_versions(tmp_project, "main", 1, 2)
    assert [e.term for e in d.added] == ["雷管"]
    assert [e.term for e in d.removed] == ["口交"]
    assert [(a.term, b.risks) for a, b in d.changed] == [("赌博&网站~新闻", ("A.1.h", "A.1.g"))]
    assert load_entries(tmp_project, "main", 1)[0].term == "炸弹"
    assert verify_version(tmp_project, "main", 1)
    # a raw edit of the bulk terms is detected by the version hash
    tmp_project.conn.execute("UPDATE keyword_terms SET term = '炸药' WHERE seq = 0")
    assert not verify_version(tmp_project, "main", 1)
    # every import left audit-log entries
    actions = [r[0] for r in tmp_project.conn.execute("SELECT action FROM audit_log")]
    assert actions.count("keywords.import") >= 2 and "keywords.terms" in actions


def _generated_library(n_terms: int, seed: int) -> list[Entry]:
    """Random distinct Chinese terms spread over the 17 A.1/A.2 codes (test data, never shipped)."""
    rng = random.Random(seed)
    fw = load_framework("tc260-2024-draft")
    codes = fw.risk_set("a1_a2")
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 2000)]
    seen: set[str] = set()
    out = []
    while len(out) < n_terms:
        t = "".join(rng.choices(chars, k=rng.randint(3, 6)))
        if t not in seen:
            seen.add(t)
            out.append(Entry(t, (codes[len(out) % len(codes)],), where=f"gen, line {len(out) + 2}"))
    return out


def test_b11_generated_12000_terms_meets_size_and_coverage():
    fw = load_framework("tc260-2024-draft")
    entries = _generated_library(12000, 1)
    weekly = ["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26"]
    rep = check_b11(
        entries,
        params=fw.assessment("keyword_library"),
        required_per_risk=fw.required_per_risk("keyword_library"),
        known_codes={r.code for r in fw.risks},
        releases=weekly,
        as_of=dt.date(2026, 10, 30),
    )
    assert rep.counts.distinct_terms == 12000 and rep.total_met
    assert rep.coverage_met and len(rep.coverage) == 17
    assert rep.update.verdict == MET and rep.verdict == MET


def test_b11_reports_exact_shortfall_duplicates_and_unknown_codes():
    fw = load_framework("tc260-2024-draft")
    entries = _generated_library(1700, 2)  # 100 per code
    entries += [
        Entry(
            entries[0].term.replace(entries[0].term[0], entries[0].term[0]) + " ",
            entries[0].risks,
            where="x, line 9999",
        )
    ]
    entries += [Entry("某词", ("A.7.z",), where="x, line 10000")]
    rep = check_b11(
        entries,
        params=fw.assessment("keyword_library"),
        required_per_risk=fw.required_per_risk("keyword_library"),
        known_codes={r.code for r in fw.risks},
        releases=["2026-10-01", "2026-10-20"],
        as_of=dt.date(2026, 10, 22),
    )
    assert rep.counts.distinct_terms == 1701 and rep.counts.duplicates == 1
    assert rep.total_shortfall == 10000 - 1701
    short = {c.code: c.shortfall for c in rep.coverage}
    assert short == {**{f"A.1.{x}": 100 for x in "abcdefgh"}, **{f"A.2.{x}": 0 for x in "abcdefghi"}}
    assert rep.counts.unknown == [("x, line 10000", "某词", "A.7.z")]
    assert rep.update.verdict == NOT_MET and rep.update.gaps_over == [("2026-10-01", "2026-10-20", 19)]
    assert rep.verdict == NOT_MET


def test_update_history_rules():
    assert check_updates(["2026-10-01"], 7, dt.date(2026, 10, 2)).verdict == NOT_JUDGED
    ok = check_updates(["2026-10-01", "2026-10-08", "2026-10-15"], 7, dt.date(2026, 10, 22))
    assert ok.verdict == MET
    late = check_updates(["2026-10-01", "2026-10-08"], 7, dt.date(2026, 10, 20))
    assert late.verdict == NOT_MET and late.gaps_over == [("2026-10-08", "2026-10-20", 12)]


def test_check_library_in_project(tmp_project, tmp_path):
    import_library_version(tmp_project, write(tmp_path, "lib.csv", CSV), library="main", released="2026-11-02")
    rep = check_library(tmp_project, "main", as_of=dt.date(2026, 11, 3))
    d = rep.as_dict()
    assert d["verdict"] == NOT_MET
    assert d["a_total"]["have"] == 4 and d["a_total"]["shortfall"] == 9996
    assert {r["code"]: r["have"] for r in d["b_per_risk"]}["A.1.d"] == 1
    assert d["unknown_codes"] == [{"where": "lib.csv, line 7", "term": "foo", "code": "A.9.z"}]
    assert d["c_updates"]["verdict"] == NOT_JUDGED


def test_update_history_is_judged_at_the_project_end_date(tmp_path):
    from gaisafe_desktop.core.store import create_project

    proj = create_project(
        tmp_path / "ended.gaisafe",
        framework_id="tc260-2024-draft",
        provider="P",
        service="S",
        start_date="2026-10-01",
        end_date="2026-10-20",
        actor="Test Auditor",
    )
    try:
        import_library_version(
            proj, write(tmp_path, "a.csv", "term,risk\n炸弹,A.1.d\n"), library="m", released="2026-10-06"
        )
        import_library_version(
            proj, write(tmp_path, "b.csv", "term,risk\n炸药,A.1.d\n"), library="m", released="2026-10-13"
        )
        rep = check_library(proj, "m")
        assert rep.update.as_of == "2026-10-20" and rep.update.verdict == MET
        assert check_library(proj, "m", as_of=dt.date(2026, 10, 25)).update.verdict == NOT_MET
    finally:
        proj.close()
