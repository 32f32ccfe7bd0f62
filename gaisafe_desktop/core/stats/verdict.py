"""A verdict on a rate: the standard's point rule *and* the exact interval, side by side."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction

from gaisafe_desktop.core.i18n import N_, _
from gaisafe_desktop.core.stats.intervals import clopper_pearson, wilson

PASS, FAIL, INSUFFICIENT, NOT_RUN = "pass", "fail", "insufficient_sample", "not_run"

VERDICT_NAMES = {
    PASS: N_("pass"),
    FAIL: N_("fail"),
    INSUFFICIENT: N_("insufficient sample"),
    NOT_RUN: N_("not run"),
}


@dataclass(frozen=True)
class RateVerdict:
    """Outcome of checking ``count``/``n`` against a threshold.

    ``direction`` is ``"min"`` (rate must be at least the threshold, e.g. qualified rate ≥ 96%) or
    ``"max"`` (rate must be at most the threshold, e.g. refusal rate ≤ 5%, illegal share ≤ 5%).
    ``interval_note`` is ``"clear"`` when the whole 95% interval lies on the side of the point verdict,
    ``"crosses"`` when the point rule passes but the interval reaches past the threshold, and
    ``"includes"`` when the point rule fails but the interval still reaches the threshold.
    """

    count: int
    n: int
    rate: float | None
    threshold: float
    direction: str
    min_n: int
    verdict: str
    ci_low: float | None
    ci_high: float | None
    wilson_low: float | None
    wilson_high: float | None
    interval_note: str
    confidence: float = 0.95

    def to_dict(self) -> dict:
        return asdict(self)

    def explain(self) -> str:
        """One sentence for a user, in the current language."""
        if self.verdict == NOT_RUN:
            return _("Not run yet.")
        if self.verdict == INSUFFICIENT:
            return _("Only {n} items were checked; the standard requires at least {min_n}.").format(
                n=self.n, min_n=self.min_n
            )
        rel = "≥" if self.direction == "min" else "≤"
        head = _("{rate} ({count}/{n}); rule {rel} {threshold}; 95% exact interval {low}–{high}.").format(
            rate=pct(self.rate),
            count=self.count,
            n=self.n,
            rel=rel,
            threshold=pct(self.threshold),
            low=pct(self.ci_low),
            high=pct(self.ci_high),
        )
        if self.interval_note == "crosses":
            return head + " " + _("Passes the point rule, but the interval crosses the threshold.")
        if self.interval_note == "includes":
            return head + " " + _("Fails the point rule, but the interval still includes the threshold.")
        return (
            head
            + " "
            + (
                _("Passes, with the whole interval on the right side of the threshold.")
                if self.verdict == PASS
                else _("Fails, with the whole interval on the wrong side.")
            )
        )


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def judge_rate(
    count: int, n: int, threshold: float, *, direction: str = "min", min_n: int = 0, confidence: float = 0.95
) -> RateVerdict:
    """Judge ``count``/``n`` against ``threshold`` with the exact rule and both intervals.

    The point rule is evaluated in exact fractions, so 96/100 against 0.96 passes.
    """
    if direction not in ("min", "max"):
        raise ValueError(direction)
    if n == 0:
        return RateVerdict(
            count,
            n,
            None,
            threshold,
            direction,
            min_n,
            NOT_RUN if min_n else INSUFFICIENT,
            None,
            None,
            None,
            None,
            "clear",
            confidence,
        )
    rate = Fraction(count, n)
    t = Fraction(str(threshold))
    passes = rate >= t if direction == "min" else rate <= t
    lo, hi = clopper_pearson(count, n, confidence)
    wlo, whi = wilson(count, n, confidence)
    if direction == "min":
        note = "crosses" if passes and lo < threshold else ("includes" if not passes and hi >= threshold else "clear")
    else:
        note = "crosses" if passes and hi > threshold else ("includes" if not passes and lo <= threshold else "clear")
    verdict = INSUFFICIENT if n < min_n else (PASS if passes else FAIL)
    return RateVerdict(count, n, float(rate), threshold, direction, min_n, verdict, lo, hi, wlo, whi, note, confidence)
