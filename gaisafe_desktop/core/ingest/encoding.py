"""Text encoding detection: UTF-8 (± BOM), UTF-16 LE/BE (BOM or NUL pattern), GB18030, then charset-normalizer.

Undecodable bytes are never silently replaced: text streams use the ``gaisafe-mark`` error handler,
which puts :data:`MARK` (a lone surrogate no valid text can contain) where bytes did not decode, so the
reader can quarantine exactly that line and continue with the next.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_

MARK = "\udfff"
SAMPLE = 1 << 16


def _mark_errors(exc: UnicodeError) -> tuple[str, int]:
    if isinstance(exc, UnicodeDecodeError):
        return MARK, exc.end
    raise exc


codecs.register_error("gaisafe-mark", _mark_errors)


@dataclass(frozen=True)
class Encoding:
    """A detected encoding: codec name for ``open()``, BOM length to skip, how it was found."""

    name: str  # utf-8, utf-16-le, utf-16-be, gb18030, or a charset-normalizer codec
    bom: int = 0
    how: str = "bom"

    @property
    def label(self) -> str:
        return f"{self.name}+bom" if self.bom else self.name


BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _lines_failing(sample: bytes, codec: str) -> tuple[int, int]:
    """(lines with non-ASCII bytes, of which fail to decode) in ``sample`` (last partial line ignored)."""
    lines = sample.split(b"\n")
    if len(sample) >= SAMPLE and len(lines) > 1:
        lines = lines[:-1]
    nonascii = bad = 0
    for line in lines:
        if not line.isascii():
            nonascii += 1
            try:
                line.decode(codec)
            except UnicodeDecodeError:
                bad += 1
    return nonascii, bad


def looks_binary(sample: bytes) -> bool:
    """True when ``sample`` has control bytes no text file has (after UTF-16 was ruled out)."""
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    ctrl = sum(sample.count(bytes([c])) for c in (*range(1, 8), 0x0E, 0x0F, *range(0x10, 0x1A), 0x1C, 0x1D, 0x1F))
    return ctrl > max(2, len(sample) // 100)


def _utf16_by_nul(sample: bytes) -> str | None:
    head = sample[:4096]
    if len(head) < 4:
        return None
    even = head[0::2]
    odd = head[1::2]
    z_even = even.count(0) / len(even)
    z_odd = odd.count(0) / len(odd)
    if z_odd > 0.3 and z_even < 0.05:
        return "utf-16-le"
    if z_even > 0.3 and z_odd < 0.05:
        return "utf-16-be"
    return None


def detect_bytes(sample: bytes, *, where: str = "") -> Encoding:
    """Detect the encoding of the first bytes of a file.

    Raises:
        ValidationError: the bytes are not text in any supported encoding.
    """
    for bom, name in BOMS:
        if sample.startswith(bom):
            return Encoding(name, len(bom), "bom")
    by_nul = _utf16_by_nul(sample)
    if by_nul:
        return Encoding(by_nul, 0, "nul-pattern")
    if looks_binary(sample):
        raise ValidationError(
            N_("{file}: the file looks binary (control or NUL bytes), not text; check that it is the right file."),
            file=where,
        )
    nonascii, bad = _lines_failing(sample, "utf-8")
    if bad == 0 or bad * 2 < nonascii:
        return Encoding("utf-8", 0, "utf-8" if bad == 0 else "utf-8-mostly")
    nonascii_gb, bad_gb = _lines_failing(sample, "gb18030")
    if bad_gb == 0 or bad_gb * 2 < nonascii_gb:
        return Encoding("gb18030", 0, "gb18030" if bad_gb == 0 else "gb18030-mostly")
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is not None and best.encoding:
        return Encoding(best.encoding.replace("_", "-"), 0, "charset-normalizer")
    raise ValidationError(
        N_("{file}: the text encoding could not be recognised; convert the file to UTF-8 or name it with --encoding."),
        file=where,
    )


def detect_file(path: Path, override: str | None = None) -> Encoding:
    """Detect (or take from ``override``) the encoding of a text file."""
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE)
    if override:
        try:
            codecs.lookup(override)
        except LookupError:
            raise ValidationError(N_("Unknown encoding {name}."), name=override) from None
        bom = 0
        for b, name in BOMS:
            if sample.startswith(b) and codecs.lookup(name).name == codecs.lookup(override).name:
                bom = len(b)
        return Encoding(codecs.lookup(override).name.replace("_", "-"), bom, "override")
    return detect_bytes(sample, where=str(path))
