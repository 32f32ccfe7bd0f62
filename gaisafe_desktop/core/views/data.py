"""Datasets for the Data screen: the list, the quarantine (paged), and the import job.

The import runs on the desktop's worker thread, so it opens its own connection to the project
file; the core importer is transactional and resumable, so a cancelled import keeps what was
committed and a second run resumes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.store.project import Project

DATASET_COLUMNS = (
    "id",
    "name",
    "kind",
    "mode",
    "status",
    "format",
    "records",
    "quarantined",
    "duplicates",
    "empty",
    "manifest_hash",
)
SOURCE_FIELDS = (
    "origin",
    "source_type",
    "collection_records",
    "robots_note",
    "personal_info",
    "sensitive_personal_info",
    "consent_basis",
    "note",
)


def list_datasets(project: Project) -> list[dict[str, Any]]:
    """Every dataset with its counts and status, oldest first."""
    has = project.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='datasets'").fetchone()
    if not has:
        return []
    sql = f"SELECT {', '.join(DATASET_COLUMNS)} FROM datasets ORDER BY id"
    return [dict(r) for r in project.conn.execute(sql)]


def quarantine_count(project: Project, dataset_id: int) -> int:
    return project.conn.execute("SELECT COUNT(*) FROM quarantine WHERE dataset_id = ?", (dataset_id,)).fetchone()[0]


def quarantine_page(project: Project, dataset_id: int, after_id: int | None, limit: int) -> list[tuple]:
    """Quarantined rows ``(id, file, line, reason, detail, excerpt)`` after ``after_id``, in insertion order."""
    rows = project.conn.execute(
        "SELECT id, path, line, reason, detail, excerpt FROM quarantine WHERE dataset_id = ? AND id > ? "
        "ORDER BY id LIMIT ?",
        (dataset_id, after_id or 0, limit),
    )
    return [tuple(r) for r in rows]


RECORD_COLUMNS = ("id", "line", "text", "question", "answer", "risk_code", "flags")


def records_page(project: Project, dataset_id: int, after_id: int | None, limit: int) -> list[tuple]:
    """Records of a fully imported dataset, in file order, after record ``after_id`` (keyset paging).

    Records of dataset ``d`` are one contiguous id range (``d << 40`` onwards), so a page deep in a
    million-record dataset costs the same as the first.
    """
    from gaisafe_desktop.core.ingest.importer import id_range

    lo, hi = id_range(dataset_id)
    start = lo if after_id is None else after_id + 1
    rows = project.conn.execute(
        f"SELECT {', '.join(RECORD_COLUMNS)} FROM records WHERE id BETWEEN ? AND ? ORDER BY id LIMIT ?",
        (start, hi, limit),
    )
    return [tuple(r) for r in rows]


def preview_job(
    path: str | Path, kind: str, *, rows: int = 8, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER
) -> Any:
    """Detected format, encoding, first rows and proposed mapping of a file (an Excel sheet can take a while)."""
    from gaisafe_desktop.core.ingest.detect import preview

    cancel.raise_if_cancelled()
    return preview(path, kind=kind, rows=rows)


def import_job(
    project_path: str | Path,
    request: Any,
    *,
    actor: str | None = None,
    source_meta: dict[str, Any] | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict[str, Any]:
    """Save a training-data source's metadata (if given) and import the files of ``request``.

    ``source_meta["licence_file"]``, if set, is the source's licence or authorisation document: it is
    stored as evidence linked to the source, and the source records its SHA-256.
    """
    from gaisafe_desktop.core.ingest.importer import import_dataset, save_source
    from gaisafe_desktop.core.store import open_project

    with open_project(project_path, actor=actor) as project:
        if source_meta is not None and request.source:
            meta = {k: v for k, v in source_meta.items() if k in SOURCE_FIELDS}
            licence = source_meta.get("licence_file")
            if licence:
                from gaisafe_desktop.core.store.evidence import add_evidence

                meta["licence_evidence"] = add_evidence(
                    project,
                    licence,
                    note=f"licence / authorisation of source {request.source}",
                    links=[("source", request.source)],
                ).sha256
            save_source(project, request.source, **meta)
        return import_dataset(project, request, progress=progress, cancel=cancel).to_dict()


def export_quarantine_job(
    project_path: str | Path,
    dataset_id: int,
    dest: str | Path,
    *,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> int:
    """Write a dataset's quarantined rows to a CSV file; returns how many."""
    from gaisafe_desktop.core.ingest.quarantine import export_quarantine
    from gaisafe_desktop.core.store import open_project

    cancel.raise_if_cancelled()
    with open_project(project_path, read_only=True) as project:
        return export_quarantine(project, dataset_id, dest)
