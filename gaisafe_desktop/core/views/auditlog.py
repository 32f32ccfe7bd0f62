"""Paged, filtered reading of the audit log for a lazy table view.

The view asks for a count and for pages by offset; both use the same filter so a 1,000,000-entry
log scrolls without reading more than the visible pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.store.project import Project

COLUMNS = ("seq", "ts", "actor", "action", "entity", "entity_id", "payload")


@dataclass(frozen=True)
class AuditFilter:
    """What the audit-log view shows: a free-text match and optional exact actor/action prefix."""

    text: str = ""
    actor: str = ""
    action: str = ""

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.text.strip():
            like = f"%{self.text.strip()}%"
            clauses.append("(action LIKE ? OR entity LIKE ? OR entity_id LIKE ? OR actor LIKE ? OR payload LIKE ?)")
            params += [like] * 5
        if self.actor:
            clauses.append("actor = ?")
            params.append(self.actor)
        if self.action:
            clauses.append("action LIKE ? || '%'")
            params.append(self.action)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count_entries(project: Project, flt: AuditFilter = AuditFilter()) -> int:
    """How many entries match ``flt``."""
    where, params = flt.where()
    return project.conn.execute(f"SELECT COUNT(*) FROM audit_log{where}", params).fetchone()[0]


def page_entries(
    project: Project, flt: AuditFilter, offset: int, limit: int, after_seq: int | None = None
) -> list[tuple]:
    """Up to ``limit`` entries of the filtered log, oldest first, as tuples of ``COLUMNS``.

    With ``after_seq`` the page starts after that entry (keyset paging: as fast at entry 1,000,000
    as at entry 1); otherwise it starts at ``offset``.
    """
    where, params = flt.where()
    if after_seq is not None:
        where = (where + " AND" if where else " WHERE") + " seq > ?"
        params = [*params, after_seq]
        offset = 0
    sql = f"SELECT {', '.join(COLUMNS)} FROM audit_log{where} ORDER BY seq LIMIT ? OFFSET ?"
    return [tuple(r) for r in project.conn.execute(sql, [*params, limit, offset])]


def count_entries_in_file(
    project_path: str | Path, flt: AuditFilter, *, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER
) -> int:
    """:func:`count_entries` on its own read-only connection (a background job for the view)."""
    from gaisafe_desktop.core.store import open_project

    cancel.raise_if_cancelled()
    with open_project(project_path, read_only=True) as project:
        return count_entries(project, flt)


def distinct_actors(project: Project) -> list[str]:
    return [r[0] for r in project.conn.execute("SELECT DISTINCT actor FROM audit_log ORDER BY actor")]


def distinct_action_groups(project: Project) -> list[str]:
    """The first word of every action (``evidence``, ``people`` …), for the filter menu."""
    groups = {r[0].split(".")[0] for r in project.conn.execute("SELECT DISTINCT action FROM audit_log")}
    return sorted(groups)
