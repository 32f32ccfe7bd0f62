"""Resources: keyword libraries with B.1.1 conformance (green/red per requirement, what is missing,
stale warnings), and classifier models with their B.1.4 risk coverage."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gaisafe_desktop.core.i18n import _, localized
from gaisafe_desktop.core.views import models as core_models
from gaisafe_desktop.core.views import resources as core_res
from gaisafe_desktop.ui.look import icon, status_color
from gaisafe_desktop.ui.modeldialog import RegisterModelDialog
from gaisafe_desktop.ui.models import ListTableModel
from gaisafe_desktop.ui.pages.base import Page, heading, wrapped


def _library_headers() -> list[str]:
    return [_("Library"), _("Versions"), _("Latest"), _("Distinct terms"), _("Released"), _("Update status")]


def _bank_headers() -> list[str]:
    return [
        _("Bank"),
        _("Current version"),
        _("Version date"),
        _("Questions"),
        _("Update status"),
        _("B.1 check"),
        _("What is missing"),
    ]


def _model_headers() -> list[str]:
    return [_("Model"), _("Version"), _("Task"), _("Origin"), _("Risks covered"), _("Missing")]


class KeywordImportDialog(QDialog):
    """File, library name, release date (and a risk code for plain-text lists)."""

    def __init__(self, parent=None, file: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import keyword library version"))
        self.file = QLineEdit(file)
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        self.library = QLineEdit(Path(file).stem if file else "")
        self.released = QDateEdit(QDate.currentDate())
        self.released.setCalendarPopup(True)
        self.released.setDisplayFormat("yyyy-MM-dd")
        self.risk = QLineEdit()
        self.risk.setPlaceholderText(_("only for .txt lists, e.g. A.1.a"))
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(_("File:"), row)
        form.addRow(_("Library name:"), self.library)
        form.addRow(_("Release date:"), self.released)
        form.addRow(_("Risk code:"), self.risk)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Import"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.resize(560, 200)

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Keyword library"), "", "*.csv *.tsv *.xlsx *.txt")
        if path:
            self.file.setText(path)
            if not self.library.text():
                self.library.setText(Path(path).stem)


class ResourcesPage(Page):
    icon_name = "resources"

    def __init__(self, window) -> None:
        super().__init__(window)
        self.header = heading()
        self.kw_box = QGroupBox()
        self.import_button = QPushButton(icon("import"), "")
        self.import_button.clicked.connect(lambda: self.open_keyword_import())
        self.libraries: list[dict] = []
        self.lib_model = ListTableModel(_library_headers)
        self.lib_table = QTableView()
        self.lib_table.setModel(self.lib_model)
        self.lib_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lib_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lib_table.verticalHeader().setVisible(False)
        self.lib_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.lib_table.horizontalHeader().setStretchLastSection(True)
        self.lib_table.selectionModel().selectionChanged.connect(self._library_selected)
        self.verdict = QLabel()
        self.conformance = QTreeWidget()
        self.conformance.setColumnCount(3)
        self.conformance.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.conformance.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.conformance.header().setStretchLastSection(True)
        self.conformance.setColumnWidth(0, 330)
        self.report: dict | None = None
        self.empty_hint = wrapped()
        kw_top = QHBoxLayout()
        kw_top.addWidget(self.empty_hint, 1)
        kw_top.addWidget(self.import_button)
        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addWidget(self.verdict)
        right_lay.addWidget(self.conformance, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.lib_table)
        split.addWidget(right)
        split.setSizes([430, 600])
        kw_lay = QVBoxLayout(self.kw_box)
        kw_lay.addLayout(kw_top)
        kw_lay.addWidget(split, 1)
        self.banks_box = QGroupBox()
        self.banks: list[dict] = []
        self.bank_model = ListTableModel(_bank_headers)
        self.bank_table = QTableView()
        self.bank_table.setModel(self.bank_model)
        self.bank_table.verticalHeader().setVisible(False)
        self.bank_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.bank_table.horizontalHeader().setStretchLastSection(True)
        self.bank_table.setMaximumHeight(130)
        QVBoxLayout(self.banks_box).addWidget(self.bank_table)
        self.models_box = QGroupBox()
        self.model_summary = QLabel()
        self.model_summary.setWordWrap(True)
        self.model_model = ListTableModel(_model_headers)
        self.model_table = QTableView()
        self.model_table.setModel(self.model_model)
        self.model_table.verticalHeader().setVisible(False)
        self.model_table.setMaximumHeight(140)
        self.model_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.model_table.horizontalHeader().setStretchLastSection(True)
        # Register a provider's or auditor's own ONNX classifier: button here, entry in the Project menu.
        self.register_model_button = QPushButton(icon("add"), "")
        self.register_model_button.clicked.connect(lambda: self.open_model_registration())
        self.act_register_model = QAction(icon("add"), "", window)
        self.act_register_model.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.act_register_model.triggered.connect(lambda: self.open_model_registration())
        self.act_register_model.setEnabled(False)
        window.addAction(self.act_register_model)
        if getattr(window, "menu_project", None) is not None:
            window.menu_project.addAction(self.act_register_model)
        self.model_dialog: RegisterModelDialog | None = None
        m_top = QHBoxLayout()
        m_top.addWidget(self.model_summary, 1)
        m_top.addWidget(self.register_model_button)
        m_lay = QVBoxLayout(self.models_box)
        m_lay.addLayout(m_top)
        m_lay.addWidget(self.model_table)
        lay = QVBoxLayout(self)
        lay.addWidget(self.header)
        lay.addWidget(self.kw_box, 3)
        lay.addWidget(self.banks_box, 1)
        lay.addWidget(self.models_box, 1)
        self.dialog = None
        self.retranslate()

    def title(self) -> str:
        return _("Resources")

    def retranslate(self) -> None:
        self.header.setText(self.title())
        self.kw_box.setTitle(_("Keyword libraries (B.1.1)"))
        self.models_box.setTitle(_("Classification models (B.1.4)"))
        self.banks_box.setTitle(_("Question banks (B.1.2, B.1.3)"))
        self.bank_model.retranslate()
        self.import_button.setText(_("Import version…"))
        self.register_model_button.setText(_("Register model…"))
        self.register_model_button.setToolTip(
            _("Register your own ONNX classifier: choose a folder with the model file and its manifest.json.")
        )
        self.act_register_model.setText(_("Register &model…"))
        self.empty_hint.setText(
            _(
                "Each import is a version with its hash and release date; the versions show whether it is updated weekly."
            )
        )
        self.conformance.setHeaderLabels([_("Requirement"), _("Status"), _("Detail")])
        self.lib_model.retranslate()
        self.model_model.retranslate()
        self._show_report()

    # -- data ----------------------------------------------------------------------------------------
    def set_project(self, project) -> None:
        self.act_register_model.setEnabled(project is not None and not project.read_only)
        super().set_project(project)

    def refresh(self) -> None:
        if self.project is None:
            return
        self.import_button.setEnabled(not self.project.read_only)
        self.register_model_button.setEnabled(not self.project.read_only)
        selected = self.selected_library()
        self.libraries = core_res.list_keyword_libraries(self.project)
        max_days = int(self.project.framework.assessment("keyword_library").get("max_update_interval_days", 7))
        rows, tips = [], []
        for lib in self.libraries:
            stale = core_res.stale_days(lib.get("released_on"), max_days)
            status = _("stale: {n} days overdue").format(n=stale) if stale else _("current")
            rows.append(
                (lib["name"], lib["versions"], lib["latest"], f"{lib['terms'] or 0:,}", lib["released_on"], status)
            )
            tips.append(_("Must be updated at least every {n} days (B.1.1 c).").format(n=max_days))
        self.lib_model.set_rows(rows, tips)
        if selected:
            names = [lib["name"] for lib in self.libraries]
            if selected in names:
                self.lib_table.selectRow(names.index(selected))
        elif self.libraries:
            self.lib_table.selectRow(0)
        self._show_banks()
        self._show_models()

    def _show_banks(self) -> None:
        from gaisafe_desktop.ui.importdialog import BANK_LABELS

        self.banks = core_res.bank_status(self.project)
        rows, tips, muted = [], [], []
        for b in self.banks:
            latest = b["latest"]
            if b["stale_days"]:
                status = _("stale: {n} days overdue").format(n=b["stale_days"])
            else:
                status = _("current") if latest else "—"
            missing = b["missing"]
            rows.append(
                (
                    _(BANK_LABELS[b["bank_kind"]]),
                    latest["name"] if latest else _("not imported"),
                    (latest["version_date"] or "—") if latest else "—",
                    f"{latest['records']:,}" if latest else "—",
                    status,
                    b["verdict_name"] or _("not run"),
                    "; ".join(missing[:3]) + (" …" if len(missing) > 3 else ""),
                )
            )
            tips.append("\n".join(missing) or None)
            muted.append(latest is None)
        self.bank_model.set_rows(rows, tips, muted)

    def selected_library(self) -> str | None:
        rows = self.lib_table.selectionModel().selectedRows()
        return self.libraries[rows[0].row()]["name"] if rows and rows[0].row() < len(self.libraries) else None

    def _library_selected(self, *args) -> None:
        name = self.selected_library()
        if name is None or self.project is None:
            self.report = None
            self._show_report()
            return
        self.report = {"running": True, "library": name}
        self._show_report()

        def done(report: dict) -> None:
            if self.selected_library() == report["library"]:
                self.report = report
                self._show_report()

        self.window_.run_job(
            core_res.keyword_conformance_job,
            str(self.project.path),
            name,
            title=_("Checking keyword library {name}").format(name=name),
            on_result=done,
        )

    # -- conformance view ----------------------------------------------------------------------------
    def _item(self, parent, label: str, ok: bool | None, detail: str) -> QTreeWidgetItem:
        status = {True: _("met"), False: _("not met"), None: _("not judged")}[ok]
        item = QTreeWidgetItem([label, status, detail])
        item.setToolTip(0, label)
        item.setToolTip(2, detail)
        item.setForeground(1, QBrush(QColor(status_color(ok))))
        if parent is None:
            self.conformance.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def _risk_name(self, code: str) -> str:
        try:
            return localized(self.project.framework.risk(code).name)
        except Exception:  # noqa: BLE001 - an unknown code is shown as itself
            return ""

    def _show_report(self) -> None:
        self.conformance.clear()
        r = self.report
        if r is None:
            self.verdict.setText(_("Select a library to see its conformance with B.1.1."))
            self.verdict.setStyleSheet("")
            return
        if r.get("running"):
            self.verdict.setText(_("Checking {name}…").format(name=r["library"]))
            self.verdict.setStyleSheet("color: #8a8f98;")
            return
        ok = r["verdict"] == "met"
        self.verdict.setText(
            (
                _("{name} version {version}: meets B.1.1") if ok else _("{name} version {version}: does NOT meet B.1.1")
            ).format(name=r["library"], version=r["version"])
        )
        self.verdict.setStyleSheet(f"color: {status_color(ok)}; font-weight: bold;")
        a = r["a_total"]
        self._item(
            None,
            _("a) at least {n} terms").format(n=f"{a['required']:,}"),
            a["met"],
            _("{have} distinct terms; {short} missing").format(have=f"{a['have']:,}", short=f"{a['shortfall']:,}")
            if not a["met"]
            else _("{have} distinct terms").format(have=f"{a['have']:,}"),
        )
        per = self._item(
            None,
            _("b) terms per risk"),
            r["b_met"],
            _("{n} of {total} risks short").format(
                n=sum(1 for c in r["b_per_risk"] if not c["met"]), total=len(r["b_per_risk"])
            ),
        )
        for c in r["b_per_risk"]:
            self._item(
                per,
                f"{c['code']} {self._risk_name(c['code'])}",
                c["met"],
                _("{have} of {required}").format(have=c["have"], required=c["required"])
                + ("" if c["met"] else "; " + _("{n} missing").format(n=c["shortfall"])),
            )
        per.setExpanded(not r["b_met"])
        u = r["c_updates"]
        verdict = {"met": True, "not_met": False}.get(u["verdict"])
        if u["verdict"] == "not_judged":
            detail = _("Fewer than two versions: regular updates cannot be shown yet.")
        elif u["gaps_over"]:
            g = u["gaps_over"][-1]
            detail = _("{days} days between {start} and {end} (more than {n})").format(
                days=g["days"], start=g["from"], end=g["to"], n=u["max_interval_days"]
            )
        else:
            detail = _("{n} releases, none more than {days} days apart").format(
                n=len(u["releases"]), days=u["max_interval_days"]
            )
        self._item(None, _("c) updated at least every {n} days").format(n=u["max_interval_days"]), verdict, detail)
        if r.get("unknown_codes"):
            self._item(None, _("Unknown risk codes"), False, ", ".join(sorted({x["code"] for x in r["unknown_codes"]})))

    def _show_models(self) -> None:
        cov = core_res.model_coverage(self.project)
        self.model_model.set_rows(
            [
                (m["name"], m["version"], m["task"], m["origin"], m["covers"], ", ".join(m["missing_codes"]) or "—")
                for m in cov["models"]
            ]
        )
        ok = cov["complete"]
        total = cov["union_covered"] + len(cov["missing"])
        text = _("Together the models cover {n} of {total} risks.").format(n=cov["union_covered"], total=total)
        if not ok:
            text += " " + _("Not covered: {codes}.").format(codes=", ".join(cov["missing"]))
        self.model_summary.setText(text)
        self.model_summary.setStyleSheet(f"color: {status_color(ok)};")

    # -- import --------------------------------------------------------------------------------------
    def open_keyword_import(self, file: str = ""):
        if self.project is None or self.project.read_only:
            return None
        self.dialog = KeywordImportDialog(self, file)
        self.dialog.accepted.connect(self._start_import)
        self.dialog.open()
        return self.dialog

    def _start_import(self) -> None:
        d = self.dialog
        self.window_.run_job(
            core_res.import_keyword_version_job,
            str(self.project.path),
            d.file.text().strip(),
            library=d.library.text().strip(),
            released=d.released.date().toString("yyyy-MM-dd"),
            risk=d.risk.text().strip() or None,
            actor=self.project.actor,
            title=_("Importing keyword library"),
            on_result=lambda _r: self.window_.project_changed(),
        )

    # -- register a model (issue 5) ------------------------------------------------------------------
    def open_model_registration(self, folder: str = ""):
        """Choose a model folder (or take ``folder``, the test hook), check it, then confirm; returns the check job."""
        if self.project is None or self.project.read_only:
            return None
        self.window_.show_page(self.window_.pages.index(self))
        if not folder:
            folder = QFileDialog.getExistingDirectory(self, _("Folder with the ONNX model and manifest.json"))
            if not folder:
                return None
        return self.window_.run_job(
            core_models.inspect_model_folder,
            folder,
            title=_("Checking model in {folder}").format(folder=folder),
            on_result=self._confirm_model,
        )

    def _confirm_model(self, info: dict) -> None:
        if self.project is None:
            return
        self.model_dialog = RegisterModelDialog(self, info, risk_name=self._risk_name)
        self.model_dialog.accepted.connect(self._start_model_registration)
        self.model_dialog.open()

    def _start_model_registration(self):
        d = self.model_dialog
        if d is None or self.project is None:
            return None
        return self.window_.run_job(
            core_models.register_model_job,
            str(self.project.path),
            d.info["folder"],
            note=d.note.text().strip(),
            actor=self.project.actor,
            title=_("Registering model {name}").format(name=d.info["name"]),
            on_result=lambda _r: self.window_.project_changed(),
        )
