"""Benchmark: build and sign a report with a 4,000-item annex, in both editions.

    nice /work/venv/bin/python benchmarks/report_bench.py [--rows 4000] [--repeat 3]

Reference measured in the same run: the same annex rows drawn with a bare reportlab canvas
(``drawString`` per row, same embedded font, no layout, no TOC, one pass). The ratio says how much
the real report (wrapping cells, repeated headers, charts, two-pass TOC, page x of y) costs over
the cheapest possible PDF of the same text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gaisafe_desktop.core.report.demo import demo_model  # noqa: E402
from gaisafe_desktop.core.report.fonts import register_fonts  # noqa: E402
from gaisafe_desktop.core.report.keys import create_key  # noqa: E402
from gaisafe_desktop.core.report.render import render_report  # noqa: E402
from gaisafe_desktop.core.report.sign import sign_pdf, verify_pdf  # noqa: E402


def bare_canvas(rows: int, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = register_fonts()
    model = demo_model(annex_rows=rows)
    table = model.annexes[0].blocks[0]
    c = canvas.Canvas(str(out), pagesize=A4)
    y = 800
    for row in table.rows:
        text = "  ".join(v if isinstance(v, str) else (v.get("en", "") if isinstance(v, dict) else str(v)) for v in row)
        c.setFont(font, 7.5)
        c.drawString(40, y, text)
        y -= 10
        if y < 40:
            c.showPage()
            y = 800
    c.save()


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=4000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="report-bench-"))
    register_fonts()  # font loading (once per process) is not part of either measurement
    key = create_key("Bench Signer", "Bench Org", "", "bench-password", store=work / "keys")
    rsa = create_key("Bench RSA", "Bench Org", "", "bench-password", algorithm="rsa-3072", store=work / "keys")

    ref = timed(lambda: bare_canvas(args.rows, work / "bare.pdf"), args.repeat)
    pages = {}

    def render(lang: str) -> None:
        r = render_report(demo_model(annex_rows=args.rows), lang, work / f"report-{lang}.pdf")
        pages[lang] = (r.pages, r.bytes)

    t_zh = timed(lambda: render("zh"), args.repeat)
    t_en = timed(lambda: render("en"), args.repeat)
    src = work / "report-zh.pdf"
    t_sign = timed(lambda: sign_pdf(src, work / "signed.pdf", key=key.key_id, password="bench-password",
                                    store=work / "keys"), args.repeat)  # fmt: skip
    t_sign2 = timed(lambda: sign_pdf(work / "signed.pdf", work / "signed2.pdf", key=rsa.key_id,
                                     password="bench-password", store=work / "keys"), args.repeat)  # fmt: skip
    t_verify = timed(lambda: verify_pdf(work / "signed2.pdf", [key.cert_path, rsa.cert_path]), args.repeat)
    assert verify_pdf(work / "signed2.pdf", [key.cert_path, rsa.cert_path]).trusted

    print(f"annex rows: {args.rows}; median of {args.repeat} runs; work dir {work}")
    print(f"{'step':<44}{'seconds':>9}{'ratio':>9}  pages / bytes")
    print(f"{'reference: bare canvas, same rows and font':<44}{ref:>9.2f}{1.0:>9.1f}")
    print(f"{'render zh edition':<44}{t_zh:>9.2f}{t_zh / ref:>9.1f}  {pages['zh'][0]} / {pages['zh'][1]:,}")
    print(f"{'render en edition':<44}{t_en:>9.2f}{t_en / ref:>9.1f}  {pages['en'][0]} / {pages['en'][1]:,}")
    print(f"{'sign (PAdES B-B, ECDSA P-256)':<44}{t_sign:>9.2f}{t_sign / ref:>9.2f}")
    print(f"{'second signature (RSA-3072, incremental)':<44}{t_sign2:>9.2f}{t_sign2 / ref:>9.2f}")
    print(f"{'verify both signatures':<44}{t_verify:>9.2f}{t_verify / ref:>9.2f}")
    total = t_zh + t_en + t_sign + t_sign2
    print(f"{'build both editions + sign zh twice':<44}{total:>9.2f}{total / ref:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
