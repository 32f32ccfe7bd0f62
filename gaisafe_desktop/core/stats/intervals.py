"""Confidence intervals for a proportion x/n."""

from __future__ import annotations

import math

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.stats.betafn import beta_ppf

_Z = {0.90: 1.6448536269514722, 0.95: 1.959963984540054, 0.99: 2.5758293035489004}


def _check(x: int, n: int) -> None:
    if n <= 0 or x < 0 or x > n:
        raise UsageError(N_("A rate needs 0 <= count <= n and n > 0 (got {x}/{n})."), x=x, n=n)


def clopper_pearson(x: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) two-sided interval: never narrower than the truth requires."""
    _check(x, n)
    alpha = 1.0 - confidence
    lower = 0.0 if x == 0 else beta_ppf(alpha / 2, x, n - x + 1)
    upper = 1.0 if x == n else beta_ppf(1 - alpha / 2, x + 1, n - x)
    return lower, upper


def wilson(x: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval (approximate, better centred than the normal interval)."""
    _check(x, n)
    z = _Z.get(round(confidence, 2))
    if z is None:
        raise UsageError(N_("Wilson intervals are available at 90%, 95% or 99% confidence."))
    p = x / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
