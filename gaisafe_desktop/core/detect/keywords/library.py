"""Keyword library entries: terms, combination rules and allowlist entries.

A library is a list of ``Entry`` rows (the format is documented in
``docs/formats/keyword-library.md``). A term is a plain keyword (``炸弹``) or a combination rule
written with ``&`` (all of) and ``~`` (none of): ``赌博&网站~新闻`` matches a record that contains
``赌博`` and ``网站`` but not ``新闻``. An ``allow`` entry is a context exception: a keyword match
lying inside a match of an allow entry (``路口交通`` around ``口交``) is suppressed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from gaisafe_desktop.core.detect.keywords.normalize import normalize_many, normalize_with_map
from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_

KINDS = ("term", "allow")
MATCH_OPTIONS = ("default", "exact")
RISK_RE = re.compile(r"^A\.[1-5]\.[a-i]$")
_RISK_SPLIT = re.compile(r"[|;,，；\s]+")


class Expression(NamedTuple):
    """A parsed term: ``all_of`` and ``none_of`` hold *normalised* atoms.

    ``gaps_all``/``gaps_none``: per atom, the positions k where the *written* term had a separator
    between normalised characters k and k+1 (``new york``); a match may have one there even between
    two Latin letters. (NamedTuples, not dataclasses: libraries have 10⁵ entries and a frozen
    dataclass costs several µs to build.)
    """

    all_of: tuple[str, ...]
    none_of: tuple[str, ...] = ()
    gaps_all: tuple[frozenset[int], ...] = ()
    gaps_none: tuple[frozenset[int], ...] = ()

    @property
    def is_simple(self) -> bool:
        return len(self.all_of) == 1 and not self.none_of

    @property
    def canonical(self) -> str:
        """Normalised, order-independent form: duplicates of it count once."""
        if len(self.all_of) == 1 and not self.none_of:
            return self.all_of[0]
        text = "&".join(sorted(set(self.all_of)))
        if self.none_of:
            text += "".join("~" + a for a in sorted(set(self.none_of)))
        return text


class Entry(NamedTuple):
    """One row of a keyword library (``where``: "file, line N" for messages)."""

    term: str
    risks: tuple[str, ...] = ()
    kind: str = "term"
    lang: str = ""
    match: str = "default"
    note: str = ""
    added: str = ""
    where: str = ""

    def expression(self) -> Expression:
        return parse_expression(self.term, where=self.where)


def parse_risks(text: str) -> tuple[str, ...]:
    """Split ``A.1.d|A.1.h`` (or ``;``/``,``/space separated) into codes, keeping their order."""
    seen: list[str] = []
    for code in _RISK_SPLIT.split(text.strip()):
        code = code.strip()
        if code and code not in seen:
            seen.append(code)
    return tuple(seen)


def split_expression(term: str, *, where: str = "") -> tuple[list[str], list[str]]:
    """Split ``a&b~c`` into raw (not yet normalised) ``all_of`` and ``none_of`` parts."""
    if "&" not in term and "~" not in term and term.strip():
        return [term], []
    parts = re.split(r"([&~])", term.strip())
    all_of: list[str] = []
    none_of: list[str] = []
    op = "&"
    for part in parts:
        if part in ("&", "~"):
            op = part
            continue
        if not part.strip():
            raise ValidationError(
                N_("{where}: term `{term}` has an empty part around `&` or `~`"), where=where or "?", term=term
            )
        (all_of if op == "&" else none_of).append(part)
    if not all_of:
        raise ValidationError(
            N_("{where}: rule `{term}` has no required part; write it as `word~exception`"),
            where=where or "?",
            term=term,
        )
    return all_of, none_of


def parse_expressions(entries: list[Entry] | tuple[Entry, ...]) -> list[Expression]:
    """Parse and normalise the terms of many entries at once (one vectorised pass).

    Raises:
        ValidationError: a part is empty, or empty after normalisation (only spaces or
            punctuation), naming the entry's file and line.
    """
    splits = [
        ([e.term], [])
        if ("&" not in e.term and "~" not in e.term and e.term.strip())
        else split_expression(e.term, where=e.where)
        for e in entries
    ]
    flat = [p for a, n in splits for p in (*a, *n)]
    normal = iter(normalize_many(flat))
    out: list[Expression] = []
    for entry, (a, n) in zip(entries, splits, strict=True):
        if len(a) == 1 and not n:  # a plain term (the common case)
            atom = next(normal)
            if not atom:
                _empty(entry)
            out.append(Expression((atom,), (), (_gaps(a[0], atom),), ()))
            continue
        all_of = tuple(next(normal) for _ in a)
        none_of = tuple(next(normal) for _ in n)
        if not all(all_of) or not all(none_of):
            _empty(entry)
        out.append(Expression(all_of, none_of, tuple(map(_gaps, a, all_of)), tuple(map(_gaps, n, none_of))))
    return out


def _empty(entry: Entry) -> None:
    raise ValidationError(
        N_("{where}: term `{term}` is empty after normalisation (only spaces, punctuation or symbols)"),
        where=entry.where or "?",
        term=entry.term,
    )


_NO_GAPS: frozenset[int] = frozenset()


def _gaps(raw: str, norm: str) -> frozenset[int]:
    if len(raw) == len(norm) or not any(c.isascii() and c.isalnum() for c in norm):
        return _NO_GAPS  # nothing deleted, or no Latin word characters: no gap positions matter
    _, origin = normalize_with_map(raw)
    return frozenset(k for k in range(len(origin) - 1) if origin[k + 1] > origin[k] + 1)


def parse_expression(term: str, *, where: str = "") -> Expression:
    """Parse one term (see ``parse_expressions``)."""
    return parse_expressions([Entry(term, where=where)])[0]


def validate_entry(entry: Entry, expr: Expression) -> None:
    """Check kind, match option and parsed expression of one entry (errors name the file and line)."""
    where = entry.where or "?"
    if entry.kind not in KINDS:
        raise ValidationError(
            N_("{where}: kind `{value}` is not one of {allowed}"),
            where=where,
            value=entry.kind,
            allowed=", ".join(KINDS),
        )
    if entry.match not in MATCH_OPTIONS:
        raise ValidationError(
            N_("{where}: match option `{value}` is not one of {allowed}"),
            where=where,
            value=entry.match,
            allowed=", ".join(MATCH_OPTIONS),
        )
    if entry.kind == "allow" and not expr.is_simple:
        raise ValidationError(N_("{where}: an allow entry must be a plain term, not a rule"), where=where)
    if entry.kind == "term" and not entry.risks:
        raise ValidationError(N_("{where}: term `{term}` has no risk code"), where=where, term=entry.term)


_CJK = re.compile("[\u3400-\u9fff\U00020000-\U0003134f]")
_LATIN = re.compile("[A-Za-z]")


def detect_lang(term: str) -> str:
    """``zh``, ``en`` or ``mixed`` from the characters of a term."""
    has_cjk = _CJK.search(term) is not None
    has_latin = _LATIN.search(term) is not None
    if has_cjk and has_latin:
        return "mixed"
    return "zh" if has_cjk else ("en" if has_latin else "")
