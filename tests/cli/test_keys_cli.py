"""``gaisafe keys create|import|list`` through the real CLI."""

from __future__ import annotations


def test_create_list_import(cli, tmp_path, monkeypatch, _isolated_user):
    monkeypatch.setenv("GAISAFE_KEY_PASSWORD", "correct horse")
    r = cli("--json", "keys", "create", "--name", "李雷", "--org", "示例评估中心", "--email", "li@example.org")
    assert r.code == 0, r.err
    created = r.json
    assert created["name"] == "李雷" and created["algorithm"] == "ecdsa-p256"
    assert created["p12_path"].startswith(str(_isolated_user / "keys"))
    r = cli("keys", "list")
    assert r.code == 0 and created["key_id"] in r.out and "李雷" in r.out
    # import the same PKCS#12 into another store
    other = tmp_path / "other-store"
    r = cli("--json", "keys", "import", created["p12_path"], "--store", other)
    assert r.code == 0, r.err
    assert r.json["fingerprint_sha256"] == created["fingerprint_sha256"]
    assert [k["key_id"] for k in cli("--json", "keys", "list", "--store", other).json] == [created["key_id"]]


def test_wrong_password_and_short_password_exit_with_clear_errors(cli, monkeypatch):
    monkeypatch.setenv("GAISAFE_KEY_PASSWORD", "correct horse")
    created = cli("--json", "keys", "create", "--name", "Li Lei").json
    monkeypatch.setenv("GAISAFE_KEY_PASSWORD", "wrong horse")
    r = cli("keys", "import", created["p12_path"], "--store", "elsewhere")
    assert r.code == 4 and "wrong password" in r.err
    monkeypatch.setenv("GAISAFE_KEY_PASSWORD", "short")
    r = cli("keys", "create", "--name", "Li Lei")
    assert r.code == 2 and "at least 8 characters" in r.err


def test_empty_store_says_how_to_create_a_key(cli):
    r = cli("--lang", "zh", "keys", "list")
    assert r.code == 0 and "gaisafe keys create" in r.out
