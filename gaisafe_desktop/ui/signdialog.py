"""Sign the reports and export the signed case file: choose or create a key, give its password."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.ui.errors import describe


class SignExportDialog(QDialog):
    """Collects key, password, reports and output; the window runs the job."""

    def __init__(self, parent, project_path: Path, reports: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sign and export case file"))
        self.resize(620, 440)
        self.key = QComboBox()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit(_("Lead auditor approval"))
        self.reports = reports
        self.sign_reports = QCheckBox(
            _("Sign and include the exported reports ({n})").format(n=len(reports))
            if reports
            else _("No report exported yet (Project → Export report)")
        )
        self.sign_reports.setChecked(bool(reports))
        self.sign_reports.setEnabled(bool(reports))
        self.out = QLineEdit(str(project_path.with_suffix(".gaicase")))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("Key:"), self.key)
        form.addRow(_("Password:"), self.password)
        form.addRow(_("Reason:"), self.reason)
        form.addRow("", self.sign_reports)
        form.addRow(_("Case file:"), out_row)
        self.new_box = QGroupBox(_("New key (self-signed certificate, kept in your key store)"))
        self.new_name = QLineEdit()
        self.new_org = QLineEdit()
        self.new_email = QLineEdit()
        self.new_password = QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.create_button = QPushButton(_("Create key"))
        self.create_button.clicked.connect(self.create_key)
        new_form = QFormLayout(self.new_box)
        new_form.addRow(_("Name:"), self.new_name)
        new_form.addRow(_("Organisation:"), self.new_org)
        new_form.addRow(_("E-mail:"), self.new_email)
        new_form.addRow(_("Password (8+ characters):"), self.new_password)
        new_form.addRow("", self.create_button)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #d93025;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign and export"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.new_box)
        lay.addWidget(self.problem)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.fill_keys()

    def fill_keys(self, select: str | None = None) -> None:
        from gaisafe_desktop.core.report.keys import list_keys

        self.key.clear()
        for k in list_keys():
            self.key.addItem(f"{k.name} — {k.organisation} ({k.key_id})", k.key_id)
        if select:
            self.key.setCurrentIndex(max(0, self.key.findData(select)))

    def create_key(self) -> None:
        from gaisafe_desktop.core.report.keys import create_key

        try:
            info = create_key(
                self.new_name.text().strip(),
                self.new_org.text().strip(),
                self.new_email.text().strip(),
                self.new_password.text(),
            )
        except Exception as exc:  # noqa: BLE001 - explained in the dialog
            self.problem.setText(describe(exc))
            return
        self.problem.setText("")
        self.fill_keys(info.key_id)
        self.password.setText(self.new_password.text())

    def _browse(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Case file"), self.out.text(), "GAISafe case file (*.gaicase)")
        if path:
            self.out.setText(path)

    def accept(self) -> None:
        if self.key.currentData() is None:
            self.problem.setText(_("Choose a key, or create one."))
            return
        if not self.password.text():
            self.problem.setText(_("Give the key's password."))
            return
        super().accept()

    def request(self) -> dict:
        return {
            "out": self.out.text().strip(),
            "key": self.key.currentData(),
            "password": self.password.text(),
            "reports": list(self.reports) if self.sign_reports.isChecked() else [],
            "reason": self.reason.text().strip(),
        }
