"""Page layout of the PDF report: geometry, colours, paragraph styles and the reportlab plumbing.

``render.py`` builds the story (what goes on the pages); this module says how it looks: A4 with
running header and footer, the one embedded font for every style (``fonts.py``), headings that
become TOC and outline entries, and a canvas that prints "page x of y".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import BaseDocTemplate, Flowable
from reportlab.platypus import Paragraph as RLParagraph

from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.report.fonts import register_fonts
from gaisafe_desktop.core.report.model import Verdict

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
BODY_W = PAGE_W - 2 * MARGIN_X
CELL_SIZE = 7.5
CELL_LEADING = 9.5
CELL_PAD = 3
TABLE_CHUNK = 1000  # rows per LongTable: bounds memory and layout work on very large annexes

HEAD_BG = colors.HexColor("#1F3A5F")
ZEBRA = colors.HexColor("#F3F6F9")
RULE = colors.HexColor("#B8C2CC")
MUTED = colors.HexColor("#5D6D7E")
VERDICT_COLOURS = {
    Verdict.PASS: colors.HexColor("#1E8449"),
    Verdict.FAIL: colors.HexColor("#C0392B"),
    Verdict.INCONCLUSIVE: colors.HexColor("#B9770E"),
    Verdict.INSUFFICIENT: colors.HexColor("#B9770E"),
    Verdict.NOT_ASSESSED: colors.HexColor("#5D6D7E"),
    Verdict.NOT_APPLICABLE: colors.HexColor("#5D6D7E"),
}
VERDICT_LABELS = {
    Verdict.PASS: N_("Pass"),
    Verdict.FAIL: N_("Fail"),
    Verdict.INCONCLUSIVE: N_("Inconclusive"),
    Verdict.INSUFFICIENT: N_("Insufficient sample"),
    Verdict.NOT_ASSESSED: N_("Not assessed"),
    Verdict.NOT_APPLICABLE: N_("Not applicable"),
}
CAUTION = colors.HexColor("#B9770E")
INTERVAL_MARKS = {"crosses": "†", "includes": "‡"}
LONG_TOKEN = re.compile(r"\S{28,}")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_CELL_CHARS = 1200  # a table row must fit on one page: longer cell text is cut, visibly


def clean_text(text: str) -> str:
    """Drop control characters (they would corrupt the PDF text) and normalise line ends."""
    return CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class Styles:
    def __init__(self, lang: str) -> None:
        font = register_fonts()
        wrap = "CJK" if lang == "zh" else None
        base = {"fontName": font, "wordWrap": wrap}
        self.body = ParagraphStyle("body", fontSize=9.5, leading=14, spaceAfter=5, **base)
        self.small = ParagraphStyle("small", fontSize=8, leading=11, textColor=MUTED, **base)
        self.cell = ParagraphStyle("cell", fontSize=CELL_SIZE, leading=CELL_LEADING, **base)
        self.cell_wrap_any = ParagraphStyle("cellany", parent=self.cell, wordWrap="CJK")
        self.cell_num = ParagraphStyle("cellnum", parent=self.cell, alignment=TA_RIGHT)
        self.head = ParagraphStyle("head", parent=self.cell, textColor=colors.white)
        self.head_num = ParagraphStyle("headnum", parent=self.head, alignment=TA_RIGHT)
        self.h1 = ParagraphStyle("h1", fontSize=15, leading=20, spaceBefore=6, spaceAfter=8, textColor=HEAD_BG, **base)
        self.h2 = ParagraphStyle("h2", fontSize=12, leading=16, spaceBefore=8, spaceAfter=5, textColor=HEAD_BG, **base)
        self.h3 = ParagraphStyle("h3", fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=4, **base)
        self.caption = ParagraphStyle("caption", fontSize=8.5, leading=12, spaceBefore=4, spaceAfter=3, **base)
        self.cover_title = ParagraphStyle(
            "ct", fontSize=22, leading=30, alignment=TA_CENTER, textColor=HEAD_BG, spaceAfter=10, **base
        )
        self.cover_sub = ParagraphStyle("cs", fontSize=11.5, leading=17, alignment=TA_CENTER, textColor=MUTED, **base)
        self.toc = [
            ParagraphStyle("toc0", fontSize=10, leading=15, leftIndent=0, firstLineIndent=0, **base),
            ParagraphStyle("toc1", fontSize=9, leading=13, leftIndent=14, firstLineIndent=0, **base),
            ParagraphStyle("toc2", fontSize=8.5, leading=12, leftIndent=28, firstLineIndent=0, **base),
        ]


class Heading(RLParagraph):
    """A heading that becomes a TOC entry and a PDF outline entry when it is placed on a page."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str) -> None:
        super().__init__(escape(text), style)
        self.toc_text = text
        self.toc_level = level
        self.toc_key = key


class NumberedCanvas(rl_canvas.Canvas):
    """Defers page furniture until the page count is known, to print "page x of y"."""

    furniture: Callable[[rl_canvas.Canvas, int, int], None] | None = None

    def __init__(self, *args, **kwargs) -> None:
        kwargs["initialFontName"] = register_fonts()  # no stray non-embedded Helvetica
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self.furniture is not None:
                self.furniture(self, self._pageNumber, total)
            super().showPage()
        super().save()


class ReportDoc(BaseDocTemplate):
    def __init__(self, filename: str, on_page: Callable[[int], None], **kwargs) -> None:
        super().__init__(filename, **kwargs)
        self._on_page = on_page

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab API
        if isinstance(flowable, Heading):
            self.notify("TOCEntry", (flowable.toc_level, flowable.toc_text, self.page, flowable.toc_key))
            self.canv.bookmarkPage(flowable.toc_key)
            self.canv.addOutlineEntry(flowable.toc_text, flowable.toc_key, level=flowable.toc_level, closed=False)

    def afterPage(self) -> None:  # noqa: N802 - reportlab API
        self._on_page(self.page)
