"""Opening an exported case file read-only: verify it, then take out its project snapshot.

The snapshot is extracted again after verification and its SHA-256 is checked against the bag's
manifest, so what is opened is exactly what was verified. It is kept in the per-user folder
(never next to the case file) and opened read-only.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.errors import IntegrityError, NotFoundError
from gaisafe_desktop.core.hashing import sha256_file
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.paths import app_home

SNAPSHOT = "data/project/project.gaisafe"


def casefile_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("gaisafe_desktop.core.casefile.verify") is not None


def open_casefile_job(
    path: str | Path,
    *,
    trusted_certs: list[str | Path] | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict[str, Any]:
    """Verify ``path`` and extract its project snapshot; returns the verification and the snapshot path.

    The snapshot is ``None`` when the case file has none or does not verify (a broken case file is
    reported, never opened).
    """
    from gaisafe_desktop.core.casefile.safezip import safe_extract
    from gaisafe_desktop.core.casefile.verify import MANIFEST, verify_casefile

    report = verify_casefile(path, trusted_certs, progress=progress, cancel=cancel)
    out: dict[str, Any] = {"verification": report.as_dict(), "project": None}
    if not report.ok:
        return out
    cancel.raise_if_cancelled()
    cache = app_home() / "casefiles" / report.sha256[:16]
    cache.mkdir(parents=True, exist_ok=True)
    folder, _problems = safe_extract(path, dest_parent=cache)
    try:
        roots = [p for p in folder.iterdir() if p.is_dir()]
        snapshot = roots[0].joinpath(*SNAPSHOT.split("/")) if len(roots) == 1 else None
        if snapshot is None or not snapshot.is_file():
            raise NotFoundError(N_("The case file holds no project snapshot ({path})."), path=SNAPSHOT)
        expected = None
        for line in (roots[0] / MANIFEST).read_text(encoding="utf-8").splitlines():
            digest, _sep, rel = line.partition(" ")
            if rel.strip() == SNAPSHOT:
                expected = digest.strip()
        if expected is None or sha256_file(snapshot) != expected:
            raise IntegrityError(N_("The project snapshot changed after verification; open the case file again."))
        target = cache / "project.gaisafe"
        shutil.move(str(snapshot), target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    out["project"] = str(target)
    return out


def sign_and_export_job(
    project_path: str | Path,
    out: str | Path,
    *,
    key: str,
    password: str,
    reports: list[str | Path] = (),
    reason: str = "",
    actor: str | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict[str, Any]:
    """Sign the given report PDFs (PAdES, as ``<name>-signed.pdf``) and export the signed case file.

    Returns the signed report paths and the case file's path, SHA-256 and size.
    """
    from gaisafe_desktop.core.casefile.export import export_casefile
    from gaisafe_desktop.core.report.sign import sign_pdf

    signed = []
    for i, pdf in enumerate(reports):
        cancel.raise_if_cancelled()
        progress(i, len(reports) + 1, Path(pdf).name)
        pdf = Path(pdf)
        dst = pdf.with_name(pdf.stem + "-signed.pdf")
        signed.append(str(sign_pdf(pdf, dst, key=key, password=password, reason=reason)))
    progress(len(reports), len(reports) + 1, Path(out).name)
    result = export_casefile(project_path, out, key=key, password=password, reports=signed, actor=actor, cancel=cancel)
    return {"signed_reports": signed, "casefile": result.as_dict()}
