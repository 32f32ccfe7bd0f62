"""The clause checklist: every clause of the framework, whether it applies to this service and why not."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout

from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.core.store.profile import clause_applicability
from gaisafe_desktop.ui.fwtext import clause_ref, clause_text, reason_text
from gaisafe_desktop.ui.models import ListTableModel
from gaisafe_desktop.ui.pages.base import Page, heading


def applicability_headers() -> list[str]:
    return [_("Clause"), _("Requirement"), _("Applies"), _("Why not")]


def applicability_rows(items: list[dict], only_applicable: bool = False) -> tuple[list[tuple], list[str], list[bool]]:
    """Rows of the clause table, their tooltips, and which rows are muted (clause does not apply)."""
    rows, tips, muted = [], [], []
    for item in items:
        if only_applicable and not item["applies"]:
            continue
        c = item["clause"]
        text = clause_text(c)
        rows.append((clause_ref(c), text, _("Yes") if item["applies"] else _("No"), reason_text(item["reason"])))
        tips.append(text)
        muted.append(not item["applies"])
    return rows, tips, muted


def make_clause_table(model: ListTableModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    return table


class ChecklistPage(Page):
    icon_name = "checklist"

    def __init__(self, window) -> None:
        super().__init__(window)
        self.header = heading()
        self.only = QCheckBox()
        self.only.toggled.connect(self.refresh)
        self.summary = QLabel()
        self.model = ListTableModel(applicability_headers)
        self.table = make_clause_table(self.model)
        top = QHBoxLayout()
        top.addWidget(self.header)
        top.addStretch(1)
        top.addWidget(self.summary)
        top.addWidget(self.only)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        self.retranslate()

    def title(self) -> str:
        return _("Checklist")

    def retranslate(self) -> None:
        self.header.setText(self.title())
        self.only.setText(_("Only clauses that apply"))
        self.model.retranslate()

    def refresh(self) -> None:
        if self.project is None:
            return
        items = clause_applicability(self.project)
        rows, tips, muted = applicability_rows(items, self.only.isChecked())
        self.model.set_rows(rows, tips, muted)
        n = sum(1 for i in items if i["applies"])
        self.summary.setText(_("{n} of {total} clauses apply to this service").format(n=n, total=len(items)))
        self.table.resizeRowsToContents()
