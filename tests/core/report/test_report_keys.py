"""Key store: create (ECDSA P-256, RSA-3072), import PKCS#12, list; clear errors; per-user location."""

from __future__ import annotations

import os
import stat
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12

from gaisafe_desktop.core.errors import NotFoundError, UsageError, ValidationError
from gaisafe_desktop.core.report.keys import (
    create_key,
    find_key,
    import_pkcs12,
    key_store_dir,
    list_keys,
    load_pkcs12_file,
)


def test_create_writes_an_encrypted_pkcs12_and_its_certificate(key_store):
    info = create_key("李雷 Li Lei", "示例评估中心", "li@example.org", "correct horse", store=key_store)
    assert info.p12_path.parent == key_store and info.p12_path.name == f"{info.key_id}.p12"
    assert info.algorithm == "ecdsa-p256" and info.self_signed
    assert info.fingerprint_sha256.startswith(info.key_id)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(info.p12_path.read_bytes(), None)  # not readable without the password
    key, cert, _ = pkcs12.load_key_and_certificates(info.p12_path.read_bytes(), b"correct horse")
    assert key is not None
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "李雷 Li Lei"
    assert cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)[0].value == "示例评估中心"
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.content_commitment
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(info.p12_path).st_mode) == 0o600


def test_rsa_3072_and_listing_sorted_by_name(key_store):
    create_key("Zhang San", "", "", "password-1", store=key_store)
    rsa = create_key("Han Meimei", "Org", "", "password-2", algorithm="rsa-3072", store=key_store)
    assert rsa.algorithm == "rsa-3072"
    assert [k.name for k in list_keys(key_store)] == ["Han Meimei", "Zhang San"]
    assert find_key(rsa.key_id[:8], key_store).key_id == rsa.key_id


def test_default_store_is_under_gaisafe_home(_isolated_user):
    info = create_key("Li Lei", "Org", "", "password-1")
    assert key_store_dir() == _isolated_user / "keys"
    assert info.p12_path.parent == _isolated_user / "keys"
    assert [k.key_id for k in list_keys()] == [info.key_id]


def test_import_an_existing_pkcs12(tmp_path, key_store):
    source = create_key("Wang Fang", "Regulator", "", "imported-pw", store=tmp_path / "elsewhere")
    copy = tmp_path / "wang.pfx"
    copy.write_bytes(source.p12_path.read_bytes())
    imported = import_pkcs12(copy, "imported-pw", store=key_store)
    assert imported.fingerprint_sha256 == source.fingerprint_sha256
    load_pkcs12_file(imported.p12_path, "imported-pw")  # still protected by the same password
    with pytest.raises(UsageError, match="already in the key store"):
        import_pkcs12(copy, "imported-pw", store=key_store)


def test_wrong_password_and_bad_files_are_clear_errors(tmp_path, key_store):
    info = create_key("Li Lei", "Org", "", "right-password", store=key_store)
    with pytest.raises(ValidationError, match=r"wrong password or not a PKCS#12 file") as exc:
        import_pkcs12(info.p12_path, "wrong-password", store=tmp_path / "other")
    assert str(info.p12_path) in str(exc.value)
    junk = tmp_path / "junk.p12"
    junk.write_bytes(b"not a key")
    with pytest.raises(ValidationError, match="junk.p12"):
        import_pkcs12(junk, "whatever1", store=key_store)
    with pytest.raises(NotFoundError):
        import_pkcs12(tmp_path / "missing.p12", "whatever1", store=key_store)
    with pytest.raises(UsageError, match="at least 8 characters"):
        create_key("Li Lei", "Org", "", "short", store=key_store)
    with pytest.raises(UsageError, match="Unknown key algorithm"):
        create_key("Li Lei", "Org", "", "long-enough", algorithm="dsa", store=key_store)
    with pytest.raises(NotFoundError, match="gaisafe keys list"):
        find_key("ffffffff", key_store)
