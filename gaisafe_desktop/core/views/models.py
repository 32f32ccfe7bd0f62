"""Registering a provider's or auditor's own ONNX classifier from the desktop (issue 5).

Two jobs for the one worker: ``inspect_model_folder`` reads and checks a folder (manifest parsed,
model file hashed against it) so the user can confirm what will be registered; then
``register_model_job`` registers it through :func:`core.detect.model_registry.register_model`,
which checks everything again before writing (a file changed after the preview is still refused).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress


def inspect_model_folder(
    folder: str | Path,
    *,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict[str, Any]:
    """The manifest of ``folder`` as the confirmation dialog shows it, with the SHA-256 check done.

    Raises:
        ValidationError: the manifest is missing or invalid (the message names file and field).
        NotFoundError: the model file named by the manifest is missing.
        IntegrityError: the model file's SHA-256 differs from the manifest's.
    """
    from gaisafe_desktop.core.detect.manifest import ALL_RISK_CODES, load_manifest
    from gaisafe_desktop.core.detect.onnx_runtime import verify_model_file

    cancel.raise_if_cancelled()
    progress(0, None, "")
    manifest = load_manifest(folder)
    actual = verify_model_file(manifest)
    codes = manifest.covered_codes()
    return {
        "folder": str(Path(folder)),
        "name": manifest.name,
        "version": manifest.version,
        "task": manifest.task,
        "title": manifest.data.get("title"),
        "licence": manifest.data.get("licence", ""),
        "model_file": manifest.data["model_file"],
        "labels": [{"name": lab.name, "risk_codes": list(lab.risk_codes)} for lab in manifest.labels],
        "covered_codes": [c for c in ALL_RISK_CODES if c in codes],
        "sha256": manifest.sha256,
        "sha256_actual": actual,
        "sha256_ok": actual == manifest.sha256,
    }


def register_model_job(
    project_path: str | Path,
    folder: str | Path,
    *,
    note: str = "",
    actor: str | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict[str, Any]:
    """Register the model of ``folder`` in the project at ``project_path``; returns the model's summary."""
    from gaisafe_desktop.core.detect.model_registry import register_model
    from gaisafe_desktop.core.store import open_project

    cancel.raise_if_cancelled()
    progress(0, None, "")
    with open_project(project_path, actor=actor) as project:
        info = register_model(project, folder, note=note)
    return info.to_dict()
