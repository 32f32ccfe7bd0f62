"""The sample an assessment uses: a named plan, or the plan of an earlier run, or a new plan drawn now.

Re-running an assessment reuses the drawn plan with the same purpose and population (same hash),
so running it again cannot give a different sample: the only way to get another sample is a new
plan, whose seed is logged before its draw like every other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress


def datasets_of(project, kind: str, bank_kind: str | None = None) -> list[dict[str, Any]]:
    """Complete datasets of a kind (and bank kind), oldest first."""
    sql = "SELECT * FROM datasets WHERE status = 'complete' AND kind = ?"
    args: list[Any] = [kind]
    if bank_kind:
        sql += " AND bank_kind = ?"
        args.append(bank_kind)
    return [dict(r) for r in project.conn.execute(sql + " ORDER BY id", args)]


def latest_bank(project, bank_kind: str) -> dict[str, Any] | None:
    """The current version of a bank: the dataset of this bank kind with the latest version date."""
    rows = datasets_of(project, "bank", bank_kind)
    if not rows:
        return None
    return max(rows, key=lambda d: (d["version_date"] or "", d["id"]))


def ensure_plan(
    project,
    purpose: str,
    dataset_ids: Sequence[int],
    rule: str,
    *,
    plan: str | None = None,
    nonce: str | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
):
    """The drawn plan an assessment uses (see module docstring)."""
    from gaisafe_desktop.core.sampling.plans import _population_manifest, create_plan, draw_plan, get_plan, list_plans

    if plan:
        p = get_plan(project, plan)
        return p if p.status == "drawn" else draw_plan(project, p.name, progress=progress, cancel=cancel)
    current = _population_manifest(project, list(dataset_ids), {})["hash"]
    for p in reversed(list_plans(project)):
        if p.purpose == purpose and p.population_hash == current and not p.population.get("where"):
            return p if p.status == "drawn" else draw_plan(project, p.name, progress=progress, cancel=cancel)
    taken = {p.name for p in list_plans(project)}
    i = 1
    while f"{purpose}-{i}" in taken:
        i += 1
    name = f"{purpose}-{i}"
    create_plan(project, name, datasets=list(dataset_ids), rule=rule, purpose=purpose, nonce=nonce)
    return draw_plan(project, name, progress=progress, cancel=cancel)


def plan_inputs(plan) -> dict[str, Any]:
    """What a result records about its sample: plan name, seed, rule, population and sample hashes."""
    return {
        "name": plan.name,
        "seed": plan.seed,
        "seed_source": plan.seed_source,
        "rule": plan.rule,
        "population_hash": plan.population_hash,
        "population_size": plan.population_size,
        "sample_size": plan.sample_size,
        "sample_hash": plan.sample_hash,
        "datasets": [
            {"id": d["id"], "name": d["name"], "manifest_hash": d["manifest_hash"]}
            for d in plan.population["datasets"]["datasets"]
        ],
    }


def sample_key_set(project, plan) -> dict[str, int]:
    """Sampled record key → dataset id."""
    from gaisafe_desktop.core.sampling.plans import sample_keys

    return {r["record_key"]: r["dataset_id"] for r in sample_keys(project, plan.id)}
