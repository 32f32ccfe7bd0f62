"""Run every assessment in the order their inputs need (the source rule reads the technical check)."""

from __future__ import annotations

from gaisafe_desktop.core.assess.results import CheckResult
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress


def assess_all(
    project,
    *,
    nonce: str | None = None,
    library: str | None = None,
    model: str | None = None,
    workers: int | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> list[CheckResult]:
    """Resources, training technical, sources, training manual, generated content, refusal."""
    from gaisafe_desktop.core.assess.generated import assess_generated
    from gaisafe_desktop.core.assess.refusal import assess_refusal
    from gaisafe_desktop.core.assess.resources_check import assess_resources
    from gaisafe_desktop.core.assess.sources import assess_sources
    from gaisafe_desktop.core.assess.technical import assess_training_technical
    from gaisafe_desktop.core.assess.training_manual import assess_training_manual

    out: list[CheckResult] = []
    out += assess_resources(project, library=library, progress=progress, cancel=cancel)[1]
    out += assess_training_technical(
        project, nonce=nonce, library=library, model=model, workers=workers, progress=progress, cancel=cancel
    )[1]
    out += assess_sources(project)[1]
    out += assess_training_manual(project, nonce=nonce, progress=progress, cancel=cancel)[1]
    out += assess_generated(project, nonce=nonce, library=library, model=model, progress=progress, cancel=cancel)[1]
    out += assess_refusal(project, nonce=nonce, progress=progress, cancel=cancel)[1]
    return out
