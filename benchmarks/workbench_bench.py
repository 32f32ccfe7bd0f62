"""Workbench latency: key press → next item shown, keyboard only, on a project with N records.

    QT_QPA_PLATFORM=offscreen nice python benchmarks/workbench_bench.py --records 1000000 --items 300

Builds (or reuses, in --workdir) a project with ``--records`` imported training records, a drawn
sample of 4,000 and a review queue; then labels ``--items`` items through the real workbench page
with QTest key clicks (mostly ``1``, every 7th ``2`` + risk code + Enter, every 50th ``S``, one
``U``). The reference is the same labelling on a 1,000-record project measured in the same run;
the ratio shows whether the project size matters.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TEXTS = [
    "今天天气很好，我们去公园散步，顺便买了一些水果。",
    "报道称这起暴力犯罪震惊全城，警方正在调查。",
    "A plain English training sentence about cooking rice.",
]


def build(workdir: Path, records: int) -> Path:
    from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source
    from gaisafe_desktop.core.review.queues import create_queue
    from gaisafe_desktop.core.sampling.plans import create_plan, draw_plan
    from gaisafe_desktop.core.store import create_project
    from gaisafe_desktop.core.store.people import add_person

    path = workdir / f"bench-{records}.gaisafe"
    if path.exists():
        return path
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / f"corpus-{records}.jsonl"
    t0 = time.perf_counter()
    with data.open("w", encoding="utf-8") as fh:
        for i in range(records):
            fh.write(json.dumps({"text": f"{TEXTS[i % 3]} 编号 {i}"}, ensure_ascii=False) + "\n")
    proj = create_project(
        path.with_suffix(".tmp.gaisafe"), framework_id="tc260-2024-draft", provider="P", service="S", actor="bench"
    )
    save_source(proj, "src", origin="domestic", source_type="open_source")
    ds = import_dataset(proj, ImportRequest(kind="training", paths=[data], name="c", source="src"))
    t1 = time.perf_counter()
    create_plan(proj, "manual", datasets=[ds.dataset_id], rule=str(min(4000, records)), purpose="training_manual")
    draw_plan(proj, "manual")
    t2 = time.perf_counter()
    add_person(proj, "Ann", ["annotator"])
    create_queue(proj, "tm", plan="manual", check_id="training_manual", annotators=["Ann"], library="starter")
    t3 = time.perf_counter()
    proj.close()
    os.replace(path.with_suffix(".tmp.gaisafe"), path)
    print(f"built {records:,} records: write+import {t1 - t0:.1f} s, plan+draw {t2 - t1:.1f} s, queue {t3 - t2:.1f} s")
    return path


def label(path: Path, items: int) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from gaisafe_desktop.ui.errors import set_modal
    from gaisafe_desktop.ui.mainwindow import MainWindow
    from gaisafe_desktop.ui.workbench.page import WorkbenchPage

    app = QApplication.instance() or QApplication([])
    set_modal(False)
    win = MainWindow()
    win.show()
    assert win.open_path(str(path))
    win.runner.wait(60000)
    page = win.page(WorkbenchPage)
    win.show_page(win.pages.index(page))
    page.select("tm", "Ann")
    page.setFocus()
    app.processEvents()
    win.runner.wait(120000)  # nothing else runs while measuring (verification, page refreshes)
    busy = [j.title for j in win.runner.running if j.state in ("pending", "running")]
    if busy:
        print("jobs still running while measuring:", busy)
    page.latencies.clear()
    wall = []
    for i in range(items):
        t0 = time.perf_counter()
        if i % 50 == 25:
            QTest.keyClick(page, Qt.Key.Key_S)
        elif i % 7 == 3:
            QTest.keyClick(page, Qt.Key.Key_2)
            QTest.keyClicks(page.picker.line, "A.1.f")
            t0 = time.perf_counter()  # the decision event is Enter in the picker
            QTest.keyClick(page.picker.line, Qt.Key.Key_Return)
        else:
            QTest.keyClick(page, Qt.Key.Key_1)
        app.processEvents()  # include the repaint of the next item
        wall.append(time.perf_counter() - t0)
    QTest.keyClick(page, Qt.Key.Key_U)
    win.close()
    return wall


def summary(lat: list[float]) -> dict[str, float]:
    s = sorted(lat)
    return {
        "within_30ms": 100.0 * sum(1 for x in s if x <= 0.030) / len(s),
        "median_ms": 1000 * statistics.median(s),
        "p95_ms": 1000 * s[int(0.95 * (len(s) - 1))],
        "max_ms": 1000 * s[-1],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/gaisafe-workbench-bench"))
    args = ap.parse_args()
    os.environ.setdefault("GAISAFE_HOME", str(args.workdir / "home"))
    ref_path = build(args.workdir, 1000)
    big_path = build(args.workdir, args.records)
    # fresh copies, so every run starts at item 1
    import shutil

    results = {}
    for name, src in (("reference 1,000 records", ref_path), (f"{args.records:,} records", big_path)):
        run = src.with_name(src.stem + "-run.gaisafe")
        for suffix in ("-wal", "-shm"):
            Path(str(run) + suffix).unlink(missing_ok=True)
        shutil.copyfile(src, run)
        with run.open("rb+") as fh:  # flush the copy now, not in the first checkpoint while measuring
            os.fsync(fh.fileno())
        results[name] = summary(label(run, args.items))
        run.unlink()
    ref, big = results.values()
    for name, r in results.items():
        print(
            f"{name:>26}: median {r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.1f} ms, "
            f"{r['within_30ms']:.0f}% within 30 ms, over {args.items} items"
        )
    print(
        f"ratio (big / reference): median {big['median_ms'] / ref['median_ms']:.2f}, p95 {big['p95_ms'] / ref['p95_ms']:.2f}"
    )


if __name__ == "__main__":
    main()
