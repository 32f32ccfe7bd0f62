"""Verify a case file: archive safety, every hash, the CMS signature, the PDF signatures, the audit chain.

Nothing is trusted from the archive: it is checked for hostile members before anything is written,
extracted into a fresh temporary folder, and every check runs even after an earlier one failed, so
the result names *every* problem (changed file, missing file, unexpected file, bad signature, broken
audit-log chain) at once.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bagit

from gaisafe_desktop.core.casefile.export import FORMAT, SIGNATURE_NAME
from gaisafe_desktop.core.casefile.safezip import DEFAULT_LIMITS, ZipLimits, safe_extract
from gaisafe_desktop.core.errors import GaisafeError, NotFoundError
from gaisafe_desktop.core.hashing import sha256_file
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.report.problems import Problem

MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"


@dataclass
class CasefileVerification:
    """Everything found about one case file. ``ok`` means no problem at all."""

    path: str
    sha256: str
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    signature: dict[str, Any] | None = None
    reports: list[dict[str, Any]] = field(default_factory=list)
    audit: dict[str, Any] | None = None
    manifest: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def trusted(self) -> bool:
        """Sound, and every signer (CMS and PDF) is among the certificates the user trusts."""
        sig_ok = bool(self.signature and self.signature.get("trusted"))
        return self.ok and sig_ok and all(r.get("trusted") for r in self.reports)

    def problem_paths(self) -> set[str]:
        return {p.path for p in self.problems if p.path}

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "ok": self.ok,
            "trusted": self.trusted,
            "files_checked": self.files_checked,
            "problems": [p.as_dict() for p in self.problems],
            "signature": self.signature,
            "reports": self.reports,
            "audit": self.audit,
        }


def _read_manifest(path: Path, rel: str, problems: list[Problem]) -> dict[str, str]:
    entries: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(N_("cannot be read: {detail}"), {"detail": str(exc)}, rel, "manifest"))
        return entries
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition(" ")
        name = name.strip().lstrip("*")
        if len(digest) != 64 or not name:
            problems.append(Problem(N_("line {line} is not `<sha256> <path>`"), {"line": n}, rel, "manifest"))
            continue
        entries[bagit._decode_filename(name)] = digest.lower()
    return entries


def _hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _check_entries(
    root: Path, entries: dict[str, str], problems: list[Problem], cancel: CancelToken, tick: Callable[[str], None]
) -> int:
    checked = 0
    for rel, expected in sorted(entries.items()):
        cancel.raise_if_cancelled()
        target = root / rel
        if not target.is_file():
            problems.append(Problem(N_("listed in the manifest but missing"), path=rel, code="missing"))
            continue
        found = _hash(target)
        checked += 1
        tick(rel)
        if found != expected:
            problems.append(
                Problem(
                    N_("content changed: SHA-256 is {found}, the manifest says {expected}"),
                    {"found": found[:16] + "…", "expected": expected[:16] + "…"},
                    rel,
                    "changed",
                )
            )
    return checked


def _check_structure(root: Path, problems: list[Problem]) -> None:
    """bagit's own checks (bagit.txt, bag-info Payload-Oxum, completeness) for what hashes do not cover."""
    try:
        bag = bagit.Bag(str(root))
        bag.validate(processes=1, completeness_only=True)
    except bagit.BagValidationError as exc:
        for d in getattr(exc, "details", None) or []:
            path = getattr(d, "path", "")
            if path and any(p.path == path for p in problems):
                continue
            problems.append(Problem(N_("BagIt check failed: {detail}"), {"detail": str(d)}, str(path), "bagit"))
        if not getattr(exc, "details", None):
            problems.append(Problem(N_("BagIt check failed: {detail}"), {"detail": exc.message}, "", "bagit"))
    except bagit.BagError as exc:
        problems.append(Problem(N_("BagIt check failed: {detail}"), {"detail": str(exc)}, "bagit.txt", "bagit"))


def _verify_snapshot(root: Path, manifest: dict[str, Any], result: CasefileVerification) -> None:
    from gaisafe_desktop.core.store.audit import verify_project

    rel = manifest.get("snapshot") or "data/project/project.gaisafe"
    snap = root / rel
    if not snap.is_file():
        result.problems.append(Problem(N_("the project snapshot is missing"), path=rel, code="missing"))
        return
    try:
        conn = sqlite3.connect(f"file:{snap.as_posix()}?mode=ro&immutable=1", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            report = verify_project(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        result.problems.append(
            Problem(N_("the project snapshot cannot be read: {detail}"), {"detail": str(exc)}, rel, "snapshot")
        )
        return
    result.audit = report.to_dict()
    for p in report.problems:
        result.problems.append(
            Problem(N_("audit log: {where}: {message}"), {"where": p.where, "message": p.message()}, rel, "audit")
        )
    if manifest.get("audit_head") and report.head != manifest["audit_head"]:
        result.problems.append(
            Problem(
                N_("the snapshot's audit-log head {found} differs from the case file's {expected}"),
                {"found": report.head[:16], "expected": str(manifest["audit_head"])[:16]},
                rel,
                "audit",
            )
        )


def _verify_folder(
    result: CasefileVerification,
    folder: Path,
    read_problems: list[str],
    trusted_certs: list[Path | str] | None,
    progress: Progress,
    cancel: CancelToken,
) -> Path | None:
    """Run every check on an extracted case file; returns the bag root (None if the layout is wrong)."""
    from gaisafe_desktop.core.report.sign import verify_detached, verify_pdf

    for line in read_problems:
        member, _, detail = line.partition("\t")
        rel = member.split("/", 1)[1] if "/" in member else member
        result.problems.append(
            Problem(N_("cannot be read from the archive: {detail}"), {"detail": detail}, rel, "read")
        )
    tops = [p for p in folder.iterdir()]
    if len(tops) != 1 or not tops[0].is_dir():
        result.problems.append(
            Problem(N_("the archive must hold exactly one top-level folder (the bag)"), code="layout")
        )
        return None
    root = tops[0]
    problems = result.problems
    payload = _read_manifest(root / MANIFEST, MANIFEST, problems) if (root / MANIFEST).is_file() else {}
    tags = _read_manifest(root / TAGMANIFEST, TAGMANIFEST, problems) if (root / TAGMANIFEST).is_file() else {}
    for name in (MANIFEST, TAGMANIFEST, "bagit.txt", "bag-info.txt", SIGNATURE_NAME):
        if not (root / name).is_file() and not any(p.path == name for p in problems):
            problems.append(Problem(N_("required file is missing"), path=name, code="missing"))
    total = len(payload) + len(tags)
    done = [0]

    def tick(rel: str) -> None:
        done[0] += 1
        progress(done[0], total, rel)

    result.files_checked = _check_entries(root, payload, problems, cancel, tick)
    result.files_checked += _check_entries(root, tags, problems, cancel, tick)
    listed = set(payload) | set(tags) | {TAGMANIFEST, SIGNATURE_NAME}
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root).as_posix()
        if f.is_file() and rel not in listed and not any(p.path == rel for p in problems):
            problems.append(Problem(N_("file not listed in any manifest (added)"), path=rel, code="unexpected"))
    _check_structure(root, problems)
    # the detached CMS signature over the tag manifest
    if (root / TAGMANIFEST).is_file() and (root / SIGNATURE_NAME).is_file():
        cms = verify_detached((root / TAGMANIFEST).read_bytes(), (root / SIGNATURE_NAME).read_bytes(), trusted_certs)
        result.signature = cms.as_dict()
        if cms.valid and not cms.intact:
            # the signature itself is sound but signs other bytes: the tag manifest was changed
            problems.append(
                Problem(
                    N_("changed after the case file was signed (signature digest mismatch)"),
                    {},
                    TAGMANIFEST,
                    "signature",
                )
            )
        else:
            for p in cms.problems:
                problems.append(Problem(p.msgid, p.params, SIGNATURE_NAME, "signature"))
    # the case-file manifest, the reports and the snapshot
    manifest: dict[str, Any] = {}
    cf = root / "data" / "casefile.json"
    try:
        manifest = json.loads(cf.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            problems.append(Problem(N_("not a GAISafe case-file manifest"), path="data/casefile.json", code="layout"))
    except (OSError, ValueError) as exc:
        problems.append(Problem(N_("cannot be read: {detail}"), {"detail": str(exc)}, "data/casefile.json", "layout"))
    result.manifest = manifest
    for rel in manifest.get("reports", []):
        pdf = root / rel
        if not pdf.is_file():
            if not any(p.path == rel for p in problems):
                problems.append(Problem(N_("listed report is missing"), path=rel, code="missing"))
            continue
        check = verify_pdf(pdf, trusted_certs)
        result.reports.append({**check.as_dict(), "path": rel})
        for p in check.problems:
            problems.append(Problem(p.msgid, p.params, rel, "pdf-signature"))
        for s in check.signatures:
            for p in s.problems:
                problems.append(
                    Problem(
                        N_("signature {field}: {message}"),
                        {"field": s.field_name, "message": p.message()},
                        rel,
                        "pdf-signature",
                    )
                )
    if manifest:
        _verify_snapshot(root, manifest, result)
    return root


def verify_casefile(
    path: Path | str,
    trusted_certs: list[Path | str] | None = None,
    *,
    limits: ZipLimits = DEFAULT_LIMITS,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> CasefileVerification:
    """Verify a ``.gaicase`` file and name every problem.

    Args:
        path: the case file.
        trusted_certs: certificates (PEM/DER files) of signers the verifier trusts.
        limits: archive limits (hostile archives are rejected before anything is written).
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("Case file {file} does not exist."), file=str(path))
    result = CasefileVerification(path=str(path), sha256=sha256_file(path))
    try:
        folder, read_problems = safe_extract(path, limits)
    except GaisafeError as exc:
        result.problems.append(Problem(exc.msgid, dict(exc.params), "", "archive"))
        return result
    try:
        _verify_folder(result, folder, read_problems, trusted_certs, progress, cancel)
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)
