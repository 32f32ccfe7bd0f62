"""PAdES signing and verification of PDF reports, and detached CMS signatures (pyHanko).

Nothing here touches the network: no timestamp authority, no OCSP/CRL fetching
(``ValidationContext(allow_fetching=False)``, revocation ``soft-fail``). Self-signed auditor
certificates are trusted only when the person verifying passes them explicitly; otherwise a
cryptographically sound signature is reported as "valid, signer not trusted".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation import async_validate_detached_cms, validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from gaisafe_desktop.core.errors import NotFoundError, UsageError, ValidationError
from gaisafe_desktop.core.hashing import sha256_bytes
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.report.keys import load_certificate, load_pkcs12_file, p12_path_of
from gaisafe_desktop.core.report.problems import Problem

# Status values of one signature, most to least trustworthy.
VALID_TRUSTED = "valid"
VALID_UNTRUSTED = "valid-untrusted"
INVALID = "invalid"


@dataclass
class SignatureCheck:
    """The verification result of one signature."""

    field_name: str
    status: str
    intact: bool
    valid: bool
    trusted: bool
    signer_name: str = ""
    signer_organisation: str = ""
    signer_email: str = ""
    cert_fingerprint_sha256: str = ""
    signing_time: str = ""
    reason: str = ""
    location: str = ""
    coverage: str = ""
    modified_after_signing: bool = False
    modification_level: str = ""
    timestamp_time: str = ""  # from an RFC 3161 timestamp token, if the signature carries one
    timestamp_trusted: bool = False
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {**self.__dict__, "problems": [p.as_dict() for p in self.problems]}


@dataclass
class PdfVerification:
    """The verification result of a whole PDF: ``ok`` only if every signature is sound."""

    path: str
    sha256: str
    signatures: list[SignatureCheck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """At least one signature, all intact and valid, none followed by disallowed changes."""
        return bool(self.signatures) and not self.problems and all(s.status != INVALID for s in self.signatures)

    @property
    def trusted(self) -> bool:
        return self.ok and all(s.status == VALID_TRUSTED for s in self.signatures)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "ok": self.ok,
            "trusted": self.trusted,
            "problems": [p.as_dict() for p in self.problems],
            "signatures": [s.as_dict() for s in self.signatures],
        }


def _signer(key: str | Path, password: str, store: Path | str | None) -> signers.SimpleSigner:
    p12 = p12_path_of(key, store)
    load_pkcs12_file(p12, password)  # a clear error for a wrong password before pyHanko sees it
    signer = signers.SimpleSigner.load_pkcs12_data(p12.read_bytes(), other_certs=[], passphrase=password.encode())
    return signer


@contextlib.contextmanager
def _quiet_pyhanko():
    """pyHanko logs a traceback for every untrusted self-signed signer; we report it in the result instead."""
    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


class LocalTimeStamper(TimeStamper):
    """RFC 3161 client for a timestamp authority the user configured (e.g. on the local network).

    Uses the standard library only. Nothing is contacted unless a URL is given explicitly.
    """

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        super().__init__()
        if not url.lower().startswith(("http://", "https://")):
            raise UsageError(N_("The timestamp authority URL must start with http:// or https://: {url}"), url=url)
        self.url = url
        self.timeout = timeout

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        import asyncio
        import urllib.error
        import urllib.request

        def post() -> tsp.TimeStampResp:
            request = urllib.request.Request(
                self.url,
                data=req.dump(),
                headers={"Content-Type": "application/timestamp-query", "Accept": "application/timestamp-reply"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as resp:  # noqa: S310 - user-configured
                    if resp.headers.get("Content-Type") != "application/timestamp-reply":
                        raise ValidationError(
                            N_("The timestamp authority {url} did not answer with a timestamp."), url=self.url
                        )
                    return tsp.TimeStampResp.load(resp.read())
            except (urllib.error.URLError, OSError) as exc:
                raise ValidationError(
                    N_("The timestamp authority {url} cannot be reached: {detail}"), url=self.url, detail=str(exc)
                ) from None

        return await asyncio.to_thread(post)


def _validation_context(trusted_certs: list[Path | str] | None) -> ValidationContext:
    roots = []
    for path in trusted_certs or []:
        cert = load_certificate(path)
        roots.append(asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)))
    # An explicit (possibly empty) root list: never the operating system's store, never the network.
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def existing_signature_count(path: Path | str) -> int:
    with open(path, "rb") as fh:
        return len(PdfFileReader(fh, strict=False).embedded_signatures)


def sign_pdf(
    src: Path | str,
    dst: Path | str,
    *,
    key: str | Path,
    password: str,
    reason: str = "",
    location: str = "",
    store: Path | str | None = None,
    field_name: str | None = None,
    tsa_url: str | None = None,
) -> Path:
    """Add a PAdES B-B signature to a PDF as an incremental update (earlier signatures stay valid).

    Args:
        src: the PDF to sign (a report, possibly already signed).
        dst: where to write the signed PDF (may equal ``src``).
        key: a key id from the key store or a path to a ``.p12`` file.
        password: the key's password.
        reason: why it is signed, e.g. "Lead auditor approval".
        location: where it is signed.
        store: key store folder (default: the user's).
        field_name: signature field name (default ``Signature<n+1>``).
        tsa_url: a timestamp authority the user configured (e.g. on the local network); then the
            signature carries an RFC 3161 timestamp (PAdES B-T). Without it nothing is contacted.

    Returns:
        ``dst``. Without ``tsa_url`` the signing time is the computer's clock.
    """
    src, dst = Path(src), Path(dst)
    if not src.is_file():
        raise NotFoundError(N_("PDF file {file} does not exist."), file=str(src))
    signer = _signer(key, password, store)
    try:
        count = existing_signature_count(src)
    except (PdfError, ValueError, KeyError) as exc:
        raise ValidationError(N_("{file}: not a readable PDF ({detail})."), file=str(src), detail=str(exc)) from None
    name = field_name or f"Signature{count + 1}"
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    with open(src, "rb") as fh:
        data = fh.read()
    out = io.BytesIO()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        timestamper = LocalTimeStamper(tsa_url) if tsa_url else None
        signers.sign_pdf(writer, meta, signer=signer, output=out, timestamper=timestamper)
    except (SigningError, PdfError, ValueError) as exc:
        # e.g. an encrypted PDF, or an earlier certification signature that forbids further changes
        raise ValidationError(N_("{file}: cannot be signed: {detail}"), file=str(src), detail=str(exc)) from None
    tmp = dst.with_suffix(dst.suffix + ".part")
    tmp.write_bytes(out.getvalue())
    tmp.replace(dst)
    return dst


def _name_part(cert: asn1_x509.Certificate, key: str) -> str:
    return str(cert.subject.native.get(key, "") or "")


def _der_length(raw: bytes) -> int | None:
    """Total length (header + body) of the DER object at the start of ``raw``."""
    if len(raw) < 2:
        return None
    first = raw[1]
    if first < 0x80:
        return 2 + first
    n = first & 0x7F
    if n == 0 or n > 4 or len(raw) < 2 + n:
        return None
    return 2 + n + int.from_bytes(raw[2 : 2 + n], "big")


def _check_contents_padding(sig) -> Problem | None:
    """The /Contents hex string must be the CMS object followed by zero padding only.

    Bytes in the padding are outside the signed byte range and ignored by the CMS parser, so a
    changed padding byte would otherwise go unnoticed. Report it as tampering.
    """
    contents = sig.sig_object.get_object().raw_get("/Contents")
    raw = bytes(getattr(contents, "original_bytes", b"") or b"")
    if not raw:
        return None
    der_len = _der_length(raw)
    if der_len is None:
        return Problem(N_("the signature value inside /Contents is not DER-encoded"))
    pad = raw[der_len:]
    if pad and any(b != 0 for b in pad):
        return Problem(N_("bytes after the signature value inside /Contents were changed"))
    return _check_cms_fields(raw[:der_len])


def _check_cms_fields(der: bytes) -> Problem | None:
    """Fields of the CMS object that the signature value does not cover must still be sound.

    The SignedData's version and its list of digest algorithms lie outside the signed attributes,
    and pyHanko never reads them: a changed byte there would go unnoticed. Parse the whole object
    (a changed tag or length fails) and check those fields against RFC 5652 and the signer.
    """
    try:
        signed = cms.ContentInfo.load(der)["content"]
        signed.native  # noqa: B018 - parses every field; a damaged one raises
        infos = list(signed["signer_infos"])
        listed = {a["algorithm"].native for a in signed["digest_algorithms"]}
        if any(si["digest_algorithm"]["algorithm"].native not in listed for si in infos):
            return Problem(N_("the signature's list of digest algorithms does not name its signer's"))
        for si in infos:
            want = "v3" if si["sid"].name == "subject_key_identifier" else "v1"
            if si["version"].native != want:
                return Problem(N_("the signer information has the wrong version"))
        v3 = signed["encap_content_info"]["content_type"].native != "data" or any(
            si["version"].native == "v3" for si in infos
        )
        if signed["version"].native not in ({"v3", "v4", "v5"} if v3 else {"v1", "v4", "v5"}):
            return Problem(N_("the signed data has the wrong version"))
    except (ValueError, TypeError, KeyError) as exc:
        return Problem(N_("the signature value inside /Contents is malformed: {detail}"), {"detail": str(exc)})
    return None


def _check_one(sig, vc: ValidationContext) -> SignatureCheck:
    check = SignatureCheck(field_name=str(sig.field_name), status=INVALID, intact=False, valid=False, trusted=False)
    try:
        cert = sig.signer_cert
        check.signer_name = _name_part(cert, "common_name")
        check.signer_organisation = _name_part(cert, "organization_name")
        check.signer_email = _name_part(cert, "email_address")
        check.cert_fingerprint_sha256 = cert.sha256.hex()
    except (KeyError, ValueError, TypeError):
        check.problems.append(Problem(N_("the signer's certificate cannot be read")))
    sig_dict = sig.sig_object
    check.reason = str(sig_dict.get("/Reason", "") or "")
    check.location = str(sig_dict.get("/Location", "") or "")
    ts = sig.self_reported_timestamp
    check.signing_time = ts.astimezone(dt.UTC).isoformat() if ts else ""
    try:
        status = validate_pdf_signature(sig, signer_validation_context=vc)
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
        check.problems.append(
            Problem(
                N_("the signature value is damaged or does not match: {detail}"), {"detail": str(exc)}, code="damaged"
            )
        )
        return check
    check.intact = bool(status.intact)
    check.valid = bool(status.valid)
    check.trusted = bool(status.trusted)
    ts_status = status.timestamp_validity
    if ts_status is not None:
        check.timestamp_time = ts_status.timestamp.astimezone(dt.UTC).isoformat()
        check.timestamp_trusted = bool(ts_status.trusted)
        check.trusted = check.trusted and check.timestamp_trusted
        if not (ts_status.intact and ts_status.valid):
            check.problems.append(Problem(N_("the timestamp token does not match the signature")))
    coverage = status.coverage
    check.coverage = coverage.name if coverage is not None else ""
    level = status.modification_level
    check.modification_level = level.name if level is not None else ""
    check.modified_after_signing = coverage != SignatureCoverageLevel.ENTIRE_FILE
    padding_problem = _check_contents_padding(sig)
    if padding_problem:
        check.problems.append(padding_problem)
    if not check.intact:
        check.problems.append(Problem(N_("the signed bytes were changed after signing (digest mismatch)")))
    if check.intact and not check.valid:
        check.problems.append(Problem(N_("the cryptographic signature does not verify")))
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        check.problems.append(Problem(N_("the signature does not cover its whole revision")))
    if status.docmdp_ok is False:
        check.problems.append(Problem(N_("changes after signing are not allowed by the signature's permissions")))
    if check.problems:
        check.status = INVALID
    else:
        check.status = VALID_TRUSTED if check.trusted else VALID_UNTRUSTED
    return check


def verify_pdf(path: Path | str, trusted_certs: list[Path | str] | None = None) -> PdfVerification:
    """Verify every signature of a PDF (any PDF, not only ours).

    Args:
        path: the PDF.
        trusted_certs: certificate files (PEM/DER) whose holders the user trusts; self-signed auditor
            certificates are trusted only if listed here.

    Returns:
        One :class:`SignatureCheck` per signature: status ``valid`` (intact, cryptographically valid,
        trusted signer), ``valid-untrusted`` (sound, but the signer is not in ``trusted_certs``) or
        ``invalid``; plus document-level problems (unreadable, no signature).
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("PDF file {file} does not exist."), file=str(path))
    data = path.read_bytes()
    result = PdfVerification(path=str(path), sha256=sha256_bytes(data))
    vc = _validation_context(trusted_certs)
    try:
        with _quiet_pyhanko():
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            sigs = reader.embedded_signatures
            filled = [name for name, _value, _ref in fields.enumerate_sig_fields(reader, filled_status=True)]
    except Exception as exc:  # noqa: BLE001 - any parser failure means "cannot be verified"
        result.problems.append(Problem(N_("the PDF cannot be read: {detail}"), {"detail": str(exc)}, code="damaged"))
        return result
    # pyHanko skips a signature whose dictionary it does not recognise (e.g. a changed /SubFilter):
    # a signed field that yields no checkable signature is a broken signature, never a silent one.
    seen = {str(s.field_name) for s in sigs}
    for name in filled:
        if str(name) not in seen:
            bad = SignatureCheck(field_name=str(name), status=INVALID, intact=False, valid=False, trusted=False)
            bad.problems.append(
                Problem(N_("the signature dictionary is damaged or of an unsupported kind"), code="damaged")
            )
            result.signatures.append(bad)
    if not sigs and not result.signatures:
        result.problems.append(Problem(N_("the PDF has no signature")))
        return result
    for sig in sigs:
        try:
            with _quiet_pyhanko():
                result.signatures.append(_check_one(sig, vc))
        except Exception as exc:  # noqa: BLE001 - a damaged signature dictionary is a failed signature
            bad = SignatureCheck(
                field_name=str(sig.field_name), status=INVALID, intact=False, valid=False, trusted=False
            )
            bad.problems.append(
                Problem(N_("the signature cannot be checked: {detail}"), {"detail": str(exc)}, code="damaged")
            )
            result.signatures.append(bad)
    return result


# --- detached CMS (case-file tag manifest) -------------------------------------------------------


def sign_detached(data: bytes, *, key: str | Path, password: str, store: Path | str | None = None) -> bytes:
    """A detached CMS (PKCS#7) signature of ``data`` in DER, by the given key (SHA-256)."""
    import asyncio

    signer = _signer(key, password, store)
    content_info = asyncio.run(signer.async_sign_general_data(data, "sha256", detached=True))
    return content_info.dump()


@dataclass
class CmsVerification:
    intact: bool
    valid: bool
    trusted: bool
    signer_name: str = ""
    signer_organisation: str = ""
    cert_fingerprint_sha256: str = ""
    signing_time: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and not self.problems

    def as_dict(self) -> dict[str, object]:
        return {**self.__dict__, "ok": self.ok, "problems": [p.as_dict() for p in self.problems]}


def verify_detached(data: bytes, signature: bytes, trusted_certs: list[Path | str] | None = None) -> CmsVerification:
    """Verify a detached CMS signature over ``data``; never raises for a bad signature."""
    import asyncio

    try:
        content_info = cms.ContentInfo.load(signature, strict=True)
        signed_data = content_info["content"]
        with _quiet_pyhanko():
            status = asyncio.run(
                async_validate_detached_cms(
                    data, signed_data, signer_validation_context=_validation_context(trusted_certs)
                )
            )
    except Exception as exc:  # noqa: BLE001 - garbage in the signature file means an invalid signature
        return CmsVerification(
            False,
            False,
            False,
            problems=[Problem(N_("the signature file is damaged: {detail}"), {"detail": str(exc)}, code="damaged")],
        )
    cert = status.signing_cert
    result = CmsVerification(
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        signer_name=_name_part(cert, "common_name"),
        signer_organisation=_name_part(cert, "organization_name"),
        cert_fingerprint_sha256=cert.sha256.hex(),
        signing_time=status.signer_reported_dt.astimezone(dt.UTC).isoformat() if status.signer_reported_dt else "",
    )
    if not result.intact:
        result.problems.append(Problem(N_("the signed file was changed after signing (digest mismatch)")))
    elif not result.valid:
        result.problems.append(Problem(N_("the cryptographic signature does not verify")))
    return result


def copy_file(src: Path, dst: Path) -> None:
    """Copy through a temporary file so a crash never leaves half a report."""
    with tempfile.NamedTemporaryFile(dir=dst.parent, delete=False) as tmp:
        with open(src, "rb") as fh:
            shutil.copyfileobj(fh, tmp)
    Path(tmp.name).replace(dst)
