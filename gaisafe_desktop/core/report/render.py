"""Render a :class:`ReportModel` to a PDF (reportlab), in a Chinese or an English edition.

The PDF has a cover, a table of contents, a PDF outline (bookmarks), "page x of y" footers,
running headers, document metadata (title, author, subject, creator, language), tables that split
across pages with their header repeated, and charts. Every glyph is drawn with the embedded
WenQuanYi Micro Hei subset, so Chinese never shows as boxes and ``pdftotext`` extracts it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.tableofcontents import TableOfContents

from gaisafe_desktop import __version__
from gaisafe_desktop.core.i18n import N_, localized, normalize_language, translate_to
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.report.charts import breakdown_chart, fit_text, rate_charts
from gaisafe_desktop.core.report.fonts import register_fonts, string_width
from gaisafe_desktop.core.report.layout import (
    BODY_W,
    CAUTION,
    CELL_LEADING,
    CELL_PAD,
    CELL_SIZE,
    HEAD_BG,
    INTERVAL_MARKS,
    LONG_TOKEN,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MAX_CELL_CHARS,
    MUTED,
    PAGE_H,
    PAGE_W,
    RULE,
    TABLE_CHUNK,
    VERDICT_COLOURS,
    VERDICT_LABELS,
    ZEBRA,
    Heading,
    NumberedCanvas,
    ReportDoc,
    Styles,
    clean_text,
)
from gaisafe_desktop.core.report.model import (
    BreakdownChart,
    Cell,
    KeyValues,
    Paragraph,
    RateBar,
    RateChart,
    ReportModel,
    Section,
    SummaryRow,
    Table,
    Text,
    Verdict,
)


@dataclass
class RenderResult:
    path: Path
    lang: str
    pages: int
    bytes: int


class _Renderer:
    def __init__(self, model: ReportModel, lang: str) -> None:
        self.m = model
        self.lang = lang
        self.s = Styles(lang)
        self._bookmarks: set[str] = set()

    def bookmark(self, key: str) -> str:
        """A unique outline key (two contributors may use the same section key)."""
        unique, n = key, 2
        while unique in self._bookmarks:
            unique, n = f"{key}-{n}", n + 1
        self._bookmarks.add(unique)
        return unique

    # --- text helpers -------------------------------------------------------------------------
    def t(self, msgid: str, **params: object) -> str:
        text = translate_to(self.lang, msgid)
        return text.format(**params) if params else text

    def loc(self, value: Text | None) -> str:
        if value is None:
            return ""
        return clean_text(localized(value, self.lang))

    def para(self, text: str, style: ParagraphStyle | None = None) -> RLParagraph:
        return RLParagraph(escape(clean_text(text)).replace("\n", "<br/>"), style or self.s.body)

    def cell(self, value: Cell, numeric: bool = False, width: float | None = None) -> RLParagraph | str:
        """A table cell: a plain string when it fits ``width`` (fast), else a wrapping Paragraph."""
        if value is None:
            return ""
        if isinstance(value, bool):
            text = self.t(N_("yes")) if value else self.t(N_("no"))
        elif isinstance(value, int):
            text = f"{value:,}"
        elif isinstance(value, float):
            text = f"{value:,.4g}"
        else:
            text = self.loc(value)
        if width is not None and "\n" not in text and string_width(text, CELL_SIZE) <= width - 2 * CELL_PAD:
            return text
        limit = MAX_CELL_CHARS
        if width is not None:
            # conservative: CJK glyphs are CELL_SIZE wide; keep the row within ~70% of a page
            lines = int(0.7 * (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) / CELL_LEADING)
            per_line = max(1, int((width - 2 * CELL_PAD) / CELL_SIZE))
            parts = text.split("\n")
            if len(parts) > lines // 2:
                text = "\n".join(parts[: lines // 2]) + " […]"
                parts = parts[: lines // 2]
            limit = min(limit, (lines - len(parts)) * per_line)
        if len(text) > limit:
            text = text[: max(limit, 1)] + " […]"
        markup = escape(text).replace("\n", "<br/>")
        if numeric:
            return RLParagraph(markup, self.s.cell_num)
        style = self.s.cell_wrap_any if LONG_TOKEN.search(text) else self.s.cell
        return RLParagraph(markup, style)

    @staticmethod
    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v:.1%}"

    def interval(self, lo: float | None, hi: float | None) -> str:
        return "—" if lo is None or hi is None else f"{lo:.1%} – {hi:.1%}"

    # --- building blocks ----------------------------------------------------------------------
    def table(
        self,
        columns: Sequence[Text],
        rows: Iterable[Sequence[Cell]],
        widths: Sequence[float] | None = None,
        numeric: set[int] | frozenset[int] = frozenset(),
        extra_styles: Callable[[int, Sequence[Cell]], list[tuple]] | None = None,
    ) -> list[Flowable]:
        """One or more LongTables (chunks of ``TABLE_CHUNK`` rows), header repeated on every page."""
        ncols = len(columns)
        rel = list(widths) if widths else [1.0] * ncols
        total = sum(rel)
        col_w = [BODY_W * w / total for w in rel]
        header = [
            RLParagraph(escape(self.loc(c)), self.s.head_num if i in numeric else self.s.head)
            for i, c in enumerate(columns)
        ]
        out: list[Flowable] = []
        it = iter(rows)
        row_no = 0
        while True:
            chunk = list(itertools.islice(it, TABLE_CHUNK))
            if not chunk and out:
                break
            data = [header]
            style = [
                ("FONTNAME", (0, 0), (-1, -1), register_fonts()),  # tables default to Helvetica
                ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
                ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
            ]
            style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in numeric]
            for r, row in enumerate(chunk, start=1):
                if len(row) != ncols:
                    raise ValueError(f"table row {row_no + r} has {len(row)} cells, expected {ncols}")
                data.append([self.cell(v, i in numeric, col_w[i]) for i, v in enumerate(row)])
                if (row_no + r) % 2 == 0:
                    style.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
                if extra_styles:
                    style.extend(extra_styles(r, row))
            if not chunk:
                data.append([""] * ncols)
                data[1][0] = self.para(self.t(N_("(none)")), self.s.cell)
            row_no += len(chunk)
            tbl = LongTable(data, colWidths=col_w, repeatRows=1, splitByRow=1)
            tbl.setStyle(TableStyle(style))
            out.append(tbl)
            if len(chunk) < TABLE_CHUNK:
                break
        return out

    def key_values(self, items: Sequence[tuple[Text, Text]], first: float = 0.3) -> RLTable:
        data = [
            [RLParagraph(escape(self.loc(k)), self.s.small), self.cell(v if v not in (None, "") else "—")]
            for k, v in items
        ]
        tbl = RLTable(data, colWidths=[BODY_W * first, BODY_W * (1 - first)])
        tbl.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), register_fonts()),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return tbl

    def blocks(self, blocks: Sequence[object]) -> list[Flowable]:
        out: list[Flowable] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                out.append(self.para(self.loc(block.text)))
            elif isinstance(block, KeyValues):
                if block.caption:
                    out.append(self.para(self.loc(block.caption), self.s.caption))
                out.append(self.key_values(block.items))
                out.append(Spacer(1, 6))
            elif isinstance(block, Table):
                if block.caption:
                    out.append(CondPageBreak(40 * mm))
                    out.append(self.para(self.loc(block.caption), self.s.caption))
                out.extend(self.table(block.columns, block.rows, block.widths, block.numeric_columns))
                out.append(Spacer(1, 8))
            elif isinstance(block, RateChart):
                out.extend(KeepTogether([d, Spacer(1, 8)]) for d in rate_charts(block, self.lang, BODY_W))
            elif isinstance(block, BreakdownChart):
                out.append(KeepTogether([breakdown_chart(block, self.lang, BODY_W), Spacer(1, 8)]))
            else:
                raise TypeError(f"unknown report block {type(block).__name__}")
        return out

    def section(self, sec: Section, number: str, level: int) -> list[Flowable]:
        title = f"{number} {self.loc(sec.title)}".strip()
        style = (self.s.h1, self.s.h2, self.s.h3)[min(level, 2)]
        out: list[Flowable] = [Heading(title, style, level, self.bookmark(f"s-{sec.key}"))]
        out.extend(self.blocks(sec.blocks))
        for i, sub in enumerate(sec.subsections, start=1):
            out.extend(self.section(sub, f"{number}.{i}" if number else str(i), level + 1))
        return out

    # --- pages --------------------------------------------------------------------------------
    def cover(self) -> list[Flowable]:
        c = self.m.cover
        out: list[Flowable] = [Spacer(1, 28 * mm)]
        out.append(self.para(self.loc(c.title), self.s.cover_title))
        out.append(
            self.para(
                self.t(N_("Assessment report under the basic security requirements for generative AI services")),
                self.s.cover_sub,
            )
        )
        out.append(self.para(self.t(N_("TC260 draft 2024 / GB/T 45654-2025")), self.s.cover_sub))
        out.append(Spacer(1, 14 * mm))
        fw = c.framework_id + (f" {c.framework_version}" if c.framework_version else "")
        period = " – ".join(x for x in (c.start_date, c.end_date) if x)
        items: list[tuple[Text, Text]] = [
            (self.t(N_("Provider")), c.provider),
            (self.t(N_("Service")), c.service),
            (self.t(N_("Model")), " ".join(x for x in (c.model_name, c.model_version) if x)),
            (self.t(N_("Framework")), fw),
            (self.t(N_("Framework pack SHA-256")), c.framework_hash),
            (self.t(N_("Scope")), self.loc(c.scope)),
            (self.t(N_("Assessment period")), period),
            (self.t(N_("Report date")), c.report_date),
            (self.t(N_("Project id")), c.project_uuid),
            (self.t(N_("Audit-log head hash")), self.m.audit_head_hash),
        ]
        out.append(self.key_values(items))
        if c.people:
            out.append(Spacer(1, 8 * mm))
            out.append(self.para(self.t(N_("Audit team")), self.s.h3))
            rows = [(p.name, ", ".join(self.loc(r) for r in p.roles), p.organisation, p.email) for p in c.people]
            out.extend(
                self.table(
                    [self.t(N_("Name")), self.t(N_("Role")), self.t(N_("Organisation")), self.t(N_("E-mail"))],
                    rows,
                    [1.2, 1.2, 1.6, 1.6],
                )
            )
        out.append(Spacer(1, 8 * mm))
        out.append(
            self.para(
                self.t(
                    N_(
                        "This report was generated by GAISafe Desktop {version} on {date}. Its figures can be "
                        "re-verified from the case file; the audit-log head hash above pins the project state it "
                        "was built from."
                    ),
                    version=self.m.app_version or __version__,
                    date=self.m.generated_at,
                ),
                self.s.small,
            )
        )
        out.append(NextPageTemplate("body"))
        out.append(PageBreak())
        return out

    def toc(self) -> list[Flowable]:
        toc = TableOfContents(dotsMinLevel=0)
        toc.levelStyles = self.s.toc
        toc.tableStyle = TableStyle(
            [("FONTNAME", (0, 0), (-1, -1), register_fonts()), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        )
        return [self.para(self.t(N_("Contents")), self.s.h1), toc, PageBreak()]

    def summary(self, number: str) -> list[Flowable]:
        out: list[Flowable] = [
            Heading(f"{number} {self.t(N_('Executive summary'))}", self.s.h1, 0, "s-summary"),
            self.para(
                self.t(
                    N_(
                        "One row per check of Appendix B and clause 5.1 of the standard. The verdict applies the "
                        "standard's rule to the observed rate; the exact (Clopper-Pearson) 95% interval is shown "
                        "beside it, and a verdict the interval does not settle is flagged."
                    )
                )
            ),
        ]
        if not self.m.summary:
            out.append(self.para(self.t(N_("No assessment results are recorded in this project yet.")), self.s.small))
            return out
        cols = [
            self.t(N_("Check")),
            self.t(N_("Clause")),
            self.t(N_("Threshold")),
            self.t(N_("n")),
            self.t(N_("Rate")),
            self.t(N_("95% exact interval")),
            self.t(N_("Verdict")),
        ]
        rows: list[list[Cell]] = []
        colours = []
        for r in self.m.summary:
            verdict = Verdict(r.verdict)
            mark = INTERVAL_MARKS.get(r.interval_note, "")
            rows.append(
                [
                    self.loc(r.check),
                    r.clause,
                    self.loc(r.threshold),
                    r.n if r.n is not None else "—",
                    self.pct(r.rate),
                    self.interval(r.ci_low, r.ci_high),
                    f"{self.t(VERDICT_LABELS[verdict])} {mark}".strip(),
                ]
            )
            colours.append(CAUTION if mark else VERDICT_COLOURS[verdict])

        def verdict_style(r: int, row: Sequence[Cell]) -> list[tuple]:
            return [("TEXTCOLOR", (6, r), (6, r), colours[r - 1])]

        out.extend(self.table(cols, rows, [2.3, 1.1, 2.6, 0.6, 0.7, 1.3, 1.0], {3, 4}, verdict_style))
        notes = {r.interval_note for r in self.m.summary}
        if "crosses" in notes:
            out.append(
                self.para(
                    "† " + self.t(N_("Passes the point rule, but the 95% exact interval crosses the threshold.")),
                    self.s.small,
                )
            )
        if "includes" in notes:
            out.append(
                self.para(
                    "‡ " + self.t(N_("Fails the point rule, but the 95% exact interval still includes the threshold.")),
                    self.s.small,
                )
            )
        for r in self.m.summary:
            if r.note:
                out.append(self.para(f"{self.loc(r.check)}: {self.loc(r.note)}", self.s.small))
        out.append(Spacer(1, 6))
        out.extend(self.summary_charts())
        return out

    def summary_charts(self) -> list[Flowable]:
        out: list[Flowable] = []
        groups: dict[str, list[SummaryRow]] = {">=": [], "<=": []}
        for r in self.m.summary:
            if r.rate is not None and r.ci_low is not None and r.ci_high is not None:
                groups[r.direction if r.direction in groups else ">="].append(r)
        titles = {
            ">=": N_("Qualified and refusal rates that must reach their threshold"),
            "<=": N_("Rates that must not exceed their threshold"),
        }
        for direction, rows in groups.items():
            if not rows:
                continue
            bars = [RateBar(r.check, r.rate, r.ci_low, r.ci_high, r.threshold_value, r.direction) for r in rows]
            chart = RateChart(self.t(titles[direction]), bars)
            out.extend(KeepTogether([d, Spacer(1, 8)]) for d in rate_charts(chart, self.lang, BODY_W))
        return out

    def evidence(self, number: str) -> list[Flowable]:
        out: list[Flowable] = [Heading(f"{number} {self.t(N_('Evidence'))}", self.s.h1, 0, "s-evidence")]
        if not self.m.evidence:
            out.append(self.para(self.t(N_("No evidence files are recorded in this project.")), self.s.small))
            return out
        out.append(
            self.para(self.t(N_("Every evidence file is stored in the project and named here by its SHA-256 digest.")))
        )
        rows = [(e.name, e.sha256, e.size, ", ".join(e.links), e.note) for e in self.m.evidence]
        cols = [
            self.t(N_("File")),
            self.t(N_("SHA-256")),
            self.t(N_("Bytes")),
            self.t(N_("Linked to")),
            self.t(N_("Note")),
        ]
        out.extend(self.table(cols, rows, [1.6, 2.6, 0.7, 1.1, 1.6], {2}))
        return out

    def audit(self, number: str) -> list[Flowable]:
        return [
            Heading(f"{number} {self.t(N_('Audit log'))}", self.s.h1, 0, "s-audit"),
            self.para(
                self.t(
                    N_(
                        "Every change to the project is recorded in an append-only, hash-chained audit log. This "
                        "report was built from the state whose last entry has the hash below; a regulator can "
                        "check the chain with `gaisafe casefile verify`."
                    )
                )
            ),
            self.key_values(
                [
                    (self.t(N_("Audit-log entries")), f"{self.m.audit_entries:,}"),
                    (self.t(N_("Audit-log head hash")), self.m.audit_head_hash),
                ]
            ),
            Spacer(1, 10),
            Heading(f"{number}.1 {self.t(N_('Signatures'))}", self.s.h2, 1, "s-signatures"),
            self.para(
                self.t(
                    N_(
                        "This report is signed electronically (PAdES) by the auditors named on the cover; the lead "
                        "auditor may add a second signature. The signature panel of a PDF reader, or "
                        "`gaisafe report verify`, shows each signature, its signer and certificate fingerprint, and "
                        "whether the document was changed after signing. A printed copy carries no signature."
                    )
                )
            ),
        ]

    def story(self) -> list[Flowable]:
        story = self.cover() + self.toc()
        n = 1
        story += self.summary(str(n))
        for sec in self.m.sections:
            n += 1
            story.append(PageBreak())
            story += self.section(sec, str(n), 0)
        n += 1
        story.append(PageBreak())
        story += self.evidence(str(n))
        n += 1
        story += [Spacer(1, 10)] + self.audit(str(n))
        for i, annex in enumerate(self.m.annexes):
            letter = chr(ord("A") + i) if i < 26 else f"A{i}"
            story.append(PageBreak())
            story += self.section(annex, self.t(N_("Annex {letter}"), letter=letter), 0)
        return story

    # --- page furniture -----------------------------------------------------------------------
    def furniture(self, canv: rl_canvas.Canvas, page: int, pages: int) -> None:
        font = register_fonts()
        canv.saveState()
        canv.setFillColor(MUTED)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        if page > 1:
            canv.setFont(font, 7.5)
            # title on the left, provider · service on the right, each cut to its half of the line
            half = BODY_W / 2 - 6
            canv.drawString(MARGIN_X, PAGE_H - 13 * mm, fit_text(self.loc(self.m.cover.title), half, 7.5))
            right = fit_text(f"{self.m.cover.provider} · {self.m.cover.service}", half, 7.5)
            canv.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 13 * mm, right)
            canv.line(MARGIN_X, PAGE_H - 14.5 * mm, PAGE_W - MARGIN_X, PAGE_H - 14.5 * mm)
        canv.line(MARGIN_X, 14 * mm, PAGE_W - MARGIN_X, 14 * mm)
        canv.setFont(font, 7)
        head = self.m.audit_head_hash[:16]
        left = self.t(N_("Audit-log head {hash}…"), hash=head) if head else "GAISafe Desktop"
        canv.drawString(MARGIN_X, 10 * mm, left)
        canv.drawRightString(PAGE_W - MARGIN_X, 10 * mm, self.t(N_("Page {page} of {pages}"), page=page, pages=pages))
        canv.restoreState()


def render_report(
    model: ReportModel,
    lang: str,
    out: Path | str,
    *,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> RenderResult:
    """Render ``model`` as the ``lang`` edition (``"zh"`` or ``"en"``) into ``out``.

    The file is written to a temporary name and renamed at the end, so a cancelled or failed run
    never leaves half a report. Long annexes report progress per page.
    """
    lang = normalize_language(lang)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    r = _Renderer(model, lang)
    pages_seen = [0]

    def on_page(page: int) -> None:
        pages_seen[0] = max(pages_seen[0], page)
        cancel.raise_if_cancelled()
        progress(page, None, translate_to(lang, N_("rendering page {page}")).format(page=page))

    tmp = out.with_name(out.name + ".part")
    title = localized(model.cover.title, lang)
    doc = ReportDoc(
        str(tmp),
        on_page,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=model.author or ", ".join(p.name for p in model.cover.people),
        subject=r.t(
            N_("Assessment of {service} by {provider}"), service=model.cover.service, provider=model.cover.provider
        ),
        creator=f"GAISafe Desktop {model.app_version or __version__}",
        keywords=["TC260", "GB/T 45654-2025", model.cover.framework_id, model.audit_head_hash],
        lang="zh-CN" if lang == "zh" else "en",
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body", showBoundary=0)
    doc.addPageTemplates([PageTemplate(id="cover", frames=[frame]), PageTemplate(id="body", frames=[frame])])

    class Canvas(NumberedCanvas):
        furniture = staticmethod(r.furniture)

    try:
        doc.multiBuild(r.story(), canvasmaker=Canvas)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise
    os.replace(tmp, out)
    return RenderResult(path=out, lang=lang, pages=pages_seen[0], bytes=out.stat().st_size)


def today() -> str:
    return dt.date.today().isoformat()
