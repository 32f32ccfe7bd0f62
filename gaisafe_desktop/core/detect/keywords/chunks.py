"""One chunk of a file: planning line-aligned byte ranges, and scanning one (in a worker or the caller).

Records are lines of a text file, or one field of each line of a JSONL file (``field_name``). A
chunk's result is a plain tuple, so it crosses process boundaries as is: ``("ok", records, bytes,
hits)``, ``("error", msgid, local line, params)`` or ``("cancelled",)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from gaisafe_desktop.core.detect.keywords.matcher import KeywordMatcher
from gaisafe_desktop.core.detect.keywords.normalize import BARRIER
from gaisafe_desktop.core.i18n import N_

CHUNK_BYTES = 1 << 20
BATCH_CHARS = 1 << 18


def batches(texts: Iterable[str], batch_chars: int = BATCH_CHARS) -> Iterator[tuple[int, list[str]]]:
    """``(index of its first text, texts)`` for consecutive batches of about ``batch_chars``."""
    batch: list[str] = []
    first = size = 0
    for i, text in enumerate(texts):
        if not batch:
            first = i
        batch.append(text)
        size += len(text)
        if size >= batch_chars:
            yield first, batch
            batch, size = [], 0
    if batch:
        yield first, batch


# -- chunk planning -----------------------------------------------------------------------------


def plan_chunks(path: Path, chunk_bytes: int = CHUNK_BYTES) -> list[tuple[int, int]]:
    """Byte ranges ``[start, end)`` of ``path`` that begin at line starts and cover the file."""
    size = path.stat().st_size
    bounds = [0]
    with path.open("rb") as fh:
        pos = chunk_bytes
        while pos < size:
            fh.seek(pos)
            fh.readline()
            nxt = fh.tell()
            if nxt >= size:
                break
            if nxt > bounds[-1]:
                bounds.append(nxt)
            pos = nxt + chunk_bytes
    bounds.append(size)
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a] or [(0, 0)]


# -- the work of one chunk (in a worker or in the caller) ------------------------------------------


class _ChunkError(Exception):
    """A bad line in a chunk; becomes an ``("error", msgid, local line, params)`` result.

    Results cross process boundaries as plain tuples: ``GaisafeError`` subclasses do not pickle
    with their parameters.
    """

    def __init__(self, msgid: str, line: int, **params: object) -> None:
        super().__init__(msgid)
        self.result = ("error", msgid, line, params)


def _json_records(data: bytes, start: int, field_name: str) -> list[str]:
    """The ``field_name`` text of each JSONL line of a chunk (``""`` when missing or empty)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _ChunkError(
            N_("{file}, line {line}: not valid UTF-8 (byte {byte})"),
            data.count(b"\n", 0, exc.start),
            byte=start + exc.start,
        ) from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out: list[str] = []
    for i, ln in enumerate(lines):
        if not ln.strip():
            out.append("")
            continue
        try:
            obj = orjson.loads(ln)
        except orjson.JSONDecodeError:
            raise _ChunkError(N_("{file}, line {line}: not valid JSON"), i) from None
        value = obj.get(field_name) if isinstance(obj, dict) else None
        if value is None:
            out.append("")
        elif isinstance(value, str):
            out.append(value)
        else:
            out.append(orjson.dumps(value).decode())
    return out


def scan_chunk(
    matcher: KeywordMatcher, path: str, start: int, end: int, field_name: str | None, cancel: object
) -> tuple:
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    if field_name is None:
        return _scan_lines(matcher, data, start, cancel)
    try:
        records = _json_records(data, start, field_name)
    except _ChunkError as exc:
        return exc.result
    hits: list[tuple] = []
    for first, batch in batches(records):
        if cancel is not None and cancel.is_set():  # type: ignore[attr-defined]
            return ("cancelled",)
        hits.extend(matcher.scan_batch_flat(batch, base=first))
    return ("ok", len(records), len(data), hits)


def _scan_lines(matcher: KeywordMatcher, data: bytes, start: int, cancel: object) -> tuple:
    """Plain text: batches of whole lines become one BARRIER-joined string by ``str.replace``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start)
        return _ChunkError(
            N_("{file}, line {line}: not valid UTF-8 (byte {byte})"), line, byte=start + exc.start
        ).result
    if BARRIER in text:
        text = text.replace(BARRIER, " ")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    n_lines = text.count("\n") + 1 if data else 0
    hits: list[tuple] = []
    pos = 0
    first = 0
    while pos < len(text):
        if cancel is not None and cancel.is_set():  # type: ignore[attr-defined]
            return ("cancelled",)
        cut = text.find("\n", pos + BATCH_CHARS)
        cut = len(text) if cut == -1 else cut
        piece = text[pos:cut]
        hits += matcher.scan_joined_flat(piece.replace("\n", BARRIER), base=first)
        first += piece.count("\n") + 1
        pos = cut + 1
    return ("ok", n_lines, len(data), hits)
