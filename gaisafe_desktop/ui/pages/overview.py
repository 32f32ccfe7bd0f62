"""Overview: the project, its framework, its service profile and what it holds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from gaisafe_desktop.core.i18n import _, localized
from gaisafe_desktop.core.store.info import project_summary
from gaisafe_desktop.core.store.profile import clause_applicability
from gaisafe_desktop.ui.fwtext import profile_value_text
from gaisafe_desktop.ui.pages.base import Page, heading


def _value(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class OverviewPage(Page):
    icon_name = "overview"

    def __init__(self, window) -> None:
        super().__init__(window)
        self.header = heading()
        self.project_box = QGroupBox()
        self.profile_box = QGroupBox()
        self.counts_box = QGroupBox()
        self.verdicts_box = QGroupBox()
        self.verdicts_form = QFormLayout(self.verdicts_box)
        self.project_form = QFormLayout(self.project_box)
        self.profile_form = QFormLayout(self.profile_box)
        self.counts_form = QFormLayout(self.counts_box)
        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.addWidget(self.header)
        for box in (self.project_box, self.verdicts_box, self.profile_box, self.counts_box):
            lay.addWidget(box)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.retranslate()

    def title(self) -> str:
        return _("Overview")

    def retranslate(self) -> None:
        self.header.setText(self.title())
        self.project_box.setTitle(_("Project"))
        self.profile_box.setTitle(_("Service profile"))
        self.counts_box.setTitle(_("What the project holds"))
        self.verdicts_box.setTitle(_("Assessments"))

    @staticmethod
    def _clear(form: QFormLayout) -> None:
        while form.rowCount():
            form.removeRow(0)

    def refresh(self) -> None:
        if self.project is None:
            return
        s = project_summary(self.project)
        fw = self.project.framework
        for form in (self.project_form, self.profile_form, self.counts_form, self.verdicts_form):
            self._clear(form)
        self._fill_verdicts()
        rows = [
            (_("Title"), s["title"]),
            (_("Provider"), s["provider"]),
            (_("Service"), s["service"]),
            (_("Model"), f"{s['model_name']} {s['model_version']}".strip() or "—"),
            (_("Framework"), f"{localized(fw.title)}"),
            (_("Framework version"), f"{s['framework_id']} {s['framework_version']}"),
            (_("Framework hash (SHA-256)"), s["framework_hash"]),
            (_("Project file"), s["path"]),
            (_("Created (UTC)"), str(s["created_at"])[:19].replace("T", " ")),
        ]
        if self.project.read_only:
            rows.insert(0, (_("Mode"), _("Read-only")))
        for label, value in rows:
            self.project_form.addRow(label, _value(str(value)))
        for field in fw.profile_fields:
            self.profile_form.addRow(
                localized(field.label), _value(profile_value_text(field, s["profile"].get(field.id)))
            )
        applic = clause_applicability(self.project)
        n_apply = sum(1 for a in applic if a["applies"])
        for label, value in (
            (_("Clauses that apply"), _("{n} of {total}").format(n=n_apply, total=len(applic))),
            (_("People"), s["people"]),
            (_("Evidence files"), s["evidence"]),
            (_("Audit-log entries"), f"{s['audit_entries']:,}"),
            (_("Audit-log head"), s["audit_head"]),
        ):
            self.counts_form.addRow(label, _value(str(value)))

    def _fill_verdicts(self) -> None:
        """How many checks pass, fail, lack samples or were not run; the failing ones by name."""
        from gaisafe_desktop.core.views import assessments as core_assess
        from gaisafe_desktop.ui.charts import verdict_color

        self.verdicts_box.setVisible(core_assess.available())
        if not core_assess.available():
            return
        rows = core_assess.dashboard_rows(self.project)
        by_verdict: dict[str, list[dict]] = {}
        for r in rows:
            by_verdict.setdefault(r["verdict"], []).append(r)
        for verdict in ("fail", "insufficient_sample", "pass", "not_run"):
            group = by_verdict.get(verdict)
            if not group:
                continue
            label = QLabel(f"{group[0]['verdict_name']}: {len(group)}")
            label.setStyleSheet(f"color: {verdict_color(verdict)}; font-weight: bold;")
            names = "; ".join(localized(r["name"]) for r in group[:8]) + (" …" if len(group) > 8 else "")
            self.verdicts_form.addRow(label, _value(names))
