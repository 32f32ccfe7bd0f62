"""The evidence store: files kept inside the project file, addressed by their SHA-256."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gaisafe_desktop.core.errors import NotFoundError, UsageError
from gaisafe_desktop.core.hashing import CHUNK, sha256_file
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.store.audit import utc_now
from gaisafe_desktop.core.store.project import Project


@dataclass(frozen=True)
class Evidence:
    sha256: str
    name: str
    media_type: str
    size: int
    note: str
    added_by: str
    added_at: str
    links: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict:
        return {
            "sha256": self.sha256,
            "name": self.name,
            "media_type": self.media_type,
            "size": self.size,
            "note": self.note,
            "added_by": self.added_by,
            "added_at": self.added_at,
            "links": [{"type": t, "id": i} for t, i in self.links],
        }


def add_evidence(
    project: Project, file: str | Path, *, note: str = "", links: list[tuple[str, str]] = (), name: str | None = None
) -> Evidence:
    """Store a file (streamed in 1 MiB chunks) and optionally link it to clauses or assessments.

    Adding the same content twice keeps one copy and adds the new links.
    """
    file = Path(file)
    if not file.is_file():
        raise NotFoundError(N_("Evidence file {path} does not exist."), path=str(file))
    sha = sha256_file(file)
    size = file.stat().st_size
    media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    for target_type, target_id in links:
        _check_link(project, target_type, target_id)
    exists = project.conn.execute("SELECT 1 FROM evidence WHERE sha256 = ?", (sha,)).fetchone()
    with project.transaction("evidence.add", {"sha256": sha, "name": name or file.name, "size": size}) as tx:
        if not exists:
            tx.write(
                "evidence",
                {
                    "sha256": sha,
                    "name": name or file.name,
                    "media_type": media_type,
                    "size": size,
                    "note": note,
                    "added_by": project.actor,
                    "added_at": utc_now(),
                },
            )
            with file.open("rb") as fh:
                for idx, chunk in enumerate(iter(lambda: fh.read(CHUNK), b"")):
                    tx.execute("INSERT INTO evidence_chunks(sha256, idx, data) VALUES (?, ?, ?)", (sha, idx, chunk))
        for target_type, target_id in links:
            tx.write(
                "evidence_links",
                {
                    "sha256": sha,
                    "target_type": target_type,
                    "target_id": target_id,
                    "linked_by": project.actor,
                    "linked_at": utc_now(),
                },
            )
    return get_evidence(project, sha)


def _check_link(project: Project, target_type: str, target_id: str) -> None:
    if target_type == "clause":
        project.framework.clause(target_id)  # raises NotFoundError naming the clause
    elif not target_id:
        raise UsageError(N_("A link needs a target id."))


def link_evidence(project: Project, sha_prefix: str, target_type: str, target_id: str) -> Evidence:
    """Link stored evidence to a clause, an assessment or another item."""
    ev = get_evidence(project, sha_prefix)
    _check_link(project, target_type, target_id)
    with project.transaction("evidence.link", {"sha256": ev.sha256, "type": target_type, "id": target_id}) as tx:
        tx.write(
            "evidence_links",
            {
                "sha256": ev.sha256,
                "target_type": target_type,
                "target_id": target_id,
                "linked_by": project.actor,
                "linked_at": utc_now(),
            },
        )
    return get_evidence(project, ev.sha256)


def get_evidence(project: Project, sha_prefix: str) -> Evidence:
    """Find evidence by its SHA-256 or an unambiguous prefix of at least 6 characters."""
    if len(sha_prefix) < 6:
        raise UsageError(N_("Give at least 6 characters of the evidence SHA-256."))
    rows = project.conn.execute("SELECT * FROM evidence WHERE sha256 LIKE ? || '%'", (sha_prefix.lower(),)).fetchall()
    if not rows:
        raise NotFoundError(N_("No evidence with SHA-256 starting {sha}."), sha=sha_prefix)
    if len(rows) > 1:
        raise UsageError(N_("{sha} matches several evidence files; give more characters."), sha=sha_prefix)
    return _evidence(project, rows[0])


def _evidence(project: Project, row) -> Evidence:
    links = tuple(
        (r["target_type"], r["target_id"])
        for r in project.conn.execute(
            "SELECT target_type, target_id FROM evidence_links WHERE sha256 = ? ORDER BY target_type, target_id",
            (row["sha256"],),
        )
    )
    return Evidence(
        row["sha256"], row["name"], row["media_type"], row["size"], row["note"], row["added_by"], row["added_at"], links
    )


def list_evidence(project: Project, *, target_type: str | None = None, target_id: str | None = None) -> list[Evidence]:
    """All evidence, or only what is linked to one target."""
    if target_type:
        rows = project.conn.execute(
            "SELECT e.* FROM evidence e JOIN evidence_links l ON l.sha256 = e.sha256 "
            "WHERE l.target_type = ? AND (? IS NULL OR l.target_id = ?) GROUP BY e.sha256 ORDER BY e.added_at",
            (target_type, target_id, target_id),
        ).fetchall()
    else:
        rows = project.conn.execute("SELECT * FROM evidence ORDER BY added_at").fetchall()
    return [_evidence(project, r) for r in rows]


def iter_evidence_bytes(project: Project, sha256: str) -> Iterator[bytes]:
    """The stored content, chunk by chunk."""
    for (chunk,) in project.conn.execute("SELECT data FROM evidence_chunks WHERE sha256 = ? ORDER BY idx", (sha256,)):
        yield chunk


def export_evidence(project: Project, sha_prefix: str, dest: str | Path) -> Path:
    """Write stored evidence to ``dest`` (a file, or a folder to write it into under its name)."""
    ev = get_evidence(project, sha_prefix)
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / Path(ev.name).name
    tmp = dest.with_name(dest.name + ".part")
    import hashlib

    h = hashlib.sha256()
    with tmp.open("wb") as fh:
        for chunk in iter_evidence_bytes(project, ev.sha256):
            h.update(chunk)
            fh.write(chunk)
    if h.hexdigest() != ev.sha256:
        tmp.unlink()
        from gaisafe_desktop.core.errors import IntegrityError

        raise IntegrityError(N_("Stored evidence {sha} is damaged; run `audit verify`."), sha=ev.sha256[:12])
    tmp.replace(dest)
    return dest
