"""Build a :class:`ReportModel` from a project file.

This module fills what the foundation store holds: project metadata, service profile, people,
evidence and the audit-log head. Everything else (assessment results, sampling plans, the clause
checklist, judgements and agreement) comes from *contributors*: functions registered by the areas
that own the data, each returning a :class:`ReportContribution`. They never import reportlab; they
only build the dataclasses of ``report/model.py``.

Extension points (register at import time of your module; ``build_report_model`` imports
the modules listed in ``CONTRIBUTOR_MODULES`` so the registration happens):

- ``"assessments"`` (issue 6): one :class:`SummaryRow` per check of Appendix B / 5.1 and a section
  per assessment with its :class:`RateChart` and :class:`BreakdownChart` (by risk code, source,
  aspect), and annexes listing failing items;
- ``"sampling"`` (issue 6): a section per sampling plan (seed, population manifest hash, rule);
- ``"checklist"`` (issue 8): the clause checklist with results, observations and evidence refs;
- ``"judgements"`` (issue 8): annexes with judgement statistics and inter-annotator agreement;
- ``"resources"`` (issues 4/5): resource conformance (keyword library, banks, models).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaisafe_desktop import __version__
from gaisafe_desktop.core.report.model import (
    CoverData,
    EvidenceRef,
    KeyValues,
    Paragraph,
    Person,
    ReportModel,
    Section,
    SummaryRow,
    Text,
)

# Order in which contributions appear in the report.
CONTRIBUTION_ORDER = ("resources", "assessments", "sampling", "checklist", "judgements")
# Modules imported before building so that their ``register_report_contributor`` calls have run.
# A module that does not exist yet is skipped (the area is not built yet).
CONTRIBUTOR_MODULES = (
    "gaisafe_desktop.core.assess.report",
    "gaisafe_desktop.core.review.report",
)


@dataclass
class ReportContribution:
    """What one area adds to the report.

    Attributes:
        summary: executive-summary rows (one per check), in the order they should appear.
        sections: numbered body sections (with their charts and tables).
        annexes: annexes (failing items, sample listings, judgement statistics); lettered A, B, …
    """

    summary: list[SummaryRow] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    annexes: list[Section] = field(default_factory=list)


Contributor = Callable[[Any, str], ReportContribution | None]
"""``fn(project, lang) -> ReportContribution | None``; ``lang`` only if a contributor must pre-format."""

_CONTRIBUTORS: dict[str, Contributor] = {}


def register_report_contributor(name: str, fn: Contributor, *, default: bool = False) -> None:
    """Register (or replace) the contributor for ``name`` (one of ``CONTRIBUTION_ORDER``, or a new name).

    ``default=True`` registers a fallback that never replaces a contributor registered by its area.
    """
    if default and name in _CONTRIBUTORS:
        return
    _CONTRIBUTORS[name] = fn


def registered_contributors() -> dict[str, Contributor]:
    return dict(_CONTRIBUTORS)


def _load_contributor_modules() -> None:
    # This package's fallbacks (``default=True``: an area's own contributor always wins). Imported
    # statically so that frozen builds include them.
    from gaisafe_desktop.core.report import contrib_checklist, contrib_resources  # noqa: F401

    for module in CONTRIBUTOR_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            # The module (or its package) is not there yet: skip. If it exists but something it
            # imports is missing, that is a real error.
            if not exc.name or not (module == exc.name or module.startswith(exc.name + ".")):
                raise


def _role_label(role: str) -> Text:
    from gaisafe_desktop.core.store.people import ROLES

    return ROLES.get(role, role)


def _profile_section(project: Any) -> Section:
    from gaisafe_desktop.core.store.profile import get_profile

    fw = project.framework
    profile = get_profile(project)
    items: list[tuple[Text, Text]] = []
    for f in fw.profile_fields:
        value = profile.get(f.id)
        if f.type == "bool":
            shown: Text = {"zh": "是", "en": "yes"} if value else {"zh": "否", "en": "no"}
        else:
            labels = [f.choice_labels.get(v, v) for v in (value or [])]
            shown = {
                "zh": "、".join(lbl["zh"] if isinstance(lbl, dict) else lbl for lbl in labels) or "—",
                "en": ", ".join(lbl["en"] if isinstance(lbl, dict) else lbl for lbl in labels) or "—",
            }
        items.append((f.label, shown))
    return Section(
        key="profile",
        title={"zh": "服务画像", "en": "Service profile"},
        blocks=[
            Paragraph(
                {
                    "zh": "服务画像决定哪些条款适用于本服务。",
                    "en": "The service profile decides which clauses apply to this service.",
                }
            ),
            KeyValues(items),
        ],
    )


def build_report_model(project: Any, *, lang: str = "en", report_date: str | None = None) -> ReportModel:
    """Build the report model of an open project (``core.store.open_project``).

    Args:
        project: the open project (read-only is fine).
        lang: passed to contributors that must pre-format text.
        report_date: the date printed on the cover (default: today).
    """
    from gaisafe_desktop.core.store.audit import head_hash
    from gaisafe_desktop.core.store.evidence import list_evidence
    from gaisafe_desktop.core.store.people import list_people

    info = project.info
    fw = project.framework
    people = [
        Person(p.name, [_role_label(r) for r in p.roles], p.organisation, p.email)
        for p in list_people(project)
        if p.active
    ]
    cover = CoverData(
        title=info["title"],
        provider=info["provider"],
        service=info["service"],
        model_name=info["model_name"],
        model_version=info["model_version"],
        framework_id=info["framework_id"],
        framework_version=info["framework_version"],
        framework_hash=info["framework_hash"],
        project_uuid=info["uuid"],
        scope=info["scope"],
        start_date=info["start_date"] or "",
        end_date=info["end_date"] or "",
        report_date=report_date or dt.date.today().isoformat(),
        people=people,
    )
    model = ReportModel(
        cover=cover,
        sections=[_profile_section(project)] if fw.profile_fields else [],
        evidence=[
            EvidenceRef(e.name, e.sha256, e.size, e.media_type, [f"{t}:{i}" for t, i in e.links], e.note)
            for e in list_evidence(project)
        ],
        audit_head_hash=head_hash(project.conn),
        audit_entries=project.conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0],
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        app_version=__version__,
        author=", ".join(p.name for p in people),
    )
    _load_contributor_modules()
    names = list(CONTRIBUTION_ORDER) + sorted(set(_CONTRIBUTORS) - set(CONTRIBUTION_ORDER))
    for name in names:
        fn = _CONTRIBUTORS.get(name)
        if fn is None:
            continue
        part = fn(project, lang)
        if part is None:
            continue
        model.summary.extend(part.summary)
        model.sections.extend(part.sections)
        model.annexes.extend(part.annexes)
    return model


def build_report(
    project_path: Path | str,
    out: Path | str,
    *,
    langs: tuple[str, ...] = ("zh", "en"),
    actor: str | None = None,
    progress=None,
    cancel=None,
) -> list[dict[str, Any]]:
    """Render the project's report in each language; the build is recorded in the audit log.

    Returns one dict per edition: ``lang``, ``path``, ``pages``, ``sha256``, ``audit_head``. With more
    than one language ``out`` is a stem: ``report.pdf`` gives ``report-zh.pdf`` and ``report-en.pdf``.
    """
    from gaisafe_desktop.core.hashing import sha256_file
    from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS
    from gaisafe_desktop.core.report.render import render_report
    from gaisafe_desktop.core.store import open_project

    out = Path(out)
    results = []
    with open_project(project_path, actor=actor) as project:
        for lang in langs:
            model = build_report_model(project, lang=lang)
            path = out if len(langs) == 1 else out.with_name(f"{out.stem}-{lang}{out.suffix or '.pdf'}")
            r = render_report(model, lang, path, progress=progress or NULL_PROGRESS, cancel=cancel or NEVER)
            results.append(
                {
                    "lang": lang,
                    "path": str(r.path),
                    "pages": r.pages,
                    "bytes": r.bytes,
                    "sha256": sha256_file(r.path),
                    "audit_head": model.audit_head_hash,
                }
            )
        if not project.read_only:
            with project.transaction("report.build", {"editions": results}):
                pass
    return results


__all__ = [
    "CONTRIBUTION_ORDER",
    "Contributor",
    "ReportContribution",
    "build_report",
    "build_report_model",
    "register_report_contributor",
]
