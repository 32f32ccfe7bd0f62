"""Long jobs the desktop runs in its worker: each opens its own connection to the project file.

A job runs on a worker thread; SQLite connections must not be shared across threads while in use,
so every job opens the project by path and closes it when done. Writes are transactional, so a
cancelled or failed job leaves the project consistent.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.i18n import _
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress


def add_evidence_files(
    project_path: str | Path,
    files: Sequence[str | Path],
    *,
    actor: str | None = None,
    note: str = "",
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> list[dict[str, Any]]:
    """Add several files to the evidence store, one audited transaction per file.

    Progress counts bytes, so one large file and many small ones give an honest ETA. Cancelling
    stops before the next file; files already added stay added (each was its own user action).
    """
    from gaisafe_desktop.core.store import open_project
    from gaisafe_desktop.core.store.evidence import add_evidence

    paths = [Path(f) for f in files]
    total = sum(p.stat().st_size for p in paths if p.is_file())
    done = 0
    added: list[dict[str, Any]] = []
    with open_project(project_path, actor=actor) as project:
        for path in paths:
            cancel.raise_if_cancelled()
            progress(done, total, _("Adding {name}").format(name=path.name))
            added.append(add_evidence(project, path, note=note).to_dict())
            done += path.stat().st_size
            progress(done, total, _("Added {name}").format(name=path.name))
    return added


def verify_project_file(
    project_path: str | Path, *, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER
) -> dict[str, Any]:
    """Verify the audit-log chain, audited rows and evidence of a project (read-only)."""
    from gaisafe_desktop.core.store import open_project
    from gaisafe_desktop.core.store.audit import verify_project

    cancel.raise_if_cancelled()
    progress(0, None, _("Verifying the audit log…"))
    with open_project(project_path, read_only=True) as project:
        report = verify_project(project.conn)
    progress(1, 1, _("Verified."))
    return report.to_dict()


def export_evidence_file(
    project_path: str | Path,
    sha256: str,
    dest: str | Path,
    *,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> str:
    """Write one stored evidence file to ``dest`` (its hash is re-checked while writing)."""
    from gaisafe_desktop.core.store import open_project
    from gaisafe_desktop.core.store.evidence import export_evidence

    cancel.raise_if_cancelled()
    progress(0, None, _("Exporting…"))
    with open_project(project_path, read_only=True) as project:
        out = export_evidence(project, sha256, dest)
    progress(1, 1, _("Exported."))
    return str(out)
