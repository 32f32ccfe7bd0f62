"""``gaisafe sample plan|draw|verify|show``."""

from __future__ import annotations

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _


def register(cli: click.Group) -> None:
    g = group(cli, "sample", N_("Verifiable random samples: plan (seed logged first), draw, verify, show."))

    @command(g, "plan", N_("Create a sampling plan; its seed is written to the audit log before anything is drawn."))
    @click.argument("name")
    @click.option("--dataset", "datasets", multiple=True, required=True, help=N_("Dataset id or name; repeatable."))
    @click.option("--rule", required=True, help=N_("A count (4000) or a proportion of the population (10%)."))
    @click.option("--purpose", default="", help=N_("Assessment the sample serves, e.g. training_manual."))
    @click.option("--strata", type=click.Choice(["dataset", "risk_code", "aspect"]), help=N_("Draw per stratum."))
    @click.option(
        "--where",
        "where",
        multiple=True,
        metavar="FIELD=V1,V2",
        help=N_("Only records whose field has one of these values; repeatable."),
    )
    @click.option("--nonce", help=N_("Public nonce to use as the seed (default: 256 random bits from the OS)."))
    @pass_obj
    def plan(obj, name, datasets, rule, purpose, strata, where, nonce):
        from gaisafe_desktop.core.sampling.plans import create_plan

        filt = {}
        for w in where:
            field, _sep, values = w.partition("=")
            filt[field.strip()] = [v.strip() for v in values.split(",") if v.strip()]
        p = create_plan(
            obj.open_project(),
            name,
            datasets=list(datasets),
            rule=rule,
            purpose=purpose,
            strata=strata or "",
            where=filt,
            nonce=nonce,
        )
        obj.emit(
            p.to_dict(),
            lambda d: _(
                "Plan {name}: population {n} records (hash {h}), seed {seed} ({src}) "
                "logged. Draw it with `gaisafe sample draw {name}`."
            ).format(
                name=d["name"],
                n=d["population_size"],
                h=d["population_hash"][:16],
                seed=d["seed"],
                src=d["seed_source"],
            ),
        )

    @command(g, "draw", N_("Draw the sample of a plan."))
    @click.argument("name")
    @pass_obj
    def draw(obj, name):
        from gaisafe_desktop.core.sampling.plans import draw_plan

        p = draw_plan(obj.open_project(), name, progress=obj.progress(_("Drawing")))
        obj.emit(
            p.to_dict(),
            lambda d: _("Drew {k} of {n} records for {name}; sample hash {h}.").format(
                k=d["sample_size"], n=d["population_size"], name=d["name"], h=d["sample_hash"][:16]
            ),
        )

    @command(g, "verify", N_("Re-draw a plan's sample from the same files and compare; exit 5 on any difference."))
    @click.argument("name")
    @click.option("--no-redraw", is_flag=True, help=N_("Only check hashes, do not re-read the data."))
    @pass_obj
    def verify(obj, name, no_redraw):
        from gaisafe_desktop.core.errors import IntegrityError
        from gaisafe_desktop.core.sampling.plans import verify_plan

        v = verify_plan(
            obj.open_project(read_only=True), name, redraw=not no_redraw, progress=obj.progress(_("Verifying"))
        )
        obj.emit(
            v.to_dict(),
            lambda d: (
                _("Sample {name} verified: identical when re-drawn.").format(name=d["plan"])
                if d["ok"]
                else "\n".join(
                    [_("Sample {name} does NOT verify:").format(name=d["plan"])] + [f"  {p}" for p in d["problems"]]
                )
            ),
        )
        if not v.ok:
            raise IntegrityError(N_("sample {name} does not verify: {problem}"), name=name, problem=v.problems[0])

    @command(g, "show", N_("List plans, or show one plan and its sample."))
    @click.argument("name", required=False)
    @click.option("--limit", default=20, show_default=True, help=N_("How many sampled keys to print."))
    @pass_obj
    def show(obj, name, limit):
        from gaisafe_desktop.core.sampling.plans import get_plan, list_plans, sample_keys

        project = obj.open_project(read_only=True)
        if not name:
            plans = [p.to_dict() for p in list_plans(project)]
            obj.emit(
                plans,
                lambda ps: (
                    table(
                        [
                            (
                                p["name"],
                                p["purpose"],
                                p["status"],
                                p["population_size"],
                                p["sample_size"] or "",
                                p["seed_source"],
                            )
                            for p in ps
                        ],
                        [_("Plan"), _("Purpose"), _("Status"), _("Population"), _("Sample"), _("Seed")],
                    )
                    if ps
                    else _("No sampling plans yet.")
                ),
            )
            return
        p = get_plan(project, name).to_dict()
        p["sample"] = sample_keys(project, name)
        obj.emit(
            p,
            lambda d: "\n".join(
                [
                    _("Plan {name} ({status}); rule {rule}; seed {seed}; population hash {h}.").format(
                        name=d["name"], status=d["status"], rule=d["rule"], seed=d["seed"], h=d["population_hash"]
                    )
                ]
                + [f"  {s['position']:>6}  {s['record_key']}  {s['stratum']}" for s in d["sample"][:limit]]
            ),
        )
