"""B.1.1 conformance of a keyword library: size, coverage per risk, weekly updates.

Counting rules (``docs/formats/keyword-library.md``): terms and ``&``/``~`` rules are counted by
their *normalised canonical form*, so ``炸弹``, ``炸彈`` and ``炸 弹`` are one term; a term listed
under two risks counts once in the total and once for each risk; allow entries never count.
Risk codes the framework does not know are listed with the rows that use them.

Thresholds come from the framework pack (``fw.assessment("keyword_library")``):
``min_total``, ``min_per_risk`` (per group, e.g. A.1: 200, A.2: 100, via
``fw.required_per_risk``) and ``max_update_interval_days``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gaisafe_desktop.core.detect.keywords.library import Entry, Expression, parse_expressions

MET, NOT_MET, NOT_JUDGED = "met", "not_met", "not_judged"


@dataclass(frozen=True)
class LibraryCounts:
    entries: int
    distinct_terms: int
    allow_entries: int
    rules: int
    duplicates: int  # term rows whose normalised form an earlier row already had
    per_risk: dict[str, int]
    unknown: list[tuple[str, str, str]] = field(default_factory=list)  # where, term, code


def count_library(entries: Sequence[Entry], known_codes: set[str] | None = None) -> LibraryCounts:
    """Distinct normalised terms, in total and per risk code (see module docstring)."""
    exprs = parse_expressions(list(entries))
    return count_parsed(entries, exprs, known_codes)


def count_parsed(
    entries: Sequence[Entry], exprs: Sequence[Expression], known_codes: set[str] | None = None
) -> LibraryCounts:
    seen: set[str] = set()
    per_risk: dict[str, set[str]] = {}
    unknown: list[tuple[str, str, str]] = []
    allow = rules = dups = 0
    for e, x in zip(entries, exprs, strict=True):
        if e.kind == "allow":
            allow += 1
            continue
        key = x.canonical
        if key in seen:
            dups += 1
        seen.add(key)
        if not x.is_simple:
            rules += 1
        for code in e.risks:
            per_risk.setdefault(code, set()).add(key)
            if known_codes is not None and code not in known_codes:
                unknown.append((e.where, e.term, code))
    return LibraryCounts(
        entries=len(entries),
        distinct_terms=len(seen),
        allow_entries=allow,
        rules=rules,
        duplicates=dups,
        per_risk={k: len(v) for k, v in sorted(per_risk.items())},
        unknown=unknown,
    )


@dataclass(frozen=True)
class RiskCoverage:
    code: str
    required: int
    have: int

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.have)

    @property
    def met(self) -> bool:
        return self.have >= self.required


@dataclass(frozen=True)
class UpdateCheck:
    verdict: str
    releases: list[str]
    max_interval_days: int
    gaps_over: list[tuple[str, str, int]]  # from, to, days (to may be the as-of date)
    as_of: str


@dataclass(frozen=True)
class B11Report:
    """The B.1.1 verdict: a) total, b) per risk, c) weekly updates, with what is missing."""

    counts: LibraryCounts
    min_total: int
    coverage: list[RiskCoverage]
    other_codes: dict[str, int]
    update: UpdateCheck

    @property
    def total_met(self) -> bool:
        return self.counts.distinct_terms >= self.min_total

    @property
    def total_shortfall(self) -> int:
        return max(0, self.min_total - self.counts.distinct_terms)

    @property
    def coverage_met(self) -> bool:
        return all(c.met for c in self.coverage)

    @property
    def verdict(self) -> str:
        if self.total_met and self.coverage_met and self.update.verdict == MET:
            return MET
        return NOT_MET

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "a_total": {
                "have": self.counts.distinct_terms,
                "required": self.min_total,
                "shortfall": self.total_shortfall,
                "met": self.total_met,
                "entries": self.counts.entries,
                "duplicates": self.counts.duplicates,
                "rules": self.counts.rules,
                "allow_entries": self.counts.allow_entries,
            },
            "b_per_risk": [
                {"code": c.code, "have": c.have, "required": c.required, "shortfall": c.shortfall, "met": c.met}
                for c in self.coverage
            ],
            "b_met": self.coverage_met,
            "other_codes": self.other_codes,
            "unknown_codes": [{"where": w, "term": t, "code": c} for w, t, c in self.counts.unknown],
            "c_updates": {
                "verdict": self.update.verdict,
                "releases": self.update.releases,
                "max_interval_days": self.update.max_interval_days,
                "gaps_over": [{"from": a, "to": b, "days": d} for a, b, d in self.update.gaps_over],
                "as_of": self.update.as_of,
            },
        }


def check_updates(releases: Sequence[str], max_interval_days: int, as_of: dt.date) -> UpdateCheck:
    """Judge "updated at least every N days" from release dates up to ``as_of``.

    Every gap between consecutive releases, and from the last release to ``as_of``, must be at most
    ``max_interval_days``. With fewer than two releases the history cannot show regular updates:
    ``not_judged`` (which fails the overall verdict).
    """
    dates = sorted({dt.date.fromisoformat(r) for r in releases})
    names = [d.isoformat() for d in dates]
    if len(dates) < 2:
        return UpdateCheck(NOT_JUDGED, names, max_interval_days, [], as_of.isoformat())
    points = dates + ([as_of] if as_of > dates[-1] else [])
    gaps = [
        (a.isoformat(), b.isoformat(), (b - a).days)
        for a, b in zip(points, points[1:], strict=False)
        if (b - a).days > max_interval_days
    ]
    return UpdateCheck(NOT_MET if gaps else MET, names, max_interval_days, gaps, as_of.isoformat())


def check_b11(
    entries: Sequence[Entry],
    *,
    params: dict[str, Any],
    required_per_risk: dict[str, int],
    known_codes: set[str],
    releases: Sequence[str] = (),
    as_of: dt.date | None = None,
) -> B11Report:
    """The B.1.1 report for one library version.

    Args:
        entries: the library.
        params: the framework's ``keyword_library`` assessment (``min_total``,
            ``max_update_interval_days``).
        required_per_risk: minimum per risk code (``fw.required_per_risk("keyword_library")``).
        known_codes: every risk code of the framework (others are reported as unknown).
        releases: release dates (YYYY-MM-DD) of every version of the library so far.
        as_of: the date the update history is judged at (default: today).
    """
    counts = count_library(entries, known_codes)
    coverage = [RiskCoverage(code, need, counts.per_risk.get(code, 0)) for code, need in required_per_risk.items()]
    other = {k: v for k, v in counts.per_risk.items() if k not in required_per_risk and k in known_codes}
    update = check_updates(releases, int(params.get("max_update_interval_days", 7)), as_of or dt.date.today())
    return B11Report(counts, int(params.get("min_total", 0)), coverage, other, update)


def check_b11_with_framework(
    entries: Sequence[Entry], fw: Any, releases: Sequence[str] = (), as_of: dt.date | None = None
) -> B11Report:
    """``check_b11`` with thresholds and risk codes from a framework pack."""
    return check_b11(
        entries,
        params=fw.assessment("keyword_library"),
        required_per_risk=fw.required_per_risk("keyword_library"),
        known_codes={r.code for r in fw.risks},
        releases=releases,
        as_of=as_of,
    )
