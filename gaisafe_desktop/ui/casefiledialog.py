"""What the verification of a case file found: sound or not, signature, every problem named."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout

from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.ui.look import status_color


class CaseFileDialog(QDialog):
    def __init__(self, parent, verification: dict) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Case file verification"))
        self.resize(640, 380)
        ok, trusted = verification["ok"], verification["trusted"]
        if ok and trusted:
            text = _("The case file is intact and signed by a trusted signer.")
        elif ok:
            text = _("The case file is intact, but its signer is not among your trusted certificates.")
        else:
            text = _("The case file does NOT verify: {n} problems. Its project is not opened.").format(
                n=len(verification["problems"])
            )
        self.verdict = QLabel(text)
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet(f"color: {status_color(ok)}; font-weight: bold;")
        self.details = QLabel(
            _("{n} files checked · SHA-256 {sha}").format(n=verification["files_checked"], sha=verification["sha256"])
        )
        self.details.setWordWrap(True)
        self.problems = QListWidget()
        for p in verification["problems"]:
            self.problems.addItem(p["message"])
        self.problems.setVisible(bool(verification["problems"]))
        self.read_only = QLabel(_("The project is opened read-only: nothing in it can be changed.") if ok else "")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (self.verdict, self.details, self.problems, self.read_only):
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addWidget(buttons)
