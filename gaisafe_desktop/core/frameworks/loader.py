"""Finding, reading, validating and caching framework packs.

A pack is a folder with ``framework.json`` and the files it lists. Shipped packs live under
``resource_path("frameworks")``; any folder can be loaded by path (e.g. a pack under development).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.errors import NotFoundError, ValidationError
from gaisafe_desktop.core.frameworks.jsonlines import line_of_path
from gaisafe_desktop.core.frameworks.model import (
    Aspect,
    Assessment,
    Clause,
    Framework,
    FrameworkInfo,
    ProfileField,
    Risk,
    RiskGroup,
    RiskSet,
    Section,
)
from gaisafe_desktop.core.frameworks.validation import (
    FORMAT,
    MANIFEST,
    ROLES,
    Problem,
    cross_problems,
    expand_set,
    parse_json,
    schema_problems,
)
from gaisafe_desktop.core.i18n import N_, _
from gaisafe_desktop.core.resources import resource_path

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_cache: dict[tuple, Framework] = {}
_lock = threading.Lock()


class _Lazy:
    """A message translated when it is formatted, so an error follows a later language switch."""

    def __init__(self, problem: Problem, more: int = 0) -> None:
        self.problem, self.more = problem, more

    def __str__(self) -> str:
        text = self.problem.detail()
        if self.more:
            text += " " + _("(and {n} more problem(s); run `gaisafe framework validate` to list them)").format(
                n=self.more
            )
        return text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def frameworks_root() -> Path:
    """The folder holding the shipped framework packs."""
    return resource_path("frameworks")


def framework_dir(framework_id: str) -> Path:
    """Folder of the shipped pack with this id; ``NotFoundError`` listing the installed ids otherwise."""
    folder = frameworks_root() / framework_id
    if not _ID.match(framework_id) or not (folder / MANIFEST).is_file():
        raise NotFoundError(
            N_("No framework pack `{id}`; installed packs: {known}."),
            id=framework_id,
            known=", ".join(_pack_dirs_ids()) or "-",
        )
    return folder


def _pack_dirs() -> list[Path]:
    root = frameworks_root()
    if not root.is_dir():
        return []
    return sorted(d for d in root.iterdir() if d.is_dir() and d.name[0] not in "._" and (d / MANIFEST).is_file())


def _pack_dirs_ids() -> list[str]:
    return [d.name for d in _pack_dirs()]


def resolve_pack(ref: str | Path) -> tuple[Path, str | None]:
    """``(folder, expected_id)`` for an id or a path; a ``Path`` or anything not shaped like an id is a path."""
    if isinstance(ref, Path) or not _ID.match(str(ref)):
        folder = Path(ref)
        if not (folder / MANIFEST).is_file():
            raise NotFoundError(N_("{path}: not a framework pack (no {manifest})."), path=folder, manifest=MANIFEST)
        return folder, None
    return framework_dir(str(ref)), str(ref)


def pack_hash(files: dict[str, bytes]) -> str:
    """SHA-256 over a pack's files: for each name in sorted order, ``name NUL length NUL bytes``."""
    h = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        h.update(name.encode("utf-8") + b"\0" + str(len(data)).encode("ascii") + b"\0")
        h.update(data)
    return h.hexdigest()


def _read(folder: Path, expected_id: str | None) -> tuple[dict[str, Any], dict[str, bytes], list[Problem]]:
    """Read and check every file of a pack; return the parsed documents, raw bytes and all problems."""
    raw: dict[str, bytes] = {}
    docs: dict[str, Any] = {}
    raw[MANIFEST] = (folder / MANIFEST).read_bytes()
    manifest, problems = parse_json(MANIFEST, raw[MANIFEST])
    if problems:
        return docs, raw, problems
    problems = schema_problems("framework", MANIFEST, manifest)
    if problems:
        return docs, raw, problems
    if manifest["format"] > FORMAT:
        return (
            docs,
            raw,
            [
                Problem(
                    MANIFEST,
                    "format",
                    N_("pack format {n} needs a newer GAISafe Desktop (this one reads format {known})"),
                    {"n": manifest["format"], "known": FORMAT},
                )
            ],
        )
    if expected_id and manifest["id"] != expected_id:
        problems.append(
            Problem(
                MANIFEST,
                "id",
                N_("`{value}` differs from the folder name `{folder}`"),
                {"value": manifest["id"], "folder": expected_id},
            )
        )
    docs["framework"] = manifest
    files = manifest["files"]
    for role in ROLES:
        name = files[role]
        path = folder / name
        if not path.is_file():
            problems.append(
                Problem(
                    MANIFEST, f"files.{role}", N_("lists `{value}`, which is missing from the pack"), {"value": name}
                )
            )
            continue
        raw[name] = path.read_bytes()
        doc, bad = parse_json(name, raw[name])
        problems += bad or schema_problems(role, name, doc)
        docs[role] = doc
    if not problems:
        problems = cross_problems(manifest, docs, files)
    return docs, raw, problems


def validate_pack(ref: str | Path) -> list[Problem]:
    """Every problem of a pack (empty list when it is valid), with line numbers. Does not raise for pack content."""
    folder, expected = resolve_pack(ref)
    _docs, raw, problems = _read(folder, expected)
    return [_with_line(p, raw) for p in problems]


def _with_line(problem: Problem, raw: dict[str, bytes]) -> Problem:
    if problem.line is not None or not problem.path or problem.file not in raw:
        return problem
    line = line_of_path(raw[problem.file].decode("utf-8"), problem.path)
    return dataclasses.replace(problem, line=line)


def _signature(folder: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.json")))


def load_framework(ref: str | Path) -> Framework:
    """Load and validate a framework pack by id (shipped packs) or by folder path. Cached.

    Raises:
        NotFoundError: no such pack.
        ValidationError: the pack is invalid; the message names the file and the JSON path of the field.
    """
    folder, expected = resolve_pack(ref)
    key = (str(folder.resolve()), expected, _signature(folder))
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    docs, raw, problems = _read(folder, expected)
    if problems:
        first = problems[0]
        raise ValidationError(
            N_("{file}: {path}: {problem}") if first.path else N_("{file}: {problem}"),
            file=first.file,
            path=first.path,
            problem=_Lazy(first, len(problems) - 1),
        )
    fw = _build(folder, docs, pack_hash(raw))
    with _lock:
        _cache[key] = fw
    return fw


def list_frameworks() -> list[FrameworkInfo]:
    """Every pack under ``resource_path("frameworks")``; a pack that fails to load carries its error."""
    out = []
    for folder in _pack_dirs():
        try:
            out.append(load_framework(folder.name).info())
        except ValidationError as exc:
            out.append(FrameworkInfo(id=folder.name, path=folder, error=str(exc)))
    return out


def _t(value: dict | None) -> dict | None:
    return dict(value) if value else None


def _build(folder: Path, docs: dict[str, Any], digest: str) -> Framework:
    m, rk, asp, prof, cl, ass = (docs[k] for k in ("framework", *ROLES))
    return Framework(
        id=m["id"],
        version=m["version"],
        title=dict(m["title"]),
        source=dict(m["source"]),
        path=folder,
        pack_hash=digest,
        groups=tuple(RiskGroup(g["id"], g["name"], g.get("ref", "")) for g in rk["groups"]),
        risks=tuple(Risk(r["code"], r["group"], r["name"], r.get("ref", "")) for r in rk["risks"]),
        risk_sets={s["id"]: RiskSet(s["id"], s["name"], tuple(expand_set(s, rk["risks"]))) for s in rk["sets"]},
        aspects=tuple(Aspect(a["id"], a["name"], _t(a.get("description"))) for a in asp["aspects"]),
        profile_fields=tuple(
            ProfileField(
                id=f["id"],
                type=f["type"],
                label=f["label"],
                help=f["help"],
                default=f["default"],
                choices=tuple(c["id"] for c in f.get("choices", [])),
                choice_labels={c["id"]: c["label"] for c in f.get("choices", [])},
                min_items=f.get("min_items", 0),
            )
            for f in prof["fields"]
        ),
        sections=tuple(
            Section(s["id"], s["ref"], s["parent"], s["title"], s.get("informative", False), _t(s.get("note")))
            for s in cl["sections"]
        ),
        clauses=tuple(
            Clause(
                id=c["id"],
                ref=c["ref"],
                section=c["section"],
                obligation=c["obligation"],
                text=c["text"],
                evidence=c["evidence"],
                applies_if=c["applies_if"],
                not_applicable_reason=_t(c["not_applicable_reason"]),
                assessments=tuple(c["assessments"]),
                note=_t(c.get("note")),
            )
            for c in cl["clauses"]
        ),
        assessments=tuple(
            Assessment(a["id"], a["kind"], a["name"], _t(a.get("rule")), tuple(a["clauses"]), a["parameters"])
            for a in ass["assessments"]
        ),
    )
