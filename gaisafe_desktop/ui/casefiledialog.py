"""What the verification of a case file found: sound or not, signature, every problem named."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QListWidget, QPushButton, QVBoxLayout

from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.ui.look import status_color


class CaseFileDialog(QDialog):
    def __init__(self, parent, verification: dict, trusted: list[str] | None = None) -> None:
        super().__init__(parent)
        self.verification = verification
        self.trusted = list(trusted or [])
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
        self.signer = QLabel(self._signer_text(verification.get("signature") or {}))
        self.signer.setWordWrap(True)
        self.trust_button = QPushButton(_("Trust a signer's certificate and verify again…"))
        self.trust_button.setVisible(ok and not trusted)
        self.trust_button.clicked.connect(self.choose_certificate)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (self.verdict, self.details, self.signer, self.problems, self.read_only, self.trust_button):
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addWidget(buttons)

    @staticmethod
    def _signer_text(signature: dict) -> str:
        who = signature.get("signer_name") or ""
        if signature.get("signer_organisation"):
            who += f", {signature['signer_organisation']}"
        fingerprint = signature.get("cert_fingerprint_sha256") or ""
        if not (who or fingerprint):
            return ""
        return _("Signed by {who} (certificate SHA-256 {fp})").format(who=who or "?", fp=fingerprint or "?")

    def choose_certificate(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, _("Signer's certificate"), "", _("Certificates (*.pem *.crt *.cer *.der)")
        )
        if path:
            self.verify_again([*self.trusted, path])

    def verify_again(self, trusted: list[str]):
        """Verify the same case file again, trusting ``trusted`` certificates (the window opens the result)."""
        self.accept()
        return self.parent().open_casefile(self.verification["path"], trusted=trusted)
