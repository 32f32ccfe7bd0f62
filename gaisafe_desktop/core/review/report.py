"""Report contribution "judgements": the manual spot checks — queues, who judged what, review and
adjudication status, and agreement per annotator pair (percent agreement and Cohen's kappa)."""

from __future__ import annotations

from typing import Any

from gaisafe_desktop.core.report.from_project import ReportContribution, register_report_contributor
from gaisafe_desktop.core.report.model import Paragraph, Section, Table


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def judgements_contribution(project: Any, lang: str) -> ReportContribution | None:
    """One annex per project with the queues' status and agreement; None without queues."""
    from gaisafe_desktop.core.review.agreement import queue_agreement
    from gaisafe_desktop.core.review.progress import queue_stats
    from gaisafe_desktop.core.review.queues import CHECKS, list_queues

    has = project.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_queues'").fetchone()
    if has is None:
        return None
    queues = list_queues(project)
    if not queues:
        return None
    status_rows, people_rows, pair_rows = [], [], []
    for q in queues:
        s = queue_stats(project, q)
        status_rows.append(
            (
                q.name,
                CHECKS[q.check_id],
                q.items,
                s["annotating"],
                s["to_review"],
                s["to_adjudicate"],
                s["reviewed"],
                s["done"],
            )
        )
        for p in s["people"]:
            people_rows.append(
                (q.name, p["person"], f"{p['judged']} / {p['total']}", p["skipped"], _pct(p["qualified_rate"]))
            )
        for a in queue_agreement(project, q):
            pair_rows.append((q.name, a.a, a.b, a.n, _pct(a.percent), "—" if a.kappa is None else f"{a.kappa:.3f}"))
    blocks = [
        Paragraph(
            {
                "zh": "人工抽检在抽检工作台完成：每个决定单独成事务并记入审计日志；标注与复核由不同人员进行（标准 5.3），"
                "每条不合格判定至少经另一人复核，盲态双人标注的分歧经裁定。队列的条目与分配以 SHA-256 摘要固定。",
                "en": "Manual spot checks were done in the workbench: every decision is its own transaction in the "
                "audit log; annotation and review are done by different people (standard 5.3), every unqualified "
                "judgement is reviewed by another person, and disagreements of blind double annotation are "
                "adjudicated. Each queue's items and assignment are fixed by a SHA-256 digest.",
            }
        ),
        Table(
            columns=[
                {"zh": "队列", "en": "Queue"},
                {"zh": "抽检项", "en": "Check"},
                {"zh": "条数", "en": "Items"},
                {"zh": "标注中", "en": "Annotating"},
                {"zh": "待复核", "en": "To review"},
                {"zh": "待裁定", "en": "To adjudicate"},
                {"zh": "已复核", "en": "Reviewed"},
                {"zh": "已完成", "en": "Done"},
            ],
            rows=status_rows,
            widths=[1.2, 2.6, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8],
            numeric_columns={2, 3, 4, 5, 6, 7},
        ),
        Table(
            columns=[
                {"zh": "队列", "en": "Queue"},
                {"zh": "标注员", "en": "Annotator"},
                {"zh": "已完成", "en": "Done"},
                {"zh": "已跳过", "en": "Skipped"},
                {"zh": "合格率", "en": "Qualified"},
            ],
            rows=people_rows,
            widths=[1.2, 2.4, 1, 0.8, 0.9],
        ),
    ]
    if pair_rows:
        blocks.append(
            Table(
                columns=[
                    {"zh": "队列", "en": "Queue"},
                    {"zh": "标注员 A", "en": "Annotator A"},
                    {"zh": "标注员 B", "en": "Annotator B"},
                    {"zh": "共同条数", "en": "Common items"},
                    {"zh": "一致率", "en": "Agreement"},
                    {"zh": "Cohen's kappa", "en": "Cohen's kappa"},
                ],
                rows=pair_rows,
                widths=[1.2, 1.8, 1.8, 0.9, 0.9, 0.9],
                numeric_columns={3},
            )
        )
    return ReportContribution(
        annexes=[
            Section(
                key="judgements",
                title={"zh": "人工抽检与标注一致性", "en": "Manual spot checks and agreement"},
                blocks=blocks,
            )
        ]
    )


register_report_contributor("judgements", judgements_contribution)
