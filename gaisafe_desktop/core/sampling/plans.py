"""Sampling plans: create (seed logged before the draw), draw, show, verify by re-drawing."""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from gaisafe_desktop.core.errors import IntegrityError, NotFoundError, UsageError
from gaisafe_desktop.core.hashing import digest
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.sampling.select import Picked, allocate, sample_size, select_smallest
from gaisafe_desktop.core.store.audit import utc_now
from gaisafe_desktop.core.store.project import Project

STRATA = ("", "dataset", "risk_code", "aspect")
FILTER_FIELDS = ("risk_code", "aspect", "bank_id", "modality", "model")


@dataclass(frozen=True)
class Plan:
    id: int
    name: str
    purpose: str
    population: dict[str, Any]
    population_hash: str
    population_size: int
    rule: dict[str, Any]
    strata: str
    seed: str
    seed_source: str
    status: str
    sample_size: int | None
    sample_hash: str | None
    created_by: str
    created_at: str
    drawn_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _plan(row) -> Plan:
    d = dict(row)
    d["population"] = json.loads(d["population"])
    d["rule"] = json.loads(d["rule"])
    return Plan(**d)


def parse_rule(text: str) -> dict[str, Any]:
    """``4000`` → a fixed count; ``10%`` or ``0.10`` → a proportion of the population."""
    t = text.strip()
    try:
        if t.endswith("%"):
            frac = Fraction(t[:-1]) / 100
        elif "." in t or "/" in t:
            frac = Fraction(t)
        else:
            n = int(t)
            if n <= 0:
                raise ValueError
            return {"kind": "count", "n": n}
    except (ValueError, ZeroDivisionError):
        raise UsageError(
            N_("A sample rule is a count (4000) or a proportion (10% or 0.10), not {rule!r}."), rule=text
        ) from None
    if not 0 < frac <= 1:
        raise UsageError(N_("A proportion must be above 0 and at most 100%, not {rule!r}."), rule=text)
    return {"kind": "fraction", "fraction": str(frac.limit_denominator(10**6) if frac.denominator > 10**6 else frac)}


def _population_manifest(project: Project, datasets: Sequence[int | str], where: dict[str, list[str]]) -> dict:
    from gaisafe_desktop.core.ingest.manifest import dataset_population

    pop = dataset_population(project, datasets)
    pop.pop("hash")
    body = {"datasets": pop, "where": {k: sorted(v) for k, v in sorted(where.items())}}
    return body | {"hash": digest(body)}


def _items(
    project: Project, plan_pop: dict, strata: str, progress: Progress, cancel: CancelToken, verify_hash: bool = True
) -> Iterator[tuple[str, int, str]]:
    from gaisafe_desktop.core.ingest.iterate import iter_records

    where = plan_pop.get("where") or {}
    for ds in plan_pop["datasets"]["datasets"]:
        for rec in iter_records(project, ds["id"], verify_hash=verify_hash, progress=progress, cancel=cancel):
            if where and any(str(getattr(rec, f) or "") not in vals for f, vals in where.items()):
                continue
            if strata == "dataset":
                stratum = ds["name"]
            elif strata:
                stratum = getattr(rec, strata) or ""
            else:
                stratum = ""
            yield rec.key, ds["id"], stratum


def create_plan(
    project: Project,
    name: str,
    *,
    datasets: Sequence[int | str],
    rule: str | dict,
    purpose: str = "",
    strata: str = "",
    where: dict[str, list[str]] | None = None,
    nonce: str | None = None,
) -> Plan:
    """Record a sampling plan and its seed in the audit log. Nothing is drawn yet.

    The seed is 256 bits from the operating system's CSPRNG, or the public ``nonce`` the auditor
    entered (e.g. a published lottery draw), so that nobody can choose records by trying seeds.
    """
    if not name.strip():
        raise UsageError(N_("A sampling plan needs a name."))
    if project.conn.execute("SELECT 1 FROM sampling_plans WHERE name = ?", (name,)).fetchone():
        raise UsageError(N_("A sampling plan named {name} already exists."), name=name)
    if strata not in STRATA:
        raise UsageError(N_("Strata must be one of {choices}."), choices=", ".join(s or "''" for s in STRATA))
    if not datasets:
        raise UsageError(N_("A sampling plan needs at least one dataset."))
    where = where or {}
    bad = [k for k in where if k not in FILTER_FIELDS]
    if bad:
        raise UsageError(
            N_("Cannot filter on {field}; choose from {choices}."), field=bad[0], choices=", ".join(FILTER_FIELDS)
        )
    rule_d = parse_rule(rule) if isinstance(rule, str) else rule
    pop = _population_manifest(project, datasets, where)
    if nonce is not None and not nonce.strip():
        raise UsageError(N_("A public nonce cannot be empty."))
    seed, source = (nonce.strip(), "nonce") if nonce is not None else (secrets.token_hex(32), "csprng")
    size = pop["datasets"]["records"]
    with project.transaction(
        "sample.plan",
        {"name": name, "seed": seed, "seed_source": source, "population_hash": pop["hash"], "rule": rule_d},
    ) as tx:
        row = tx.write(
            "sampling_plans",
            {
                "name": name,
                "purpose": purpose,
                "population": json.dumps({k: v for k, v in pop.items() if k != "hash"}),
                "population_hash": pop["hash"],
                "population_size": size,
                "rule": json.dumps(rule_d),
                "strata": strata,
                "seed": seed,
                "seed_source": source,
                "status": "planned",
                "sample_size": None,
                "sample_hash": None,
                "created_by": project.actor,
                "created_at": utc_now(),
                "drawn_at": None,
            },
        )
    return _plan(row)


def _quotas(project: Project, plan: Plan, progress: Progress, cancel: CancelToken, verify_hash: bool) -> dict[str, int]:
    if not plan.strata and not plan.population.get("where"):
        return {"": sample_size(plan.rule, plan.population_size)}
    sizes = Counter(s for _k, _d, s in _items(project, plan.population, plan.strata, progress, cancel, verify_hash))
    if plan.strata:
        return allocate(plan.rule, dict(sizes))
    return {"": sample_size(plan.rule, sum(sizes.values()))}


def _draw(
    project: Project, plan: Plan, progress: Progress, cancel: CancelToken, verify_hash: bool = True
) -> list[Picked]:
    quotas = _quotas(project, plan, progress, cancel, verify_hash)
    items = _items(project, plan.population, plan.strata, progress, cancel, verify_hash)
    return select_smallest(plan.seed, items, quotas)


def sample_digest(picked: Sequence[Picked] | Sequence[str]) -> str:
    keys = [p.key if isinstance(p, Picked) else p for p in picked]
    return digest(keys)


def draw_plan(project: Project, name: str, *, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER) -> Plan:
    """Draw the sample of a planned sampling plan (one streaming pass per population pass)."""
    plan = get_plan(project, name)
    if plan.status == "drawn":
        raise UsageError(
            N_("Plan {name} was already drawn; a plan is drawn once. Create a new plan to draw again."), name=name
        )
    current = _population_manifest(
        project, [d["id"] for d in plan.population["datasets"]["datasets"]], plan.population.get("where") or {}
    )
    if current["hash"] != plan.population_hash:
        raise IntegrityError(
            N_("The population of plan {name} changed since it was planned; create a new plan."), name=name
        )
    picked = _draw(project, plan, progress, cancel)
    shash = sample_digest(picked)
    with project.transaction("sample.draw", {"name": name, "size": len(picked), "sample_hash": shash}) as tx:
        tx.executemany(
            "INSERT INTO samples(plan_id, position, record_key, dataset_id, stratum, score) VALUES (?, ?, ?, ?, ?, ?)",
            [(plan.id, i, p.key, p.dataset_id, p.stratum, p.score.hex()) for i, p in enumerate(picked)],
        )
        row = tx.write(
            "sampling_plans",
            {
                **_row_of(plan),
                "status": "drawn",
                "sample_size": len(picked),
                "sample_hash": shash,
                "drawn_at": utc_now(),
            },
        )
    return _plan(row)


def _row_of(plan: Plan) -> dict[str, Any]:
    d = plan.to_dict()
    d["population"] = json.dumps(d["population"])
    d["rule"] = json.dumps(d["rule"])
    return d


def get_plan(project: Project, name: str | int) -> Plan:
    row = project.conn.execute("SELECT * FROM sampling_plans WHERE name = ? OR id = ?", (str(name), name)).fetchone()
    if row is None:
        raise NotFoundError(N_("No sampling plan {name}; see `gaisafe sample show`."), name=name)
    return _plan(row)


def list_plans(project: Project) -> list[Plan]:
    return [_plan(r) for r in project.conn.execute("SELECT * FROM sampling_plans ORDER BY id")]


def sample_keys(project: Project, name: str | int) -> list[dict[str, Any]]:
    """The drawn sample in selection order: position, key, dataset id, stratum, score."""
    plan = get_plan(project, name)
    return [
        dict(r)
        for r in project.conn.execute(
            "SELECT position, record_key, dataset_id, stratum, score FROM samples WHERE plan_id = ? ORDER BY position",
            (plan.id,),
        )
    ]


def _check_source_files(project: Project, plan: Plan) -> list[str]:
    """Re-hash the population's files where they are still on disk (full imports read from the project)."""
    from pathlib import Path

    from gaisafe_desktop.core.hashing import sha256_file
    from gaisafe_desktop.core.i18n import _
    from gaisafe_desktop.core.ingest.manifest import dataset_files

    out = []
    for ds in plan.population["datasets"]["datasets"]:
        if ds["kind"] == "media":
            continue
        for f in dataset_files(project, ds["id"]):
            path = Path(f["path"])
            if path.is_file() and sha256_file(path) != f["sha256"]:
                out.append(_("{path} differs from the file that was imported (SHA-256 changed).").format(path=path))
    return out


@dataclass
class PlanVerification:
    plan: str
    ok: bool
    population_ok: bool
    stored_sample_ok: bool
    redraw_ok: bool | None
    problems: list[str]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def verify_plan(
    project: Project,
    name: str | int,
    *,
    redraw: bool = True,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> PlanVerification:
    """Check that the population still hashes the same, that the stored sample matches its hash, and
    (with ``redraw``) that drawing again from the files with the logged seed gives the identical sample."""
    from gaisafe_desktop.core.i18n import _

    plan = get_plan(project, name)
    problems: list[str] = []
    try:
        current = _population_manifest(
            project, [d["id"] for d in plan.population["datasets"]["datasets"]], plan.population.get("where") or {}
        )
        population_ok = current["hash"] == plan.population_hash
    except (NotFoundError, UsageError) as exc:
        population_ok, current = False, None
        problems.append(exc.message())
    if not population_ok and current is not None:
        problems.append(
            _("Population hash differs: planned {a}, now {b}.").format(
                a=plan.population_hash[:16], b=current["hash"][:16]
            )
        )
    problems.extend(_check_source_files(project, plan))
    population_ok = population_ok and not problems
    stored = [r["record_key"] for r in sample_keys(project, plan.id)]
    stored_ok = plan.status == "drawn" and sample_digest(stored) == plan.sample_hash
    if plan.status != "drawn":
        problems.append(_("Plan {name} has not been drawn yet.").format(name=plan.name))
    elif not stored_ok:
        problems.append(
            _("The stored sample of {name} does not match its logged hash (edited?).").format(name=plan.name)
        )
    redraw_ok = None
    if redraw and plan.status == "drawn":
        try:
            again = [p.key for p in _draw(project, plan, progress, cancel)]
            redraw_ok = sample_digest(again) == plan.sample_hash
            if not redraw_ok:
                diff = len(set(again) ^ set(stored))
                problems.append(
                    _("Re-drawing from the files gives a different sample ({n} keys differ).").format(n=diff)
                )
        except IntegrityError as exc:
            redraw_ok = False
            problems.append(exc.message())
    ok = population_ok and stored_ok and redraw_ok is not False
    return PlanVerification(plan.name, ok, population_ok, stored_ok, redraw_ok, problems)
