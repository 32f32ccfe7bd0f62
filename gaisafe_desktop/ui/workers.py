"""The one worker: runs a core job ``fn(..., progress=, cancel=)`` off the UI thread.

Results, errors and progress come back on the main thread as Qt signals (queued connections).
Cancelling sets the job's :class:`CancelToken`; the job stops at its next loop boundary and the
worker reports ``cancelled`` — never an error. No other module of the UI starts threads.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from gaisafe_desktop.core.errors import CancelledError
from gaisafe_desktop.core.jobs import CancelToken


class JobSignals(QObject):
    """Signals of one job; emitted from the worker thread, delivered on the main thread."""

    progress = Signal(int, object, str)  # done, total (int | None), message
    finished = Signal(object)  # result
    failed = Signal(object, str)  # exception, formatted traceback
    cancelled = Signal()
    done = Signal()  # always last, whatever the outcome


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job = job

    def run(self) -> None:
        self._job._run()


class Job(QObject):
    """A running (or finished) core job. Keep a reference while it runs; connect to ``signals``."""

    def __init__(self, fn: Callable[..., Any], *args: Any, title: str = "", **kwargs: Any) -> None:
        super().__init__()
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.title = title
        self.token = CancelToken()
        self.signals = JobSignals()
        self.started_at: float | None = None
        self.state = "pending"  # pending | running | finished | failed | cancelled
        self.delivered = False  # set on the main thread once every outcome signal has been handled
        self._last_emit = 0.0

    # -- called on the worker thread -------------------------------------------------------------
    def _progress(self, done: int, total: int | None, message: str = "") -> None:
        now = time.monotonic()
        # Coalesce: at most ~30 updates a second reach the UI, plus the final one.
        if total is not None and done >= total or now - self._last_emit >= 0.033:
            self._last_emit = now
            self.signals.progress.emit(int(done), total, message)

    def _run(self) -> None:
        self.started_at = time.monotonic()
        self.state = "running"
        try:
            result = self.fn(*self.args, progress=self._progress, cancel=self.token, **self.kwargs)
        except CancelledError:
            self.state = "cancelled"
            self.signals.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - every failure goes to the error presenter
            if self.token.cancelled:
                self.state = "cancelled"
                self.signals.cancelled.emit()
            else:
                self.state = "failed"
                self.signals.failed.emit(exc, "".join(traceback.format_exception(exc)))
        else:
            if self.token.cancelled:
                self.state = "cancelled"
                self.signals.cancelled.emit()
            else:
                self.state = "finished"
                self.signals.finished.emit(result)
        finally:
            self.signals.done.emit()

    # -- called on the main thread -----------------------------------------------------------------
    def cancel(self) -> None:
        self.token.cancel()

    def eta_seconds(self, done: int, total: int | None) -> float | None:
        """Estimated seconds left from the average rate so far; ``None`` when unknown."""
        if self.started_at is None or not total or done <= 0 or done >= total:
            return None
        elapsed = time.monotonic() - self.started_at
        return elapsed * (total - done) / done


class JobRunner(QObject):
    """Starts jobs on a thread pool and keeps them alive until they are done."""

    job_started = Signal(object)
    job_done = Signal(object)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.running: list[Job] = []

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        title: str = "",
        on_result: Callable[[Any], Any] | None = None,
        on_error: Callable[[BaseException, str], Any] | None = None,
        on_cancel: Callable[[], Any] | None = None,
        **kwargs: Any,
    ) -> Job:
        """Run ``fn(*args, progress=, cancel=, **kwargs)`` in the background and return its :class:`Job`.

        Callbacks are connected before the job starts, so even an instant job cannot finish unheard.
        """
        job = Job(fn, *args, title=title, **kwargs)
        if on_result:
            job.signals.finished.connect(on_result)
        if on_error:
            job.signals.failed.connect(on_error)
        if on_cancel:
            job.signals.cancelled.connect(on_cancel)
        self.running.append(job)
        job.signals.done.connect(lambda: self._forget(job))
        self.job_started.emit(job)
        self.pool.start(_Runnable(job))
        return job

    def _forget(self, job: Job) -> None:
        if job in self.running:
            self.running.remove(job)
        job.delivered = True
        self.job_done.emit(job)

    def cancel_all(self) -> None:
        for job in list(self.running):
            job.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job has finished (used when the window closes)."""
        return self.pool.waitForDone(msecs)


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60}:{seconds % 60:02d}"
