"""The checklist view: grouped by section, progress, filter "still open", result, override, evidence drop."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from gaisafe_desktop.core.checklist.checklist import get_row


def _clauses(view):
    out = []
    for i in range(view.tree.topLevelItemCount()):
        top = view.tree.topLevelItem(i)
        out += [top.child(j).data(0, Qt.ItemDataRole.UserRole) for j in range(top.childCount())]
    return out


def test_checklist_view_sets_results_overrides_and_evidence(open_window, qtbot, tmp_path):
    from gaisafe_desktop.ui import errors
    from gaisafe_desktop.ui.checklist_view import ChecklistView

    win = open_window
    qtbot.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    view = win.page(ChecklistView)
    assert win.pages_stack.currentWidget() is view
    proj = win.project
    sections = [view.tree.topLevelItem(i).text(0) for i in range(view.tree.topLevelItemCount())]
    assert sections == ["5", "6", "7", "B"]
    assert len(_clauses(view)) == len(proj.framework.clauses)
    assert "5 " in view.progress.text() and "/" in view.progress.text()
    view.only_open.setChecked(True)
    open_before = len(_clauses(view))
    assert 0 < open_before < len(proj.framework.clauses)
    view.select_clause("5.2.a")
    assert view.current.clause_id == "5.2.a"
    view.result.setCurrentIndex(view.result.findData("partial"))
    view.observations.setPlainText("4,000-item sample half done")
    qtbot.mouseClick(view.save, Qt.MouseButton.LeftButton)
    row = get_row(proj, "5.2.a")
    assert (row.result, row.observations, row.assessed_by) == ("partial", "4,000-item sample half done", "Test Auditor")
    assert len(_clauses(view)) == open_before - 1  # no longer open
    # override without a justification is refused; with one it is stored
    view.only_open.setChecked(False)
    view.select_clause("5.2.a")
    errors.SHOWN.clear()
    view.override.setCurrentIndex(view.override.findData("not_applicable"))
    qtbot.mouseClick(view.save, Qt.MouseButton.LeftButton)
    assert errors.SHOWN and "justification" in errors.SHOWN[-1][1]
    view.justification.setText("the provider does not train models")
    qtbot.mouseClick(view.save, Qt.MouseButton.LeftButton)
    row = get_row(proj, "5.2.a")
    assert (row.applies, row.override_reason) == (False, "the provider does not train models")
    assert "Overridden" in view.applicability.text()
    # evidence dropped on the clause is hashed, linked and previewed
    view.select_clause("5.3.b.1")
    f = tmp_path / "annotation-rules.txt"
    f.write_text("标注规则 v3：每条标注须经第二人复核。", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    enter = QDragEnterEvent(
        QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(view, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(view, drop)
    assert view.current.clause_id == "5.3.b.1", errors.SHOWN
    assert view.evidence.count() == 1, (errors.SHOWN, get_row(proj, "5.3.b.1").evidence)
    view.evidence.setCurrentRow(0)
    assert "标注规则" in view.preview.text()
    assert [e["name"] for e in get_row(proj, "5.3.b.1").evidence] == ["annotation-rules.txt"]

    out = view.export_to(str(tmp_path / "checklist.csv"))
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("Clause,") and "the provider does not train models" in text
