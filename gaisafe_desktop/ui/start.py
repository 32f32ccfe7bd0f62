"""The start screen: recent projects, new project, open project, open case file, demo project."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from gaisafe_desktop import __version__
from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.ui import settings
from gaisafe_desktop.ui.look import icon
from gaisafe_desktop.ui.pages.base import heading, wrapped


def plain(text: str) -> str:
    """A menu text without its mnemonic: ``&New project…`` → ``New project…``, ``新建项目(&N)…`` → ``新建项目…``."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "")


class StartView(QWidget):
    """Emits ``open_requested(path)``; the window's actions do the rest."""

    open_requested = Signal(str)

    def __init__(self, window) -> None:
        super().__init__()
        self.window_ = window
        self.header = heading()
        self.subtitle = wrapped()
        self.buttons: dict[str, QPushButton] = {}
        col = QVBoxLayout()
        for key, action in (
            ("new", window.act_new),
            ("open", window.act_open),
            ("casefile", window.act_casefile),
            ("demo", window.act_demo),
        ):
            b = QPushButton(icon(key), "")
            b.setIconSize(QSize(28, 28))
            b.setMinimumHeight(48)
            b.setStyleSheet("text-align: left; padding-left: 12px;")
            b.clicked.connect(action.trigger)
            self.buttons[key] = b
            col.addWidget(b)
        col.addStretch(1)
        self.recent_label = QLabel()
        self.recent = QListWidget()
        self.recent.itemActivated.connect(lambda item: self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.recent_empty = wrapped()
        right = QVBoxLayout()
        right.addWidget(self.recent_label)
        right.addWidget(self.recent, 1)
        right.addWidget(self.recent_empty)
        row = QHBoxLayout()
        row.addLayout(col, 2)
        row.addSpacing(24)
        row.addLayout(right, 3)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(32, 24, 32, 24)
        lay.addWidget(self.header)
        lay.addWidget(self.subtitle)
        lay.addSpacing(16)
        lay.addLayout(row, 1)
        # Retranslated by the window, after it has renamed the actions these buttons mirror.
        self.refresh()

    def retranslate(self) -> None:
        w = self.window_
        self.header.setText(_("GAISafe Desktop"))
        self.subtitle.setText(
            _(
                "Audit a generative-AI service against the basic security requirements for generative AI "
                "services (TC260, GB/T 45654-2025). Everything stays on this computer. Version {version}."
            ).format(version=__version__)
        )
        for key, action in (
            ("new", w.act_new),
            ("open", w.act_open),
            ("casefile", w.act_casefile),
            ("demo", w.act_demo),
        ):
            b = self.buttons[key]
            shortcut = action.shortcut().toString()
            b.setText(plain(action.text()) + (f"   ({shortcut})" if shortcut else ""))
            b.setEnabled(action.isEnabled())
            b.setToolTip(action.toolTip())
        self.recent_label.setText(_("Recent projects"))
        self.recent_empty.setText(_("No recent projects. Create one or open a project file."))

    def refresh(self) -> None:
        self.recent.clear()
        for path in settings.get(settings.RECENT):
            p = Path(path)
            item = QListWidgetItem(icon("open"), f"{p.stem}  —  {p.parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            if not p.exists():
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(_("This file no longer exists."))
            else:
                item.setToolTip(path)
            self.recent.addItem(item)
        self.recent_empty.setVisible(self.recent.count() == 0)
