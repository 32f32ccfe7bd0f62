"""What every format reader gets (:class:`ReadContext`) and gives back.

A reader is ``read(ctx) -> Iterator[(line, row)]`` where ``row`` is a ``dict`` (one record: a table
row, a JSON object, or for chat/eval formats a dict of canonical fields plus ``_raw``) or a
:class:`~gaisafe_desktop.core.ingest.quarantine.Problem`. Every yielded item gets the next record
index, so indices depend only on the file's bytes and its format.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.ingest.encoding import Encoding

MAX_LINE = 256 << 20  # a longer line is quarantined as line_too_long and skipped


class HashingRaw(io.RawIOBase):
    """A raw reader that hashes and counts every byte it passes on."""

    def __init__(self, path: Path) -> None:
        self._fh = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by close()
        self.sha = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = self._fh.readinto(b)
        if n:
            self.sha.update(memoryview(b)[:n])
            self.count += n
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


@dataclass
class ReadContext:
    path: Path
    encoding: Encoding | None = None
    options: dict[str, Any] = field(default_factory=dict)
    raw: HashingRaw | None = None
    _binary: io.BufferedReader | None = None
    _texts: list = field(default_factory=list)

    def binary(self) -> io.BufferedReader:
        """The file as a buffered binary stream (BOM skipped), hashed while read."""
        if self._binary is None:
            self.raw = HashingRaw(self.path)
            self._binary = io.BufferedReader(self.raw, 1 << 20)
            if self.encoding is not None and self.encoding.bom:
                self._binary.read(self.encoding.bom)
        return self._binary

    def text(self) -> io.TextIOWrapper:
        """The file as text in its detected encoding; undecodable bytes become ``MARK``."""
        enc = self.encoding.name if self.encoding else "utf-8"
        wrapper = io.TextIOWrapper(self.binary(), encoding=enc, errors="gaisafe-mark", newline="")
        self._texts.append(wrapper)  # a collected wrapper would close the binary stream under us
        return wrapper

    @property
    def bytes_read(self) -> int:
        return self.raw.count if self.raw is not None else 0

    def finish(self) -> str | None:
        """Read to the end (so the hash covers the whole file); the file's SHA-256, or None if not streamed."""
        if self._binary is None:
            return None
        while self._binary.read(1 << 20):
            pass
        digest = self.raw.sha.hexdigest()
        self._binary.close()
        return digest

    def close(self) -> None:
        if self._binary is not None and not self._binary.closed:
            self._binary.close()


Item = tuple[int, Any]
ItemIter = Iterator[Item]
