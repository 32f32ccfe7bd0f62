"""Stored assessment results: one audited row per check and run, failing items in bulk with a digest."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gaisafe_desktop.core.hashing import canonical_json, digest, sha256_text
from gaisafe_desktop.core.stats import RateVerdict
from gaisafe_desktop.core.store.audit import utc_now


@dataclass
class Item:
    """One item of a result listed for a reader: a failing, disputed or unjudged record and why."""

    record_key: str
    outcome: str
    reason: dict[str, Any]


@dataclass
class CheckResult:
    """What one check found, before it is stored.

    ``verdict`` holds the rate verdict for sample checks; resource checks set ``resource_verdict``
    (pass / fail / not_run) and leave the rate fields empty.
    """

    check_id: str
    assessment: str
    clauses: list[str]
    inputs: dict[str, Any]
    verdict: RateVerdict | None = None
    resource_verdict: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return self.verdict.verdict if self.verdict is not None else (self.resource_verdict or "not_run")


def items_digest(items: Sequence[Item]) -> str:
    """SHA-256 over the canonical JSON lines of the items, in order (what ``items_sha256`` is)."""
    return sha256_text("\n".join(canonical_json([i.record_key, i.outcome, i.reason]) for i in items))


def store_results(project, action: str, results: Iterable[CheckResult], payload: dict[str, Any] | None = None) -> str:
    """Store the results of one run in one audited transaction; returns the run id."""
    run_id = uuid.uuid4().hex
    results = list(results)
    now = utc_now()
    summary = {r.check_id: r.outcome for r in results}
    with project.transaction(action, {"run_id": run_id, "verdicts": summary, **(payload or {})}) as tx:
        for r in results:
            v = r.verdict
            row = tx.write(
                "assessment_results",
                {
                    "run_id": run_id,
                    "check_id": r.check_id,
                    "assessment": r.assessment,
                    "clauses": json.dumps(r.clauses),
                    "kind": "rate" if v is not None else "resource",
                    "inputs": canonical_json(r.inputs),
                    "inputs_sha256": digest(r.inputs),
                    "n": v.n if v else None,
                    "count": v.count if v else None,
                    "rate": v.rate if v else None,
                    "threshold": v.threshold if v else None,
                    "direction": v.direction if v else None,
                    "min_n": v.min_n if v else None,
                    "ci_low": v.ci_low if v else None,
                    "ci_high": v.ci_high if v else None,
                    "wilson_low": v.wilson_low if v else None,
                    "wilson_high": v.wilson_high if v else None,
                    "interval_note": v.interval_note if v else None,
                    "verdict": r.outcome,
                    "detail": canonical_json(r.detail),
                    "items": len(r.items),
                    "items_sha256": items_digest(r.items),
                    "run_by": project.actor,
                    "run_at": now,
                },
            )
            tx.executemany(
                "INSERT INTO assessment_items(result_id, seq, record_key, outcome, reason) VALUES (?, ?, ?, ?, ?)",
                ((row["id"], i, it.record_key, it.outcome, canonical_json(it.reason)) for i, it in enumerate(r.items)),
            )
    return run_id


def _decode(row) -> dict[str, Any]:
    d = dict(row)
    d["clauses"] = json.loads(d["clauses"])
    d["inputs"] = json.loads(d["inputs"])
    d["detail"] = json.loads(d["detail"])
    return d


def latest_results(project) -> list[dict[str, Any]]:
    """The current result of every check (the latest row per ``check_id``), in storage order."""
    rows = project.conn.execute(
        "SELECT * FROM assessment_results WHERE id IN (SELECT MAX(id) FROM assessment_results GROUP BY check_id) "
        "ORDER BY id"
    ).fetchall()
    return [_decode(r) for r in rows]


def run_results(project, run_id: str) -> list[dict[str, Any]]:
    return [
        _decode(r)
        for r in project.conn.execute("SELECT * FROM assessment_results WHERE run_id = ? ORDER BY id", (run_id,))
    ]


def result_items(project, result_id: int) -> list[Item]:
    return [
        Item(r["record_key"], r["outcome"], json.loads(r["reason"]))
        for r in project.conn.execute(
            "SELECT record_key, outcome, reason FROM assessment_items WHERE result_id = ? ORDER BY seq", (result_id,)
        )
    ]


def verify_result_items(project, result_id: int) -> bool:
    """Whether the stored items of a result still hash to the digest in its audited row."""
    row = project.conn.execute("SELECT items_sha256 FROM assessment_results WHERE id = ?", (result_id,)).fetchone()
    return row is not None and items_digest(result_items(project, result_id)) == row["items_sha256"]


def verify_results(project) -> list[dict[str, Any]]:
    """Check every current result: its items still hash to the audited digest, and the sampling plan
    it names still has the same seed and sample hash. One dict per result with ``ok`` and ``problems``."""
    from gaisafe_desktop.core.i18n import _

    out = []
    for row in latest_results(project):
        problems = []
        if not verify_result_items(project, row["id"]):
            problems.append(_("Its listed items differ from the digest stored with the result."))
        plan = row["inputs"].get("plan")
        if plan:
            cur = project.conn.execute(
                "SELECT seed, sample_hash FROM sampling_plans WHERE name = ?", (plan["name"],)
            ).fetchone()
            if cur is None or (cur["seed"], cur["sample_hash"]) != (plan["seed"], plan["sample_hash"]):
                problems.append(
                    _("Its sampling plan {name} is missing or has another seed or sample.").format(name=plan["name"])
                )
        out.append({"check_id": row["check_id"], "result_id": row["id"], "ok": not problems, "problems": problems})
    return out
