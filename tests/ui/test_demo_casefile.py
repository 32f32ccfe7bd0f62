"""The demo project from the start screen, and a case file opened read-only after verification."""

from __future__ import annotations

import zipfile

import pytest
from PySide6.QtCore import Qt

from gaisafe_desktop.core.views.casefile import casefile_available
from gaisafe_desktop.core.views.demo import demo_available
from tests.ui.helpers import wait_job

pytestmark = pytest.mark.skipif(not (demo_available() and casefile_available()), reason="demo/case files not built")


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    from gaisafe_desktop.core.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    return run_demo(out)


def test_open_case_file_read_only(window, qtbot, demo_out):
    assert window.act_casefile.isEnabled() and window.start.buttons["casefile"].isEnabled()
    job = window.open_casefile(str(demo_out.casefile))
    wait_job(qtbot, job, timeout=60000)
    qtbot.waitUntil(lambda: window.project is not None, timeout=10000)
    dialog = window.casefile_dialog
    assert "intact" in dialog.verdict.text()
    assert window.project.read_only
    assert window.windowTitle().startswith(window.project.info["title"]) and "(read-only)" in window.windowTitle()
    assert not window.act_add_evidence.isEnabled() and not window.act_import.isEnabled()
    from gaisafe_desktop.ui.pages.evidence import EvidencePage

    evidence = window.page(EvidencePage)
    assert not evidence.add_button.isEnabled()
    from gaisafe_desktop.core.store.evidence import list_evidence

    stored = list_evidence(window.project)  # the demo's evidence files, from the verified snapshot
    assert stored and evidence.model.rowCount() == len(stored)
    qtbot.waitUntil(lambda: (window.verification or {}).get("ok") is True, timeout=20000)
    # Intact but not trusted yet: trust the demo signer's certificate and verify again.
    assert "not among your trusted certificates" in dialog.verdict.text()
    assert "Li Lei (demo)" in dialog.signer.text() and dialog.trust_button.isVisibleTo(dialog)
    job = dialog.verify_again([str(demo_out.certificate)])
    wait_job(qtbot, job, timeout=60000)
    qtbot.waitUntil(lambda: window.casefile_dialog is not dialog, timeout=10000)
    assert "signed by a trusted signer" in window.casefile_dialog.verdict.text()
    assert not window.casefile_dialog.trust_button.isVisibleTo(window.casefile_dialog)
    assert window.project is not None and window.project.read_only


def test_tampered_case_file_is_not_opened(window, qtbot, demo_out, tmp_path):
    bad = tmp_path / "tampered.gaicase"
    with zipfile.ZipFile(demo_out.casefile) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("people.csv"):
                data = data.replace(b"demo", b"DEMO", 1)
            dst.writestr(info, data)
    job = window.open_casefile(str(bad))
    wait_job(qtbot, job, timeout=60000)
    qtbot.waitUntil(lambda: getattr(window, "casefile_dialog", None) is not None, timeout=5000)
    dialog = window.casefile_dialog
    assert "does NOT verify" in dialog.verdict.text()
    assert any("people.csv" in dialog.problems.item(i).text() for i in range(dialog.problems.count()))
    assert window.project is None  # a broken case file is never opened


@pytest.mark.slow
def test_demo_project_from_start_screen(window, qtbot, monkeypatch, tmp_path):
    assert window.start.buttons["demo"].isEnabled()
    qtbot.mouseClick(window.start.buttons["demo"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.project is not None, timeout=120000)
    assert "演示" in window.project.info["title"]
    assert window.stack.currentIndex() == 1
    path = window.project.path
    window.close_project()
    # A second click opens the existing demo at once (no rebuild).
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.project is not None and window.project.path == path
