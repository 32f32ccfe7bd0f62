"""Exact-duplicate detection over content hashes in bounded memory.

Hashes are appended in record order (position = seq). Up to ``run_size`` hashes are kept in memory
(8 bytes each); beyond that, each full run is sorted and spilled to a temporary file, and the runs
are merged at the end. The first occurrence of a hash is not a duplicate; every later one is.
"""

from __future__ import annotations

import array
import heapq
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

RUN_SIZE = 2_000_000  # 16 MB of hashes in memory; sorting a run needs ~4× that for a moment
_PAIR = np.dtype([("h", "<i8"), ("s", "<i8")])


class DuplicateFinder:
    def __init__(self, run_size: int | None = None, tmpdir: str | Path | None = None) -> None:
        self.run_size = run_size or RUN_SIZE
        self.tmpdir = tmpdir
        self.buf = array.array("q")
        self.base = 0  # seq of buf[0]
        self.runs: list[Path] = []

    def __len__(self) -> int:
        return self.base + len(self.buf)

    def append(self, h: int) -> None:
        self.buf.append(h)
        if len(self.buf) >= self.run_size:
            self._spill()

    def extend(self, hashes) -> None:
        for h in hashes:
            self.append(h)

    def _sorted_pairs(self) -> np.ndarray:
        h = np.frombuffer(self.buf, dtype=np.int64)
        order = np.argsort(h, kind="stable")
        pairs = np.empty(len(h), dtype=_PAIR)
        pairs["h"] = h[order]
        pairs["s"] = order + self.base
        return pairs

    def _spill(self) -> None:
        pairs = self._sorted_pairs()
        fd, name = tempfile.mkstemp(prefix="gaisafe-dedup-", suffix=".bin", dir=self.tmpdir)
        with os.fdopen(fd, "wb") as fh:
            pairs.tofile(fh)
        self.runs.append(Path(name))
        self.base += len(self.buf)
        self.buf = array.array("q")

    def duplicates(self) -> list[int]:
        """Sorted seqs of records whose hash equals an earlier record's. Removes the spill files."""
        try:
            if not self.runs:
                if len(self.buf) < 2:
                    return []
                pairs = self._sorted_pairs()
                dup = pairs["h"][1:] == pairs["h"][:-1]
                return np.sort(pairs["s"][1:][dup]).tolist()
            if len(self.buf):
                self._spill()
            out = array.array("q")
            prev = None
            for h, s in heapq.merge(*(self._read(p) for p in self.runs)):
                if h == prev:
                    out.append(s)
                prev = h
            return np.sort(np.frombuffer(out, dtype=np.int64)).tolist() if out else []
        finally:
            self.close()

    @staticmethod
    def _read(path: Path, block: int = 1 << 16) -> Iterator[tuple[int, int]]:
        with open(path, "rb") as fh:  # plain reads, not a memory map: mapped pages would count as resident
            while True:
                chunk = np.fromfile(fh, dtype=_PAIR, count=block)
                if not len(chunk):
                    return
                yield from zip(chunk["h"].tolist(), chunk["s"].tolist(), strict=True)

    def close(self) -> None:
        for p in self.runs:
            p.unlink(missing_ok=True)
        self.runs = []
