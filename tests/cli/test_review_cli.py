"""gaisafe review queue|next|judge|stats|agreement from the command line, on a real project."""

from __future__ import annotations

import json


def starter_term() -> str:
    """A Chinese term of the shipped starter keyword library (the library is rebuilt as data improves)."""
    from gaisafe_desktop.core.detect.keywords.service import resolve_library

    return next(
        e.term for e in resolve_library(None, starter=True).entries if e.lang == "zh" and e.kind == "term" and e.risks
    )


def _setup(tmp_path, cli):
    proj = tmp_path / "r.gaisafe"
    assert cli("project", "new", proj, "--provider", "P", "--service", "S").code == 0
    data = tmp_path / "d.jsonl"
    data.write_text(
        "".join(
            json.dumps({"text": f"报道称{starter_term()}一事引起讨论 {i}"}, ensure_ascii=False) + "\n"
            for i in range(40)
        ),
        encoding="utf-8",
    )
    p = ["--project", proj]
    assert (
        cli(
            *p, "import", "data", data, "--source", "web", "--origin", "domestic", "--source-type", "self_collected"
        ).code
        == 0
    )
    assert cli(*p, "sample", "plan", "m", "--dataset", "1", "--rule", "10").code == 0
    assert cli(*p, "sample", "draw", "m").code == 0
    for name, role in (("Ann", "annotator"), ("Bo", "annotator"), ("Rita", "reviewer")):
        assert cli(*p, "people", "add", name, "--role", role).code == 0
    return p


def test_review_round_trip(tmp_path, cli):
    p = _setup(tmp_path, cli)
    r = cli(
        *p,
        "review",
        "queue",
        "tm",
        "--plan",
        "m",
        "--check",
        "training_manual",
        "--annotator",
        "Ann",
        "--annotator",
        "Bo",
        "--blind-double",
        "--library",
        "starter",
    )
    assert r.code == 0, r.err
    assert "10 items" in r.out
    ann = [*p, "--actor", "Ann"]
    r = cli(*ann, "review", "next", "tm")
    assert r.code == 0, r.err
    assert f"【{starter_term()}】" in r.out and "0 / 10" in r.out
    assert cli(*ann, "review", "judge", "tm", "0", "--qualified").code == 0
    r = cli(*ann, "review", "judge", "tm", "1", "--unqualified")
    assert r.code == 2 and "risk code" in r.err
    assert cli(*ann, "review", "judge", "tm", "1", "--unqualified", "--risk", "A.2.a").code == 0
    assert cli(*ann, "review", "judge", "tm", "--undo").code == 0
    assert cli(*ann, "--json", "review", "next", "tm").json["item"]["position"] == 1
    hist = cli(*p, "review", "history", "tm", "1")
    assert hist.code == 0, hist.err
    assert "unqualified A.2.a" in hist.out and "undo of event" in hist.out and "Ann" in hist.out
    bo = [*p, "--actor", "Bo"]
    assert cli(*bo, "review", "judge", "tm", "0", "--unqualified", "--risk", "A.2.a").code == 0
    # Ann annotated item 0: she may not adjudicate it (and has no adjudicator role anyway); Rita may
    r = cli(*[*p, "--actor", "Rita"], "review", "judge", "tm", "0", "--qualified", "--role", "adjudicator")
    assert r.code == 0, r.err
    stats = cli(*p, "--json", "review", "stats", "tm").json[0]
    assert stats["reviewed"] == 1 and stats["annotating"] == 9
    human = cli(*p, "review", "stats")
    assert "Ann" in human.out and "1 / 10" in human.out
    agr = cli(*p, "--json", "review", "agreement", "tm").json
    assert agr == [
        {"a": "Ann", "b": "Bo", "n": 1, "agree": 0, "percent": 0.0, "kappa": 0.0}
    ]  # p_o = 0, p_e = 1*0 + 0*1 = 0


def test_reviewer_who_annotated_is_refused(tmp_path, cli):
    p = _setup(tmp_path, cli)
    assert cli(*p, "people", "add", "Lee", "--role", "annotator", "--role", "lead_auditor").code == 0
    assert cli(*p, "review", "queue", "tm", "--plan", "m", "--check", "training_manual", "--annotator", "Lee").code == 0
    lee = [*p, "--actor", "Lee"]
    assert cli(*lee, "review", "judge", "tm", "0", "--unqualified", "--risk", "A.2.a").code == 0
    r = cli(*lee, "review", "judge", "tm", "0", "--qualified", "--role", "reviewer")
    assert r.code == 2
    assert "5.3" in r.err
    r = cli(*[*p, "--actor", "Rita"], "review", "next", "tm", "--role", "reviewer")
    assert r.code == 0 and "Annotated by Lee: unqualified A.2.a" in r.out
