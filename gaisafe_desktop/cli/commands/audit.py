"""``gaisafe audit verify|log``."""

from __future__ import annotations

import json

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.errors import IntegrityError
from gaisafe_desktop.core.i18n import N_, _


def register(cli: click.Group) -> None:
    g = group(cli, "audit", N_("The project's hash-chained audit log."))

    @command(g, "verify", N_("Verify the audit-log chain and every audited row; exit 5 if anything was altered."))
    @pass_obj
    def verify(obj):
        from gaisafe_desktop.core.store.audit import verify_project

        project = obj.open_project(read_only=True)
        report = verify_project(project.conn)
        data = report.to_dict()

        def human(d):
            if d["ok"]:
                return _("Audit log intact: {n} entries, {rows} audited rows checked, head {head}.").format(
                    n=d["entries"], rows=d["rows_checked"], head=d["head"]
                )
            lines = [_("Audit log verification FAILED ({n} problems):").format(n=len(d["problems"]))]
            lines += [f"  {p['where']}: {p['message']}" for p in d["problems"]]
            return "\n".join(lines)

        obj.emit(data, human)
        if not report.ok:
            first = report.first_broken
            raise IntegrityError(
                N_("audit verification failed at {where}: {message}"), where=first.where, message=first.message()
            )

    @command(g, "log", N_("Show audit-log entries, newest last."))
    @click.option("--action", help=N_("Only entries whose action starts with this, e.g. evidence."))
    @click.option("--actor", "who", help=N_("Only entries by this person."))
    @click.option("--limit", default=50, show_default=True, help=N_("How many of the newest entries to show."))
    @pass_obj
    def log(obj, action, who, limit):
        from gaisafe_desktop.core.store.auditlog import read_log

        rows = read_log(obj.open_project(read_only=True), action=action, actor=who, limit=limit)
        obj.emit(
            rows,
            lambda rs: (
                table(
                    [
                        (
                            r["seq"],
                            r["ts"][:19],
                            r["actor"],
                            r["action"],
                            f"{r['entity']} {r['entity_id']}".strip(),
                            json.dumps(r["payload"], ensure_ascii=False)[:60],
                        )
                        for r in rs
                    ],
                    [_("#"), _("Time (UTC)"), _("Actor"), _("Action"), _("Entity"), _("Details")],
                )
                if rs
                else _("No entries.")
            ),
        )
