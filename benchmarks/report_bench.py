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


WALL: dict[str, float] = {}


def timed(fn, repeat: int, label: str = "") -> float:
    """Median CPU seconds of ``fn`` (robust on a shared machine); the median wall time goes to WALL."""
    cpu, wall = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - t)
    WALL[label] = statistics.median(wall)
    return statistics.median(cpu)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=4000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--evidence-mb", type=int, default=64, help="evidence in the case-file measurement (0: skip)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="report-bench-"))
    register_fonts()  # font loading (once per process) is not part of either measurement
    key = create_key("Bench Signer", "Bench Org", "", "bench-password", store=work / "keys")
    rsa = create_key("Bench RSA", "Bench Org", "", "bench-password", algorithm="rsa-3072", store=work / "keys")

    ref = timed(lambda: bare_canvas(args.rows, work / "bare.pdf"), args.repeat, "ref")
    pages = {}

    def render(lang: str) -> None:
        r = render_report(demo_model(annex_rows=args.rows), lang, work / f"report-{lang}.pdf")
        pages[lang] = (r.pages, r.bytes)

    t_zh = timed(lambda: render("zh"), args.repeat, "zh")
    t_en = timed(lambda: render("en"), args.repeat, "en")
    src = work / "report-zh.pdf"
    t_sign = timed(lambda: sign_pdf(src, work / "signed.pdf", key=key.key_id, password="bench-password",
                                    store=work / "keys"), args.repeat, "sign")  # fmt: skip
    t_sign2 = timed(lambda: sign_pdf(work / "signed.pdf", work / "signed2.pdf", key=rsa.key_id,
                                     password="bench-password", store=work / "keys"), args.repeat, "sign2")  # fmt: skip
    t_verify = timed(lambda: verify_pdf(work / "signed2.pdf", [key.cert_path, rsa.cert_path]), args.repeat, "verify")
    assert verify_pdf(work / "signed2.pdf", [key.cert_path, rsa.cert_path]).trusted

    import reportlab.lib.rl_accel as accel

    c_accel = getattr(accel, "_c_funcs", None)
    print(f"annex rows: {args.rows}; median of {args.repeat} runs; rl_accel C extension: {bool(c_accel)}")
    print(f"{'step':<44}{'CPU s':>8}{'ratio':>8}{'wall s':>8}  pages / bytes")
    rows = [
        ("reference: bare canvas, same rows and font", ref, "ref", ""),
        ("render zh edition", t_zh, "zh", f"{pages['zh'][0]} / {pages['zh'][1]:,}"),
        ("render en edition", t_en, "en", f"{pages['en'][0]} / {pages['en'][1]:,}"),
        ("sign (PAdES B-B, ECDSA P-256)", t_sign, "sign", ""),
        ("second signature (RSA-3072, incremental)", t_sign2, "sign2", ""),
        ("verify both signatures", t_verify, "verify", ""),
    ]
    for label, cpu, key_, extra in rows:
        print(f"{label:<44}{cpu:>8.2f}{cpu / ref:>8.2f}{WALL[key_]:>8.2f}  {extra}")
    total = t_zh + t_en + t_sign + t_sign2
    wall = WALL["zh"] + WALL["en"] + WALL["sign"] + WALL["sign2"]
    print(f"{'build both editions + sign zh twice':<44}{total:>8.2f}{total / ref:>8.2f}{wall:>8.2f}")
    if args.evidence_mb:
        casefile_bench(work, key, args.evidence_mb)
    return 0


def casefile_bench(work: Path, key, mb: int) -> None:
    """Export and verify a case file holding ``mb`` MB of evidence (half text, half random bytes)."""
    import hashlib
    import os

    from gaisafe_desktop.core.casefile import export_casefile, verify_casefile
    from gaisafe_desktop.core.store import create_project
    from gaisafe_desktop.core.store.evidence import add_evidence

    text = work / "evidence.txt"
    blob = work / "evidence.bin"
    line = "访谈记录 interview transcript line, with numbers 0123456789\n".encode()
    with text.open("wb") as fh:
        for _ in range(mb * 1024 * 1024 // 2 // len(line)):
            fh.write(line)
    blob.write_bytes(os.urandom(mb * 1024 * 1024 // 2))
    project = create_project(work / "bench.gaisafe", framework_id="tc260-2024-draft", provider="P", service="S",
                             actor="bench")  # fmt: skip
    add_evidence(project, text)
    add_evidence(project, blob)
    project.close()

    def reference() -> None:
        for f in (text, blob, text, blob):  # read + hash twice: what export + verify must do at least
            h = hashlib.sha256()
            with f.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)

    ref = timed(reference, 3, "cf-ref")
    case = work / "bench.gaicase"
    t_export = timed(lambda: export_casefile(work / "bench.gaisafe", case, key=key.key_id,
                                             password="bench-password", store=work / "keys"), 1, "cf-export")  # fmt: skip
    t_verify = timed(lambda: verify_casefile(case, [key.cert_path]), 3, "cf-verify")
    assert verify_casefile(case, [key.cert_path]).trusted
    print()
    print(f"case file with {mb} MB of evidence ({case.stat().st_size / 1e6:.1f} MB zipped)")
    print(f"{'reference: SHA-256 of the evidence, twice':<44}{ref:>8.2f}{1.0:>8.2f}{WALL['cf-ref']:>8.2f}")
    print(
        f"{'export (snapshot, evidence, bag, sign, zip)':<44}{t_export:>8.2f}{t_export / ref:>8.2f}{WALL['cf-export']:>8.2f}"
    )
    print(
        f"{'verify (safe extract, hashes, signatures, audit)':<44}{t_verify:>8.2f}{t_verify / ref:>8.2f}{WALL['cf-verify']:>8.2f}"
    )


if __name__ == "__main__":
    sys.exit(main())
