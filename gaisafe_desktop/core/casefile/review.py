"""Review mode: open a case file read-only, with its verification result always at hand.

``open_casefile`` checks and extracts the archive once (hostile archives are rejected before
anything is written), verifies everything, and opens the project snapshot **read-only**, so the
GUI and ``gaisafe casefile open`` show the summary, assessments, checklist, evidence and judgements
from the same core functions as for a live project, next to the verification status. Nothing is
ever written to the snapshot. Close it (or use it as a context manager) to delete the extraction.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.casefile.safezip import DEFAULT_LIMITS, ZipLimits, safe_extract
from gaisafe_desktop.core.casefile.verify import CasefileVerification, _verify_folder
from gaisafe_desktop.core.errors import GaisafeError, NotFoundError, ValidationError
from gaisafe_desktop.core.hashing import sha256_file
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.report.problems import Problem


@dataclass
class OpenedCasefile:
    """An extracted, verified case file with its project snapshot open read-only."""

    verification: CasefileVerification
    folder: Path
    root: Path | None
    project: Any = None  # core.store.Project (read-only) or None if the snapshot cannot be opened
    problems: list[Problem] = field(default_factory=list)  # why the snapshot could not be opened

    @property
    def manifest(self) -> dict[str, Any]:
        return self.verification.manifest or {}

    def path_of(self, rel: str) -> Path:
        """A file of the bag (e.g. ``data/reports/report.pdf``) for viewing; stays inside the bag."""
        if self.root is None:
            raise NotFoundError(N_("Case file {file} has no readable content."), file=self.verification.path)
        target = (self.root / rel).resolve()
        if self.root.resolve() not in target.parents:
            raise ValidationError(N_("{path} is not inside the case file."), path=rel)
        return target

    def close(self) -> None:
        if self.project is not None:
            self.project.close()
            self.project = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> OpenedCasefile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_casefile(
    path: Path | str,
    trusted_certs: list[Path | str] | None = None,
    *,
    limits: ZipLimits = DEFAULT_LIMITS,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> OpenedCasefile:
    """Verify a case file and open its project snapshot read-only (even if verification failed:
    the reviewer sees the problems beside the content).

    Raises:
        NotFoundError: no such file.
        HostileArchiveError / ValidationError: the archive was rejected before extraction.
    """
    from gaisafe_desktop.core.store import open_project

    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("Case file {file} does not exist."), file=str(path))
    result = CasefileVerification(path=str(path), sha256=sha256_file(path))
    folder, read_problems = safe_extract(path, limits)
    opened = OpenedCasefile(verification=result, folder=folder, root=None)
    try:
        opened.root = _verify_folder(result, folder, read_problems, trusted_certs, progress, cancel)
        if opened.root is not None:
            rel = (result.manifest or {}).get("snapshot") or "data/project/project.gaisafe"
            snap = opened.path_of(rel)
            try:
                opened.project = open_project(snap, read_only=True, actor="review")
            except GaisafeError as exc:
                opened.problems.append(Problem(exc.msgid, dict(exc.params), rel, "snapshot"))
            except Exception as exc:  # noqa: BLE001 - a damaged database must not stop the review
                opened.problems.append(
                    Problem(N_("the project snapshot cannot be read: {detail}"), {"detail": str(exc)}, rel, "snapshot")
                )
    except BaseException:
        opened.close()
        raise
    return opened


def casefile_overview(opened: OpenedCasefile) -> dict[str, Any]:
    """What review mode shows first: verification status, project summary, and what the case holds."""
    from gaisafe_desktop.core.store.evidence import list_evidence
    from gaisafe_desktop.core.store.info import project_summary
    from gaisafe_desktop.core.store.people import list_people

    v = opened.verification
    out: dict[str, Any] = {
        "verification": {
            "ok": v.ok,
            "trusted": v.trusted,
            "problems": [p.as_dict() for p in v.problems],
            "signer": (v.signature or {}).get("signer_name", ""),
            "signer_fingerprint": (v.signature or {}).get("cert_fingerprint_sha256", ""),
        },
        "reports": [
            {"path": r["path"], "ok": r["ok"], "signers": [s["signer_name"] for s in r["signatures"]]}
            for r in v.reports
        ],
        "snapshot_problems": [p.as_dict() for p in opened.problems],
        "project": None,
    }
    project = opened.project
    if project is None:
        return out
    summary = project_summary(project)
    summary.pop("path", None)
    out["project"] = summary
    out["people"] = [p.to_dict() for p in list_people(project)]
    out["evidence"] = [e.to_dict() for e in list_evidence(project)]
    conn = project.conn
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    counts = {}
    for table in ("checklist", "sampling_plans", "samples", "judgements", "assessment_results", "review_events"):
        if table in tables:
            counts[table] = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
    out["counts"] = counts
    return out
