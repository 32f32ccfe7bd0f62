"""One audit = one SQLite project file (``*.gaisafe``): open, create, and write transactionally.

Every user action is one transaction that also appends its audit-log entries, so the log and the
data never disagree. Rows of audited tables are written only through :class:`Transaction`.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaisafe_desktop import __version__
from gaisafe_desktop.core.errors import NotFoundError, UsageError, ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.store import audit
from gaisafe_desktop.core.store.migrate import apply_migrations, backup_before_migrating, check_not_newer

SUFFIX = ".gaisafe"


def default_actor() -> str:
    """The acting person when none is given: ``GAISAFE_ACTOR`` or the operating-system user."""
    env = os.environ.get("GAISAFE_ACTOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(
            f"file:{path.as_posix()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


@dataclass
class Project:
    """An open project file."""

    path: Path
    conn: sqlite3.Connection
    actor: str
    read_only: bool = False
    backup_path: Path | None = None
    _framework: Any = field(default=None, repr=False)

    @property
    def info(self) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM project WHERE id = 1").fetchone()
        if row is None:
            raise ValidationError(
                N_("{path} has no project record; it is not a complete project file."), path=str(self.path)
            )
        return row

    @property
    def framework(self) -> Any:
        """The framework pack this project is assessed against (loaded on first use)."""
        if self._framework is None:
            from gaisafe_desktop.core.frameworks import load_framework

            self._framework = load_framework(self.info["framework_id"])
        return self._framework

    @contextlib.contextmanager
    def transaction(self, action: str, payload: dict[str, Any] | None = None) -> Iterator[Transaction]:
        """One user action: all its writes and its audit-log entries commit together or not at all."""
        if self.read_only:
            raise UsageError(N_("This project is open read-only; changes are not possible."))
        self.conn.execute("BEGIN IMMEDIATE")
        tx = Transaction(self, action)
        try:
            audit.append_entry(self.conn, actor=self.actor, action=action, payload=payload)
            yield tx
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if not self.read_only:
                self.conn.execute("PRAGMA optimize")
        self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Transaction:
    """Writes inside :meth:`Project.transaction`. Audited rows go through :meth:`write` / :meth:`delete`."""

    def __init__(self, project: Project, action: str) -> None:
        self.project = project
        self.conn = project.conn
        self.action = action
        self._pk_cache: dict[str, list[str]] = {}

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    def _pk(self, table: str) -> list[str]:
        if table not in self._pk_cache:
            row = self.conn.execute("SELECT pk FROM audited_tables WHERE name = ?", (table,)).fetchone()
            if row is None:
                raise RuntimeError(f"{table} is not an audited table; declare it in its migration")
            self._pk_cache[table] = [c.strip() for c in row[0].split(",")]
        return self._pk_cache[table]

    def write(self, table: str, values: dict[str, Any], *, action: str | None = None) -> sqlite3.Row:
        """Insert or update one row of an audited table and log the digest of what was stored.

        An existing row (same primary key) is updated in place — never deleted and re-inserted, so
        foreign keys that cascade from it are untouched. If the primary key is a single INTEGER
        column missing from ``values``, SQLite assigns it. Returns the stored row.
        """
        pk = self._pk(table)
        cols = list(values)
        sql = f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" for _ in cols)})'
        if all(c in values for c in pk):
            updates = [c for c in cols if c not in pk]
            sql += f" ON CONFLICT({', '.join(pk)}) DO " + (
                "UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in updates) if updates else "NOTHING"
            )
        cur = self.conn.execute(sql, [values[c] for c in cols])
        if all(c in values for c in pk):
            key = {c: values[c] for c in pk}
        elif len(pk) == 1:
            key = {pk[0]: cur.lastrowid}
        else:
            raise RuntimeError(f"missing primary key columns for {table}: {pk}")
        row = self._fetch(table, key)
        self._log_row(table, key, row, action)
        return row

    def delete(self, table: str, key: dict[str, Any], *, action: str | None = None) -> None:
        """Delete one row of an audited table; the deletion is logged."""
        pk = self._pk(table)
        where = " AND ".join(f"{c} = ?" for c in pk)
        self.conn.execute(f'DELETE FROM "{table}" WHERE {where}', [key[c] for c in pk])
        self._log_row(table, key, None, action)

    def log(self, action: str, entity: str = "", entity_id: str = "", payload: dict[str, Any] | None = None) -> None:
        """Append an extra audit-log entry (e.g. one per imported batch, with its digest)."""
        audit.append_entry(
            self.conn, actor=self.project.actor, action=action, entity=entity, entity_id=entity_id, payload=payload
        )

    def _fetch(self, table: str, key: dict[str, Any]) -> sqlite3.Row:
        where = " AND ".join(f"{c} = ?" for c in key)
        return self.conn.execute(f'SELECT * FROM "{table}" WHERE {where}', list(key.values())).fetchone()

    def _log_row(self, table: str, key: dict[str, Any], row: sqlite3.Row | None, action: str | None) -> None:
        pk = self._pk(table)
        rid = ",".join(f"{c}={key[c]}" for c in pk)
        payload = dict(row) if row is not None else {}
        audit.append_entry(
            self.conn,
            actor=self.project.actor,
            action=action or self.action,
            entity=table,
            entity_id=rid,
            payload=payload,
            row_digest_value=audit.row_digest(row),
        )


def open_project(path: str | Path, *, actor: str | None = None, read_only: bool = False) -> Project:
    """Open an existing project file, migrating it (after a backup) if it is older than the app.

    Raises:
        NotFoundError: the file does not exist.
        SchemaTooNewError: the file is from a newer version; it is left untouched.
        ValidationError: the file is not a project file.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("Project file {path} does not exist."), path=str(path))
    pending = check_not_newer(path)
    if read_only and pending:
        raise UsageError(
            N_("{path} must be upgraded before it can be opened read-only; open it normally once."), path=str(path)
        )
    conn = _connect(path, read_only)
    backup = None
    if pending:
        backup = backup_before_migrating(path, conn)
        apply_migrations(conn, pending)
    project = Project(path=path, conn=conn, actor=actor or default_actor(), read_only=read_only, backup_path=backup)
    project.info  # noqa: B018 - fails early on a file without a project record
    return project


def create_project(
    path: str | Path,
    *,
    framework_id: str,
    provider: str,
    service: str,
    title: str | None = None,
    model_name: str = "",
    model_version: str = "",
    scope: str = "",
    start_date: str | None = None,
    end_date: str | None = None,
    actor: str | None = None,
    overwrite: bool = False,
) -> Project:
    """Create a new project file assessed against ``framework_id``.

    The framework's default service profile is stored; change it with ``set_profile``.
    """
    from gaisafe_desktop.core.frameworks import load_framework

    path = Path(path)
    if path.suffix != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    if path.exists():
        if not overwrite:
            raise UsageError(N_("{path} already exists; choose another name or open it."), path=str(path))
        path.unlink()
    if not provider.strip() or not service.strip():
        raise UsageError(N_("A project needs a provider name and a service name."))
    fw = load_framework(framework_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = _connect(path, read_only=False)
    from gaisafe_desktop.core.store.migrate import known_migrations

    apply_migrations(conn, known_migrations())
    project = Project(path=path, conn=conn, actor=actor or default_actor(), _framework=fw)
    now = audit.utc_now()
    with project.transaction("project.create", {"framework": fw.id, "pack_hash": fw.pack_hash}) as tx:
        tx.write(
            "project",
            {
                "id": 1,
                "uuid": str(uuid.uuid4()),
                "title": title or f"{provider} — {service}",
                "provider": provider.strip(),
                "service": service.strip(),
                "model_name": model_name,
                "model_version": model_version,
                "framework_id": fw.id,
                "framework_version": fw.version,
                "framework_hash": fw.pack_hash,
                "scope": scope,
                "start_date": start_date,
                "end_date": end_date,
                "created_at": now,
                "app_version": __version__,
            },
        )
        from gaisafe_desktop.core.hashing import canonical_json

        for key, value in fw.default_profile().items():
            tx.write("service_profile", {"field": key, "value": canonical_json(value)})
    return project
