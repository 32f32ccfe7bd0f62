"""Fixtures shared by every test: no network, isolated user folders, a project, the CLI."""

from __future__ import annotations

import os
import sys

import pytest

from gaisafe_testing import ROOT, SITE, CliResult, run_cli, run_gaisafe_subprocess, subprocess_env  # noqa: F401

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


@pytest.fixture
def cli():
    return run_cli


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
