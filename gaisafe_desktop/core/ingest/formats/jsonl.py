"""JSON Lines: one JSON object per line. UTF-8 files are parsed from bytes with orjson (fast path)."""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from gaisafe_desktop.core.ingest.encoding import MARK
from gaisafe_desktop.core.ingest.formats.base import MAX_LINE, ReadContext
from gaisafe_desktop.core.ingest.quarantine import Problem

NAME = "jsonl"
EXTENSIONS = (".jsonl", ".ndjson", ".jsonlines")


def _bad_bytes(line: bytes) -> Problem | None:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Problem.of(
            "undecodable", f"bytes {line[exc.start : exc.start + 4].hex(' ')} at byte {exc.start} are not UTF-8", line
        )
    return None


def iter_objects(ctx: ReadContext) -> Iterator[tuple[int, object]]:
    """(line number, parsed value | Problem) for every non-blank line."""
    loads = orjson.loads
    decode_error = orjson.JSONDecodeError
    enc = ctx.encoding.name if ctx.encoding else "utf-8"
    if enc == "utf-8":
        fh = ctx.binary()
        readline = fh.readline
        lineno = 0
        while True:
            line = readline(MAX_LINE)
            if not line:
                return
            lineno += 1
            if len(line) >= MAX_LINE and not line.endswith(b"\n"):
                size = len(line)
                while True:
                    more = readline(MAX_LINE)
                    size += len(more)
                    if not more or more.endswith(b"\n"):
                        break
                yield lineno, Problem.of("line_too_long", f"line has {size:,} bytes (limit {MAX_LINE:,})", line[:200])
                continue
            try:
                yield lineno, loads(line)
            except decode_error as exc:
                if not line.strip():
                    continue
                yield lineno, (_bad_bytes(line) or Problem.of("bad_json", str(exc), line))
    else:
        lineno = 0
        for text in ctx.text():
            lineno += 1
            if MARK in text:
                col = text.index(MARK)
                yield lineno, Problem.of("undecodable", f"bytes at character {col} do not decode as {enc}", text)
                continue
            if not text.strip():
                continue
            try:
                yield lineno, loads(text)
            except decode_error as exc:
                yield lineno, Problem.of("bad_json", str(exc), text)


def read(ctx: ReadContext):
    for lineno, obj in iter_objects(ctx):
        if type(obj) is dict or isinstance(obj, Problem):
            yield lineno, obj
        else:
            yield lineno, Problem.of("not_object", f"expected a JSON object, got {type(obj).__name__}", str(obj))
