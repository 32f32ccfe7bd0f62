"""``gaisafe demo``: the complete demo audit on the bundled data."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, pass_obj
from gaisafe_desktop.core.i18n import N_, _


def register(cli: click.Group) -> None:
    @command(cli, "demo", N_("Run a complete demo audit on the bundled demo data and print where everything is."))
    @click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path),
        default=Path("demo-out"),
        show_default=True,
        help=N_("Folder for the demo project, reports, keys and case file."),
    )
    @pass_obj
    def demo(obj, out_dir):
        from gaisafe_desktop.core.demo import run_demo

        def on_step(i, n, label):
            if not obj.json:
                click.echo(f"[{i + 1}/{n}] {label} …", err=True)

        result = run_demo(out_dir, progress=obj.progress(""), on_step=on_step)
        data = result.to_dict()

        def human(d):
            lines = [_("Demo audit finished in {s} s. Everything is DEMO data.").format(s=d["seconds"])]
            lines += [f"  ✓ {s['label']}: {s['detail']} ({s['seconds']} s)" for s in d["steps"]]
            for v in d["verdicts"]:
                lines.append(f"    {v['check']:<32} {v['outcome']:<20} {v['explain']}")
            lines.append(_("Project file:   {p}").format(p=d["project"]))
            for r in d["reports"]:
                lines.append(_("Report ({lang}):  {p}").format(lang=r["lang"], p=r.get("signed", r["path"])))
            if d["casefile"]:
                lines.append(_("Case file:      {p}").format(p=d["casefile"]))
            lines.append(_("Demo key store: {p} (certificate {c})").format(p=d["key_store"], c=d["certificate"]))
            if d["casefile_problems"]:
                lines += [_("Case-file problems:")] + [f"  ! {p}" for p in d["casefile_problems"]]
            return "\n".join(lines)

        obj.emit(data, human)
        if result.casefile_ok is False:
            sys.exit(5)
