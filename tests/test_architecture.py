"""Layering, lint and Qt-independence checks that run with the test suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from gaisafe_testing import ROOT, subprocess_env


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else (shutil.which(name) or name)


def test_import_contracts_hold():
    r = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_is_clean():
    r = subprocess.run(
        [_tool("ruff"), "check", "gaisafe_desktop", "tests", "scripts", "benchmarks", "training"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_core_and_cli_module_imports_with_qt_blocked():
    code = (
        "import importlib, pkgutil, gaisafe_desktop.core as c, gaisafe_desktop.cli as k\n"
        "mods = [m.name for p in (c, k) for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.') if not m.name.endswith('__main__')]\n"
        "[importlib.import_module(m) for m in mods]\n"
        "import sys; assert 'PySide6' not in sys.modules\n"
        "print(len(mods))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=subprocess_env(GAISAFE_BLOCK_QT="1")
    )
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.strip()) > 10
