"""Numbered schema migrations: applied in order, each in one transaction, recorded in the file.

A file that records a migration this application does not know was written by a newer version:
it is refused before anything is written to it. Before migrating an existing file, a backup copy
is made beside it.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from gaisafe_desktop.core.errors import SchemaTooNewError, ValidationError
from gaisafe_desktop.core.hashing import sha256_text
from gaisafe_desktop.core.i18n import N_

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return sha256_text(self.sql)


def known_migrations() -> list[Migration]:
    """The migrations shipped with this application, in order."""
    folder = resources.files("gaisafe_desktop.core.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda x: (x.number, x.name))


def applied_migrations(conn: sqlite3.Connection) -> dict[str, str]:
    """Migration name → checksum recorded in an open project file (empty for a new file)."""
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'").fetchone()
    if not has:
        return {}
    return {row[0]: row[1] for row in conn.execute("SELECT name, checksum FROM schema_migrations")}


def check_not_newer(path: Path) -> list[Migration]:
    """Open ``path`` read-only; refuse it if it is newer than this app; return pending migrations."""
    # Without a pending WAL, ``immutable=1`` reads the file without creating -wal/-shm files beside it.
    has_wal = path.with_name(path.name + "-wal").exists()
    uri = f"file:{path.as_posix()}?mode=ro" + ("" if has_wal else "&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            applied = applied_migrations(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValidationError(
            N_("{path} is not a GAISafe project file (SQLite says: {reason})."), path=str(path), reason=str(exc)
        ) from exc
    known = known_migrations()
    unknown = sorted(set(applied) - {m.name for m in known})
    if unknown:
        raise SchemaTooNewError(
            N_(
                "{path} was written by a newer version of GAISafe Desktop (schema step {step} is unknown "
                "to this version). Install the newer version to open it; the file was not changed."
            ),
            path=str(path),
            step=unknown[-1],
        )
    return [m for m in known if m.name not in applied]


def backup_before_migrating(path: Path, conn: sqlite3.Connection) -> Path:
    """Copy the file with SQLite's backup API to ``<name>.bak-<UTC time>`` beside it."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.bak-{stamp}")
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def apply_migrations(conn: sqlite3.Connection, pending: list[Migration]) -> None:
    """Apply ``pending`` in order; each migration and its record commit together or not at all."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "name TEXT PRIMARY KEY, number INTEGER NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for mig in pending:
        script = (
            "BEGIN IMMEDIATE;\n"
            + mig.sql
            + "\nINSERT INTO schema_migrations(name, number, checksum, applied_at) VALUES "
            + f"('{mig.name}', {mig.number}, '{mig.checksum}', '{dt.datetime.now(dt.UTC).isoformat()}');\n"
            + f"PRAGMA user_version = {max(mig.number, _user_version(conn))};\n"
            + "COMMIT;"
        )
        try:
            conn.executescript(script)
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]
