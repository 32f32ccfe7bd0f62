"""Long jobs: cancel a running job (no error dialog), and the UI thread never blocks >100 ms meanwhile."""

from __future__ import annotations

import time

from PySide6.QtCore import QElapsedTimer, Qt, QTimer

from gaisafe_desktop.core.store.audit import verify_project
from gaisafe_desktop.core.store.evidence import list_evidence
from gaisafe_desktop.ui import errors
from gaisafe_desktop.ui.pages.evidence import EvidencePage
from tests.ui.helpers import wait_job


def _files(tmp_path, n: int, size: int):
    out = []
    for i in range(n):
        p = tmp_path / f"evidence-{i:03d}.bin"
        p.write_bytes(i.to_bytes(4, "big") * (size // 4))
        out.append(p)
    return out


def test_cancel_running_job(open_window, qtbot, tmp_path):
    window = open_window
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    page = window.page(EvidencePage)
    files = _files(tmp_path, 60, 1 << 20)
    job = page.add_files(files)
    assert window.jobbar.isVisible() and window.jobbar.cancel_button.text() == "Cancel"
    # The bar fills and the time left is shown once the first files are in.
    qtbot.waitUntil(lambda: window.jobbar.eta.text().endswith("left"), timeout=20000)
    assert window.jobbar.bar.maximum() == 1000 and 0 < window.jobbar.bar.value() < 1000
    assert window.jobbar.title.text().startswith("Adding evidence")
    with qtbot.waitSignal(job.signals.cancelled, timeout=20000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)  # the Cancel action's shortcut
    assert job.state == "cancelled"
    assert errors.SHOWN == []  # cancelling shows no error
    qtbot.waitUntil(lambda: not window.runner.running, timeout=20000)
    stored = list_evidence(window.project)
    assert 0 < len(stored) < len(files)
    assert page.model.rowCount() == len(stored)
    assert verify_project(window.project.conn).ok  # every file added before the cancel is complete


def _measure_job_latency(window, page, qtbot, files) -> tuple[float, list[int]]:
    """Run the real add-evidence job; return its duration and every event-loop gap (ms) of a 10 ms QTimer."""
    gaps: list[int] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: gaps.append(clock.restart()))
    clock.start()
    timer.start()
    started = time.monotonic()
    job = page.add_files(files)
    wait_job(qtbot, job, timeout=120000)
    duration = time.monotonic() - started
    timer.stop()
    assert job.state == "finished"
    return duration, gaps[1:]


def test_ui_thread_never_blocked_during_long_job(open_window, qtbot, tmp_path):
    """Event-loop latency measured with a 10 ms QTimer while the worker adds 128 MB of evidence.

    Work done on the UI thread would block in every run. This machine is shared (2 cores, load often
    above 4), so a single scheduler hiccup can stall the whole process: a run is repeated (with fresh
    files) up to three times and the test needs one run with no gap over 100 ms. All runs are printed.
    """
    window = open_window
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    page = window.page(EvidencePage)
    runs = []
    for attempt in range(3):
        folder = tmp_path / f"run{attempt}"
        folder.mkdir()
        files = _files(folder, 32, 4 << 20)
        # Distinct content per run, so every run really stores 128 MB.
        for f in files:
            with f.open("ab") as fh:
                fh.write(f"run{attempt}".encode())
        duration, gaps = _measure_job_latency(window, page, qtbot, files)
        assert len(gaps) > 50, "the job finished too quickly to measure anything"
        runs.append((duration, len(gaps), max(gaps), sorted(gaps)[int(len(gaps) * 0.99)]))
        print(f"run {attempt}: job {duration:.2f} s, {len(gaps)} ticks, worst gap {max(gaps)} ms, p99 {runs[-1][3]} ms")
        if max(gaps) < 100:
            break
    assert len(list_evidence(window.project)) == 32 * len(runs)
    assert min(r[2] for r in runs) < 100, f"UI thread blocked >100 ms in every run: {runs}"
