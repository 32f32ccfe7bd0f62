"""The one resource locator: finds ``resources/`` and ``bundled_models/`` wherever the app runs.

Three layouts are supported:
- a source checkout (the folders sit beside the package);
- an installed wheel (setuptools maps them to ``gaisafe_desktop._resources`` and
  ``gaisafe_desktop._bundled_models``, see ``pyproject.toml``);
- a PyInstaller bundle (``build.spec`` copies them under ``sys._MEIPASS``).
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@functools.cache
def _root(name: str) -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / name
    installed = _PACKAGE_DIR / f"_{name}"
    if installed.is_dir():
        return installed
    spec = importlib.util.find_spec(f"gaisafe_desktop._{name}")
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return _PACKAGE_DIR.parent / name


def resource_path(*parts: str) -> Path:
    """Path of a file or folder under ``resources/`` (which need not exist)."""
    return _root("resources").joinpath(*parts)


def models_path(*parts: str) -> Path:
    """Path of a file or folder under ``bundled_models/``."""
    return _root("bundled_models").joinpath(*parts)
