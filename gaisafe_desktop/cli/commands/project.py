"""``gaisafe project new|info|profile|set``."""

from __future__ import annotations

from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _, localized


def register(cli: click.Group) -> None:
    g = group(cli, "project", N_("Create a project file and describe the service under audit."))

    @command(g, "new", N_("Create a new project file."))
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--provider", required=True, help=N_("Name of the service provider."))
    @click.option("--service", required=True, help=N_("Name of the generative-AI service."))
    @click.option(
        "--framework",
        "framework_id",
        default="tc260-2024-draft",
        show_default=True,
        help=N_("Framework pack to assess against."),
    )
    @click.option("--title", help=N_("Title of the audit (default: provider — service)."))
    @click.option("--model-name", default="", help=N_("Name of the model under test."))
    @click.option("--model-version", default="", help=N_("Version of the model under test."))
    @click.option("--scope", default="", help=N_("Scope of the audit, in a sentence."))
    @click.option("--start-date", help=N_("First day of the audit (YYYY-MM-DD)."))
    @click.option("--end-date", help=N_("Last day of the audit (YYYY-MM-DD)."))
    @click.option("--overwrite", is_flag=True, help=N_("Replace an existing file at PATH."))
    @pass_obj
    def new(
        obj,
        path,
        provider,
        service,
        framework_id,
        title,
        model_name,
        model_version,
        scope,
        start_date,
        end_date,
        overwrite,
    ):
        from gaisafe_desktop.core.store import create_project
        from gaisafe_desktop.core.store.info import project_summary

        project = create_project(
            path,
            framework_id=framework_id,
            provider=provider,
            service=service,
            title=title,
            model_name=model_name,
            model_version=model_version,
            scope=scope,
            start_date=start_date,
            end_date=end_date,
            actor=obj.actor,
            overwrite=overwrite,
        )
        try:
            summary = project_summary(project)
        finally:
            project.close()
        obj.emit(
            summary,
            lambda s: _("Created {path} (framework {fw} {ver}).").format(
                path=s["path"], fw=s["framework_id"], ver=s["framework_version"]
            ),
        )

    @command(g, "info", N_("Show the project's metadata, profile and audit-log head."))
    @pass_obj
    def info(obj):
        from gaisafe_desktop.core.store.info import project_summary

        summary = project_summary(obj.open_project(read_only=False))

        def human(s):
            rows = [
                (_("Title"), s["title"]),
                (_("Provider"), s["provider"]),
                (_("Service"), s["service"]),
                (_("Model"), f"{s['model_name']} {s['model_version']}".strip()),
                (_("Framework"), f"{s['framework_id']} {s['framework_version']} ({s['framework_hash'][:12]})"),
                (_("Created"), s["created_at"]),
                (_("People"), s["people"]),
                (_("Evidence files"), s["evidence"]),
                (_("Audit-log entries"), s["audit_entries"]),
                (_("Audit-log head"), s["audit_head"]),
            ]
            out = table(rows, [_("Field"), _("Value")])
            if s["framework_changed"]:
                out += "\n" + _(
                    "warning: the framework pack installed here ({now}) differs from the one this project was "
                    "created with ({then}); clause texts or thresholds may have changed."
                ).format(now=s["framework_loaded_hash"][:12], then=s["framework_hash"][:12])
            return out

        obj.emit(summary, human)

    @command(g, "set", N_("Change project metadata, e.g. --set model_version=2.1."))
    @click.option("--set", "pairs", multiple=True, metavar="FIELD=VALUE", help=N_("Field and new value; repeatable."))
    @pass_obj
    def set_(obj, pairs):
        from gaisafe_desktop.core.store.info import update_project

        changes = dict(_split_pair(p) for p in pairs)
        summary = update_project(obj.open_project(), **changes)
        obj.emit(summary, lambda s: _("Project updated."))

    @command(g, "profile", N_("Show or change the service profile, and which clauses it makes applicable."))
    @click.option(
        "--set",
        "pairs",
        multiple=True,
        metavar="FIELD=VALUE",
        help=N_("Change a field, e.g. suitable_for_minors=yes or modalities=text,image; repeatable."),
    )
    @click.option("--clauses", is_flag=True, help=N_("List every clause with its applicability."))
    @pass_obj
    def profile(obj, pairs, clauses):
        from gaisafe_desktop.core.store.profile import clause_applicability, get_profile, set_profile

        project = obj.open_project()
        prof = set_profile(project, dict(_split_pair(p) for p in pairs)) if pairs else get_profile(project)
        fields = {f.id: f for f in project.framework.profile_fields}
        data = {"profile": prof}
        app = clause_applicability(project)
        data["applicable"] = sum(1 for a in app if a["applies"])
        data["not_applicable"] = [
            {"clause": a["clause"].id, "reason": localized(a["reason"], obj.lang) if a["reason"] else ""}
            for a in app
            if not a["applies"]
        ]
        if clauses:
            data["clauses"] = [
                {
                    "clause": a["clause"].id,
                    "applies": a["applies"],
                    "reason": localized(a["reason"], obj.lang) if a["reason"] else "",
                }
                for a in app
            ]

        def human(d):
            rows = [
                (
                    k,
                    localized(fields[k].label, obj.lang) if k in fields else k,
                    ", ".join(v) if isinstance(v, list) else (_("yes") if v is True else _("no") if v is False else v),
                )
                for k, v in d["profile"].items()
            ]
            out = [
                table(rows, [_("Field"), _("Meaning"), _("Value")]),
                "",
                _("{n} clauses apply; {m} do not:").format(n=d["applicable"], m=len(d["not_applicable"])),
            ]
            out += [f"  {x['clause']}: {x['reason']}" for x in d["not_applicable"]]
            if "clauses" in d:
                out += [
                    "",
                    table(
                        [
                            (c["clause"], _("applies") if c["applies"] else _("not applicable"), c["reason"])
                            for c in d["clauses"]
                        ],
                        [_("Clause"), _("Applicability"), _("Reason")],
                    ),
                ]
            return "\n".join(out)

        obj.emit(data, human)


def _split_pair(pair: str) -> tuple[str, str]:
    from gaisafe_desktop.core.errors import UsageError

    if "=" not in pair:
        raise UsageError(N_("Expected FIELD=VALUE, got {pair!r}."), pair=pair)
    key, value = pair.split("=", 1)
    return key.strip(), value.strip()
