"""Per-user folders for keys, logs and settings (never inside a project file)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def app_home() -> Path:
    """``GAISAFE_HOME`` if set, else the platform's per-user data folder."""
    env = os.environ.get("GAISAFE_HOME")
    if env:
        return Path(env)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "GAISafe"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "GAISafe"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "gaisafe"


def log_dir() -> Path:
    return app_home() / "logs"


def keys_dir() -> Path:
    return app_home() / "keys"
