"""Build a review queue from a drawn sample: the dialog, and the job run through the one worker."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from gaisafe_desktop.core.i18n import N_, _, localized
from gaisafe_desktop.core.review.queues import CHECKS, create_queue
from gaisafe_desktop.core.sampling.plans import list_plans
from gaisafe_desktop.core.store.people import list_people

PURPOSE_TO_CHECK = {
    "training_manual": "training_manual",
    "generated_content": "generated_content",
    "refusal_review": "refusal_review",
}


class NewQueueDialog(QDialog):
    """Name, drawn plan, check, annotators, blind double, highlights and classifier scores."""

    created = Signal(str)

    def __init__(self, page) -> None:
        super().__init__(page)
        self.page = page
        project = page.project
        self.setWindowTitle(_("New review queue"))
        self.name = QLineEdit()
        self.plan = QComboBox()
        self.purposes: dict[str, str] = {}
        for p in list_plans(project):
            if p.status == "drawn":
                self.plan.addItem(f"{p.name} ({p.sample_size:,})", p.name)
                self.purposes[p.name] = p.purpose
        self.plan.addItem(_("Refusal-channel disagreements (latest refusal checks)"), "")
        self.purposes[""] = "refusal_review"
        self.check = QComboBox()
        for cid, label in CHECKS.items():
            self.check.addItem(localized(label), cid)
        self.annotators = QListWidget()
        for person in list_people(project, "annotator"):
            it = QListWidgetItem(person.name)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Unchecked)
            self.annotators.addItem(it)
        self.blind = QCheckBox(_("Blind double annotation (two annotators per item, adjudicate disagreements)"))
        self.library = QComboBox()
        self.library.addItem(_("No highlighting"), "")
        self.library.addItem(_("Starter keyword library"), "starter")
        from gaisafe_desktop.core.detect.keywords.versions import list_libraries

        for lib in list_libraries(project):
            self.library.addItem(lib["name"], lib["name"])
        self.library.setCurrentIndex(1)
        self.classifier = QCheckBox(_("Score items with the bundled risk classifier (hidden until asked for)"))
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("Drawn sample"), self.plan)
        form.addRow(_("Check"), self.check)
        form.addRow(_("Annotators"), self.annotators)
        form.addRow("", self.blind)
        form.addRow(_("Highlight keywords of"), self.library)
        form.addRow("", self.classifier)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.plan.currentIndexChanged.connect(self._plan_changed)
        self._plan_changed()

    def _plan_changed(self) -> None:
        purpose = self.purposes.get(self.plan.currentData())
        if purpose in PURPOSE_TO_CHECK:
            self.check.setCurrentIndex(self.check.findData(PURPOSE_TO_CHECK[purpose]))
        if not self.name.text() and self.plan.currentData():
            self.name.setText(str(self.plan.currentData()))

    def chosen_annotators(self) -> list[str]:
        return [
            self.annotators.item(i).text()
            for i in range(self.annotators.count())
            if self.annotators.item(i).checkState() == Qt.CheckState.Checked
        ]

    def start(self):
        """Run ``create_queue`` through the worker; the dialog closes when the job starts."""
        name = self.name.text().strip()
        if not self.chosen_annotators():
            from gaisafe_desktop.core.errors import UsageError
            from gaisafe_desktop.ui.errors import show_error

            show_error(self, UsageError(N_("Assign the queue to at least one annotator (--annotator NAME).")))
            return None
        job = self.page.window_.run_job(
            create_queue,
            self.page.project,
            name,
            plan=self.plan.currentData() or None,
            check_id=self.check.currentData(),
            annotators=self.chosen_annotators(),
            blind_double=self.blind.isChecked(),
            library=self.library.currentData(),
            classifier=self.classifier.isChecked(),
            title=_("Building review queue {name}").format(name=name),
            on_result=lambda q: self.created.emit(q.name),
        )
        self.accept()
        return job
