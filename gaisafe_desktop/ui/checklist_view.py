"""The clause checklist the auditor signs: clauses grouped by section, progress per section, filter
"still open", a clause's result, observations and applicability override, evidence by drag-and-drop
(hashed into the evidence store, previewable) and the assessment results that bear on it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gaisafe_desktop.core.checklist.checklist import (
    RESULTS,
    attach_evidence,
    checklist_rows,
    section_progress,
    set_clause,
)
from gaisafe_desktop.core.i18n import N_, _, localized
from gaisafe_desktop.ui.errors import show_error
from gaisafe_desktop.ui.pages.base import Page, heading, wrapped

RESULT_COLOURS = {
    "conform": "#2e7d32",
    "partial": "#b26a00",
    "nonconform": "#c62828",
    "not_applicable": "#8a8f98",
    "not_assessed": "#1565c0",
}
OVERRIDE_LABELS = {
    "": N_("As computed"),
    "applies": N_("Applies (override)"),
    "not_applicable": N_("Not applicable (override)"),
}
VERDICT_LABELS = {
    "pass": N_("pass"),
    "fail": N_("fail"),
    "insufficient_sample": N_("insufficient sample"),
    "not_run": N_("not run"),
}


class EvidenceList(QListWidget):
    """Accepts files dropped from the desktop; each is hashed into the evidence store and linked."""

    def __init__(self, view) -> None:
        super().__init__()
        self.view = view
        self.setAcceptDrops(True)
        self.setMaximumHeight(110)

    def dragEnterEvent(self, e) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dragMoveEvent(self, e) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e) -> None:
        files = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        if files:
            e.acceptProposedAction()
            self.view.attach(files)


class ChecklistView(Page):
    icon_name = "checklist"

    def __init__(self, window) -> None:
        super().__init__(window)
        self.rows = []
        self.current = None
        self.setAcceptDrops(True)
        self.header = heading()
        self.only_open = QCheckBox()
        self.only_open.toggled.connect(self.refresh)
        self.export = QPushButton()
        self.export.clicked.connect(self._choose_export)
        self.progress = QLabel()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        h = self.tree.header()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for c in (2, 3, 4):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._selected)
        # detail panel
        self.clause_title = QLabel()
        self.clause_title.setStyleSheet("font-weight:bold;")
        self.clause_text = wrapped()
        self.applicability = wrapped()
        self.override = QComboBox()
        for key in OVERRIDE_LABELS:
            self.override.addItem("", key)
        self.justification = QLineEdit()
        self.result = QComboBox()
        for key in RESULTS:
            self.result.addItem("", key)
        self.observations = QPlainTextEdit()
        self.observations.setMaximumHeight(90)
        self.save = QPushButton()
        self.save.clicked.connect(self.save_current)
        self.evidence = EvidenceList(self)
        self.evidence.currentItemChanged.connect(self._preview)
        self.add_evidence = QPushButton()
        self.add_evidence.clicked.connect(self._choose_files)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setMaximumHeight(140)
        self.assessments = wrapped()
        self.assessed = wrapped()
        self.assessed.setStyleSheet("color:#666;")
        self.form = QFormLayout()
        self.l_override, self.l_just, self.l_result, self.l_obs = QLabel(), QLabel(), QLabel(), QLabel()
        self.form.addRow(self.l_override, self.override)
        self.form.addRow(self.l_just, self.justification)
        self.form.addRow(self.l_result, self.result)
        self.form.addRow(self.l_obs, self.observations)
        self.l_evidence, self.l_assess = QLabel(), QLabel()
        detail = QWidget()
        d = QVBoxLayout(detail)
        d.addWidget(self.clause_title)
        d.addWidget(self.clause_text)
        d.addWidget(self.applicability)
        d.addLayout(self.form)
        d.addWidget(self.save, 0, Qt.AlignmentFlag.AlignRight)
        row = QHBoxLayout()
        row.addWidget(self.l_evidence, 1)
        row.addWidget(self.add_evidence)
        d.addLayout(row)
        d.addWidget(self.evidence)
        d.addWidget(self.preview)
        d.addWidget(self.l_assess)
        d.addWidget(self.assessments)
        d.addWidget(self.assessed)
        d.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([820, 420])
        top = QHBoxLayout()
        top.addWidget(self.header)
        top.addStretch(1)
        top.addWidget(self.only_open)
        top.addWidget(self.export)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.progress)
        lay.addWidget(split, 1)
        self.retranslate()

    def title(self) -> str:
        return _("Checklist")

    def retranslate(self) -> None:
        self.header.setText(self.title())
        self.only_open.setText(_("Only what is still open"))
        self.export.setText(_("Export…"))
        self.tree.setHeaderLabels([_("Clause"), _("Requirement"), _("Applies"), _("Result"), _("Evidence")])
        for i in range(self.override.count()):
            self.override.setItemText(i, _(OVERRIDE_LABELS[self.override.itemData(i)]))
        for i in range(self.result.count()):
            self.result.setItemText(i, localized(RESULTS[self.result.itemData(i)]))
        self.l_override.setText(_("Applicability"))
        self.l_just.setText(_("Justification"))
        self.justification.setPlaceholderText(_("Required when the applicability is overridden"))
        self.l_result.setText(_("Result"))
        self.l_obs.setText(_("Observations"))
        self.save.setText(_("Save"))
        self.l_evidence.setText(_("Evidence (drop files here)"))
        self.add_evidence.setText(_("Add files…"))
        self.l_assess.setText(_("Assessment results"))

    # -- filling -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.project is None:
            return
        keep = self.current.clause_id if self.current is not None else None
        self.rows = checklist_rows(self.project)
        progress = section_progress(self.project, self.rows)
        self.progress.setText(
            "   ".join(
                _("{section} {title}: {done}/{n}").format(
                    section=p["section"], title=localized(p["title"]), done=p["done"], n=p["applicable"]
                )
                for p in progress
            )
        )
        fw = self.project.framework
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        by_sec = {p["section"]: p for p in progress}
        select = None
        for r in self.rows:
            if self.only_open.isChecked() and not r.is_open:
                continue
            parent = groups.get(r.section)
            if parent is None:
                p = by_sec[r.section]
                parent = QTreeWidgetItem(
                    [r.section, localized(fw.section(r.section).title), "", f"{p['done']}/{p['applicable']}", ""]
                )
                f = parent.font(0)
                f.setBold(True)
                for c in range(5):
                    parent.setFont(c, f)
                self.tree.addTopLevelItem(parent)
                groups[r.section] = parent
            item = QTreeWidgetItem(
                [
                    r.ref,
                    localized(r.text),
                    _("Yes") if r.applies else _("No"),
                    localized(RESULTS[r.result]),
                    str(len(r.evidence)) if r.evidence else "",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, r.clause_id)
            item.setToolTip(1, localized(r.text))
            item.setForeground(3, QBrush(QColor(RESULT_COLOURS[r.result])))
            if r.applies_override:
                item.setText(2, item.text(2) + " *")
            parent.addChild(item)
            if r.clause_id == keep:
                select = item
        self.tree.expandAll()
        if select is not None:
            self.tree.setCurrentItem(select)
        elif self.tree.topLevelItemCount() and self.tree.topLevelItem(0).childCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0).child(0))
        else:
            self._show(None)

    def _selected(self, item, _prev=None) -> None:
        cid = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        self._show(next((r for r in self.rows if r.clause_id == cid), None))

    def select_clause(self, clause_id: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, Qt.ItemDataRole.UserRole) == clause_id:
                    self.tree.setCurrentItem(top.child(j))
                    return

    def _show(self, row) -> None:
        self.current = row
        for w in (self.override, self.justification, self.result, self.observations, self.save, self.add_evidence):
            w.setEnabled(row is not None and not self.project.read_only)
        self.evidence.clear()
        self.preview.clear()
        if row is None:
            for w in (self.clause_title, self.clause_text, self.applicability, self.assessments, self.assessed):
                w.setText("")
            return
        self.clause_title.setText(f"{row.ref} · {_('shall') if row.obligation == 'shall' else _('should')}")
        self.clause_text.setText(localized(row.text))
        if row.applies_computed:
            computed = _("Applies to this service (computed from the service profile).")
        else:
            computed = _("Not applicable: {reason}").format(reason=localized(row.reason) if row.reason else "")
        if row.applies_override:
            computed += " " + _("Overridden: {why}").format(why=row.override_reason)
        self.applicability.setText(computed)
        self.override.setCurrentIndex(self.override.findData(row.applies_override))
        self.justification.setText(row.override_reason)
        self.result.setCurrentIndex(self.result.findData(row.result))
        self.observations.setPlainText(row.observations)
        for e in row.evidence:
            it = QListWidgetItem(f"{e['name']}  ·  {e['sha256'][:12]}  ·  {e['size']:,} B")
            it.setData(Qt.ItemDataRole.UserRole, e)
            self.evidence.addItem(it)
        lines = []
        for a in row.assessments:
            name = localized(a["name"]) if a["name"] else a["assessment"]
            res = a["result"]
            if res is None:
                lines.append(_("{name}: not run yet").format(name=name))
            else:
                rate = "" if res["rate"] is None else f" {100 * res['rate']:.1f}% (n={res['n']})"
                lines.append(
                    f"{name}: {_(VERDICT_LABELS.get(res['verdict'], res['verdict']))}{rate} · {res['run_at'][:16]}"
                )
        self.assessments.setText("\n".join(lines) or _("No assessment bears on this clause."))
        self.assessed.setText(
            _("Assessed by {who} at {when}").format(who=row.assessed_by, when=row.assessed_at[:19].replace("T", " "))
            if row.assessed_by
            else _("Not assessed yet.")
        )

    def _preview(self, item, _prev=None) -> None:
        from gaisafe_desktop.core.store.evidence import iter_evidence_bytes

        if item is None or self.project is None:
            self.preview.clear()
            return
        e = item.data(Qt.ItemDataRole.UserRole)
        head = b""
        for chunk in iter_evidence_bytes(self.project, e["sha256"]):
            head += chunk
            if len(head) >= 4096 or not e["media_type"].startswith("image/"):
                break
        if e["media_type"].startswith("image/"):
            pix = QPixmap()
            data = b"".join(iter_evidence_bytes(self.project, e["sha256"])) if e["size"] <= 20_000_000 else b""
            if pix.loadFromData(data):
                self.preview.setPixmap(pix.scaledToHeight(130, Qt.TransformationMode.SmoothTransformation))
                return
        text = head[:1200].decode("utf-8", errors="replace") if e["media_type"].startswith("text/") else ""
        self.preview.setText(
            text
            or _("{name}: {type}, {size:,} bytes, SHA-256 {sha}").format(
                name=e["name"], type=e["media_type"], size=e["size"], sha=e["sha256"]
            )
        )

    # -- drag and drop anywhere on the page: evidence for the selected clause ---------------------------
    def dragEnterEvent(self, e) -> None:
        if e.mimeData().hasUrls() and self.current is not None:
            e.acceptProposedAction()

    def dragMoveEvent(self, e) -> None:
        self.dragEnterEvent(e)

    def dropEvent(self, e) -> None:
        files = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        if files:
            e.acceptProposedAction()
            self.attach(files)

    # -- writing -------------------------------------------------------------------------------------
    def save_current(self) -> None:
        if self.current is None:
            return
        override = self.override.currentData()
        result = self.result.currentData()
        if override == "applies" and result == "not_applicable":
            result = "not_assessed"
        try:
            set_clause(
                self.project,
                self.current.clause_id,
                result=result,
                observations=self.observations.toPlainText(),
                applies=override,
                justification=self.justification.text(),
            )
        except Exception as exc:  # noqa: BLE001 - the one error presenter
            show_error(self, exc)
            return
        self.refresh()

    def attach(self, files: list[str]) -> None:
        if self.current is None:
            return
        try:
            for f in files:
                attach_evidence(self.project, self.current.clause_id, f)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
        self.refresh()

    def export_to(self, path: str):
        """Write the checklist (CSV or XLSX by suffix) in the current language."""
        from gaisafe_desktop.core.checklist.export import export_checklist
        from gaisafe_desktop.core.i18n import get_language

        try:
            return export_checklist(self.project, path, lang=get_language())
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return None

    def _choose_export(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self, _("Export checklist"), "checklist.xlsx", "Excel (*.xlsx);;CSV (*.csv)"
        )
        if path:
            self.export_to(path)

    def _choose_files(self) -> None:
        files, _f = QFileDialog.getOpenFileNames(self, _("Evidence files"))
        if files:
            self.attach(files)
