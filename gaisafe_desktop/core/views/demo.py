"""The demo project for the start screen: built by the core demo into the per-user folder, then opened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.paths import app_home


def demo_folder() -> Path:
    return app_home() / "demo"


def demo_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("gaisafe_desktop.core.demo") is not None


def build_demo_job(
    out_dir: str | Path | None = None, *, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER
) -> dict[str, Any]:
    """Run the complete demo audit (DEMO DATA) and return where the project and reports are."""
    from gaisafe_desktop.core.demo import run_demo

    steps: list[str] = []

    def on_step(i: int, n: int, label: str) -> None:
        steps.append(label)
        progress(i, n, label)

    # The demo's inner steps report their own counts; the bar follows the demo's steps.
    result = run_demo(
        Path(out_dir) if out_dir else demo_folder(), progress=NULL_PROGRESS, cancel=cancel, on_step=on_step
    )
    return result.to_dict()


def existing_demo_project() -> Path | None:
    """The demo project built earlier, if any."""
    folder = demo_folder()
    found = sorted(folder.rglob("*.gaisafe")) if folder.is_dir() else []
    return found[0] if found else None
