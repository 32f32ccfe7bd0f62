"""The evidence browser: files kept in the project, addressed by SHA-256; add by drag-and-drop or dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.core.store.evidence import list_evidence
from gaisafe_desktop.core.views.jobs import add_evidence_files, export_evidence_file
from gaisafe_desktop.ui.look import icon
from gaisafe_desktop.ui.models import ListTableModel
from gaisafe_desktop.ui.pages.base import Page, heading, wrapped


def _headers() -> list[str]:
    return [_("File name"), _("Size"), _("Type"), _("SHA-256"), _("Added by"), _("Added (UTC)"), _("Linked to")]


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return str(n)


class EvidencePage(Page):
    icon_name = "evidence"

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setAcceptDrops(True)
        self.header = heading()
        self.hint = wrapped()
        self.add_button = QPushButton(icon("add"), "")
        self.add_button.clicked.connect(self.choose_files)
        self.export_button = QPushButton(icon("export"), "")
        self.export_button.clicked.connect(self.export_selected)
        self.model = ListTableModel(_headers)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail = QLabel()
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.header)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.hint)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.detail)
        self.items = []
        self.retranslate()
        self._selection_changed()

    def title(self) -> str:
        return _("Evidence")

    def retranslate(self) -> None:
        self.header.setText(self.title())
        self.hint.setText(
            _(
                "Drop files here or click Add to keep them in the project. Each file is stored once, by its SHA-256, "
                "and every addition is written to the audit log."
            )
        )
        self.add_button.setText(_("Add files…"))
        self.add_button.setToolTip(_("Add evidence files (Ctrl+E)"))
        self.export_button.setText(_("Export…"))
        self.model.retranslate()

    def refresh(self) -> None:
        if self.project is None:
            return
        self.add_button.setEnabled(not self.project.read_only)
        self.items = list_evidence(self.project)
        rows = [
            (
                e.name,
                human_size(e.size),
                e.media_type,
                e.sha256[:16] + "…",
                e.added_by,
                e.added_at[:19].replace("T", " "),
                ", ".join(f"{t}:{i}" for t, i in e.links),
            )
            for e in self.items
        ]
        self.model.set_rows(rows, [e.sha256 for e in self.items])
        self._selection_changed()

    def _selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _selection_changed(self, *args) -> None:
        ev = self._selected()
        self.export_button.setEnabled(ev is not None)
        self.detail.setText(_("SHA-256: {sha}").format(sha=ev.sha256) if ev else "")

    # -- adding --------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        if self.project is None:
            return
        files, _filter = QFileDialog.getOpenFileNames(self, _("Add evidence files"))
        if files:
            self.add_files(files)

    def add_files(self, files: list[str]):
        """Add files in the background; the list refreshes when the job ends."""
        if self.project is None or self.project.read_only:
            return None
        return self.window_.run_job(
            add_evidence_files,
            str(self.project.path),
            [str(f) for f in files],
            actor=self.project.actor,
            title=_("Adding evidence"),
            on_result=lambda _r: self.window_.project_changed(),
            on_cancel=self.window_.project_changed,
        )

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and self.project is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        files = [f for f in files if Path(f).is_file()]
        if files:
            event.acceptProposedAction()
            self.add_files(files)

    # -- export --------------------------------------------------------------------------------------
    def export_selected(self) -> None:
        ev = self._selected()
        if ev is None or self.project is None:
            return
        dest, _filter = QFileDialog.getSaveFileName(self, _("Export evidence"), ev.name)
        if dest:
            self.window_.run_job(
                export_evidence_file, str(self.project.path), ev.sha256, dest, title=_("Exporting evidence")
            )
