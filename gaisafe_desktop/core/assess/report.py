"""The assessments' part of the PDF report: summary rows, a section per check, annexes of failing items.

Registered with ``core.report.from_project`` as the ``"assessments"`` contributor. Texts are made
in the edition's language (the current language is switched while the rows are built).
"""

from __future__ import annotations

from gaisafe_desktop.core.assess.results import result_items
from gaisafe_desktop.core.assess.summary import assessment_summary, verdict_name
from gaisafe_desktop.core.i18n import _, localized, using_language
from gaisafe_desktop.core.report.from_project import ReportContribution, register_report_contributor
from gaisafe_desktop.core.report.model import (
    BreakdownChart,
    Paragraph,
    RateBar,
    RateChart,
    Section,
    SummaryRow,
    Table,
    Verdict,
)

ANNEX_LIMIT = 2000  # items listed per check in the annex; the full list stays in the project file


def report_verdict(verdict: str) -> Verdict:
    """The report's verdict is the standard's point rule; the interval note travels beside it
    (``SummaryRow.interval_note``), so "passes, but the interval crosses the threshold" stays a pass."""
    return {"pass": Verdict.PASS, "fail": Verdict.FAIL, "insufficient_sample": Verdict.INSUFFICIENT}.get(
        verdict, Verdict.NOT_ASSESSED
    )


def _breakdown(row) -> list[BreakdownChart]:
    d = row.detail
    charts = []
    if isinstance(d.get("breakdown"), dict) and d["breakdown"]:
        charts.append(
            BreakdownChart(
                _("Refusal rate by {what}").format(what=_("risk code") if d.get("by") == "risk_code" else _("aspect")),
                [(k, v["rate"]) for k, v in d["breakdown"].items()],
                value_format="{:.1%}",
            )
        )
    if isinstance(d.get("per_risk"), dict) and d["per_risk"] and row.check_id != "generated_bank":
        charts.append(BreakdownChart(_("Unqualified items by risk code"), sorted(d["per_risk"].items())))
    return charts


def contribute(project, lang: str) -> ReportContribution | None:
    """Summary rows, sections and annexes of every stored assessment result."""
    with using_language(lang):
        rows = assessment_summary(project)
        if all(r.result_id is None for r in rows):
            return None
        part = ReportContribution()
        bars = []
        for r in rows:
            part.summary.append(
                SummaryRow(
                    check_id=r.check_id,
                    check=localized(r.name, lang),
                    clause=", ".join(r.clauses),
                    threshold=r.threshold,
                    threshold_value=r.threshold_value,
                    direction="<=" if r.direction == "max" else ">=",
                    n=r.n,
                    successes=r.count,
                    rate=r.rate,
                    ci_low=r.ci_low,
                    ci_high=r.ci_high,
                    verdict=report_verdict(r.verdict),
                    interval_note=r.interval_note or "" if r.verdict in ("pass", "fail") else "",
                    note=r.explanation,
                )
            )
            if r.rate is not None and r.ci_low is not None:
                bars.append(
                    RateBar(
                        r.check_id,
                        r.rate,
                        r.ci_low,
                        r.ci_high,
                        r.threshold_value,
                        "<=" if r.direction == "max" else ">=",
                    )
                )
        subsections = []
        for r in rows:
            blocks = [Paragraph(f"{verdict_name(r.verdict)} — {r.explanation}")]
            if r.missing:
                blocks.append(Table([_("What is missing")], [[m] for m in r.missing]))
            blocks += _breakdown(r)
            subsections.append(
                Section(f"assess.{r.check_id}", f"{localized(r.name, lang)} ({', '.join(r.clauses)})", blocks)
            )
        part.sections.append(
            Section(
                "assess",
                _("Assessments"),
                [
                    Paragraph(
                        _(
                            "Each verdict applies the standard's point rule; the 95% exact (Clopper-Pearson) interval "
                            "is shown beside it."
                        )
                    ),
                    RateChart(_("Rates and 95% intervals against the thresholds"), bars),
                ],
                subsections,
            )
        )
        annex = []
        for r in rows:
            if not r.result_id:
                continue
            items = result_items(project, r.result_id)
            if not items:
                continue
            shown = items[:ANNEX_LIMIT]
            blocks = [
                Table(
                    [_("Record"), _("Outcome"), _("Why")],
                    [[i.record_key, i.outcome, _reason(i.reason)] for i in shown],
                    widths=[3, 1.2, 5],
                )
            ]
            if len(items) > len(shown):
                blocks.insert(
                    0,
                    Paragraph(
                        _("The first {k} of {n} items; the project file holds all.").format(k=len(shown), n=len(items))
                    ),
                )
            annex.append(Section(f"assess.items.{r.check_id}", localized(r.name, lang), blocks))
        if annex:
            part.annexes.append(Section("assess.items", _("Items found by the assessments"), [], annex))
        return part


def _reason(reason: dict) -> str:
    bits = []
    for k in ("risk_codes", "codes"):
        if reason.get(k):
            bits.append(", ".join(reason[k]))
    if reason.get("keyword"):
        bits.append(_("keywords: {terms}").format(terms=", ".join(t for t, _r in reason["keyword"][:5])))
    if isinstance(reason.get("classifier"), dict) and reason["classifier"].get("risky"):
        bits.append(_("classifier: {codes}").format(codes=", ".join(reason["classifier"]["codes"]) or "—"))
    if reason.get("label"):
        bits.append(
            _("detector: {label} (rules {rules}, model {model})").format(
                label=reason["label"], rules=reason.get("rules_label"), model=reason.get("model_label") or "—"
            )
        )
    if reason.get("judge"):
        bits.append(_("judged by {who}").format(who=reason["judge"]))
    if reason.get("question_id"):
        bits.append(str(reason["question_id"]))
    return "; ".join(bits)[:300]


register_report_contributor("assessments", contribute)
