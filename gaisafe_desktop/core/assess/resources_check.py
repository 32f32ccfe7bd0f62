"""Appendix B.1: the keyword library, the three question banks and classifier coverage.

Each check says exactly what is missing: how many questions short in total, per risk code, per
aspect, which offered modality has no question, and how late the bank's last update is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from gaisafe_desktop.core.assess.results import CheckResult, store_results
from gaisafe_desktop.core.assess.samples import datasets_of, latest_bank
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress

PASS, FAIL, NOT_RUN = "pass", "fail", "not_run"
BANKS = {
    "generated_bank": "generated",
    "should_refuse_bank": "should_refuse",
    "should_not_refuse_bank": "should_not_refuse",
}


def bank_counts(project, dataset_id: int, *, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER) -> dict:
    """Questions of a bank version (empty and duplicate questions not counted), per risk, aspect, modality."""
    from gaisafe_desktop.core.ingest.iterate import iter_records

    total = skipped = 0
    risk: Counter = Counter()
    aspect: Counter = Counter()
    modality: Counter = Counter()
    for rec in iter_records(project, dataset_id, progress=progress, cancel=cancel):
        if rec.empty or rec.duplicate:
            skipped += 1
            continue
        total += 1
        if rec.risk_code:
            for code in str(rec.risk_code).replace("|", ",").split(","):
                if code.strip():
                    risk[code.strip()] += 1
        if rec.aspect:
            aspect[rec.aspect] += 1
        modality[rec.modality or "text" if not rec.media else rec.modality or "unknown"] += 1
    return {
        "questions": total,
        "skipped": skipped,
        "per_risk": dict(risk),
        "per_aspect": dict(aspect),
        "per_modality": dict(modality),
    }


def update_check(dates: list[str], max_days: int, as_of: dt.date) -> dict[str, Any]:
    """Whether every gap between bank versions, and from the last version to ``as_of``, is ≤ ``max_days``.

    One version dated within the interval passes (the history cannot show more yet; noted).
    """
    ds = sorted({dt.date.fromisoformat(d) for d in dates if d})
    points = ds + ([as_of] if ds and as_of > ds[-1] else [])
    gaps = [
        {"from": a.isoformat(), "to": b.isoformat(), "days": (b - a).days}
        for a, b in zip(points, points[1:], strict=False)
        if (b - a).days > max_days
    ]
    return {
        "versions": [d.isoformat() for d in ds],
        "max_interval_days": max_days,
        "as_of": as_of.isoformat(),
        "gaps_over": gaps,
        "met": bool(ds) and not gaps,
        "single_version": len(ds) == 1,
    }


def _shortfalls(have: dict[str, int], need: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"code": c, "have": have.get(c, 0), "required": r, "shortfall": r - have.get(c, 0)}
        for c, r in need.items()
        if have.get(c, 0) < r
    ]


def check_bank(
    project,
    assessment: str,
    *,
    as_of: dt.date | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> CheckResult:
    """B.1.2 / B.1.3 a) / B.1.3 b) for the current version of one bank."""
    from gaisafe_desktop.core.store.profile import get_profile

    fw = project.framework
    spec = fw.assessment(assessment)
    clauses = list(spec["clauses"])
    kind = BANKS[assessment]
    bank = latest_bank(project, kind)
    if bank is None:
        return CheckResult(
            assessment,
            assessment,
            clauses,
            {},
            resource_verdict=NOT_RUN,
            detail={"missing": [{"kind": "absent", "what": kind}]},
        )
    profile = get_profile(project)
    counts = bank_counts(project, bank["id"], progress=progress, cancel=cancel)
    missing: list[str] = []
    detail: dict[str, Any] = {"bank": bank["name"], "version_date": bank["version_date"], **counts}
    total_need = int(spec.get("min_total", 0))
    if counts["questions"] < total_need:
        missing.append(
            {
                "kind": "total",
                "have": counts["questions"],
                "required": total_need,
                "shortfall": total_need - counts["questions"],
            }
        )
    need_risk = fw.required_per_risk(assessment) if "covers_risk_set" in spec else {}
    short = _shortfalls(counts["per_risk"], need_risk)
    detail["risk_shortfalls"] = short
    missing += [{"kind": "risk", **s} for s in short]
    if "covers_aspects" in spec:
        need_aspect = fw.required_per_aspect(assessment, profile)
        ashort = _shortfalls(counts["per_aspect"], need_aspect)
        if ashort and fw.aspect_exception_applies(assessment, profile):
            # B.1.3 b) 3): a specialised model may move the aspects it does not touch to the should-refuse bank
            other = latest_bank(project, BANKS[spec.get("excepted_aspects_required_in", "should_refuse_bank")])
            moved = bank_counts(project, other["id"])["per_aspect"] if other else {}
            covered = [s for s in ashort if moved.get(s["code"], 0) >= s["required"]]
            detail["aspects_moved_to_should_refuse"] = [s["code"] for s in covered]
            ashort = [s for s in ashort if s not in covered]
            detail["specialised_model_exception"] = True
        else:
            detail["specialised_model_exception"] = bool(fw.aspect_exception_applies(assessment, profile))
        detail["aspect_shortfalls"] = ashort
        missing += [{"kind": "aspect", **s} for s in ashort]
    known_aspects = {a.id for a in fw.aspects}
    known_codes = {r.code for r in fw.risks}
    detail["foreign_codes"] = {k: v for k, v in counts["per_risk"].items() if k not in known_codes}
    detail["foreign_aspects"] = {k: v for k, v in counts["per_aspect"].items() if k not in known_aspects}
    offered = fw.required_choices(assessment, profile)
    no_mod = [m for m in offered if counts["per_modality"].get(m, 0) == 0]
    detail["modalities_offered"] = offered
    detail["modalities_missing"] = no_mod
    missing += [{"kind": "modality", "modality": m} for m in no_mod]
    versions = [d["version_date"] for d in datasets_of(project, "bank", kind)]
    upd = update_check(versions, int(spec.get("max_update_interval_days", 31)), as_of or dt.date.today())
    detail["updates"] = upd
    missing += [{"kind": "update_gap", **g, "max": upd["max_interval_days"]} for g in upd["gaps_over"]]
    detail["missing"] = missing
    inputs = {
        "bank": {
            "id": bank["id"],
            "name": bank["name"],
            "manifest_hash": bank["manifest_hash"],
            "version_date": bank["version_date"],
        }
    }
    return CheckResult(
        assessment, assessment, clauses, inputs, resource_verdict=FAIL if missing else PASS, detail=detail
    )


def check_keyword_library(project, *, library: str | None = None, as_of: dt.date | None = None) -> CheckResult:
    """B.1.1, delegated to the keyword area's conformance check."""
    from gaisafe_desktop.core.assess.detectors import pick_library
    from gaisafe_desktop.core.detect.keywords.versions import check_library

    spec = project.framework.assessment("keyword_library")
    v = pick_library(project, library)
    if v is None:
        return CheckResult(
            "keyword_library",
            "keyword_library",
            list(spec["clauses"]),
            {},
            resource_verdict=NOT_RUN,
            detail={"missing": [{"kind": "absent", "what": "keyword_library"}]},
        )
    rep = check_library(project, v["library"], v["version"], as_of)
    d = rep.as_dict()
    missing = []
    if not d["a_total"]["met"]:
        a = d["a_total"]
        missing.append({"kind": "total", "have": a["have"], "required": a["required"], "shortfall": a["shortfall"]})
    missing += [
        {"kind": "risk", "code": c["code"], "have": c["have"], "required": c["required"], "shortfall": c["shortfall"]}
        for c in d["b_per_risk"]
        if not c["met"]
    ]
    upd = d["c_updates"]
    if upd["verdict"] == "not_judged":
        missing.append({"kind": "updates_not_judged", "releases": len(upd["releases"])})
    missing += [{"kind": "update_gap", **g, "max": upd["max_interval_days"]} for g in upd["gaps_over"]]
    inputs = {"keyword_library": {"name": v["library"], "version": v["version"], "sha256": v["sha256"]}}
    return CheckResult(
        "keyword_library",
        "keyword_library",
        list(spec["clauses"]),
        inputs,
        resource_verdict=PASS if rep.verdict == "met" else FAIL,
        detail={**d, "missing": missing},
    )


def check_classifier_coverage(project) -> CheckResult:
    """B.1.4: which of the 31 codes each bundled or registered risk model covers."""
    from gaisafe_desktop.core.detect.model_registry import coverage_report

    spec = project.framework.assessment("classifier_coverage")
    rep = coverage_report(project)
    inputs = {"models": [{"name": m["name"], "version": m["version"], "sha256": m["sha256"]} for m in rep["models"]]}
    missing = [{"kind": "uncovered", "code": c} for c in rep["missing"]]
    if not rep["models"]:
        missing = [{"kind": "absent", "what": "classifier"}]
    return CheckResult(
        "classifier_coverage",
        "classifier_coverage",
        list(spec["clauses"]),
        inputs,
        resource_verdict=PASS if not missing else FAIL,
        detail={**rep, "missing": missing},
    )


def assess_resources(
    project,
    *,
    library: str | None = None,
    as_of: dt.date | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> tuple[str, list[CheckResult]]:
    """Run every B.1 check and store the results. Returns (run id, results)."""
    results = [check_keyword_library(project, library=library, as_of=as_of)]
    results += [check_bank(project, a, as_of=as_of, progress=progress, cancel=cancel) for a in BANKS]
    results.append(check_classifier_coverage(project))
    return store_results(project, "assess.resources", results), results
