"""``gaisafe datasets list|show|quarantine``: what was imported, its manifest, and what was not taken."""

from __future__ import annotations

from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _


def register(cli: click.Group) -> None:
    g = group(cli, "datasets", N_("Imported datasets: list, manifest, quarantined rows."))

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
