"""What every project page shares: its project, retranslation, refresh after a change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from gaisafe_desktop.ui.lang import on_language_change

if TYPE_CHECKING:
    from gaisafe_desktop.core.store import Project
    from gaisafe_desktop.ui.mainwindow import MainWindow


class Page(QWidget):
    """A screen of the project window. Subclasses build widgets, then fill them in ``refresh``."""

    icon_name = ""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.project: Project | None = None
        on_language_change(self._retranslate_if_alive)

    def _retranslate_if_alive(self) -> None:
        self.retranslate()
        if self.project is not None:
            self.refresh()

    def title(self) -> str:
        raise NotImplementedError

    def set_project(self, project: Project | None) -> None:
        self.project = project
        if project is not None:
            self.refresh()

    def refresh(self) -> None:
        """Re-read what the page shows from the core."""

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""


def heading(text: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    return label


def wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label
