"""Plain-data (JSON-ready) views of framework packs, for the CLI, reports and exports.

Bilingual values stay ``{"zh": ..., "en": ...}``; callers pick a language with ``localized()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gaisafe_desktop.core.errors import NotFoundError
from gaisafe_desktop.core.frameworks.loader import list_frameworks, load_framework, resolve_pack, validate_pack
from gaisafe_desktop.core.frameworks.model import Framework
from gaisafe_desktop.core.i18n import N_

PARTS = ("risks", "aspects", "clauses", "assessments", "profile")


def framework_listing() -> list[dict[str, Any]]:
    """Every installed pack: id, version, title, status, source date, published-as, hash, error."""
    return [
        {
            "id": i.id,
            "version": i.version,
            "title": i.title,
            "status": i.status,
            "source_date": i.source_date,
            "published_as": i.published_as,
            "pack_hash": i.pack_hash,
            "path": str(i.path),
            "error": i.error,
        }
        for i in list_frameworks()
    ]


def framework_summary(ref: str | Path, parts: tuple[str, ...] = ()) -> dict[str, Any]:
    """Header and counts of a pack, plus the full lists named in ``parts`` (see :data:`PARTS`)."""
    fw = load_framework(ref)
    data: dict[str, Any] = {
        "id": fw.id,
        "version": fw.version,
        "title": fw.title,
        "source": fw.source,
        "pack_hash": fw.pack_hash,
        "path": str(fw.path),
        "counts": {
            "risks": len(fw.risks),
            "risks_per_group": {g.id: sum(1 for r in fw.risks if r.group == g.id) for g in fw.groups},
            "aspects": len(fw.aspects),
            "profile_fields": len(fw.profile_fields),
            "sections": len(fw.sections),
            "clauses": len(fw.clauses),
            "clauses_shall": sum(1 for c in fw.clauses if c.obligation == "shall"),
            "clauses_should": sum(1 for c in fw.clauses if c.obligation == "should"),
            "clauses_conditional": sum(1 for c in fw.clauses if c.applies_if is not None),
            "assessments": len(fw.assessments),
        },
        "risk_sets": {k: list(v.codes) for k, v in fw.risk_sets.items()},
    }
    for part in parts:
        if part not in PARTS:
            raise NotFoundError(N_("Unknown part `{name}`; choose from {known}."), name=part, known=", ".join(PARTS))
        data[part] = _PART[part](fw)
    return data


def _risks(fw: Framework) -> list[dict]:
    groups = {g.id: g.name for g in fw.groups}
    return [{"code": r.code, "group": r.group, "group_name": groups[r.group], "name": r.name} for r in fw.risks]


def _aspects(fw: Framework) -> list[dict]:
    return [{"id": a.id, "name": a.name} for a in fw.aspects]


def _clauses(fw: Framework) -> list[dict]:
    return [
        {
            "id": c.id,
            "ref": c.ref,
            "section": c.section,
            "obligation": c.obligation,
            "text": c.text,
            "evidence": c.evidence,
            "applies_if": c.applies_if,
            "not_applicable_reason": c.not_applicable_reason,
            "assessments": list(c.assessments),
        }
        for c in fw.clauses
    ]


def _assessments(fw: Framework) -> list[dict]:
    return [a.as_dict() for a in fw.assessments]


def _profile(fw: Framework) -> list[dict]:
    return [
        {
            "id": f.id,
            "type": f.type,
            "label": f.label,
            "help": f.help,
            "default": f.default,
            "choices": [{"id": c.id, "label": c.label} for c in f.choice_items()],
        }
        for f in fw.profile_fields
    ]


_PART = {"risks": _risks, "aspects": _aspects, "clauses": _clauses, "assessments": _assessments, "profile": _profile}


def validation_report(ref: str | Path) -> dict[str, Any]:
    """Validate a pack (id or folder) and list every problem; never raises for pack content."""
    folder, _expected = resolve_pack(ref)
    problems = validate_pack(ref)
    report: dict[str, Any] = {
        "path": str(folder),
        "valid": not problems,
        "problems": [{"file": p.file, "line": p.line, "path": p.path, "message": p.detail()} for p in problems],
    }
    if not problems:
        fw = load_framework(ref)
        report.update(
            id=fw.id, version=fw.version, pack_hash=fw.pack_hash, clauses=len(fw.clauses), risks=len(fw.risks)
        )
    return report
