"""The audit log: every change, filterable, with the chain's verification status always in sight."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.core.views import auditlog as core_log
from gaisafe_desktop.ui.look import icon
from gaisafe_desktop.ui.models import LazyTableModel
from gaisafe_desktop.ui.pages.base import Page, heading


def _headers() -> list[str]:
    return [_("#"), _("Time (UTC)"), _("Actor"), _("Action"), _("Entity"), _("Row"), _("Details")]


def _display(row, col: int) -> str:
    value = row[col]
    if col == 1:
        return str(value)[:19].replace("T", " ")
    if col == 6:
        text = str(value)
        return text if len(text) <= 120 else text[:117] + "…"
    return "" if value is None else str(value)


def _tooltip(row, col: int) -> str | None:
    if col != 6:
        return None
    try:
        return json.dumps(json.loads(row[6]), ensure_ascii=False, indent=1)[:2000]
    except (TypeError, ValueError):
        return str(row[6])


class AuditLogPage(Page):
    icon_name = "auditlog"

    def __init__(self, window) -> None:
        super().__init__(window)
        self.flt = core_log.AuditFilter()
        self.header = heading()
        self.verify_status = QLabel()
        self.verify_button = QPushButton(icon("verified"), "")
        self.verify_button.clicked.connect(window.verify_now)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.actor = QComboBox()
        self.action = QComboBox()
        self.count = QLabel()
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.actor.currentIndexChanged.connect(self.apply_filter)
        self.action.currentIndexChanged.connect(self.apply_filter)
        self.model = LazyTableModel(_headers, lambda: 0, lambda o, n, last: [], display=_display, tooltip=_tooltip)
        self.counted: int | None = None
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((70, 150, 160, 150, 120, 150)):
            self.table.setColumnWidth(col, width)
        self.search_label, self.actor_label, self.action_label = QLabel(), QLabel(), QLabel()

        top = QHBoxLayout()
        top.addWidget(self.header)
        top.addStretch(1)
        top.addWidget(self.verify_status)
        top.addWidget(self.verify_button)
        filters = QHBoxLayout()
        for label, w in (
            (self.search_label, self.search),
            (self.actor_label, self.actor),
            (self.action_label, self.action),
        ):
            label.setBuddy(w)
            filters.addWidget(label)
            filters.addWidget(w, 2 if w is self.search else 1)
        filters.addWidget(self.count)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(filters)
        lay.addWidget(self.table, 1)
        self.retranslate()

    def title(self) -> str:
        return _("Audit log")

    def retranslate(self) -> None:
        self.header.setText(self.title())
        self.verify_button.setText(_("Verify now"))
        self.search_label.setText(_("&Search:"))
        self.search.setPlaceholderText(_("action, entity, person or detail"))
        self.actor_label.setText(_("Actor:"))
        self.action_label.setText(_("Action:"))
        for combo in (self.actor, self.action):
            if combo.count():
                combo.setItemText(0, _("All"))
        self.model.retranslate()
        if self.project is not None:
            self._show_count()
        self.show_verification(self.window_.verification)

    def refresh(self) -> None:
        if self.project is None:
            return
        for combo, values in (
            (self.actor, core_log.distinct_actors(self.project)),
            (self.action, core_log.distinct_action_groups(self.project)),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("All"), "")
            for v in values:
                combo.addItem(v, v)
            idx = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(idx, 0))
            combo.blockSignals(False)
        self.apply_filter()

    def apply_filter(self) -> None:
        if self.project is None:
            return
        project = self.project
        self.flt = core_log.AuditFilter(
            text=self.search.text(), actor=self.actor.currentData() or "", action=self.action.currentData() or ""
        )
        flt = self.flt
        self.model.set_source(
            None,
            lambda offset, limit, last: core_log.page_entries(
                project, flt, offset, limit, after_seq=last[0] if last else None
            ),
        )
        # The total is counted in the background: a filtered count over a huge log must not freeze the view.
        self.counted = None
        self._show_count()

        def counted(n: int) -> None:
            if flt == self.flt and self.project is project:
                self.counted = n
                self._show_count()

        self.window_.run_job(
            core_log.count_entries_in_file, str(project.path), flt, title=_("Counting entries"), on_result=counted
        )

    def _show_count(self) -> None:
        if self.counted is None:
            self.count.setText(_("counting…"))
        else:
            self.count.setText(_("{n} entries").format(n=f"{self.counted:,}"))

    def show_verification(self, report: dict | None) -> None:
        self.verify_status.setText(verification_text(report))
        self.verify_status.setStyleSheet(verification_style(report))


def verification_text(report: dict | None) -> str:
    if report is None:
        return _("Audit chain: not yet verified")
    if report.get("running"):
        return _("Audit chain: verifying…")
    if report["ok"]:
        return _("Audit chain intact ({n} entries)").format(n=f"{report['entries']:,}")
    first = report["problems"][0]
    return _("Audit chain BROKEN at {where}: {message}").format(where=first["where"], message=first["message"])


def verification_style(report: dict | None) -> str:
    if report is None or report.get("running"):
        return "color: #8a8f98;"
    return "color: #1f9d55; font-weight: bold;" if report["ok"] else "color: #d93025; font-weight: bold;"
