"""Start the desktop application: ``python -m gaisafe_desktop [PROJECT] [--lang zh|en] [--theme dark]``."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtWidgets import QApplication

from gaisafe_desktop.core.i18n import normalize_language, set_language, system_language
from gaisafe_desktop.ui import settings
from gaisafe_desktop.ui.errors import install_excepthook
from gaisafe_desktop.ui.look import apply_theme, load_bundled_fonts
from gaisafe_desktop.ui.none_guard import protect_none  # noqa: E402


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, with the bundled CJK font registered (tests reuse an existing one)."""
    protect_none()  # PySide6 6.12 on CPython 3.11 drops references to None; see ui/none_guard.py
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("GAISafe Desktop")
    app.setOrganizationName("GAISafe")
    if not app.property("gaisafe_fonts"):
        app.setProperty("gaisafe_fonts", ",".join(load_bundled_fonts()) or "-")
    return app


def initial_language(cli_lang: str | None = None) -> str:
    """``--lang``, else the saved choice, else the system locale (Chinese on a Chinese system)."""
    if cli_lang:
        return normalize_language(cli_lang)
    saved = settings.get(settings.LANGUAGE)
    return normalize_language(saved) if saved else system_language()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gaisafe-desktop")
    parser.add_argument("project", nargs="?", help="project file to open")
    parser.add_argument("--lang", choices=["zh", "en"])
    parser.add_argument("--theme", choices=["light", "dark"])
    parser.add_argument("--read-only", action="store_true")
    # For start-up tests of the source tree and the frozen build: quit after this many milliseconds.
    parser.add_argument("--exit-after", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    app = make_application()
    set_language(initial_language(args.lang))
    apply_theme(app, args.theme or settings.get(settings.THEME))
    install_excepthook()
    from gaisafe_desktop.ui.mainwindow import MainWindow

    window = MainWindow()
    window.show()
    if args.project:
        window.open_path(args.project, read_only=args.read_only)
    if args.exit_after:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(args.exit_after, window.close)
    return app.exec()
