"""A JSON array of objects, parsed element by element from a bounded text buffer (never loaded whole)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import orjson

from gaisafe_desktop.core.ingest.encoding import MARK
from gaisafe_desktop.core.ingest.formats.base import ReadContext
from gaisafe_desktop.core.ingest.quarantine import Problem

NAME = "json"
EXTENSIONS = (".json",)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
CHUNK = 1 << 20
MAX_ELEMENT = 256 << 20
_WS = " \t\r\n"


def iter_elements(ctx: ReadContext) -> Iterator[tuple[int, object]]:
    """(line where the element starts, value | Problem) for every element of the top-level array."""
    fh = ctx.text()
    decoder = json.JSONDecoder()
    buf = fh.read(CHUNK)
    pos = 0
    line = 1
    eof = not buf

    def refill() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        more = fh.read(CHUNK)
        if not more:
            eof = True
            return False
        buf = buf[pos:] + more
        pos = 0
        return True

    def skip_ws() -> str:
        nonlocal pos, line
        while True:
            while pos < len(buf) and buf[pos] in _WS:
                if buf[pos] == "\n":
                    line += 1
                pos += 1
            if pos < len(buf):
                return buf[pos]
            if not refill():
                return ""

    if skip_ws() != "[":
        yield line, Problem.of("bad_record", "the file does not start with a JSON array `[`", buf[pos : pos + 200])
        return
    pos += 1
    first = True
    while True:
        ch = skip_ws()
        if ch == "]":
            return
        if ch == "":
            yield line, Problem.of("bad_json", "the array is not closed with `]` (file truncated?)")
            return
        if not first:
            if ch != ",":
                yield (
                    line,
                    Problem.of("bad_json", f"expected `,` or `]` between elements, found {ch!r}", buf[pos : pos + 200]),
                )
                return
            pos += 1
            ch = skip_ws()
        first = False
        while True:
            try:
                obj, end = decoder.raw_decode(buf, pos)
                if end == len(buf) and not eof and refill():
                    continue  # a number may continue in the next chunk
                break
            except json.JSONDecodeError as exc:
                if len(buf) - pos > MAX_ELEMENT or not refill():
                    yield line, Problem.of("bad_json", f"{exc.msg} (element starting here)", buf[pos : pos + 200])
                    return
        chunk = buf[pos:end]
        start_line = line
        line += chunk.count("\n")
        pos = end
        if MARK in chunk:
            yield start_line, Problem.of("undecodable", "bytes in this element do not decode", chunk)
        elif _SURROGATE_ESCAPE.search(chunk) and not _encodable(obj):
            yield start_line, Problem.of("undecodable", "a \\u escape is a lone UTF-16 surrogate", chunk)
        else:
            yield start_line, obj


def _encodable(obj) -> bool:
    """False when a string holds a lone surrogate (valid JSON escapes, but not storable text)."""
    try:
        orjson.dumps(obj)
        return True
    except TypeError:
        return False


def read(ctx: ReadContext):
    for lineno, obj in iter_elements(ctx):
        if type(obj) is dict or isinstance(obj, Problem):
            yield lineno, obj
        else:
            yield lineno, Problem.of("not_object", f"expected a JSON object, got {type(obj).__name__}", str(obj)[:200])
