"""Default report contribution "checklist": the clause checklist (issue 8's ``core.checklist``).

Every clause with its applicability (and why not), the auditor's result and observations, and the
evidence linked to it (name and SHA-256), plus progress per section. An area that registers its own
``"checklist"`` contributor replaces this one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from gaisafe_desktop.core.report.from_project import ReportContribution, register_report_contributor
from gaisafe_desktop.core.report.model import BreakdownChart, Paragraph, Section, Table, Text

YES: Text = {"zh": "适用", "en": "applies"}
NO: Text = {"zh": "不适用", "en": "does not apply"}


def _applies_cell(row: Any) -> Text:
    if row.applies:
        return YES
    reason = row.override_reason if row.applies_override else row.reason
    if isinstance(reason, dict) and reason:
        return {
            "zh": f"不适用：{reason.get('zh') or reason.get('en', '')}",
            "en": f"does not apply: {reason.get('en') or reason.get('zh', '')}",
        }
    if isinstance(reason, str) and reason:
        return {"zh": f"不适用：{reason}", "en": f"does not apply: {reason}"}
    return NO


def checklist_contribution(project: Any, lang: str) -> ReportContribution | None:
    """The clause checklist section, or None when this project has no checklist table."""
    try:
        from gaisafe_desktop.core.checklist.checklist import RESULTS, checklist_rows, section_progress
    except ImportError:
        return None
    if (
        project.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checklist'").fetchone()
        is None
    ):
        return None
    rows = checklist_rows(project)
    fw = project.framework
    counts = Counter(r.result for r in rows)
    progress = section_progress(project, rows)
    table_rows = []
    for r in rows:
        evidence = "; ".join(f"{e['name']} ({e['sha256'][:12]}…)" for e in r.evidence)
        table_rows.append(
            (
                r.ref,
                r.text,
                _applies_cell(r),
                RESULTS.get(r.result, r.result),
                r.observations,
                evidence,
            )
        )
    blocks = [
        Paragraph(
            {
                "zh": "每条条款一行：适用性（依据服务画像计算，审核员可说明理由后覆盖）、审核结论、观察记录及关联证据。",
                "en": "One row per clause: applicability (computed from the service profile; an auditor may "
                "override it with a logged reason), the auditor's result, observations and linked evidence.",
            }
        ),
        BreakdownChart(
            {"zh": "条款结论分布", "en": "Clause results"},
            [(RESULTS.get(k, k), float(v)) for k, v in counts.items()],
        ),
        Table(
            columns=[
                {"zh": "章节", "en": "Section"},
                {"zh": "适用条款", "en": "Applicable"},
                {"zh": "已有结论", "en": "With a result"},
                {"zh": "完成度", "en": "Done"},
            ],
            rows=[(p["title"], p["applicable"], p["done"], f"{p['percent']:.0f}%") for p in progress],
            widths=[4, 1, 1, 1],
            numeric_columns={1, 2, 3},
        ),
        Table(
            columns=[
                {"zh": "条款", "en": "Clause"},
                {"zh": "要求", "en": "Requirement"},
                {"zh": "适用性", "en": "Applicability"},
                {"zh": "结论", "en": "Result"},
                {"zh": "观察记录", "en": "Observations"},
                {"zh": "证据", "en": "Evidence"},
            ],
            rows=table_rows,
            widths=[0.7, 3.2, 1.3, 0.9, 1.6, 1.4],
            caption={"zh": f"条款清单（{fw.id}）", "en": f"Clause checklist ({fw.id})"},
        ),
    ]
    return ReportContribution(
        sections=[Section(key="checklist", title={"zh": "条款核查清单", "en": "Clause checklist"}, blocks=blocks)]
    )


register_report_contributor("checklist", checklist_contribution, default=True)
