"""The auditor's signing keys: create, import and list password-protected PKCS#12 files.

Keys live in a key store folder in the user's data directory (``$GAISAFE_HOME/keys`` when
``GAISAFE_HOME`` is set), never inside a project file: a project travels to the regulator, the
private key must not. Each key is two files named by the first 16 hex digits of the certificate's
SHA-256 fingerprint: ``<id>.p12`` (key + certificate, encrypted with the user's password) and
``<id>.crt.pem`` (the public certificate, so keys can be listed and signatures checked without the
password).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from gaisafe_desktop.core.errors import NotFoundError, UsageError, ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.paths import keys_dir

ALGORITHMS = ("ecdsa-p256", "rsa-3072")
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class KeyInfo:
    """One key in the key store (public facts only; the private key stays encrypted)."""

    key_id: str
    name: str
    organisation: str
    email: str
    algorithm: str
    fingerprint_sha256: str
    not_before: dt.datetime
    not_after: dt.datetime
    self_signed: bool
    p12_path: Path
    cert_path: Path

    def as_dict(self) -> dict[str, object]:
        return {
            "key_id": self.key_id,
            "name": self.name,
            "organisation": self.organisation,
            "email": self.email,
            "algorithm": self.algorithm,
            "fingerprint_sha256": self.fingerprint_sha256,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "self_signed": self.self_signed,
            "p12_path": str(self.p12_path),
            "cert_path": str(self.cert_path),
        }


def key_store_dir(store: Path | str | None = None) -> Path:
    """The key store folder: ``store`` if given, else the per-user ``keys`` folder (``GAISAFE_HOME``)."""
    return Path(store) if store is not None else keys_dir()


def cert_fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint of a certificate's DER encoding, lower-case hex."""
    return cert.fingerprint(hashes.SHA256()).hex()


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _algorithm_of(cert: x509.Certificate) -> str:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"rsa-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return {"secp256r1": "ecdsa-p256", "secp384r1": "ecdsa-p384"}.get(key.curve.name, f"ecdsa-{key.curve.name}")
    return type(key).__name__


def key_info_from_cert(cert: x509.Certificate, p12_path: Path, cert_path: Path) -> KeyInfo:
    fingerprint = cert_fingerprint(cert)
    return KeyInfo(
        key_id=fingerprint[:16],
        name=_name_attr(cert.subject, NameOID.COMMON_NAME),
        organisation=_name_attr(cert.subject, NameOID.ORGANIZATION_NAME),
        email=_name_attr(cert.subject, NameOID.EMAIL_ADDRESS),
        algorithm=_algorithm_of(cert),
        fingerprint_sha256=fingerprint,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        self_signed=cert.issuer == cert.subject,
        p12_path=p12_path,
        cert_path=cert_path,
    )


def _check_password(password: str) -> bytes:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(
            N_("The key password must have at least {n} characters; choose a longer one."), n=MIN_PASSWORD_LENGTH
        )
    return password.encode("utf-8")


def _store_key(
    store: Path, key: pkcs12.PKCS12PrivateKeyTypes, cert: x509.Certificate, extra: list, password: bytes
) -> KeyInfo:
    store.mkdir(parents=True, exist_ok=True)
    info = key_info_from_cert(cert, store / "x.p12", store / "x.crt.pem")
    p12_path = store / f"{info.key_id}.p12"
    cert_path = store / f"{info.key_id}.crt.pem"
    if p12_path.exists():
        raise UsageError(N_("Key {key_id} is already in the key store {store}."), key_id=info.key_id, store=str(store))
    blob = pkcs12.serialize_key_and_certificates(
        name=info.name.encode("utf-8") or None,
        key=key,
        cert=cert,
        cas=extra or None,
        encryption_algorithm=serialization.BestAvailableEncryption(password),
    )
    _write_private(p12_path, blob)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_info_from_cert(cert, p12_path, cert_path)


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by the owner only (where the platform supports it)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def create_key(
    name: str,
    organisation: str,
    email: str,
    password: str,
    *,
    algorithm: str = "ecdsa-p256",
    valid_days: int = 3 * 365,
    store: Path | str | None = None,
) -> KeyInfo:
    """Create a private key and a self-signed certificate, saved as a password-protected PKCS#12.

    Args:
        name: the signer's name (certificate common name), e.g. ``"Li Lei"`` or ``"李雷"``.
        organisation: the auditing organisation (certificate O).
        email: contact e-mail (certificate emailAddress), may be empty.
        password: protects the PKCS#12 file; at least ``MIN_PASSWORD_LENGTH`` characters.
        algorithm: ``"ecdsa-p256"`` (default) or ``"rsa-3072"``.
        valid_days: certificate validity from now.
        store: key store folder (default: :func:`key_store_dir`).

    Returns:
        The stored key's public facts.
    """
    if not name.strip():
        raise UsageError(N_("A key needs the signer's name."))
    if algorithm not in ALGORITHMS:
        raise UsageError(
            N_("Unknown key algorithm `{algorithm}`; use one of: {choices}."),
            algorithm=algorithm,
            choices=", ".join(ALGORITHMS),
        )
    pw = _check_password(password)
    if algorithm == "rsa-3072":
        key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = rsa.generate_private_key(65537, 3072)
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, name.strip())]
    if organisation.strip():
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation.strip()))
    if email.strip():
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email.strip()))
    subject = x509.Name(attrs)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if email.strip():
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email.strip())]), critical=False)
    cert = builder.sign(key, hashes.SHA256())
    return _store_key(key_store_dir(store), key, cert, [], pw)


def load_pkcs12_file(path: Path | str, password: str) -> tuple[object, x509.Certificate, list[x509.Certificate]]:
    """Open a PKCS#12 file; a wrong password or a damaged file is a clear error naming the file."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("Key file {file} does not exist."), file=str(path))
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(path.read_bytes(), password.encode("utf-8"))
    except ValueError:
        raise ValidationError(
            N_("{file}: cannot open the PKCS#12 key file: wrong password or not a PKCS#12 file."), file=str(path)
        ) from None
    if key is None or cert is None:
        raise ValidationError(N_("{file}: the PKCS#12 file holds no private key with its certificate."), file=str(path))
    return key, cert, list(extra)


def import_pkcs12(path: Path | str, password: str, *, store: Path | str | None = None) -> KeyInfo:
    """Import an existing password-protected PKCS#12 (``.p12``/``.pfx``) into the key store.

    The file is opened with ``password`` to prove it holds a key and its certificate, then saved
    again in the store encrypted with the same password.
    """
    key, cert, extra = load_pkcs12_file(path, password)
    return _store_key(key_store_dir(store), key, cert, extra, password.encode("utf-8"))  # type: ignore[arg-type]


def list_keys(store: Path | str | None = None) -> list[KeyInfo]:
    """Every key in the store, ordered by signer name then key id. Unreadable entries are skipped."""
    folder = key_store_dir(store)
    out = []
    if not folder.is_dir():
        return out
    for cert_path in sorted(folder.glob("*.crt.pem")):
        p12 = cert_path.with_name(cert_path.name.removesuffix(".crt.pem") + ".p12")
        if not p12.exists():
            continue
        try:
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        except ValueError:
            continue
        out.append(key_info_from_cert(cert, p12, cert_path))
    return sorted(out, key=lambda k: (k.name, k.key_id))


def find_key(ref: str | Path, store: Path | str | None = None) -> KeyInfo | Path:
    """Resolve a key reference: a path to a ``.p12`` file, or a key id (or unique prefix) in the store."""
    candidate = Path(ref)
    if candidate.suffix.lower() in (".p12", ".pfx") and candidate.is_file():
        return candidate
    ref_s = str(ref).lower()
    matches = [k for k in list_keys(store) if k.key_id.startswith(ref_s) or k.fingerprint_sha256.startswith(ref_s)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(
            N_("No key `{ref}` in the key store {store}; run `gaisafe keys list`."),
            ref=str(ref),
            store=str(key_store_dir(store)),
        )
    raise UsageError(N_("Key id `{ref}` is ambiguous; give more digits."), ref=str(ref))


def p12_path_of(ref: str | Path, store: Path | str | None = None) -> Path:
    found = find_key(ref, store)
    return found if isinstance(found, Path) else found.p12_path


def load_certificate(path: Path | str) -> x509.Certificate:
    """Load a PEM or DER certificate (e.g. a signer's ``.crt.pem`` passed to verification as trusted)."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("Certificate file {file} does not exist."), file=str(path))
    data = path.read_bytes()
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise ValidationError(N_("{file}: not a PEM or DER X.509 certificate."), file=str(path)) from None
