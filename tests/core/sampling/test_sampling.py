"""Verifiable sampling on real imported datasets."""

from __future__ import annotations

import json
import math

import pytest

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source
from gaisafe_desktop.core.sampling.plans import create_plan, draw_plan, parse_rule, sample_keys, verify_plan
from gaisafe_desktop.core.sampling.select import allocate, sample_size
from gaisafe_desktop.core.store import create_project

RISKS = ["A.1.f", "A.2.e", "A.4.a", ""]


def _corpus(path, n, salt=""):
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            rec = {"text": f"样本 {salt}{i} sample text number {i}", "risk_code": RISKS[i % 4]}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def corpus(tmp_path):
    return _corpus(tmp_path / "corpus.jsonl", 1234)


def _import(project, path, mode="full", name="corpus"):
    if not project.conn.execute("SELECT 1 FROM sources WHERE name = 'src-a'").fetchone():
        save_source(project, "src-a", origin="domestic", source_type="open_source")
    return import_dataset(project, ImportRequest(kind="training", paths=[path], name=name, mode=mode, source="src-a"))


def test_fraction_rule_is_exactly_the_ceiling(tmp_project, corpus):
    ds = _import(tmp_project, corpus)
    assert ds.records == 1234
    create_plan(tmp_project, "tech", datasets=[ds.dataset_id], rule="10%", purpose="training_technical")
    plan = draw_plan(tmp_project, "tech")
    assert plan.sample_size == math.ceil(0.1 * 1234) == 124
    keys = [r["record_key"] for r in sample_keys(tmp_project, "tech")]
    assert len(set(keys)) == 124


@pytest.mark.parametrize(
    ("n", "fraction", "expected"),
    [(10, "0.10", 1), (11, "0.10", 2), (1000, "0.10", 100), (1001, "10%", 101), (7, "1/3", 3)],
)
def test_sample_size_ceiling(n, fraction, expected):
    assert sample_size(parse_rule(fraction), n) == expected


def test_seed_is_logged_before_the_draw(tmp_project, corpus):
    ds = _import(tmp_project, corpus)
    plan = create_plan(tmp_project, "m", datasets=[ds.dataset_id], rule="100")
    assert len(plan.seed) == 64 and plan.seed_source == "csprng"
    draw_plan(tmp_project, "m")
    rows = tmp_project.conn.execute(
        "SELECT seq, action, payload FROM audit_log WHERE action LIKE 'sample.%' ORDER BY seq"
    ).fetchall()
    actions = [r["action"] for r in rows]
    assert actions.index("sample.plan") < actions.index("sample.draw")
    assert plan.seed in rows[actions.index("sample.plan")]["payload"]


def test_redraw_is_identical_and_a_new_seed_differs(tmp_project, corpus):
    ds = _import(tmp_project, corpus)
    create_plan(tmp_project, "a", datasets=[ds.dataset_id], rule="200")
    create_plan(tmp_project, "b", datasets=[ds.dataset_id], rule="200")
    draw_plan(tmp_project, "a")
    draw_plan(tmp_project, "b")
    v = verify_plan(tmp_project, "a")
    assert v.ok and v.redraw_ok and v.population_ok, v.problems
    a = {r["record_key"] for r in sample_keys(tmp_project, "a")}
    b = {r["record_key"] for r in sample_keys(tmp_project, "b")}
    assert len(a) == len(b) == 200
    assert a != b


def test_public_nonce_reproduces_across_projects_and_modes(tmp_path, corpus):
    samples = []
    for i, mode in enumerate(["full", "register"]):
        p = create_project(tmp_path / f"p{i}.gaisafe", framework_id="tc260-2024-draft", provider="P", service="S")
        ds = _import(p, corpus, mode=mode)
        create_plan(p, "pub", datasets=[ds.dataset_id], rule="50", nonce="lottery 2026-11-30: 03 17 22 29 31 + 08")
        draw_plan(p, "pub")
        samples.append([r["record_key"] for r in sample_keys(p, "pub")])
        p.close()
    assert samples[0] == samples[1]


def test_altered_register_only_file_is_detected(tmp_project, corpus):
    ds = _import(tmp_project, corpus, mode="register")
    create_plan(tmp_project, "r", datasets=[ds.dataset_id], rule="30")
    draw_plan(tmp_project, "r")
    assert verify_plan(tmp_project, "r").ok
    data = corpus.read_bytes()
    corpus.write_bytes(data.replace("样本 7 ".encode(), "样本 8 ".encode(), 1))
    v = verify_plan(tmp_project, "r")
    assert not v.ok
    assert any("changed" in p for p in v.problems)


def test_altered_source_of_full_import_is_reported(tmp_project, corpus):
    ds = _import(tmp_project, corpus)
    create_plan(tmp_project, "f", datasets=[ds.dataset_id], rule="30")
    draw_plan(tmp_project, "f")
    with corpus.open("a", encoding="utf-8") as fh:
        fh.write('{"text": "one more"}\n')
    v = verify_plan(tmp_project, "f")
    assert not v.ok and not v.population_ok
    assert any("differs from the file that was imported" in p for p in v.problems)


def test_edited_stored_sample_is_detected(tmp_project, corpus):
    ds = _import(tmp_project, corpus)
    create_plan(tmp_project, "e", datasets=[ds.dataset_id], rule="10")
    draw_plan(tmp_project, "e")
    tmp_project.conn.execute(
        "UPDATE samples SET record_key = 'rk1:0000000000000000:0:0000000000000000' WHERE position = 3"
    )
    v = verify_plan(tmp_project, "e", redraw=False)
    assert not v.stored_sample_ok


def test_strata_by_risk_code(tmp_project, corpus):
    ds = _import(tmp_project, corpus)
    create_plan(tmp_project, "s", datasets=[ds.dataset_id], rule="10%", strata="risk_code")
    draw_plan(tmp_project, "s")
    rows = sample_keys(tmp_project, "s")
    per = {}
    for r in rows:
        per[r["stratum"]] = per.get(r["stratum"], 0) + 1
    # 1234 records over 4 codes: 309, 309, 308, 308 → ⌈10%⌉ each
    assert per == {"A.1.f": 31, "A.2.e": 31, "A.4.a": 31, "": 31}
    assert verify_plan(tmp_project, "s").ok


def test_where_filter_and_count_allocation(tmp_project, corpus):
    ds = _import(tmp_project, corpus)
    plan = create_plan(tmp_project, "w", datasets=[ds.dataset_id], rule="40", where={"risk_code": ["A.1.f", "A.2.e"]})
    draw_plan(tmp_project, "w")
    assert plan.population["where"] == {"risk_code": ["A.1.f", "A.2.e"]}
    assert len(sample_keys(tmp_project, "w")) == 40
    assert allocate({"kind": "count", "n": 10}, {"a": 5, "b": 3, "c": 2}) == {"a": 5, "b": 3, "c": 2}
    assert sum(allocate({"kind": "count", "n": 7}, {"a": 5, "b": 3, "c": 2}).values()) == 7


def test_bad_plans_are_refused(tmp_project, corpus):
    ds = _import(tmp_project, corpus)
    with pytest.raises(UsageError, match="count"):
        create_plan(tmp_project, "x", datasets=[ds.dataset_id], rule="lots")
    with pytest.raises(UsageError, match="at most 100%"):
        create_plan(tmp_project, "x", datasets=[ds.dataset_id], rule="150%")
    create_plan(tmp_project, "x", datasets=[ds.dataset_id], rule="5")
    draw_plan(tmp_project, "x")
    with pytest.raises(UsageError, match="already drawn"):
        draw_plan(tmp_project, "x")
