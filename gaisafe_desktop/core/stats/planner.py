"""Sample-size planning: how many items to draw so that a good service passes with confidence."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.stats.betafn import binom_sf_ge


@dataclass(frozen=True)
class SamplePlan:
    """``n`` items; the service passes with confidence when at least ``needed`` of them qualify
    (direction ``min``) or at most ``allowed`` are counted (direction ``max``); ``power`` is the
    probability of that outcome if the true rate is ``true_rate``."""

    n: int
    threshold: float
    true_rate: float
    direction: str
    confidence: float
    power: float
    target_power: float
    needed: int | None
    allowed: int | None

    def to_dict(self) -> dict:
        return asdict(self)


def plan_sample_size(
    threshold: float,
    true_rate: float,
    *,
    direction: str = "min",
    confidence: float = 0.95,
    power: float = 0.8,
    min_n: int = 1,
    max_n: int = 200_000,
) -> SamplePlan:
    """Smallest n ≥ ``min_n`` such that, if the true rate is ``true_rate``, the exact two-sided
    ``confidence`` interval lies entirely on the passing side of ``threshold`` with probability ≥ ``power``.

    Example: threshold 0.96, true rate 0.98 → the n to draw so that a 98%-clean corpus shows a lower
    95% bound ≥ 96% four times out of five.
    """
    if not (0 < threshold < 1 and 0 < true_rate < 1 and 0 < power < 1):
        raise UsageError(N_("Threshold, true rate and power must lie strictly between 0 and 1."))
    if (direction == "min" and true_rate <= threshold) or (direction == "max" and true_rate >= threshold):
        raise UsageError(
            N_("A service whose true rate is on the failing side of the threshold cannot be planned to pass.")
        )
    # Reduce "max" to "min" on the complementary rate.
    t, p = (threshold, true_rate) if direction == "min" else (1 - threshold, 1 - true_rate)
    tail = (1 - confidence) / 2
    x = 0
    for n in range(max(1, min_n), max_n + 1):
        # Lower exact bound at x ≥ t  ⇔  P(X ≥ x | n, t) ≤ tail; the smallest such x never decreases with n.
        x = max(x, 1)
        while x <= n and binom_sf_ge(x, n, t) > tail:
            x += 1
        if x > n:
            continue
        achieved = binom_sf_ge(x, n, p)
        if achieved >= power:
            needed, allowed = (x, None) if direction == "min" else (None, n - x)
            return SamplePlan(n, threshold, true_rate, direction, confidence, achieved, power, needed, allowed)
    raise UsageError(
        N_("No sample size up to {max_n} reaches that power; the true rate is too close to the threshold."), max_n=max_n
    )
