"""The report model: everything a PDF report shows, as plain typed data (no reportlab here).

The renderer (``render.py``) turns one :class:`ReportModel` into a Chinese or an English PDF. Text
that comes from data is a :data:`Text`: either a plain string (shown as is in both editions: names,
ids, hashes) or a bilingual ``{"zh": ..., "en": ...}`` dict picked with ``localized(value, lang)``.
Fixed wording (headings, column titles) is not in the model: the renderer translates it.

Who fills what:
- ``from_project.py`` fills the cover, people, service profile, evidence list and audit-log head.
- Assessments, sampling, checklist and review fill the summary rows, their sections and annexes by
  registering a *section provider* (see ``from_project.register_section_provider``) that returns the
  dataclasses below; they never touch reportlab.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

Text = str | dict[str, str]
"""A plain string, or bilingual ``{"zh": ..., "en": ...}`` data."""

Cell = str | int | float | dict[str, str] | None
"""One table cell: text, a number (formatted by the renderer) or nothing."""


class Verdict(StrEnum):
    """Outcome of one check, as shown in the executive summary."""

    PASS = "pass"  # the standard's point rule is met
    FAIL = "fail"
    INSUFFICIENT = "insufficient_sample"  # fewer items than the standard requires
    INCONCLUSIVE = "inconclusive"  # for checks without a point rule that could not be decided
    NOT_ASSESSED = "not_assessed"
    NOT_APPLICABLE = "not_applicable"


@dataclass
class Person:
    """A person named on the cover (auditors, reviewers)."""

    name: str
    roles: list[Text] = field(default_factory=list)
    organisation: str = ""
    email: str = ""


@dataclass
class CoverData:
    """The cover page."""

    title: Text
    provider: str
    service: str
    model_name: str = ""
    model_version: str = ""
    framework_id: str = ""
    framework_version: str = ""
    framework_hash: str = ""
    project_uuid: str = ""
    scope: Text = ""
    start_date: str = ""
    end_date: str = ""
    report_date: str = ""
    people: list[Person] = field(default_factory=list)


@dataclass
class SummaryRow:
    """One executive-summary row: one check of Appendix B or clause 5.1.

    ``rate`` and the interval are proportions in [0, 1]; ``threshold`` is the rule as text
    (e.g. ``"≥ 96%"``) and ``threshold_value``/``direction`` let charts draw the line.
    """

    check_id: str
    check: Text
    clause: str = ""
    threshold: Text = ""
    threshold_value: float | None = None
    direction: str = ">="  # ">=" the rate must reach the threshold; "<=" it must not exceed it
    n: int | None = None
    successes: int | None = None
    rate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    verdict: Verdict = Verdict.NOT_ASSESSED
    interval_note: str = ""  # "crosses": passes the point rule but the interval crosses the threshold;
    # "includes": fails the point rule but the interval still includes the threshold; "clear" or ""
    note: Text = ""

    @classmethod
    def from_rate_verdict(cls, check_id: str, check: Text, clause: str, v: object) -> SummaryRow:
        """A row from ``core.stats.verdict.judge_rate(...)``'s result (the one way to judge a rate)."""
        from gaisafe_desktop.core.stats.verdict import FAIL, INSUFFICIENT, NOT_RUN, PASS, pct

        mapping = {
            PASS: Verdict.PASS,
            FAIL: Verdict.FAIL,
            INSUFFICIENT: Verdict.INSUFFICIENT,
            NOT_RUN: Verdict.NOT_ASSESSED,
        }
        direction = ">=" if v.direction == "min" else "<="
        return cls(
            check_id=check_id,
            check=check,
            clause=clause,
            threshold=f"{'≥' if direction == '>=' else '≤'} {pct(v.threshold)}",
            threshold_value=v.threshold,
            direction=direction,
            n=v.n,
            successes=v.count,
            rate=v.rate,
            ci_low=v.ci_low,
            ci_high=v.ci_high,
            verdict=mapping.get(v.verdict, Verdict.NOT_ASSESSED),
            interval_note=v.interval_note if v.verdict in (PASS, FAIL) else "",
        )


@dataclass
class Paragraph:
    """A paragraph of running text."""

    text: Text


@dataclass
class KeyValues:
    """A two-column list of labelled facts (e.g. the service profile)."""

    items: list[tuple[Text, Text]]
    caption: Text = ""


@dataclass
class Table:
    """A table that may span pages; its header row repeats on every page.

    ``rows`` may be any iterable (a generator over a large annex is fine: it is consumed once, in
    chunks). ``widths`` are relative column widths; ``None`` means equal widths.
    """

    columns: list[Text]
    rows: Iterable[Sequence[Cell]]
    widths: list[float] | None = None
    caption: Text = ""
    numeric_columns: set[int] = field(default_factory=set)  # right-aligned


@dataclass
class RateBar:
    """One rate with its exact interval, drawn against the threshold line."""

    label: Text
    rate: float
    ci_low: float
    ci_high: float
    threshold: float | None = None
    direction: str = ">="


@dataclass
class RateChart:
    """Rates with interval bars against their thresholds (one row per check)."""

    title: Text
    bars: list[RateBar]


@dataclass
class BreakdownChart:
    """Horizontal bars: a count or rate per category (risk code, source, aspect)."""

    title: Text
    items: list[tuple[Text, float]]
    value_format: str = "{:,.0f}"  # "{:.1%}" for rates


Block = Paragraph | KeyValues | Table | RateChart | BreakdownChart
"""Anything a section can hold."""


@dataclass
class Section:
    """A numbered section (or annex) with its blocks and sub-sections."""

    key: str  # stable id, e.g. "assess.b22"; used for the PDF outline
    title: Text
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class EvidenceRef:
    """An evidence file named in the report."""

    name: str
    sha256: str
    size: int
    media_type: str = ""
    links: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class ReportModel:
    """A whole report. Render it with ``render.render_report(model, lang, path)``."""

    cover: CoverData
    summary: list[SummaryRow] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    annexes: list[Section] = field(default_factory=list)
    evidence: list[EvidenceRef] = field(default_factory=list)
    audit_head_hash: str = ""
    audit_entries: int = 0
    generated_at: str = ""
    app_version: str = ""
    author: str = ""
