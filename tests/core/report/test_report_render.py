"""The PDF report: both editions, real fonts, text extractable by pdftotext, outline, metadata, speed-safe tables."""

from __future__ import annotations

import io
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from report_pdftools import needs_poppler, pdftotext

from gaisafe_desktop.core.report.demo import demo_model
from gaisafe_desktop.core.report.model import Section, Table
from gaisafe_desktop.core.report.render import render_report

pytestmark = needs_poppler


def test_chinese_edition_text_extracts_with_chinese(demo_pdfs):
    text = pdftotext(demo_pdfs["zh"].path)
    for expected in (
        "生成式人工智能服务安全评估报告（示例）",  # cover title (data)
        "评估结论摘要",  # fixed heading, translated through the report catalogue
        "目录",
        "训练数据人工抽检合格率",
        "91.9% – 97.2%",  # 285/300: the interval ARCHITECTURE.md quotes
        "符合 †",  # ... passes the point rule, but the interval crosses 95%: flagged
        "† 符合点估计规则，但 95% 精确区间跨越阈值。",
        "不符合",
        "精确 95% 区间（Clopper-Pearson）",  # chart legend
        "样本清单（示例）",
        "第 1 页，共",
    ):
        assert expected in text, expected
    assert "Executive summary" not in text


def test_english_edition_text_extracts(demo_pdfs):
    text = pdftotext(demo_pdfs["en"].path)
    for expected in (
        "Generative AI service security assessment (example)",
        "Executive summary",
        "Contents",
        "Training data, manual spot check",
        "91.9% – 97.2%",
        "Pass †",
        "† Passes the point rule, but the 95% exact interval crosses the threshold.",
        "exact 95% interval (Clopper-Pearson)",
        "Annex A Sample listing (example)",
        "4.1 Signatures",
        "gaisafe report verify",
        "Page 1 of",
    ):
        assert expected in text, expected
    # names given in Chinese stay Chinese in the English edition
    assert "示例科技有限公司" in text


def test_every_font_is_embedded_no_cid_fallback(demo_pdfs):
    for r in demo_pdfs.values():
        out = subprocess.run(["pdffonts", str(r.path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows, out
        for row in rows:
            assert "WenQuanYiMicroHei" in row, row  # never Helvetica or STSong-Light
            cols = row.split()
            assert cols[-5:-3] == ["yes", "yes"], row  # embedded, subset


def test_page_x_of_y_matches_the_page_count(demo_pdfs):
    r = demo_pdfs["en"]
    last = pdftotext(r.path, first=r.pages, last=r.pages)
    assert f"Page {r.pages} of {r.pages}" in last
    assert r.pages >= 8


def test_metadata_outline_and_language(demo_pdfs):
    for lang, r in demo_pdfs.items():
        info = subprocess.run(["pdfinfo", str(r.path)], capture_output=True, text=True, check=True).stdout
        assert "Creator:         GAISafe Desktop" in info
        assert "李雷 Li Lei" in info
        title = (
            "生成式人工智能服务安全评估报告（示例）" if lang == "zh" else "Generative AI service security assessment"
        )
        assert title in info
        reader = PdfFileReader(io.BytesIO(r.path.read_bytes()))
        assert str(reader.root["/Lang"]) == ("zh-CN" if lang == "zh" else "en")
        outline = reader.root["/Outlines"]
        titles = []
        node = outline["/First"]
        while True:
            titles.append(str(node["/Title"]))
            if "/Next" not in node:
                break
            node = node["/Next"]
        expected_first = "1 评估结论摘要" if lang == "zh" else "1 Executive summary"
        assert titles[0] == expected_first
        assert len(titles) >= 5  # summary, assessment, evidence, audit log, annex


def test_table_of_contents_lists_sections_with_page_numbers(demo_pdfs):
    toc = pdftotext(demo_pdfs["en"].path, first=2, last=2)
    assert "Contents" in toc
    for heading in ("1 Executive summary", "2 Generated-content assessment", "Annex A Sample listing"):
        line = next(ln for ln in toc.splitlines() if heading in ln)
        assert line.rstrip().split()[-1].isdigit(), line


def test_long_table_repeats_its_header_on_every_page(demo_pdfs):
    r = demo_pdfs["en"]
    pages_with_rows = 0
    for page in range(1, r.pages + 1):
        text = pdftotext(r.path, first=page, last=page)
        if "item-0" in text:
            pages_with_rows += 1
            assert "Record key" in text, f"page {page} lacks the repeated header"
    assert pages_with_rows >= 5
    full = pdftotext(r.path)
    assert "item-00000" in full and "item-00299" in full  # first and last row, nothing lost


def test_table_rows_can_be_a_generator_and_bad_rows_are_named(tmp_path):
    model = demo_model(annex_rows=0)
    model.annexes = [Section("bad", "Bad", [Table(["a", "b"], iter([("1", "2"), ("only one",)]))])]
    with pytest.raises(ValueError, match="row 2 has 1 cells, expected 2"):
        render_report(model, "en", tmp_path / "bad.pdf")
    assert not (tmp_path / "bad.pdf").exists()
    assert not (tmp_path / "bad.pdf.part").exists()


def test_summary_rows_carry_the_stats_module_figures(demo_pdfs):
    from gaisafe_desktop.core.stats.verdict import judge_rate

    text = pdftotext(demo_pdfs["en"].path, first=3, last=3)
    for k, n, threshold, direction in ((3880, 4000, 0.96, "min"), (941, 1000, 0.90, "min"), (21, 300, 0.05, "max")):
        v = judge_rate(k, n, threshold, direction=direction)
        assert f"{v.ci_low:.1%} – {v.ci_high:.1%}" in text
        assert f"{v.rate:.1%}" in text
    assert "Insufficient sample" not in text


def test_a_row_from_an_insufficient_sample(tmp_path):
    from gaisafe_desktop.core.report.model import SummaryRow, Verdict
    from gaisafe_desktop.core.stats.verdict import judge_rate

    row = SummaryRow.from_rate_verdict("b21a", "Training data", "B.2.1a", judge_rate(950, 1000, 0.96, min_n=4000))
    assert row.verdict == Verdict.INSUFFICIENT and row.threshold == "≥ 96.0%" and row.interval_note == ""
    model = demo_model(annex_rows=0)
    model.summary = [row]
    r = render_report(model, "zh", tmp_path / "s.pdf")
    assert "样本量不足" in pdftotext(r.path, first=3, last=3)


def test_progress_is_reported_per_page_and_cancel_stops(tmp_path):
    from gaisafe_desktop.core.errors import CancelledError
    from gaisafe_desktop.core.jobs import CancelToken

    seen = []
    render_report(demo_model(annex_rows=50), "en", tmp_path / "p.pdf", progress=lambda d, t, m="": seen.append(d))
    assert seen and max(seen) >= 5
    token = CancelToken()

    def cancel_at_3(done, total, message=""):
        if done >= 3:
            token.cancel()

    with pytest.raises(CancelledError):
        render_report(demo_model(annex_rows=500), "en", tmp_path / "c.pdf", progress=cancel_at_3, cancel=token)
    assert not (tmp_path / "c.pdf").exists()


def test_hostile_cell_text_renders(tmp_path):
    """Control characters, markup, very long answers and unbroken tokens do not break the layout."""
    long_answer = "模型回答" * 2000 + "\nsecond line"
    rows = [
        ("1", "<b>not markup</b> & <script>", "a\x00b\x1bc\x7fd"),
        ("2", long_answer, "x" * 500),
        ("3", "line one\r\nline two", "中文\t制表"),
    ]
    model = demo_model(annex_rows=0)
    model.annexes = [Section("hostile", "Hostile cells", [Table(["#", "answer", "other"], rows, [0.3, 3, 1.5])])]
    r = render_report(model, "en", tmp_path / "h.pdf")
    text = pdftotext(r.path)
    assert "<b>not markup</b> & <script>" in text
    assert "abcd" in text
    assert "[…]" in text and "second line" not in text  # cut, visibly
    assert "line two" in text


def test_long_text_in_a_narrow_column_still_fits_a_page(tmp_path):
    rows = [(str(i), "长" * 3000, "x") for i in range(3)]
    model = demo_model(annex_rows=0)
    model.annexes = [Section("narrow", "Narrow", [Table(["#", "narrow", "wide"], rows, [0.5, 0.4, 6])])]
    r = render_report(model, "zh", tmp_path / "n.pdf")
    assert "[…]" in pdftotext(r.path)


def test_many_short_lines_in_a_cell_still_fit_a_page(tmp_path):
    rows = [("1", "\n".join(f"line {i}" for i in range(400)), "x")]
    model = demo_model(annex_rows=0)
    model.annexes = [Section("lines", "Lines", [Table(["#", "text", "x"], rows, [0.5, 3, 1])])]
    r = render_report(model, "en", tmp_path / "l.pdf")
    text = pdftotext(r.path)
    assert "line 0" in text and "[…]" in text and "line 399" not in text


def test_charts_with_many_categories_still_fit_the_pages(tmp_path):
    from gaisafe_desktop.core.report.model import BreakdownChart, RateBar, RateChart

    bars = [RateBar(f"source-{i:03d}", 0.97, 0.95, 0.99, 0.95) for i in range(60)]
    items = [(f"code-{i:03d}", float(200 - i)) for i in range(120)]
    model = demo_model(annex_rows=0)
    model.sections = [Section("many", "Many", [RateChart("Rates", bars), BreakdownChart("Breakdown", items)])]
    r = render_report(model, "en", tmp_path / "many.pdf")
    text = pdftotext(r.path)
    assert "source-000" in text and "source-059" in text  # every rate row is drawn, over several charts
    assert "code-000" in text and "code-038" in text and "81 others (total)" in text
    assert "code-119" not in text


def test_long_names_in_the_running_header_are_cut_not_overlapped(tmp_path):
    model = demo_model(annex_rows=0)
    model.cover.provider = "示例人工智能有限公司（演示）Example AI Company Limited (demo) " * 2
    model.cover.service = "示例智能助手（演示）Example Assistant Service (demo)"
    r = render_report(model, "en", tmp_path / "h.pdf")
    header = " ".join(pdftotext(r.path, first=3, last=3).split("Executive summary")[0].split())
    assert "Generative AI service security assessment (example)" in header and "(demo) …" in header
    assert model.cover.service not in header  # cut to its half of the line, never drawn off the page
