"""``python -m gaisafe_desktop`` starts the desktop application."""

import multiprocessing


def main() -> int:
    multiprocessing.freeze_support()
    from gaisafe_desktop.ui.app import main as ui_main

    return ui_main()


if __name__ == "__main__":
    raise SystemExit(main())
