"""Screenshots of every main screen in Chinese and English, for the user guide.

    python scripts/screenshots.py            # offscreen, with the bundled CJK font
    xvfb-run -a python scripts/screenshots.py --xcb   # under Xvfb with the xcb platform

Builds a sample project from the demo data shipped in ``resources/demo`` (DEMO DATA, invented
provider) with the same core functions the application uses, opens each screen and saves
``docs/screenshots/<screen>-<lang>.png``. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def build_sample(folder: Path):
    """A project with data, a quarantine, a keyword library, evidence and people (demo data).

    Used when this build has no complete demo audit (``core.demo``); the wizard screenshots use it too.
    """
    from gaisafe_desktop.core.detect.keywords.versions import import_library_version
    from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source
    from gaisafe_desktop.core.resources import resource_path
    from gaisafe_desktop.core.store.evidence import add_evidence
    from gaisafe_desktop.core.views.newproject import NewProjectRequest, create_project_from_request

    demo = resource_path("demo")
    spec = json.loads((demo / "demo.json").read_text(encoding="utf-8"))
    p = spec["project"]
    project = create_project_from_request(
        NewProjectRequest(
            path=folder / "demo-audit.gaisafe",
            framework_id="tc260-2024-draft",
            provider=p["provider"],
            service=p["service"],
            model_name=p["model_name"],
            model_version=p["model_version"],
            profile=spec["profile"],
            people=[(x["name"], x["roles"]) for x in spec["people"]],
            actor=spec["people"][0]["name"],
        )
    )
    src = spec["sources"][2]
    # A copy of one source with two damaged lines, so the quarantine has something to show.
    damaged = folder / "src-c-comments-zh.jsonl"
    shutil.copy(demo / src["file"], damaged)
    with damaged.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "x1", "text": "未闭合的引号\n')
        fh.write('["not", "an", "object"]\n')
    save_source(project, src["name"], origin=src["origin"], source_type=src["source_type"])
    import_dataset(project, ImportRequest(kind="training", paths=[damaged], name=src["name"], source=src["name"]))
    for bank in spec["banks"][1:]:
        import_dataset(
            project,
            ImportRequest(kind="bank", paths=[demo / bank["file"]], bank_kind=bank["kind"], version_date="2026-11-18"),
        )
    import_library_version(
        project, resource_path("keywords", "starter", "starter-keywords.csv"), library="starter", released="2026-11-20"
    )
    for f in sorted((demo / "evidence").iterdir()):
        add_evidence(project, f, links=[("clause", "5.1.a.1")] if "source" in f.name else [])
    return project


def settle(app, window, seconds: float = 0.3) -> None:
    """Let background jobs finish and the event loop paint."""
    deadline = time.monotonic() + 60
    while window.runner.running and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def screenshot_app(tmp: Path, theme: str):
    """The application, isolated in ``tmp`` (home, settings), with the bundled CJK font and ``theme``."""
    os.environ["GAISAFE_HOME"] = str(tmp / "home")
    os.environ["GAISAFE_ACTOR"] = "李雷（演示）Li Lei (demo)"
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QFont

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    from gaisafe_desktop.ui.app import make_application
    from gaisafe_desktop.ui.look import apply_theme

    app = make_application()
    families = [f for f in str(app.property("gaisafe_fonts")).split(",") if f and f != "-"]
    if families:
        font = QFont(families[0])
        font.setPointSize(10)
        app.setFont(font)
    apply_theme(app, theme)
    return app


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--xcb", action="store_true", help="use the xcb platform (run under Xvfb)")
    parser.add_argument("--theme", default="light")
    args = parser.parse_args()
    if not args.xcb:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    tmp = Path(tempfile.mkdtemp(prefix="gaisafe-shots-"))
    app = screenshot_app(tmp, args.theme)
    from gaisafe_desktop.ui import settings
    from gaisafe_desktop.ui.lang import switch_language
    from gaisafe_desktop.ui.look import apply_theme
    from gaisafe_desktop.ui.mainwindow import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    project = build_sample(tmp)
    sample = str(project.path)
    project.close()
    path = sample
    try:
        from gaisafe_desktop.core.demo import run_demo

        path = str(run_demo(tmp / "demo").project)  # the full demo audit, if this build has it
    except ImportError:
        pass
    settings.add_recent(path)
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    shots: list[Path] = []
    if path != sample:
        # Run every assessment once, through the dashboard, so its cards have results.
        from gaisafe_desktop.ui.pages.assessments import AssessmentsPage

        window.open_path(path)
        page = window.page(AssessmentsPage)
        page.run_everything()
        settle(app, window, 1.0)
        window.close_project()

    def shot(name: str, lang: str, widget=None) -> None:
        settle(app, window)
        target = OUT / f"{name}-{lang}.png"
        (widget or window).grab().save(str(target))
        shots.append(target)

    for lang in ("zh", "en"):
        switch_language(lang)
        window.close_project()
        shot("start", lang)
        window.new_project()
        wizard = window.wizard
        wizard.resize(980, 700)
        wizard.service_page.provider.setText("示例人工智能有限公司 Example AI Co.")
        wizard.service_page.service.setText("示例智能助手 Example Assistant")
        wizard.service_page.path.setText(str(tmp / f"wizard-{lang}.gaisafe"))
        wizard.next()
        wizard.next()
        shot("wizard-profile", lang, wizard)
        wizard.next()
        wizard.next()
        shot("wizard-applicability", lang, wizard)
        wizard.reject()
        window.open_path(path)
        # The checklist and the review workbench take their own screenshots (scripts of their owners).
        for index, name in enumerate(["overview", "data", "resources", "assessments", None, "auditlog", "evidence"]):
            if name is None:
                continue
            window.show_page(index)
            page = window.pages[index]
            if name == "data" and page.model.rowCount():
                quarantined = [i for i, d in enumerate(page.datasets) if d["quarantined"]]
                page.table.selectRow(quarantined[0] if quarantined else 0)
            if name == "resources" and page.lib_model.rowCount():
                page.lib_table.clearSelection()
                page.lib_table.selectRow(0)
            shot(name, lang)
            if name == "assessments" and hasattr(page, "cards") and page.rows:
                # The rate checks (spot checks, refusal) are further down: scroll to the first of them.
                rate = next((c for c in page.cards if c.row.get("n")), None)
                if rate is not None:
                    scroll = page.grid_holder.parentWidget().parentWidget()
                    scroll.ensureWidgetVisible(rate, 0, 0)
                    scroll.verticalScrollBar().setValue(rate.y() - 4)
                    shot("assessments-rates", lang)
    # The dark theme, once.
    apply_theme(app, "dark")
    window.show_page(2)
    shot("resources-dark", "en")
    apply_theme(app, args.theme)
    window.close()
    for s in shots:
        print(s.relative_to(ROOT))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
