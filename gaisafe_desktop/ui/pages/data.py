"""Data: datasets with counts, duplicates and the quarantine; import through the dialog and the worker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.core.views import data as core_data
from gaisafe_desktop.ui.importdialog import KIND_LABELS
from gaisafe_desktop.ui.look import icon
from gaisafe_desktop.ui.models import LazyTableModel, ListTableModel
from gaisafe_desktop.ui.pages.base import Page, heading, wrapped


def _dataset_headers() -> list[str]:
    return [
        _("Id"),
        _("Dataset"),
        _("Kind"),
        _("Mode"),
        _("Status"),
        _("Format"),
        _("Records"),
        _("Quarantined"),
        _("Duplicates"),
        _("Empty"),
    ]


def _quarantine_headers() -> list[str]:
    return [_("File"), _("Line"), _("Reason"), _("Detail"), _("Excerpt")]


def _record_headers() -> list[str]:
    return [_("#"), _("Line"), _("Text"), _("Question"), _("Answer"), _("Risk"), _("Flags")]


def _record_display(row, col: int) -> str:
    # row: (id, line, text, question, answer, risk_code, flags); id → position in the dataset
    if col == 0:
        return f"{(row[0] & ((1 << 40) - 1)) + 1:,}"
    if col == 6:
        flags = row[6] or 0
        return ", ".join(t for bit, t in ((1, _("empty")), (2, _("duplicate"))) if flags & bit)
    value = row[col]
    return "" if value is None else str(value).replace("\n", " ")[:160]


def _reason(code: str) -> str:
    from gaisafe_desktop.core.ingest.quarantine import REASONS

    return _(REASONS[code]) if code in REASONS else code


def _quarantine_display(row, col: int) -> str:
    # row: (id, path, line, reason, detail, excerpt)
    if col == 0:
        return str(row[1]).rsplit("/", 1)[-1]
    if col == 1:
        return str(row[2])
    if col == 2:
        return _reason(row[3])
    return str(row[col + 1] or "")[:200]


class DataPage(Page):
    icon_name = "data"

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setAcceptDrops(True)
        self.header = heading()
        self.hint = wrapped()
        self.import_button = QPushButton(icon("import"), "")
        self.import_button.clicked.connect(lambda: self.open_import_dialog())
        self.datasets: list[dict] = []
        self.model = ListTableModel(_dataset_headers)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._show_quarantine)
        self.q_label = QLabel()
        self.q_export = QPushButton(icon("export"), "")
        self.q_export.clicked.connect(self.export_quarantine)
        self.q_model = LazyTableModel(
            _quarantine_headers, lambda: 0, lambda o, n, last: [], display=_quarantine_display
        )
        self.q_table = QTableView()
        self.q_table.setModel(self.q_model)
        self.q_table.verticalHeader().setVisible(False)
        self.q_table.horizontalHeader().setStretchLastSection(True)
        for col, width in ((0, 200), (1, 70), (2, 260), (3, 260)):
            self.q_table.setColumnWidth(col, width)
        top = QHBoxLayout()
        top.addWidget(self.header)
        top.addStretch(1)
        top.addWidget(self.import_button)
        q_top = QHBoxLayout()
        q_top.addWidget(self.q_label, 1)
        q_top.addWidget(self.q_export)
        quarantine = QWidget()
        q_lay = QVBoxLayout(quarantine)
        q_lay.setContentsMargins(0, 0, 0, 0)
        q_lay.addLayout(q_top)
        q_lay.addWidget(self.q_table)
        self.r_label = QLabel()
        self.r_model = LazyTableModel(_record_headers, lambda: 0, lambda o, n, last: [], display=_record_display)
        self.r_table = QTableView()
        self.r_table.setModel(self.r_model)
        self.r_table.verticalHeader().setVisible(False)
        self.r_table.horizontalHeader().setStretchLastSection(True)
        for col, width in ((0, 80), (1, 60), (2, 320), (3, 220), (4, 220), (5, 60)):
            self.r_table.setColumnWidth(col, width)
        records = QWidget()
        r_lay = QVBoxLayout(records)
        r_lay.setContentsMargins(0, 0, 0, 0)
        r_lay.addWidget(self.r_label)
        r_lay.addWidget(self.r_table)
        self.tabs = QTabWidget()
        self.tabs.addTab(records, "")
        self.tabs.addTab(quarantine, "")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.tabs)
        split.setSizes([200, 420])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.hint)
        lay.addWidget(split, 1)
        self.last_summary: dict | None = None
        self.dialog = None
        self.retranslate()

    def title(self) -> str:
        return _("Data")

    def retranslate(self) -> None:
        self.header.setText(self.title())
        self.hint.setText(
            _(
                "Training data, transcripts, question banks and media. Drop files here or click Import. Rows that "
                "cannot be read go to the quarantine with their reason; nothing is silently dropped."
            )
        )
        self.import_button.setText(_("Import…"))
        self.import_button.setToolTip(_("Import files (Ctrl+I)"))
        self.q_export.setText(_("Export quarantine…"))
        self.tabs.setTabText(0, _("Records"))
        self.tabs.setTabText(1, _("Quarantine"))
        self.model.retranslate()
        self.q_model.retranslate()
        self.r_model.retranslate()
        self._show_quarantine()

    def refresh(self) -> None:
        if self.project is None:
            return
        self.import_button.setEnabled(not self.project.read_only)
        self.datasets = core_data.list_datasets(self.project)
        self.model.set_rows(
            [
                (
                    d["id"],
                    d["name"],
                    _(KIND_LABELS.get(d["kind"], d["kind"])),
                    _("register-only") if d["mode"] == "register" else _("full import"),
                    _("complete") if d["status"] == "complete" else _("unfinished"),
                    d["format"],
                    f"{d['records']:,}",
                    f"{d['quarantined']:,}",
                    f"{d['duplicates']:,}",
                    f"{d['empty']:,}",
                )
                for d in self.datasets
            ],
            [_("Manifest SHA-256 {hash}").format(hash=d["manifest_hash"] or "—") for d in self.datasets],
        )
        self._show_quarantine()

    def selected_dataset(self) -> dict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.datasets[rows[0].row()] if rows and rows[0].row() < len(self.datasets) else None

    def _show_quarantine(self, *args) -> None:
        ds = self.selected_dataset()
        self.q_export.setEnabled(bool(ds and ds["quarantined"]))
        if ds is None or self.project is None:
            self.q_label.setText(_("Select a dataset to see its quarantined rows."))
            self.q_model.set_source(lambda: 0, lambda o, n, last: [])
            self.r_label.setText(_("Select a dataset to see its records."))
            self.r_model.set_source(lambda: 0, lambda o, n, last: [])
            return
        project, dsid = self.project, ds["id"]
        if ds["mode"] == "full":
            self.r_label.setText(
                _("{n} records of {name}, in file order; pages load as you scroll.").format(
                    n=f"{ds['records']:,}", name=ds["name"]
                )
            )
            self.r_model.set_source(
                None, lambda o, n, last: core_data.records_page(project, dsid, last[0] if last else None, n)
            )
        else:
            self.r_label.setText(
                _("{n} records of {name} are registered, not copied: they stay in the files of its manifest.").format(
                    n=f"{ds['records']:,}", name=ds["name"]
                )
            )
            self.r_model.set_source(lambda: 0, lambda o, n, last: [])
        self.q_label.setText(
            _("Quarantine of {name}: {n} rows that could not be taken").format(name=ds["name"], n=ds["quarantined"])
        )
        self.q_model.set_source(
            None, lambda o, n, last: core_data.quarantine_page(project, dsid, last[0] if last else None, n)
        )

    # -- import --------------------------------------------------------------------------------------
    def open_import_dialog(self, files: list[str] | None = None):
        from gaisafe_desktop.ui.importdialog import ImportDialog

        if self.project is None or self.project.read_only:
            return None
        self.dialog = ImportDialog(self, files, run_job=self.window_.run_job)
        self.dialog.accepted.connect(lambda: self.start_import(self.dialog.result_request, self.dialog.source_meta()))
        self.dialog.open()
        return self.dialog

    def start_import(self, request, source_meta=None):
        """Run the import in the background; the table refreshes and the summary shows when it ends."""

        def done(summary: dict) -> None:
            self.last_summary = summary
            self.window_.statusBar().showMessage(
                _("Imported {records} records into {name}: {quarantined} quarantined, {duplicates} duplicates.").format(
                    records=f"{summary['records']:,}",
                    name=summary["name"],
                    quarantined=f"{summary['quarantined']:,}",
                    duplicates=f"{summary['duplicates']:,}",
                ),
                15000,
            )
            self.window_.project_changed()

        return self.window_.run_job(
            core_data.import_job,
            str(self.project.path),
            request,
            actor=self.project.actor,
            source_meta=source_meta,
            title=_("Importing"),
            on_result=done,
            on_cancel=self.window_.project_changed,
        )

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and self.project is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_import_dialog(files)

    def export_quarantine(self) -> None:
        ds = self.selected_dataset()
        if ds is None or self.project is None:
            return
        dest, _f = QFileDialog.getSaveFileName(
            self, _("Export quarantine"), f"{ds['name']}-quarantine.csv", "CSV (*.csv)"
        )
        if dest:
            self.window_.run_job(
                core_data.export_quarantine_job, str(self.project.path), ds["id"], dest, title=_("Exporting quarantine")
            )
