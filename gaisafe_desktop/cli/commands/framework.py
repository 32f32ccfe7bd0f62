"""``gaisafe framework list|show|validate``: the framework packs the application ships."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _, localized


def _pack_ref(value: str) -> str | Path:
    """An existing folder is a pack path; anything else is a pack id."""
    return Path(value) if Path(value).is_dir() else value


def register(cli: click.Group) -> None:
    g = group(cli, "framework", N_("Framework packs: the standards a service can be audited against."))

    @command(g, "list", N_("List the installed framework packs."))
    @pass_obj
    def list_cmd(obj):
        from gaisafe_desktop.core.frameworks.summary import framework_listing

        data = framework_listing()

        def human(rows):
            return table(
                [
                    (
                        r["id"],
                        r["version"],
                        localized(r["title"], obj.lang) if r["title"] else "",
                        r["published_as"],
                        _("invalid: {error}").format(error=r["error"]) if r["error"] else r["pack_hash"][:16],
                    )
                    for r in rows
                ],
                [_("Id"), _("Version"), _("Title"), _("Published as"), _("Pack hash")],
            )

        obj.emit(data, human)

    @command(g, "show", N_("Show a framework pack: header and counts, and the lists asked for."))
    @click.argument("framework_id", metavar="ID")
    @click.option("--risks", is_flag=True, help=N_("List the risk codes and names."))
    @click.option("--aspects", is_flag=True, help=N_("List the should-not-refuse aspects."))
    @click.option(
        "--clauses", is_flag=True, help=N_("List every clause with its obligation and applicability condition.")
    )
    @click.option("--assessments", is_flag=True, help=N_("List the automated assessments and their parameters."))
    @click.option("--profile", is_flag=True, help=N_("List the service-profile fields and their defaults."))
    @click.option("--json", "as_json", is_flag=True, help=N_("Print machine-readable JSON."))
    @pass_obj
    def show(obj, framework_id, risks, aspects, clauses, assessments, profile, as_json):
        from gaisafe_desktop.core.frameworks.summary import framework_summary

        parts = tuple(
            name
            for name, wanted in (
                ("risks", risks),
                ("aspects", aspects),
                ("clauses", clauses),
                ("assessments", assessments),
                ("profile", profile),
            )
            if wanted
        )
        data = framework_summary(_pack_ref(framework_id), parts)
        obj.json = obj.json or as_json
        obj.emit(data, lambda d: _render_show(d, obj.lang))

    @command(g, "validate", N_("Check a framework pack (an installed id or a folder) and list every problem."))
    @click.argument("pack", metavar="PATH_OR_ID")
    @pass_obj
    def validate(obj, pack):
        from gaisafe_desktop.core.errors import ValidationError
        from gaisafe_desktop.core.frameworks.summary import validation_report

        report = validation_report(_pack_ref(pack))

        def human(r):
            if r["valid"]:
                return _(
                    "{path}: valid framework pack {id} {version}, {clauses} clauses, {risks} risks; hash {hash}"
                ).format(
                    path=r["path"],
                    id=r["id"],
                    version=r["version"],
                    clauses=r["clauses"],
                    risks=r["risks"],
                    hash=r["pack_hash"],
                )
            return "\n".join(
                ":".join([p["file"], *([str(p["line"])] if p["line"] else [])])
                + (f": {p['path']}" if p["path"] else "")
                + f": {p['message']}"
                for p in r["problems"]
            )

        obj.emit(report, human)
        if not report["valid"]:
            # the problems are printed above; this sets the exit code and the one-line summary on stderr
            raise ValidationError(N_("{n} problem(s) in {path}"), n=len(report["problems"]), path=report["path"])


def _render_show(d: dict, lang: str) -> str:
    from gaisafe_desktop.core.frameworks.applicability import condition_text

    c = d["counts"]
    src = d["source"]
    out = [
        f"{localized(d['title'], lang)}",
        _("Id: {id}   Version: {version}").format(id=d["id"], version=d["version"]),
        _("Source: {date} ({status}); published as {published}").format(
            date=src.get("date", ""), status=src.get("status", ""), published=src.get("published_as") or "-"
        ),
        _("Pack hash: {hash}").format(hash=d["pack_hash"]),
        _("{risks} risks ({groups}); {aspects} aspects; {fields} profile fields").format(
            risks=c["risks"],
            groups=", ".join(f"{g} {n}" for g, n in c["risks_per_group"].items()),
            aspects=c["aspects"],
            fields=c["profile_fields"],
        ),
        _("{clauses} clauses ({shall} shall, {should} should, {cond} conditional); {assessments} assessments").format(
            clauses=c["clauses"],
            shall=c["clauses_shall"],
            should=c["clauses_should"],
            cond=c["clauses_conditional"],
            assessments=c["assessments"],
        ),
    ]
    if "risks" in d:
        out += [
            "",
            table(
                [(r["code"], r["group"], localized(r["name"], lang)) for r in d["risks"]],
                [_("Code"), _("Group"), _("Risk")],
            ),
        ]
    if "aspects" in d:
        out += ["", table([(a["id"], localized(a["name"], lang)) for a in d["aspects"]], [_("Id"), _("Aspect")])]
    if "profile" in d:
        rows = [
            (
                f["id"],
                f["type"],
                localized(f["label"], lang),
                ", ".join(ch["id"] for ch in f["choices"]),
                str(f["default"]),
            )
            for f in d["profile"]
        ]
        out += ["", table(rows, [_("Field"), _("Type"), _("Label"), _("Choices"), _("Default")])]
    if "clauses" in d:
        rows = [
            (
                cl["id"],
                cl["ref"],
                _(cl["obligation"]),
                condition_text(cl["applies_if"]) or _("always"),
                ", ".join(cl["assessments"]),
                localized(cl["text"], lang),
            )
            for cl in d["clauses"]
        ]
        out += [
            "",
            table(rows, [_("Clause"), _("Ref"), _("Obligation"), _("Applies if"), _("Assessments"), _("Requirement")]),
        ]
    if "assessments" in d:
        skip = {"id", "kind", "name", "rule", "clauses"}
        rows = [
            (
                a["id"],
                localized(a["name"], lang),
                ", ".join(a["clauses"]),
                "; ".join(f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in a.items() if k not in skip),
            )
            for a in d["assessments"]
        ]
        out += ["", table(rows, [_("Assessment"), _("Name"), _("Clauses"), _("Parameters")])]
    return "\n".join(out)


# The obligations, as shown in tables.
N_("shall")
N_("should")
