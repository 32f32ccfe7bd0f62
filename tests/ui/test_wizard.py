"""Create a project through the wizard with clicks and keys; the profile decides which clauses apply."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from gaisafe_desktop.core.store.people import list_people
from gaisafe_desktop.core.store.profile import get_profile


def _next(qtbot, wizard):
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def _tick(qtbot, box):
    """Click a check box on its indicator (a full-width box only reacts on its indicator and text)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def _applies(wizard, ref_prefix: str) -> dict[str, str]:
    model = wizard.applicability_page.model
    return {
        model.data(model.index(r, 0)): model.data(model.index(r, 2))
        for r in range(model.rowCount())
        if model.data(model.index(r, 0)).startswith(ref_prefix)
    }


def test_create_project_through_wizard(window, qtbot, tmp_path):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wizard = window.wizard
    qtbot.waitExposed(wizard)
    # Page 1: framework with version and hash shown.
    fp = wizard.framework_page
    assert fp.combo.currentText() == "tc260-2024-draft"
    assert fp.version.text() == "2024.05.17-1"
    assert len(fp.hash.text()) == 64
    _next(qtbot, wizard)
    # Page 2: provider and service typed with the keyboard; Next stays disabled until filled.
    sp = wizard.service_page
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    sp.path.clear()
    assert not next_button.isEnabled()
    sp.provider.insert("示例科技有限公司")  # as an input method commits Chinese text
    qtbot.keyClicks(sp.service, "Demo Chat")
    qtbot.keyClicks(sp.model_name, "demo-llm")
    qtbot.keyClicks(sp.model_version, "2.1")
    target = tmp_path / "wizard-audit.gaisafe"
    qtbot.keyClicks(sp.path, str(target))
    assert next_button.isEnabled()
    _next(qtbot, wizard)
    # Page 3: profile fields generated from the framework.
    pp = wizard.profile_page
    minors = pp.inputs["suitable_for_minors"]
    assert minors.text() == "Suitable for minors" and not minors.isChecked()
    group, boxes = pp.inputs["modalities"]
    assert set(boxes) == {"text", "image", "audio", "video"}
    # Un-ticking the only modality makes the page incomplete (at least one is required).
    _tick(qtbot, boxes["text"])
    assert not next_button.isEnabled()
    _tick(qtbot, boxes["text"])
    _tick(qtbot, boxes["image"])
    assert next_button.isEnabled()
    _next(qtbot, wizard)
    # Page 4: people and roles.
    pe = wizard.people_page
    pe.name.insert("李雷")
    qtbot.keyClick(pe.name, Qt.Key.Key_Return)
    pe.name.insert("韩梅梅")
    _tick(qtbot, pe.role_boxes["lead_auditor"])  # untick
    _tick(qtbot, pe.role_boxes["annotator"])
    qtbot.mouseClick(pe.add_button, Qt.MouseButton.LeftButton)
    assert pe.list.count() == 2
    assert "Annotator" in pe.list.item(1).text()
    _next(qtbot, wizard)
    # Page 5: which clauses apply, and why not.
    ap = wizard.applicability_page
    assert "clauses apply to this service" in ap.summary.text()
    minors_clauses = _applies(wizard, "7 a) 3)")
    assert minors_clauses and set(minors_clauses.values()) == {"No"}
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.project is not None)
    project = window.project
    assert project.path == target and target.exists()
    assert project.info["provider"] == "示例科技有限公司"
    profile = get_profile(project)
    assert profile["modalities"] == ["text", "image"]
    assert profile["suitable_for_minors"] is False
    people = {p.name: p.roles for p in list_people(project)}
    assert people == {"李雷": ("lead_auditor",), "韩梅梅": ("annotator",)}
    assert window.stack.currentIndex() == 1
    assert window.nav.currentItem().text() == "Overview"


def test_profile_decides_applicability(window, qtbot, tmp_path):
    window.new_project()
    wizard = window.wizard
    wizard.service_page.provider.setText("P")
    wizard.service_page.service.setText("S")
    wizard.service_page.path.setText(str(tmp_path / "x.gaisafe"))
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    before = _applies(wizard, "7 a) 3)")
    assert set(before.values()) == {"No"}
    # Back to the profile, tick "suitable for minors": the minors clause now applies.
    for _i in range(2):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    _tick(qtbot, wizard.profile_page.inputs["suitable_for_minors"])
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    after = _applies(wizard, "7 a) 3)")
    assert set(after.values()) == {"Yes"}
    # The reason shown when it does not apply names the profile decision.
    model = wizard.applicability_page.model
    reasons = [model.data(model.index(r, 3)) for r in range(model.rowCount()) if model.data(model.index(r, 2)) == "No"]
    assert reasons and all(reasons)


def test_wizard_error_keeps_wizard_open(window, qtbot, tmp_path):
    from gaisafe_desktop.ui import errors

    existing = tmp_path / "taken.gaisafe"
    existing.write_bytes(b"not a project")
    window.new_project()
    wizard = window.wizard
    wizard.service_page.provider.setText("P")
    wizard.service_page.service.setText("S")
    wizard.service_page.path.setText(str(existing))
    for _i in range(4):
        _next(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert window.project is None
    assert wizard.isVisible()
    assert errors.SHOWN and "already exists" in errors.SHOWN[-1][1]
    assert existing.read_bytes() == b"not a project"
