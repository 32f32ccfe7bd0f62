"""Progress reporting and cancellation for long jobs.

A long job is a plain function ``run_x(..., *, progress=NULL_PROGRESS, cancel=NEVER)``. It calls
``progress(done, total, message)`` and ``cancel.raise_if_cancelled()`` at loop boundaries. The UI
runs it through its one worker, the CLI shows a progress bar, tests call it directly.
"""

from __future__ import annotations

import multiprocessing
import threading
from typing import Protocol

from gaisafe_desktop.core.errors import CancelledError


class Progress(Protocol):
    """Receives progress: ``done`` of ``total`` units (``total`` may be ``None`` when unknown)."""

    def __call__(self, done: int, total: int | None, message: str = "") -> None: ...


def _null_progress(done: int, total: int | None, message: str = "") -> None:
    return None


NULL_PROGRESS: Progress = _null_progress


class CancelToken:
    """A flag a job polls. Thread-safe; ``for_processes()`` gives one that worker processes share."""

    def __init__(self, event: threading.Event | None = None) -> None:
        self._event = event if event is not None else threading.Event()

    @classmethod
    def for_processes(cls, ctx: multiprocessing.context.BaseContext | None = None) -> CancelToken:
        """A token whose flag is a multiprocessing Event, usable in spawned worker processes."""
        ctx = ctx or multiprocessing.get_context("spawn")
        return cls(ctx.Event())

    @property
    def event(self) -> threading.Event:
        return self._event

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError()


class _Never(CancelToken):
    """A token that can never be cancelled (the default)."""

    def cancel(self) -> None:  # pragma: no cover - guarded on purpose
        raise RuntimeError("NEVER cannot be cancelled")

    @property
    def cancelled(self) -> bool:
        return False

    def raise_if_cancelled(self) -> None:
        return None


NEVER: CancelToken = _Never()
