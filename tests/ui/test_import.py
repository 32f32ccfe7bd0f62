"""Import a file through the dialog: detected format and encoding, mapping, background import, quarantine."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from gaisafe_desktop.ui.pages.data import DataPage
from tests.ui.helpers import wait_job


def _drop(widget, files) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    mods, button = Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, button, mods)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, button, mods))


def test_import_transcripts_through_dialog(open_window, qtbot, tmp_path):
    window = open_window
    src = tmp_path / "transcripts.csv"
    lines = ["提问,模型回答,模型"] + [f"问题{i},回答{i},demo-llm" for i in range(40)] + ["问题40,,demo-llm"]
    src.write_bytes("\n".join(lines).encode("gb18030"))
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    page = window.page(DataPage)
    assert window.pages_stack.currentWidget() is page
    dialog = page.dialog
    qtbot.waitExposed(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("transcripts"))
    _drop(dialog, [src])
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)  # read by the worker
    # What the user sees: format, encoding, the first rows and the proposed mapping.
    assert "csv" in dialog.detected.text() and "gb18030" in dialog.detected.text().lower()
    assert [dialog.table.horizontalHeaderItem(c).text() for c in range(3)] == ["提问", "模型回答", "模型"]
    assert dialog.table.item(0, 0).text() == "问题0"
    assert dialog.mapping["question"].currentData() == "提问"
    assert dialog.mapping["answer"].currentData() == "模型回答"
    qtbot.keyClicks(dialog.name, "round-1")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_summary is not None, timeout=30000)
    assert page.last_summary["records"] == 41 and page.last_summary["empty"] == 1  # the empty answer is flagged
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    shown = [page.model.data(page.model.index(0, c)) for c in range(10)]
    assert shown[1] == "round-1" and shown[2] == "Model transcripts" and shown[6] == "41" and shown[9] == "1"
    assert "Imported 41 records into round-1" in window.statusBar().currentMessage()
    # The records, lazily, in file order; the empty answer is flagged.
    page.table.selectRow(0)
    assert page.tabs.tabText(0) == "Records" and "41 records of round-1" in page.r_label.text()
    rm = page.r_model
    assert rm.rowCount() == 41
    assert [rm.data(rm.index(0, c)) for c in (0, 1, 3, 4)] == ["1", "2", "问题0", "回答0"]
    assert rm.data(rm.index(40, 6)) == "empty" and rm.data(rm.index(39, 6)) == ""


def test_quarantine_shown_with_reasons(open_window, qtbot, tmp_path):
    window = open_window
    src = tmp_path / "corpus.jsonl"
    rows = [json.dumps({"text": f"第{i}段训练语料"}, ensure_ascii=False) for i in range(30)]
    rows[7] = '{"text": "broken'
    rows[19] = "[1, 2, 3]"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    window.show_page(window.pages.index(window.page(DataPage)))
    page = window.page(DataPage)
    _drop(page, [src])  # dropping on the page opens the dialog with the file
    dialog = page.dialog
    assert dialog.kind.currentData() == "training"
    assert dialog.source.text() == "corpus"
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    assert "jsonl" in dialog.detected.text().lower()
    dialog.source_inputs["origin"].setCurrentIndex(dialog.source_inputs["origin"].findData("domestic"))
    licence = tmp_path / "licence.pdf"
    licence.write_bytes(b"%PDF-1.4 licence agreement")
    dialog.licence.setText(str(licence))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_summary is not None, timeout=30000)
    assert page.last_summary["records"] == 28 and page.last_summary["quarantined"] == 2
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    page.table.selectRow(0)
    assert "2 rows" in page.q_label.text()
    assert page.q_model.rowCount() == 2
    lines = [page.q_model.data(page.q_model.index(r, 1)) for r in range(2)]
    reasons = [page.q_model.data(page.q_model.index(r, 2)) for r in range(2)]
    assert lines == ["8", "20"]
    assert reasons[0] == "the line is not valid JSON"
    assert reasons[1] == "the JSON value is not an object"
    assert page.q_export.isEnabled()
    from gaisafe_desktop.core.ingest.importer import list_sources

    assert [s["origin"] for s in list_sources(window.project)] == ["domestic"]
    # The licence document is evidence, linked to the source, and the source records its hash.
    import hashlib

    from gaisafe_desktop.core.store.evidence import list_evidence

    sha = hashlib.sha256(licence.read_bytes()).hexdigest()
    assert list_sources(window.project)[0]["licence_evidence"] == sha
    assert [e.links for e in list_evidence(window.project)] == [(("source", "corpus"),)]
    # Export the quarantine (the job the Export button runs) and read it back.
    from gaisafe_desktop.core.views.data import export_quarantine_job

    dest = tmp_path / "q.csv"
    job = window.run_job(export_quarantine_job, str(window.project.path), page.datasets[0]["id"], str(dest), title="q")
    wait_job(qtbot, job, timeout=10000)
    import csv

    with dest.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["file", "line"] and [r[1] for r in rows[1:]] == ["8", "20"]
    assert [r[3] for r in rows[1:]] == ["bad_json", "not_object"]


def test_import_dialog_explains_missing_column(open_window, qtbot, tmp_path):
    window = open_window
    src = tmp_path / "bank.csv"
    src.write_text("编号,类别\n1,A.1.a\n", encoding="utf-8")
    page = window.page(DataPage)
    window.show_page(window.pages.index(page))
    dialog = page.open_import_dialog([str(src)])
    dialog.kind.setCurrentIndex(dialog.kind.findData("bank"))
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()  # until the preview is read
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "question" in dialog.problem.text()
    assert page.model.rowCount() == 0


def test_cancel_import_then_resume(open_window, qtbot, tmp_path):
    """Cancel a running import (Esc): what was committed stays, shown as unfinished; importing again resumes."""
    from gaisafe_desktop.core.ingest.importer import ImportRequest
    from gaisafe_desktop.ui import errors

    window = open_window
    src = tmp_path / "big.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(300_000):
            fh.write(
                json.dumps({"text": f"第{i}条训练语料，内容用于测试导入的取消与续传。"}, ensure_ascii=False) + "\n"
            )
    page = window.page(DataPage)
    window.show_page(window.pages.index(page))
    request = ImportRequest(kind="training", paths=[src], name="big", source="big")
    job = page.start_import(request, {"origin": "domestic"})
    qtbot.waitUntil(lambda: window.jobbar.bar.value() > 0, timeout=30000)
    with qtbot.waitSignal(job.signals.done, timeout=60000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    if job.state == "finished":  # the machine was faster than the key: nothing to resume
        pytest.skip("import finished before it could be cancelled")
    assert job.state == "cancelled" and errors.SHOWN == []
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert page.model.data(page.model.index(0, 4)) == "unfinished"
    job = page.start_import(request, {"origin": "domestic"})
    wait_job(qtbot, job, timeout=120000)
    assert job.state == "finished" and page.last_summary["resumed"] is True
    assert page.last_summary["records"] == 300_000
    qtbot.waitUntil(lambda: page.model.data(page.model.index(0, 4)) == "complete", timeout=5000)
