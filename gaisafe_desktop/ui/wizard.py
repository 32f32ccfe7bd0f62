"""The new-project wizard: framework, service details, service profile, people, and what applies."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from gaisafe_desktop.core.i18n import _, localized
from gaisafe_desktop.core.store import default_actor
from gaisafe_desktop.core.store.people import ROLES
from gaisafe_desktop.core.views.newproject import (
    NewProjectRequest,
    available_frameworks,
    create_project_from_request,
    preview_applicability,
)
from gaisafe_desktop.ui.errors import show_error
from gaisafe_desktop.ui.fwtext import choice_items
from gaisafe_desktop.ui.lang import on_language_change
from gaisafe_desktop.ui.models import ListTableModel
from gaisafe_desktop.ui.pages.checklist import applicability_headers, applicability_rows, make_clause_table


def _framework(fid: str):
    from gaisafe_desktop.core.frameworks import load_framework

    return load_framework(fid)


class FrameworkPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.frameworks = available_frameworks()
        self.combo = QComboBox()
        for fw in self.frameworks:
            self.combo.addItem(fw.id, fw.id)
        self.version = QLabel()
        self.hash = QLabel()
        self.hash.setWordWrap(True)
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.form = QFormLayout(self)
        self.labels = [QLabel() for _i in range(4)]
        for label, w in zip(self.labels, (self.combo, self.title_label, self.version, self.hash), strict=True):
            self.form.addRow(label, w)
        self.combo.currentIndexChanged.connect(self._show)
        self.retranslate()

    def framework_id(self) -> str:
        return self.combo.currentData()

    def _show(self) -> None:
        fw = self.frameworks[self.combo.currentIndex()] if self.frameworks else None
        self.title_label.setText(localized(fw.title) if fw else "")
        self.version.setText(fw.version if fw else "")
        self.hash.setText(fw.pack_hash if fw else "")

    def retranslate(self) -> None:
        self.setTitle(_("Framework"))
        self.setSubTitle(_("The standard this service is audited against. Its version and hash are recorded."))
        for label, text in zip(
            self.labels, (_("&Framework:"), _("Title:"), _("Version:"), _("Pack hash (SHA-256):")), strict=True
        ):
            label.setText(text)
        self.labels[0].setBuddy(self.combo)
        self._show()


class ServicePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.provider = QLineEdit()
        self.service = QLineEdit()
        self.model_name = QLineEdit()
        self.model_version = QLineEdit()
        self.path = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        self.labels = [QLabel() for _i in range(5)]
        form = QFormLayout(self)
        for label, w in zip(
            self.labels[:4], (self.provider, self.service, self.model_name, self.model_version), strict=True
        ):
            label.setBuddy(w)
            form.addRow(label, w)
        self.labels[4].setBuddy(self.path)
        form.addRow(self.labels[4], path_row)
        for edit in (self.provider, self.service, self.path):
            edit.textChanged.connect(self.completeChanged)
        self.retranslate()

    def isComplete(self) -> bool:
        return all(e.text().strip() for e in (self.provider, self.service, self.path))

    def _browse(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Project file"), self.path.text(), "GAISafe (*.gaisafe)")
        if path:
            self.path.setText(path)

    def retranslate(self) -> None:
        self.setTitle(_("Provider and service"))
        self.setSubTitle(_("Who provides the service, what it is called and which model it runs."))
        texts = (_("&Provider:"), _("&Service:"), _("&Model name:"), _("Model &version:"), _("Project &file:"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.browse.setText(_("Browse…"))
        self.provider.setPlaceholderText(_("Company or organisation"))
        self.service.setPlaceholderText(_("Name of the generative-AI service"))


class ProfilePage(QWizardPage):
    """Generated from the framework's profile fields: a check box per yes/no field, a group per multi field."""

    def __init__(self) -> None:
        super().__init__()
        self.framework_id = ""
        self.inputs: dict[str, object] = {}
        self.fields = []
        self.holder = QWidget()
        self.inner = QVBoxLayout(self.holder)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.holder)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll)
        self.retranslate()

    def build(self, framework_id: str) -> None:
        if framework_id == self.framework_id:
            return
        self.framework_id = framework_id
        while self.inner.count():
            item = self.inner.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.inputs.clear()
        fw = _framework(framework_id)
        self.fields = list(fw.profile_fields)
        defaults = fw.default_profile()
        for field in self.fields:
            default = defaults.get(field.id)
            if field.type == "bool":
                box = QCheckBox()
                box.setChecked(bool(default))
                box.toggled.connect(self.completeChanged)
                self.inputs[field.id] = box
                self.inner.addWidget(box)
            else:
                group = QGroupBox()
                row = QHBoxLayout(group)
                boxes = {}
                for cid, _label in choice_items(field):
                    box = QCheckBox()
                    box.setChecked(cid in (default or []))
                    box.toggled.connect(self.completeChanged)
                    row.addWidget(box)
                    boxes[cid] = box
                row.addStretch(1)
                self.inputs[field.id] = (group, boxes)
                self.inner.addWidget(group)
            help_label = QLabel()
            help_label.setWordWrap(True)
            help_label.setStyleSheet("color: palette(mid); margin-left: 20px; margin-bottom: 6px;")
            self.inputs[field.id + "#help"] = help_label
            self.inner.addWidget(help_label)
        self.inner.addStretch(1)
        self.retranslate()

    def profile(self) -> dict:
        out = {}
        for field in self.fields:
            w = self.inputs[field.id]
            if field.type == "bool":
                out[field.id] = w.isChecked()
            else:
                out[field.id] = [cid for cid, box in w[1].items() if box.isChecked()]
        return out

    def isComplete(self) -> bool:
        prof = self.profile()
        for field in self.fields:
            if field.type != "bool" and len(prof[field.id]) < (getattr(field, "min_items", 0) or 0):
                return False
        return True

    def retranslate(self) -> None:
        self.setTitle(_("Service profile"))
        self.setSubTitle(_("What the service does decides which clauses apply. Every choice is recorded."))
        for field in self.fields:
            w = self.inputs[field.id]
            label = localized(field.label)
            if field.type == "bool":
                w.setText(label)
            else:
                minimum = getattr(field, "min_items", 0) or 0
                w[0].setTitle(label + (" " + _("(at least {n})").format(n=minimum) if minimum else ""))
                for cid, text in choice_items(field):
                    w[1][cid].setText(text)
            help_text = localized(getattr(field, "help", "") or "")
            self.inputs[field.id + "#help"].setText(help_text)


class PeoplePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit()
        self.role_boxes = {role: QCheckBox() for role in ROLES}
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.list = QListWidget()
        self.people: list[tuple[str, list[str]]] = []
        self.add_button.clicked.connect(self.add_person)
        self.name.returnPressed.connect(self.add_person)
        self.remove_button.clicked.connect(self.remove_selected)
        self.name_label = QLabel()
        self.name_label.setBuddy(self.name)
        roles = QHBoxLayout()
        for box in self.role_boxes.values():
            roles.addWidget(box)
        roles.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.name_label)
        row.addWidget(self.name, 1)
        row.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addLayout(roles)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.remove_button)
        self.role_boxes["lead_auditor"].setChecked(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.retranslate()

    def add_person(self) -> None:
        name = self.name.text().strip()
        roles = [r for r, box in self.role_boxes.items() if box.isChecked()]
        if not name or not roles or any(n == name for n, _r in self.people):
            self.note.setText(_("Give a name not yet listed and at least one role."))
            return
        self.people.append((name, roles))
        self.name.clear()
        self.note.setText("")
        self._fill()

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.people):
            del self.people[row]
            self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for name, roles in self.people:
            self.list.addItem(QListWidgetItem(f"{name} — {', '.join(localized(ROLES[r]) for r in roles)}"))

    def retranslate(self) -> None:
        self.setTitle(_("People and roles"))
        self.setSubTitle(
            _("Who takes part. Annotators and reviewers must be different people (5.3). You can add people later.")
        )
        self.name_label.setText(_("&Name:"))
        self.add_button.setText(_("&Add person"))
        self.remove_button.setText(_("Remove selected"))
        for role, box in self.role_boxes.items():
            box.setText(localized(ROLES[role]))
        self._fill()


class ApplicabilityPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel()
        self.model = ListTableModel(applicability_headers)
        self.table = make_clause_table(self.model)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        self.items: list[dict] = []
        self.retranslate()

    def show_for(self, framework_id: str, profile: dict) -> None:
        self.items = preview_applicability(framework_id, profile)
        rows, tips, muted = applicability_rows(self.items)
        self.model.set_rows(rows, tips, muted)
        n = sum(1 for i in self.items if i["applies"])
        self.summary.setText(
            _("{n} of {total} clauses apply to this service; the others show why not.").format(
                n=n, total=len(self.items)
            )
        )
        self.table.resizeRowsToContents()

    def retranslate(self) -> None:
        self.setTitle(_("Clauses that apply"))
        self.setSubTitle(_("Go back to change the profile and see the list change. Finish creates the project."))
        self.model.retranslate()


class NewProjectWizard(QWizard):
    created = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.framework_page = FrameworkPage()
        self.service_page = ServicePage()
        self.profile_page = ProfilePage()
        self.people_page = PeoplePage()
        self.applicability_page = ApplicabilityPage()
        for page in (
            self.framework_page,
            self.service_page,
            self.profile_page,
            self.people_page,
            self.applicability_page,
        ):
            self.addPage(page)
        self.project = None
        self.resize(860, 620)
        on_language_change(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New project"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< &Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Create project"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        for page in (
            self.framework_page,
            self.service_page,
            self.profile_page,
            self.people_page,
            self.applicability_page,
        ):
            page.retranslate()

    def initializePage(self, page_id: int) -> None:
        page = self.page(page_id)
        if page is self.profile_page:
            self.profile_page.build(self.framework_page.framework_id())
        elif page is self.applicability_page:
            self.applicability_page.show_for(self.framework_page.framework_id(), self.profile_page.profile())
        elif page is self.service_page and not self.service_page.path.text():
            self.service_page.path.setText(str(Path.home() / "audit.gaisafe"))
        super().initializePage(page_id)

    def request(self) -> NewProjectRequest:
        sp = self.service_page
        return NewProjectRequest(
            path=Path(sp.path.text().strip()),
            framework_id=self.framework_page.framework_id(),
            provider=sp.provider.text().strip(),
            service=sp.service.text().strip(),
            model_name=sp.model_name.text().strip(),
            model_version=sp.model_version.text().strip(),
            profile=self.profile_page.profile(),
            people=list(self.people_page.people),
            actor=default_actor(),
        )

    def accept(self) -> None:
        try:
            self.project = create_project_from_request(self.request())
        except Exception as exc:  # noqa: BLE001 - shown by the one error presenter; the wizard stays open
            show_error(self, exc, title=_("Cannot create the project"))
            return
        super().accept()
        self.created.emit(self.project)
