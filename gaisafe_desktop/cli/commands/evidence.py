"""``gaisafe evidence add|list|link|export``."""

from __future__ import annotations

from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _


def _links(clauses: tuple[str, ...], assessments: tuple[str, ...]) -> list[tuple[str, str]]:
    return [("clause", c) for c in clauses] + [("assessment", a) for a in assessments]


def register(cli: click.Group) -> None:
    g = group(cli, "evidence", N_("Evidence files kept in the project, addressed by SHA-256."))

    @command(g, "add", N_("Add files as evidence, optionally linked to clauses or assessments."))
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--note", default="", help=N_("What the file shows."))
    @click.option("--clause", "clauses", multiple=True, help=N_("Clause id to link, e.g. 5.1.c.1; repeatable."))
    @click.option("--assessment", "assessments", multiple=True, help=N_("Assessment id to link; repeatable."))
    @pass_obj
    def add(obj, files, note, clauses, assessments):
        from gaisafe_desktop.core.store.evidence import add_evidence

        project = obj.open_project()
        added = [add_evidence(project, f, note=note, links=_links(clauses, assessments)).to_dict() for f in files]
        obj.emit(
            added,
            lambda rows: "\n".join(
                _("Added {name}  sha256 {sha}").format(name=r["name"], sha=r["sha256"]) for r in rows
            ),
        )

    @command(g, "link", N_("Link stored evidence to clauses or assessments."))
    @click.argument("sha256")
    @click.option("--clause", "clauses", multiple=True, help=N_("Clause id to link; repeatable."))
    @click.option("--assessment", "assessments", multiple=True, help=N_("Assessment id to link; repeatable."))
    @pass_obj
    def link(obj, sha256, clauses, assessments):
        from gaisafe_desktop.core.store.evidence import link_evidence

        project = obj.open_project()
        ev = None
        for target_type, target_id in _links(clauses, assessments):
            ev = link_evidence(project, sha256, target_type, target_id)
        obj.emit(ev.to_dict() if ev else {}, lambda e: _("Linked.") if e else _("Nothing to link."))

    @command(g, "list", N_("List evidence files."))
    @click.option("--clause", help=N_("Only evidence linked to this clause."))
    @pass_obj
    def list_(obj, clause):
        from gaisafe_desktop.core.store.evidence import list_evidence

        items = [
            e.to_dict()
            for e in list_evidence(obj.open_project(), target_type="clause" if clause else None, target_id=clause)
        ]
        obj.emit(
            items,
            lambda rows: (
                table(
                    [
                        (r["sha256"][:16], r["name"], r["size"], r["added_by"], ", ".join(x["id"] for x in r["links"]))
                        for r in rows
                    ],
                    [_("SHA-256"), _("Name"), _("Bytes"), _("Added by"), _("Linked to")],
                )
                if rows
                else _("No evidence yet.")
            ),
        )

    @command(g, "export", N_("Write a stored evidence file to disk (its hash is checked)."))
    @click.argument("sha256")
    @click.argument("dest", type=click.Path(path_type=Path))
    @pass_obj
    def export(obj, sha256, dest):
        from gaisafe_desktop.core.store.evidence import export_evidence

        path = export_evidence(obj.open_project(), sha256, dest)
        obj.emit({"path": str(path)}, lambda d: _("Written to {path}").format(path=d["path"]))
