"""Every CLI command is documented in docs/cli.md; the README's two commands are the ones run.sh knows."""

from __future__ import annotations

import re

import click

from gaisafe_testing import ROOT


def _paths(cmd, path):
    yield path
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from _paths(sub, [*path, name])


def test_every_command_is_in_docs_cli_md():
    from gaisafe_desktop.cli.main import cli

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [" ".join(["gaisafe", *p]) for p in _paths(cli, []) if f"`{' '.join(['gaisafe', *p])}`" not in text]
    assert not missing, "run: python scripts/gen_cli_docs.py\nmissing: " + ", ".join(missing)


def test_readme_names_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^\./run\.sh (\w+)", readme, flags=re.M)
    assert commands[:2] == ["demo", "test"]
    script = (ROOT / "run.sh").read_text(encoding="utf-8")
    assert "  test) run_tests" in script and "  demo)" in script
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./run.sh test" in ci
