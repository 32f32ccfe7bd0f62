"""Charts drawn with QPainter (no chart library): a rate with its exact interval against the threshold,
and a bar breakdown (by risk code, source or aspect). Both scale with the widget and the theme."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

VERDICT_COLORS = {"pass": "#1f9d55", "fail": "#d93025", "insufficient_sample": "#c77700", "not_run": "#8a8f98"}


def verdict_color(verdict: str) -> str:
    return VERDICT_COLORS.get(verdict, "#8a8f98")


class RateChart(QWidget):
    """The observed rate (dot), its 95% exact interval (band) and the standard's threshold (line).

    The axis is zoomed to the part that matters (from a little below the lower of interval and
    threshold up to 100%) and its two ends are labelled, so 91.9–97.2% against 95% stays readable.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rate: float | None = None
        self.low: float | None = None
        self.high: float | None = None
        self.threshold: float | None = None
        self.verdict = "not_run"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, rate, low, high, threshold, verdict: str) -> None:
        self.rate, self.low, self.high, self.threshold, self.verdict = rate, low, high, threshold, verdict
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(260, 40)

    def axis(self) -> tuple[float, float]:
        values = [v for v in (self.low, self.threshold, self.rate) if v is not None]
        if not values:
            return 0.0, 1.0
        lo = min(values)
        start = max(0.0, math.floor((lo - 0.05) * 20) / 20)
        end = 1.0 if max(values) > 0.5 else min(1.0, math.ceil((max(values) + 0.05) * 20) / 20)
        return start, max(end, start + 0.05)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(pal.ColorRole.WindowText)
        mid = pal.color(pal.ColorRole.Mid)
        fm = p.fontMetrics()
        w, h = self.width(), self.height()
        left, right = 4, w - 4
        track_y = h // 2 - 4
        start, end = self.axis()

        def x(v: float) -> float:
            return left + (right - left) * (v - start) / (end - start)

        p.setPen(QPen(mid, 1))
        p.drawLine(int(left), track_y, int(right), track_y)
        p.setPen(text)
        p.drawText(int(left), h - 2, f"{start:.0%}")
        label = f"{end:.0%}"
        p.drawText(int(right - fm.horizontalAdvance(label)), h - 2, label)
        color = QColor(verdict_color(self.verdict))
        if self.low is not None and self.high is not None:
            band = QColor(color)
            band.setAlpha(70)
            p.fillRect(QRectF(x(self.low), track_y - 6, max(2.0, x(self.high) - x(self.low)), 12), band)
        if self.threshold is not None:
            p.setPen(QPen(text, 2, Qt.PenStyle.DashLine))
            tx = x(self.threshold)
            p.drawLine(int(tx), track_y - 11, int(tx), track_y + 11)
        if self.rate is not None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawEllipse(QRectF(x(self.rate) - 5, track_y - 5, 10, 10))
        p.end()


class BreakdownChart(QWidget):
    """Horizontal bars, largest first (at most ``limit``), each labelled with its key and count."""

    def __init__(self, parent: QWidget | None = None, limit: int = 8) -> None:
        super().__init__(parent)
        self.values: dict[str, int] = {}
        self.limit = limit
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, values: dict[str, int]) -> None:
        self.values = dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[: self.limit])
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(260, 4 + 16 * len(self.values))

    def paintEvent(self, event) -> None:
        if not self.values:
            return
        p = QPainter(self)
        pal = self.palette()
        text = pal.color(pal.ColorRole.WindowText)
        fm = p.fontMetrics()
        label_w = max(fm.horizontalAdvance(k) for k in self.values) + 8
        count_w = max(fm.horizontalAdvance(str(v)) for v in self.values.values()) + 8
        top = max(self.values.values()) or 1
        bar = QColor("#3d7be0")
        for i, (key, value) in enumerate(self.values.items()):
            y = 2 + i * 16
            p.setPen(text)
            p.drawText(0, y + 12, key)
            width = (self.width() - label_w - count_w) * value / top
            p.fillRect(QRectF(label_w, y + 3, max(1.0, width), 10), bar)
            p.drawText(int(label_w + width + 4), y + 12, str(value))
        p.end()
