"""PAdES signing and verification: pyHanko accepts it, a second signature keeps the first valid,
trust only when asked, and one changed byte anywhere makes verification fail."""

from __future__ import annotations

import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.report.sign import (
    INVALID,
    VALID_TRUSTED,
    VALID_UNTRUSTED,
    sign_detached,
    sign_pdf,
    verify_detached,
    verify_pdf,
)


def _sign(src, dst, key, password, store, reason="Auditor approval"):
    return sign_pdf(src, dst, key=key.key_id, password=password, reason=reason, location="北京", store=store)


def test_pyhanko_validator_accepts_the_signature(small_pdf, tmp_path, two_keys, key_store):
    a, _ = two_keys
    signed = _sign(small_pdf, tmp_path / "signed.pdf", a, "correct horse", key_store)
    pem = x509.load_pem_x509_certificate(a.cert_path.read_bytes())
    root = asn1_x509.Certificate.load(pem.public_bytes(Encoding.DER))
    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    (sig,) = reader.embedded_signatures
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root], allow_fetching=False))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert str(sig.sig_object["/SubFilter"]) == "/ETSI.CAdES.detached"  # PAdES
    assert str(sig.sig_object["/Reason"]) == "Auditor approval"
    assert status.signer_reported_dt is None or status.signer_reported_dt.year >= 2024


def test_untrusted_unless_the_certificate_is_passed(small_pdf, tmp_path, two_keys, key_store):
    a, _ = two_keys
    signed = _sign(small_pdf, tmp_path / "signed.pdf", a, "correct horse", key_store)
    plain = verify_pdf(signed)
    assert plain.ok and not plain.trusted
    (s,) = plain.signatures
    assert s.status == VALID_UNTRUSTED
    assert s.signer_name == "李雷 Li Lei" and s.signer_organisation == "示例评估中心"
    assert s.cert_fingerprint_sha256 == a.fingerprint_sha256
    assert s.location == "北京" and s.signing_time
    assert not s.modified_after_signing
    trusted = verify_pdf(signed, [a.cert_path])
    assert trusted.trusted and trusted.signatures[0].status == VALID_TRUSTED


def test_second_signature_keeps_the_first_valid(small_pdf, tmp_path, two_keys, key_store):
    a, b = two_keys
    once = _sign(small_pdf, tmp_path / "once.pdf", a, "correct horse", key_store)
    twice = _sign(once, tmp_path / "twice.pdf", b, "battery staple", key_store, reason="Lead auditor approval")
    assert twice.read_bytes().startswith(once.read_bytes())  # incremental update
    v = verify_pdf(twice, [a.cert_path, b.cert_path])
    assert v.ok and v.trusted
    first, second = v.signatures
    assert (first.field_name, second.field_name) == ("Signature1", "Signature2")
    assert first.modified_after_signing and first.modification_level == "FORM_FILLING"
    assert not second.modified_after_signing and second.coverage == "ENTIRE_FILE"
    assert second.signer_name == "Han Meimei"
    # only one signer trusted: the other is reported valid but untrusted
    partial = verify_pdf(twice, [b.cert_path])
    assert partial.ok and not partial.trusted
    assert [s.status for s in partial.signatures] == [VALID_UNTRUSTED, VALID_TRUSTED]


def test_wrong_password_is_a_clear_error(small_pdf, tmp_path, two_keys, key_store):
    a, _ = two_keys
    with pytest.raises(ValidationError, match="wrong password"):
        sign_pdf(small_pdf, tmp_path / "x.pdf", key=a.key_id, password="nope-nope", store=key_store)
    assert not (tmp_path / "x.pdf").exists()


def test_unsigned_and_unreadable_pdfs_fail_verification(small_pdf, tmp_path):
    v = verify_pdf(small_pdf)
    assert not v.ok and "no signature" in str(v.problems[0])
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4 garbage")
    assert not verify_pdf(junk).ok


def _positions(data: bytes) -> list[int]:
    """Byte offsets to tamper with: an even spread over the file plus every structurally special region."""
    n = len(data)
    picks = set(range(0, n, max(1, n // 120)))
    picks.add(n - 1)
    for marker in (
        b"/ByteRange",
        b"/Contents <",
        b"/Reason",
        b"/M (",
        b"startxref",
        b"%%EOF",
        b"/Type /Sig",
        b"/SubFilter",
        b"/Filter",
        b"/FT /Sig",
        b"/V ",
    ):
        i = data.find(marker)
        while i != -1:
            picks.update(range(i, min(i + len(marker) + 12, n)))
            i = data.find(marker, i + 1)
    contents = data.find(b"/Contents <") + len(b"/Contents <")
    end = data.find(b">", contents)
    picks.update(range(contents, contents + 40))  # start of the CMS object
    picks.update(range(end - 40, end))  # zero padding after it
    return sorted(picks)


@pytest.mark.slow
def test_one_changed_byte_anywhere_fails_verification(small_pdf, tmp_path, two_keys, key_store):
    a, b = two_keys
    signed = _sign(
        _sign(small_pdf, tmp_path / "one.pdf", a, "correct horse", key_store),
        tmp_path / "two.pdf",
        b,
        "battery staple",
        key_store,
    )
    data = signed.read_bytes()
    assert verify_pdf(signed).ok
    target = tmp_path / "tampered.pdf"
    positions = _positions(data)
    assert len(positions) > 250
    for pos in positions:
        changed = bytearray(data)
        changed[pos] ^= 0x01
        target.write_bytes(bytes(changed))
        v = verify_pdf(target)
        assert not v.ok, f"a changed byte at offset {pos} ({data[max(0, pos - 10) : pos + 10]!r}) went unnoticed"
        if v.signatures:
            assert any(s.status == INVALID for s in v.signatures) or v.problems


def test_detached_cms_signature(two_keys, key_store):
    a, _ = two_keys
    sig = sign_detached(b"tag manifest bytes", key=a.key_id, password="correct horse", store=key_store)
    good = verify_detached(b"tag manifest bytes", sig, [a.cert_path])
    assert good.ok and good.trusted and good.cert_fingerprint_sha256 == a.fingerprint_sha256
    assert verify_detached(b"tag manifest bytes", sig).ok and not verify_detached(b"tag manifest bytes", sig).trusted
    assert not verify_detached(b"tag manifest byteS", sig).ok
    broken = bytearray(sig)
    broken[len(broken) // 2] ^= 0x01
    assert not verify_detached(b"tag manifest bytes", bytes(broken)).ok


def _ca_and_leaf(tmp_path):
    """An organisation CA and an auditor certificate it issued, as a real PKI would provide."""
    import datetime as dt

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "示例评估中心 Root CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Wang Fang")]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    p12 = tmp_path / "wang.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"wang", leaf_key, leaf, [ca], serialization.BestAvailableEncryption(b"issued-by-ca")
        )
    )
    ca_pem = tmp_path / "ca.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return p12, ca_pem


def test_a_key_issued_by_an_organisation_ca_is_trusted_through_the_ca(small_pdf, tmp_path, key_store):
    from gaisafe_desktop.core.report.keys import import_pkcs12

    p12, ca_pem = _ca_and_leaf(tmp_path)
    info = import_pkcs12(p12, "issued-by-ca", store=key_store)
    assert not info.self_signed and info.name == "Wang Fang"
    signed = sign_pdf(small_pdf, tmp_path / "ca-signed.pdf", key=info.key_id, password="issued-by-ca", store=key_store)
    assert verify_pdf(signed).signatures[0].status == VALID_UNTRUSTED
    trusted = verify_pdf(signed, [ca_pem])  # trusting the CA, not the auditor's own certificate
    assert trusted.trusted and trusted.signatures[0].signer_name == "Wang Fang"


def test_an_encrypted_pdf_cannot_be_signed_and_says_why(tmp_path, two_keys, key_store):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("user-pw", "owner-pw"))
    c.drawString(72, 720, "locked")
    c.save()
    a, _ = two_keys
    with pytest.raises(ValidationError, match="locked.pdf"):
        sign_pdf(path, tmp_path / "out.pdf", key=a.key_id, password="correct horse", store=key_store)
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("which", [0, 1])
def test_a_damaged_signature_dictionary_is_reported_not_skipped(small_pdf, tmp_path, two_keys, key_store, which):
    """pyHanko ignores a signature whose /SubFilter it does not know; we must not let it vanish."""
    a, b = two_keys
    one = _sign(small_pdf, tmp_path / "one.pdf", a, "correct horse", key_store)
    two = _sign(one, tmp_path / "two.pdf", b, "battery staple", key_store)
    data = bytearray(two.read_bytes())
    positions = [i for i in range(len(data)) if data.startswith(b"/ETSI.CAdES.detached", i)]
    assert len(positions) == 2
    data[positions[which] + len(b"/ETSI.CAdES.detache")] = ord("D")
    (tmp_path / "bad.pdf").write_bytes(bytes(data))
    v = verify_pdf(tmp_path / "bad.pdf")
    assert not v.ok
    assert any("damaged or of an unsupported kind" in str(p) for s in v.signatures for p in s.problems) or any(
        s.status == INVALID for s in v.signatures
    )
    assert len(v.signatures) == 2  # both fields are reported, the damaged one as invalid
