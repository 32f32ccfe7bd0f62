"""Run-time language switching: one hub signals every view to retranslate itself."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from gaisafe_desktop.core import i18n


class LanguageHub(QObject):
    changed = Signal()


HUB = LanguageHub()


def switch_language(lang: str) -> None:
    """Change the language of every later ``_()`` and ask visible widgets to retranslate."""
    i18n.set_language(lang)
    HUB.changed.emit()


def on_language_change(slot) -> None:
    """Call ``slot()`` after every switch. Pass a bound method of a QObject: Qt disconnects it when
    the object is destroyed, so closed windows are never called."""
    HUB.changed.connect(slot)
