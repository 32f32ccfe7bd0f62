"""Opt-in timestamp authority: a TSA the user configured (here a real RFC 3161 server on loopback)."""

from __future__ import annotations

import datetime as dt
import http.server
import threading

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from gaisafe_desktop.core.errors import UsageError, ValidationError
from gaisafe_desktop.core.report.sign import VALID_TRUSTED, VALID_UNTRUSTED, sign_pdf, verify_pdf


@pytest.fixture
def tsa(tmp_path):
    """A timestamp authority listening on 127.0.0.1 (what an auditor's local network might offer)."""
    now = dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(65537, 2048)  # pyHanko's test TSA signs with RSA only
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Local TSA")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = tmp_path / "tsa.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
    )
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(self.headers["Content-Type"])
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}/tsa", "cert": pem, "requests": requests}
    server.shutdown()
    server.server_close()


def test_a_configured_tsa_timestamps_the_signature(small_pdf, tmp_path, two_keys, key_store, tsa):
    a, _ = two_keys
    signed = sign_pdf(
        small_pdf, tmp_path / "ts.pdf", key=a.key_id, password="correct horse", store=key_store, tsa_url=tsa["url"]
    )
    assert tsa["requests"] and set(tsa["requests"]) == {
        "application/timestamp-query"
    }  # a sizing request, then the real one
    only_signer = verify_pdf(signed, [a.cert_path])
    (s,) = only_signer.signatures
    assert s.timestamp_time and not s.timestamp_trusted and s.status == VALID_UNTRUSTED
    both = verify_pdf(signed, [a.cert_path, tsa["cert"]])
    (s,) = both.signatures
    assert s.status == VALID_TRUSTED and s.timestamp_trusted
    signed_at = dt.datetime.fromisoformat(s.timestamp_time)
    assert abs((signed_at - dt.datetime.now(dt.UTC)).total_seconds()) < 600


def test_no_tsa_means_no_request_and_an_unreachable_one_is_a_clear_error(small_pdf, tmp_path, two_keys, key_store):
    a, _ = two_keys
    plain = sign_pdf(small_pdf, tmp_path / "plain.pdf", key=a.key_id, password="correct horse", store=key_store)
    assert verify_pdf(plain, [a.cert_path]).signatures[0].timestamp_time == ""
    with pytest.raises(ValidationError, match="cannot be reached"):
        sign_pdf(
            small_pdf,
            tmp_path / "x.pdf",
            key=a.key_id,
            password="correct horse",
            store=key_store,
            tsa_url="http://127.0.0.1:9/tsa",  # discard port: nothing listens
        )
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(UsageError, match="http"):
        sign_pdf(small_pdf, tmp_path / "y.pdf", key=a.key_id, password="correct horse", store=key_store,
                 tsa_url="ftp://tsa.example")  # fmt: skip


def test_cli_sign_with_a_tsa_shows_the_timestamp(small_pdf, tmp_path, tsa, cli, monkeypatch):
    monkeypatch.setenv("GAISAFE_KEY_PASSWORD", "correct horse")
    key = cli("--json", "keys", "create", "--name", "Li Lei").json
    r = cli("report", "sign", small_pdf, "--key", key["key_id"], "--tsa-url", tsa["url"])
    assert r.code == 0, r.err
    r = cli("report", "verify", small_pdf, "--trust", key["cert_path"], "--trust", tsa["cert"], "--require-trust")
    assert r.code == 0 and "timestamp 20" in r.out and "authority trusted" in r.out
