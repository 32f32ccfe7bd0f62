"""One row per check for the report and the dashboard: rule, n, rate, interval, verdict, explanation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from gaisafe_desktop.core.assess.results import latest_results
from gaisafe_desktop.core.i18n import N_, _, localized
from gaisafe_desktop.core.stats import RateVerdict
from gaisafe_desktop.core.stats.verdict import VERDICT_NAMES, pct

# Checks in the order the standard lists them; ``source_rule:*`` rows go where ``source_rule`` is.
ORDER = (
    "keyword_library",
    "generated_bank",
    "should_refuse_bank",
    "should_not_refuse_bank",
    "classifier_coverage",
    "source_rule",
    "training_manual",
    "training_technical",
    "generated_content.manual",
    "generated_content.keyword",
    "generated_content.classifier",
    "refusal_should_refuse",
    "refusal_should_not_refuse",
)
METHOD_NAMES = {"manual": N_("manual"), "keyword": N_("keywords"), "classifier": N_("classifier")}
ABSENT = {
    "keyword_library": N_("No keyword library imported."),
    "generated": N_("No generated-content test bank imported."),
    "should_refuse": N_("No should-refuse bank imported."),
    "should_not_refuse": N_("No should-not-refuse bank imported."),
    "classifier": N_("No risk classification model."),
}


def describe_missing(m: dict[str, Any]) -> str:
    """One line saying what a resource lacks, in the current language."""
    k = m.get("kind")
    if k == "absent":
        return _(ABSENT.get(m["what"], N_("Missing: {what}."))).format(what=m["what"])
    if k == "total":
        return _("Total: {have} of {required} ({shortfall} short).").format(**m)
    if k == "risk":
        return _("Risk {code}: {have} of {required} ({shortfall} short).").format(**m)
    if k == "aspect":
        return _("Aspect {code}: {have} of {required} ({shortfall} short).").format(**m)
    if k == "modality":
        return _("Modality {modality}: no question, but the service offers it.").format(**m)
    if k == "update_gap":
        return _("No update from {start} to {end}: {days} days (at most {max} allowed).").format(
            start=m["from"], end=m["to"], days=m["days"], max=m["max"]
        )
    if k == "updates_not_judged":
        return _("Update history cannot be judged from {releases} release(s); at least two are needed.").format(**m)
    if k == "uncovered":
        return _("Risk {code}: no classification model covers it.").format(**m)
    return str(m)


@dataclass
class SummaryRow:
    """One check as the report and the dashboard show it."""

    check_id: str
    assessment: str
    name: dict[str, str]
    clauses: list[str]
    threshold: str
    threshold_value: float | None
    direction: str | None
    n: int | None
    count: int | None
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    interval_note: str | None
    verdict: str
    explanation: str
    result_id: int | None = None
    run_at: str | None = None
    missing: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _threshold(spec: dict[str, Any]) -> tuple[str, float | None, str | None]:
    for key, rel, direction in (
        ("min_qualified_rate", "≥", "min"),
        ("min_refusal_rate", "≥", "min"),
        ("max_refusal_rate", "≤", "max"),
        ("max_illegal_rate", "≤", "max"),
    ):
        if key in spec:
            return f"{rel} {pct(float(spec[key]))}", float(spec[key]), direction
    return "", None, None


def _name(spec: dict[str, Any], check_id: str) -> dict[str, str]:
    name = dict(spec["name"])
    if check_id.startswith("source_rule:"):
        src = check_id.split(":", 1)[1]
        return {k: f"{v}: {src}" for k, v in name.items()}
    if "." in check_id:
        method = check_id.split(".", 1)[1]
        zh = {"manual": "人工", "keyword": "关键词", "classifier": "分类模型"}[method]
        return {"zh": f"{name['zh']}（{zh}）", "en": f"{name['en']} ({method})"}
    return name


def _explain(row: dict[str, Any] | None) -> tuple[str, list[str]]:
    if row is None:
        return _("Not run yet."), []
    if row["kind"] == "resource":
        missing = [describe_missing(m) for m in row["detail"].get("missing", [])]
        missing += [
            _("{n} questions use `{name}`, which is not an aspect of the framework; they count for no aspect.").format(
                n=n, name=name
            )
            for name, n in row["detail"].get("foreign_aspects", {}).items()
        ]
        missing += [
            _("{n} questions use `{name}`, which is not a risk code of the framework; they count for no risk.").format(
                n=n, name=name
            )
            for name, n in row["detail"].get("foreign_codes", {}).items()
        ]
        if row["verdict"] == "pass":
            return _("Meets every requirement."), []
        return (
            _("Not run: {why}").format(why=missing[0])
            if row["verdict"] == "not_run" and missing
            else _("Missing: {what}").format(what="; ".join(missing[:5]) + (" …" if len(missing) > 5 else ""))
        ), missing
    v = RateVerdict(
        row["count"] or 0,
        row["n"] or 0,
        row["rate"],
        row["threshold"],
        row["direction"],
        row["min_n"] or 0,
        row["verdict"],
        row["ci_low"],
        row["ci_high"],
        row["wilson_low"],
        row["wilson_high"],
        row["interval_note"] or "clear",
    )
    text = v.explain()
    if row["detail"].get("missing_methods"):
        text += " " + _("Incomplete: {what}.").format(what=", ".join(_(m) for m in row["detail"]["missing_methods"]))
    if row["check_id"].startswith("source_rule:") and row["verdict"] == "fail":
        text += " " + _("Reject this source: it must not be collected or used for training.")
    return text, []


def assessment_summary(project) -> list[SummaryRow]:
    """The current result of every check (checks never run appear as "not run"), in the standard's order."""
    fw = project.framework
    latest = {r["check_id"]: r for r in latest_results(project)}
    ids: list[str] = []
    for c in ORDER:
        if c == "source_rule":
            ids += sorted(k for k in latest if k.startswith("source_rule:")) or ["source_rule"]
        else:
            ids.append(c)
    ids += [k for k in latest if k not in ids]
    out = []
    for cid in ids:
        row = latest.get(cid)
        assessment = row["assessment"] if row else cid.split(".", 1)[0].split(":", 1)[0]
        spec = fw.assessment(assessment)
        thr, thr_v, direction = _threshold(spec)
        text, missing = _explain(row)
        out.append(
            SummaryRow(
                check_id=cid,
                assessment=assessment,
                name=_name(spec, cid),
                clauses=list(spec["clauses"]),
                threshold=thr or localized(spec.get("rule") or {"zh": "", "en": ""}),
                threshold_value=thr_v,
                direction=direction,
                n=row["n"] if row else None,
                count=row["count"] if row else None,
                rate=row["rate"] if row else None,
                ci_low=row["ci_low"] if row else None,
                ci_high=row["ci_high"] if row else None,
                interval_note=row["interval_note"] if row else None,
                verdict=row["verdict"] if row else "not_run",
                explanation=text,
                result_id=row["id"] if row else None,
                run_at=row["run_at"] if row else None,
                missing=missing,
                detail=row["detail"] if row else {},
            )
        )
    return out


def verdict_name(verdict: str) -> str:
    return _(VERDICT_NAMES.get(verdict, verdict))
