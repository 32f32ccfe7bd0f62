"""Screenshots of the review workbench (text, image, transcript items) and the clause checklist, zh and en.

    python scripts/workbench_screenshots.py     # offscreen, writes docs/screenshots/workbench-*-{zh,en}.png
                                                #   and docs/screenshots/checklist-{zh,en}.png

Uses the demo project of ``scripts/screenshots.py`` (DEMO DATA from permissive public sets), adds the
demo model transcripts and a folder with one drawn test image (made here with Qt, labelled DEMO),
draws samples and builds three review queues with the starter keyword library.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
OUT = ROOT / "docs" / "screenshots"


def demo_image(path: Path) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    img = QImage(640, 400, QImage.Format.Format_RGB32)
    img.fill(QColor("#dfe9f3"))
    p = QPainter(img)
    p.setBrush(QColor("#7aa6c2"))
    p.drawRect(0, 260, 640, 140)
    p.setBrush(QColor("#f2c14e"))
    p.drawEllipse(480, 40, 90, 90)
    p.setPen(QColor("#333"))
    f = QFont()
    f.setPointSize(28)
    f.setBold(True)
    p.setFont(f)
    p.drawText(QRectF(0, 150, 640, 80), Qt.AlignmentFlag.AlignCenter, "DEMO 演示图像")
    p.end()
    img.save(str(path))


def build(folder: Path):
    from screenshots import build_sample

    from gaisafe_desktop.core.checklist.checklist import attach_evidence, set_clause
    from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset
    from gaisafe_desktop.core.resources import resource_path
    from gaisafe_desktop.core.review import decisions
    from gaisafe_desktop.core.review.queues import create_queue
    from gaisafe_desktop.core.sampling.plans import create_plan, draw_plan

    project = build_sample(folder)
    demo = resource_path("demo")
    spec = json.loads((demo / "demo.json").read_text(encoding="utf-8"))
    t = spec["transcripts"]
    tr = import_dataset(
        project,
        ImportRequest(kind="transcripts", paths=[demo / t["file"]], model=t["model"], model_version=t["model_version"]),
    )
    media = folder / "images"
    media.mkdir()
    demo_image(media / "demo-image-1.png")
    md = import_dataset(project, ImportRequest(kind="media", paths=[media], name="demo-images"))
    training = project.conn.execute("SELECT id FROM datasets WHERE kind = 'training' ORDER BY id").fetchone()[0]
    annotator = next(p["name"] for p in spec["people"] if "annotator" in p["roles"])
    for plan, ds, n, check in (
        ("text", training, 60, "training_manual"),
        ("answers", tr.dataset_id, 30, "generated_content"),
        ("images", md.dataset_id, 1, "training_manual"),
    ):
        create_plan(project, plan, datasets=[ds], rule=str(n), purpose=check, nonce=f"demo-{plan}")
        draw_plan(project, plan)
        create_queue(project, plan, plan=plan, check_id=check, annotators=[annotator], library="starter")
    # a few decisions so progress, rate and time per item show numbers
    q = __import__("gaisafe_desktop.core.review.queues", fromlist=["get_queue"]).get_queue(project, "text")
    for pos in range(6):
        item = __import__("gaisafe_desktop.core.review.queues", fromlist=["get_item"]).get_item(project, q.id, pos)
        bad = bool(item.hits)
        decisions.judge(project, q, pos, annotator, qualified=not bad, risk_codes=["A.2.e"] if bad else [])
    set_clause(project, "5.1.a.1", result="conform", observations="DEMO: 来源管理制度已提供 / source policy provided")
    set_clause(project, "5.2.a", result="partial", observations="DEMO: 人工抽检进行中 / manual spot check in progress")
    set_clause(project, "5.3.b.4", result="conform")
    attach_evidence(project, "5.3.b.4", demo / "evidence" / "annotation-rules.md")
    return project, annotator


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="gaisafe-wb-shots-"))
    from screenshots import screenshot_app, settle

    app = screenshot_app(tmp, "light")
    from gaisafe_desktop.ui.checklist_view import ChecklistView
    from gaisafe_desktop.ui.lang import switch_language
    from gaisafe_desktop.ui.mainwindow import MainWindow
    from gaisafe_desktop.ui.workbench.page import WorkbenchPage

    project, annotator = build(tmp)
    path = str(project.path)
    project.close()
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    assert window.open_path(path)
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in ("zh", "en"):
        switch_language(lang)
        page = window.page(WorkbenchPage)
        window.show_page(window.pages.index(page))
        for queue, name in (("text", "text"), ("images", "image"), ("answers", "transcript")):
            page.select(queue, annotator)
            if queue == "text":  # show an item with keyword hits
                with_hits = [
                    r[0]
                    for r in window.project.conn.execute(
                        "SELECT position FROM review_items i JOIN review_queues q ON q.id = i.queue_id "
                        "WHERE q.name = 'text' AND i.hits != '{}' AND position >= ? ORDER BY position",
                        (page.position,),
                    )
                ]
                if with_hits:
                    page.show_position(with_hits[0])
                page.picker.open()  # the type-ahead risk-code picker, as after pressing 2
                page.picker.line.setText("A.2" if lang == "en" else "歧视")
            if queue == "answers":
                page.show_scores.setChecked(False)
            settle(app, window)
            target = OUT / f"workbench-{name}-{lang}.png"
            window.grab().save(str(target))
            written.append(target)
            page._close_picker()
        view = window.page(ChecklistView)
        window.show_page(window.pages.index(view))
        view.refresh()
        view.select_clause("5.3.b.4")
        view.evidence.setCurrentRow(0)
        settle(app, window)
        target = OUT / f"checklist-{lang}.png"
        window.grab().save(str(target))
        written.append(target)
    window.close()
    for t in written:
        print(t.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
