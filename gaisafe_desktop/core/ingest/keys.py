"""Record keys: the stable name of one record, derived only from the file's bytes.

``rk1:<F>:<i>:<C>`` where

* ``F`` = first 16 hex digits of the SHA-256 of the whole file,
* ``i`` = 0-based index of the record within the file (every data row / element counts,
  quarantined ones included, so keys do not depend on import options),
* ``C`` = first 16 hex digits of :func:`content_sha256` of the record's mapped content.

The same file gives the same keys in full import and register-only mode. The project does not
store key strings: it stores the file hash once per file and ``(idx, chash)`` per record, and
rebuilds keys on demand. See ``docs/formats/record-key.md``.
"""

from __future__ import annotations

import hashlib
import re

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_

VERSION = "rk1"
SEP = "\x1f"
_KEY = re.compile(r"^rk1:([0-9a-f]{16}):(\d+):([0-9a-f]{16})$")


def content_sha256(text: str | None, question: str | None, answer: str | None, media: str | None) -> bytes:
    """SHA-256 of ``text US question US answer US media`` (UTF-8; missing fields as empty)."""
    joined = f"{text or ''}{SEP}{question or ''}{SEP}{answer or ''}{SEP}{media or ''}"
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).digest()


def chash64(digest: bytes) -> int:
    """The stored form of a content hash: its first 8 bytes as a signed 64-bit integer."""
    return int.from_bytes(digest[:8], "big", signed=True)


def chash_hex(chash: int) -> str:
    return (chash & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big").hex()


def make_key(file_sha256: str, idx: int, chash: int) -> str:
    """The record key of record ``idx`` of the file with SHA-256 ``file_sha256``."""
    return f"{VERSION}:{file_sha256[:16]}:{idx}:{chash_hex(chash)}"


def parse_key(key: str) -> tuple[str, int, str]:
    """``(file hash prefix, record index, content hash prefix)`` of a key.

    Raises:
        ValidationError: ``key`` is not a record key.
    """
    m = _KEY.match(key.strip())
    if not m:
        raise ValidationError(N_("{key} is not a record key (expected rk1:<16 hex>:<index>:<16 hex>)."), key=key)
    return m.group(1), int(m.group(2)), m.group(3)
