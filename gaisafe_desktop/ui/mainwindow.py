"""The main window: start screen or an open project with its pages, menus, shortcuts and job bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from gaisafe_desktop.core.i18n import _, get_language
from gaisafe_desktop.core.store import open_project
from gaisafe_desktop.core.views.assessments import available as assessments_available
from gaisafe_desktop.core.views.casefile import casefile_available, open_casefile_job
from gaisafe_desktop.core.views.demo import build_demo_job, demo_available, existing_demo_project
from gaisafe_desktop.core.views.jobs import verify_project_file
from gaisafe_desktop.ui import settings
from gaisafe_desktop.ui.checklist_view import ChecklistView
from gaisafe_desktop.ui.errors import show_error
from gaisafe_desktop.ui.jobbar import JobBar
from gaisafe_desktop.ui.lang import on_language_change, switch_language
from gaisafe_desktop.ui.look import apply_theme, current_theme, icon
from gaisafe_desktop.ui.pages import pending
from gaisafe_desktop.ui.pages.assessments import AssessmentsPage
from gaisafe_desktop.ui.pages.auditlog import AuditLogPage, verification_style, verification_text
from gaisafe_desktop.ui.pages.data import DataPage
from gaisafe_desktop.ui.pages.evidence import EvidencePage
from gaisafe_desktop.ui.pages.overview import OverviewPage
from gaisafe_desktop.ui.pages.resources import ResourcesPage
from gaisafe_desktop.ui.start import StartView
from gaisafe_desktop.ui.workbench.page import WorkbenchPage
from gaisafe_desktop.ui.workers import JobRunner

PROJECT_FILTER = "GAISafe (*.gaisafe)"


def report_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("gaisafe_desktop.core.report.from_project") is not None


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowIcon(icon("evidence"))
        self.project = None
        self.verification: dict | None = None
        self.runner = JobRunner(self)
        self._jobs_callbacks = []
        self._build_actions()
        self._build_menus()
        self.start = StartView(self)
        self.start.open_requested.connect(self.open_path)
        self.nav = QListWidget()
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(190)
        self.pages_stack = QStackedWidget()
        self.pages = [
            OverviewPage(self),
            DataPage(self),
            ResourcesPage(self),
            AssessmentsPage(self) if assessments_available() else pending.PendingPage(self, *pending.ASSESSMENTS),
            ChecklistView(self),
            AuditLogPage(self),
            EvidencePage(self),
            WorkbenchPage(self),
        ]
        for page in self.pages:
            self.pages_stack.addWidget(page)
            self.nav.addItem(QListWidgetItem(icon(page.icon_name), ""))
        self.nav.currentRowChanged.connect(self._page_shown)
        self._stale: set[int] = set()
        project_view = QWidget()
        row = QHBoxLayout(project_view)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.pages_stack, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.stack.addWidget(project_view)
        self.setCentralWidget(self.stack)
        self.verify_label = QLabel()
        self.jobbar = JobBar(self.runner)
        self.statusBar().addWidget(self.jobbar, 1)
        self.statusBar().addPermanentWidget(self.verify_label)
        on_language_change(self.retranslate)
        self.retranslate()
        self._update_enabled()
        self.resize(1100, 720)
        geometry = settings.get(settings.GEOMETRY)
        if geometry:
            self.restoreGeometry(geometry)

    # -- actions and menus -------------------------------------------------------------------------
    def _action(self, icon_name: str | None, shortcut=None, slot=None, checkable: bool = False) -> QAction:
        act = QAction(self)
        if icon_name:
            act.setIcon(icon(icon_name))
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setCheckable(checkable)
        if slot:
            act.triggered.connect(slot)
        self.addAction(act)  # shortcuts work whichever screen is shown
        return act

    def _build_actions(self) -> None:
        self.act_new = self._action("new", QKeySequence.StandardKey.New, self.new_project)
        self.act_open = self._action("open", QKeySequence.StandardKey.Open, self.choose_project)
        self.act_casefile = self._action("casefile", "Ctrl+Shift+O", self.choose_casefile)
        self.act_casefile.setEnabled(casefile_available())
        self.act_demo = self._action("demo", "Ctrl+Shift+D", self.open_demo)
        self.act_demo.setEnabled(demo_available())
        self.act_close = self._action(None, "Ctrl+W", self.close_project)
        self.act_quit = self._action(None, "Ctrl+Q", self.close)
        self.act_verify = self._action("verified", "Ctrl+Shift+V", self.verify_now)
        self.act_add_evidence = self._action("add", "Ctrl+E", self._add_evidence)
        self.act_import = self._action("import", "Ctrl+I", self._import)
        self.act_report = self._action("export", "Ctrl+Shift+R", self.choose_report_file)
        self.act_casefile_export = self._action("casefile", "Ctrl+Shift+E", self.open_sign_export)
        self.act_cancel = self._action("cancel", "Esc", self.runner.cancel_all)
        self.lang_group = QActionGroup(self)
        self.act_zh = self._action(None, None, lambda: self.set_language("zh"), checkable=True)
        self.act_en = self._action(None, None, lambda: self.set_language("en"), checkable=True)
        self.act_toggle_lang = self._action("language", "Ctrl+L", self.toggle_language)
        for a in (self.act_zh, self.act_en):
            self.lang_group.addAction(a)
        self.act_dark = self._action("theme", "Ctrl+Shift+T", self.toggle_theme, checkable=True)
        self.nav_actions = [
            self._action(None, f"Ctrl+{i + 1}", lambda _c=False, i=i: self.show_page(i)) for i in range(8)
        ]
        self.act_about = self._action(None, None, self.about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        for a in (self.act_new, self.act_open, self.act_casefile, self.act_demo):
            self.menu_file.addAction(a)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_close)
        self.menu_file.addAction(self.act_quit)
        self.menu_project = bar.addMenu("")
        for a in (
            self.act_import,
            self.act_add_evidence,
            self.act_verify,
            self.act_report,
            self.act_casefile_export,
            self.act_cancel,
        ):
            self.menu_project.addAction(a)
        self.menu_go = bar.addMenu("")
        for a in self.nav_actions:
            self.menu_go.addAction(a)
        self.menu_view = bar.addMenu("")
        self.menu_lang = self.menu_view.addMenu(icon("language"), "")
        self.menu_lang.addAction(self.act_zh)
        self.menu_lang.addAction(self.act_en)
        self.menu_lang.addSeparator()
        self.menu_lang.addAction(self.act_toggle_lang)
        self.menu_view.addAction(self.act_dark)
        self.menu_help = bar.addMenu("")
        self.menu_help.addAction(self.act_about)

    def retranslate(self) -> None:
        self.setWindowTitle(self._window_title())
        self.menu_file.setTitle(_("&File"))
        self.menu_project.setTitle(_("&Project"))
        self.menu_go.setTitle(_("&Go"))
        self.menu_view.setTitle(_("&View"))
        self.menu_help.setTitle(_("&Help"))
        self.menu_lang.setTitle(_("Language"))
        self.act_new.setText(_("&New project…"))
        self.act_open.setText(_("&Open project…"))
        self.act_casefile.setText(_("Open &case file (read-only)…"))
        self.act_casefile.setToolTip(
            _("Verify an exported case file (.gaicase) and open its project read-only.")
            if casefile_available()
            else _("Opening exported case files is not available in this build yet.")
        )
        self.act_demo.setText(_("Open &demo project"))
        self.act_demo.setToolTip(
            _("A complete audit of an invented service on bundled public data (DEMO DATA).")
            if demo_available()
            else _("The demo project is not available in this build yet.")
        )
        self.act_close.setText(_("&Close project"))
        self.act_quit.setText(_("&Quit"))
        self.act_verify.setText(_("&Verify audit log"))
        self.act_add_evidence.setText(_("Add &evidence…"))
        self.act_import.setText(_("&Import data…"))
        self.act_report.setText(_("Export &report (PDF, Chinese and English)…"))
        self.act_casefile_export.setText(_("&Sign and export case file…"))
        self.act_cancel.setText(_("Cancel running job"))
        self.act_zh.setText("中文")
        self.act_en.setText("English")
        self.act_toggle_lang.setText(_("Switch language"))
        self.act_dark.setText(_("&Dark theme"))
        self.act_about.setText(_("&About GAISafe Desktop"))
        lang = get_language()
        self.act_zh.setChecked(lang == "zh")
        self.act_en.setChecked(lang == "en")
        self.act_dark.setChecked(current_theme() == "dark")
        for i, page in enumerate(self.pages):
            self.nav.item(i).setText(page.title())
            self.nav_actions[i].setText(page.title())
        self.start.retranslate()
        self.show_verification()

    def _window_title(self) -> str:
        if self.project is None:
            return _("GAISafe Desktop")
        suffix = _(" (read-only)") if self.project.read_only else ""
        return f"{self.project.info['title']}{suffix} — {_('GAISafe Desktop')}"

    def _update_enabled(self) -> None:
        has = self.project is not None
        writable = has and not self.project.read_only
        self.act_close.setEnabled(has)
        self.act_verify.setEnabled(has)
        self.act_report.setEnabled(has and report_available())
        self.act_casefile_export.setEnabled(writable and casefile_available())
        self.act_add_evidence.setEnabled(writable)
        self.act_import.setEnabled(writable)
        for a in self.nav_actions:
            a.setEnabled(has)

    # -- language and theme --------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        settings.put(settings.LANGUAGE, lang)
        switch_language(lang)

    def toggle_language(self) -> None:
        self.set_language("en" if get_language() == "zh" else "zh")

    def toggle_theme(self) -> None:
        theme = "light" if current_theme() == "dark" else "dark"
        apply_theme(QApplication.instance(), theme)
        settings.put(settings.THEME, theme)
        self.act_dark.setChecked(theme == "dark")

    # -- projects ------------------------------------------------------------------------------------
    def new_project(self) -> None:
        from gaisafe_desktop.ui.wizard import NewProjectWizard

        wizard = NewProjectWizard(self)
        wizard.created.connect(self.set_project)
        wizard.open()
        self.wizard = wizard

    def open_demo(self, rebuild: bool = False):
        """Open the demo project, building it first (in the background) if it does not exist yet."""
        existing = existing_demo_project()
        if existing is not None and not rebuild:
            self.open_path(str(existing))
            return None
        return self.run_job(
            build_demo_job,
            title=_("Building the demo project"),
            on_result=lambda result: self.open_path(result["project"]),
        )

    def choose_casefile(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Open case file"), "", "GAISafe case file (*.gaicase)")
        if path:
            self.open_casefile(path)

    def open_casefile(self, path: str, trusted: list[str] | None = None):
        """Verify a case file in the background; show what was found; open its project read-only if sound."""

        def done(result: dict) -> None:
            self.casefile_result = result
            from gaisafe_desktop.ui.casefiledialog import CaseFileDialog

            self.casefile_dialog = CaseFileDialog(self, result["verification"], trusted)
            self.casefile_dialog.open()
            if result["project"]:
                self.open_path(result["project"], read_only=True)

        return self.run_job(
            open_casefile_job, path, trusted_certs=trusted, title=_("Verifying the case file"), on_result=done
        )

    def choose_project(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Open project"), "", PROJECT_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str, read_only: bool = False) -> bool:
        try:
            project = open_project(path, read_only=read_only)
        except Exception as exc:  # noqa: BLE001 - shown by the one error presenter
            show_error(self, exc, title=_("Cannot open the project"))
            return False
        self.set_project(project)
        return True

    def set_project(self, project) -> None:
        self.close_project()
        self.project = project
        settings.add_recent(str(Path(project.path).resolve()))
        for page in self.pages:
            page.set_project(project)
        self.stack.setCurrentIndex(1)
        self.nav.setCurrentRow(0)
        self._update_enabled()
        self.setWindowTitle(self._window_title())
        self.verify_now()

    def close_project(self) -> None:
        if self.project is None:
            return
        self.runner.cancel_all()
        self.runner.wait(10000)
        for page in self.pages:
            page.set_project(None)
        self.project.close()
        self.project = None
        self.verification = None
        self.stack.setCurrentIndex(0)
        self.start.refresh()
        self._update_enabled()
        self.setWindowTitle(self._window_title())
        self.show_verification()

    def show_page(self, index: int) -> None:
        if self.project is not None:
            self.nav.setCurrentRow(index)

    def page(self, cls):
        return next(p for p in self.pages if isinstance(p, cls))

    def project_changed(self) -> None:
        """Something was written: re-read the pages and re-verify the chain."""
        if self.project is None:
            return
        # Only the page in view is re-read now; the others when they are shown (keeps the UI thread free).
        current = self.pages_stack.currentIndex()
        self._stale = set(range(len(self.pages))) - {current}
        self.pages[current].refresh()
        self.verify_now()

    def _page_shown(self, index: int) -> None:
        if index < 0:
            return
        if index in self._stale and self.project is not None:
            self._stale.discard(index)
            self.pages[index].refresh()
        self.pages_stack.setCurrentIndex(index)

    def _add_evidence(self) -> None:
        self.show_page(self.pages.index(self.page(EvidencePage)))
        self.page(EvidencePage).choose_files()

    def _import(self) -> None:
        self.show_page(self.pages.index(self.page(DataPage)))
        self.page(DataPage).open_import_dialog()

    def choose_report_file(self) -> None:
        if self.project is None:
            return
        default = str(Path(self.project.path).with_name(Path(self.project.path).stem + "-report.pdf"))
        path, _f = QFileDialog.getSaveFileName(self, _("Export report"), default, "PDF (*.pdf)")
        if path:
            self.export_report(path)

    def export_report(self, path: str, langs: tuple[str, ...] = ("zh", "en")):
        """Render the report (each language an edition) in the background; the build is in the audit log."""
        from gaisafe_desktop.core.report.from_project import build_report

        def done(results: list) -> None:
            self.report_results = results
            self.statusBar().showMessage(
                _("Report written: {files}").format(files=", ".join(Path(r["path"]).name for r in results)), 20000
            )
            self.project_changed()

        return self.run_job(
            build_report,
            str(self.project.path),
            path,
            langs=langs,
            actor=self.project.actor,
            title=_("Building the report"),
            on_result=done,
        )

    def open_sign_export(self):
        """Choose a key and sign the exported reports and the case file (in the background)."""
        from gaisafe_desktop.ui.signdialog import SignExportDialog

        if self.project is None:
            return None
        reports = [r["path"] for r in getattr(self, "report_results", []) or []]
        self.sign_dialog = SignExportDialog(self, Path(self.project.path), reports)
        self.sign_dialog.accepted.connect(lambda: self.sign_and_export(**self.sign_dialog.request()))
        self.sign_dialog.open()
        return self.sign_dialog

    def sign_and_export(self, *, out: str, key: str, password: str, reports: list, reason: str = ""):
        from gaisafe_desktop.core.views.casefile import sign_and_export_job

        def done(result: dict) -> None:
            self.export_result = result
            self.statusBar().showMessage(_("Case file written: {path}").format(path=result["casefile"]["path"]), 20000)
            self.project_changed()

        return self.run_job(
            sign_and_export_job,
            str(self.project.path),
            out,
            key=key,
            password=password,
            reports=reports,
            reason=reason,
            actor=self.project.actor,
            title=_("Signing and exporting the case file"),
            on_result=done,
        )

    # -- jobs ----------------------------------------------------------------------------------------
    def run_job(self, fn, *args, title: str, on_result=None, on_error=None, on_cancel=None, **kwargs):
        """Run a core job through the one worker; errors go to the one error presenter."""
        return self.runner.start(
            fn,
            *args,
            title=title,
            on_result=on_result,
            on_error=on_error or (lambda exc, _tb: show_error(self, exc)),
            on_cancel=on_cancel,
            **kwargs,
        )

    def verify_now(self):
        if self.project is None:
            return None
        self.verification = {"running": True}
        self.show_verification()
        path = str(self.project.path)

        def done(report: dict) -> None:
            if self.project is not None and str(self.project.path) == path:
                self.verification = report
                self.show_verification()

        return self.run_job(
            verify_project_file,
            path,
            title=_("Verifying the audit log"),
            on_result=done,
            on_error=lambda exc, _tb: self._verify_failed(exc),
        )

    def _verify_failed(self, exc) -> None:
        self.verification = None
        self.show_verification()
        show_error(self, exc)

    def show_verification(self) -> None:
        report = self.verification if self.project is not None else None
        self.verify_label.setVisible(self.project is not None)
        self.verify_label.setText(verification_text(report))
        self.verify_label.setStyleSheet(verification_style(report))
        self.page(AuditLogPage).show_verification(report)

    # -- misc ----------------------------------------------------------------------------------------
    def about(self) -> None:
        from gaisafe_desktop import __version__

        QMessageBox.about(
            self,
            _("About GAISafe Desktop"),
            _("GAISafe Desktop {version}. Offline audit of generative-AI services.").format(version=__version__),
        )

    def closeEvent(self, event) -> None:
        settings.put(settings.GEOMETRY, bytes(self.saveGeometry()))
        self.close_project()
        self.runner.cancel_all()
        self.runner.wait(10000)
        super().closeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(1100, 720)
