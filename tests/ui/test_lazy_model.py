"""A 1,000,000-entry audit log opens at once and loads pages only as the user scrolls (keyset paging)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from gaisafe_desktop.core.views import auditlog as core_log
from gaisafe_desktop.ui.models import LazyTableModel
from gaisafe_desktop.ui.pages.auditlog import _display, _headers

N = 1_000_000


def fill_log(conn, n: int) -> None:
    """Append ``n`` synthetic entries in one statement (the chain is not valid; the view does not care)."""
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


@pytest.mark.slow
def test_million_row_log_scrolls_lazily(app, qtbot, tmp_project):
    fill_log(tmp_project.conn, N)
    flt = core_log.AuditFilter()
    model = LazyTableModel(
        _headers,
        None,
        lambda offset, limit, last: core_log.page_entries(
            tmp_project, flt, offset, limit, after_seq=last[0] if last else None
        ),
        display=_display,
    )
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    # Opening reads one page, not a million rows.
    assert model.rowCount() == model.page_size and model.pages_fetched == 1
    assert model.total is None  # not counted on the UI thread
    first_seq = int(model.data(model.index(0, 0)))
    # The user jumps to the end 40 times (Ctrl+End): each jump loads one more page.
    view.setFocus()
    for _i in range(40):
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert 30 <= model.pages_fetched <= 41  # one per jump (the view may coalesce a jump)
    assert model.rowCount() == model.pages_fetched * model.page_size
    last = model.rowCount() - 1
    assert int(model.data(model.index(last, 0))) == first_seq + last  # contiguous, in order, no gaps
    assert view.currentIndex().row() >= last - model.page_size


def test_keyset_page_deep_in_log_matches_offset(tmp_project):
    """The keyset page after entry k is the same rows as OFFSET k (just without scanning k rows)."""
    fill_log(tmp_project.conn, 50_000)
    flt = core_log.AuditFilter(actor="Li Lei")
    by_offset = core_log.page_entries(tmp_project, flt, 10_000, 100)
    before = core_log.page_entries(tmp_project, flt, 9_999, 1)[0]
    by_key = core_log.page_entries(tmp_project, flt, 0, 100, after_seq=before[0])
    assert by_key == by_offset and len(by_key) == 100
    assert all(r[2] == "Li Lei" for r in by_key)
