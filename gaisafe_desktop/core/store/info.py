"""Project metadata: read a summary, change provider/service/model details."""

from __future__ import annotations

from typing import Any

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.store.audit import head_hash
from gaisafe_desktop.core.store.profile import get_profile
from gaisafe_desktop.core.store.project import Project

EDITABLE = ("title", "provider", "service", "model_name", "model_version", "scope", "start_date", "end_date")


def project_summary(project: Project) -> dict[str, Any]:
    """Everything the cover of a report or the start screen shows about a project."""
    info = dict(project.info)
    conn = project.conn
    schema = conn.execute("PRAGMA user_version").fetchone()[0]
    return {
        **info,
        "path": str(project.path),
        "schema_version": schema,
        "profile": get_profile(project),
        "people": conn.execute("SELECT COUNT(*) FROM people").fetchone()[0],
        "evidence": conn.execute("SELECT COUNT(*) FROM evidence").fetchone()[0],
        "audit_entries": conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0],
        "audit_head": head_hash(conn),
        # The pack on this machine may differ from the one the project was created with (an update).
        "framework_loaded_hash": project.framework.pack_hash,
        "framework_changed": project.framework.pack_hash != info["framework_hash"],
    }


def update_project(project: Project, **changes: Any) -> dict[str, Any]:
    """Change editable metadata fields in one audited transaction."""
    bad = [k for k in changes if k not in EDITABLE]
    if bad:
        raise UsageError(
            N_("{field} cannot be changed; editable fields: {choices}."), field=bad[0], choices=", ".join(EDITABLE)
        )
    if not changes:
        return project_summary(project)
    for key in ("provider", "service", "title"):
        if key in changes and not str(changes[key]).strip():
            raise UsageError(N_("{field} cannot be empty."), field=key)
    with project.transaction("project.update", changes) as tx:
        tx.write("project", {**dict(project.info), **changes})
    return project_summary(project)
