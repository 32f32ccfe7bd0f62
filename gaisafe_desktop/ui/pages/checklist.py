"""The clause table the new-project wizard shows: every clause, whether it applies under a profile, and why not.

(The checklist screen itself is ``ui/checklist_view.py``.)"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.ui.fwtext import clause_ref, clause_text, reason_text
from gaisafe_desktop.ui.models import ListTableModel


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
