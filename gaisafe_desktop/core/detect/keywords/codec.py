"""The scan code: text → the compact bytes the automaton scans, one table lookup per character.

The automaton (``ahocorasick_rs.BytesAhoCorasick``) scans bytes. Scanning the UTF-8 of the
normalised text costs three bytes per Chinese character and a Python string per batch. Instead each
library gets a table, composed once, that maps an *original* code point straight to the code of its
normal form:

* a noise character (deleted by normalisation) gives no byte;
* a character whose normal form occurs in no term of the library gives the byte ``OTHER``; the second
  of two adjacent ``OTHER`` characters gives none (no term contains ``OTHER``, so no match can begin,
  end or cross one, however many there are);
* the characters of the terms get codes of one to three bytes — the most frequent in the terms the
  shortest — from disjoint byte ranges (single bytes, lead bytes of two- and three-byte codes, trail
  bytes). Like UTF-8 the code is self-synchronising: a term's code can only match starting and ending
  on character boundaries;
* ``BARRIER`` (between the records of a batch) has its own byte.

``encode`` also returns the number of bytes each input character produced; their running sum maps
a match's byte offsets back to character offsets (``char_index``). The table holds codes of up
to two bytes (16 bits per entry, read with ``np.take``); characters whose code is longer — three-byte
codes of very large alphabets, or normal forms of several characters (``㎮`` → ``rads`` when those
letters are in terms) — take a slower, still vectorised, path.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable

import numpy as np

from gaisafe_desktop.core.detect.keywords import normalize
from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_

OTHER = 0x00
BARRIER_BYTE = 0x01
_SINGLE = range(0x02, 0x40)  # 62 one-byte codes
_LEAD2 = range(0x40, 0x7C)  # 60 leads x 127 trails
_LEAD3 = range(0x7C, 0x80)  # 4 leads x 127 x 127 trails
_TRAIL = range(0x80, 0xFF)
_FILL = 0xFF  # pads a one-byte code to two; never part of a code
_NT = len(_TRAIL)
CAPACITY = len(_SINGLE) + len(_LEAD2) * _NT + len(_LEAD3) * _NT * _NT
# Table values: a code of one or two bytes, padded with _FILL (little-endian uint16).
_DELETED = 0xFFFF  # no byte
_OTHER16 = OTHER | _FILL << 8
# Characters whose code is longer than two bytes (three-byte codes of very large alphabets, or
# normal forms of several characters: ``㎮`` → ``rads``) are looked up in ``long_codes``.
_LONG = 0xFEFE


def _code(rank: int) -> bytes:
    if rank < len(_SINGLE):
        return bytes((_SINGLE[rank],))
    rank -= len(_SINGLE)
    if rank < len(_LEAD2) * _NT:
        return bytes((_LEAD2[rank // _NT], _TRAIL[rank % _NT]))
    rank -= len(_LEAD2) * _NT
    return bytes((_LEAD3[rank // (_NT * _NT)], _TRAIL[rank // _NT % _NT], _TRAIL[rank % _NT]))


def _pack(code: bytes) -> int:
    return _LONG if len(code) > 2 else int.from_bytes(code.ljust(2, bytes((_FILL,))), "little")


class ScanCodec:
    """The scan code of one library (built from its normalised atoms); picklable."""

    def __init__(self, atoms: Iterable[str]) -> None:
        freq = collections.Counter(c for a in atoms for c in a)
        alphabet = sorted(freq, key=lambda c: (-freq[c], c))
        if len(alphabet) > CAPACITY:
            raise ValidationError(
                N_("The keyword library uses {count} distinct characters; at most {limit} are supported."),
                count=len(alphabet),
                limit=CAPACITY,
            )
        self.codes = {c: _code(i) for i, c in enumerate(alphabet)}
        tb = normalize.tables()
        lut = tb.lut
        by_normal = np.full(normalize.CODE_SPACE, _OTHER16, dtype="<u2")
        for c, code in self.codes.items():
            by_normal[ord(c)] = _pack(code)
        by_normal[normalize.BARRIER_CP] = BARRIER_BYTE | _FILL << 8
        table = by_normal[np.minimum(lut, normalize.CODE_SPACE - 1)]
        table[lut == 0] = _DELETED
        long_codes: dict[int, bytes] = {}
        for cp in np.flatnonzero(lut >= normalize.EXPANDED).tolist():
            code = self.encode_str(tb.expansions[int(lut[cp]) - normalize.EXPANDED])
            table[cp] = _pack(code)
            if len(code) > 2:
                long_codes[cp] = code
        # Characters whose normal form is one character with a three-byte code (itself included).
        for cp in np.flatnonzero((table == _LONG) & (lut < normalize.EXPANDED)).tolist():
            long_codes[cp] = self.codes[chr(int(lut[cp]))]
        self.table = table
        self.long_cps = np.array(sorted(long_codes), dtype=np.uint32)
        width = max((len(c) for c in long_codes.values()), default=1)
        self.long_bytes = np.zeros((max(len(long_codes), 1), width), dtype=np.uint8)
        self.long_len = np.zeros(max(len(long_codes), 1), dtype=np.int64)
        for i, cp in enumerate(self.long_cps.tolist()):
            code = long_codes[cp]
            self.long_bytes[i, : len(code)] = np.frombuffer(code, dtype=np.uint8)
            self.long_len[i] = len(code)

    def encode_str(self, normal: str) -> bytes:
        """The code of an already normalised string (terms), ``OTHER`` runs kept as one byte."""
        out = bytearray()
        for ch in normal:
            code = self.codes.get(ch, b"\0")
            if code != b"\0" or not out.endswith(b"\0"):
                out += code
        return bytes(out)

    def encode(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The scan bytes of a text given as code points, and the bytes each character produced.

        The text may be original or already normalised (normalisation is idempotent, so a normal
        character maps to its own code). ``char_index`` maps byte offsets back to characters.
        Costs a lookup in a 16-bit table, a few comparisons and one compress per character.
        """
        packed = np.take(self.table, codes)  # twice as fast as ``table[codes]`` here
        # The second of two adjacent OTHER characters adds nothing (a deleted character between
        # them keeps both; that only costs a byte): OR-ing 0xFF into OTHER (00 FF) gives DELETED.
        other = packed == _OTHER16
        packed[1:] |= (other[1:] & other[:-1]).view(np.uint8) * np.uint16(0xFF)
        if self.long_cps.size > 0 and (packed == _LONG).any():
            return self._encode_long(codes, packed)
        flat = packed.view(np.uint8)
        keep = flat != _FILL
        # Two bools per character read as one uint16: 0, 1 or 257 (a second byte implies a first).
        lengths = (keep.view(np.uint16) + 255) >> 8
        return np.compress(keep, flat), lengths

    def _encode_long(self, codes: np.ndarray, packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        flat = packed.view(np.uint8).reshape(-1, 2)
        lengths = (flat != _FILL).sum(axis=1)
        is_long = packed == _LONG
        k = np.searchsorted(self.long_cps, codes[is_long])
        lengths[is_long] = self.long_len[k]
        starts = np.cumsum(lengths) - lengths
        out = np.empty(int(lengths.sum()), dtype=np.uint8)
        short = ~is_long
        one = short & (lengths >= 1)
        out[starts[one]] = flat[one, 0]
        two = short & (lengths == 2)
        out[starts[two] + 1] = flat[two, 1]
        long_starts = starts[is_long]
        for j in range(self.long_bytes.shape[1]):
            m = self.long_len[k] > j
            out[long_starts[m] + j] = self.long_bytes[k[m], j]
        return out, lengths


def char_index(ends: np.ndarray, byte_offsets: np.ndarray) -> np.ndarray:
    """The index of the character that produced each byte offset.

    ``ends`` is ``np.cumsum(lengths)`` of ``encode``'s lengths (one past each character's last byte).
    """
    return np.searchsorted(ends, byte_offsets, side="right")
