"""Start-up in a real process, the error presenter, the crash dialog and its log, themes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette

from tests.conftest import ROOT, subprocess_env
from tests.ui.helpers import wait_job


def test_app_starts_and_opens_a_project_in_a_subprocess(tmp_project, tmp_path):
    path = tmp_project.path
    tmp_project.close()
    proc = subprocess.run(
        [sys.executable, "-m", "gaisafe_desktop", str(path), "--lang", "zh", "--exit-after", "1500"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=subprocess_env(QT_QPA_PLATFORM="offscreen", GAISAFE_HOME=str(tmp_path / "home")),
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "home" / "logs").exists()  # no crash log


def test_error_presenter_translates_and_ignores_cancel(window):
    from gaisafe_desktop.core.errors import CancelledError, UsageError
    from gaisafe_desktop.core.i18n import N_
    from gaisafe_desktop.ui import errors

    errors.show_error(window, CancelledError())
    assert errors.SHOWN == []
    err = UsageError(N_("{path} already exists; choose another name or open it."), path="/tmp/a.gaisafe")
    errors.show_error(window, err)
    assert errors.SHOWN[-1][1] == "/tmp/a.gaisafe already exists; choose another name or open it."
    window.set_language("zh")
    errors.show_error(window, err)
    title, text = errors.SHOWN[-1]
    assert "/tmp/a.gaisafe" in text and text != errors.SHOWN[-2][1]  # the same error, now in Chinese
    assert title == "无法继续"


def test_failed_job_goes_to_the_error_presenter(open_window, qtbot, tmp_path):
    from gaisafe_desktop.core.views.jobs import add_evidence_files
    from gaisafe_desktop.ui import errors

    missing = tmp_path / "gone.pdf"
    job = open_window.run_job(add_evidence_files, str(open_window.project.path), [str(missing)], title="add")
    wait_job(qtbot, job, timeout=10000)
    assert job.state == "failed"
    assert errors.SHOWN and "gone.pdf" in errors.SHOWN[-1][1]


@pytest.mark.qt_no_exception_capture
def test_crash_dialog_writes_log_and_project_survives(open_window, qtbot):
    """An unexpected exception in a slot: the excepthook writes a log, says the project is safe; it is."""
    from gaisafe_desktop.core.paths import log_dir
    from gaisafe_desktop.core.store import open_project
    from gaisafe_desktop.core.store.audit import verify_project
    from gaisafe_desktop.ui import errors

    previous = sys.excepthook
    errors.install_excepthook()
    try:

        def broken_slot():
            raise RuntimeError("boom in a slot")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: any("Your project is safe" in t for _h, t in errors.SHOWN), timeout=5000)
    finally:
        sys.excepthook = previous
    logs = sorted(log_dir().glob("crash-*.log"))
    assert len(logs) == 1
    body = logs[0].read_text(encoding="utf-8")
    assert "RuntimeError: boom in a slot" in body and "broken_slot" in body
    assert str(logs[0]) in errors.SHOWN[-1][1]
    path = open_window.project.path
    open_window.close_project()
    with open_project(path) as project:
        assert verify_project(project.conn).ok


def test_dark_theme_toggle(window, qtbot, app):
    from gaisafe_desktop.ui import settings
    from gaisafe_desktop.ui.look import apply_theme

    light = app.palette().color(QPalette.ColorRole.Window).lightness()
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    try:
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < light
        assert window.act_dark.isChecked()
        assert settings.get(settings.THEME) == "dark"
    finally:
        apply_theme(app, "light")


def test_recent_projects_on_the_start_screen(open_window, qtbot):
    window = open_window
    path = str(window.project.path.resolve())
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)  # close project
    assert window.project is None and window.stack.currentIndex() == 0
    recent = window.start.recent
    # the project just closed is listed first (an earlier test's window, closed late, may add another below)
    assert recent.count() >= 1 and recent.item(0).data(Qt.ItemDataRole.UserRole) == path
    recent.setCurrentRow(0)
    recent.itemActivated.emit(recent.item(0))  # what Enter or a double click does
    assert window.project is not None and str(window.project.path.resolve()) == path


def test_frequent_actions_have_shortcuts_shown_in_menus(window):
    shown = {}
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if not action.isSeparator() and action.menu() is None:
                shown[action.text()] = action.shortcut().toString()
    for text, keys in {
        "&New project…": "Ctrl+N",
        "&Open project…": "Ctrl+O",
        "&Import data…": "Ctrl+I",
        "Add &evidence…": "Ctrl+E",
        "&Verify audit log": "Ctrl+Shift+V",
        "Cancel running job": "Esc",
        "&Dark theme": "Ctrl+Shift+T",
    }.items():
        assert shown[text] == keys, text


def test_window_geometry_is_restored(window, qtbot):
    from gaisafe_desktop.ui import settings
    from gaisafe_desktop.ui.mainwindow import MainWindow

    window.move(37, 23)
    window.resize(window.width(), 500)
    size = window.size()
    window.close()  # saves the geometry (window state only: nothing of the audit)
    assert settings.get(settings.GEOMETRY)
    again = MainWindow()
    qtbot.addWidget(again)
    # The offscreen test screen is 800 px wide: the restored width is fitted to it, the height is restored.
    assert again.height() == size.height() and again.width() <= size.width()
    assert again.height() != MainWindow.sizeHint(again).height()


def test_export_report_through_the_worker(open_window, qtbot, tmp_path):
    from gaisafe_desktop.core.store.auditlog import read_log

    window = open_window
    assert window.act_report.isEnabled() and window.act_report.shortcut().toString() == "Ctrl+Shift+R"
    job = window.export_report(str(tmp_path / "report.pdf"))
    wait_job(qtbot, job, timeout=120000)
    assert job.state == "finished"
    for lang in ("zh", "en"):
        pdf = tmp_path / f"report-{lang}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-"
    assert "report-zh.pdf" in window.statusBar().currentMessage()
    assert any(e["action"] == "report.build" for e in read_log(window.project, limit=None))


@pytest.mark.slow
def test_sign_reports_and_export_case_file(open_window, qtbot, tmp_path):
    """Create a key in the dialog, sign the exported reports and export the case file; it verifies."""
    from PySide6.QtWidgets import QDialogButtonBox

    from gaisafe_desktop.core.views.casefile import open_casefile_job

    window = open_window
    job = window.export_report(str(tmp_path / "report.pdf"))
    wait_job(qtbot, job, timeout=120000)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.sign_dialog
    qtbot.waitExposed(dialog)
    assert dialog.key.count() == 0 and dialog.sign_reports.isChecked()
    qtbot.keyClicks(dialog.new_name, "Li Lei")
    qtbot.keyClicks(dialog.new_org, "Demo Lab")
    qtbot.keyClicks(dialog.new_password, "short")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.key.count() == 0 and dialog.problem.text()  # too short: explained, nothing created
    dialog.new_password.clear()
    qtbot.keyClicks(dialog.new_password, "correct horse battery")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.key.count() == 1 and dialog.password.text() == "correct horse battery"
    out = tmp_path / "audit.gaicase"
    dialog.out.setText(str(out))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(window, "export_result", None) is not None, timeout=120000)
    result = window.export_result
    assert [p.endswith("-signed.pdf") for p in result["signed_reports"]] == [True, True]
    assert out.is_file() and "audit.gaicase" in window.statusBar().currentMessage()
    verification = open_casefile_job(out)["verification"]
    assert verification["ok"] and len(verification["reports"]) == 2
