"""gaisafe checklist list|set|attach|export from the command line."""

from __future__ import annotations

import csv


def test_checklist_round_trip(tmp_path, cli):
    proj = tmp_path / "c.gaisafe"
    assert cli("project", "new", proj, "--provider", "P", "--service", "S").code == 0
    p = ["--project", proj]
    full = cli(*p, "--json", "checklist", "list").json
    n_open = len(cli(*p, "--json", "checklist", "list", "--open").json["clauses"])
    assert 0 < n_open < len(full["clauses"])
    r = cli(*p, "checklist", "set", "5.2.a", "--result", "conform", "--observations", "sample passed")
    assert r.code == 0, r.err
    assert "Conform" in r.out
    assert len(cli(*p, "--json", "checklist", "list", "--open").json["clauses"]) == n_open - 1
    r = cli(*p, "checklist", "set", "5.2.a", "--applies", "not_applicable")
    assert r.code == 2 and "justification" in r.err
    r = cli(*p, "checklist", "set", "5.2.a", "--applies", "not_applicable", "--justification", "no own training")
    assert r.code == 0 and "no own training" in r.out
    ev = tmp_path / "policy.txt"
    ev.write_text("annotation rules v3", encoding="utf-8")
    r = cli(*p, "checklist", "attach", "5.3.b.1", ev)
    assert r.code == 0, r.err
    r = cli(*p, "checklist", "attach", "9.9", ev)
    assert r.code == 3
    out = tmp_path / "cl.csv"
    assert cli(*p, "--lang", "zh", "checklist", "export", out).code == 0
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][0] == "条款"
    row = next(r for r in rows if r[0] == "5.2 a)")
    assert row[6] == "not_applicable" and row[7] == "no own training"
    assert "policy.txt" in next(r for r in rows if r[0] == "5.3 b) 1)")[12]
    assert cli(*p, "checklist", "export", tmp_path / "cl.xlsx").code == 0
    assert (tmp_path / "cl.xlsx").stat().st_size > 1000
    section_5 = next(s for s in full["progress"] if s["section"] == "5")
    assert section_5["done"] == 0
