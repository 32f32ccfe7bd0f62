"""The one error presenter and the crash dialog.

Errors the user can act on (:class:`GaisafeError`) are shown with their translated message.
Anything else is a bug: the global excepthook writes a log file under ``core.paths.log_dir()``
and shows a crash dialog saying where the log is and that the project is safe (every write is
one transaction, so nothing half-written can remain).
"""

from __future__ import annotations

import datetime as _dt
import platform
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from gaisafe_desktop import __version__
from gaisafe_desktop.core.errors import CancelledError, GaisafeError
from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.core.paths import log_dir

# Dialogs shown so far (tests read them instead of clicking modal boxes).
SHOWN: list[tuple[str, str]] = []
_MODAL = True


def set_modal(modal: bool) -> None:
    """Tests switch modal dialogs off; the message is still built and recorded in ``SHOWN``."""
    global _MODAL
    _MODAL = modal


def describe(exc: BaseException) -> str:
    """What to tell the user about ``exc``, in the current language."""
    if isinstance(exc, GaisafeError):
        return exc.message()
    if isinstance(exc, PermissionError):
        return _("Permission denied: {path}. Choose a folder you can write to.").format(path=exc.filename or "")
    if isinstance(exc, FileNotFoundError):
        return _("File not found: {path}.").format(path=exc.filename or "")
    if isinstance(exc, OSError):
        return _("The system reported an error: {error}. Check the disk and the file, then try again.").format(
            error=exc.strerror or str(exc)
        )
    return _("Unexpected error: {error}.").format(error=f"{type(exc).__name__}: {exc}")


def show_error(parent: QWidget | None, exc: BaseException, *, title: str | None = None) -> None:
    """Show one error. Cancellation is never an error and shows nothing."""
    if isinstance(exc, CancelledError):
        return
    if not isinstance(exc, GaisafeError | OSError):
        write_crash_log(type(exc), exc, exc.__traceback__)
    title = title or _("Cannot continue")
    text = describe(exc)
    SHOWN.append((title, text))
    if _MODAL:
        QMessageBox.warning(parent, title, text)


def write_crash_log(exc_type, exc, tb) -> Path:
    """Write a crash log with the traceback and versions; returns its path."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"crash-{stamp}.log"
    body = [
        f"GAISafe Desktop {__version__}",
        f"Python {platform.python_version()} on {platform.platform()}",
        f"Time {_dt.datetime.now(_dt.UTC).isoformat()}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)),
    ]
    path.write_text("\n".join(body), encoding="utf-8")
    return path


def crash_message(log_path: Path) -> str:
    return _(
        "GAISafe Desktop hit an unexpected problem.\n\n"
        "Your project is safe: every change is saved in one transaction, so nothing half-written "
        "can remain in the project file.\n\n"
        "A log was written to:\n{path}\n\nPlease send it to your support contact."
    ).format(path=str(log_path))


def _excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if isinstance(exc, GaisafeError):
        show_error(None, exc)
        return
    path = write_crash_log(exc_type, exc, tb)
    text = crash_message(path)
    SHOWN.append((_("Unexpected problem"), text))
    sys.__excepthook__(exc_type, exc, tb)
    if _MODAL:
        box = QMessageBox(QMessageBox.Icon.Critical, _("Unexpected problem"), text)
        box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
        box.exec()


def install_excepthook() -> None:
    sys.excepthook = _excepthook
