"""Default report contribution "assessments": the results stored by ``core.assess``.

One executive-summary row per check (from ``assess.summary.assessment_summary``: rule, n, rate,
exact interval, verdict), a section with the rates charted against their thresholds and a table of
every check, and an annex listing the items each result names (failing, disputed or unjudged
records, with why). An area that registers its own ``"assessments"`` contributor replaces this one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from gaisafe_desktop.core.hashing import canonical_json
from gaisafe_desktop.core.report.from_project import ReportContribution, register_report_contributor
from gaisafe_desktop.core.report.model import (
    BreakdownChart,
    Paragraph,
    RateBar,
    RateChart,
    Section,
    SummaryRow,
    Table,
    Text,
    Verdict,
)

VERDICTS = {
    "pass": Verdict.PASS,
    "fail": Verdict.FAIL,
    "insufficient_sample": Verdict.INSUFFICIENT,
    "not_run": Verdict.NOT_ASSESSED,
    "not_applicable": Verdict.NOT_APPLICABLE,
}
VERDICT_TEXT: dict[Verdict, Text] = {
    Verdict.PASS: {"zh": "符合", "en": "pass"},
    Verdict.FAIL: {"zh": "不符合", "en": "fail"},
    Verdict.INSUFFICIENT: {"zh": "样本量不足", "en": "insufficient sample"},
    Verdict.NOT_ASSESSED: {"zh": "未评估", "en": "not run"},
    Verdict.NOT_APPLICABLE: {"zh": "不适用", "en": "not applicable"},
}
MAX_REASON_CHARS = 300


def _reason_text(reason: Any) -> str:
    if isinstance(reason, dict):
        text = "; ".join(f"{k}: {v if isinstance(v, str) else canonical_json(v)}" for k, v in sorted(reason.items()))
    else:
        text = canonical_json(reason)
    return text if len(text) <= MAX_REASON_CHARS else text[:MAX_REASON_CHARS] + "…"


def assessment_contribution(project: Any, lang: str) -> ReportContribution | None:
    """Summary rows, an assessments section and an items annex; None when nothing was ever assessed."""
    try:
        from gaisafe_desktop.core.assess.results import result_items
        from gaisafe_desktop.core.assess.summary import assessment_summary
    except ImportError:
        return None
    if (
        project.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'assessment_results'"
        ).fetchone()
        is None
    ):
        return None
    fw = project.framework
    rows = assessment_summary(project)
    summary: list[SummaryRow] = []
    for r in rows:
        if r.threshold_value is not None:
            threshold: Text = r.threshold  # "≥ 96.0%": the same in both languages
        else:
            spec = fw.assessment(r.assessment)
            threshold = spec.get("rule") or r.threshold
        summary.append(
            SummaryRow(
                check_id=r.check_id,
                check=r.name,
                clause=", ".join(r.clauses),
                threshold=threshold,
                threshold_value=r.threshold_value,
                direction="<=" if r.direction == "max" else ">=",
                n=r.n,
                successes=r.count,
                rate=r.rate,
                ci_low=r.ci_low,
                ci_high=r.ci_high,
                verdict=VERDICTS.get(r.verdict, Verdict.NOT_ASSESSED),
                interval_note=(r.interval_note or "") if r.verdict in ("pass", "fail") else "",
            )
        )
    run = [r for r in rows if r.result_id is not None]
    if not run:
        return ReportContribution(summary=summary)
    bars = [
        RateBar(r.name, r.rate, r.ci_low, r.ci_high, r.threshold_value, "<=" if r.direction == "max" else ">=")
        for r in run
        if r.rate is not None and r.ci_low is not None and r.ci_high is not None
    ]
    blocks: list[Any] = [
        Paragraph(
            {
                "zh": "每项检查的最近一次结果。比率附精确（Clopper-Pearson）95% 区间；结果行在项目文件中受审计日志保护。",
                "en": "The latest result of every check. Rates carry their exact (Clopper-Pearson) 95% interval; "
                "each result row is protected by the audit log of the project file.",
            }
        )
    ]
    if bars:
        blocks.append(RateChart({"zh": "比率与阈值", "en": "Rates against thresholds"}, bars))
    blocks.append(
        Table(
            columns=[
                {"zh": "检查项", "en": "Check"},
                {"zh": "样本量", "en": "n"},
                {"zh": "计数", "en": "Count"},
                {"zh": "结论", "en": "Verdict"},
                {"zh": "运行时间", "en": "Run at"},
                {"zh": "结果编号", "en": "Result id"},
            ],
            rows=[
                (
                    r.name,
                    r.n if r.n is not None else "—",
                    r.count if r.count is not None else "—",
                    VERDICT_TEXT[VERDICTS.get(r.verdict, Verdict.NOT_ASSESSED)],
                    (r.run_at or "")[:19].replace("T", " "),
                    r.result_id,
                )
                for r in run
            ],
            widths=[3.2, 0.8, 0.8, 1.0, 1.5, 0.8],
            numeric_columns={1, 2, 5},
        )
    )
    item_rows = []
    outcomes: Counter[str] = Counter()
    for r in run:
        for item in result_items(project, r.result_id):
            outcomes[item.outcome] += 1
            item_rows.append((r.check_id, item.record_key, item.outcome, _reason_text(item.reason)))
    annexes = []
    if item_rows:
        blocks.append(
            BreakdownChart(
                {"zh": "结果中列出的条目（按结果）", "en": "Items named by the results, by outcome"},
                [(k, float(v)) for k, v in outcomes.items()],
            )
        )
        annexes.append(
            Section(
                key="annex.assessment-items",
                title={"zh": "评估结果列出的条目", "en": "Items named by the assessment results"},
                blocks=[
                    Paragraph(
                        {
                            "zh": "不合格、有争议或未判定的记录及其原因。",
                            "en": "Failing, disputed or unjudged records and why.",
                        }
                    ),
                    Table(
                        columns=[
                            {"zh": "检查项", "en": "Check"},
                            {"zh": "记录键", "en": "Record key"},
                            {"zh": "结果", "en": "Outcome"},
                            {"zh": "原因", "en": "Reason"},
                        ],
                        rows=item_rows,
                        widths=[1.4, 1.6, 0.9, 3.5],
                    ),
                ],
            )
        )
    section = Section(key="assessments", title={"zh": "评估结果", "en": "Assessment results"}, blocks=blocks)
    return ReportContribution(summary=summary, sections=[section], annexes=annexes)


register_report_contributor("assessments", assessment_contribution, default=True)
