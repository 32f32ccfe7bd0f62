"""Text features shared by training and the app: normalisation + hashed character and word n-grams.

The bundled classifiers take *features*, not raw text: this module turns a batch of texts into a
sparse matrix of hashed n-gram weights. ``training/`` imports the very same functions, so the
preprocessing of the app and of training is identical by construction (preprocessing id
``gaisafe-charhash``, version 1).

Features of one text:
- normalised characters (NFKC, lower case, digits mapped to ``0``, runs of whitespace collapsed,
  cut at ``max_chars``): all 1-, 2- and 3-grams of characters — Chinese needs character n-grams;
- ASCII word tokens: word unigrams and bigrams — English needs words.

Each n-gram is hashed (a fixed multiplicative hash, no Python ``hash()``, so results do not depend
on ``PYTHONHASHSEED``) into ``2**bits`` buckets. A text's weights are ``1 + log(count)`` per bucket,
L2-normalised. The character work is vectorised over the whole batch with numpy.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import asdict, dataclass

import numpy as np

PREPROCESSING_ID = "gaisafe-charhash"
PREPROCESSING_VERSION = 1

_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]")
_WORD = re.compile(r"[a-z0-9']+")

# Odd 64-bit multipliers (from splitmix64 / golden ratio); a different salt per n-gram order keeps
# unigram, bigram and trigram buckets independent.
_K = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xBF58476D1CE4E5B9),
    np.uint64(0x94D049BB133111EB),
)
_SALT = (np.uint64(0x2545F4914F6CDD1D), np.uint64(0x5851F42D4C957F2D), np.uint64(0x14057B7EF767814F))
_MIX = np.uint64(0xD6E8FEB86659FD93)
_WORD_SALT = (0x1F3D5B79, 0x2A4C6E80)


@dataclass(frozen=True)
class FeatureConfig:
    """Parameters of the featuriser; stored in a model's manifest under ``preprocessing``."""

    bits: int = 18
    char_ngrams: tuple[int, ...] = (1, 2, 3)
    word_ngrams: tuple[int, ...] = (1, 2)
    max_chars: int = 4000

    @property
    def buckets(self) -> int:
        return 1 << self.bits

    def to_manifest(self) -> dict:
        d = asdict(self)
        d["char_ngrams"] = list(self.char_ngrams)
        d["word_ngrams"] = list(self.word_ngrams)
        return {"id": PREPROCESSING_ID, "version": PREPROCESSING_VERSION, **d}

    @classmethod
    def from_manifest(cls, data: dict) -> FeatureConfig:
        return cls(
            bits=int(data.get("bits", 18)),
            char_ngrams=tuple(int(n) for n in data.get("char_ngrams", (1, 2, 3))),
            word_ngrams=tuple(int(n) for n in data.get("word_ngrams", (1, 2))),
            max_chars=int(data.get("max_chars", 4000)),
        )


def normalize(text: str, max_chars: int = 4000) -> str:
    """The canonical form of a text that features are computed from."""
    text = unicodedata.normalize("NFKC", text or "").lower().replace("\x00", " ")
    text = _WS.sub(" ", text).strip()
    text = _DIGITS.sub("0", text)
    return text[:max_chars]


@dataclass
class SparseBatch:
    """Features of a batch in CSR form: row ``i`` is ``indices[indptr[i]:indptr[i+1]]`` with ``values``."""

    indptr: np.ndarray  # int64 [n+1]
    indices: np.ndarray  # int64 [nnz]
    values: np.ndarray  # float32 [nnz]

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def padded(self) -> tuple[np.ndarray, np.ndarray]:
        """Dense ``[n, L]`` index and weight arrays (padding: index 0, weight 0) for the ONNX graph."""
        n = self.n_rows
        lengths = np.diff(self.indptr)
        width = max(1, int(lengths.max()) if n else 1)
        idx = np.zeros((n, width), dtype=np.int64)
        val = np.zeros((n, width), dtype=np.float32)
        if len(self.indices):
            rows = np.repeat(np.arange(n), lengths)
            cols = np.arange(len(self.indices)) - np.repeat(self.indptr[:-1], lengths)
            idx[rows, cols] = self.indices
            val[rows, cols] = self.values
        return idx, val


def _char_hashes(norm: list[str], config: FeatureConfig) -> tuple[np.ndarray, np.ndarray]:
    """(row, bucket) of every character n-gram of every text, computed over the batch at once."""
    if not norm:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    lengths = np.fromiter((len(s) for s in norm), dtype=np.int64, count=len(norm))
    # One separator between texts; separator positions get row -1 so no n-gram crosses texts.
    joined = "\x00".join(norm)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    rows = np.repeat(np.arange(len(norm), dtype=np.int64), lengths + 1)[: len(cps)]
    rows[np.cumsum(lengths + 1)[:-1] - 1] = -1
    shift = np.uint64(64 - config.bits)
    out_rows, out_buckets = [], []
    for n in config.char_ngrams:
        m = len(cps) - n + 1
        if m <= 0:
            continue
        h = _SALT[n - 1] if n <= 3 else np.uint64(n)
        h = np.full(m, h, dtype=np.uint64)
        for j in range(n):
            h = (h ^ (cps[j : j + m] * _K[j % 3])) * _MIX
            h ^= h >> np.uint64(29)
        valid = (rows[:m] >= 0) & (rows[:m] == rows[n - 1 : n - 1 + m])
        out_rows.append(rows[:m][valid])
        out_buckets.append(((h[valid] * _MIX) >> shift).astype(np.uint64))
    if not out_rows:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    return np.concatenate(out_rows), np.concatenate(out_buckets)


def _word_hashes(norm: list[str], config: FeatureConfig) -> tuple[np.ndarray, np.ndarray]:
    """(row, bucket) of ASCII word n-grams (CRC-32 based, deterministic across runs)."""
    mask = config.buckets - 1
    rows: list[int] = []
    buckets: list[int] = []
    for i, s in enumerate(norm):
        words = _WORD.findall(s)
        if not words:
            continue
        hashes = [zlib.crc32(w.encode()) for w in words]
        if 1 in config.word_ngrams:
            for h in hashes:
                buckets.append(((h ^ _WORD_SALT[0]) * 0x9E3779B1 >> 7) & mask)
            rows.extend([i] * len(hashes))
        if 2 in config.word_ngrams and len(hashes) > 1:
            for a, b in zip(hashes, hashes[1:], strict=False):
                buckets.append((((a * 31 + b) ^ _WORD_SALT[1]) * 0x9E3779B1 >> 7) & mask)
            rows.extend([i] * (len(hashes) - 1))
    return np.asarray(rows, dtype=np.int64), np.asarray(buckets, dtype=np.uint64)


def featurize(texts: list[str], config: FeatureConfig | None = None) -> SparseBatch:
    """Hashed n-gram features of ``texts`` (any length, any language) as a CSR batch.

    Args:
        texts: the texts; ``None`` is treated as an empty text.
        config: featuriser parameters (the model's manifest gives them); default 2**18 buckets.

    Returns:
        A :class:`SparseBatch` with one row per text, indices sorted within a row.
    """
    config = config or FeatureConfig()
    norm = [normalize(t or "", config.max_chars) for t in texts]
    r1, b1 = _char_hashes(norm, config)
    r2, b2 = _word_hashes(norm, config) if config.word_ngrams else (np.zeros(0, np.int64), np.zeros(0, np.uint64))
    rows = np.concatenate([r1, r2])
    buckets = np.concatenate([b1, b2]).astype(np.int64)
    n = len(texts)
    if len(rows) == 0:
        return SparseBatch(np.zeros(n + 1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    keys = (rows << np.int64(config.bits)) | buckets
    uniq, counts = np.unique(keys, return_counts=True)
    urows = uniq >> np.int64(config.bits)
    ubuckets = uniq & np.int64(config.buckets - 1)
    weights = 1.0 + np.log(counts.astype(np.float64))
    norms = np.sqrt(np.bincount(urows, weights=weights * weights, minlength=n))
    values = (weights / norms[urows]).astype(np.float32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.bincount(urows, minlength=n))
    return SparseBatch(indptr, ubuckets, values)
