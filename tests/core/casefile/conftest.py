"""Fixtures for case-file tests: a project with people and evidence, a key, a signed report, a case file."""

from __future__ import annotations

import pytest

PASSWORD = "correct horse"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A real exported case file (built once per module): project, evidence, signed report, key."""
    from gaisafe_desktop.core.casefile import export_casefile
    from gaisafe_desktop.core.report.from_project import build_report
    from gaisafe_desktop.core.report.keys import create_key
    from gaisafe_desktop.core.report.sign import sign_pdf
    from gaisafe_desktop.core.store import create_project
    from gaisafe_desktop.core.store.evidence import add_evidence
    from gaisafe_desktop.core.store.people import add_person

    d = tmp_path_factory.mktemp("casefile")
    project = create_project(
        d / "audit.gaisafe",
        framework_id="tc260-2024-draft",
        provider="示例科技",
        service="示例对话",
        model_name="demo-llm",
        model_version="1.0",
        actor="Li Lei",
    )
    add_person(project, "Li Lei", ["lead_auditor"], organisation="Audit Co")
    doc = d / "访谈记录.txt"
    doc.write_text("interview notes 访谈", encoding="utf-8")
    add_evidence(project, doc, note="interview")
    project.close()
    store = d / "keys"
    key = create_key("Li Lei", "Audit Co", "", PASSWORD, store=store)
    build_report(d / "audit.gaisafe", d / "report.pdf", langs=("en",), actor="Li Lei")
    sign_pdf(d / "report.pdf", d / "report.pdf", key=key.key_id, password=PASSWORD, store=store)
    result = export_casefile(
        d / "audit.gaisafe",
        d / "case.gaicase",
        key=key.key_id,
        password=PASSWORD,
        reports=[d / "report.pdf"],
        store=store,
        actor="Li Lei",
    )
    return {"dir": d, "case": result.path, "result": result, "key": key, "store": store, "project": d / "audit.gaisafe"}
