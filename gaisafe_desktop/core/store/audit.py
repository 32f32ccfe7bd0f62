"""The hash-chained audit log and its verifier.

Each entry's hash covers the previous entry's hash and the entry's own content, so changing,
inserting or deleting any entry breaks the chain from that point. Rows of *audited tables* are
logged with the digest of their content after the change; the verifier recomputes every such row's
digest and compares it with its last log entry, so a row changed with raw SQL is named.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from gaisafe_desktop.core.hashing import canonical_json, digest, sha256_text
from gaisafe_desktop.core.i18n import N_, _

GENESIS = "0" * 64
DELETED = ""


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """Hash of one entry: SHA-256 over the previous hash and the canonical JSON of the entry."""
    return sha256_text(prev_hash + "\n" + canonical_json(entry))


def row_digest(row: sqlite3.Row | dict[str, Any] | None) -> str:
    """Digest of one row of an audited table (all columns), or ``DELETED`` for a missing row."""
    if row is None:
        return DELETED
    return digest(dict(row))


def append_entry(
    conn: sqlite3.Connection,
    *,
    actor: str,
    action: str,
    entity: str = "",
    entity_id: str = "",
    payload: dict[str, Any] | None = None,
    row_digest_value: str | None = None,
) -> str:
    """Append one entry inside the caller's open transaction; returns its hash."""
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq = (last[0] + 1) if last else 1
    prev = last[1] if last else GENESIS
    entry = {
        "seq": seq,
        "ts": utc_now(),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "payload": canonical_json(payload or {}),
        "row_digest": row_digest_value,
    }
    h = entry_hash(prev, entry)
    conn.execute(
        "INSERT INTO audit_log(seq, ts, actor, action, entity, entity_id, payload, row_digest, prev_hash, hash) "
        "VALUES (:seq, :ts, :actor, :action, :entity, :entity_id, :payload, :row_digest, :prev, :hash)",
        {**entry, "prev": prev, "hash": h},
    )
    return h


def head_hash(conn: sqlite3.Connection) -> str:
    """Hash of the last entry (the value a report or case file pins), or the genesis value."""
    row = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


@dataclass
class AuditProblem:
    """One thing the verifier found wrong, with where."""

    kind: str  # chain | row | unlogged | evidence
    where: str  # "audit_log seq 12" or "people id=3"
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return _(self.msgid).format(**self.params)


@dataclass
class AuditReport:
    entries: int
    head: str
    problems: list[AuditProblem]
    rows_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_broken(self) -> AuditProblem | None:
        return self.problems[0] if self.problems else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "rows_checked": self.rows_checked,
            "head": self.head,
            "problems": [{"kind": p.kind, "where": p.where, "message": p.message()} for p in self.problems],
        }


def _pk_id(row: sqlite3.Row, pk_cols: list[str]) -> str:
    return ",".join(f"{c}={row[c]}" for c in pk_cols)


def verify_chain(
    conn: sqlite3.Connection,
) -> tuple[list[AuditProblem], dict[tuple[str, str], tuple[int, str]], int, str]:
    """Walk the log; return problems, the last digest per (table, row id), the entry count and head."""
    problems: list[AuditProblem] = []
    last_digest: dict[tuple[str, str], tuple[int, str]] = {}
    prev = GENESIS
    expected_seq = 1
    count = 0
    cur = conn.execute(
        "SELECT seq, ts, actor, action, entity, entity_id, payload, row_digest, prev_hash, hash "
        "FROM audit_log ORDER BY seq"
    )
    for row in cur:
        count += 1
        seq = row[0]
        where = f"audit_log seq {seq}"
        if seq != expected_seq and not problems:
            problems.append(
                AuditProblem(
                    "chain",
                    where,
                    N_("Audit log entries {missing} are missing (deleted)."),
                    {"missing": f"{expected_seq}–{seq - 1}"},
                )
            )
        entry = dict(
            zip(("seq", "ts", "actor", "action", "entity", "entity_id", "payload", "row_digest"), row[:8], strict=True)
        )
        if row[8] != prev and not problems:
            problems.append(
                AuditProblem(
                    "chain",
                    where,
                    N_("Audit log entry {seq} does not link to the entry before it (chain broken)."),
                    {"seq": seq},
                )
            )
        if entry_hash(row[8], entry) != row[9] and not any(p.kind == "chain" for p in problems):
            problems.append(
                AuditProblem(
                    "chain",
                    where,
                    N_("Audit log entry {seq} was altered: its content does not match its hash."),
                    {"seq": seq},
                )
            )
        if row[7] is not None and row[4]:
            last_digest[(row[4], row[5])] = (seq, row[7])
        prev = row[9]
        expected_seq = seq + 1
    return problems, last_digest, count, prev


def verify_project(conn: sqlite3.Connection) -> AuditReport:
    """Verify the chain, every row of every audited table, and every evidence blob."""
    problems, last_digest, count, head = verify_chain(conn)
    checked = 0
    seen: set[tuple[str, str]] = set()
    tables = conn.execute("SELECT name, pk FROM audited_tables ORDER BY name").fetchall()
    for name, pk in tables:
        pk_cols = [c.strip() for c in pk.split(",")]
        for row in conn.execute(f'SELECT * FROM "{name}"'):  # noqa: S608 - names come from the schema
            checked += 1
            rid = _pk_id(row, pk_cols)
            seen.add((name, rid))
            logged = last_digest.get((name, rid))
            where = f"{name} {rid}"
            if logged is None:
                problems.append(
                    AuditProblem(
                        "unlogged",
                        where,
                        N_("Row {where} is not in the audit log (inserted outside the app)."),
                        {"where": where},
                    )
                )
            elif logged[1] != row_digest(row):
                problems.append(
                    AuditProblem(
                        "row",
                        where,
                        N_("Row {where} was changed outside the app after audit log entry {seq}."),
                        {"where": where, "seq": logged[0]},
                    )
                )
    audited = {t[0] for t in tables}
    for (table, rid), (seq, dig) in last_digest.items():
        if table in audited and dig != DELETED and (table, rid) not in seen:
            where = f"{table} {rid}"
            problems.append(
                AuditProblem(
                    "row",
                    where,
                    N_("Row {where} was deleted outside the app (last logged in entry {seq})."),
                    {"where": where, "seq": seq},
                )
            )
    problems.extend(_verify_evidence_blobs(conn))
    return AuditReport(entries=count, head=head, problems=problems, rows_checked=checked)


def _verify_evidence_blobs(conn: sqlite3.Connection) -> list[AuditProblem]:
    import hashlib

    out = []
    for (sha,) in conn.execute("SELECT sha256 FROM evidence ORDER BY sha256").fetchall():
        h = hashlib.sha256()
        for (chunk,) in conn.execute("SELECT data FROM evidence_chunks WHERE sha256 = ? ORDER BY idx", (sha,)):
            h.update(chunk)
        if h.hexdigest() != sha:
            where = f"evidence {sha[:12]}"
            out.append(
                AuditProblem(
                    "evidence",
                    where,
                    N_("Evidence file {sha} was altered: its content no longer matches its SHA-256."),
                    {"sha": sha[:12]},
                )
            )
    return out
