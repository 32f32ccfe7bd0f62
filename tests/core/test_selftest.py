"""The self-test runs the real checks (models, framework, project, import, signed report) and reports honestly."""

from __future__ import annotations

import json
import os

import pytest

from gaisafe_desktop.core import selftest
from gaisafe_desktop.core.errors import NotFoundError
from gaisafe_desktop.core.selftest import (
    BUNDLE_MANIFEST,
    SelftestCheck,
    SelftestError,
    format_report,
    run_selftest,
    verify_bundle_manifest,
    write_bundle_manifest,
)


@pytest.fixture
def checks(monkeypatch):
    """The check list, restored after the test (tests add failing checks to it)."""
    monkeypatch.setattr(selftest, "CHECKS", list(selftest.CHECKS))
    return selftest.CHECKS


@pytest.mark.slow  # runs the whole demo audit too: ~15 s on an idle machine
def test_all_checks_pass_from_source(_isolated_user, tmp_path):
    report = run_selftest(keep=tmp_path / "work")
    assert [r.name for r in report.results][:8] == [
        "bundle",
        "resources",
        "models",
        "framework",
        "keywords",
        "project",
        "ingest",
        "report",
    ]
    assert report.ok, format_report(report)
    by_name = {r.name: r for r in report.results}
    # the models check names each bundled model with the hash it verified
    assert "risk-classifier" in by_name["models"].detail and "refusal-detector" in by_name["models"].detail
    assert "31 risks" in by_name["framework"].detail
    # what the checks made is real and kept where asked: a project, two report editions, a signed PDF
    work = tmp_path / "work"
    assert (work / "selftest.gaisafe").is_file()
    assert (work / "report-zh.pdf").read_bytes().startswith(b"%PDF")
    assert (work / "report-en.pdf").read_bytes().startswith(b"%PDF")
    assert b"/ByteRange" in (work / "report-zh-signed.pdf").read_bytes()
    # and a record for IT lands in the user's log folder (GAISAFE_HOME in tests)
    log = json.loads(open(report.log_file, encoding="utf-8").read())
    assert log["ok"] is True and str(_isolated_user) in report.log_file
    assert len(log["results"]) == len(report.results)


def test_scratch_folder_is_removed_by_default(tmp_path, monkeypatch):
    made = []
    real = selftest.tempfile.mkdtemp

    def spy(**kw):
        made.append(real(**kw))
        return made[-1]

    monkeypatch.setattr(selftest.tempfile, "mkdtemp", spy)
    report = run_selftest(only=["project"], write_log=False)
    assert report.ok and report.log_file is None
    assert made and not os.path.exists(made[0])


def test_failing_check_fails_the_run_and_skips_its_dependants(checks, tmp_path):
    def broken(ctx):
        raise SelftestError("Model file {file} changed.", file="x.onnx")

    selftest.register_check(SelftestCheck("project", "Project file", broken))
    report = run_selftest(only=["framework", "project", "ingest", "report"], write_log=False)
    status = {r.name: r.status for r in report.results}
    assert status == {"framework": "ok", "project": "failed", "ingest": "skipped", "report": "skipped"}
    assert not report.ok
    assert "x.onnx" in report.results[1].detail
    text = format_report(report)
    assert "3 of 4 checks did not pass" in text


def test_unexpected_exception_is_a_failure_not_a_crash(checks):
    def crashes(ctx):
        raise RuntimeError("boom")

    selftest.register_check(SelftestCheck("crash", "Crash", crashes), after="bundle")
    assert [c.name for c in checks][:2] == ["bundle", "crash"]
    report = run_selftest(only=["crash"], write_log=False)
    assert report.results[0].status == "failed" and "RuntimeError: boom" in report.results[0].detail


def test_unknown_check_name_is_a_clear_error():
    with pytest.raises(NotFoundError) as err:
        run_selftest(only=["nope"], write_log=False)
    assert "nope" in err.value.message() and "models" in err.value.message()


def _tree(root):
    (root / "resources" / "fonts").mkdir(parents=True)
    (root / "bundled_models" / "m").mkdir(parents=True)
    (root / "resources" / "fonts" / "a.ttc").write_bytes(b"font bytes")
    (root / "bundled_models" / "m" / "model.onnx").write_bytes(b"\x08\x01model")
    return root


def test_bundle_manifest_detects_changed_and_missing_files(tmp_path):
    root = _tree(tmp_path / "bundle")
    path = write_bundle_manifest(root)
    assert path == root / BUNDLE_MANIFEST
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [ln.split("  ")[1] for ln in lines] == ["resources/fonts/a.ttc", "bundled_models/m/model.onnx"]
    assert verify_bundle_manifest(root) == (2, [])
    (root / "bundled_models" / "m" / "model.onnx").write_bytes(b"\x08\x02model")
    (root / "resources" / "fonts" / "a.ttc").unlink()
    count, problems = verify_bundle_manifest(root)
    assert count == 2
    assert any("model.onnx" in p and "changed" in p for p in problems)
    assert any("a.ttc" in p and "missing" in p for p in problems)


def test_bundle_manifest_names_a_bad_line(tmp_path):
    root = _tree(tmp_path / "bundle")
    write_bundle_manifest(root)
    with (root / BUNDLE_MANIFEST).open("a", encoding="utf-8") as fh:
        fh.write("not a checksum line\n")
    _count, problems = verify_bundle_manifest(root)
    assert problems == [f"{root / BUNDLE_MANIFEST}, line 3: not `<sha256>  <path>`"]


def test_cli_selftest_json_and_exit_codes(cli, checks):
    r = cli("--json", "selftest", "--only", "framework", "--only", "models")
    assert r.code == 0, r.err
    data = r.json
    assert data["ok"] is True and [x["name"] for x in data["results"]] == ["models", "framework"]

    def broken(ctx):
        raise SelftestError("broken on purpose")

    selftest.register_check(SelftestCheck("framework", "Framework pack loads", broken))
    r = cli("selftest", "--only", "framework")
    assert r.code == 5
    assert "FAILED" in r.out and "broken on purpose" in r.out


def test_cli_selftest_list_in_chinese(cli):
    r = cli("--lang", "zh", "selftest", "--list")
    assert r.code == 0
    assert "内置模型：SHA-256 与推理" in r.out and "report" in r.out


def test_onnxruntime_telemetry_is_switched_off_for_the_app_and_its_workers():
    """onnxruntime phones home unless ORT_DISABLE_TELEMETRY is set; importing the package sets it, so
    worker processes spawned later inherit it. (The frozen-build test proves no connection is attempted.)"""
    import subprocess
    import sys

    code = "import os, gaisafe_desktop; print(os.environ.get('ORT_DISABLE_TELEMETRY'))"
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env["PYTHONPATH"] = str(__import__("gaisafe_testing").ROOT)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "1"
