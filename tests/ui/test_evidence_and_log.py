"""Add evidence (drag-and-drop and the Add action), see its hash; view and filter the audit log."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from gaisafe_desktop.core.store.evidence import list_evidence
from gaisafe_desktop.ui.pages.auditlog import AuditLogPage
from gaisafe_desktop.ui.pages.evidence import EvidencePage
from tests.ui.helpers import wait_job


def _drop_files(page, files) -> None:
    """Deliver a real drag-enter and drop of local files to the page, as the window system would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    enter = QDragEnterEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(page, drop)


def test_drop_evidence_shows_hash_and_logs(open_window, qtbot, tmp_path):
    window = open_window
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    page = window.page(EvidencePage)
    assert window.pages_stack.currentWidget() is page
    a = tmp_path / "policy.pdf"
    a.write_bytes(b"%PDF-1.4 security policy\n" * 1000)
    b = tmp_path / "interview-notes.txt"
    b.write_text("访谈记录：数据来源安全评估\n" * 50, encoding="utf-8")
    _drop_files(page, [a, b])
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10000)
    names = {page.model.data(page.model.index(r, 0)) for r in range(2)}
    assert names == {"policy.pdf", "interview-notes.txt"}
    # Select the PDF: its full SHA-256 is shown.
    row = [page.model.data(page.model.index(r, 0)) for r in range(2)].index("policy.pdf")
    page.table.selectRow(row)
    sha = hashlib.sha256(a.read_bytes()).hexdigest()
    assert sha in page.detail.text()
    assert page.model.data(page.model.index(row, 3)) == sha[:16] + "…"
    assert page.export_button.isEnabled()
    # Stored in the project, and the chain re-verified after the change.
    assert {e.sha256 for e in list_evidence(window.project)} >= {sha}
    qtbot.waitUntil(lambda: "ok" in (window.verification or {}), timeout=10000)
    assert window.verification["ok"], window.verification
    assert "intact" in window.verify_label.text()


def test_export_evidence_through_worker(open_window, qtbot, tmp_path):
    window = open_window
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    page = window.page(EvidencePage)
    src = tmp_path / "scan.png"
    src.write_bytes(bytes(range(256)) * 4000)
    job = page.add_files([src])
    wait_job(qtbot, job, timeout=10000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    from gaisafe_desktop.core.views.jobs import export_evidence_file

    dest = tmp_path / "out.png"
    job = window.run_job(export_evidence_file, str(window.project.path), page.items[0].sha256, str(dest), title="x")
    wait_job(qtbot, job, timeout=10000)
    assert dest.read_bytes() == src.read_bytes()


def test_audit_log_view_filters_and_shows_chain_status(open_window, qtbot, tmp_path):
    window = open_window
    from gaisafe_desktop.core.store.people import add_person

    for i in range(5):
        add_person(window.project, f"Annotator {i}", ["annotator"])
    window.project_changed()
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = window.page(AuditLogPage)
    assert window.pages_stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.counted is not None, timeout=5000)
    total = page.model.total
    assert total >= 6 and page.model.rowCount() == total == page.counted
    assert page.count.text() == f"{total} entries"
    actions = {page.model.data(page.model.index(r, 3)) for r in range(page.model.rowCount())}
    assert {"project.create", "people.add"} <= actions
    # Filter by typing in the search box (debounced).
    qtbot.keyClicks(page.search, "Annotator 3")
    qtbot.waitUntil(lambda: 0 < page.model.total < total, timeout=3000)
    shown = [[page.model.data(page.model.index(r, c)) for c in range(7)] for r in range(page.model.rowCount())]
    assert all(row[3] == "people.add" and "Annotator 3" in row[6] for row in shown)
    qtbot.waitUntil(lambda: page.count.text() == f"{len(shown)} entries", timeout=5000)
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.total == total, timeout=3000)
    # Filter by action group from the combo box.
    page.action.setCurrentIndex(page.action.findData("people"))
    shown = {page.model.data(page.model.index(r, 3)) for r in range(page.model.rowCount())}
    assert shown == {"people.add"} and page.model.total >= 5
    page.action.setCurrentIndex(0)
    # The chain status is visible on the page and in the status bar.
    qtbot.waitUntil(lambda: (window.verification or {}).get("ok") is True, timeout=10000)
    assert "intact" in page.verify_status.text() and page.verify_status.isVisible()
    assert "intact" in window.verify_label.text()


def test_tampered_log_shows_broken_chain(open_window, qtbot):
    window = open_window
    import sqlite3

    path = window.project.path
    window.close_project()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'Mallory' WHERE seq = 1")
    conn.commit()
    conn.close()
    assert window.open_path(str(path))
    qtbot.waitUntil(lambda: (window.verification or {}).get("ok") is False, timeout=10000)
    assert "BROKEN" in window.verify_label.text()
    assert "BROKEN" in window.page(AuditLogPage).verify_status.text()
