"""Chinese and English switch at run time; every visible screen retranslates; Chinese on a Chinese locale."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel

from gaisafe_desktop.core.i18n import get_language
from gaisafe_desktop.ui.pages.auditlog import AuditLogPage
from gaisafe_desktop.ui.pages.evidence import EvidencePage
from gaisafe_desktop.ui.pages.overview import OverviewPage


def _labels(form: QFormLayout) -> list[str]:
    out = []
    for r in range(form.rowCount()):
        item = form.itemAt(r, QFormLayout.ItemRole.LabelRole)
        if item and isinstance(item.widget(), QLabel):
            out.append(item.widget().text())
    return out


def _visible_texts(window) -> dict[str, object]:
    overview = window.page(OverviewPage)
    log = window.page(AuditLogPage)
    return {
        "menus": [a.text() for a in window.menuBar().actions()],
        "nav": [window.nav.item(i).text() for i in range(window.nav.count())],
        "overview": overview.header.text(),
        "profile": _labels(overview.profile_form),
        "log_headers": [log.model.headerData(c, Qt.Orientation.Horizontal) for c in range(log.model.columnCount())],
        "status": window.verify_label.text(),
        "evidence_hint": window.page(EvidencePage).hint.text(),
    }


def test_switch_language_at_run_time(open_window, qtbot):
    window = open_window
    english = _visible_texts(window)
    assert english["menus"] == ["&File", "&Project", "&Go", "&View", "&Help"]
    assert english["nav"][0] == "Overview" and english["overview"] == "Overview"
    assert "Generated modalities" in english["profile"]
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert get_language() == "zh"
    chinese = _visible_texts(window)
    assert chinese["menus"] == ["文件(&F)", "项目(&P)", "转到(&G)", "视图(&V)", "帮助(&H)"]
    assert chinese["nav"][:7] == ["概览", "数据", "资源", "评估项", "条款清单", "审计日志", "证据"]
    assert chinese["overview"] == "概览"
    assert "生成内容模态" in chinese["profile"]  # framework data shown in the new language too
    assert chinese["status"].startswith("审计链完整")
    assert chinese["evidence_hint"].startswith("将文件拖到这里")
    # Nothing visible stayed in English.
    for key in english:
        assert chinese[key] != english[key], key
    assert window.act_zh.isChecked() and not window.act_en.isChecked()
    # And back, from the menu.
    window.act_en.trigger()
    assert _visible_texts(window) == english


def test_start_screen_and_wizard_switch(window, qtbot):
    window.set_language("zh")
    assert window.start.buttons["new"].text().startswith("新建项目")
    assert window.start.recent_label.text() == "最近的项目"
    # Buttons explain themselves in the current language.
    assert window.start.buttons["casefile"].toolTip().startswith("验证导出的案卷文件")
    window.new_project()
    assert window.wizard.windowTitle() == "新建项目"
    assert window.wizard.framework_page.title() == "框架"
    window.set_language("en")
    assert window.wizard.windowTitle() == "New project"
    assert window.start.buttons["new"].text().startswith("New project")
    window.wizard.reject()


def test_chinese_by_default_on_chinese_locale(app, monkeypatch):
    from PySide6.QtCore import QSettings

    from gaisafe_desktop.ui.app import initial_language

    QSettings("GAISafe", "GAISafe Desktop").clear()
    monkeypatch.delenv("GAISAFE_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert initial_language() == "zh"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert initial_language() == "en"
    assert initial_language("zh") == "zh"  # --lang wins
