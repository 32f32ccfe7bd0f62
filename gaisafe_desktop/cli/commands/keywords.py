"""``gaisafe keywords import|list|versions|diff|check|scan|suggest|export``."""

from __future__ import annotations

import datetime as dt
import json

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _, localized


def _library_options(f):
    f = click.option("--risk", help=N_("Risk code(s) for rows without one, e.g. A.1.d (TXT files)."))(f)
    f = click.option("--starter", is_flag=True, help=N_("Use the shipped starter library."))(f)
    f = click.option(
        "--library-file", type=click.Path(dir_okay=False), help=N_("Use a library file (CSV/TSV/XLSX/TXT).")
    )(f)
    f = click.option("--version", "version", type=int, help=N_("Version of the stored library (default: latest)."))(f)
    f = click.option("--library", help=N_("Name of a library stored in the project."))(f)
    return f


def _resolve(obj, library, version, library_file, starter, risk):
    from gaisafe_desktop.core.detect.keywords.service import resolve_library

    proj = obj.open_project(read_only=True) if library is not None else None
    return proj, resolve_library(
        proj, library=library, version=version, library_file=library_file, starter=starter, risk=risk
    )


def register(cli: click.Group) -> None:
    g = group(cli, "keywords", N_("Keyword libraries (B.1.1): import, versions, conformance check, scan, suggest."))

    @command(g, "import", N_("Import a library file as the next version of a library in the project."))
    @click.argument("file", type=click.Path(dir_okay=False), required=False)
    @click.option("--starter", is_flag=True, help=N_("Import the shipped starter library instead of a file."))
    @click.option("--library", required=True, help=N_("Library name (created on first import)."))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["csv", "tsv", "xlsx", "txt"]),
        help=N_("File format (default: from the extension)."),
    )
    @click.option("--risk", help=N_("Risk code(s) for rows without one, e.g. A.1.d (TXT files)."))
    @click.option("--released", help=N_("Release date of this version, YYYY-MM-DD (default: today)."))
    @click.option("--note", default="", help=N_("Note stored with the version."))
    @pass_obj
    def import_(obj, file, starter, library, fmt, risk, released, note):
        from gaisafe_desktop.core.detect.keywords.service import starter_library_path
        from gaisafe_desktop.core.detect.keywords.versions import import_library_version
        from gaisafe_desktop.core.errors import UsageError

        if bool(file) == bool(starter):
            raise UsageError(N_("Give a library FILE or --starter (one of them)."))
        file = starter_library_path() if starter else file
        v = import_library_version(
            obj.open_project(), file, library=library, fmt=fmt, risk=risk, released=released, note=note
        )
        obj.emit(
            v,
            lambda d: _(
                "Imported {file} as version {version} of library {library}: {entries} rows, "
                "{terms} distinct normalised terms, released {released}, hash {sha}."
            ).format(
                file=d["source_name"],
                version=d["version"],
                library=d["library"],
                entries=d["entries"],
                terms=d["distinct_terms"],
                released=d["released_on"],
                sha=d["sha256"][:16],
            ),
        )

    @command(g, "list", N_("List the keyword libraries of the project."))
    @pass_obj
    def list_(obj):
        from gaisafe_desktop.core.detect.keywords.versions import list_libraries

        rows = list_libraries(obj.open_project(read_only=True))
        obj.emit(
            rows,
            lambda rs: (
                table(
                    [(r["name"], r["versions"], r["latest"], r["terms"], r["released_on"]) for r in rs],
                    [_("Library"), _("Versions"), _("Latest"), _("Distinct terms"), _("Released")],
                )
                if rs
                else _("No keyword libraries yet: import one with `gaisafe keywords import FILE --library NAME`.")
            ),
        )

    @command(g, "versions", N_("List the versions of a library: hash, release date, counts."))
    @click.argument("library")
    @pass_obj
    def versions(obj, library):
        from gaisafe_desktop.core.detect.keywords.versions import list_versions

        rows = list_versions(obj.open_project(read_only=True), library)
        obj.emit(
            rows,
            lambda rs: table(
                [
                    (
                        r["version"],
                        r["released_on"],
                        r["entries"],
                        r["distinct_terms"],
                        r["sha256"][:16],
                        r["source_name"],
                    )
                    for r in rs
                ],
                [_("Version"), _("Released"), _("Rows"), _("Distinct terms"), _("Hash"), _("File")],
            ),
        )

    @command(g, "diff", N_("Show terms added, removed and changed between two versions."))
    @click.argument("library")
    @click.argument("old", type=int)
    @click.argument("new", type=int)
    @click.option("--limit", default=50, show_default=True, help=N_("Show at most this many of each kind."))
    @pass_obj
    def diff(obj, library, old, new, limit):
        from gaisafe_desktop.core.detect.keywords.versions import diff_versions

        d = diff_versions(obj.open_project(read_only=True), library, old, new).as_dict()

        def human(d):
            lines = [
                _("{library}: version {old} → {new}: {a} added, {r} removed, {c} changed.").format(
                    library=library, old=old, new=new, a=len(d["added"]), r=len(d["removed"]), c=len(d["changed"])
                )
            ]
            lines += [f"+ {e['term']}  {'|'.join(e['risks'])}" for e in d["added"][:limit]]
            lines += [f"- {e['term']}  {'|'.join(e['risks'])}" for e in d["removed"][:limit]]
            lines += [
                f"~ {c['new']['term']}  {'|'.join(c['old']['risks'])} → {'|'.join(c['new']['risks'])}"
                for c in d["changed"][:limit]
            ]
            return "\n".join(lines)

        obj.emit(d, human)

    @command(g, "check", N_("B.1.1 verdict of a library: total, per risk (exact shortfall), weekly updates."))
    @_library_options
    @click.option(
        "--framework",
        "framework_id",
        default="tc260-2024-draft",
        show_default=True,
        help=N_("Framework to judge against when no project is given."),
    )
    @click.option(
        "--as-of",
        help=N_("Judge the update history at this date, YYYY-MM-DD (default: the project end date, else today)."),
    )
    @pass_obj
    def check(obj, library, version, library_file, starter, risk, framework_id, as_of):
        from gaisafe_desktop.core.detect.keywords.service import check_keyword_library
        from gaisafe_desktop.core.frameworks import load_framework

        proj, source = _resolve(obj, library, version, library_file, starter, risk)
        fw = proj.framework if proj is not None else load_framework(framework_id)
        day = dt.date.fromisoformat(as_of) if as_of else None
        report = check_keyword_library(source, fw, as_of=day)
        data = {"library": source.label, "framework": fw.id, **report.as_dict()}
        obj.emit(data, lambda d: _render_check(d, fw))

    @command(g, "scan", N_("Scan text or JSONL files with a library on all cores; print hits per risk."))
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @_library_options
    @click.option("--field", help=N_("JSONL field holding the text (default: each line is plain text)."))
    @click.option("--workers", type=int, help=N_("Cores to use (default: all; one for inputs too small to repay a second process)."))
    @click.option("--out", type=click.Path(dir_okay=False), help=N_("Write every hit as JSON lines to this file."))
    @click.option("--show", default=20, show_default=True, help=N_("Show this many hits."))
    @pass_obj
    def scan(obj, files, library, version, library_file, starter, risk, field, workers, out, show):
        from gaisafe_desktop.core.detect.keywords.service import scan_files
        from gaisafe_desktop.core.errors import UsageError

        _proj, source = _resolve(obj, library, version, library_file, starter, risk)
        shown = []
        try:
            sink = open(out, "w", encoding="utf-8") if out else None  # noqa: SIM115 - closed below
        except OSError as exc:
            raise UsageError(N_("Cannot write {path}: {reason}"), path=out, reason=exc.strerror or str(exc)) from None

        def on_hit(h):
            if len(shown) < show:
                shown.append(h)
            if sink is not None:
                sink.write(
                    json.dumps(
                        {
                            "file": h.file,
                            "line": h.line,
                            "term": h.term,
                            "risks": list(h.risks),
                            "spans": [list(s) for s in h.spans],
                            "matched": list(h.matched),
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )

        try:
            res = scan_files(
                source, files, field=field, workers=workers, on_hit=on_hit, progress=obj.progress(_("Scanning"))
            )
        finally:
            if sink is not None:
                sink.close()
        data = {
            "library": source.label,
            "files": res.files,
            "records": res.records,
            "bytes": res.bytes,
            "records_with_hits": res.records_with_hits,
            "hits": res.hit_count,
            "per_risk": res.per_risk,
            "seconds": round(res.seconds, 3),
            "mb_per_s": round(res.mb_per_s, 1),
            "workers": res.workers,
            "first_hits": [{"file": h.file, "line": h.line, "term": h.term, "matched": list(h.matched)} for h in shown],
        }

        def human(d):
            lines = [
                _(
                    "{records} records ({mb:.1f} MB) scanned with {library} in {s:.2f} s ({rate} MB/s, cores used: {w}): "
                    "{hits} hits in {rec} records."
                ).format(
                    records=d["records"],
                    mb=d["bytes"] / 1e6,
                    library=d["library"],
                    s=d["seconds"],
                    w=d["workers"],
                    rate=d["mb_per_s"],
                    hits=d["hits"],
                    rec=d["records_with_hits"],
                )
            ]
            if d["per_risk"]:
                lines.append(table(sorted(d["per_risk"].items()), [_("Risk"), _("Hits")]))
            for h in d["first_hits"]:
                lines.append(f"{h['file']}:{h['line']}: {h['term']} ← {' / '.join(h['matched'])}")
            return "\n".join(lines)

        obj.emit(data, human)

    @command(g, "suggest", N_("Mine candidate terms per risk code from labelled text (weighted log-odds)."))
    @click.option(
        "--from",
        "labelled",
        required=True,
        type=click.Path(dir_okay=False),
        help=N_("Labelled CSV/TSV/JSONL file: a text column and a risk-code column (empty = benign)."),
    )
    @click.option("--text-field", default="text", show_default=True, help=N_("Column or field with the text."))
    @click.option("--label-field", default="risk", show_default=True, help=N_("Column or field with the risk code(s)."))
    @click.option("--top", default=200, show_default=True, help=N_("At most this many candidates per risk code."))
    @click.option(
        "--min-docs",
        default=3,
        show_default=True,
        help=N_("A candidate must occur in at least this many documents of the code."),
    )
    @click.option(
        "--min-precision",
        default=0.6,
        show_default=True,
        type=float,
        help=N_(
            "Of all documents containing a candidate, at least this share must carry the code (higher: fewer topical terms)."
        ),
    )
    @click.option(
        "--out", type=click.Path(dir_okay=False), help=N_("Write the candidates as a library CSV to review and import.")
    )
    @pass_obj
    def suggest(obj, labelled, text_field, label_field, top, min_docs, min_precision, out):
        from gaisafe_desktop.core.detect.keywords.service import suggest_terms

        cands = suggest_terms(
            labelled,
            text_field=text_field,
            label_field=label_field,
            out=out,
            top=top,
            min_docs=min_docs,
            min_precision=min_precision,
            progress=obj.progress(_("Counting")),
        )
        data = {
            code: [
                {"term": c.term, "z": c.z, "docs": c.docs, "code_docs": c.code_docs, "other_docs": c.other_docs}
                for c in cs
            ]
            for code, cs in cands.items()
        }

        def human(d):
            lines = []
            for code, cs in d.items():
                lines.append(_("{code}: {n} candidates").format(code=code, n=len(cs)))
                lines.append("  " + "  ".join(f"{c['term']}({c['z']:.1f})" for c in cs[:15]))
            if out:
                lines.append(_("Written to {out}: review, then `gaisafe keywords import`.").format(out=out))
            return "\n".join(lines) if lines else _("No labelled documents with risk codes found.")

        obj.emit(data, human)

    @command(g, "export", N_("Write a stored library version to CSV, TSV, XLSX or TXT."))
    @click.argument("library")
    @click.argument("out", type=click.Path(dir_okay=False))
    @click.option("--version", "version", type=int, help=N_("Version (default: latest)."))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["csv", "tsv", "xlsx", "txt"]),
        help=N_("File format (default: from the extension)."),
    )
    @pass_obj
    def export(obj, library, out, version, fmt):
        from gaisafe_desktop.core.detect.keywords.service import export_library

        n = export_library(obj.open_project(read_only=True), library, out, version=version, fmt=fmt)
        obj.emit({"rows": n, "out": out}, lambda d: _("{rows} rows written to {out}.").format(**d))


def _render_check(d, fw) -> str:
    ok, bad = _("met"), _("NOT MET")
    verdict = {"met": ok, "not_met": bad, "not_judged": _("cannot be judged")}
    a = d["a_total"]
    lines = [
        _("B.1.1 keyword library check — {library} against {framework}: {verdict}").format(
            library=d["library"], framework=d["framework"], verdict=verdict[d["verdict"]]
        ),
        _("a) total: {have} distinct normalised terms of {required} required — {v}{short}").format(
            have=a["have"],
            required=a["required"],
            v=ok if a["met"] else bad,
            short="" if a["met"] else _(" (short by {n})").format(n=a["shortfall"]),
        ),
        _("   {entries} rows, {dups} normalised duplicates counted once, {rules} rules, {allow} allow entries").format(
            entries=a["entries"], dups=a["duplicates"], rules=a["rules"], allow=a["allow_entries"]
        ),
        _("b) per risk:"),
        table(
            [
                (
                    r["code"],
                    localized(fw.risk(r["code"]).name)[:40],
                    r["have"],
                    r["required"],
                    r["shortfall"] or "",
                    ok if r["met"] else bad,
                )
                for r in d["b_per_risk"]
            ],
            [_("Risk"), _("Risk name"), _("Terms"), _("Required"), _("Short by"), _("Verdict")],
        ),
    ]
    if d["other_codes"]:
        lines.append(
            _("   other risk codes (not required by B.1.1): {codes}").format(
                codes=", ".join(f"{k} {v}" for k, v in d["other_codes"].items())
            )
        )
    if d["unknown_codes"]:
        lines.append(_("   {n} rows use risk codes the framework does not know:").format(n=len(d["unknown_codes"])))
        lines += [f"     {u['where']}: {u['term']} ({u['code']})" for u in d["unknown_codes"][:50]]
    u = d["c_updates"]
    if u["verdict"] == "not_judged":
        lines.append(
            _("c) updates: cannot be judged — {n} release(s) on record; at least two are needed").format(
                n=len(u["releases"])
            )
        )
    else:
        lines.append(
            _("c) updates (at most every {days} days, as of {as_of}): {v}").format(
                days=u["max_interval_days"], as_of=u["as_of"], v=verdict[u["verdict"]]
            )
        )
        lines += [
            _("   gap of {days} days from {a} to {b}").format(days=g["days"], a=g["from"], b=g["to"])
            for g in u["gaps_over"]
        ]
    return "\n".join(lines)
