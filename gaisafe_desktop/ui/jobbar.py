"""The status-bar strip that shows the running job: title, progress bar, ETA and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.ui.lang import on_language_change
from gaisafe_desktop.ui.look import icon
from gaisafe_desktop.ui.workers import Job, JobRunner, format_eta


class JobBar(QWidget):
    """Follows the jobs of a :class:`JobRunner`; hidden while nothing runs."""

    def __init__(self, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.job: Job | None = None
        self.title = QLabel()
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(180)
        self.bar.setTextVisible(True)
        self.eta = QLabel()
        self.cancel_button = QPushButton(icon("cancel"), "")
        self.cancel_button.clicked.connect(self.cancel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.bar, self.eta, self.cancel_button):
            lay.addWidget(w)
        runner.job_started.connect(self._follow)
        runner.job_done.connect(self._done)
        on_language_change(self.retranslate)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setToolTip(_("Stop this job (Esc)"))
        if self.job is not None:
            self.title.setText(self.job.title)

    def _follow(self, job: Job) -> None:
        self.job = job
        self.title.setText(job.title)
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.eta.setText("")
        self.cancel_button.setEnabled(True)
        job.signals.progress.connect(self._progress)
        self.show()

    def _progress(self, done: int, total, message: str) -> None:
        if self.job is None:
            return
        if total:
            # QProgressBar is int32: report per mille so byte counts of large files fit.
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(done, total) / total))
        else:
            self.bar.setRange(0, 0)
        eta = format_eta(self.job.eta_seconds(done, total))
        self.eta.setText(_("{eta} left").format(eta=eta) if eta else "")
        if message:
            self.title.setText(f"{self.job.title} — {message}")

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.title.setText(_("Cancelling…"))

    def _done(self, job: Job) -> None:
        if job is self.job:
            self.job = None
            if not self.runner.running:
                self.hide()
