"""The assessments dashboard: one row per check (from ``assess.summary``), runs, and drill-down items.

The assessments package may be absent from a build; :func:`available` says so and the dashboard
then explains that instead of failing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.store.project import Project


def available() -> bool:
    """Whether this build has the assessments (Appendix B and 5.1)."""
    try:
        return importlib.util.find_spec("gaisafe_desktop.core.assess.summary") is not None
    except ModuleNotFoundError:
        return False


def dashboard_rows(project: Project) -> list[dict[str, Any]]:
    """Every check with verdict, rate, exact interval, n, explanation and its breakdown, in the standard's order."""
    from gaisafe_desktop.core.assess.summary import assessment_summary, verdict_name

    rows = []
    for row in assessment_summary(project):
        d = row.to_dict()
        d["verdict_name"] = verdict_name(row.verdict)
        d["breakdown"] = breakdown_of(d.get("detail") or {})
        rows.append(d)
    return rows


def breakdown_of(detail: dict[str, Any]) -> dict[str, int]:
    """The per-risk (or per-source, per-aspect) counts a check recorded, if any."""
    for key in ("per_risk", "per_source", "per_aspect", "per_code"):
        value = detail.get(key)
        if isinstance(value, dict) and value and all(isinstance(v, int | float) for v in value.values()):
            return {str(k): int(v) for k, v in value.items()}
    return {}


def failing_items(project: Project, result_id: int, limit: int = 5000) -> list[dict[str, Any]]:
    """The items a result lists (failing, disputed or unjudged records) with why, first ``limit``."""
    from gaisafe_desktop.core.assess.results import result_items

    return [
        {"record_key": i.record_key, "outcome": i.outcome, "reason": i.reason}
        for i in result_items(project, result_id)[:limit]
    ]


def run_resource_checks_job(
    project_path: str | Path,
    *,
    actor: str | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> int:
    """Run the B.1 resource checks (keyword library, banks, classifier coverage); returns how many results."""
    from gaisafe_desktop.core.assess.resources_check import assess_resources
    from gaisafe_desktop.core.store import open_project

    with open_project(project_path, actor=actor) as project:
        return len(assess_resources(project, progress=progress, cancel=cancel)[1])


def run_all_job(
    project_path: str | Path,
    *,
    actor: str | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> int:
    """Run every assessment (resources, sources, spot checks, generated content, refusal)."""
    from gaisafe_desktop.core.assess.run_all import assess_all
    from gaisafe_desktop.core.store import open_project

    with open_project(project_path, actor=actor) as project:
        return len(assess_all(project, progress=progress, cancel=cancel))
