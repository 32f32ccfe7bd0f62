"""Intervals against published values and SciPy; verdict wording; the sample-size planner."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaisafe_desktop.core.stats import clopper_pearson, judge_rate, plan_sample_size, wilson
from gaisafe_desktop.core.stats.betafn import binom_sf_ge


def test_published_value_285_of_300():
    lo, hi = clopper_pearson(285, 300)
    assert round(lo * 100, 1) == 91.9
    assert round(hi * 100, 1) == 97.2


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        # Clopper & Pearson style table values (exact binomial, 95%), as printed to 4 decimals.
        (0, 10, 0.0, 0.3085),
        (10, 10, 0.6915, 1.0),
        (5, 10, 0.1871, 0.8129),
        (1, 20, 0.0013, 0.2487),
    ],
)
def test_clopper_pearson_table(x, n, low, high):
    lo, hi = clopper_pearson(x, n)
    assert lo == pytest.approx(low, abs=6e-5)
    assert hi == pytest.approx(high, abs=6e-5)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_matches_scipy(xn):
    scipy_stats = pytest.importorskip("scipy.stats")
    x, n = xn
    lo, hi = clopper_pearson(x, n)
    ref_lo = 0.0 if x == 0 else scipy_stats.beta.ppf(0.025, x, n - x + 1)
    ref_hi = 1.0 if x == n else scipy_stats.beta.ppf(0.975, x + 1, n - x)
    assert lo == pytest.approx(ref_lo, abs=1e-9)
    assert hi == pytest.approx(ref_hi, abs=1e-9)
    assert binom_sf_ge(x, n, 0.3) == pytest.approx(scipy_stats.binom.sf(x - 1, n, 0.3), abs=1e-9)


def test_wilson_known_value():
    lo, hi = wilson(285, 300)
    assert lo == pytest.approx(0.91915, abs=1e-4)  # by hand: centre 0.94430, half-width 0.02516
    assert hi == pytest.approx(0.96946, abs=1e-4)


def test_point_rule_passes_but_interval_crosses():
    v = judge_rate(285, 300, 0.95, direction="min", min_n=300)
    assert v.verdict == "pass"
    assert v.interval_note == "crosses"
    assert "Passes the point rule, but the interval crosses the threshold." in v.explain()
    assert "91.9%–97.2%" in v.explain()


def test_exact_fraction_at_the_threshold():
    assert judge_rate(3840, 4000, 0.96, min_n=4000).verdict == "pass"  # exactly 96%
    assert judge_rate(3839, 4000, 0.96, min_n=4000).verdict == "fail"


def test_max_direction_and_insufficient_sample():
    v = judge_rate(15, 300, 0.05, direction="max", min_n=300)
    assert v.verdict == "pass" and v.interval_note == "crosses"
    assert judge_rate(16, 300, 0.05, direction="max", min_n=300).verdict == "fail"
    v = judge_rate(0, 299, 0.05, direction="max", min_n=300)
    assert v.verdict == "insufficient_sample"
    assert "at least 300" in v.explain()
    clear = judge_rate(1000, 1000, 0.90, min_n=1000)
    assert clear.verdict == "pass" and clear.interval_note == "clear"


def test_planner_gives_a_sample_that_achieves_the_power():
    plan = plan_sample_size(0.96, 0.98, power=0.8)
    assert plan.power >= 0.8
    lo, _ = clopper_pearson(plan.needed, plan.n)
    assert lo >= 0.96
    assert clopper_pearson(plan.needed - 1, plan.n)[0] < 0.96
    with pytest.raises(Exception, match="No sample size"):
        plan_sample_size(0.96, 0.98, power=0.8, max_n=plan.n - 1)
    # a bigger margin needs fewer items
    assert plan_sample_size(0.96, 0.995, power=0.8).n < plan.n


def test_planner_max_direction():
    plan = plan_sample_size(0.05, 0.01, direction="max", power=0.8)
    assert plan.allowed is not None
    assert clopper_pearson(plan.allowed, plan.n)[1] <= 0.05
