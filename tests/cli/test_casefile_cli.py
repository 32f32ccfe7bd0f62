"""``gaisafe casefile export|verify|replay`` through the real CLI."""

from __future__ import annotations

import json
import zipfile


def test_export_verify_replay_and_tamper(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("GAISAFE_KEY_PASSWORD", "correct horse")
    path = tmp_path / "acme.gaisafe"
    assert cli("project", "new", path, "--provider", "Acme AI", "--service", "Acme Chat").code == 0
    key = cli("--json", "keys", "create", "--name", "Li Lei").json
    cli("--project", path, "report", "build", "--edition", "en", "-o", tmp_path / "r.pdf")
    assert cli("report", "sign", tmp_path / "r.pdf", "--key", key["key_id"]).code == 0
    r = cli(
        "--project", path, "--json", "casefile", "export", "-o", tmp_path / "case", "--key", key["key_id"],
        "--report", tmp_path / "r.pdf",
    )  # fmt: skip
    assert r.code == 0, r.err
    case = r.json["path"]
    assert case.endswith(".gaicase")
    assert cli("casefile", "verify", case, "--require-trust").code == 5
    r = cli("casefile", "verify", case, "--trust", key["cert_path"], "--require-trust")
    assert r.code == 0, r.out
    assert "OK, signers trusted" in r.out
    r = cli("--lang", "zh", "casefile", "replay", case)
    assert r.code == 0
    # change one byte of the report inside the case file
    bad = tmp_path / "bad.gaicase"
    with zipfile.ZipFile(case) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("data/reports/r.pdf"):
                data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
            zout.writestr(info.filename, data)
    r = cli("--json", "casefile", "verify", bad)
    assert r.code == 5
    assert "data/reports/r.pdf" in {p["path"] for p in r.json["problems"]}


def test_a_regulator_verifies_in_a_real_process_without_qt_or_network(tmp_path, cli, monkeypatch, gaisafe_subprocess):
    monkeypatch.setenv("GAISAFE_KEY_PASSWORD", "correct horse")
    path = tmp_path / "acme.gaisafe"
    assert cli("project", "new", path, "--provider", "Acme AI", "--service", "Acme Chat").code == 0
    key = cli("--json", "keys", "create", "--name", "Li Lei").json
    r = cli("--project", path, "--json", "casefile", "export", "-o", tmp_path / "case", "--key", key["key_id"])
    assert r.code == 0, r.err
    proc = gaisafe_subprocess(
        "--json", "casefile", "verify", r.json["path"], "--trust", key["cert_path"], GAISAFE_BLOCK_QT="1"
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["ok"] and result["trusted"] and result["signature"]["signer_name"] == "Li Lei"


def test_open_prints_the_review_overview(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("GAISAFE_KEY_PASSWORD", "correct horse")
    path = tmp_path / "acme.gaisafe"
    assert cli("project", "new", path, "--provider", "Acme AI", "--service", "Acme Chat").code == 0
    assert cli("--project", path, "people", "add", "Li Lei", "--role", "lead_auditor").code == 0
    key = cli("--json", "keys", "create", "--name", "Li Lei").json
    case = cli("--project", path, "--json", "casefile", "export", "-o", tmp_path / "c", "--key", key["key_id"]).json
    r = cli("casefile", "open", case["path"], "--trust", key["cert_path"])
    assert r.code == 0, r.err
    assert "Verification: OK, signers trusted; signed by Li Lei" in r.out
    assert "Acme AI" in r.out and "People: Li Lei" in r.out
    r = cli("--lang", "zh", "--json", "casefile", "open", case["path"])
    assert r.json["verification"]["ok"] and not r.json["verification"]["trusted"]
