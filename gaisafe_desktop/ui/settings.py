"""Window preferences, declared once with type and default (QSettings; never audit parameters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any


GEOMETRY = Setting("window/geometry", bytes, b"")
WINDOW_STATE = Setting("window/state", bytes, b"")
LANGUAGE = Setting("ui/language", str, "")  # "" = follow the system locale
THEME = Setting("ui/theme", str, "light")
RECENT = Setting("ui/recent_projects", list, [])
RECENT_MAX = 10


def _store() -> QSettings:
    return QSettings("GAISafe", "GAISafe Desktop")


def get(setting: Setting) -> Any:
    value = _store().value(setting.key, setting.default)
    if value is None:
        return setting.default
    if setting.type is list:
        if isinstance(value, str):
            return [value] if value else []
        return list(value)
    if setting.type is bytes:
        return bytes(value) if value else b""
    return setting.type(value)


def put(setting: Setting, value: Any) -> None:
    _store().setValue(setting.key, value)


def add_recent(path: str) -> list[str]:
    """Put ``path`` first in the recent-projects list."""
    recent = [p for p in get(RECENT) if p != path]
    recent.insert(0, path)
    recent = recent[:RECENT_MAX]
    put(RECENT, recent)
    return recent
