"""``gaisafe selftest``: check that this installation is whole and works (offline, headless)."""

from __future__ import annotations

from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, pass_obj
from gaisafe_desktop.core.i18n import N_, _


def register(cli: click.Group) -> None:
    @command(
        cli,
        "selftest",
        N_(
            "Check this installation: files against their build checksums, model hashes, resources, a scratch "
            "project, a signed report and the whole demo audit. Exit code 0 only if every check passes."
        ),
    )
    @click.option("--only", multiple=True, metavar="NAME", help=N_("Run only this check (repeatable); see --list."))
    @click.option("--list", "list_checks", is_flag=True, help=N_("List the checks and exit."))
    @click.option(
        "--keep",
        type=click.Path(file_okay=False, path_type=Path),
        help=N_("Keep the scratch project, keys and reports in this folder (default: a temporary folder, removed)."),
    )
    @pass_obj
    def selftest(obj, only, list_checks, keep):
        from gaisafe_desktop.core.selftest import CHECKS, format_report, load_extensions, run_selftest

        if list_checks:
            load_extensions()
            obj.emit(
                [{"name": c.name, "title": _(c.title)} for c in CHECKS],
                lambda rows: "\n".join(f"{r['name']:<10} {r['title']}" for r in rows),
            )
            return 0
        report = run_selftest(only=only or None, keep=keep, progress=obj.progress(_("Self-test")))
        obj.emit(report.to_dict(), lambda _d: format_report(report))
        return 0 if report.ok else 5
