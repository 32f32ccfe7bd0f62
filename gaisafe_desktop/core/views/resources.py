"""Resources for the Resources screen: keyword-library conformance (B.1.1), imports, model coverage (B.1.4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.store.project import Project


def list_keyword_libraries(project: Project) -> list[dict[str, Any]]:
    from gaisafe_desktop.core.detect.keywords.versions import list_libraries

    return list_libraries(project)


def keyword_conformance_job(
    project_path: str | Path,
    library: str,
    *,
    as_of: dt.date | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict[str, Any]:
    """The B.1.1 report of the latest version of ``library`` (parsing a large library takes a moment)."""
    from gaisafe_desktop.core.detect.keywords.versions import check_library, get_version
    from gaisafe_desktop.core.store import open_project

    cancel.raise_if_cancelled()
    with open_project(project_path, read_only=True) as project:
        version = get_version(project, library)
        report = check_library(project, library, as_of=as_of).as_dict()
    report["library"] = library
    report["version"] = version["version"]
    report["released_on"] = version["released_on"]
    report["sha256"] = version["sha256"]
    return report


def import_keyword_version_job(
    project_path: str | Path,
    file: str | Path,
    *,
    library: str,
    released: str | None = None,
    risk: str | None = None,
    actor: str | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict[str, Any]:
    """Import a keyword-library file as the next version of ``library``."""
    from gaisafe_desktop.core.detect.keywords.versions import import_library_version
    from gaisafe_desktop.core.store import open_project

    cancel.raise_if_cancelled()
    progress(0, None, "")
    with open_project(project_path, actor=actor) as project:
        return import_library_version(project, file, library=library, released=released, risk=risk or None)


def model_coverage(project: Project) -> dict[str, Any]:
    """B.1.4: which risk codes the risk-classification models cover (bundled and registered)."""
    from gaisafe_desktop.core.detect.model_registry import coverage_report

    return coverage_report(project)


def stale_days(released_on: str | None, max_interval_days: int, today: dt.date | None = None) -> int | None:
    """Days past the update cadence since the last release (``None`` when not stale or unknown)."""
    if not released_on:
        return None
    age = ((today or dt.date.today()) - dt.date.fromisoformat(released_on)).days
    return age - max_interval_days if age > max_interval_days else None


BANKS = (
    ("generated", "generated_bank"),
    ("should_refuse", "should_refuse_bank"),
    ("should_not_refuse", "should_not_refuse_bank"),
)


def bank_status(project: Project, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Each question bank (B.1.2, B.1.3): its current version, size, staleness and latest B.1 verdict.

    The verdict and what is missing come from the last stored resource check (run it from the
    Assessments screen); an imported bank that was never checked is "not run".
    """
    from gaisafe_desktop.core.views.assessments import available, dashboard_rows

    checks = {r["check_id"]: r for r in dashboard_rows(project)} if available() else {}
    out = []
    for bank_kind, check_id in BANKS:
        rows = project.conn.execute(
            "SELECT name, version_date, records FROM datasets WHERE kind = 'bank' AND bank_kind = ? "
            "AND status = 'complete' ORDER BY COALESCE(version_date, ''), id",
            (bank_kind,),
        ).fetchall()
        latest = dict(rows[-1]) if rows else None
        spec = project.framework.assessment(check_id)
        max_days = int(spec.get("max_update_interval_days", 31))
        check = checks.get(check_id)
        out.append(
            {
                "bank_kind": bank_kind,
                "check_id": check_id,
                "versions": len(rows),
                "latest": latest,
                "max_update_interval_days": max_days,
                "stale_days": stale_days(latest["version_date"], max_days, today) if latest else None,
                "verdict": check["verdict"] if check else "not_run",
                "verdict_name": check["verdict_name"] if check else "",
                "missing": check["missing"] if check else [],
                "run_at": check["run_at"] if check else None,
            }
        )
    return out
