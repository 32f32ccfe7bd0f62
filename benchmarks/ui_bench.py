"""Desktop responsiveness: lazy 1,000,000-row table, keyset paging, event-loop latency during a job.

    QT_QPA_PLATFORM=offscreen nice python benchmarks/ui_bench.py [--rows 1000000]

Every figure is printed beside a reference measured in the same run:
- opening the audit-log table lazily vs reading every row (what a non-lazy model would do);
- a page deep in the log by key vs by OFFSET;
- the worst event-loop gap of a 10 ms QTimer while the worker adds 128 MB of evidence vs while idle.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def fill_log(conn, n: int) -> None:
    start = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_log").fetchone()[0]
    conn.execute("BEGIN")
    conn.execute(
        """
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?)
        INSERT INTO audit_log(seq, ts, actor, action, entity, entity_id, payload, row_digest, prev_hash, hash)
        SELECT ? + i, '2026-11-30T12:00:00+00:00', CASE i % 3 WHEN 0 THEN 'Li Lei' ELSE 'Han Meimei' END,
               CASE i % 4 WHEN 0 THEN 'judgement.add' ELSE 'records.batch' END, 'records', 'batch-' || i,
               '{"n":' || i || '}', NULL, printf('%064d', i - 1), printf('%064d', ? + i)
        FROM c
        """,
        (n, start, start),
    )
    conn.execute("COMMIT")


def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def latency(app, runner_fn, seconds_idle: float) -> tuple[list[int], float]:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    gaps: list[int] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: gaps.append(clock.restart()))
    loop = QEventLoop()
    clock.start()
    timer.start()
    t = time.perf_counter()
    if runner_fn is None:
        QTimer.singleShot(int(seconds_idle * 1000), loop.quit)
    else:
        job = runner_fn()
        job.signals.done.connect(loop.quit)
    loop.exec()
    timer.stop()
    return gaps[1:], time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("GAISAFE_HOME", tempfile.mkdtemp(prefix="gaisafe-bench-home-"))
    from PySide6.QtWidgets import QApplication, QTableView

    from gaisafe_desktop.core.store import create_project
    from gaisafe_desktop.core.views import auditlog as core_log
    from gaisafe_desktop.core.views.jobs import add_evidence_files
    from gaisafe_desktop.ui.models import LazyTableModel
    from gaisafe_desktop.ui.pages.auditlog import _display, _headers
    from gaisafe_desktop.ui.workers import JobRunner

    app = QApplication.instance() or QApplication([])
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = create_project(tmp / "bench.gaisafe", framework_id="tc260-2024-draft", provider="P", service="S")
        t = time.perf_counter()
        fill_log(project.conn, args.rows)
        print(f"built a {args.rows:,}-entry audit log in {time.perf_counter() - t:.1f} s", flush=True)
        flt = core_log.AuditFilter()

        def page(offset, limit, last):
            return core_log.page_entries(project, flt, offset, limit, after_seq=last[0] if last else None)

        def open_lazy():
            model = LazyTableModel(_headers, None, page, display=_display)
            view = QTableView()
            view.setModel(model)
            view.resize(900, 600)
            view.show()
            app.processEvents()
            view.close()

        def read_all():
            return core_log.page_entries(project, flt, 0, args.rows + 100)

        ref_open = timed(read_all, 1)
        lazy_open = timed(open_lazy, 5)
        rows.append(
            (
                "open the audit-log table",
                f"{lazy_open * 1000:.1f} ms",
                f"read every row: {ref_open * 1000:.0f} ms",
                f"{ref_open / lazy_open:.0f}× faster",
            )
        )
        deep = args.rows - 1000
        by_offset = timed(lambda: core_log.page_entries(project, flt, deep, 256), 5)
        by_key = timed(lambda: core_log.page_entries(project, flt, 0, 256, after_seq=deep), 5)
        rows.append(
            (
                f"load the page after entry {deep:,}",
                f"{by_key * 1000:.2f} ms (keyset)",
                f"OFFSET: {by_offset * 1000:.1f} ms",
                f"{by_offset / by_key:.0f}× faster",
            )
        )
        flt_actor = core_log.AuditFilter(actor="Li Lei")
        f_offset = timed(lambda: core_log.page_entries(project, flt_actor, deep // 3, 256), 3)
        f_key = timed(lambda: core_log.page_entries(project, flt_actor, 0, 256, after_seq=deep), 3)
        rows.append(
            (
                "same, filtered by actor",
                f"{f_key * 1000:.2f} ms (keyset)",
                f"OFFSET: {f_offset * 1000:.1f} ms",
                f"{f_offset / f_key:.0f}× faster",
            )
        )
        project.close()

        files = []
        for i in range(32):
            p = tmp / f"ev-{i}.bin"
            p.write_bytes(os.urandom(4 << 20))
            files.append(p)
        runner = JobRunner()
        path = str(tmp / "bench.gaisafe")
        job_gaps, job_s = latency(app, lambda: runner.start(add_evidence_files, path, files, title="bench"), 0)
        idle_gaps, _ = latency(app, None, job_s)
        p99 = lambda g: sorted(g)[int(len(g) * 0.99)]  # noqa: E731
        rows.append(
            (
                f"event-loop gap while adding 128 MB of evidence ({job_s:.1f} s)",
                f"worst {max(job_gaps)} ms, p99 {p99(job_gaps)} ms, median {statistics.median(job_gaps):.0f} ms",
                f"idle: worst {max(idle_gaps)} ms, p99 {p99(idle_gaps)} ms",
                f"{max(job_gaps) / max(1, max(idle_gaps)):.1f}× idle worst",
            )
        )
    print()
    print("| measure | result | reference (same run) | ratio |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
