"""``gaisafe checklist list|set|attach|export`` — the clause checklist the auditor signs."""

from __future__ import annotations

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _, localized


def register(cli: click.Group) -> None:
    from gaisafe_desktop.core.checklist.checklist import RESULTS

    g = group(cli, "checklist", N_("The clause checklist: applicability, results, evidence, export."))

    @command(g, "list", N_("Every clause with applicability, result and evidence; progress by section."))
    @click.option("--open", "only_open", is_flag=True, help=N_("Only clauses that apply and have no result yet."))
    @click.option("--section", help=N_("Only clauses of this top-level section (5, 6, 7, B)."))
    @pass_obj
    def list_(obj, only_open, section):
        from gaisafe_desktop.core.checklist.checklist import checklist_rows, section_progress

        proj = obj.open_project()
        rows = checklist_rows(proj)
        progress = section_progress(proj, rows)
        shown = [r for r in rows if (not only_open or r.is_open) and (not section or r.section == section)]
        data = {"clauses": [r.to_dict() for r in shown], "progress": progress}

        def human(d):
            lines = [
                table(
                    [
                        (
                            r["ref"],
                            _("Yes") if r["applies"] else _("No"),
                            localized(RESULTS[r["result"]], obj.lang),
                            len(r["evidence"]),
                            localized(r["text"], obj.lang)[:50],
                        )
                        for r in d["clauses"]
                    ],
                    [_("Clause"), _("Applies"), _("Result"), _("Evidence"), _("Requirement")],
                )
                if d["clauses"]
                else _("No clause is open.")
            ]
            lines.append(
                "  ".join(
                    _("{section}: {done}/{n}").format(section=p["section"], done=p["done"], n=p["applicable"])
                    for p in d["progress"]
                )
            )
            return "\n".join(lines)

        obj.emit(data, human)

    @command(g, "set", N_("Set a clause's result, observations or applicability override (logged)."))
    @click.argument("clause")
    @click.option("--result", type=click.Choice(list(RESULTS)), help=N_("Result of the clause."))
    @click.option("--observations", help=N_("What the auditor observed."))
    @click.option(
        "--applies",
        type=click.Choice(["applies", "not_applicable", "computed"]),
        help=N_("Override the applicability computed from the service profile ('computed' removes the override)."),
    )
    @click.option("--justification", default="", help=N_("Why the applicability is overridden (required)."))
    @pass_obj
    def set_(obj, clause, result, observations, applies, justification):
        from gaisafe_desktop.core.checklist.checklist import set_clause

        override = None if applies is None else ("" if applies == "computed" else applies)
        row = set_clause(
            obj.open_project(),
            clause,
            result=result,
            observations=observations,
            applies=override,
            justification=justification,
        )
        obj.emit(
            row.to_dict(),
            lambda d: _("Clause {ref}: {result}{override}.").format(
                ref=d["ref"],
                result=localized(RESULTS[d["result"]], obj.lang),
                override=(" · " + _("applicability overridden: {why}").format(why=d["override_reason"]))
                if d["applies_override"]
                else "",
            ),
        )

    @command(g, "attach", N_("Hash a file into the evidence store and link it to a clause."))
    @click.argument("clause")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @click.option("--note", default="", help=N_("Note kept with the evidence."))
    @pass_obj
    def attach(obj, clause, files, note):
        from gaisafe_desktop.core.checklist.checklist import attach_evidence

        proj = obj.open_project()
        out = [attach_evidence(proj, clause, f, note=note).to_dict() for f in files]
        obj.emit(
            out,
            lambda evs: "\n".join(
                _("Linked {name} ({sha}) to clause {clause}.").format(
                    name=e["name"], sha=e["sha256"][:12], clause=clause
                )
                for e in evs
            ),
        )

    @command(g, "export", N_("Export the checklist as CSV or XLSX (format from the file name)."))
    @click.argument("dest", type=click.Path(dir_okay=False))
    @click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), help=N_("Format (default: from the suffix)."))
    @pass_obj
    def export(obj, dest, fmt):
        from gaisafe_desktop.core.checklist.export import export_checklist

        path = export_checklist(obj.open_project(), dest, fmt=fmt, lang=obj.lang)
        obj.emit({"path": str(path)}, lambda d: _("Checklist written to {path}.").format(path=d["path"]))
