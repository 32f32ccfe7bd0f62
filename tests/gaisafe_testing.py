"""Helpers shared by tests (importable as ``gaisafe_testing``; ``tests/`` is on the pytest path)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).resolve().parent / "_site"


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


def subprocess_env(**extra: str) -> dict[str, str]:
    """Environment for a child Python: source tree and the blocking sitecustomize on the path."""
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
