"""The import dialog: drop or choose files, see the detected format and encoding, a preview, the
column mapping, and (for training data) the source's metadata. It returns a request; the Data page
runs the import through the worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.i18n import N_, _
from gaisafe_desktop.ui.errors import describe

KIND_LABELS = {
    "training": N_("Training data"),
    "transcripts": N_("Model transcripts"),
    "bank": N_("Question bank"),
    "media": N_("Media folder"),
}
BANK_LABELS = {
    "generated": N_("Generated-content test bank"),
    "should_refuse": N_("Should-refuse bank"),
    "should_not_refuse": N_("Should-not-refuse bank"),
}
SOURCE_CHOICES = {
    "origin": ("", "domestic", "foreign"),
    "source_type": ("", "open_source", "self_collected", "commercial", "user_input"),
    "personal_info": ("unknown", "yes", "no"),
    "sensitive_personal_info": ("unknown", "yes", "no"),
}
CHOICE_LABELS = {
    "": N_("(not stated)"),
    "domestic": N_("Domestic"),
    "foreign": N_("Foreign"),
    "open_source": N_("Open source"),
    "self_collected": N_("Self-collected"),
    "commercial": N_("Commercial"),
    "user_input": N_("User input"),
    "unknown": N_("Unknown"),
    "yes": N_("Yes"),
    "no": N_("No"),
}
SOURCE_LABELS = {
    "origin": N_("Origin:"),
    "source_type": N_("Source type:"),
    "personal_info": N_("Personal information:"),
    "sensitive_personal_info": N_("Sensitive personal information:"),
    "collection_records": N_("Collection records:"),
    "consent_basis": N_("Consent / legal basis:"),
}


class ImportDialog(QDialog):
    """Collects an :class:`ImportRequest` (and source metadata); never writes anything itself."""

    def __init__(self, parent=None, files: list[str] | None = None, run_job=None) -> None:
        super().__init__(parent)
        self.run_job = run_job  # the window's worker; the preview is read off the UI thread
        self.preview_pending = False
        self.setAcceptDrops(True)
        self.setWindowTitle(_("Import data"))
        self.resize(820, 640)
        self.files: list[str] = []
        self.preview = None
        self.kind = QComboBox()
        for key, label in KIND_LABELS.items():
            self.kind.addItem(_(label), key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.drop = QLabel(_("Drop files here, or choose them."))
        self.drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop.setMinimumHeight(48)
        self.drop.setStyleSheet("border: 2px dashed palette(mid); border-radius: 6px; padding: 8px;")
        self.choose = QPushButton(_("Choose files…"))
        self.choose.clicked.connect(self._choose)
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.mapping_box = QGroupBox(_("Column mapping (record field ← column of the file)"))
        self.mapping_form = QFormLayout(self.mapping_box)
        self.mapping: dict[str, QComboBox] = {}
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("default: the first file's name"))
        self.full = QRadioButton(_("Import into the project"))
        self.register = QRadioButton(_("Register only (keep files outside; store their manifest)"))
        self.full.setChecked(True)
        self.bank_kind = QComboBox()
        for key, label in BANK_LABELS.items():
            self.bank_kind.addItem(_(label), key)
        self.version_date = QDateEdit()
        self.version_date.setCalendarPopup(True)
        self.version_date.setDisplayFormat("yyyy-MM-dd")
        from PySide6.QtCore import QDate

        self.version_date.setDate(QDate.currentDate())
        self.bank_box = QGroupBox(_("Question bank"))
        bank_form = QFormLayout(self.bank_box)
        bank_form.addRow(_("Bank:"), self.bank_kind)
        bank_form.addRow(_("Version date:"), self.version_date)
        self.source = QLineEdit()
        self.source_box = QGroupBox(_("Training-data source (5.1)"))
        source_form = QFormLayout(self.source_box)
        source_form.addRow(_("Source name:"), self.source)
        self.licence = QLineEdit()
        self.licence.setPlaceholderText(_("licence or authorisation document (kept as evidence)"))
        licence_browse = QPushButton(_("Browse…"))
        licence_browse.clicked.connect(self._choose_licence)
        licence_row = QHBoxLayout()
        licence_row.addWidget(self.licence, 1)
        licence_row.addWidget(licence_browse)
        source_form.addRow(_("Licence:"), licence_row)
        self.source_inputs: dict[str, QComboBox | QLineEdit] = {}
        for key, label in SOURCE_LABELS.items():
            if key in SOURCE_CHOICES:
                w = QComboBox()
                for c in SOURCE_CHOICES[key]:
                    w.addItem(_(CHOICE_LABELS[c]), c)
            else:
                w = QLineEdit()
            self.source_inputs[key] = w
            source_form.addRow(_(label), w)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Import"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #d93025;")

        top = QFormLayout()
        top.addRow(_("What:"), self.kind)
        drop_row = QHBoxLayout()
        drop_row.addWidget(self.drop, 1)
        drop_row.addWidget(self.choose)
        top.addRow(_("Files:"), drop_row)
        top.addRow(_("Dataset name:"), self.name)
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.full)
        mode_row.addWidget(self.register)
        top.addRow(_("Mode:"), mode_row)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.detected)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.mapping_box, 1)
        side = QVBoxLayout()
        side.addWidget(self.source_box)
        side.addWidget(self.bank_box)
        row.addLayout(side, 1)
        lay.addLayout(row)
        lay.addWidget(self.problem)
        lay.addWidget(self.buttons)
        self._kind_changed()
        if files:
            self.set_files(files)

    # -- files and preview ---------------------------------------------------------------------------
    def _choose(self) -> None:
        if self.kind.currentData() == "media":
            folder = QFileDialog.getExistingDirectory(self, _("Choose a media folder"))
            files = [folder] if folder else []
        else:
            files, _f = QFileDialog.getOpenFileNames(self, _("Choose files to import"))
        if files:
            self.set_files(files)

    def _choose_licence(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Licence or authorisation document"))
        if path:
            self.licence.setText(path)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.set_files(files)

    def set_files(self, files: list[str]) -> None:
        """Show the files and a preview of the first: detected format, encoding, rows, proposed mapping.

        The preview is read by the worker (an Excel sheet or a slow disk must not freeze the dialog).
        """
        from gaisafe_desktop.core.views.data import preview_job

        self.files = [str(f) for f in files]
        names = ", ".join(Path(f).name for f in self.files[:4]) + (" …" if len(self.files) > 4 else "")
        self.drop.setText(names)
        if self.kind.currentData() == "training" and not self.source.text():
            self.source.setText(Path(self.files[0]).stem)
        self.problem.setText("")
        self.preview = None
        self.detected.setText(_("Reading {name}…").format(name=Path(self.files[0]).name))
        self.table.clear()
        self._fill_mapping()
        self.preview_pending = True
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        wanted = (tuple(self.files), self.kind.currentData())

        def shown(preview) -> None:
            if wanted == (tuple(self.files), self.kind.currentData()):
                self._show_preview(preview)

        def failed(exc, _tb) -> None:
            if wanted == (tuple(self.files), self.kind.currentData()):
                self._preview_failed(exc)

        if self.run_job is None:
            try:
                shown(preview_job(self.files[0], self.kind.currentData()))
            except Exception as exc:  # noqa: BLE001 - shown in the dialog
                failed(exc, "")
            return
        self.run_job(
            preview_job,
            self.files[0],
            self.kind.currentData(),
            title=_("Reading {name}").format(name=Path(self.files[0]).name),
            on_result=shown,
            on_error=failed,
        )

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview_pending = False
        self.preview = None
        self.detected.setText("")
        self.table.clear()
        self.problem.setText(describe(exc))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def _show_preview(self, p) -> None:
        self.preview_pending = False
        self.preview = p
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self.detected.setText(
            _("Detected format: {format} · encoding: {encoding} · {n} columns").format(
                format=p.format, encoding=p.encoding or "—", n=len(p.columns)
            )
            + ("" if not p.problems else "  " + _("({n} problem rows in the preview)").format(n=len(p.problems)))
        )
        self.table.clear()
        self.table.setColumnCount(len(p.columns))
        self.table.setRowCount(len(p.rows))
        self.table.setHorizontalHeaderLabels([str(c) for c in p.columns])
        for r, row in enumerate(p.rows):
            for c, col in enumerate(p.columns):
                value = row.get(col)
                text = "" if value is None else str(value)
                self.table.setItem(r, c, QTableWidgetItem(text[:200]))
        self._fill_mapping()

    def _fill_mapping(self) -> None:
        from gaisafe_desktop.core.ingest.mapping import AUTO, FIELDS, REQUIRED

        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.mapping.clear()
        if self.preview is None:
            return
        kind = self.kind.currentData()
        fields = [f for f in FIELDS if f in AUTO.get(kind, ()) or f in REQUIRED.get(kind, ())] or []
        for field in fields:
            combo = QComboBox()
            combo.addItem(_("(none)"), "")
            for col in self.preview.columns:
                combo.addItem(str(col), str(col))
            chosen = self.preview.mapping.get(field, "")
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            self.mapping[field] = combo
            label = field + (" *" if field in REQUIRED.get(kind, ()) else "")
            self.mapping_form.addRow(label, combo)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.source_box.setVisible(kind == "training")
        self.bank_box.setVisible(kind == "bank")
        self.mapping_box.setVisible(kind != "media")
        if self.files:
            self.set_files(self.files)

    # -- result --------------------------------------------------------------------------------------
    def request(self):
        """The import request the user described; raises UsageError if something required is missing."""
        from gaisafe_desktop.core.ingest.importer import ImportRequest
        from gaisafe_desktop.core.ingest.mapping import REQUIRED

        if not self.files:
            raise UsageError(N_("No files given."))
        kind = self.kind.currentData()
        overrides = {}
        for field, combo in self.mapping.items():
            col = combo.currentData()
            proposed = self.preview.mapping.get(field, "") if self.preview else ""
            if col != proposed:
                overrides[field] = col or "-"
        for field in REQUIRED.get(kind, ()):
            if field in self.mapping and not self.mapping[field].currentData():
                raise UsageError(N_("Choose the column for the field {field}."), field=field)
        extra = {}
        if kind == "training":
            if not self.source.text().strip():
                raise UsageError(N_("A source needs a name."))
            licence = self.licence.text().strip()
            if licence and not Path(licence).is_file():
                raise UsageError(N_("Evidence file {path} does not exist."), path=licence)
            extra["source"] = self.source.text().strip()
        if kind == "bank":
            extra["bank_kind"] = self.bank_kind.currentData()
            extra["version_date"] = self.version_date.date().toString("yyyy-MM-dd")
        return ImportRequest(
            kind=kind,
            paths=list(self.files),
            name=self.name.text().strip() or None,
            mode="register" if self.register.isChecked() else "full",
            overrides=overrides,
            **extra,
        )

    def source_meta(self) -> dict | None:
        if self.kind.currentData() != "training":
            return None
        out = {}
        for key, w in self.source_inputs.items():
            out[key] = w.currentData() if isinstance(w, QComboBox) else w.text().strip()
        out["licence_file"] = self.licence.text().strip() or None
        return out

    def accept(self) -> None:
        try:
            self.result_request = self.request()
        except Exception as exc:  # noqa: BLE001 - explained in the dialog, which stays open
            self.problem.setText(describe(exc))
            return
        super().accept()
