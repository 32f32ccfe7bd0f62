"""The clause checklist the auditor signs: one row per clause of the framework.

Each row has its applicability computed from the service profile (an auditor may override it,
with a justification that is logged), a result, observations, linked evidence files, the
assessment results that bear on it, and who set it when. Rows the auditor has not touched are
"not assessed" (or "not applicable", when the profile says so).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.store.audit import utc_now

RESULTS = {
    "conform": {"zh": "符合", "en": "Conform"},
    "partial": {"zh": "部分符合", "en": "Partially conform"},
    "nonconform": {"zh": "不符合", "en": "Nonconform"},
    "not_applicable": {"zh": "不适用", "en": "Not applicable"},
    "not_assessed": {"zh": "未评估", "en": "Not assessed"},
}
OVERRIDES = ("", "applies", "not_applicable")


@dataclass
class ChecklistRow:
    clause_id: str
    ref: str
    section: str  # top-level section id (5, 6, 7, B)
    group: str  # the clause's section id, for grouping
    obligation: str
    text: dict[str, str]
    evidence_hint: dict[str, str]
    applies_computed: bool
    reason: dict[str, str] | None
    applies_override: str
    override_reason: str
    result: str
    observations: str
    assessed_by: str
    assessed_at: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def applies(self) -> bool:
        if self.applies_override:
            return self.applies_override == "applies"
        return self.applies_computed

    @property
    def is_open(self) -> bool:
        """Still needs the auditor: applies and has no result yet."""
        return self.applies and self.result == "not_assessed"

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["applies"] = self.applies
        d["open"] = self.is_open
        return d


def _results_by_clause(project) -> dict[str, list[dict[str, Any]]]:
    """Latest stored assessment result per check, indexed by the clauses it bears on."""
    has = project.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'assessment_results'"
    ).fetchone()
    out: dict[str, list[dict[str, Any]]] = {}
    if not has:
        return out
    for r in project.conn.execute(
        "SELECT id, check_id, assessment, clauses, verdict, rate, n, run_at FROM assessment_results "
        "WHERE id IN (SELECT MAX(id) FROM assessment_results GROUP BY check_id) ORDER BY id"
    ):
        res = {k: r[k] for k in ("id", "check_id", "assessment", "verdict", "rate", "n", "run_at")}
        for c in json.loads(r["clauses"]):
            out.setdefault(c, []).append(res)
    return out


def checklist_rows(project) -> list[ChecklistRow]:
    """Every clause in standard order with applicability, result, evidence and assessment links."""
    from gaisafe_desktop.core.store.profile import get_profile

    fw = project.framework
    profile = get_profile(project)
    stored = {r["clause_id"]: r for r in project.conn.execute("SELECT * FROM checklist")}
    evidence: dict[str, list[dict[str, Any]]] = {}
    for r in project.conn.execute(
        "SELECT l.target_id, e.sha256, e.name, e.media_type, e.size FROM evidence_links l "
        "JOIN evidence e ON e.sha256 = l.sha256 WHERE l.target_type = 'clause' ORDER BY l.linked_at"
    ):
        evidence.setdefault(r["target_id"], []).append(
            {"sha256": r["sha256"], "name": r["name"], "media_type": r["media_type"], "size": r["size"]}
        )
    results = _results_by_clause(project)
    rows = []
    for c in fw.clauses:
        applies, reason = fw.applicability(c, profile)
        s = stored.get(c.id)
        links = [
            {"assessment": a, "name": fw.assessment_spec(a).name, "result": None}
            for a in c.assessments
            if any(x.id == a for x in fw.assessments)
        ]
        for res in results.get(c.id, []):
            match = next((lk for lk in links if lk["assessment"] == res["assessment"] and lk["result"] is None), None)
            if match is not None:
                match["result"] = res
            else:
                links.append({"assessment": res["assessment"], "name": None, "result": res})
        row = ChecklistRow(
            clause_id=c.id,
            ref=c.ref,
            section=fw.section_chain(c.section)[0].id,
            group=c.section,
            obligation=c.obligation,
            text=dict(c.text),
            evidence_hint=dict(c.evidence) if c.evidence else {},
            applies_computed=applies,
            reason=reason,
            applies_override=s["applies_override"] if s else "",
            override_reason=s["override_reason"] if s else "",
            result=s["result"] if s else "not_assessed",
            observations=s["observations"] if s else "",
            assessed_by=s["assessed_by"] if s else "",
            assessed_at=s["assessed_at"] if s else "",
            evidence=evidence.get(c.id, []),
            assessments=links,
        )
        if not row.applies and row.result == "not_assessed":
            row.result = "not_applicable"
        rows.append(row)
    return rows


def get_row(project, clause_id: str) -> ChecklistRow:
    project.framework.clause(clause_id)  # NotFoundError naming the clause
    return next(r for r in checklist_rows(project) if r.clause_id == clause_id)


def set_clause(
    project,
    clause_id: str,
    *,
    result: str | None = None,
    observations: str | None = None,
    applies: str | None = None,
    justification: str = "",
) -> ChecklistRow:
    """Set a clause's result, observations or applicability override in one audited transaction.

    Args:
        result: one of ``RESULTS``; ``not_applicable`` only for a clause that does not apply.
        applies: ``applies`` / ``not_applicable`` to override the computed applicability, ``''`` to
            return to it; an override needs a ``justification``.

    Raises:
        NotFoundError: no such clause.
        UsageError: unknown result, override without justification, not-applicable result on a
            clause that applies.
    """
    fw = project.framework
    fw.clause(clause_id)
    if result is not None and result not in RESULTS:
        raise UsageError(
            N_("Unknown result {result}; choose from {choices}."), result=result, choices=", ".join(RESULTS)
        )
    if applies is not None and applies not in OVERRIDES:
        raise UsageError(
            N_("Applicability override must be applies, not_applicable or empty, not {value!r}."), value=applies
        )
    current = get_row(project, clause_id)
    override = current.applies_override if applies is None else applies
    reason = current.override_reason if applies is None else justification.strip()
    if applies and not reason:
        raise UsageError(
            N_("Overriding the applicability of clause {clause} needs a justification."), clause=current.ref
        )
    if not override:
        reason = ""
    effective = (override == "applies") if override else current.applies_computed
    new_result = result if result is not None else current.result
    if not effective and new_result == "not_assessed":
        new_result = "not_applicable"
    if effective and new_result == "not_applicable":
        if result == "not_applicable":
            raise UsageError(
                N_(
                    "Clause {clause} applies to this service; to mark it not applicable, override its "
                    "applicability with a justification."
                ),
                clause=current.ref,
            )
        new_result = "not_assessed"
    values = {
        "clause_id": clause_id,
        "result": new_result,
        "observations": current.observations if observations is None else observations,
        "applies_override": override,
        "override_reason": reason,
        "assessed_by": project.actor,
        "assessed_at": utc_now(),
    }
    payload = {"clause": clause_id, "result": new_result}
    if applies is not None:
        payload.update(applies_override=override, justification=reason, computed=current.applies_computed)
    with project.transaction("checklist.set", payload) as tx:
        tx.write("checklist", values)
    return get_row(project, clause_id)


def attach_evidence(project, clause_id: str, file, *, note: str = ""):
    """Hash a file into the evidence store and link it to a clause (the same content is kept once)."""
    from gaisafe_desktop.core.store.evidence import add_evidence

    project.framework.clause(clause_id)
    return add_evidence(project, file, note=note, links=[("clause", clause_id)])


def section_progress(project, rows: list[ChecklistRow] | None = None) -> list[dict[str, Any]]:
    """Per top-level section: clauses that apply, how many have a result, and the share done."""
    rows = checklist_rows(project) if rows is None else rows
    fw = project.framework
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        sec = out.setdefault(
            r.section, {"section": r.section, "title": dict(fw.section(r.section).title), "applicable": 0, "done": 0}
        )
        if r.applies:
            sec["applicable"] += 1
            sec["done"] += int(r.result != "not_assessed")
    for sec in out.values():
        sec["percent"] = 100.0 * sec["done"] / sec["applicable"] if sec["applicable"] else 100.0
    return list(out.values())
