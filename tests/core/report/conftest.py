"""Fixtures for report tests: rendered demo editions (built once per session) and keys."""

from __future__ import annotations

import pytest

from gaisafe_desktop.core.report.demo import demo_model
from gaisafe_desktop.core.report.render import render_report


@pytest.fixture(scope="session")
def demo_pdfs(tmp_path_factory):
    """The demo model (300-row annex) rendered in both editions."""
    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for lang in ("zh", "en"):
        out[lang] = render_report(demo_model(annex_rows=300), lang, folder / f"demo-{lang}.pdf")
    return out


@pytest.fixture
def key_store(tmp_path):
    return tmp_path / "keys"


@pytest.fixture
def two_keys(key_store):
    from gaisafe_desktop.core.report.keys import create_key

    a = create_key("李雷 Li Lei", "示例评估中心", "li@example.org", "correct horse", store=key_store)
    b = create_key("Han Meimei", "Example Audit", "", "battery staple", algorithm="rsa-3072", store=key_store)
    return a, b


@pytest.fixture
def small_pdf(tmp_path):
    """A small real PDF (reportlab canvas) to sign."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "small.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "GAISafe signing test")
    c.showPage()
    c.save()
    return path
