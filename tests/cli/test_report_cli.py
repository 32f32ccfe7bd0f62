"""``gaisafe report build|sign|verify`` through the real CLI, on a real project."""

from __future__ import annotations

import shutil
import subprocess

import pytest


@pytest.fixture
def project_with_key(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("GAISAFE_KEY_PASSWORD", "correct horse")
    path = tmp_path / "acme.gaisafe"
    assert cli("project", "new", path, "--provider", "Acme AI", "--service", "Acme Chat").code == 0
    assert cli("--project", path, "people", "add", "Li Lei", "--role", "lead_auditor").code == 0
    key = cli("--json", "keys", "create", "--name", "Li Lei", "--org", "Audit Co").json
    return path, key


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_build_sign_verify(project_with_key, tmp_path, cli):
    path, key = project_with_key
    r = cli("--project", path, "--json", "report", "build", "-o", tmp_path / "report.pdf")
    assert r.code == 0, r.err
    editions = {e["lang"]: e for e in r.json}
    assert set(editions) == {"zh", "en"}
    zh_text = subprocess.run(
        ["pdftotext", editions["zh"]["path"], "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "评估结论摘要" in zh_text and "Acme AI" in zh_text
    pdf = editions["en"]["path"]
    r = cli("report", "sign", pdf, "--key", key["key_id"], "--reason", "Lead auditor approval", "--location", "Beijing")
    assert r.code == 0, r.err
    assert "valid, but the signer is not trusted" in r.out
    r = cli("report", "verify", pdf, "--trust", key["cert_path"])
    assert r.code == 0 and "valid, signer trusted" in r.out and "Lead auditor approval" in r.out
    # the audit log recorded the build
    log = cli("--project", path, "--json", "audit", "log").json
    assert any(e["action"] == "report.build" for e in (log if isinstance(log, list) else log.get("entries", [])))


def test_verify_of_a_tampered_pdf_exits_5(project_with_key, tmp_path, cli):
    path, key = project_with_key
    cli("--project", path, "report", "build", "--edition", "en", "-o", tmp_path / "r.pdf")
    assert cli("report", "sign", tmp_path / "r.pdf", "--key", key["key_id"]).code == 0
    data = bytearray((tmp_path / "r.pdf").read_bytes())
    data[len(data) // 3] ^= 0x01
    (tmp_path / "r.pdf").write_bytes(bytes(data))
    r = cli("--json", "report", "verify", tmp_path / "r.pdf")
    assert r.code == 5
    assert r.json["ok"] is False
    assert cli("report", "verify", tmp_path / "missing.pdf").code == 3


def test_build_without_a_project_is_a_usage_error(cli):
    r = cli("report", "build")
    assert r.code == 2 and "--project" in r.err


def test_require_trust_turns_an_untrusted_signer_into_a_failure(project_with_key, tmp_path, cli):
    path, key = project_with_key
    cli("--project", path, "report", "build", "--edition", "zh", "-o", tmp_path / "r.pdf")
    assert cli("report", "sign", tmp_path / "r.pdf", "--key", key["key_id"]).code == 0
    assert cli("report", "verify", tmp_path / "r.pdf").code == 0
    r = cli("report", "verify", tmp_path / "r.pdf", "--require-trust")
    assert r.code == 5 and "--trust" in r.err
    assert cli("report", "verify", tmp_path / "r.pdf", "--require-trust", "--trust", key["cert_path"]).code == 0
