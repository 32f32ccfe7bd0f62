"""The workbench driven with the keyboard only: 200 items, undo, notes, skip, resume after closing the
window, separation of duties, and the event-to-next-item latency (printed; timings are not asserted)."""

from __future__ import annotations

import json
import statistics

import pytest
from PySide6.QtCore import Qt

from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source
from gaisafe_desktop.core.review.queues import create_queue
from gaisafe_desktop.core.sampling.plans import create_plan, draw_plan
from gaisafe_desktop.core.store.audit import verify_project
from gaisafe_desktop.core.store.people import add_person

N = 200
TEXTS = ["今天天气很好，我们去公园散步。", "报道称一起案件引起讨论。", "A plain English training sentence."]


@pytest.fixture
def review_project(tmp_project, tmp_path):
    path = tmp_path / "c.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(260):
            fh.write(json.dumps({"text": f"{TEXTS[i % 3]} #{i}"}, ensure_ascii=False) + "\n")
    save_source(tmp_project, "src", origin="domestic", source_type="open_source")
    ds = import_dataset(tmp_project, ImportRequest(kind="training", paths=[path], name="c", source="src"))
    create_plan(tmp_project, "manual", datasets=[ds.dataset_id], rule=str(N), purpose="training_manual")
    draw_plan(tmp_project, "manual")
    add_person(tmp_project, "Ann", ["annotator"])
    add_person(tmp_project, "Lee", ["lead_auditor", "annotator"])
    add_person(tmp_project, "Rita", ["reviewer"])
    create_queue(
        tmp_project,
        "tm",
        plan="manual",
        check_id="training_manual",
        annotators=["Ann"],
        library="starter",
        classifier=True,
    )
    return tmp_project


def starter_term() -> str:
    """A Chinese term of the shipped starter keyword library (the library is rebuilt as data improves)."""
    from gaisafe_desktop.core.detect.keywords.service import resolve_library

    return next(
        e.term for e in resolve_library(None, starter=True).entries if e.lang == "zh" and e.kind == "term" and e.risks
    )


def _workbench(win, qtbot, person="Ann", role="annotator"):
    from gaisafe_desktop.ui.workbench.page import WorkbenchPage

    page = win.page(WorkbenchPage)
    win.show_page(win.pages.index(page))
    page.select("tm", person, role)
    page.setFocus()
    qtbot.waitUntil(page.hasFocus, timeout=3000)
    return page


def _key(qtbot, page, key):
    qtbot.keyClick(page.focusWidget() or page, key)


def _ime(widget, text: str) -> None:
    """Chinese arrives through an input method as a committed string (QTest.keyClicks is ASCII only)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    ev = QInputMethodEvent()
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def _plan(i: int) -> tuple[str, list[str]]:
    """What the annotator decides for the i-th item: mostly qualified, every 7th unqualified."""
    return ("unqualified", ["A.1.f"]) if i % 7 == 3 else ("qualified", [])


def test_label_200_items_keyboard_only_with_undo_and_resume(review_project, open_window, qtbot, app):
    from gaisafe_desktop.ui.mainwindow import MainWindow

    win = open_window
    page = _workbench(win, qtbot)
    assert page.position == 0 and page.progress.text() == "0 / 200"
    assert "1 qualified" in page.hints.text() and "U undo" in page.hints.text()
    assert not page.scores.isVisible()  # classifier scores hidden by default (no anchoring) ...
    page.show_scores.setChecked(True)  # ... shown on request
    assert page.scores.isVisible() and "highest scores" in page.scores.text()
    page.show_scores.setChecked(False)
    page.setFocus()
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    held = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier, "1", True)
    QApplication.sendEvent(page, held)  # an auto-repeated key (held down) decides nothing
    assert page.position == 0 and page.progress.text() == "0 / 200"
    shown_keys = []
    for i in range(150):
        shown_keys.append(page.item.record_key)
        verdict, _codes = _plan(i)
        if i == 10:  # a note first, then the decision
            _key(qtbot, page, Qt.Key.Key_N)
            qtbot.keyClicks(page.note, "checked twice")
            _key(qtbot, page.note, Qt.Key.Key_Return)
            assert "checked twice" in page.note_label.text()
        if verdict == "qualified":
            _key(qtbot, page, Qt.Key.Key_1)
        else:
            _key(qtbot, page, Qt.Key.Key_2)
            assert page.picker.isVisible()
            if i % 2:
                _ime(page.picker.line, "暴力")  # type-ahead by Chinese name ...
            else:
                qtbot.keyClicks(page.picker.line, "A.1.f")  # ... or by code
            assert page.picker.current_code() == "A.1.f"
            _key(qtbot, page.picker.line, Qt.Key.Key_Return)
    # two risk codes: Tab adds one, Enter adds the second and decides; then undo it
    two = page.item.record_key
    _key(qtbot, page, Qt.Key.Key_2)
    qtbot.keyClicks(page.picker.line, "A.1.f")
    _key(qtbot, page.picker.line, Qt.Key.Key_Tab)
    assert "A.1.f" in page.picker.chosen_label.text()
    qtbot.keyClicks(page.picker.line, "A.2.d")
    _key(qtbot, page.picker.line, Qt.Key.Key_Return)
    stored = win.project.conn.execute("SELECT risk_codes FROM judgements WHERE record_key = ?", (two,)).fetchone()[0]
    assert json.loads(stored) == ["A.1.f", "A.2.d"]
    _key(qtbot, page, Qt.Key.Key_U)
    assert page.item.record_key == two
    # a wrong key press, then undo: the same item comes back and the stored judgement is gone
    wrong = page.item.record_key
    _key(qtbot, page, Qt.Key.Key_2)
    qtbot.keyClicks(page.picker.line, "A.1.a")
    _key(qtbot, page.picker.line, Qt.Key.Key_Return)
    assert page.position == 151
    _key(qtbot, page, Qt.Key.Key_U)
    assert page.position == 150 and page.item.record_key == wrong
    conn = win.project.conn
    assert conn.execute("SELECT COUNT(*) FROM judgements WHERE record_key = ?", (wrong,)).fetchone()[0] == 0
    # close the window: everything decided so far is stored
    first_latencies = list(page.latencies)
    path = str(win.project.path)
    win.close()
    win2 = MainWindow()
    qtbot.addWidget(win2)
    win2.show()
    assert win2.open_path(path)
    page = _workbench(win2, qtbot)
    assert page.position == 150 and page.item.record_key == wrong  # resumes exactly where Ann stopped
    assert page.progress.text() == "150 / 200"
    _key(qtbot, page, Qt.Key.Key_S)  # skip it: it comes back at the end
    for i in range(151, N):
        shown_keys.append(page.item.record_key)
        verdict, _codes = _plan(i)
        if verdict == "qualified":
            _key(qtbot, page, Qt.Key.Key_1)
        else:
            _key(qtbot, page, Qt.Key.Key_2)
            qtbot.keyClicks(page.picker.line, "A.1.f")
            _key(qtbot, page.picker.line, Qt.Key.Key_Return)
    assert page.item.record_key == wrong  # the skipped one, last
    shown_keys.insert(150, wrong)
    assert _plan(150)[0] == "unqualified"
    _key(qtbot, page, Qt.Key.Key_2)
    _ime(page.picker.line, "暴力")
    _key(qtbot, page.picker.line, Qt.Key.Key_Return)
    assert page.position is None and page.progress.text() == "200 / 200"
    # the stored judgements are exactly the keystrokes
    conn = win2.project.conn
    rows = {
        r["record_key"]: r
        for r in conn.execute("SELECT * FROM judgements WHERE role = 'annotator' AND judge = 'Ann'").fetchall()
    }
    assert len(rows) == N
    for i, key in enumerate(shown_keys):
        verdict, codes = _plan(i)
        assert rows[key]["qualified"] == (verdict == "qualified"), i
        assert json.loads(rows[key]["risk_codes"]) == codes
        assert rows[key]["origin"] == "workbench"
    assert rows[shown_keys[10]]["note"] == "checked twice"
    sample = [r[0] for r in conn.execute("SELECT record_key FROM samples ORDER BY position")]
    assert sorted(shown_keys) == sorted(sample)
    assert verify_project(conn).ok
    lat = sorted(first_latencies + page.latencies)
    print(
        f"\nworkbench event-to-next-item: median {1000 * statistics.median(lat):.1f} ms, "
        f"p95 {1000 * lat[int(0.95 * len(lat))]:.1f} ms over {len(lat)} decisions"
    )
    win2.close()


def test_reviewer_who_annotated_is_refused(review_project, open_window, qtbot):
    from gaisafe_desktop.core.review.queues import get_queue
    from gaisafe_desktop.ui import errors

    win = open_window
    proj = win.project
    create_queue(proj, "lee", plan="manual", check_id="training_manual", annotators=["Lee", "Ann"])
    page = _workbench(win, qtbot)
    page.refresh()
    page.select("lee", "Lee", "annotator")
    assert page.position == 0
    _key(qtbot, page, Qt.Key.Key_2)
    qtbot.keyClicks(page.picker.line, "A.1.f")
    _key(qtbot, page.picker.line, Qt.Key.Key_Return)
    # Lee, also a lead auditor, now works as reviewer: his own item is never offered ...
    page.select("lee", "Lee", "reviewer")
    assert page.position is None
    # ... and forcing it is refused with the reason (standard 5.3); nothing is stored
    page.show_position(0)
    errors.SHOWN.clear()
    _key(qtbot, page, Qt.Key.Key_1)
    assert errors.SHOWN and "5.3" in errors.SHOWN[-1][1]
    q = get_queue(proj, "lee")
    assert proj.conn.execute("SELECT COUNT(*) FROM judgements WHERE role = 'reviewer'").fetchone()[0] == 0
    # Rita reviews it, seeing what the annotator decided
    page.select("lee", "Rita", "reviewer")
    assert page.position == 0
    assert "Lee: unqualified (A.1.f)" in page.annotations.text()
    _key(qtbot, page, Qt.Key.Key_1)
    assert proj.conn.execute("SELECT judge FROM judgements WHERE role = 'reviewer'").fetchone()[0] == "Rita"
    assert q.items == N


def test_new_queue_dialog_builds_through_the_worker(review_project, open_window, qtbot):
    from gaisafe_desktop.core.review.queues import get_queue

    win = open_window
    page = _workbench(win, qtbot)
    dialog = page.open_new_queue()
    assert dialog.plan.currentData() == "manual" and dialog.check.currentData() == "training_manual"
    dialog.name.setText("second")
    for i in range(dialog.annotators.count()):
        if dialog.annotators.item(i).text() in ("Ann", "Lee"):
            dialog.annotators.item(i).setCheckState(Qt.CheckState.Checked)
    dialog.blind.setChecked(True)
    dialog.start()
    qtbot.waitUntil(lambda: page.queue_box.currentData() == "second", timeout=30000)
    q = get_queue(win.project, "second")
    assert q.blind_double and q.annotators == ("Ann", "Lee") and q.items == N
    assert q.library == "starter"


def test_image_audio_and_transcript_items(tmp_project, tmp_path, window, qtbot):
    import wave

    from PySide6.QtGui import QColor, QImage

    from gaisafe_desktop.ui.workbench.item_view import ItemView

    folder = tmp_path / "media"
    folder.mkdir()
    img = QImage(64, 48, QImage.Format.Format_RGB32)
    img.fill(QColor("#3366aa"))
    assert img.save(str(folder / "a-picture.png"))
    with wave.open(str(folder / "b-sound.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 800)
    answers = tmp_path / "answers.jsonl"
    answers.write_text(
        json.dumps(
            {"question": "如何评价这件事？", "answer": f"关于{starter_term()}，应当依法处理。"}, ensure_ascii=False
        )
        + "\n",
        encoding="utf-8",
    )
    p = tmp_project
    media = import_dataset(p, ImportRequest(kind="media", paths=[folder], name="media"))
    tr = import_dataset(p, ImportRequest(kind="transcripts", paths=[answers], model="m", model_version="1"))
    add_person(p, "Ann", ["annotator"])
    for name, ds, n in (("media", media.dataset_id, 2), ("answers", tr.dataset_id, 1)):
        create_plan(p, name, datasets=[ds], rule=str(n), purpose="training_manual")
        draw_plan(p, name)
        create_queue(p, name, plan=name, check_id="generated_content", annotators=["Ann"], library="starter")
    path = str(p.path)
    p.close()
    assert window.open_path(path)
    from gaisafe_desktop.ui.workbench.page import WorkbenchPage

    page = window.page(WorkbenchPage)
    window.show_page(window.pages.index(page))
    page.select("media", "Ann")
    seen = set()
    for _ in range(2):
        if page.view.currentIndex() == ItemView.IMAGE:
            assert not page.view.image.pixmap().isNull()
            seen.add("image")
        else:
            assert page.view.currentIndex() == ItemView.MEDIA and page.view.play.isEnabled()
            assert page.view.media_path.endswith("b-sound.wav")
            seen.add("audio")
        qtbot.keyClick(page, Qt.Key.Key_1)
    assert seen == {"image", "audio"} and page.position is None
    page.select("answers", "Ann")
    assert page.view.currentIndex() == ItemView.TRANSCRIPT
    assert "如何评价" in page.view.question.toPlainText() and "依法处理" in page.view.answer.toPlainText()
    assert starter_term() in page.hits_label.text()
