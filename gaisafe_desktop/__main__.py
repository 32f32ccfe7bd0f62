"""``python -m gaisafe_desktop`` starts the desktop application (``--selftest``: check the installation)."""

import multiprocessing
import sys


def _window_check(ctx) -> str:
    """Self-test check: the main window builds offscreen and its SVG icons render (Qt plugins present)."""
    from gaisafe_desktop.core.i18n import N_, _
    from gaisafe_desktop.core.selftest import SelftestError
    from gaisafe_desktop.ui.app import make_application
    from gaisafe_desktop.ui.look import icon
    from gaisafe_desktop.ui.mainwindow import MainWindow

    app = make_application()
    window = MainWindow()
    try:
        if icon("open").pixmap(32, 32).isNull():
            raise SelftestError(N_("The SVG icons do not render (Qt image plugins missing)."))
    finally:
        window.close()
    return _("main window built on the {platform} platform; icons render").format(platform=app.platformName())


def selftest_main(argv: list[str]) -> int:
    """``gaisafe-desktop --selftest [--only NAME]``: the CLI self-test plus the window check, offscreen."""
    import os

    from gaisafe_desktop.core.i18n import N_, set_language, system_language
    from gaisafe_desktop.core.selftest import SelftestCheck, format_report, run_selftest

    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a self-test never opens a window
    set_language(system_language())
    only = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--only"] or None
    window = SelftestCheck("window", N_("Desktop window and icons"), _window_check, needs=("resources",))
    report = run_selftest(only=only, extra=[window])
    if sys.stdout is not None:  # a windowed build on Windows has no console; the log file has the result
        print(format_report(report), flush=True)
    return 0 if report.ok else 5


def main() -> int:
    multiprocessing.freeze_support()
    if "--selftest" in sys.argv[1:]:
        return selftest_main(sys.argv[1:])
    from gaisafe_desktop.ui.app import main as ui_main

    return ui_main()


if __name__ == "__main__":
    raise SystemExit(main())
