"""``gaisafe import data|transcripts|bank|media|preview``: bring provider exports into the project."""

from __future__ import annotations

import contextlib
import signal
from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.errors import CancelledError
from gaisafe_desktop.core.i18n import N_, _


def _common(f):
    """Options every file import shares."""
    opts = [
        click.option("--name", help=N_("Dataset name (default: the source name or the first file's name).")),
        click.option("--format", "fmt", help=N_("Force the format instead of detecting it (see `import preview`).")),
        click.option("--encoding", help=N_("Force the text encoding, e.g. gb18030 or utf-16.")),
        click.option(
            "--map",
            "maps",
            multiple=True,
            metavar="FIELD=COLUMN",
            help=N_("Map a record field to a column; repeatable."),
        ),
        click.option("--max-chars", type=int, default=1_000_000, show_default=True, help=N_("Longest field accepted.")),
        click.option("--register", is_flag=True, help=N_("Register only: keep the files outside, store the manifest.")),
        click.option("--delimiter", help=N_("CSV delimiter (default: sniffed).")),
        click.option("--sheet", help=N_("Excel sheet name (default: the first sheet).")),
        click.option(
            "--restart", is_flag=True, help=N_("Discard an unfinished import of this dataset and start again.")
        ),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


@contextlib.contextmanager
def _cancel_on_ctrl_c():
    from gaisafe_desktop.core.jobs import CancelToken

    token = CancelToken()
    try:
        old = signal.signal(signal.SIGINT, lambda *_: token.cancel())
    except ValueError:  # not the main thread
        old = None
    try:
        yield token
    finally:
        if old is not None:
            signal.signal(signal.SIGINT, old)


def _summary_text(s: dict) -> str:
    mode = _("register-only") if s["mode"] == "register" else _("full import")
    lines = [
        _(
            "Dataset {id} `{name}` ({kind}, {mode}): {records} records taken, {quarantined} quarantined, "
            "{duplicates} duplicates, {empty} empty."
        ).format(
            id=s["dataset_id"],
            name=s["name"],
            kind=s["kind"],
            mode=mode,
            records=f"{s['records']:,}",
            quarantined=f"{s['quarantined']:,}",
            duplicates=f"{s['duplicates']:,}",
            empty=f"{s['empty']:,}",
        ),
        _("Manifest SHA-256 {hash}").format(hash=s["manifest_hash"]),
    ]
    if s.get("resumed"):
        lines.insert(0, _("Resumed an unfinished import."))
    if s.get("restarted"):
        lines.insert(0, _("An unfinished import of this dataset was discarded and started again."))
    for f in s["files"][:20]:
        lines.append(
            "  "
            + _("{file}: {records} records, {quarantined} quarantined, {format}, {encoding}, sha256 {sha}").format(
                file=f["path"] if f["format"] == "media-file" else Path(f["path"]).name,
                records=f"{f['records']:,}",
                quarantined=f["quarantined"],
                format=f["format"],
                encoding=f["encoding"] or "-",
                sha=f["sha256"][:16],
            )
        )
    if len(s["files"]) > 20:
        lines.append("  " + _("… and {n} more files").format(n=len(s["files"]) - 20))
    if s["quarantined"]:
        lines.append(_("See the quarantined rows with: gaisafe datasets quarantine {id}").format(id=s["dataset_id"]))
    return "\n".join(lines)


def _run(obj, req):
    from gaisafe_desktop.core.ingest.importer import import_dataset

    project = obj.open_project()
    with _cancel_on_ctrl_c() as token:
        try:
            summary = import_dataset(project, req, progress=obj.progress(_("Importing")), cancel=token)
        except CancelledError:
            click.echo(
                _("Cancelled; what was imported so far is kept. Run the same command again to resume."), err=True
            )
            raise
    obj.emit(summary.to_dict(), _summary_text)


def _request(kind, files, name, fmt, encoding, maps, max_chars, register, delimiter, sheet, restart, **extra):
    from gaisafe_desktop.core.ingest.importer import ImportRequest
    from gaisafe_desktop.core.ingest.mapping import parse_overrides

    return ImportRequest(
        kind=kind,
        paths=list(files),
        name=name,
        mode="register" if register else "full",
        fmt=fmt,
        encoding=encoding,
        overrides=parse_overrides(maps),
        max_chars=max_chars,
        delimiter=delimiter,
        sheet=sheet,
        restart=restart,
        **extra,
    )


def register(cli: click.Group) -> None:
    g = group(cli, "import", N_("Import training data, transcripts, question banks and media folders."))

    @command(g, "data", N_("Import training-data files of one source, with the source's metadata."))
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--source", required=True, help=N_("Name of the training-data source."))
    @click.option("--origin", type=click.Choice(["domestic", "foreign"]), help=N_("Where the source comes from."))
    @click.option(
        "--source-type",
        type=click.Choice(["open_source", "self_collected", "commercial", "user_input"]),
        help=N_("Kind of source."),
    )
    @click.option(
        "--licence", type=click.Path(path_type=Path), help=N_("Licence or authorisation document (stored as evidence).")
    )
    @click.option("--collection-records", help=N_("Where the collection records are, or what they say."))
    @click.option("--robots-note", help=N_("robots.txt / opt-out compliance note."))
    @click.option(
        "--personal-info", type=click.Choice(["yes", "no", "unknown"]), help=N_("Contains personal information?")
    )
    @click.option(
        "--sensitive-info",
        type=click.Choice(["yes", "no", "unknown"]),
        help=N_("Contains sensitive personal information?"),
    )
    @click.option("--consent-basis", help=N_("Consent or other legal basis for personal information."))
    @_common
    @pass_obj
    def data(
        obj,
        files,
        source,
        origin,
        source_type,
        licence,
        collection_records,
        robots_note,
        personal_info,
        sensitive_info,
        consent_basis,
        **common,
    ):
        from gaisafe_desktop.core.ingest.importer import save_source

        project = obj.open_project()
        licence_sha = None
        if licence is not None:
            from gaisafe_desktop.core.store.evidence import add_evidence

            licence_sha = add_evidence(
                project, licence, note=f"licence / authorisation of source {source}", links=[("source", source)]
            ).sha256
        save_source(
            project,
            source,
            origin=origin,
            source_type=source_type,
            licence_evidence=licence_sha,
            collection_records=collection_records,
            robots_note=robots_note,
            personal_info=personal_info,
            sensitive_personal_info=sensitive_info,
            consent_basis=consent_basis,
        )
        _run(obj, _request("training", files, source=source, **common))

    @command(g, "transcripts", N_("Import model transcripts (question, answer, model, time)."))
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--model", help=N_("Model name for records that do not name one."))
    @click.option("--model-version", help=N_("Model version for records that do not name one."))
    @_common
    @pass_obj
    def transcripts(obj, files, model, model_version, **common):
        _run(obj, _request("transcripts", files, model=model, model_version=model_version, **common))

    @command(g, "bank", N_("Import a question bank (generated-content, should-refuse or should-not-refuse)."))
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option(
        "--kind",
        "bank_kind",
        required=True,
        type=click.Choice(["generated", "should_refuse", "should_not_refuse"]),
        help=N_("Which bank this is."),
    )
    @click.option("--version-date", required=True, help=N_("Version date of the bank (YYYY-MM-DD)."))
    @click.option("--bank-id", help=N_("Bank id for questions that do not name one (default: the dataset name)."))
    @_common
    @pass_obj
    def bank(obj, files, bank_kind, version_date, bank_id, **common):
        _run(obj, _request("bank", files, bank_kind=bank_kind, version_date=version_date, bank_id=bank_id, **common))

    @command(g, "media", N_("Register a folder of images, audio or video (path, size, SHA-256, media type)."))
    @click.argument("folder", type=click.Path(path_type=Path))
    @click.option("--name", help=N_("Dataset name (default: the folder name)."))
    @click.option("--restart", is_flag=True, help=N_("Discard an unfinished registration and start again."))
    @pass_obj
    def media(obj, folder, name, restart):
        from gaisafe_desktop.core.ingest.importer import ImportRequest

        _run(
            obj,
            ImportRequest(
                kind="media", paths=[folder], name=name or folder.resolve().name, mode="register", restart=restart
            ),
        )

    @command(g, "preview", N_("Show the detected format, encoding, columns, first rows and proposed mapping."))
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "--kind",
        type=click.Choice(["training", "transcripts", "bank"]),
        default="training",
        show_default=True,
        help=N_("What the file will be imported as."),
    )
    @click.option("--format", "fmt", help=N_("Force the format."))
    @click.option("--encoding", help=N_("Force the text encoding."))
    @click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN", help=N_("Map a record field to a column."))
    @click.option("--rows", type=int, default=5, show_default=True, help=N_("How many rows to show."))
    @click.option("--delimiter", help=N_("CSV delimiter (default: sniffed)."))
    @click.option("--sheet", help=N_("Excel sheet name."))
    @pass_obj
    def preview(obj, file, kind, fmt, encoding, maps, rows, delimiter, sheet):
        from gaisafe_desktop.core.ingest.detect import preview as run_preview
        from gaisafe_desktop.core.ingest.mapping import parse_overrides

        pv = run_preview(
            file,
            kind=kind,
            fmt=fmt,
            encoding=encoding,
            overrides=parse_overrides(maps),
            rows=rows,
            options={"delimiter": delimiter, "sheet": sheet},
        )

        def human(d):
            out = [
                _("Format: {format}").format(format=d["format"]),
                _("Encoding: {encoding}").format(encoding=d["encoding"] or "-"),
            ]
            if d["delimiter"]:
                out.append(_("Delimiter: {d}").format(d=repr(d["delimiter"])))
            out.append(_("Columns: {columns}").format(columns=", ".join(map(str, d["columns"])) or "-"))
            out.append(_("Proposed mapping:"))
            out += [f"  {k} ← {v}" for k, v in d["mapping"].items()] or ["  -"]
            if d["rows"]:
                cols = d["columns"][:6]
                out.append(table([[str(r.get(c, ""))[:40].replace("\n", " ") for c in cols] for r in d["rows"]], cols))
            for p in d["problems"]:
                out.append(_("line {line}: {reason}: {detail}").format(**p))
            return "\n".join(out)

        obj.emit(pv.to_dict(), human)
