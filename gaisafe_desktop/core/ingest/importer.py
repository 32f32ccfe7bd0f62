"""One import = one resumable, atomic operation.

1. ``dataset.import.start`` writes the dataset row with ``status='importing'`` (readers ignore it).
2. Records and quarantined rows are committed in batches; each batch commits with its checkpoint
   (``import_state``) and one audit entry (counts + digest of the batch's content hashes).
3. ``dataset.import.complete`` writes the manifest (``dataset_files``), marks duplicates and flips
   the status to ``complete`` in one transaction.

A ``kill -9`` at any moment leaves either a complete dataset or an ``importing`` one that is
invisible to readers; running the same import again resumes at the last checkpoint (full mode)
or restarts the pass (register-only mode, which stores no records), or restarts cleanly when the
files changed or ``restart=True``.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from gaisafe_desktop.core.errors import UsageError, ValidationError
from gaisafe_desktop.core.hashing import sha256_file
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.ingest import keys
from gaisafe_desktop.core.ingest.dedup import DuplicateFinder
from gaisafe_desktop.core.ingest.detect import detect_format, open_context
from gaisafe_desktop.core.ingest.formats import Format
from gaisafe_desktop.core.ingest.manifest import manifest_hash
from gaisafe_desktop.core.ingest.mapping import (
    DEFAULT_MAX_CHARS,
    FIELDS,
    FLAG_DUPLICATE,
    check_mapping,
    compile_mapper,
    propose,
)
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.store.audit import utc_now

KINDS = ("training", "transcripts", "bank", "media")
BANK_KINDS = ("generated", "should_refuse", "should_not_refuse")
SEQ_BITS = 40
BATCH = int(os.environ.get("GAISAFE_IMPORT_BATCH", "50000"))  # records per committed batch (checkpoint)
BATCH_CHARS = 32_000_000  # …or this many characters of text, whichever comes first (bounded memory)
QBATCH = 5_000
TICK = 0x1FFF

_REC_SQL = (
    "INSERT INTO records(id, file_idx, idx, line, chash, flags, text, question, answer, risk_code, aspect, "
    "question_id, bank_id, modality, model, model_version, ts, media, meta) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
_Q_SQL = (
    "INSERT INTO quarantine(dataset_id, file_idx, path, line, idx, reason, detail, excerpt) VALUES (?,?,?,?,?,?,?,?)"
)


def record_id(dataset_id: int, seq: int) -> int:
    return (dataset_id << SEQ_BITS) | seq


def id_range(dataset_id: int) -> tuple[int, int]:
    return dataset_id << SEQ_BITS, ((dataset_id + 1) << SEQ_BITS) - 1


@dataclass
class ImportRequest:
    """What to import and how. ``kind``: training | transcripts | bank | media."""

    kind: str
    paths: Sequence[str | Path]
    name: str | None = None
    mode: str = "full"  # full | register
    fmt: str | None = None
    encoding: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    max_chars: int = DEFAULT_MAX_CHARS
    source: str | None = None
    bank_kind: str | None = None
    version_date: str | None = None
    bank_id: str | None = None
    model: str | None = None
    model_version: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    restart: bool = False


@dataclass
class ImportSummary:
    dataset_id: int
    name: str
    kind: str
    mode: str
    records: int
    quarantined: int
    duplicates: int
    empty: int
    manifest_hash: str
    files: list[dict[str, Any]]
    resumed: bool = False
    restarted: bool = False
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _fingerprint(paths: list[Path]) -> list[list]:
    out = []
    for p in paths:
        st = p.stat()
        out.append([str(p.resolve()), st.st_size, st.st_mtime_ns])
    return out


def _validate(req: ImportRequest) -> tuple[list[Path], list[Format]]:
    if req.kind not in KINDS:
        raise UsageError(N_("Unknown dataset kind {kind}."), kind=req.kind)
    if req.mode not in ("full", "register"):
        raise UsageError(N_("Unknown import mode {mode}; use full or register."), mode=req.mode)
    if req.kind == "bank":
        if req.bank_kind not in BANK_KINDS:
            raise UsageError(N_("A question bank needs --kind, one of {kinds}."), kinds=", ".join(BANK_KINDS))
        if not req.version_date:
            raise UsageError(N_("A question bank needs --version-date (the bank's version date, YYYY-MM-DD)."))
    if not req.paths:
        raise UsageError(N_("No files given."))
    if req.max_chars < 1:
        raise UsageError(N_("--max-chars must be at least 1."))
    paths = [Path(p) for p in req.paths]
    seen: set[Path] = set()
    for p in paths:
        rp = p.resolve()
        if rp in seen:
            raise UsageError(N_("{path} is given twice; give each file once."), path=str(p))
        seen.add(rp)
    fmts = [detect_format(p, req.fmt if req.kind != "media" else "media") for p in paths]
    for p, f in zip(paths, fmts, strict=True):
        if (f.name == "media") != (req.kind == "media"):
            raise UsageError(
                N_("{path}: folders are imported with `gaisafe import media`; files with data/transcripts/bank."),
                path=str(p),
            )
    return paths, fmts


def _columns(ctx, fmt: Format) -> list[str]:
    """Header columns (CSV, Parquet); else the keys of the first 100 records (JSON, XLSX data rows)."""
    if fmt.name == "csv":
        from gaisafe_desktop.core.ingest.formats.csv_tsv import header

        return [h.strip() for h in header(ctx)[0]]
    if fmt.name == "parquet":
        import pyarrow.parquet as pq

        return list(pq.ParquetFile(ctx.path).schema_arrow.names)
    cols: list[str] = []
    n = 0
    for _line, row in fmt.reader()(ctx):
        if isinstance(row, dict):
            for k in row:
                if k not in cols:
                    cols.append(k)
            n += 1
            if n >= 100:
                break
    return cols


def _mapping_for(req: ImportRequest, path: Path, fmt: Format, options: dict) -> tuple[dict[str, str], list[str] | None]:
    """The column mapping of one file (identity for chat/eval formats), checked against its columns."""
    if fmt.canonical:
        return {f: f for f in FIELDS}, None
    ctx = open_context(path, fmt, req.encoding, options)
    try:
        cols = _columns(ctx, fmt)
    finally:
        ctx.close()
    if not cols and fmt.name in ("jsonl", "json"):
        raise ValidationError(
            N_("{file}: none of the first rows is a record (a JSON object); look at it with `gaisafe import preview`."),
            file=str(path),
        )
    mapping = propose(cols, req.kind, req.overrides)
    check_mapping(mapping, req.kind, cols, str(path))
    return mapping, cols


class _Run:
    """State of one running import."""

    def __init__(self, project, req: ImportRequest, paths: list[Path], fmts: list[Format], progress, cancel) -> None:
        self.p = project
        self.conn = project.conn
        self.req = req
        self.paths = paths
        self.fmts = fmts
        self.progress = progress
        self.cancel = cancel
        self.full = req.mode == "full" and req.kind != "media"
        self.total_bytes = sum(p.stat().st_size if p.is_file() else 0 for p in paths) or 1
        self.done_bytes = 0

    # -- dataset lifecycle ---------------------------------------------------------------

    def begin(self) -> tuple[int, dict, bool, bool]:
        req = self.req
        name = req.name or (req.source if req.kind == "training" and req.source else self.paths[0].stem)
        self.name = name
        fp = _fingerprint(self.paths)
        mode = "register" if req.kind == "media" else req.mode
        options = {
            "formats": [f.name for f in self.fmts],
            "encoding": req.encoding,
            "map": req.overrides,
            "max_chars": req.max_chars,
            "delimiter": req.delimiter,
            "sheet": req.sheet,
            "bank_id": req.bank_id,
            "model": req.model,
            "model_version": req.model_version,
            "fingerprint": fp,
        }
        row = self.conn.execute("SELECT * FROM datasets WHERE kind = ? AND name = ?", (req.kind, name)).fetchone()
        restarted = False
        if row is not None:
            if row["status"] == "complete":
                raise UsageError(
                    N_("A {kind} dataset named {name} already exists; choose another --name."), kind=req.kind, name=name
                )
            old = orjson.loads(row["options"])
            state = self.conn.execute("SELECT state FROM import_state WHERE dataset_id = ?", (row["id"],)).fetchone()
            same = (
                old.get("fingerprint") == fp
                and row["mode"] == mode
                and {k: v for k, v in old.items() if k != "fingerprint"}
                == {k: v for k, v in options.items() if k != "fingerprint"}
            )
            if same and not req.restart and state is not None and self.full:
                return row["id"], orjson.loads(state["state"]), True, False
            self.discard(row["id"], name, "restart" if req.restart else "changed" if not same else "register-restart")
            restarted = True
        if req.kind == "training" and req.source:
            if self.conn.execute("SELECT 1 FROM sources WHERE name = ?", (req.source,)).fetchone() is None:
                raise UsageError(
                    N_("Unknown source {name}; give its metadata with --origin/--source-type first."), name=req.source
                )
        with self.p.transaction("dataset.import.start", {"name": name, "kind": req.kind, "mode": mode}) as tx:
            stored = tx.write(
                "datasets",
                {
                    "name": name,
                    "kind": req.kind,
                    "mode": mode,
                    "status": "importing",
                    "source": req.source,
                    "format": ",".join(sorted({f.name for f in self.fmts})),
                    "options": orjson.dumps(options).decode(),
                    "bank_kind": req.bank_kind,
                    "version_date": req.version_date,
                    "created_by": self.p.actor,
                    "created_at": utc_now(),
                },
            )
            state = {"file_idx": 0, "item_pos": 0, "seq": 0, "quarantined": 0, "empty": 0, "files": []}
            tx.execute(
                "INSERT INTO import_state(dataset_id, state, updated_at) VALUES (?, ?, ?)",
                (stored["id"], orjson.dumps(state).decode(), utc_now()),
            )
        return stored["id"], state, False, restarted

    def discard(self, dataset_id: int, name: str, why: str) -> None:
        lo, hi = id_range(dataset_id)
        with self.p.transaction("dataset.import.discard", {"dataset": dataset_id, "name": name, "why": why}) as tx:
            tx.execute("DELETE FROM records WHERE id BETWEEN ? AND ?", (lo, hi))
            tx.execute("DELETE FROM quarantine WHERE dataset_id = ?", (dataset_id,))
            tx.execute("DELETE FROM record_marks WHERE dataset_id = ?", (dataset_id,))
            tx.execute("DELETE FROM import_state WHERE dataset_id = ?", (dataset_id,))
            for f in self.conn.execute(
                "SELECT file_idx FROM dataset_files WHERE dataset_id = ?", (dataset_id,)
            ).fetchall():
                tx.delete("dataset_files", {"dataset_id": dataset_id, "file_idx": f["file_idx"]})
            tx.delete("datasets", {"id": dataset_id})

    # -- batches -----------------------------------------------------------------------

    def commit(self, dsid: int, state: dict, recs: list, qrows: list, file_idx: int, first_idx: int) -> None:
        h = hashlib.sha256()
        for r in recs:
            h.update(r[4].to_bytes(8, "big", signed=True))
        payload = {
            "dataset": dsid,
            "file": file_idx,
            "from_index": first_idx,
            "records": len(recs),
            "quarantined": len(qrows),
            "chash_digest": h.hexdigest(),
        }
        with self.p.transaction("dataset.import.batch", payload) as tx:
            if recs:
                try:
                    tx.executemany(_REC_SQL, recs)
                except UnicodeEncodeError:
                    raise ValidationError(
                        N_("{file}: a record holds text that cannot be stored (a lone UTF-16 surrogate)."),
                        file=str(self.paths[file_idx]),
                    ) from None
            if qrows:
                tx.executemany(_Q_SQL, qrows)
            tx.execute(
                "UPDATE import_state SET state = ?, updated_at = ? WHERE dataset_id = ?",
                (orjson.dumps(state).decode(), utc_now(), dsid),
            )

    # -- files -------------------------------------------------------------------------

    def run_file(self, dsid: int, state: dict, file_idx: int, chashes: DuplicateFinder) -> dict:
        req = self.req
        path, fmt = self.paths[file_idx], self.fmts[file_idx]
        options = {"map": req.overrides, "delimiter": req.delimiter, "sheet": req.sheet}
        mapping = self.mappings[file_idx]
        mapper = compile_mapper(mapping, req.kind, req.max_chars)
        skip = state["item_pos"] if self.full else 0
        ctx = open_context(path, fmt, req.encoding, options)
        defaults = {}
        if req.kind == "transcripts":
            defaults = {FIELDS.index("model"): req.model, FIELDS.index("model_version"): req.model_version}
        elif req.kind == "bank":
            defaults = {FIELDS.index("bank_id"): req.bank_id or self.name}
        defaults = {k: v for k, v in defaults.items() if v}
        path_s = str(path)
        full = self.full
        sha256 = hashlib.sha256
        from_bytes = int.from_bytes
        append_ch = chashes.append
        base = record_id(dsid, 0)
        seq = state["seq"]
        recs: list = []
        qrows: list = []
        n_rec = n_q = n_empty = 0
        chars = 0
        pos = 0
        first_idx = skip
        reader = fmt.reader()(ctx)
        done_before = self.done_bytes
        try:
            for line, row in reader:
                idx = pos
                pos += 1
                if idx < skip:
                    continue
                if type(row) is dict:
                    r = mapper(row)
                    if type(r) is tuple:
                        vals, flags, content = r
                        ch = from_bytes(
                            sha256(content.encode("utf-8", "surrogatepass")).digest()[:8], "big", signed=True
                        )
                        append_ch(ch)
                        if defaults:
                            vals = list(vals)
                            for k, v in defaults.items():
                                if vals[k] is None:
                                    vals[k] = v
                        if full:
                            recs.append((base + seq, file_idx, idx, line, ch, flags, *vals))
                            chars += len(content) + (len(vals[-1]) if vals[-1] else 0)
                        seq += 1
                        n_rec += 1
                        n_empty += flags & 1
                    else:
                        row = r
                if type(row) is not dict:
                    qrows.append((dsid, file_idx, path_s, line, idx, row.reason, row.detail, row.excerpt))
                    n_q += 1
                flush = len(recs) >= BATCH or chars >= BATCH_CHARS or len(qrows) >= QBATCH
                if flush or not (pos & TICK):
                    self.progress(done_before + ctx.bytes_read, self.total_bytes, path.name)
                    self.cancel.raise_if_cancelled()
                    if flush:
                        state.update(
                            file_idx=file_idx,
                            item_pos=pos,
                            seq=seq,
                            quarantined=state["quarantined"] + n_q,
                            empty=state["empty"] + n_empty,
                        )
                        state.setdefault("cur", {"records": 0, "quarantined": 0})
                        state["cur"] = {
                            "records": state["cur"]["records"] + n_rec,
                            "quarantined": state["cur"]["quarantined"] + n_q,
                        }
                        self.commit(dsid, state, recs, qrows, file_idx, first_idx)
                        recs, qrows = [], []
                        n_rec = n_q = n_empty = chars = 0
                        first_idx = pos
            sha = ctx.finish() or sha256_file(path)
        finally:
            ctx.close()
        cur = state.pop("cur", {"records": 0, "quarantined": 0})
        info = {
            "path": str(path.resolve()),
            "sha256": sha,
            "size": path.stat().st_size,
            "format": fmt.name,
            "encoding": ctx.encoding.label if ctx.encoding else "",
            "media_type": "",
            "records": cur["records"] + n_rec,
            "quarantined": cur["quarantined"] + n_q,
        }
        state["files"].append(info)
        state.update(
            file_idx=file_idx + 1,
            item_pos=0,
            seq=seq,
            quarantined=state["quarantined"] + n_q,
            empty=state["empty"] + n_empty,
        )
        self.commit(dsid, state, recs, qrows, file_idx, first_idx)
        self.done_bytes += info["size"]
        return info

    def run_media(self, dsid: int, state: dict, chashes: DuplicateFinder) -> None:
        from gaisafe_desktop.core.ingest.formats.media import check_not_empty, media_type, walk

        folder = self.paths[0]
        check_not_empty(folder)
        files = list(walk(folder))
        total = sum(f.stat().st_size for f in files) or 1
        done = 0
        for i, f in enumerate(files):
            self.cancel.raise_if_cancelled()
            sha = sha256_file(f)
            size = f.stat().st_size
            done += size
            mtype = media_type(f)
            ch = keys.chash64(keys.content_sha256(None, None, None, sha))
            chashes.append(ch)
            state["files"].append(
                {
                    "path": f.relative_to(folder).as_posix(),
                    "sha256": sha,
                    "size": size,
                    "format": "media-file",
                    "encoding": "",
                    "media_type": mtype,
                    "records": 1,
                    "quarantined": 0,
                }
            )
            if not i % 64:
                self.progress(done, total, f.name)
        state["seq"] = len(files)
        state["root"] = str(folder.resolve())


def import_dataset(
    project, req: ImportRequest, *, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER
) -> ImportSummary:
    """Import (or register) files as one dataset; resumes an unfinished import of the same name.

    Raises:
        UsageError, NotFoundError, ValidationError: bad request or a file rejected as a whole
            (empty, binary, unknown encoding, missing required column); nothing is written then.
        CancelledError: cancelled; what was committed stays and the next run resumes.
    """
    t0 = time.perf_counter()
    paths, fmts = _validate(req)
    run = _Run(project, req, paths, fmts, progress, cancel)
    if req.kind != "media":  # every file's mapping is checked before anything is written
        opts = {"map": req.overrides, "delimiter": req.delimiter, "sheet": req.sheet}
        run.mappings = [_mapping_for(req, p, f, opts)[0] for p, f in zip(paths, fmts, strict=True)]
    dsid, state, resumed, restarted = run.begin()
    conn = project.conn
    old_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA cache_size = -131072")  # 128 MiB page cache while bulk loading, restored after
    chashes = DuplicateFinder()
    try:
        if resumed and state["seq"]:
            lo, _hi = id_range(dsid)
            cur = conn.execute(
                "SELECT chash FROM records WHERE id BETWEEN ? AND ? ORDER BY id", (lo, lo + state["seq"] - 1)
            )
            while True:
                rows = cur.fetchmany(100_000)
                if not rows:
                    break
                chashes.extend(r[0] for r in rows)
            run.done_bytes = sum(f["size"] for f in state["files"])
        if req.kind == "media":
            run.run_media(dsid, state, chashes)
        else:
            for file_idx in range(state["file_idx"], len(paths)):
                run.run_file(dsid, state, file_idx, chashes)
        dups = chashes.duplicates()
    finally:
        chashes.close()
        conn.execute(f"PRAGMA cache_size = {int(old_cache)}")
    files = state["files"]
    mode = "register" if req.kind == "media" else req.mode
    ds = {
        "name": run.name,
        "kind": req.kind,
        "mode": mode,
        "bank_kind": req.bank_kind,
        "version_date": req.version_date,
        "records": state["seq"],
        "quarantined": state["quarantined"],
        "duplicates": len(dups),
        "empty": state["empty"],
    }
    mhash = manifest_hash(ds, files)
    payload = {k: ds[k] for k in ("name", "records", "quarantined", "duplicates", "empty")} | {"manifest_hash": mhash}
    with project.transaction("dataset.import.complete", payload) as tx:
        lo, _hi = id_range(dsid)
        if run.full:
            tx.executemany("UPDATE records SET flags = flags | 2 WHERE id = ?", ((lo + s,) for s in dups))
        else:
            tx.executemany(
                "INSERT OR REPLACE INTO record_marks(dataset_id, seq, flags) VALUES (?, ?, ?)",
                ((dsid, s, FLAG_DUPLICATE) for s in dups),
            )
        for i, f in enumerate(files):
            tx.write("dataset_files", {"dataset_id": dsid, "file_idx": i, **f})
        row = dict(conn.execute("SELECT * FROM datasets WHERE id = ?", (dsid,)).fetchone())
        if req.kind == "media":
            opts = orjson.loads(row["options"])
            opts["root"] = state.get("root")
            row["options"] = orjson.dumps(opts).decode()
        row.update(
            status="complete",
            records=ds["records"],
            quarantined=ds["quarantined"],
            duplicates=ds["duplicates"],
            empty=ds["empty"],
            manifest_hash=mhash,
            completed_at=utc_now(),
        )
        tx.write("datasets", row)
        tx.execute("DELETE FROM import_state WHERE dataset_id = ?", (dsid,))
    return ImportSummary(
        dataset_id=dsid,
        name=run.name,
        kind=req.kind,
        mode=mode,
        records=ds["records"],
        quarantined=ds["quarantined"],
        duplicates=ds["duplicates"],
        empty=ds["empty"],
        manifest_hash=mhash,
        files=files,
        resumed=resumed,
        restarted=restarted,
        seconds=round(time.perf_counter() - t0, 3),
    )


def save_source(project, name: str, **meta: Any) -> dict:
    """Create or update a training-data source's metadata (only the given fields change)."""
    allowed = (
        "origin",
        "source_type",
        "licence_evidence",
        "collection_records",
        "robots_note",
        "personal_info",
        "sensitive_personal_info",
        "consent_basis",
        "note",
    )
    choices = {
        "origin": ("domestic", "foreign", ""),
        "source_type": ("open_source", "self_collected", "commercial", "user_input", ""),
        "personal_info": ("yes", "no", "unknown"),
        "sensitive_personal_info": ("yes", "no", "unknown"),
    }
    if not name.strip():
        raise UsageError(N_("A source needs a name."))
    for k, v in meta.items():
        if k not in allowed:
            raise UsageError(N_("Unknown source field {field}."), field=k)
        if k in choices and v is not None and v not in choices[k]:
            raise UsageError(
                N_("{field} must be one of {choices}."), field=k, choices=", ".join(c for c in choices[k] if c)
            )
    row = project.conn.execute("SELECT * FROM sources WHERE name = ?", (name,)).fetchone()
    values = dict(row) if row else {"name": name}
    values.update({k: v for k, v in meta.items() if v is not None})
    values["updated_at"] = utc_now()
    with project.transaction("source.save", {"name": name}) as tx:
        return dict(tx.write("sources", values))


def list_sources(project) -> list[dict]:
    return [dict(r) for r in project.conn.execute("SELECT * FROM sources ORDER BY name")]
