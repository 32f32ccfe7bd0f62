"""Mine candidate keywords per risk code from labelled text (``gaisafe keywords suggest``).

Method: weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn,
"Fightin' Words", Political Analysis 2008). For each risk code, the *documents* labelled with it
are compared with every other document (other codes and unlabelled/benign text); a feature's
z-score says how much more often it occurs in the code's documents than elsewhere, with the
whole corpus as prior so that rare features are shrunk towards zero.

Features are document frequencies (a document counts once per feature) of:
* Chinese: character 2–4-grams inside runs of Han characters (after normalisation, so 炸彈 and
  炸 弹 count as 炸弹);
* other scripts: words of ≥ 3 letters and word pairs.

Curation rules (applied in order; the same for the shipped starter library):
1. the feature occurs in at least ``min_docs`` documents of the code and z ≥ ``min_z``;
2. precision: of all documents containing it, at least ``min_precision`` are the code's (a
   keyword should mostly flag risky text, not merely be more frequent there);
3. a Chinese n-gram may not begin or end with a function character (的 了 是 …) and may not be
   made only of digits; a Latin word may not be an English function word;
4. word-likeness: a Chinese n-gram needs at least ``min_variety`` distinct left and right
   neighbours over the corpus (accessor variety), which removes fragments such as 展洗钱业;
5. an n-gram is dropped when a longer selected n-gram containing it occurs in at least
   ``absorb`` × as many of the code's documents (it adds nothing but false positives);
6. the ``top`` highest z-scores per code are kept.

Counting streams over the input once; memory grows with the number of distinct features.
"""

from __future__ import annotations

import csv
import functools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import ahocorasick_rs
import orjson

from gaisafe_desktop.core.detect.keywords.library import parse_risks
from gaisafe_desktop.core.detect.keywords.normalize import normalize_char
from gaisafe_desktop.core.errors import NotFoundError, UsageError, ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress

#: Characters that rarely begin or end a meaningful Chinese keyword (curation rule 2).
FUNCTION_CHARS = frozenset(
    "的了是在和与及或也都就把被吗呢吧啊呀我你他她它们这那一不有个么之其为对从而着过得地将又还"
    "很更最再并且但如果因所以可会能要让给向于以到说想请问什怎何哪些些么样做用自己人上下中来去"
)
#: English function words (curation rule 2).
FUNCTION_WORDS = frozenset(
    "the and for are but not you your with this that have has had was were will would can could should "
    "about from they them their there what when where which who whom why how all any some into out our "
    "his her its one two more most other such than then also just like get got make made been being "
    "does did doing very much many".split()
)
BENIGN_LABELS = frozenset({"", "none", "safe", "benign", "0", "无", "安全", "正常"})


@dataclass(frozen=True)
class Candidate:
    term: str
    risk: str
    z: float
    docs: int  # documents of the code containing the term
    code_docs: int  # documents labelled with the code
    other_docs: int  # other documents containing the term
    sources: tuple[str, ...] = ()


def _is_han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\U00020000" <= c <= "\U0003134f"


_char = functools.cache(normalize_char)


def _runs_and_words(text: str) -> tuple[list[str], list[str]]:
    """Normalised runs of Han characters, and normalised Latin/digit words, of one document."""
    runs: list[str] = []
    cur: list[str] = []
    words: list[str] = []
    word: list[str] = []
    for ch in text:
        n = _char(ch)
        if n and all(_is_han(c) for c in n):
            cur.append(n)
        elif cur:
            runs.append("".join(cur))
            cur = []
        if n and n.isascii() and n.isalnum():
            word.append(n)
        elif word:
            words.append("".join(word))
            word = []
    if cur:
        runs.append("".join(cur))
    if word:
        words.append("".join(word))
    return runs, words


def features(text: str, ngram: tuple[int, int] = (2, 4)) -> set[str]:
    """Candidate features of one document (see module docstring)."""
    out: set[str] = set()
    lo, hi = ngram
    runs, words = _runs_and_words(text)
    for run in runs:
        for k in range(lo, hi + 1):
            for i in range(len(run) - k + 1):
                out.add(run[i : i + k])
    ok_words = [w if len(w) >= 3 and not w.isdigit() and w not in FUNCTION_WORDS else "" for w in words]
    for w in ok_words:
        if w:
            out.add(w)
    for a, b in zip(ok_words, ok_words[1:], strict=False):
        if a and b:
            out.add(a + " " + b)
    return out


def accessor_variety(
    docs: Iterable[tuple[str, tuple[str, ...], str]], terms: set[str], cap: int = 3
) -> dict[str, tuple[int, int]]:
    """Distinct left and right neighbours (up to ``cap``) of each Han term over all documents.

    A run boundary counts as one neighbour. A fragment such as 展洗钱业 (always inside 开展洗钱业务)
    has one neighbour on each side; a word such as 洗钱 has many (Feng et al., 2004).
    """
    han = sorted(t for t in terms if t and all(_is_han(c) for c in t))
    if not han:
        return {}
    ac = ahocorasick_rs.AhoCorasick(han)
    left: dict[int, set[str]] = {}
    right: dict[int, set[str]] = {}
    for text, _, _ in docs:
        for run in _runs_and_words(text)[0]:
            for idx, a, b in ac.find_matches_as_indexes(run, overlapping=True):
                ls = left.setdefault(idx, set())
                if len(ls) < cap:
                    ls.add(run[a - 1] if a > 0 else "^")
                rs = right.setdefault(idx, set())
                if len(rs) < cap:
                    rs.add(run[b] if b < len(run) else "$")
    return {t: (len(left.get(i, ())), len(right.get(i, ()))) for i, t in enumerate(han)}


def _curated(term: str) -> bool:
    if " " in term or term.isascii():
        return not term.isdigit()
    return term[0] not in FUNCTION_CHARS and term[-1] not in FUNCTION_CHARS and not term.isdigit()


def mine_terms(
    docs: Sequence[tuple[str, tuple[str, ...], str]] | Callable[[], Iterable[tuple[str, tuple[str, ...], str]]],
    *,
    min_docs: int = 3,
    min_precision: float = 0.6,
    min_variety: int = 2,
    min_z: float = 3.29,
    top: int = 500,
    absorb: float = 0.8,
    prior_scale: float = 0.1,
    ngram: tuple[int, int] = (2, 4),
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict[str, list[Candidate]]:
    """Candidate terms per risk code from ``(text, risk codes, source)`` documents.

    ``docs`` is a sequence or a callable returning a fresh iterator (it is read twice). Documents
    with no code are the benign background. Returns, per code, candidates sorted by descending
    z-score (see module docstring for the method and curation rules).
    """

    def stream() -> Iterable[tuple[str, tuple[str, ...], str]]:
        return docs() if callable(docs) else docs

    total = Counter()  # feature -> documents
    per_code: dict[str, Counter] = {}
    code_docs: Counter = Counter()
    sources: dict[tuple[str, str], set[str]] = {}
    n_docs = 0
    for i, (text, codes, source) in enumerate(stream()):
        if i % 1000 == 0:
            cancel.raise_if_cancelled()
            progress(i, None, "")
        feats = features(text, ngram)
        n_docs += 1
        total.update(feats)
        for code in codes:
            code_docs[code] += 1
            c = per_code.setdefault(code, Counter())
            c.update(feats)
            for f in feats:
                sources.setdefault((code, f), set()).add(source)
    out: dict[str, list[Candidate]] = {}
    grand = sum(total.values())
    a0 = prior_scale * grand
    for code, counts in sorted(per_code.items()):
        n_i = sum(counts.values())
        n_j = grand - n_i  # feature-document pairs outside the code (other codes and benign)
        cands: list[Candidate] = []
        for f, y_i in counts.items():
            if y_i < min_docs or not _curated(f):
                continue
            y_j = total[f] - y_i
            a = prior_scale * total[f]
            delta = math.log((y_i + a) / (n_i + a0 - y_i - a)) - math.log((y_j + a) / (n_j + a0 - y_j - a))
            z = delta / math.sqrt(1.0 / (y_i + a) + 1.0 / (y_j + a))
            if z >= min_z and y_i / (y_i + y_j) >= min_precision:
                cands.append(
                    Candidate(f, code, round(z, 3), y_i, code_docs[code], y_j, tuple(sorted(sources[(code, f)])))
                )
        out[code] = cands
    cancel.raise_if_cancelled()
    variety = accessor_variety(stream(), {c.term for cs in out.values() for c in cs})
    for code, cands in out.items():
        cands = [c for c in cands if min(variety.get(c.term, (min_variety, min_variety))) >= min_variety]
        kept: list[Candidate] = []
        for c in sorted(cands, key=lambda c: (-len(c.term), -c.z, c.term)):
            if any(c.term in k.term and k.docs >= absorb * c.docs for k in kept):
                continue
            kept.append(c)
        kept.sort(key=lambda c: (-c.z, c.term))
        out[code] = kept[:top]
    progress(n_docs, n_docs, "")
    return out


def read_labelled(
    path: str | Path, *, text_field: str = "text", label_field: str = "risk"
) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """Stream ``(text, codes, file name)`` from a labelled CSV/TSV (header) or JSONL file.

    The label column holds risk codes separated by ``|`` (``A.1.d|A.1.h``); empty, ``none``,
    ``safe`` or ``0`` marks benign background text.

    Raises:
        NotFoundError: no such file.
        ValidationError: a missing column or a bad JSON line, naming file and line.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("File not found: {path}"), path=str(path))
    name = path.name

    def codes(value: object) -> tuple[str, ...]:
        text = "" if value is None else str(value).strip()
        return () if text.lower() in BENIGN_LABELS else parse_risks(text)

    if path.suffix.lower() in (".jsonl", ".ndjson"):
        with path.open("rb") as fh:
            for line_no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError:  # also raised for invalid UTF-8
                    raise ValidationError(
                        N_("{file}, line {line}: not valid JSON"), file=str(path), line=line_no
                    ) from None
                if text_field not in obj:
                    raise ValidationError(
                        N_("{file}, line {line}: field `{field}` missing"),
                        file=str(path),
                        line=line_no,
                        field=text_field,
                    )
                yield str(obj[text_field]), codes(obj.get(label_field)), name
        return
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","

    def decoded(fh) -> Iterator[str]:
        # Decoded line by line so that a bad byte is reported with its real line number.
        for line_no, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError(
                    N_("{file}, line {line}: not valid UTF-8; save the file as UTF-8"), file=str(path), line=line_no
                ) from None
            yield text.lstrip("\ufeff") if line_no == 1 else text

    with path.open("rb") as fh:
        reader = csv.DictReader(decoded(fh), delimiter=delimiter)
        for col in (text_field, label_field):
            if reader.fieldnames is None or col not in reader.fieldnames:
                raise ValidationError(
                    N_("{file}, line 1: column `{col}` missing; columns are {columns}"),
                    file=str(path),
                    col=col,
                    columns=", ".join(reader.fieldnames or []),
                )
        for row in reader:
            yield row[text_field] or "", codes(row[label_field]), name


def write_candidates(cands: dict[str, list[Candidate]], path: str | Path) -> int:
    """Write candidates as a library CSV (term, risk, note = provenance) ready for review and import."""
    n = 0
    try:
        fh = Path(path).open("w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise UsageError(N_("Cannot write {path}: {reason}"), path=str(path), reason=exc.strerror or str(exc)) from None
    with fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["term", "risk", "kind", "lang", "match", "note", "added"])
        for code, items in sorted(cands.items()):
            for c in items:
                note = f"suggested: z={c.z}; {c.docs}/{c.code_docs} docs of {code}; {c.other_docs} other docs; {'+'.join(c.sources)}"
                w.writerow([c.term, code, "term", "", "default", note, ""])
                n += 1
    return n
