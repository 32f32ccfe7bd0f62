"""The README's main job: `gaisafe demo` in a fresh folder, checked like a regulator would."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from gaisafe_testing import run_gaisafe_subprocess

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "fresh"
    r = run_gaisafe_subprocess("--json", "demo", "--out", out, timeout=1200, GAISAFE_BLOCK_QT="1")
    assert r.returncode == 0, r.stderr[-3000:]
    return out, json.loads(r.stdout)


def test_every_assessment_has_a_verdict(demo):
    _, data = demo
    by_check = {v["check"]: v for v in data["verdicts"]}
    for check in (
        "keyword_library",
        "generated_bank",
        "should_refuse_bank",
        "should_not_refuse_bank",
        "classifier_coverage",
        "training_technical",
        "training_manual",
        "generated_content.manual",
        "generated_content.keyword",
        "generated_content.classifier",
        "refusal_should_refuse",
        "refusal_should_not_refuse",
    ):
        assert by_check[check]["outcome"] in ("pass", "fail"), check
    # the demo's sources: two under the 5% rule, one deliberately over it
    assert by_check["source_rule:src-a-encyclopedia-zh"]["outcome"] == "pass"
    assert by_check["source_rule:src-b-forum-en"]["outcome"] == "pass"
    assert by_check["source_rule:src-c-comments-zh"]["outcome"] == "fail"
    assert by_check["source_rule:src-c-comments-zh"]["rate"] == pytest.approx(180 / 2000)
    # the standard's sample sizes, drawn exactly
    assert by_check["training_manual"]["n"] == 4000
    assert by_check["training_technical"]["n"] == 603  # ⌈10% × 6,021⌉
    assert by_check["generated_content.manual"]["n"] == 1000
    assert by_check["refusal_should_refuse"]["n"] == 300
    assert by_check["refusal_should_not_refuse"]["n"] == 300
    # A.1.a–c have no open data: the bank checks must say so, not pass
    assert by_check["should_refuse_bank"]["outcome"] == "fail"


def test_reports_are_signed_and_readable_in_both_languages(demo):
    from gaisafe_desktop.core.report.sign import verify_pdf

    out, data = demo
    assert {r["lang"] for r in data["reports"]} == {"zh", "en"}
    pdftotext = shutil.which("pdftotext")
    for r in data["reports"]:
        check = verify_pdf(r["signed"], trusted_certs=[data["certificate"]])
        assert check.ok, [p.message() for p in check.problems]
        assert check.trusted and all(s.intact and s.valid and s.trusted for s in check.signatures)
        if pdftotext:
            text = subprocess.run([pdftotext, "-layout", r["signed"], "-"], capture_output=True, text=True).stdout
            if r["lang"] == "zh":
                assert "评估结论摘要" in text and "演示" in text
            else:
                assert "Executive summary" in text and "DEMO" in text.upper()
            assert "src-c-comments-zh" in text


def test_case_file_verifies_and_replays(demo, gaisafe_subprocess):
    out, data = demo
    assert data["casefile_ok"] is True, data["casefile_problems"]
    r = gaisafe_subprocess("casefile", "verify", data["casefile"], "--trust", data["certificate"], "--require-trust")
    assert r.returncode == 0, r.stdout + r.stderr
