"""Themes (light, dark), scalable icons and the bundled CJK font."""

from __future__ import annotations

import functools

from PySide6.QtGui import QColor, QFontDatabase, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from gaisafe_desktop.core.resources import resource_path

THEMES = ("light", "dark")


ACCENT = "#3d7be0"


@functools.cache
def icon(name: str) -> QIcon:
    """An SVG icon from ``resources/icons`` (scales to any DPI); white when shown on a selection."""
    path = resource_path("icons", f"{name}.svg")
    if not path.is_file():
        return QIcon()
    result = QIcon(str(path))
    svg = path.read_text(encoding="utf-8")
    if ACCENT in svg:
        from PySide6.QtCore import QByteArray, Qt
        from PySide6.QtGui import QPainter, QPixmap
        from PySide6.QtSvg import QSvgRenderer

        renderer = QSvgRenderer(QByteArray(svg.replace(ACCENT, "#ffffff").encode()))
        for size in (16, 22, 24, 32, 48, 64):
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter)
            painter.end()
            result.addPixmap(pixmap, QIcon.Mode.Selected)
    return result


def load_bundled_fonts() -> list[str]:
    """Register the shipped CJK font so Chinese never renders as boxes, even without system fonts."""
    families: list[str] = []
    folder = resource_path("fonts")
    for path in sorted(folder.rglob("*.tt[cf]")) if folder.is_dir() else []:
        fid = QFontDatabase.addApplicationFont(str(path))
        if fid >= 0:
            families += QFontDatabase.applicationFontFamilies(fid)
    return families


def _dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor(30, 32, 36), QColor(43, 45, 50), QColor(225, 228, 232)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, QColor(38, 40, 45))
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, window)
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.ToolTipBase, window)
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.Highlight, QColor(61, 123, 224))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
        p.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(140, 144, 150))
        p.setColor(group, QPalette.ColorRole.Link, QColor(110, 160, 240))
    disabled = QColor(120, 124, 130)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, window)
    return p


def apply_theme(app: QApplication, theme: str) -> str:
    """Apply ``light`` or ``dark`` (Fusion style, so both look the same on every platform)."""
    theme = theme if theme in THEMES else "light"
    app.setStyle("Fusion")
    palette = _dark_palette() if theme == "dark" else app.style().standardPalette()
    app.setPalette(palette)
    app.setProperty("gaisafe_theme", theme)
    return theme


def current_theme() -> str:
    app = QApplication.instance()
    return (app.property("gaisafe_theme") if app else None) or "light"


def status_color(ok: bool | None) -> str:
    """Green / red / grey that read on both themes."""
    if ok is None:
        return "#8a8f98"
    return "#1f9d55" if ok else "#d93025"
