"""Reading the audit log (filtering for views and the CLI)."""

from __future__ import annotations

import json
from typing import Any

from gaisafe_desktop.core.store.project import Project


def read_log(
    project: Project, *, action: str | None = None, actor: str | None = None, limit: int | None = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Entries filtered by action prefix and actor, oldest first among the newest ``limit``."""
    sql = "SELECT * FROM audit_log WHERE (? IS NULL OR action LIKE ? || '%') AND (? IS NULL OR actor = ?)"
    sql += " ORDER BY seq DESC"
    params: list[Any] = [action, action, actor, actor]
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    rows = [dict(r) for r in project.conn.execute(sql, params)]
    for r in rows:
        r["payload"] = json.loads(r["payload"])
    return list(reversed(rows))
