"""The model built from a real project file, and the contributor extension point other areas use."""

from __future__ import annotations

import pytest
from report_pdftools import needs_poppler, pdftotext

from gaisafe_desktop.core.report import from_project
from gaisafe_desktop.core.report.from_project import (
    ReportContribution,
    build_report,
    build_report_model,
    register_report_contributor,
)
from gaisafe_desktop.core.report.model import BreakdownChart, Section, SummaryRow, Table, Verdict
from gaisafe_desktop.core.stats.verdict import judge_rate


@pytest.fixture
def filled_project(tmp_project, tmp_path):
    from gaisafe_desktop.core.store.evidence import add_evidence
    from gaisafe_desktop.core.store.people import add_person

    add_person(tmp_project, "李雷", ["lead_auditor"], organisation="示例评估中心", email="li@example.org")
    add_person(tmp_project, "Wang Fang", ["annotator", "reviewer"])
    doc = tmp_path / "policy.txt"
    doc.write_text("privacy policy", encoding="utf-8")
    add_evidence(tmp_project, doc, note="privacy policy", links=[("clause", "5.1.c.1")])
    return tmp_project


@pytest.fixture
def contributor():
    from_project._load_contributor_modules()  # defaults registered before we save and later restore
    saved = dict(from_project._CONTRIBUTORS)

    def assessments(project, lang):
        v = judge_rate(285, 300, 0.95)
        return ReportContribution(
            summary=[
                SummaryRow.from_rate_verdict(
                    "b23r", {"zh": "应拒答题库拒答率", "en": "Should-refuse refusal"}, "B.2.3", v
                )
            ],
            sections=[
                Section(
                    "assess.b23",
                    {"zh": "拒答评估", "en": "Refusal assessment"},
                    [BreakdownChart({"zh": "按风险", "en": "By risk"}, [("A.1 a)", 3.0), ("A.2 b)", 1.0)])],
                )
            ],
            annexes=[
                Section("annex.fail", {"zh": "不合格项", "en": "Failing items"}, [Table(["id"], [["q-1"], ["q-2"]])])
            ],
        )

    register_report_contributor("assessments", assessments)
    yield assessments
    from_project._CONTRIBUTORS.clear()
    from_project._CONTRIBUTORS.update(saved)


def test_model_from_the_foundation_store(filled_project):
    from gaisafe_desktop.core.store.audit import head_hash

    m = build_report_model(filled_project)
    c = m.cover
    assert (c.provider, c.service, c.model_name, c.model_version) == ("Demo Provider", "Demo Chat", "demo-llm", "1.0")
    assert c.framework_id == "tc260-2024-draft" and len(c.framework_hash) == 64
    assert [p.name for p in c.people] == ["李雷", "Wang Fang"]
    assert c.people[0].roles == [{"zh": "主审核员", "en": "Lead auditor"}]
    assert len(m.evidence) == 1 and m.evidence[0].links == ["clause:5.1.c.1"] and m.evidence[0].size == 14
    assert m.audit_head_hash == head_hash(filled_project.conn)
    assert m.audit_entries == filled_project.conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    profile = next(s for s in m.sections if s.key == "profile")
    assert len(profile.blocks[1].items) == len(filled_project.framework.profile_fields)


def test_contributions_are_placed_in_the_report(filled_project, contributor):
    m = build_report_model(filled_project)
    assert [r.check_id for r in m.summary] == ["b23r"]
    assert m.summary[0].verdict == Verdict.PASS and m.summary[0].interval_note == "crosses"
    assert [s.key for s in m.sections] == ["profile", "assess.b23", "checklist"]
    assert [a.key for a in m.annexes] == ["annex.fail"]


@needs_poppler
def test_build_report_writes_both_editions_and_logs_the_build(filled_project, contributor, tmp_path):
    path = filled_project.path
    filled_project.close()
    results = build_report(path, tmp_path / "report.pdf", actor="李雷")
    assert [r["lang"] for r in results] == ["zh", "en"]
    zh = pdftotext(results[0]["path"])
    en = pdftotext(results[1]["path"])
    assert "拒答评估" in zh and "附件 A 不合格项" in zh and "policy.txt" in zh and "李雷" in zh
    assert "Refusal assessment" in en and "Annex A Failing items" in en and "Service profile" in en
    from gaisafe_desktop.core.store import open_project

    with open_project(path, read_only=True) as p:
        last = p.conn.execute("SELECT action, actor, payload FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert last["action"] == "report.build" and last["actor"] == "李雷"
    assert results[0]["sha256"] in last["payload"]


@needs_poppler
def test_default_checklist_section_shows_results_observations_and_evidence(filled_project, tmp_path):
    from gaisafe_desktop.core.checklist.checklist import set_clause
    from gaisafe_desktop.core.report.render import render_report

    set_clause(filled_project, "5.1.c.1", result="nonconform", observations="许可证缺失 licence missing")
    m = build_report_model(filled_project)
    section = next(s for s in m.sections if s.key == "checklist")
    table = section.blocks[-1]
    rows = {r[0]: r for r in table.rows}
    ref = next(c.ref for c in filled_project.framework.clauses if c.id == "5.1.c.1")
    assert rows[ref][3] == {"zh": "不符合", "en": "Nonconform"}
    assert rows[ref][4] == "许可证缺失 licence missing" and "policy.txt" in rows[ref][5]
    assert len(rows) == len(filled_project.framework.clauses)
    text = pdftotext(render_report(m, "zh", tmp_path / "c.pdf").path)
    assert "条款核查清单" in text and "许可证缺失" in text and "不符合" in text


@needs_poppler
def test_assessment_contribution_from_stored_results(filled_project, tmp_path):
    from gaisafe_desktop.core.assess import results
    from gaisafe_desktop.core.assess.report import contribute
    from gaisafe_desktop.core.report.render import render_report

    v = judge_rate(281, 300, 0.95, min_n=300)
    items = [results.Item(f"q-{i}", "not_refused", {"risk": "A.1 a)"}) for i in range(19)]
    check = results.CheckResult(
        "refusal_should_refuse", "refusal_should_refuse", ["7.e"], {"n": 300}, verdict=v, items=items
    )
    results.store_results(filled_project, "assess.test", [check])
    part = contribute(filled_project, "en")
    m = build_report_model(filled_project)
    m.summary, m.sections, m.annexes = part.summary, part.sections, part.annexes
    row = next(r for r in m.summary if r.check_id == "refusal_should_refuse")
    assert (row.n, row.successes, row.verdict) == (300, 281, Verdict.FAIL)
    assert row.ci_low == pytest.approx(v.ci_low) and row.interval_note == v.interval_note == "includes"
    assert any(s.key == "assess" for s in m.sections)
    annex = next(a for a in m.annexes if a.key == "assess.items")
    table = annex.subsections[0].blocks[-1]
    assert len(list(table.rows)) == 19
    text = pdftotext(render_report(m, "en", tmp_path / "a.pdf").path)
    assert "q-18" in text and f"{v.ci_low:.1%} – {v.ci_high:.1%}" in text and "Fail ‡" in text


def test_an_area_contributor_replaces_the_fallback():
    from gaisafe_desktop.core.report.contrib_checklist import checklist_contribution

    from_project._load_contributor_modules()
    saved = dict(from_project._CONTRIBUTORS)
    try:

        def mine(project, lang):
            return None

        register_report_contributor("checklist", mine)
        register_report_contributor("checklist", checklist_contribution, default=True)  # a fallback never wins
        assert from_project._CONTRIBUTORS["checklist"] is mine
    finally:
        from_project._CONTRIBUTORS.clear()
        from_project._CONTRIBUTORS.update(saved)


@needs_poppler
def test_default_resources_and_sampling_sections_from_real_imports(filled_project, tmp_path):
    import json

    from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source
    from gaisafe_desktop.core.report.render import render_report
    from gaisafe_desktop.core.sampling.plans import create_plan, draw_plan

    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(300):
            fh.write(json.dumps({"text": f"样本 {i} sample text {i}"}, ensure_ascii=False) + "\n")
    save_source(filled_project, "src-a", origin="domestic", source_type="open_source")
    ds = import_dataset(
        filled_project, ImportRequest(kind="training", paths=[corpus], name="corpus", mode="full", source="src-a")
    )
    create_plan(filled_project, "manual-4000", datasets=[ds.dataset_id], rule="10%", purpose="training_manual")
    plan = draw_plan(filled_project, "manual-4000")
    m = build_report_model(filled_project)
    keys = [s.key for s in m.sections]
    assert keys.index("resources") < keys.index("sampling")
    sampling = next(s for s in m.sections if s.key == "sampling")
    facts = dict((k["en"], v) for k, v in sampling.subsections[0].blocks[0].items)
    assert facts["Seed"] == plan.seed and facts["Population manifest hash"] == plan.population_hash
    assert facts["Sample size"] == "30" and facts["Sample hash"] == plan.sample_hash
    text = pdftotext(render_report(m, "en", tmp_path / "r.pdf").path)
    assert "Resources under test" in text and "corpus" in text and ds.manifest_hash[:20] in text
    assert "Plan manual-4000" in text and plan.seed[:20] in text
