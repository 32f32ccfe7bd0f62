"""Large keyword scans: files split into line-aligned chunks (``chunks``), scanned on all cores.

The calling process and ``workers - 1`` worker processes (forked where that is safe, else spawned)
claim chunks from one shared counter, so the first chunks are done while spawned workers are still
starting. Workers get the compiled library once (inherited, or as a scan-only state with the
normalisation tables), never the text: each reads its own byte range of the file. Hits come back as
small tuples; line numbers are made global in the caller, in file order.
"""

from __future__ import annotations

import collections
import multiprocessing
import multiprocessing.connection as mp_connection
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gaisafe_desktop.core.detect.keywords import normalize
from gaisafe_desktop.core.detect.keywords.chunks import BATCH_CHARS, CHUNK_BYTES, batches, plan_chunks, scan_chunk
from gaisafe_desktop.core.detect.keywords.matcher import KeywordMatcher
from gaisafe_desktop.core.errors import GaisafeError, NotFoundError, ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress


@dataclass(frozen=True)
class ScanHit:
    """A hit located in a file: ``line`` is 1-based; spans are character offsets in that record."""

    file: str
    line: int
    entry: int
    term: str
    risks: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    matched: tuple[str, ...]


@dataclass
class ScanResult:
    """Totals of a scan (hits go to the ``on_hit`` callback or ``hits``)."""

    files: list[str]
    records: int = 0
    bytes: int = 0
    records_with_hits: int = 0
    hit_count: int = 0
    per_risk: dict[str, int] = field(default_factory=dict)
    per_term: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    workers: int = 1
    worker_chunks: int = 0  # chunks scanned by worker processes (the rest by the caller)
    hits: list[ScanHit] = field(default_factory=list)

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0


# -- worker processes -------------------------------------------------------------------------


def _claim(counter, n: int) -> int | None:
    """The next unclaimed chunk of a scan (the caller and the workers share ``counter``)."""
    with counter.get_lock():
        seq = counter.value
        if seq >= n:
            return None
        counter.value = seq + 1
        return seq


def _worker_main(conn, counter, cancel, matcher: KeywordMatcher | None) -> None:
    """A worker process: gets its library, then for each scan claims and scans chunks.

    ``matcher`` is the caller's compiled library when forked; a spawned worker receives a scan-only
    state and the normalisation tables through ``conn`` instead. Messages to the caller:
    ``("ready",)``, ``(seq, chunk result)``, ``("finished",)`` after each scan, ``("crash", text)``.
    """
    try:
        if matcher is None:
            state, tb = conn.recv()
            normalize.install_tables(tb)
            # Loaded only now, after the tables are installed (the matcher's lookup forms use them).
            matcher = KeywordMatcher.from_worker_state(state)
        conn.send(("ready",))
        while True:
            msg = conn.recv()
            if msg[0] == "stop":
                return
            _, paths, field_name, chunks = msg
            while not cancel.is_set():
                seq = _claim(counter, len(chunks))
                if seq is None:
                    break
                fi, a, b = chunks[seq]
                conn.send((seq, scan_chunk(matcher, paths[fi], a, b, field_name, cancel)))
            conn.send(("finished",))
    except (EOFError, BrokenPipeError):  # the caller has gone
        return
    except Exception as exc:  # noqa: BLE001 - the caller drops this worker and rescans its chunks
        conn.send(("crash", f"{type(exc).__name__}: {exc}"))


@dataclass(eq=False)
class _Worker:
    proc: multiprocessing.process.BaseProcess
    conn: object
    child: object  # the worker's end of the pipe: closed here once the worker has it (EOF on death)
    sent: threading.Event  # the worker has (or, forked, needs no) start-up state
    ready: bool = False
    dead: bool = False  # exited or failed: its unfinished chunks are scanned by the caller


# -- the parent --------------------------------------------------------------------------------


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


# Below these sizes a second process costs more than it saves: a forked worker is ready in ~0.01 s,
# a spawned one in ~0.4-0.6 s, while one core scans ~45-75 MB/s (docs/PERFORMANCE.md).
FORK_MIN_BYTES = 2 * CHUNK_BYTES
SPAWN_MIN_BYTES = 32 << 20


def auto_workers(total_bytes: int) -> int:
    """Cores for a scan of ``total_bytes``: one for small inputs, else ``default_workers()``."""
    floor = FORK_MIN_BYTES if fork_is_safe() else SPAWN_MIN_BYTES
    return 1 if total_bytes < floor else default_workers()


def fork_is_safe() -> bool:
    """Whether worker processes may be forked from this one rather than spawned.

    A forked worker is a copy of the caller, ready at once with the compiled library; a spawned one
    starts a new interpreter (~0.4 s). Fork only on Linux, with no other Python thread running and
    Qt not loaded (the desktop application always spawns).
    """
    return sys.platform.startswith("linux") and threading.active_count() == 1 and "PySide6" not in sys.modules


class KeywordScanPool:
    """Worker processes holding a compiled library, reusable across scans.

    The caller and the workers claim chunks from one shared counter, so no one waits for work and
    the last chunks go to whoever is free; the caller reads the workers' results between its own
    chunks (no threads in the caller compete with it for the GIL). Workers are forked where that is
    safe (``fork_is_safe``), else spawned: a spawned worker's start-up (a Python process, the tables,
    the automaton) costs ~0.4 s, during which the caller already scans; a pool kept open for several
    scans pays it once. Use as a context manager or call ``close()``.
    """

    def __init__(self, matcher: KeywordMatcher, workers: int | None = None, start_method: str | None = None) -> None:
        self.matcher = matcher
        self.workers = max(1, workers or default_workers())
        self.start_method = start_method or ("fork" if fork_is_safe() else "spawn")
        self._ctx = multiprocessing.get_context(self.start_method)
        self._counter = self._ctx.Value("q", 0)
        self._cancel = self._ctx.Event()
        self._workers: list[_Worker] = []
        self._starter: threading.Thread | None = None
        fork = self.start_method == "fork"
        for _ in range(self.workers - 1):
            conn, child = self._ctx.Pipe()
            args = (child, self._counter, self._cancel, matcher if fork else None)
            proc = self._ctx.Process(target=_worker_main, args=args, name="gaisafe-keyword-worker", daemon=True)
            self._workers.append(_Worker(proc, conn, child, threading.Event()))
        if not self._workers:
            return
        if fork:
            # Python >= 3.12 warns about a fork in any process with several OS threads; the only
            # other threads here are numpy's (OpenBLAS) idle workers, which re-initialise in the
            # child (pthread_atfork).
            with warnings.catch_warnings():
                warnings.filterwarnings(
                    "ignore", message=r".*fork\(\) may lead to deadlocks", category=DeprecationWarning
                )
                for w in self._workers:
                    w.proc.start()
                    w.child.close()  # type: ignore[attr-defined]
                    w.sent.set()
        else:
            # Sending the start-up state (library and tables, ~10 MB) blocks until the child has
            # read it, i.e. until it has imported numpy: 0.2-0.3 s. A thread waits for that while
            # the caller is already scanning.
            state = (matcher.worker_state(), normalize.tables())
            self._starter = threading.Thread(
                target=self._start_spawned, args=(state,), name="keyword-pool-start", daemon=True
            )
            self._starter.start()

    def _start_spawned(self, state: tuple) -> None:
        for w in self._workers:
            try:
                w.proc.start()
                w.child.close()  # type: ignore[attr-defined]
                w.conn.send(state)  # type: ignore[attr-defined]
            except (OSError, EOFError):  # the worker died starting; the caller scans without it
                continue
            w.sent.set()

    def __enter__(self) -> KeywordScanPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._starter is not None:
            self._starter.join()
            self._starter = None
        for w in self._workers:
            if w.sent.is_set() and w.proc.is_alive():
                try:
                    w.conn.send(("stop",))  # type: ignore[attr-defined]
                except OSError:
                    pass
        for w in self._workers:
            if w.proc.pid is not None:
                w.proc.join(timeout=5)
                if w.proc.is_alive():
                    w.proc.terminate()
                    w.proc.join()
            w.conn.close()  # type: ignore[attr-defined]
        self._workers = []

    @staticmethod
    def _lose(w: _Worker, busy: list[_Worker]) -> None:
        w.dead = True
        if w in busy:
            busy.remove(w)
        if w.proc.is_alive():
            w.proc.terminate()

    def _abandon(self) -> None:
        """Stop the workers now (after an error or a cancel in the middle of a scan)."""
        self._cancel.set()
        if self._starter is not None:
            self._starter.join()
            self._starter = None
        for w in self._workers:
            if w.proc.is_alive():
                w.proc.terminate()
        self.close()

    def wait_ready(self) -> None:
        """Block until every worker has started (for measurements of a warm pool)."""
        if self._starter is not None:
            self._starter.join()
        for w in self._workers:
            try:
                while w.sent.is_set() and not w.dead and not w.ready:
                    w.ready = w.conn.recv()[0] == "ready"  # type: ignore[attr-defined]
            except (EOFError, OSError):
                self._lose(w, [])

    def scan(
        self,
        paths: Sequence[str | Path],
        *,
        field: str | None = None,
        chunk_bytes: int = CHUNK_BYTES,
        on_hit: Callable[[ScanHit], None] | None = None,
        keep_hits: bool = True,
        progress: Progress = NULL_PROGRESS,
        cancel: CancelToken = NEVER,
    ) -> ScanResult:
        """See ``run_keyword_scan``."""
        files = [Path(p) for p in paths]
        for p in files:
            if not p.is_file():
                raise NotFoundError(N_("File not found: {path}"), path=str(p))
        jobs: list[tuple[int, int, int, int]] = []  # seq, file index, start, end
        for fi, p in enumerate(files):
            for a, b in plan_chunks(p, chunk_bytes):
                jobs.append((len(jobs), fi, a, b))
        chunks = [(fi, a, b) for _, fi, a, b in jobs]
        names = [str(p) for p in files]
        total = sum(p.stat().st_size for p in files)
        result = ScanResult(files=names, workers=self.workers)
        t0 = time.perf_counter()
        emitter = _OrderedEmitter(jobs, files, self.matcher, result, on_hit, keep_hits)
        progress(0, total, "")
        with self._counter.get_lock():
            self._counter.value = 0
        self._cancel.clear()
        busy: list[_Worker] = []  # workers given this scan, not yet finished with it
        delivered = bytearray(len(chunks))

        def deliver(seq: int, res: tuple) -> None:
            delivered[seq] = 1
            emitter.done(seq, res)

        def drain(w: _Worker) -> None:
            try:
                while w.conn.poll():  # type: ignore[attr-defined]
                    msg = w.conn.recv()  # type: ignore[attr-defined]
                    if msg[0] == "ready":
                        w.ready = True
                    elif msg[0] == "finished":
                        busy.remove(w)
                    elif msg[0] == "crash":
                        raise EOFError(msg[1])
                    else:
                        deliver(msg[0], msg[1])
                        result.worker_chunks += 1
            except (EOFError, OSError):
                self._lose(w, busy)

        try:
            given = []
            while True:
                cancel.raise_if_cancelled()
                for w in self._workers:
                    if w.dead or not w.sent.is_set():
                        continue
                    if w not in given:
                        given.append(w)
                        try:
                            w.conn.send(("scan", names, field, chunks))  # type: ignore[attr-defined]
                            busy.append(w)
                        except OSError:
                            self._lose(w, busy)
                            continue
                    drain(w)
                seq = _claim(self._counter, len(chunks))
                if seq is None:
                    break
                fi, a, b = chunks[seq]
                deliver(seq, scan_chunk(self.matcher, names[fi], a, b, field, None))
                progress(emitter.bytes_done, total, "")
            while busy:  # the chunks the workers claimed last
                cancel.raise_if_cancelled()
                mp_connection.wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=0.1)
                for w in list(busy):
                    drain(w)
                    if w in busy and not w.proc.is_alive():
                        drain(w)  # what it sent before it died
                        self._lose(w, busy)
                progress(emitter.bytes_done, total, "")
            # Chunks claimed by a worker that died: the caller scans them (a lost worker costs
            # time, never results).
            for seq in [k for k, d in enumerate(delivered) if not d]:
                cancel.raise_if_cancelled()
                fi, a, b = chunks[seq]
                deliver(seq, scan_chunk(self.matcher, names[fi], a, b, field, None))
                progress(emitter.bytes_done, total, "")
        except BaseException:
            self._abandon()
            raise
        result.seconds = time.perf_counter() - t0
        return result


def run_keyword_scan(
    paths: Sequence[str | Path],
    matcher: KeywordMatcher,
    *,
    field: str | None = None,
    workers: int | None = None,
    chunk_bytes: int = CHUNK_BYTES,
    on_hit: Callable[[ScanHit], None] | None = None,
    keep_hits: bool = True,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> ScanResult:
    """Scan text or JSONL files with a compiled library on ``workers`` cores.

    Args:
        paths: files; each line is a record (``field`` set: a JSONL record's field).
        matcher: the compiled library.
        field: JSONL field holding the text; ``None`` for plain text lines.
        workers: cores to use (the caller plus ``workers - 1`` worker processes). ``None``: all
            cores, unless the files are too small to repay starting a worker (``auto_workers``).
        chunk_bytes: size of the byte ranges handed out.
        on_hit: called for each hit in file/line order (e.g. to stream hits to a file).
        keep_hits: also collect hits in ``ScanResult.hits``.
        progress: receives bytes done / total bytes.
        cancel: stops the scan; raises ``CancelledError``.

    Raises:
        NotFoundError: a file does not exist.
        ValidationError: a file is not UTF-8 or a JSONL line is not JSON (file and line named).
        CancelledError: ``cancel`` was set.
    """
    if workers is None:
        workers = auto_workers(sum(Path(p).stat().st_size for p in paths if Path(p).is_file()))
    with KeywordScanPool(matcher, workers) as pool:
        return pool.scan(
            paths,
            field=field,
            chunk_bytes=chunk_bytes,
            on_hit=on_hit,
            keep_hits=keep_hits,
            progress=progress,
            cancel=cancel,
        )


class _OrderedEmitter:
    """Turns chunk results into hits with global line numbers, in file order."""

    def __init__(self, jobs, files, matcher: KeywordMatcher, result: ScanResult, on_hit, keep_hits: bool) -> None:
        self.jobs = jobs
        self.files = files
        self.matcher = matcher
        self.result = result
        self.on_hit = on_hit
        self.keep = keep_hits
        self.pending: dict[int, tuple] = {}
        self.next = 0
        self.line_base = 0
        self.bytes_done = 0

    def done(self, seq: int, res: tuple) -> None:
        if res[0] == "cancelled":
            return
        if res[0] == "error":
            _, msgid, local_line, params = res
            _, fi, start, _ = self.jobs[seq]
            with self.files[fi].open("rb") as fh:
                before = fh.read(start).count(b"\n")
            raise ValidationError(msgid, file=str(self.files[fi]), line=before + local_line + 1, **params)
        self.bytes_done += res[2]
        self.pending[seq] = res
        while self.next in self.pending:
            self._emit(self.next, self.pending.pop(self.next))
            self.next += 1

    def _emit(self, seq: int, res: tuple) -> None:
        _, fi, start, _ = self.jobs[seq]
        if start == 0:
            self.line_base = 0
        _, n_records, n_bytes, hits = res
        r = self.result
        r.records += n_records
        r.bytes += n_bytes
        entries = self.matcher.entries
        r.hit_count += len(hits)
        r.records_with_hits += len({h[0] for h in hits})
        per_entry = collections.Counter(h[1] for h in hits)
        for entry_idx, n in per_entry.items():
            e = entries[entry_idx]
            for code in e.risks:
                r.per_risk[code] = r.per_risk.get(code, 0) + n
            r.per_term[e.term] = r.per_term.get(e.term, 0) + n
        if self.on_hit is not None or self.keep:
            name = str(self.files[fi])
            for local, entry_idx, spans, matched in hits:
                e = entries[entry_idx]
                hit = ScanHit(name, self.line_base + local + 1, entry_idx, e.term, e.risks, spans, matched)
                if self.on_hit is not None:
                    self.on_hit(hit)
                if self.keep:
                    r.hits.append(hit)
        self.line_base += n_records


def scan_texts(texts: Iterable[str], matcher: KeywordMatcher, *, batch_chars: int = BATCH_CHARS):
    """Yield ``(index, hits)`` for every text with a hit, streaming in batches (one process)."""
    for first, batch in batches(texts, batch_chars):
        for off, hits in enumerate(matcher.scan_batch(batch)):
            if hits:
                yield first + off, hits


__all__ = ["GaisafeError", "ScanHit", "ScanResult", "plan_chunks", "run_keyword_scan", "scan_texts"]
