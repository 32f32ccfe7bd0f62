"""UI tests: offscreen Qt, one shared QApplication (pytest-qt's), isolated QSettings, no modal dialogs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytestmark = pytest.mark.ui


@pytest.fixture(scope="session")
def app(qapp, tmp_path_factory):
    from PySide6.QtCore import QSettings

    from gaisafe_desktop.ui.app import make_application
    from gaisafe_desktop.ui.errors import set_modal
    from gaisafe_desktop.ui.look import apply_theme

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("qsettings")))
    application = make_application()
    apply_theme(application, "light")
    set_modal(False)
    return application


@pytest.fixture
def window(app, qtbot):
    """A fresh main window on the start screen, with clean settings; closed (and its jobs ended) afterwards."""
    from PySide6.QtCore import QSettings

    from gaisafe_desktop.ui import errors
    from gaisafe_desktop.ui.lang import switch_language
    from gaisafe_desktop.ui.mainwindow import MainWindow

    QSettings("GAISafe", "GAISafe Desktop").clear()
    errors.SHOWN.clear()
    switch_language("en")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.runner.cancel_all()
    win.runner.wait(20000)
    win.close()
    switch_language("en")


@pytest.fixture
def open_window(window, tmp_project, qtbot):
    """The main window showing ``tmp_project`` (reopened by path, as a user would), chain verified."""
    path = tmp_project.path
    tmp_project.close()
    assert window.open_path(str(path))
    from gaisafe_desktop.ui import errors

    try:
        qtbot.waitUntil(lambda: "ok" in (window.verification or {}), timeout=10000)
    except Exception:
        raise AssertionError(f"verification never finished: {window.verification}, shown: {errors.SHOWN}") from None
    return window
