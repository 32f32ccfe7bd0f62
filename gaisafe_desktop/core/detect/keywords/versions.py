"""Keyword library versions in the project file: import, list, load, diff, verify.

Each import is one transaction (``keywords.import``): the library row (first time), the version row
(audited: hash, release date, counts per risk) and the entries (bulk, one audit entry with their
digest). Importing content identical to the latest version is refused: it is not an update.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.detect.keywords.conformance import count_parsed
from gaisafe_desktop.core.detect.keywords.formats import detect_format, read_library
from gaisafe_desktop.core.detect.keywords.library import Entry, parse_expressions, parse_risks
from gaisafe_desktop.core.errors import NotFoundError, UsageError, ValidationError
from gaisafe_desktop.core.hashing import digest, sha256_file
from gaisafe_desktop.core.i18n import N_


def entries_digest(entries: Sequence[Entry]) -> str:
    """SHA-256 of the canonical JSON of the entries in file order (what a version's hash is)."""
    return digest([[e.kind, e.term, list(e.risks), e.lang, e.match, e.note, e.added] for e in entries])


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _known_codes(proj: Any) -> set[str] | None:
    try:
        return {r.code for r in proj.framework.risks}
    except Exception:  # a project whose pack cannot be loaded still imports; codes checked later
        return None


def import_library_version(
    proj: Any,
    path: str | Path,
    *,
    library: str,
    fmt: str | None = None,
    risk: str | None = None,
    released: str | None = None,
    note: str = "",
) -> dict[str, Any]:
    """Import a library file as the next version of ``library`` in the project.

    Args:
        proj: an open project.
        path: CSV, TSV, XLSX or TXT file.
        library: library name (created on first import).
        fmt: file format (default: from the extension).
        risk: risk code(s) for rows without one (required for TXT).
        released: the provider's release date of this version, YYYY-MM-DD (default: today).
        note: free text stored with the version.

    Returns:
        The stored version row as a dict (with ``counts`` decoded).

    Raises:
        ValidationError: a bad row (file, line, column named) or a bad release date.
        UsageError: the content is identical to the latest version.
    """
    path = Path(path)
    fmt = detect_format(path, fmt)
    entries = read_library(path, fmt=fmt, risk=risk)
    if not entries:
        raise ValidationError(N_("{file}: no terms found"), file=str(path))
    exprs = parse_expressions(entries)
    from gaisafe_desktop.core.detect.keywords.library import validate_entry

    for e, x in zip(entries, exprs, strict=True):
        validate_entry(e, x)
    released = _check_date(released) if released else dt.date.today().isoformat()
    counts = count_parsed(entries, exprs, _known_codes(proj))
    sha = entries_digest(entries)
    latest = _latest(proj, library)
    if latest is not None and latest["sha256"] == sha:
        raise UsageError(
            N_("{file} is identical to version {version} of library `{library}`; nothing imported."),
            file=str(path),
            version=latest["version"],
            library=library,
        )
    if latest is not None and released < latest["released_on"]:
        raise ValidationError(
            N_("Release date {released} is before the release date {previous} of version {version}."),
            released=released,
            previous=latest["released_on"],
            version=latest["version"],
        )
    number = 1 if latest is None else int(latest["version"]) + 1
    payload = {"library": library, "version": number, "file": path.name, "entries": len(entries), "sha256": sha}
    with proj.transaction("keywords.import", payload) as tx:
        if (
            latest is None
            and tx.conn.execute("SELECT 1 FROM keyword_libraries WHERE name = ?", (library,)).fetchone() is None
        ):
            tx.write("keyword_libraries", {"name": library, "created_by": proj.actor, "created_at": _now(), "note": ""})
        row = tx.write(
            "keyword_versions",
            {
                "library": library,
                "version": number,
                "sha256": sha,
                "source_name": path.name,
                "source_sha256": sha256_file(path),
                "source_format": fmt,
                "released_on": released,
                "imported_by": proj.actor,
                "imported_at": _now(),
                "entries": len(entries),
                "distinct_terms": counts.distinct_terms,
                "allow_entries": counts.allow_entries,
                "counts": json.dumps(counts.per_risk, ensure_ascii=False, sort_keys=True),
                "note": note,
            },
        )
        vid = row["id"]
        tx.executemany(
            "INSERT INTO keyword_terms(version_id, seq, kind, term, norm, risks, lang, match, note, added, line)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    vid,
                    i,
                    e.kind,
                    e.term,
                    x.canonical,
                    "|".join(e.risks),
                    e.lang,
                    e.match,
                    e.note,
                    e.added,
                    _line(e.where),
                )
                for i, (e, x) in enumerate(zip(entries, exprs, strict=True))
            ),
        )
        tx.log("keywords.terms", "keyword_versions", f"id={vid}", {"entries": len(entries), "sha256": sha})
    return _row_dict(row)


def _line(where: str) -> int:
    tail = where.rpartition("line ")[2]
    return int(tail) if tail.isdigit() else 0


def _check_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValidationError(N_("Release date `{value}` is not a date (YYYY-MM-DD)."), value=value) from None


def _row_dict(row: Any) -> dict[str, Any]:
    d = dict(row)
    d["counts"] = json.loads(d["counts"])
    return d


def _latest(proj: Any, library: str) -> Any:
    return proj.conn.execute(
        "SELECT * FROM keyword_versions WHERE library = ? ORDER BY version DESC LIMIT 1", (library,)
    ).fetchone()


def list_libraries(proj: Any) -> list[dict[str, Any]]:
    """Libraries with their latest version number and size."""
    rows = proj.conn.execute(
        "SELECT l.name, l.created_at, COUNT(v.id) AS versions, MAX(v.version) AS latest,"
        " (SELECT distinct_terms FROM keyword_versions WHERE library = l.name ORDER BY version DESC LIMIT 1) AS terms,"
        " (SELECT released_on FROM keyword_versions WHERE library = l.name ORDER BY version DESC LIMIT 1) AS released_on"
        " FROM keyword_libraries l LEFT JOIN keyword_versions v ON v.library = l.name GROUP BY l.name ORDER BY l.name"
    ).fetchall()
    return [dict(r) for r in rows]


def list_versions(proj: Any, library: str) -> list[dict[str, Any]]:
    """Every version of a library, oldest first."""
    _require_library(proj, library)
    rows = proj.conn.execute("SELECT * FROM keyword_versions WHERE library = ? ORDER BY version", (library,)).fetchall()
    return [_row_dict(r) for r in rows]


def _require_library(proj: Any, library: str) -> None:
    if proj.conn.execute("SELECT 1 FROM keyword_libraries WHERE name = ?", (library,)).fetchone() is None:
        known = [r[0] for r in proj.conn.execute("SELECT name FROM keyword_libraries ORDER BY name")]
        raise NotFoundError(
            N_("No keyword library `{library}` in this project; known: {known}."),
            library=library,
            known=", ".join(known) or "-",
        )


def get_version(proj: Any, library: str, version: int | None = None) -> dict[str, Any]:
    """One version row (the latest when ``version`` is None)."""
    _require_library(proj, library)
    if version is None:
        row = _latest(proj, library)
    else:
        row = proj.conn.execute(
            "SELECT * FROM keyword_versions WHERE library = ? AND version = ?", (library, version)
        ).fetchone()
    if row is None:
        raise NotFoundError(N_("Library `{library}` has no version {version}."), library=library, version=version)
    return _row_dict(row)


def load_entries(proj: Any, library: str, version: int | None = None) -> list[Entry]:
    """The entries of a stored version, in file order."""
    v = get_version(proj, library, version)
    rows = proj.conn.execute(
        "SELECT kind, term, risks, lang, match, note, added, line FROM keyword_terms WHERE version_id = ? ORDER BY seq",
        (v["id"],),
    ).fetchall()
    return [
        Entry(
            r["term"],
            parse_risks(r["risks"]),
            r["kind"],
            r["lang"],
            r["match"],
            r["note"],
            r["added"],
            f"{v['source_name']}, line {r['line']}",
        )
        for r in rows
    ]


def verify_version(proj: Any, library: str, version: int | None = None) -> bool:
    """Whether the stored entries still hash to the version's recorded digest."""
    v = get_version(proj, library, version)
    return entries_digest(load_entries(proj, library, v["version"])) == v["sha256"]


@dataclass(frozen=True)
class LibraryDiff:
    added: list[Entry]
    removed: list[Entry]
    changed: list[tuple[Entry, Entry]]  # same normalised term and kind, other risks/match/note

    def as_dict(self) -> dict[str, Any]:
        def e(x: Entry) -> dict[str, Any]:
            return {"term": x.term, "risks": list(x.risks), "kind": x.kind, "match": x.match}

        return {
            "added": [e(x) for x in self.added],
            "removed": [e(x) for x in self.removed],
            "changed": [{"old": e(a), "new": e(b)} for a, b in self.changed],
        }


def diff_entries(old: Sequence[Entry], new: Sequence[Entry]) -> LibraryDiff:
    """Added, removed and changed entries, matched by (kind, normalised canonical term)."""

    def keyed(entries: Sequence[Entry]) -> dict[tuple[str, str], Entry]:
        exprs = parse_expressions(list(entries))
        out: dict[tuple[str, str], Entry] = {}
        for entry, x in zip(entries, exprs, strict=True):
            key = (entry.kind, x.canonical)
            if key in out:  # duplicates merge their risk codes
                prev = out[key]
                entry = Entry(
                    prev.term,
                    tuple(dict.fromkeys(prev.risks + entry.risks)),
                    prev.kind,
                    prev.lang,
                    prev.match,
                    prev.note,
                    prev.added,
                    prev.where,
                )
            out[key] = entry
        return out

    a, b = keyed(old), keyed(new)
    added = [b[k] for k in b if k not in a]
    removed = [a[k] for k in a if k not in b]
    changed = [
        (a[k], b[k])
        for k in a
        if k in b and (set(a[k].risks) != set(b[k].risks) or a[k].match != b[k].match or a[k].note != b[k].note)
    ]
    return LibraryDiff(added, removed, changed)


def diff_versions(proj: Any, library: str, old: int, new: int) -> LibraryDiff:
    """Diff two stored versions of a library."""
    return diff_entries(load_entries(proj, library, old), load_entries(proj, library, new))


def release_dates(proj: Any, library: str, up_to: int | None = None) -> list[str]:
    """Release dates of the versions of a library (up to version ``up_to``)."""
    return [v["released_on"] for v in list_versions(proj, library) if up_to is None or v["version"] <= up_to]


def check_library(proj: Any, library: str, version: int | None = None, as_of: dt.date | None = None):
    """B.1.1 report for a stored library version, judged against the project's framework.

    The update history is the release dates of this version and every earlier one, judged at
    ``as_of``; by default the project's end date when it has one (so a regulator re-checking the
    project later gets the same verdict), else today.
    """
    from gaisafe_desktop.core.detect.keywords.conformance import check_b11_with_framework

    if as_of is None:
        end = proj.info["end_date"]
        if end:
            as_of = min(dt.date.fromisoformat(str(end)[:10]), dt.date.today())
    v = get_version(proj, library, version)
    entries = load_entries(proj, library, v["version"])
    return check_b11_with_framework(entries, proj.framework, release_dates(proj, library, v["version"]), as_of)


def check_library_file(
    path: str | Path,
    fw: Any,
    *,
    fmt: str | None = None,
    risk: str | None = None,
    releases: Sequence[str] = (),
    as_of: dt.date | None = None,
):
    """B.1.1 report for a library file outside a project (no version history unless given)."""
    from gaisafe_desktop.core.detect.keywords.conformance import check_b11_with_framework

    return check_b11_with_framework(read_library(path, fmt=fmt, risk=risk), fw, releases, as_of)
