"""Charts drawn with reportlab graphics: rates with exact intervals against thresholds, and breakdowns.

Both charts are drawn from primitives (rectangles, lines, strings) rather than reportlab's chart
widgets so that the interval bars, the threshold marks and CJK labels are exactly where an auditor
expects them, in either language.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from gaisafe_desktop.core.i18n import N_, localized, translate_to
from gaisafe_desktop.core.report.fonts import register_fonts, string_width
from gaisafe_desktop.core.report.model import BreakdownChart, RateChart

BAR_COLOUR = colors.HexColor("#9DB9D8")
BAR_FAIL_COLOUR = colors.HexColor("#E8A9A1")
CI_COLOUR = colors.HexColor("#1F3A5F")
THRESHOLD_COLOUR = colors.HexColor("#C0392B")
GRID_COLOUR = colors.HexColor("#D5D8DC")
TEXT_COLOUR = colors.HexColor("#222222")

ROW_H = 20.0
MAX_BREAKDOWN_BARS = 40  # 40 rows of 14 pt fit a page with room to spare
MAX_RATE_BARS = 25  # rate charts with more rows are split into several drawings (see ``rate_charts``)
FONT_SIZE = 7.5


def fit_text(text: str, width: float, size: float) -> str:
    """Shorten ``text`` with an ellipsis so it fits ``width`` points."""
    if string_width(text, size) <= width:
        return text
    while text and string_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _axis_range(values: list[float]) -> tuple[float, float]:
    """0–100 %, or a zoomed range (to 100 %) when every value is high, so 96 % vs 98 % is visible."""
    low = min(values) if values else 0.0
    if low >= 0.5:
        start = max(0.0, math.floor((low - 0.05) * 20) / 20)  # 5 % steps, with a margin
        return start, 1.0
    return 0.0, 1.0


def _passes(rate: float, threshold: float | None, direction: str) -> bool:
    if threshold is None:
        return True
    return rate >= threshold if direction == ">=" else rate <= threshold


def rate_charts(chart: RateChart, lang: str, width: float) -> list[Drawing]:
    """One drawing per ``MAX_RATE_BARS`` rows, so that a chart with many checks still fits the pages."""
    if len(chart.bars) <= MAX_RATE_BARS:
        return [rate_chart(chart, lang, width)]
    out = []
    for i in range(0, len(chart.bars), MAX_RATE_BARS):
        part = RateChart(chart.title if i == 0 else "", chart.bars[i : i + MAX_RATE_BARS])
        out.append(rate_chart(part, lang, width))
    return out


def rate_chart(chart: RateChart, lang: str, width: float) -> Drawing:
    """Rows of "rate bar + exact 95 % interval + threshold mark", one per check."""
    font = register_fonts()
    t: Callable[[str], str] = lambda s: translate_to(lang, s)  # noqa: E731
    label_w = width * 0.34
    plot_x = label_w + 6
    plot_w = width - plot_x - 40
    values = [v for b in chart.bars for v in (b.ci_low, b.ci_high, b.rate, b.threshold) if v is not None]
    lo, hi = _axis_range(values)
    span = hi - lo or 1.0

    def x(v: float) -> float:
        return plot_x + (min(max(v, lo), hi) - lo) / span * plot_w

    top_pad, bottom_pad = 18.0, 34.0
    height = top_pad + ROW_H * len(chart.bars) + bottom_pad
    d = Drawing(width, height)
    d.initialFontName = font  # the renderer otherwise selects (non-embedded) Helvetica first
    d.add(String(0, height - 11, fit_text(localized(chart.title, lang), width, 9), fontName=font, fontSize=9))
    plot_top = height - top_pad
    plot_bottom = bottom_pad
    # grid and axis labels
    steps = 10 if span > 0.5 else int(round(span / 0.01 / 5)) or 1
    for i in range(steps + 1):
        v = lo + span * i / steps
        gx = x(v)
        d.add(Line(gx, plot_bottom, gx, plot_top, strokeColor=GRID_COLOUR, strokeWidth=0.4))
        d.add(String(gx, plot_bottom - 10, f"{v:.0%}", fontName=font, fontSize=6.5, textAnchor="middle"))
    for i, bar in enumerate(chart.bars):
        cy = plot_top - ROW_H * (i + 0.5)
        label = fit_text(localized(bar.label, lang), label_w, FONT_SIZE)
        d.add(String(label_w, cy - 2.5, label, fontName=font, fontSize=FONT_SIZE, textAnchor="end"))
        fill = BAR_COLOUR if _passes(bar.rate, bar.threshold, bar.direction) else BAR_FAIL_COLOUR
        d.add(Rect(plot_x, cy - 5, max(x(bar.rate) - plot_x, 0.5), 10, fillColor=fill, strokeColor=None))
        # exact interval: a line with end caps
        x0, x1 = x(bar.ci_low), x(bar.ci_high)
        d.add(Line(x0, cy, x1, cy, strokeColor=CI_COLOUR, strokeWidth=1.2))
        for cap in (x0, x1):
            d.add(Line(cap, cy - 4, cap, cy + 4, strokeColor=CI_COLOUR, strokeWidth=1.2))
        d.add(Rect(x(bar.rate) - 1.5, cy - 1.5, 3, 3, fillColor=CI_COLOUR, strokeColor=None))
        if bar.threshold is not None:
            tx = x(bar.threshold)
            d.add(Line(tx, cy - ROW_H / 2 + 1, tx, cy + ROW_H / 2 - 1, strokeColor=THRESHOLD_COLOUR, strokeWidth=1.4))
        d.add(String(plot_x + plot_w + 4, cy - 2.5, f"{bar.rate:.1%}", fontName=font, fontSize=FONT_SIZE))
    # legend
    ly = 6.0
    lx = plot_x
    d.add(Rect(lx, ly - 1, 14, 7, fillColor=BAR_COLOUR, strokeColor=None))
    lx += 18
    text = t(N_("rate"))
    d.add(String(lx, ly, text, fontName=font, fontSize=7))
    lx += string_width(text, 7) + 14
    d.add(Line(lx, ly + 2.5, lx + 14, ly + 2.5, strokeColor=CI_COLOUR, strokeWidth=1.2))
    lx += 18
    text = t(N_("exact 95% interval (Clopper-Pearson)"))
    d.add(String(lx, ly, text, fontName=font, fontSize=7))
    lx += string_width(text, 7) + 14
    d.add(Line(lx + 3, ly - 2, lx + 3, ly + 7, strokeColor=THRESHOLD_COLOUR, strokeWidth=1.4))
    lx += 10
    d.add(String(lx, ly, t(N_("threshold of the standard")), fontName=font, fontSize=7))
    return d


def breakdown_chart(chart: BreakdownChart, lang: str, width: float) -> Drawing:
    """Horizontal bars, one per category, largest first, with the value at the end of each bar."""
    font = register_fonts()
    items = sorted(chart.items, key=lambda kv: -kv[1])
    if len(items) > MAX_BREAKDOWN_BARS:  # a drawing must fit one page: the tail becomes one bar
        rest = items[MAX_BREAKDOWN_BARS - 1 :]
        label = {"zh": f"其余 {len(rest)} 项（合计）", "en": f"{len(rest)} others (total)"}
        items = items[: MAX_BREAKDOWN_BARS - 1] + [(label, sum(v for _, v in rest))]
    label_w = width * 0.34
    plot_x = label_w + 6
    value_w = 52
    plot_w = width - plot_x - value_w
    top = max((v for _, v in items), default=0) or 1.0
    row_h = 14.0
    height = 18 + row_h * len(items) + 6
    d = Drawing(width, height)
    d.initialFontName = font  # the renderer otherwise selects (non-embedded) Helvetica first
    d.add(String(0, height - 11, fit_text(localized(chart.title, lang), width, 9), fontName=font, fontSize=9))
    for i, (label, value) in enumerate(items):
        cy = height - 18 - row_h * (i + 0.5)
        d.add(
            String(
                label_w,
                cy - 2.5,
                fit_text(localized(label, lang), label_w, FONT_SIZE),
                fontName=font,
                fontSize=FONT_SIZE,
                textAnchor="end",
            )
        )
        w = max(value / top * plot_w, 0.5 if value else 0)
        d.add(Rect(plot_x, cy - 4.5, w, 9, fillColor=BAR_COLOUR, strokeColor=None))
        d.add(String(plot_x + w + 3, cy - 2.5, chart.value_format.format(value), fontName=font, fontSize=FONT_SIZE))
    return d
