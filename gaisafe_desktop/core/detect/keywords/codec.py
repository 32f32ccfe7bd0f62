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
a match's byte offsets back to character offsets (``char_index``). Characters whose normal form
needs more than three bytes (``㎮`` → ``rads`` when those letters are in terms) take a slower,
still vectorised, path.
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
_FILL = 0xFF  # pads a code to three bytes; never part of a code
_LONG = 0xFE  # length byte of a table value whose code is in the ``longs`` list
_NT = len(_TRAIL)
CAPACITY = len(_SINGLE) + len(_LEAD2) * _NT + len(_LEAD3) * _NT * _NT
_DELETED = 0x00FFFFFF  # no byte, length 0


def _code(rank: int) -> bytes:
    if rank < len(_SINGLE):
        return bytes((_SINGLE[rank],))
    rank -= len(_SINGLE)
    if rank < len(_LEAD2) * _NT:
        return bytes((_LEAD2[rank // _NT], _TRAIL[rank % _NT]))
    rank -= len(_LEAD2) * _NT
    return bytes((_LEAD3[rank // (_NT * _NT)], _TRAIL[rank // _NT % _NT], _TRAIL[rank % _NT]))


def _pack(code: bytes) -> int:
    """A table value: the code's bytes padded with ``_FILL`` to three, then its length."""
    return int.from_bytes(code.ljust(3, bytes((_FILL,))), "little") | len(code) << 24


_OTHER_PACKED = _pack(bytes((OTHER,)))


class ScanCodec:
    """The scan code of one library (built from its normalised atoms)."""

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
        by_normal = np.full(normalize.CODE_SPACE, _pack(bytes((OTHER,))), dtype="<u4")
        for c, code in self.codes.items():
            by_normal[ord(c)] = _pack(code)
        by_normal[normalize.BARRIER_CP] = _pack(bytes((BARRIER_BYTE,)))
        lut = tb.lut
        table = by_normal[np.minimum(lut, normalize.CODE_SPACE - 1)]
        table[lut == 0] = _DELETED
        self.longs: list[bytes] = []
        for cp in np.flatnonzero(lut >= normalize.EXPANDED).tolist():
            code = self.encode_str(tb.expansions[int(lut[cp]) - normalize.EXPANDED])
            if len(code) <= 3:
                table[cp] = _pack(code)
            else:
                table[cp] = _LONG << 24 | len(self.longs)  # an index, not a code
                self.longs.append(code)
        self.table = table

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
        Costs a table lookup and a compress per character (numpy); the lengths are a view.
        """
        packed = self.table[codes]
        # The second of two adjacent OTHER characters adds nothing (a deleted character between
        # them keeps both; that only costs a byte).
        other = packed == _OTHER_PACKED
        packed[1:][other[1:] & other[:-1]] = _DELETED
        flat = packed.view(np.uint8)
        lengths = flat[3::4]
        if lengths.size and (lengths == _LONG).any():
            return self._encode_long(packed)
        keep = flat != _FILL
        keep[3::4] = False
        return np.compress(keep, flat), lengths

    def _encode_long(self, packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lengths = (packed >> 24).astype(np.int64)
        is_long = lengths == _LONG
        long_idx = (packed[is_long] & 0xFFFFFF).tolist()
        lengths[is_long] = [len(self.longs[i]) for i in long_idx]
        short = packed.copy()
        short[is_long] = _DELETED
        flat = short.view(np.uint8)
        keep = flat != _FILL
        keep[3::4] = False
        out = np.empty(int(lengths.sum()), dtype=np.uint8)
        is_long_byte = np.zeros(out.size, dtype=bool)
        for start, i in zip((np.cumsum(lengths) - lengths)[is_long].tolist(), long_idx, strict=True):
            code = self.longs[i]
            out[start : start + len(code)] = np.frombuffer(code, dtype=np.uint8)
            is_long_byte[start : start + len(code)] = True
        out[~is_long_byte] = np.compress(keep, flat)
        return out, lengths


def char_index(ends: np.ndarray, byte_offsets: np.ndarray) -> np.ndarray:
    """The index of the character that produced each byte offset.

    ``ends`` is ``np.cumsum(lengths)`` of ``encode``'s lengths (one past each character's last byte).
    """
    return np.searchsorted(ends, byte_offsets, side="right")
