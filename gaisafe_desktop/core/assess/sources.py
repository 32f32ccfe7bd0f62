"""Clause 5.1 a): per training-data source, the share of illegal and unhealthy items (> 5% → reject).

The share comes from human judgements where the source has any (every judged record of the
source), else from the latest technical check (B.2.1 b) over the source's sampled records. Both
are kept in the result's detail so a reader sees the other figure too.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from gaisafe_desktop.core.assess.judgements import effective_judgements
from gaisafe_desktop.core.assess.results import CheckResult, Item, latest_results, store_results
from gaisafe_desktop.core.assess.samples import datasets_of
from gaisafe_desktop.core.stats import judge_rate

ASSESSMENT = "source_rule"


def _technical(project) -> tuple[dict[str, Any], dict[str, Any] | None]:
    for r in latest_results(project):
        if r["check_id"] == "training_technical" and r["verdict"] != "not_run":
            return r["detail"].get("per_dataset", {}), r
    return {}, None


def assess_sources(project) -> tuple[str, list[CheckResult]]:
    """Judge every training-data source against the 5% rule and store one result per source."""
    fw = project.framework
    spec = fw.assessment(ASSESSMENT)
    illegal = set(fw.risk_set(spec.get("illegal_risk_set", "illegal_unhealthy")))
    limit = float(spec["max_illegal_rate"])
    tech, tech_row = _technical(project)
    by_source: dict[str, list[dict[str, Any]]] = {}
    for d in datasets_of(project, "training"):
        by_source.setdefault(d["source"] or d["name"], []).append(d)
    judged = effective_judgements(project)
    per_ds: dict[int, Counter] = {}
    flagged: dict[int, list[Item]] = {}
    for key, j in judged.items():
        if j["dataset_id"] is None:
            continue
        c = per_ds.setdefault(j["dataset_id"], Counter())
        c["n"] += 1
        bad = (not j["qualified"]) and (not j["risk_codes"] or bool(set(j["risk_codes"]) & illegal))
        if bad:
            c["illegal"] += 1
            flagged.setdefault(j["dataset_id"], []).append(
                Item(key, "illegal", {"judge": j["judge"], "reviewer": j["reviewer"], "risk_codes": j["risk_codes"]})
            )
    results = []
    for source, dss in sorted(by_source.items()):
        man_n = sum(per_ds.get(d["id"], Counter())["n"] for d in dss)
        man_k = sum(per_ds.get(d["id"], Counter())["illegal"] for d in dss)
        tech_n = sum(tech.get(d["name"], {}).get("n", 0) for d in dss)
        tech_k = sum(tech.get(d["name"], {}).get("illegal", 0) for d in dss)
        method = "manual" if man_n else ("technical" if tech_n else "none")
        n, k = (man_n, man_k) if method == "manual" else (tech_n, tech_k)
        v = judge_rate(k, n, limit, direction="max", min_n=1 if n == 0 else 0)
        items = [i for d in dss for i in flagged.get(d["id"], [])] if method == "manual" else []
        if method == "technical" and tech_row is not None:
            ds_ids = {d["id"] for d in dss}
            for row in project.conn.execute(
                "SELECT record_key, reason FROM assessment_items WHERE result_id = ? ORDER BY seq", (tech_row["id"],)
            ):
                reason = json.loads(row["reason"])
                codes = set(reason.get("codes") or [])
                if (not codes or codes & illegal) and _key_in(project, row["record_key"], ds_ids):
                    items.append(Item(row["record_key"], "illegal", reason))
        detail = {
            "source": source,
            "datasets": [d["name"] for d in dss],
            "method": method,
            "manual": {"n": man_n, "illegal": man_k},
            "technical": {"n": tech_n, "illegal": tech_k},
            "decision": "reject" if v.verdict == "fail" else ("keep" if v.verdict == "pass" else "unknown"),
        }
        inputs = {
            "datasets": [{"id": d["id"], "name": d["name"], "manifest_hash": d["manifest_hash"]} for d in dss],
            "technical_result": tech_row["id"] if tech_row else None,
            "judgements": man_n,
        }
        results.append(
            CheckResult(
                f"source_rule:{source}",
                ASSESSMENT,
                list(spec["clauses"]),
                inputs,
                verdict=v,
                detail=detail,
                items=items,
            )
        )
    return store_results(project, "assess.sources", results), results


def _key_in(project, key: str, ds_ids: set[int]) -> bool:
    from gaisafe_desktop.core.assess.judgements import _key_dataset

    return _key_dataset(project, key) in ds_ids
