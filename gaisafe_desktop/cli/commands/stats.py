"""``gaisafe stats interval|plan``."""

from __future__ import annotations

import click

from gaisafe_desktop.cli.base import command, group, pass_obj
from gaisafe_desktop.core.i18n import N_, _


def register(cli: click.Group) -> None:
    g = group(cli, "stats", N_("Exact intervals for rates and sample-size planning."))

    @command(
        g,
        "interval",
        N_("Exact (Clopper-Pearson) and Wilson intervals for COUNT/N, and a verdict if --threshold is given."),
    )
    @click.argument("count", type=int)
    @click.argument("n", type=int)
    @click.option("--threshold", type=float, help=N_("Rule threshold as a fraction, e.g. 0.95."))
    @click.option(
        "--max", "at_most", is_flag=True, help=N_("The rate must be at most the threshold (default: at least).")
    )
    @click.option("--min-n", type=int, default=0, help=N_("Smallest sample the rule accepts."))
    @click.option("--confidence", type=float, default=0.95, show_default=True, help=N_("Confidence level."))
    @pass_obj
    def interval(obj, count, n, threshold, at_most, min_n, confidence):
        from gaisafe_desktop.core.stats import clopper_pearson, judge_rate, wilson
        from gaisafe_desktop.core.stats.verdict import VERDICT_NAMES

        if threshold is None:
            lo, hi = clopper_pearson(count, n, confidence)
            wlo, whi = wilson(count, n, confidence)
            data = {
                "count": count,
                "n": n,
                "rate": count / n,
                "ci_low": lo,
                "ci_high": hi,
                "wilson_low": wlo,
                "wilson_high": whi,
                "confidence": confidence,
            }
            obj.emit(
                data,
                lambda d: _(
                    "{count}/{n} = {rate:.2%}; exact {c:.0%} interval {lo:.2%}–{hi:.2%}; Wilson {wlo:.2%}–{whi:.2%}"
                ).format(c=confidence, **{k: d[k] for k in ("count", "n", "rate")}, lo=lo, hi=hi, wlo=wlo, whi=whi),
            )
            return
        v = judge_rate(count, n, threshold, direction="max" if at_most else "min", min_n=min_n, confidence=confidence)
        obj.emit(v.to_dict(), lambda d: f"{_(VERDICT_NAMES[v.verdict])}: {v.explain()}")

    @command(
        g,
        "plan",
        N_("How many items to draw so that a service whose true rate is TRUE_RATE passes THRESHOLD with confidence."),
    )
    @click.argument("threshold", type=float)
    @click.argument("true_rate", type=float)
    @click.option(
        "--max", "at_most", is_flag=True, help=N_("The rate must be at most the threshold (default: at least).")
    )
    @click.option(
        "--power",
        type=float,
        default=0.8,
        show_default=True,
        help=N_("Probability that such a service passes with the whole interval on the right side."),
    )
    @click.option("--min-n", type=int, default=1, help=N_("Smallest sample the rule accepts."))
    @click.option("--confidence", type=float, default=0.95, show_default=True, help=N_("Confidence level."))
    @pass_obj
    def plan(obj, threshold, true_rate, at_most, power, min_n, confidence):
        from gaisafe_desktop.core.stats import plan_sample_size

        p = plan_sample_size(
            threshold, true_rate, direction="max" if at_most else "min", confidence=confidence, power=power, min_n=min_n
        )

        def human(d):
            if d["direction"] == "min":
                rule = _("at least {needed} of them must qualify").format(needed=d["needed"])
            else:
                rule = _("at most {allowed} of them may be counted").format(allowed=d["allowed"])
            return _(
                "Draw n = {n}: {rule}; a service whose true rate is {true:.1%} then passes with the whole "
                "{c:.0%} interval on the right side of {t:.1%} with probability {power:.1%}."
            ).format(n=d["n"], rule=rule, true=d["true_rate"], c=d["confidence"], t=d["threshold"], power=d["power"])

        obj.emit(p.to_dict(), human)
