"""``gaisafe datasets list|show|quarantine``: what was imported, its manifest, and what was not taken."""

from __future__ import annotations

from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _


def register(cli: click.Group) -> None:
    g = group(cli, "datasets", N_("Imported datasets: list, manifest, quarantined rows."))
    _register_more(g)

    @command(g, "list", N_("List datasets with their counts and status."))
    @pass_obj
    def list_(obj):
        project = obj.open_project(read_only=True)
        rows = [
            dict(r)
            for r in project.conn.execute(
                "SELECT id, name, kind, mode, status, format, records, quarantined, duplicates, empty, manifest_hash "
                "FROM datasets ORDER BY id"
            )
        ]
        obj.emit(
            rows,
            lambda rs: (
                table(
                    [
                        (
                            r["id"],
                            r["name"],
                            r["kind"],
                            r["mode"],
                            r["status"],
                            r["format"],
                            f"{r['records']:,}",
                            r["quarantined"],
                            r["duplicates"],
                            r["empty"],
                        )
                        for r in rs
                    ],
                    [
                        _("Id"),
                        _("Name"),
                        _("Kind"),
                        _("Mode"),
                        _("Status"),
                        _("Format"),
                        _("Records"),
                        _("Quarantined"),
                        _("Duplicates"),
                        _("Empty"),
                    ],
                )
                if rs
                else _("No datasets yet; import some with `gaisafe import data|transcripts|bank|media`.")
            ),
        )

    @command(g, "show", N_("Show a dataset's metadata and manifest (files, hashes, counts)."))
    @click.argument("dataset")
    @pass_obj
    def show(obj, dataset):
        import orjson

        from gaisafe_desktop.core.ingest.manifest import dataset_files, get_dataset

        project = obj.open_project(read_only=True)
        ds = get_dataset(project, dataset)
        ds["options"] = orjson.loads(ds["options"])
        ds["options"].pop("fingerprint", None)
        ds["files"] = dataset_files(project, ds["id"])
        if ds["source"]:
            src = project.conn.execute("SELECT * FROM sources WHERE name = ?", (ds["source"],)).fetchone()
            ds["source_metadata"] = dict(src) if src else None

        def human(d):
            out = [
                _("Dataset {id} `{name}`: {kind}, {mode}, {status}").format(**d),
                _(
                    "Records {records:,}, quarantined {quarantined:,}, duplicates {duplicates:,}, empty {empty:,}"
                ).format(**d),
                _("Manifest SHA-256 {h}").format(h=d["manifest_hash"] or "-"),
            ]
            if d.get("bank_kind"):
                out.append(_("Bank: {kind}, version {date}").format(kind=d["bank_kind"], date=d["version_date"]))
            if d.get("source_metadata"):
                s = d["source_metadata"]
                out.append(
                    _(
                        "Source {name}: origin {origin}, type {source_type}, personal info {personal_info}, "
                        "sensitive {sensitive_personal_info}, licence evidence {licence_evidence}"
                    ).format(**{k: (v or "-") for k, v in s.items()})
                )
            out.append(
                table(
                    [
                        (
                            f["file_idx"],
                            f["path"],
                            f["format"],
                            f["encoding"] or f["media_type"],
                            f"{f['size']:,}",
                            f["records"],
                            f["quarantined"],
                            f["sha256"][:16],
                        )
                        for f in d["files"][:200]
                    ],
                    ["#", _("File"), _("Format"), _("Encoding"), _("Bytes"), _("Records"), _("Quarantined"), "SHA-256"],
                )
            )
            return "\n".join(out)

        obj.emit(ds, human)

    @command(g, "quarantine", N_("Show (or export as CSV) the rows a dataset import could not take."))
    @click.argument("dataset")
    @click.option(
        "--export", "export", type=click.Path(path_type=Path), help=N_("Write all quarantined rows to this CSV file.")
    )
    @click.option("--limit", type=int, default=50, show_default=True, help=N_("How many rows to show."))
    @pass_obj
    def quarantine(obj, dataset, export, limit):
        import itertools

        from gaisafe_desktop.core.ingest.manifest import get_dataset
        from gaisafe_desktop.core.ingest.quarantine import REASONS, export_quarantine, iter_quarantine

        project = obj.open_project(read_only=True)
        ds = get_dataset(project, dataset)
        if export:
            n = export_quarantine(project, ds["id"], export)
            obj.emit({"exported": n, "path": str(export)}, _("Wrote {n} rows to {path}").format(n=n, path=export))
            return
        rows = list(itertools.islice(iter_quarantine(project, ds["id"]), limit))
        obj.emit(
            rows,
            lambda rs: (
                table(
                    [
                        (
                            Path(r["path"]).name,
                            r["line"],
                            f"{r['reason']}: {_(REASONS.get(r['reason'], r['reason']))}",
                            r["detail"][:80],
                            r["excerpt"][:40].replace("\n", " "),
                        )
                        for r in rs
                    ],
                    [_("File"), _("Line"), _("Reason"), _("Detail"), _("Excerpt")],
                )
                if rs
                else _("Nothing quarantined.")
            ),
        )


def _register_more(g: click.Group) -> None:
    @command(g, "records", N_("Show a dataset's records with their keys (or one record by --key)."))
    @click.argument("dataset", required=False)
    @click.option("--key", help=N_("Show the record with this key (rk1:…)."))
    @click.option("--limit", type=int, default=20, show_default=True, help=N_("How many records to show."))
    @click.option("--no-verify", is_flag=True, help=N_("Do not re-hash register-only files first."))
    @pass_obj
    def records(obj, dataset, key, limit, no_verify):
        import itertools

        from gaisafe_desktop.core.errors import UsageError
        from gaisafe_desktop.core.ingest.iterate import get_record, iter_records

        project = obj.open_project(read_only=True)
        if key:
            rows = [get_record(project, key, verify_hash=not no_verify).to_dict()]
        elif dataset:
            rows = [
                r.to_dict() for r in itertools.islice(iter_records(project, dataset, verify_hash=not no_verify), limit)
            ]
        else:
            raise UsageError(N_("Give a dataset, or --key KEY."))

        def human(rs):
            if not rs:
                return _("No records.")
            out = []
            for r in rs:
                flags = [n for n, on in ((_("empty"), r["empty"]), (_("duplicate"), r["duplicate"])) if on]
                head = f"{r['key']}  {_('line')} {r['line']}" + (f"  [{', '.join(flags)}]" if flags else "")
                out.append(head)
                for field in ("text", "question", "answer", "risk_code", "question_id", "model", "media"):
                    if r[field] not in (None, ""):
                        value = str(r[field]).replace("\n", " ")
                        out.append(f"  {field}: {value[:200]}")
            return "\n".join(out)

        obj.emit(rows, human)

    @command(g, "population", N_("Print the population manifest of datasets (ids, file hashes, counts) and its hash."))
    @click.argument("datasets", nargs=-1, required=True)
    @pass_obj
    def population(obj, datasets):
        from gaisafe_desktop.core.ingest.manifest import dataset_population

        pop = dataset_population(obj.open_project(read_only=True), list(datasets))
        obj.emit(
            pop,
            lambda p: "\n".join(
                [_("Population: {n} records in {d} datasets").format(n=f"{p['records']:,}", d=len(p["datasets"]))]
                + [
                    f"  {d['id']} {d['name']} ({d['kind']}, {d['mode']}): {d['records']:,}  {d['manifest_hash'][:16]}"
                    for d in p["datasets"]
                ]
                + [_("Population SHA-256 {hash}").format(hash=p["hash"])]
            ),
        )
