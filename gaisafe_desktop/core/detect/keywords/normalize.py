"""Text normalisation for keyword matching, with a map back to the original characters.

One character at a time, every character is mapped by the same rule (the *spec*; the vectorised
table below is only a fast form of it):

1. Unicode NFKC of the single character (full-width → half-width, compatibility forms, ① → 1);
2. case folding (``str.casefold``);
3. traditional → simplified Chinese, one character to one character (OpenCC ``TSCharacters``,
   first candidate; committed table ``resources/keywords/normalization/t2s-characters.tsv``);
4. *noise* characters are deleted: Unicode categories P* (punctuation), Z* (spaces), S* (symbols,
   emoji), C* (controls, zero-width and format characters, private use, unassigned) and Mn/Me
   (combining marks, variation selectors).

Steps 1–3 are repeated until the result is stable, so normalising twice changes nothing.

Speed: per-character ``str.translate`` costs ~70 ns per non-ASCII character in CPython (a Python
object per character), too slow for tens of MB/s. Instead the whole batch of records is encoded as
UTF-32, looked up in one ``uint32`` table of 0x110000 entries with numpy (a few ns per character),
deleted characters are compressed out, and the result decoded. The normalised → original offset
map is a by-product (``flatnonzero`` of the kept mask) and is computed only when a batch has a
match. The few characters whose normal form is longer than one character (``ß`` → ``ss``,
``⑩`` → ``10``, ``㎏`` → ``kg``) take a slower, still vectorised, path.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import numpy as np

from gaisafe_desktop.core.resources import resource_path

#: Separates records inside a batch. It survives normalisation and never occurs in a term, so
#: no match can span two records. Occurrences of it inside input text are treated as noise.
BARRIER = "\uffff"
BARRIER_CP = 0xFFFF
CODE_SPACE = 0x110000
EXPANDED = 0x110000  # table values >= this index the expansion list
_NOISE_MAJOR = frozenset("PZSC")
_NOISE_MINOR = frozenset(("Mn", "Me"))
# Code points above these are never looped over when the table is built: planes 3–13 are
# unassigned (CJK extension G ends at U+3134A in Unicode 14), plane 14 holds tags and variation
# selectors (all noise), planes 15–16 are private use (noise).
_LOOP_END = 0x32000


@functools.cache
def t2s_table() -> dict[str, str]:
    """The committed traditional → simplified single-character table."""
    table: dict[str, str] = {}
    path = resource_path("keywords", "normalization", "t2s-characters.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            trad, simp = line.split("\t")
            table[trad] = simp
    return table


def is_noise(ch: str) -> bool:
    """Whether a character's category makes it noise (applied *after* NFKC: ``㎏`` → ``kg`` is kept)."""
    cat = unicodedata.category(ch)
    return cat[0] in _NOISE_MAJOR or cat in _NOISE_MINOR or ch == BARRIER


def normalize_char(ch: str) -> str:
    """The normal form of one character (the spec); ``""`` when it is noise."""
    t2s = t2s_table()
    out = ch
    for _ in range(4):
        step = "".join(t2s.get(c, c) for c in unicodedata.normalize("NFKC", out).casefold())
        step = "".join(c for c in step if not is_noise(c))
        if step == out:
            break
        out = step
    return "" if all(is_noise(c) for c in out) else out


def is_word_char(ch: str) -> bool:
    """A normalised character of a space-delimited script (Latin, digits, Greek, Cyrillic …).

    Matches of terms that begin or end with such a character need a word boundary there, and
    noise may not be deleted between two such characters inside a match (see ``matcher``).
    """
    return ch.isalnum() and ord(ch) < 0x1100


@dataclass(frozen=True)
class _Tables:
    lut: np.ndarray  # uint32[0x110000]: 0 = delete, >= EXPANDED = expansion index, else the code point
    expansions: tuple[str, ...]
    exp_len: np.ndarray  # int64[len(expansions)]
    exp_codes: np.ndarray  # uint32[len(expansions), max_len]
    word: np.ndarray  # bool[0x110000] on normalised code points


_TABLES: _Tables | None = None


def tables() -> _Tables:
    """The lookup tables, built once per process (~0.7 s) or installed by ``install_tables``."""
    global _TABLES
    if _TABLES is None:
        _TABLES = _build_tables()
    return _TABLES


def install_tables(tb: _Tables) -> None:
    """Use tables built elsewhere (a worker process receives its parent's instead of rebuilding)."""
    global _TABLES
    _TABLES = tb


def _build_tables() -> _Tables:
    lut = np.arange(CODE_SPACE, dtype=np.uint32)
    lut[_LOOP_END:] = 0
    expansions: list[str] = []
    word = np.zeros(CODE_SPACE, dtype=bool)
    t2s = t2s_table()
    for cp in range(_LOOP_END):
        if 0xD800 <= cp <= 0xDFFF:
            lut[cp] = 0
            continue
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat == "Cn" or cat == "Co":  # unassigned, private use: noise whatever NFKC says
            lut[cp] = 0
            continue
        if cat == "Lo" and (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2FA1F):
            # Han ideographs: NFKC and case folding leave them alone except compatibility
            # ideographs (U+2F800–2FA1F handled below); only the T→S table applies.
            if cp < 0x2F800:
                simp = t2s.get(ch)
                if simp is not None:
                    lut[cp] = ord(normalize_char(simp)) if len(normalize_char(simp)) == 1 else cp
                continue
        if ch.isalnum() and cp < 0x1100:
            word[cp] = True
        norm = normalize_char(ch)
        if norm == ch:
            continue
        if norm == "":
            lut[cp] = 0
        elif len(norm) == 1:
            lut[cp] = ord(norm)
        else:
            lut[cp] = EXPANDED + len(expansions)
            expansions.append(norm)
    lut[BARRIER_CP] = BARRIER_CP
    width = max((len(e) for e in expansions), default=1)
    exp_codes = np.zeros((max(len(expansions), 1), width), dtype=np.uint32)
    for i, e in enumerate(expansions):
        exp_codes[i, : len(e)] = [ord(c) for c in e]
    exp_len = np.array([len(e) for e in expansions] or [0], dtype=np.int64)
    return _Tables(lut, tuple(expansions), exp_len, exp_codes, word)


def to_codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _from_codes(codes: np.ndarray) -> str:
    return codes.astype(np.uint32, copy=False).tobytes().decode("utf-32-le", "surrogatepass")


@dataclass
class Normalized:
    """A normalised text and what is needed to map it back.

    ``text`` is the normal form. ``origin(i)`` gives the index in the original text of the
    character that produced normalised character ``i`` (several normalised characters share one
    origin when a character expands).
    """

    text: str
    codes: np.ndarray
    _keep: np.ndarray | None
    _origin: np.ndarray | None = None

    @property
    def origin_map(self) -> np.ndarray:
        """int64 array: original index of each normalised character (computed on first use)."""
        if self._origin is None:
            assert self._keep is not None
            self._origin = np.flatnonzero(self._keep)
        return self._origin


def normalize_codes(text: str, *, records: bool = False) -> Normalized:
    """Normalise ``text`` with its offset map.

    With ``records=True`` the text is several records joined by ``BARRIER``, which is kept;
    otherwise a ``BARRIER`` character in the text is noise like any other.
    """
    tb = tables()
    mapped = np.take(tb.lut, to_codes(text))
    if not records and BARRIER in text:
        mapped[mapped == BARRIER_CP] = 0
    if mapped.size and int(mapped.max()) >= EXPANDED:
        return _normalize_expanding(mapped, tb)
    keep = mapped != 0
    codes = mapped[keep]
    return Normalized(_from_codes(codes), codes, keep)


def _normalize_expanding(mapped: np.ndarray, tb: _Tables) -> Normalized:
    is_exp = mapped >= EXPANDED
    exp_idx = np.where(is_exp, mapped - EXPANDED, 0).astype(np.int64)
    counts = np.where(mapped == 0, 0, np.where(is_exp, tb.exp_len[exp_idx], 1))
    origin = np.repeat(np.arange(mapped.size), counts)
    starts = np.cumsum(counts) - counts
    intra = np.arange(origin.size) - starts[origin]
    out = np.where(
        is_exp[origin], tb.exp_codes[exp_idx[origin], np.minimum(intra, tb.exp_codes.shape[1] - 1)], mapped[origin]
    )
    return Normalized(_from_codes(out), out.astype(np.uint32), None, origin)


def normalize(text: str) -> str:
    """The normal form of ``text`` (what keywords and texts are compared in)."""
    return normalize_codes(text).text


def normalize_many(texts: list[str] | tuple[str, ...]) -> list[str]:
    """Normal forms of many short texts in one vectorised pass (terms of a library)."""
    if not texts:
        return []
    joined = BARRIER.join(t.replace(BARRIER, " ") for t in texts)
    return normalize_codes(joined, records=True).text.split(BARRIER)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normal form of ``text`` and, for each of its characters, the original index."""
    n = normalize_codes(text)
    return n.text, n.origin_map.tolist()
