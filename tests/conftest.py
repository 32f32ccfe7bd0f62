"""Fixtures shared by every test: no network, isolated user folders, a project, the CLI."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).resolve().parent / "_site"

# Block the network (and Qt, when asked) in this process exactly as in subprocesses.
os.environ.setdefault("GAISAFE_BLOCK_NET", "1")
if str(SITE) not in sys.path:
    sys.path.insert(0, str(SITE))
import gaisafe_blocks  # noqa: E402,F401  - applies the blocks to this process


@pytest.fixture(autouse=True)
def _isolated_user(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("gaisafe-home")
    monkeypatch.setenv("GAISAFE_HOME", str(home))
    monkeypatch.setenv("GAISAFE_LANG", "en")
    monkeypatch.setenv("GAISAFE_ACTOR", "Test Auditor")
    monkeypatch.delenv("GAISAFE_PROJECT", raising=False)
    from gaisafe_desktop.core.i18n import set_language

    set_language("en")
    yield home
    set_language("en")


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def json(self):
        import json

        return json.loads(self.out)


def run_cli(*args: str) -> CliResult:
    """Run ``gaisafe ARGS`` in this process and capture what it prints."""
    from gaisafe_desktop.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SITE), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["GAISAFE_BLOCK_NET"] = "1"
    env.update(extra)
    return env


def run_gaisafe_subprocess(*args: str, timeout: float = 600, **extra_env: str) -> subprocess.CompletedProcess:
    """Run ``python -m gaisafe_desktop.cli ARGS`` in a real process with the network blocked."""
    return subprocess.run(
        [sys.executable, "-m", "gaisafe_desktop.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=subprocess_env(**extra_env),
        cwd=ROOT,
    )


@pytest.fixture
def gaisafe_subprocess():
    return run_gaisafe_subprocess


@pytest.fixture
def tmp_project(tmp_path):
    """A fresh project (TC260 draft framework), closed after the test."""
    from gaisafe_desktop.core.store import create_project

    project = create_project(
        tmp_path / "audit.gaisafe",
        framework_id="tc260-2024-draft",
        provider="Demo Provider",
        service="Demo Chat",
        model_name="demo-llm",
        model_version="1.0",
        actor="Test Auditor",
    )
    yield project
    project.close()
