"""Qt item models that adapt core read functions. No SQL and no business logic here.

:class:`LazyTableModel` asks a core function for pages as the view scrolls
(``canFetchMore``/``fetchMore``), so a table of a million rows opens at once and scrolls
without reading what is never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex


class LazyTableModel(QAbstractTableModel):
    """Rows come from ``page(offset, limit, last_row)``, a page at a time as the view scrolls.

    ``last_row`` is the last row already loaded (``None`` for the first page), so the source can
    continue from a key instead of an OFFSET that gets slower the deeper the user scrolls.

    Args:
        headers: a callable returning the translated column titles (called on every language switch).
        count: the number of rows available, or ``None``: then pages are read until one comes back short
            (no full count on the UI thread; count in the background if you want to show it).
        page: up to ``limit`` rows after ``last_row`` (row ``offset`` onwards) as sequences.
        display: turns (row, column) into the shown text; defaults to ``str(row[column])``.
    """

    def __init__(
        self,
        headers: Callable[[], Sequence[str]],
        count: Callable[[], int] | None,
        page: Callable[[int, int, Sequence[Any] | None], list[Sequence[Any]]],
        *,
        display: Callable[[Sequence[Any], int], str] | None = None,
        tooltip: Callable[[Sequence[Any], int], str | None] | None = None,
        page_size: int = 256,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._headers = headers
        self._count = count
        self._page = page
        self._display = display or (lambda row, col: "" if row[col] is None else str(row[col]))
        self._tooltip = tooltip
        self.page_size = page_size
        self._rows: list[Sequence[Any]] = []
        self._total: int | None = 0
        self._exhausted = False
        self.pages_fetched = 0
        self.reload()

    # -- loading -------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Forget loaded rows and start again from the first page (after a filter change or a write)."""
        self.beginResetModel()
        self._rows = []
        self._total = self._count() if self._count is not None else None
        self._exhausted = self._total == 0
        self.pages_fetched = 0
        self.endResetModel()
        if not self._exhausted:
            self.fetchMore(QModelIndex())

    def set_source(self, count, page) -> None:
        """Read from another source (a new filter) and start again."""
        self._count = count
        self._page = page
        self.reload()

    @property
    def total(self) -> int | None:
        """Rows available: the count if known, else ``None`` until the last page has been read."""
        return self._total if self._total is not None else (len(self._rows) if self._exhausted else None)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        start = len(self._rows)
        rows = self._page(start, self.page_size, self._rows[-1] if self._rows else None)
        if len(rows) < self.page_size or (self._total is not None and start + len(rows) >= self._total):
            self._exhausted = True
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.pages_fetched += 1
        self.endInsertRows()

    # -- Qt model interface --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers())

    def row(self, i: int) -> Sequence[Any]:
        return self._rows[i]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and self._tooltip:
            return self._tooltip(row, index.column())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            headers = self._headers()
            return headers[section] if section < len(headers) else None
        return str(section + 1)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.columnCount() - 1))
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))


class ListTableModel(QAbstractTableModel):
    """A small, fully loaded table (evidence list, people, clauses)."""

    def __init__(self, headers: Callable[[], Sequence[str]], parent=None) -> None:
        super().__init__(parent)
        self._headers = headers
        self._rows: list[Sequence[Any]] = []
        self._tooltips: list[str | None] = []
        self._muted: list[bool] = []

    def set_rows(
        self, rows: list[Sequence[Any]], tooltips: list[str | None] | None = None, muted: list[bool] | None = None
    ) -> None:
        """Show ``rows``; ``muted`` rows (e.g. clauses that do not apply) are drawn in grey."""
        self.beginResetModel()
        self._rows = rows
        self._tooltips = tooltips or [None] * len(rows)
        self._muted = muted or [False] * len(rows)
        self.endResetModel()

    def row(self, i: int) -> Sequence[Any]:
        return self._rows[i]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._rows[index.row()][index.column()]
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltips[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and self._muted[index.row()]:
            return QBrush(QColor("#8a8f98"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            headers = self._headers()
            return headers[section] if section < len(headers) else None
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.columnCount() - 1))
