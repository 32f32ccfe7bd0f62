"""Exact and approximate intervals for rates, verdicts against the standard's rules, sample sizes."""

from gaisafe_desktop.core.stats.intervals import clopper_pearson, wilson
from gaisafe_desktop.core.stats.planner import plan_sample_size
from gaisafe_desktop.core.stats.verdict import RateVerdict, judge_rate

__all__ = ["RateVerdict", "clopper_pearson", "judge_rate", "plan_sample_size", "wilson"]
