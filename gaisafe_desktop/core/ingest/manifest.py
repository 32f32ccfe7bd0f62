"""Dataset manifests (files, hashes, counts) and the population manifest sampling draws from."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.errors import NotFoundError, UsageError
from gaisafe_desktop.core.hashing import digest
from gaisafe_desktop.core.i18n import N_


def file_entry(row: dict[str, Any]) -> dict[str, Any]:
    """The hashed part of one manifest file entry (the file name, never the machine's path)."""
    return {
        "name": Path(row["path"]).name if row.get("format") != "media-file" else row["path"],
        "sha256": row["sha256"],
        "size": row["size"],
        "format": row["format"],
        "encoding": row.get("encoding", ""),
        "records": row["records"],
        "quarantined": row["quarantined"],
    }


def manifest_of(dataset: dict[str, Any], files: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The manifest of a dataset; its :func:`~gaisafe_desktop.core.hashing.digest` is ``manifest_hash``."""
    return {
        "version": 1,
        "dataset": {
            "name": dataset["name"],
            "kind": dataset["kind"],
            "mode": dataset["mode"],
            "bank_kind": dataset.get("bank_kind"),
            "version_date": dataset.get("version_date"),
        },
        "files": [file_entry(f) for f in files],
        "records": dataset["records"],
        "quarantined": dataset["quarantined"],
        "duplicates": dataset["duplicates"],
        "empty": dataset["empty"],
        "key_format": "rk1",
    }


def manifest_hash(dataset: dict[str, Any], files: Sequence[dict[str, Any]]) -> str:
    return digest(manifest_of(dataset, files))


def get_dataset(project, ref: int | str) -> dict[str, Any]:
    """A dataset row by id or by name (unique per kind; ambiguous names need the id)."""
    conn = project.conn
    row = None
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        row = conn.execute("SELECT * FROM datasets WHERE id = ?", (int(ref),)).fetchone()
    if row is None:
        rows = conn.execute("SELECT * FROM datasets WHERE name = ?", (str(ref),)).fetchall()
        if len(rows) > 1:
            raise UsageError(
                N_("More than one dataset is named {name}; use its id ({ids})."),
                name=ref,
                ids=", ".join(str(r["id"]) for r in rows),
            )
        row = rows[0] if rows else None
    if row is None:
        raise NotFoundError(N_("No dataset {ref} in this project; see `gaisafe datasets list`."), ref=ref)
    return dict(row)


def dataset_files(project, dataset_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in project.conn.execute(
            "SELECT * FROM dataset_files WHERE dataset_id = ? ORDER BY file_idx", (dataset_id,)
        )
    ]


def dataset_population(project, dataset_ids: Sequence[int | str]) -> dict[str, Any]:
    """The population manifest of complete datasets: ids, manifests, file hashes, record counts, and its hash.

    Sampling cites ``hash``; a regulator recomputes it from the same files.

    Raises:
        UsageError: a dataset is still importing.
    """
    items = []
    total = 0
    for ref in dataset_ids:
        ds = get_dataset(project, ref)
        if ds["status"] != "complete":
            raise UsageError(
                N_("Dataset {name} is still importing; finish it by running the same import again."), name=ds["name"]
            )
        files = dataset_files(project, ds["id"])
        items.append(
            {
                "id": ds["id"],
                "name": ds["name"],
                "kind": ds["kind"],
                "mode": ds["mode"],
                "manifest_hash": ds["manifest_hash"],
                "records": ds["records"],
                "files": [{"sha256": f["sha256"], "size": f["size"], "records": f["records"]} for f in files],
            }
        )
        total += ds["records"]
    items.sort(key=lambda d: d["id"])
    body = {"version": 1, "key_format": "rk1", "datasets": items, "records": total}
    return body | {"hash": digest(body)}
