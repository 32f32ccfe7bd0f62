"""Resources: import a keyword library through the dialog and see its B.1.1 conformance, red/green per requirement."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from gaisafe_desktop.core.resources import resource_path
from gaisafe_desktop.ui.pages.resources import ResourcesPage
from tests.ui.helpers import wait_job


def _import(qtbot, page, file, library, date):
    dialog = page.open_keyword_import(str(file))
    qtbot.waitExposed(dialog)
    dialog.library.setText(library)
    dialog.released.setDate(QDate.fromString(date, "yyyy-MM-dd"))
    with qtbot.waitSignal(
        page.window_.runner.job_done, timeout=30000, check_params_cb=lambda j: "Importing" in j.title
    ):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _tree(page) -> dict[str, tuple[str, str]]:
    out = {}
    root = page.conformance.invisibleRootItem()
    for i in range(root.childCount()):
        item = root.child(i)
        out[item.text(0)] = (item.text(1), item.text(2))
        for j in range(item.childCount()):
            child = item.child(j)
            out[child.text(0)] = (child.text(1), child.text(2))
    return out


def test_keyword_library_conformance(open_window, qtbot, tmp_path):
    window = open_window
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.page(ResourcesPage)
    assert window.pages_stack.currentWidget() is page
    starter = resource_path("keywords", "starter", "starter-keywords.csv")
    _import(qtbot, page, starter, "starter", "2026-11-20")
    qtbot.waitUntil(lambda: page.lib_model.rowCount() == 1, timeout=5000)
    row = [page.lib_model.data(page.lib_model.index(0, c)) for c in range(6)]
    assert row[0] == "starter" and row[1] == "1" and row[4] == "2026-11-20"
    assert row[5].startswith("stale") or row[5] == "current"
    qtbot.waitUntil(lambda: page.report is not None and "verdict" in page.report, timeout=30000)
    # The starter library is far below 10,000 terms: red verdict, with what is missing.
    assert "does NOT meet B.1.1" in page.verdict.text()
    tree = _tree(page)
    status, detail = tree["a) at least 10,000 terms"]
    assert status == "not met" and "missing" in detail
    per_risk = {k: v for k, v in tree.items() if k.startswith("A.1.") or k.startswith("A.2.")}
    assert len(per_risk) == 17
    assert all(s in ("met", "not met") for s, _d in per_risk.values())
    assert any(s == "not met" and "of 200" in d for s, d in per_risk.values())
    assert tree["c) updated at least every 7 days"][0] == "not judged"
    # A second, different version one week later: the update cadence can now be judged.
    v2 = tmp_path / "v2.csv"
    v2.write_text(
        starter.read_text(encoding="utf-8") + "新增测试词,A.1.a,term,zh,default,,2026-11-27\n", encoding="utf-8"
    )
    _import(qtbot, page, v2, "starter", "2026-11-27")
    qtbot.waitUntil(lambda: page.lib_model.rowCount() == 1 and page.lib_model.data(page.lib_model.index(0, 1)) == "2")
    qtbot.waitUntil(lambda: page.report is not None and page.report.get("version") == 2, timeout=30000)
    assert _tree(page)["c) updated at least every 7 days"][0] in ("met", "not met")


def test_model_coverage_shown(open_window, qtbot):
    window = open_window
    page = window.page(ResourcesPage)
    window.show_page(window.pages.index(page))
    from gaisafe_desktop.core.detect.model_registry import coverage_report

    cov = coverage_report(window.project)
    assert f"Together the models cover {cov['union_covered']} of 31 risks." in page.model_summary.text()
    assert page.model_model.rowCount() == len(cov["models"])
    for r, m in enumerate(cov["models"]):
        assert page.model_model.data(page.model_model.index(r, 0)) == m["name"]
        assert page.model_model.data(page.model_model.index(r, 4)) == m["covers"]


def test_question_banks_with_b1_status_and_staleness(open_window, qtbot):
    import datetime as dt

    from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset
    from gaisafe_desktop.core.views.assessments import available

    window = open_window
    old = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    import_dataset(
        window.project,
        ImportRequest(
            kind="bank",
            paths=[resource_path("demo", "banks", "should_refuse.jsonl")],
            bank_kind="should_refuse",
            version_date=old,
        ),
    )
    page = window.page(ResourcesPage)
    window.show_page(window.pages.index(page))
    window.project_changed()  # written outside the UI: re-read
    bm = page.bank_model
    rows = {bm.data(bm.index(r, 0)): [bm.data(bm.index(r, c)) for c in range(7)] for r in range(bm.rowCount())}
    assert set(rows) == {"Generated-content test bank", "Should-refuse bank", "Should-not-refuse bank"}
    refuse = rows["Should-refuse bank"]
    assert refuse[2] == old and refuse[3] != "—"
    assert refuse[4] == "stale: 9 days overdue"  # monthly cadence (31 days) from the framework
    assert rows["Generated-content test bank"][1] == "not imported"
    if available():
        from gaisafe_desktop.ui.pages.assessments import AssessmentsPage

        job = window.page(AssessmentsPage).check_resources()
        wait_job(qtbot, job, timeout=60000)
        window.show_page(window.pages.index(page))
        refuse = [bm.data(bm.index(1, c)) for c in range(7)]
        assert refuse[5] == "fail" and "Risk A.1.a: 0 of 20" in refuse[6]
