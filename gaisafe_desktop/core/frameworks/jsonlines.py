"""Line numbers of JSON values by path, so a pack author is sent to the right line of a long file.

Only used when a pack has problems; the text has already been parsed by ``json``, so this scanner
can assume it is well-formed.
"""

from __future__ import annotations

import json
import re

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


def value_lines(text: str) -> dict[tuple, int]:
    """Map each value's path (``("clauses", 12, "obligation")``) to the 1-based line where it starts."""
    out: dict[tuple, int] = {}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(pos: int) -> int:
        lo, hi = 0, len(line_starts)
        while lo + 1 < hi:
            mid = (lo + hi) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid
        return lo + 1

    def skip(pos: int) -> int:
        return _WS.match(text, pos).end()

    def value(pos: int, path: tuple) -> int:
        pos = skip(pos)
        out[path] = line_of(pos)
        ch = text[pos]
        if ch == "{":
            pos = skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                key, pos = json.decoder.scanstring(text, skip(pos) + 1)
                pos = skip(pos) + 1  # the colon
                pos = skip(value(pos, (*path, key)))
                if text[pos] == "}":
                    return pos + 1
                pos += 1  # the comma
        if ch == "[":
            pos = skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            i = 0
            while True:
                pos = skip(value(pos, (*path, i)))
                i += 1
                if text[pos] == "]":
                    return pos + 1
                pos += 1
        if ch == '"':
            return json.decoder.scanstring(text, pos + 1)[1]
        return _SCALAR.match(text, pos).end()

    value(0, ())
    return out


def line_of_path(text: str, path: str) -> int | None:
    """Line of a dotted JSON path (``clauses[12].obligation``); the nearest existing ancestor if it is missing."""
    parts: list = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    try:
        lines = value_lines(text)
    except (ValueError, IndexError, AttributeError):
        return None
    while parts and tuple(parts) not in lines:
        parts.pop()
    return lines.get(tuple(parts))
