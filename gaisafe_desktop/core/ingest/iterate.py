"""Streaming the records of a dataset: the API assessments and sampling use.

Full-import datasets stream from the project; register-only datasets stream from their files,
whose SHA-256 is verified first (and again as they are read). Either way the records, their order
and their keys are the same.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from gaisafe_desktop.core.errors import IntegrityError, NotFoundError, UsageError
from gaisafe_desktop.core.hashing import CHUNK
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.ingest import keys
from gaisafe_desktop.core.ingest.detect import open_context
from gaisafe_desktop.core.ingest.formats import get_format
from gaisafe_desktop.core.ingest.importer import ImportRequest, _mapping_for, id_range
from gaisafe_desktop.core.ingest.manifest import dataset_files, get_dataset
from gaisafe_desktop.core.ingest.mapping import DEFAULT_MAX_CHARS, FIELDS, FLAG_DUPLICATE, FLAG_EMPTY, compile_mapper
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress

_COLS = (
    "id, file_idx, idx, line, chash, flags, " + ", ".join("ts" if f == "timestamp" else f for f in FIELDS) + ", meta"
)


@dataclass(slots=True)
class Record:
    """One record of a dataset. ``meta`` is JSON text (unmapped columns or the raw transcript)."""

    key: str
    dataset_id: int
    kind: str
    seq: int
    file_idx: int
    idx: int
    line: int
    text: str | None = None
    question: str | None = None
    answer: str | None = None
    risk_code: str | None = None
    aspect: str | None = None
    question_id: str | None = None
    bank_id: str | None = None
    modality: str | None = None
    model: str | None = None
    model_version: str | None = None
    timestamp: str | None = None
    media: str | None = None
    meta: str | None = None
    empty: bool = False
    duplicate: bool = False

    @property
    def metadata(self) -> dict[str, Any]:
        return orjson.loads(self.meta) if self.meta else {}

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _verify(path: Path, sha: str, progress: Progress, cancel: CancelToken, done: int, total: int) -> int:
    if not path.is_file():
        raise IntegrityError(
            N_("{path} is missing; the register-only dataset cannot be read. Put the file back or re-import."),
            path=str(path),
        )
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            done += len(chunk)
            if not (done >> 20) % 64:
                progress(done, total, path.name)
                cancel.raise_if_cancelled()
    if h.hexdigest() != sha:
        raise IntegrityError(
            N_("{path} has changed since it was registered (SHA-256 {actual}, manifest {expected})."),
            path=str(path),
            actual=h.hexdigest(),
            expected=sha,
        )
    return done


def iter_records(
    project,
    dataset_id: int | str,
    *,
    verify_hash: bool = True,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> Iterator[Record]:
    """Every taken record of a complete dataset, in file order, with its key.

    Raises:
        NotFoundError: no such dataset.
        UsageError: the dataset is still importing.
        IntegrityError: a register-only file is missing or changed.
    """
    ds = get_dataset(project, dataset_id)
    if ds["status"] != "complete":
        raise UsageError(
            N_("Dataset {name} is still importing; finish it by running the same import again."), name=ds["name"]
        )
    files = dataset_files(project, ds["id"])
    if ds["kind"] == "media":
        yield from _iter_media(ds, files, verify_hash, progress, cancel)
    elif ds["mode"] == "full":
        yield from _iter_full(project, ds, files, progress, cancel)
    else:
        yield from _iter_register(project, ds, files, verify_hash, progress, cancel)


def _iter_full(project, ds, files, progress, cancel) -> Iterator[Record]:
    shas = {f["file_idx"]: f["sha256"] for f in files}
    lo, hi = id_range(ds["id"])
    kind, dsid, total = ds["kind"], ds["id"], ds["records"]
    make_key = keys.make_key
    cur = project.conn.execute(f"SELECT {_COLS} FROM records WHERE id BETWEEN ? AND ? ORDER BY id", (lo, hi))
    n = 0
    while True:
        rows = cur.fetchmany(5000)
        if not rows:
            break
        progress(n, total, ds["name"])
        cancel.raise_if_cancelled()
        for r in rows:
            flags = r[5]
            yield Record(
                make_key(shas[r[1]], r[2], r[4]),
                dsid,
                kind,
                r[0] - lo,
                r[1],
                r[2],
                r[3],
                *r[6:],
                empty=bool(flags & FLAG_EMPTY),
                duplicate=bool(flags & FLAG_DUPLICATE),
            )
        n += len(rows)
    progress(n, total, ds["name"])


@contextlib.contextmanager
def read_mapped_rows(path: Path, fmt_name: str, kind: str, opts: dict[str, Any]) -> Iterator[tuple[Any, Iterator]]:
    """Read one dataset file exactly as its import read it (format, encoding, mapping, limits).

    Yields ``(ctx, rows)``: the open read context (``bytes_read``, ``finish()`` → the file's SHA-256)
    and an iterator of ``(idx, line, values, flags, chash)`` for every record the import took, where
    ``idx`` is the record index in the file and ``chash`` the stored content hash, so
    ``keys.make_key(file_sha256, idx, chash)`` is the record's key. ``opts`` are the dataset's stored
    import options. Register-only iteration and the distributed technical check both read this way.
    """
    req = ImportRequest(
        kind=kind,
        paths=[path],
        mode="register",
        encoding=opts.get("encoding"),
        overrides=opts.get("map") or {},
        max_chars=opts.get("max_chars") or DEFAULT_MAX_CHARS,
        delimiter=opts.get("delimiter"),
        sheet=opts.get("sheet"),
    )
    fmt = get_format(fmt_name)
    options = {"map": req.overrides, "delimiter": req.delimiter, "sheet": req.sheet}
    mapping, _ = _mapping_for(req, path, fmt, options)
    mapper = compile_mapper(mapping, kind, req.max_chars)
    ctx = open_context(path, fmt, req.encoding, options)

    def rows() -> Iterator[tuple[int, int, tuple, int, int]]:
        for idx, (line, row) in enumerate(fmt.reader()(ctx)):
            if type(row) is not dict:
                continue
            r = mapper(row)
            if type(r) is not tuple:
                continue
            vals, flags, content = r
            yield (
                idx,
                line,
                vals,
                flags,
                keys.chash64(hashlib.sha256(content.encode("utf-8", "surrogatepass")).digest()),
            )

    try:
        yield ctx, rows()
    finally:
        ctx.close()


def _iter_register(project, ds, files, verify_hash, progress, cancel) -> Iterator[Record]:
    opts = orjson.loads(ds["options"])
    total = sum(f["size"] for f in files) or 1
    if verify_hash:
        done = 0
        for f in files:
            done = _verify(Path(f["path"]), f["sha256"], progress, cancel, done, total)
    dups = {
        r[0]
        for r in project.conn.execute("SELECT seq FROM record_marks WHERE dataset_id = ? AND flags & 2", (ds["id"],))
    }
    defaults = {}
    if ds["kind"] == "transcripts":
        defaults = {"model": opts.get("model"), "model_version": opts.get("model_version")}
    elif ds["kind"] == "bank":
        defaults = {"bank_id": opts.get("bank_id") or ds["name"]}
    defaults = {FIELDS.index(k): v for k, v in defaults.items() if v}
    seq = 0
    kind, dsid = ds["kind"], ds["id"]
    for f in files:
        path = Path(f["path"])
        taken = 0
        with read_mapped_rows(path, f["format"], kind, opts) as (ctx, rows):
            for idx, line, vals, flags, ch in rows:
                if defaults:
                    vals = list(vals)
                    for k, v in defaults.items():
                        if vals[k] is None:
                            vals[k] = v
                if not idx & 0x1FFF:
                    progress(ctx.bytes_read, f["size"], path.name)
                    cancel.raise_if_cancelled()
                yield Record(
                    keys.make_key(f["sha256"], idx, ch),
                    dsid,
                    kind,
                    seq,
                    f["file_idx"],
                    idx,
                    line,
                    *vals,
                    empty=bool(flags & FLAG_EMPTY),
                    duplicate=seq in dups,
                )
                seq += 1
                taken += 1
            sha = ctx.finish() or f["sha256"]
        if sha != f["sha256"] or taken != f["records"]:
            raise IntegrityError(
                N_("{path} changed while it was read (SHA-256 {actual}, {n} records; manifest {expected}, {m})."),
                path=str(path),
                actual=sha,
                n=taken,
                expected=f["sha256"],
                m=f["records"],
            )


def _iter_media(ds, files, verify_hash, progress, cancel) -> Iterator[Record]:
    from gaisafe_desktop.core.ingest.formats.media import modality

    root = Path(orjson.loads(ds["options"]).get("root") or ".")
    total = sum(f["size"] for f in files) or 1
    done = 0
    seen: set[str] = set()
    for seq, f in enumerate(files):
        path = root / f["path"]
        if verify_hash:
            done = _verify(path, f["sha256"], progress, cancel, done, total)
        ch = keys.chash64(keys.content_sha256(None, None, None, f["sha256"]))
        yield Record(
            keys.make_key(f["sha256"], seq, ch),
            ds["id"],
            "media",
            seq,
            f["file_idx"],
            seq,
            1,
            media=f["path"],
            modality=modality(f["media_type"]),
            meta=orjson.dumps({"size": f["size"], "media_type": f["media_type"], "sha256": f["sha256"]}).decode(),
            duplicate=f["sha256"] in seen,
        )
        seen.add(f["sha256"])


def _find_by_position(project, lo: int, n: int, file_idx: int, idx: int):
    """Binary search over a dataset's rowid range: records are stored in (file_idx, idx) order."""
    left, right = 0, n - 1
    target = (file_idx, idx)
    while left <= right:
        mid = (left + right) // 2
        row = project.conn.execute(f"SELECT {_COLS} FROM records WHERE id = ?", (lo + mid,)).fetchone()
        if row is None:
            return None
        pos = (row[1], row[2])
        if pos == target:
            return row
        if pos < target:
            left = mid + 1
        else:
            right = mid - 1
    return None


def get_record(project, key: str, *, verify_hash: bool = True) -> Record:
    """The record with ``key`` (searched among complete datasets whose file hash matches).

    Raises:
        ValidationError: not a record key.
        NotFoundError: no record has this key.
    """
    fprefix, idx, cprefix = keys.parse_key(key)
    cands = project.conn.execute(
        "SELECT f.dataset_id, f.file_idx FROM dataset_files f JOIN datasets d ON d.id = f.dataset_id "
        "WHERE substr(f.sha256, 1, 16) = ? AND d.status = 'complete'",
        (fprefix,),
    ).fetchall()
    for c in cands:
        ds = get_dataset(project, c["dataset_id"])
        if ds["mode"] == "full" and ds["kind"] != "media":
            lo, _hi = id_range(ds["id"])
            row = _find_by_position(project, lo, ds["records"], c["file_idx"], idx)
            if row is not None and keys.chash_hex(row[4]) == cprefix:
                shas = {f["file_idx"]: f["sha256"] for f in dataset_files(project, ds["id"])}
                flags = row[5]
                return Record(
                    keys.make_key(shas[row[1]], row[2], row[4]),
                    ds["id"],
                    ds["kind"],
                    row[0] - lo,
                    row[1],
                    row[2],
                    row[3],
                    *row[6:],
                    empty=bool(flags & FLAG_EMPTY),
                    duplicate=bool(flags & FLAG_DUPLICATE),
                )
        else:
            for rec in iter_records(project, ds["id"], verify_hash=verify_hash):
                if rec.key == key:
                    return rec
    raise NotFoundError(N_("No record with key {key} in this project."), key=key)
