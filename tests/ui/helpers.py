"""Helpers for UI tests."""

from __future__ import annotations


def wait_job(qtbot, job, timeout: int = 60000) -> None:
    """Wait until a job's outcome has been delivered on the main thread (its callbacks have run).

    Waiting for a signal after starting a job races with a job that ends at once; this polls a flag
    the runner sets on the main thread after the job's last signal.
    """
    qtbot.waitUntil(lambda: job.delivered, timeout=timeout)
