"""Assessments dashboard: one card per check of Appendix B and 5.1 — verdict, rate, exact interval, n, a
chart against the threshold, the breakdown — and a drill-down to the items behind a verdict."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gaisafe_desktop.core.i18n import _, localized
from gaisafe_desktop.core.views import assessments as core_assess
from gaisafe_desktop.ui.charts import BreakdownChart, RateChart, verdict_color
from gaisafe_desktop.ui.look import icon
from gaisafe_desktop.ui.pages.base import Page, heading, wrapped


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class AssessmentCard(QFrame):
    """One check. Clicking "Items…" opens the drill-down."""

    drill = Signal(dict)

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.row: dict = {}
        self.name = QLabel()
        self.name.setWordWrap(True)
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.badge = QLabel()
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.chart = RateChart()
        self.breakdown = BreakdownChart()
        self.explanation = wrapped()
        self.clauses = QLabel()
        self.clauses.setStyleSheet("color: #8a8f98;")
        self.items_button = QPushButton()
        self.items_button.clicked.connect(lambda: self.drill.emit(self.row))
        top = QHBoxLayout()
        top.addWidget(self.name, 1)
        top.addWidget(self.badge)
        bottom = QHBoxLayout()
        bottom.addWidget(self.clauses, 1)
        bottom.addWidget(self.items_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.figures)
        lay.addWidget(self.chart)
        lay.addWidget(self.breakdown)
        lay.addWidget(self.explanation)
        lay.addStretch(1)
        lay.addLayout(bottom)

    def show_row(self, row: dict) -> None:
        self.row = row
        color = verdict_color(row["verdict"])
        self.setStyleSheet(f"AssessmentCard {{ border: 1px solid palette(mid); border-left: 5px solid {color}; }}")
        self.name.setText(localized(row["name"]))
        self.badge.setText(row["verdict_name"])
        self.badge.setStyleSheet(
            f"background: {color}; color: white; border-radius: 4px; padding: 2px 8px; font-weight: bold;"
        )
        rate_check = bool(row["n"]) and row["threshold_value"] is not None
        if rate_check:
            self.figures.setText(
                _("Rate {rate} ({count}/{n}) · 95% exact interval {low}–{high} · rule {rule}").format(
                    rate=_pct(row["rate"]),
                    count=row["count"],
                    n=row["n"],
                    low=_pct(row["ci_low"]),
                    high=_pct(row["ci_high"]),
                    rule=row["threshold"],
                )
            )
        else:
            self.figures.setText(_("Rule: {rule}").format(rule=row["threshold"]))
        self.chart.setVisible(rate_check)
        if rate_check:
            self.chart.set_values(row["rate"], row["ci_low"], row["ci_high"], row["threshold_value"], row["verdict"])
        self.breakdown.set_values(row.get("breakdown") or {})
        self.breakdown.setVisible(bool(row.get("breakdown")))
        self.explanation.setText(row["explanation"])
        self.explanation.setToolTip("\n".join(row.get("missing") or []))
        self.clauses.setText(_("Clauses: {list}").format(list=", ".join(row["clauses"])))
        self.items_button.setText(_("Items…"))
        self.items_button.setEnabled(row.get("result_id") is not None)


class ItemsDialog(QDialog):
    """The items behind one verdict: record key, outcome, why."""

    def __init__(self, parent, row: dict, items: list[dict]) -> None:
        super().__init__(parent)
        self.setWindowTitle(localized(row["name"]))
        self.resize(860, 520)
        summary = wrapped(row["explanation"])
        self.table = QTableWidget(len(items), 3)
        self.table.setHorizontalHeaderLabels([_("Record"), _("Outcome"), _("Why")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for r, item in enumerate(items):
            self.table.setItem(r, 0, QTableWidgetItem(item["record_key"]))
            self.table.setItem(r, 1, QTableWidgetItem(item["outcome"]))
            self.table.setItem(r, 2, QTableWidgetItem(json.dumps(item["reason"], ensure_ascii=False)[:500]))
        missing = row.get("missing") or []
        lay = QVBoxLayout(self)
        lay.addWidget(summary)
        if missing:
            lay.addWidget(wrapped("\n".join(missing[:30])))
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


class AssessmentsPage(Page):
    icon_name = "assessments"

    def __init__(self, window) -> None:
        super().__init__(window)
        self.header = heading()
        self.hint = wrapped()
        self.run_resources = QPushButton(icon("resources"), "")
        self.run_resources.clicked.connect(self.check_resources)
        self.run_all = QPushButton(icon("assessments"), "")
        self.run_all.clicked.connect(self.run_everything)
        self.summary = QLabel()
        self.cards: list[AssessmentCard] = []
        self.rows: list[dict] = []
        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_holder)
        top = QHBoxLayout()
        top.addWidget(self.header)
        top.addStretch(1)
        top.addWidget(self.summary)
        top.addWidget(self.run_resources)
        top.addWidget(self.run_all)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.hint)
        lay.addWidget(scroll, 1)
        self.dialog = None
        self.retranslate()

    def title(self) -> str:
        return _("Assessments")

    def retranslate(self) -> None:
        self.header.setText(self.title())
        self.hint.setText(
            _(
                "One card per check of Appendix B and 5.1: verdict, rate with its exact 95% interval (band) against "
                "the threshold (dashed line), sample size and breakdown. Items… lists the records behind a verdict."
            )
        )
        self.run_resources.setText(_("Check resources"))
        self.run_all.setText(_("Run all assessments"))
        self.run_all.setToolTip(_("Draws the samples (seed recorded first) and runs every check in the background."))

    def refresh(self) -> None:
        if self.project is None:
            return
        self.rows = core_assess.dashboard_rows(self.project)
        while len(self.cards) < len(self.rows):
            card = AssessmentCard()
            card.drill.connect(self.open_items)
            self.cards.append(card)
        for i, card in enumerate(self.cards):
            if i < len(self.rows):
                card.show_row(self.rows[i])
                self.grid.addWidget(card, i // 2, i % 2)
                card.show()
            else:
                card.hide()
        counts = {}
        for r in self.rows:
            counts[r["verdict_name"]] = counts.get(r["verdict_name"], 0) + 1
        self.summary.setText(" · ".join(f"{k}: {v}" for k, v in counts.items()))
        writable = not self.project.read_only
        self.run_resources.setEnabled(writable)
        self.run_all.setEnabled(writable)

    def card(self, check_id: str) -> AssessmentCard | None:
        for card in self.cards:
            if card.isVisibleTo(self) and card.row.get("check_id") == check_id:
                return card
        return None

    def _run(self, fn, title: str):
        if self.project is None or self.project.read_only:
            return None
        return self.window_.run_job(
            fn,
            str(self.project.path),
            actor=self.project.actor,
            title=title,
            on_result=lambda _n: self.window_.project_changed(),
            on_cancel=self.window_.project_changed,
        )

    def check_resources(self):
        return self._run(core_assess.run_resource_checks_job, _("Checking resources (B.1)"))

    def run_everything(self):
        return self._run(core_assess.run_all_job, _("Running all assessments"))

    def open_items(self, row: dict) -> None:
        if self.project is None or row.get("result_id") is None:
            return
        items = core_assess.failing_items(self.project, row["result_id"])
        self.dialog = ItemsDialog(self, row, items)
        self.dialog.open()
