"""Export a case file (``*.gaicase``): a zipped BagIt bag a regulator can verify without trusting us.

Layout (inside one top-level folder named after the case)::

    bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
    tagmanifest-sha256.txt.p7s          detached CMS signature of the tag manifest (auditor's key)
    data/casefile.json                  format version, project id, audit-log head, contents
    data/identities.json                app, library, framework, resource and model identities
    data/project/project.gaisafe        read-only snapshot (SQLite backup API, journal_mode=DELETE)
    data/reports/*.pdf                  the signed reports
    data/evidence/<sha256>/<name>       the evidence files
    data/framework/<id>/*.json          the framework pack
    data/exports/<name>.{csv,jsonl}     tables added by registered exporters

See ``docs/formats/case-file.md``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import bagit

from gaisafe_desktop import __version__
from gaisafe_desktop.core.errors import NotFoundError, UsageError
from gaisafe_desktop.core.hashing import sha256_file
from gaisafe_desktop.core.i18n import N_, _
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress

FORMAT = "gaisafe-casefile"
FORMAT_VERSION = 1
SUFFIX = ".gaicase"
SIGNATURE_NAME = "tagmanifest-sha256.txt.p7s"
# Media that deflate cannot shrink: stored as is, which saves CPU on large evidence files.
ALREADY_COMPRESSED = frozenset(
    ".jpg .jpeg .png .gif .webp .mp4 .mov .mkv .webm .mp3 .m4a .aac .ogg .opus .flac .zip .gz .bz2 .xz .7z "
    ".docx .xlsx .pptx .parquet".split()
)

Exporter = Callable[[Any, Path], list[Path]]
"""``fn(project, folder) -> files written``: write CSV/JSONL exports of your area into ``folder``."""

_EXPORTERS: dict[str, Exporter] = {}


def register_casefile_exporter(name: str, fn: Exporter) -> None:
    """Register an exporter; it writes into ``data/exports/<name>/`` (e.g. samples, judgements)."""
    _EXPORTERS[name] = fn


def registered_exporters() -> dict[str, Exporter]:
    return dict(_EXPORTERS)


def _export_audit_log(project: Any, folder: Path) -> list[Path]:
    """The audit log as JSON Lines, so a regulator can read it without SQLite."""
    out = folder / "audit_log.jsonl"
    cols = ("seq", "ts", "actor", "action", "entity", "entity_id", "payload", "row_digest", "prev_hash", "hash")
    with out.open("w", encoding="utf-8") as fh:
        for row in project.conn.execute(f"SELECT {', '.join(cols)} FROM audit_log ORDER BY seq"):
            fh.write(json.dumps(dict(zip(cols, tuple(row), strict=True)), ensure_ascii=False) + "\n")
    return [out]


def _export_foundation(project: Any, folder: Path) -> list[Path]:
    """People, evidence index and service profile as CSV/JSON, readable without the app."""
    from gaisafe_desktop.core.store.evidence import list_evidence
    from gaisafe_desktop.core.store.people import list_people
    from gaisafe_desktop.core.store.profile import get_profile

    people = folder / "people.csv"
    with people.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "organisation", "email", "roles", "active", "created_at"])
        for p in list_people(project):
            w.writerow([p.name, p.organisation, p.email, ";".join(p.roles), int(p.active), p.created_at])
    evidence = folder / "evidence.csv"
    with evidence.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["sha256", "name", "media_type", "size", "note", "added_by", "added_at", "links"])
        for e in list_evidence(project):
            links = ";".join(f"{t}:{i}" for t, i in e.links)
            w.writerow([e.sha256, e.name, e.media_type, e.size, e.note, e.added_by, e.added_at, links])
    profile = folder / "service_profile.json"
    profile.write_text(json.dumps(get_profile(project), ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    return [people, evidence, profile]


# Bulk tables a verdict rests on that are not audited row by row (their batches are logged with a digest).
BULK_TABLES = (
    "samples",
    "assessment_items",
    "judgement_history",
    "review_items",
    "review_assignments",
    "review_state",
    "review_events",
)
SKIPPED_TABLES = {"evidence_chunks", "audit_log"}  # exported as files and as audit/audit_log.jsonl


def _export_tables(project: Any, folder: Path) -> list[Path]:
    """Every audited table and the bulk judgement/sample tables, one JSON Lines file each (streamed)."""
    conn = project.conn
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    audited = [r[0] for r in conn.execute("SELECT name FROM audited_tables ORDER BY name")]
    names = [t for t in [*audited, *BULK_TABLES] if t in existing and t not in SKIPPED_TABLES]
    written = []
    for table in dict.fromkeys(names):
        out = folder / f"{table}.jsonl"
        cur = conn.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names come from the schema
        cols = [d[0] for d in cur.description]
        with out.open("w", encoding="utf-8") as fh:
            for row in cur:
                values = [v.hex() if isinstance(v, bytes) else v for v in row]
                fh.write(json.dumps(dict(zip(cols, values, strict=True)), ensure_ascii=False) + "\n")
        written.append(out)
    return written


register_casefile_exporter("audit", _export_audit_log)
register_casefile_exporter("tables", _export_tables)
register_casefile_exporter("project", _export_foundation)


@dataclass
class ExportResult:
    path: Path
    sha256: str
    files: int
    bytes: int
    audit_head: str
    signer_fingerprint: str

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "path": str(self.path)}


def snapshot_project(src_conn: sqlite3.Connection, dest: Path) -> None:
    """A consistent copy through SQLite's backup API, as one self-contained file (no WAL)."""
    dst = sqlite3.connect(dest)
    try:
        src_conn.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.commit()
    finally:
        dst.close()


def _safe_name(name: str) -> str:
    keep = "".join(c if (c.isalnum() or c in "._- ") else "_" for c in name).strip(" .")
    return keep[:120] or "file"


IDENTITY_TABLES = (
    (
        "keyword_libraries",
        "keyword_versions",
        ("library", "version", "sha256", "source_name", "source_sha256", "released_on", "distinct_terms"),
    ),
    ("models", "models", ("name", "version", "task", "origin", "manifest_sha256", "model_sha256", "covered_codes")),
    (
        "datasets",
        "datasets",
        ("id", "name", "kind", "bank_kind", "source", "version_date", "records", "manifest_hash", "status"),
    ),
)


def _select_existing(conn: sqlite3.Connection, table: str, cols: tuple[str, ...]) -> list[dict[str, Any]]:
    try:
        have = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        use = [c for c in cols if c in have]
        if not use:
            return []
        quoted = ", ".join(f'"{c}"' for c in use)
        return [dict(zip(use, tuple(r), strict=True)) for r in conn.execute(f'SELECT {quoted} FROM "{table}"')]  # noqa: S608
    except sqlite3.Error:
        return []


def _identities(project: Any) -> dict[str, Any]:
    libs = {}
    for dist in ("reportlab", "pyhanko", "cryptography", "bagit", "onnxruntime", "PySide6-Essentials"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            libs[dist] = metadata.version(dist)
    fw = project.framework
    ids: dict[str, Any] = {
        "app": {"name": "GAISafe Desktop", "version": __version__},
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "libraries": libs,
        "framework": {"id": fw.id, "version": fw.version, "pack_hash": fw.pack_hash},
    }
    # Identities recorded by the other areas (issues 3–5): hashes and versions of every library, bank,
    # dataset and model the verdicts rest on. A table that does not exist (yet) is skipped.
    for key, table, cols in IDENTITY_TABLES:
        ids[key] = _select_existing(project.conn, table, cols)
    return ids


def export_casefile(
    project_path: Path | str,
    out: Path | str,
    *,
    key: str | Path,
    password: str,
    reports: list[Path | str] = (),
    store: Path | str | None = None,
    actor: str | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> ExportResult:
    """Write a signed case file of a project.

    Args:
        project_path: the project file.
        out: the case file to write (``.gaicase`` is appended if missing).
        key: the auditor's key (key id in the store or a ``.p12`` path) that signs the tag manifest.
        password: the key's password.
        reports: signed report PDFs to include (see ``gaisafe report sign``).
        store: key store folder (default: the user's).
        actor: who exports (recorded in the audit log).
    """
    from gaisafe_desktop.core.report.keys import load_pkcs12_file, p12_path_of
    from gaisafe_desktop.core.report.sign import sign_detached, verify_pdf
    from gaisafe_desktop.core.store import open_project
    from gaisafe_desktop.core.store.audit import head_hash
    from gaisafe_desktop.core.store.evidence import iter_evidence_bytes, list_evidence

    out = Path(out)
    if out.suffix != SUFFIX:
        out = out.with_name(out.name + SUFFIX)
    reports = [Path(r) for r in reports]
    for r in reports:
        if not r.is_file():
            raise NotFoundError(N_("Report {file} does not exist."), file=str(r))
        if not verify_pdf(r).ok:
            raise UsageError(
                N_("Report {file} is not signed or its signature does not verify; sign it with `gaisafe report sign`."),
                file=str(r),
            )
    # Check the key and its password first, so a typo does not leave an export entry in the audit log.
    load_pkcs12_file(p12_path_of(key, store), password)
    with open_project(project_path, actor=actor) as project:
        if not project.read_only:
            with project.transaction("casefile.export", {"file": out.name, "reports": [r.name for r in reports]}):
                pass
        work = Path(tempfile.mkdtemp(prefix="gaisafe-export-"))
        try:
            bag_name = _safe_name(out.stem)
            root = work / bag_name
            data = root
            data.mkdir()
            steps = 5 + len(_EXPORTERS)
            step = 0

            def tick(message: str) -> None:
                nonlocal step
                step += 1
                cancel.raise_if_cancelled()
                progress(step, steps, message)

            (data / "project").mkdir()
            snapshot_project(project.conn, data / "project" / "project.gaisafe")
            # the head of the snapshot itself (another window may write to the live project meanwhile)
            snap = sqlite3.connect(data / "project" / "project.gaisafe")
            try:
                head = head_hash(snap)
            finally:
                snap.close()
            info = project.info
            tick(_("Project snapshot"))
            (data / "reports").mkdir()
            report_names: list[str] = []
            for r in reports:
                name = _safe_name(r.name)
                stem, suffix = Path(name).stem, Path(name).suffix
                k = 2
                while name.casefold() in {n.casefold() for n in report_names}:
                    name = f"{stem}-{k}{suffix}"
                    k += 1
                report_names.append(name)
                shutil.copyfile(r, data / "reports" / name)
            tick(_("Reports"))
            evidence_index = []
            ev_dir = data / "evidence"
            ev_dir.mkdir()
            for ev in list_evidence(project):
                cancel.raise_if_cancelled()
                folder = ev_dir / ev.sha256
                folder.mkdir(exist_ok=True)
                target = folder / _safe_name(ev.name)
                with target.open("wb") as fh:
                    for chunk in iter_evidence_bytes(project, ev.sha256):
                        fh.write(chunk)
                evidence_index.append({**ev.to_dict(), "path": "data/" + target.relative_to(root).as_posix()})
            tick(_("Evidence"))
            fw = project.framework
            fw_dir = data / "framework" / _safe_name(fw.id)
            shutil.copytree(fw.path, fw_dir)
            tick(_("Framework pack"))
            exp_dir = data / "exports"
            exp_dir.mkdir()
            exports = {}
            for name, fn in sorted(_EXPORTERS.items()):
                folder = exp_dir / _safe_name(name)
                folder.mkdir()
                written = fn(project, folder)
                exports[name] = ["data/" + Path(p).relative_to(root).as_posix() for p in written]
                tick(_("Export {name}").format(name=name))
            (data / "identities.json").write_text(
                json.dumps(_identities(project), ensure_ascii=False, indent=2, default=str), encoding="utf-8"
            )
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                "created_by": project.actor,
                "app_version": __version__,
                "project": {
                    "uuid": info["uuid"],
                    "title": info["title"],
                    "provider": info["provider"],
                    "service": info["service"],
                    "framework_id": info["framework_id"],
                    "framework_hash": info["framework_hash"],
                },
                "audit_head": head,
                "snapshot": "data/project/project.gaisafe",
                "reports": [f"data/reports/{n}" for n in report_names],
                "evidence": evidence_index,
                "exports": exports,
            }
            (data / "casefile.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            # bagit moves everything present into data/ and writes the manifests.
            bagit.make_bag(
                str(root),
                bag_info={
                    "Source-Organization": info["provider"],
                    "External-Identifier": info["uuid"],
                    "External-Description": f"GAISafe case file: {info['title']}",
                    "Bagging-Date": dt.date.today().isoformat(),
                    "GAISafe-Format-Version": str(FORMAT_VERSION),
                    "GAISafe-Audit-Head": head,
                },
                checksums=["sha256"],
                processes=1,
            )
            tagmanifest = (root / "tagmanifest-sha256.txt").read_bytes()
            (root / SIGNATURE_NAME).write_bytes(sign_detached(tagmanifest, key=key, password=password, store=store))
            tick(_("Signature"))
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(out.name + ".part")
            count = 0
            total = 0
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                for path in sorted(root.rglob("*")):
                    if path.is_file():
                        cancel.raise_if_cancelled()
                        stored = path.suffix.lower() in ALREADY_COMPRESSED
                        zf.write(
                            path,
                            f"{bag_name}/{path.relative_to(root).as_posix()}",
                            compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
                        )
                        count += 1
                        total += path.stat().st_size
            os.replace(tmp, out)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return ExportResult(
        path=out,
        sha256=sha256_file(out),
        files=count,
        bytes=total,
        audit_head=head,
        signer_fingerprint=_signer_fingerprint(key, store),
    )


def _signer_fingerprint(key: str | Path, store: Path | str | None) -> str:
    from cryptography import x509

    from gaisafe_desktop.core.report.keys import cert_fingerprint, find_key

    found = find_key(key, store)
    if isinstance(found, Path):
        return ""
    return cert_fingerprint(x509.load_pem_x509_certificate(found.cert_path.read_bytes()))
