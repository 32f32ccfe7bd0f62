"""``gaisafe judgements import|list``: human judgements (qualified or not, risk codes, who, when)."""

from __future__ import annotations

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _


def register(cli: click.Group) -> None:
    g = group(cli, "judgements", N_("Human judgements of records: import from a file, list."))

    @command(g, "import", N_("Import judgements (record_key or id, qualified, risk_codes, annotator, reviewer, time)."))
    @click.argument("file", type=click.Path(dir_okay=False))
    @pass_obj
    def import_(obj, file):
        from gaisafe_desktop.core.assess.judgements import import_judgements

        r = import_judgements(obj.open_project(), file, progress=obj.progress(_("Importing")))
        obj.emit(
            r.to_dict(),
            lambda d: _("{file}: {lines} judgements; {added} added, {changed} changed, {unchanged} unchanged.").format(
                **d
            ),
        )

    @command(g, "list", N_("List stored judgements (all, or those of one record with their history)."))
    @click.option("--key", help=N_("Only the judgements of this record key, with their change history."))
    @click.option("--limit", type=int, default=50, show_default=True, help=N_("Show at most this many."))
    @pass_obj
    def list_(obj, key, limit):
        from gaisafe_desktop.core.assess.judgements import judgement_history, list_judgements

        project = obj.open_project(read_only=True)
        rows = list_judgements(project, record_key=key, limit=limit)
        data = {"judgements": rows}
        if key:
            data["history"] = judgement_history(project, key)

        def human(d):
            if not d["judgements"]:
                return _("No judgements yet.")
            lines = [
                table(
                    [
                        (
                            j["record_key"],
                            j["role"],
                            j["judge"],
                            _("yes") if j["qualified"] else _("no"),
                            ", ".join(j["risk_codes"]),
                            j["reviewer"],
                            j["judged_at"][:19],
                        )
                        for j in d["judgements"]
                    ],
                    [_("Record"), _("Role"), _("Judge"), _("Qualified"), _("Risks"), _("Reviewer"), _("When")],
                )
            ]
            for h in d.get("history", []):
                lines.append(
                    _("{when} {who}: {old} → {new}").format(
                        when=h["changed_at"][:19], who=h["changed_by"], old=h["old_value"] or "—", new=h["new_value"]
                    )
                )
            return "\n".join(lines)

        obj.emit(data, human)
