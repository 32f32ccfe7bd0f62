"""Open untrusted zip archives safely: check everything first, then extract into a fresh folder.

Rejected before a single byte is written: path traversal (``..``), absolute paths and drive letters,
backslashes, symlinks and other non-regular members, duplicate names (also differing only in case,
which collide on Windows and macOS), too many members, oversized members or total, high
compression ratios (zip bombs), deeply nested folders and encrypted members. During extraction the
real decompressed size is counted as well, because the sizes in a zip header can lie.
"""

from __future__ import annotations

import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_, _


class HostileArchiveError(ValidationError):
    """An archive that must not be extracted; the message names the member and the reason."""


@dataclass(frozen=True)
class ZipLimits:
    """What an archive may contain. Defaults fit a large case file with evidence and a project snapshot."""

    max_members: int = 20_000
    max_member_bytes: int = 8 * 1024**3
    max_total_bytes: int = 32 * 1024**3
    # uncompressed / compressed, for members above ratio_floor. Deflate cannot exceed ~1032:1, so only
    # artificial content (bombs) comes near 1000:1; real logs and CSVs reach a few hundred.
    max_ratio: float = 1000.0
    ratio_floor: int = 1024 * 1024
    max_depth: int = 12
    max_name_length: int = 400


DEFAULT_LIMITS = ZipLimits()


def _check_name(name: str, limits: ZipLimits) -> str | None:
    """Why ``name`` is unsafe, or None."""
    if not name or "\x00" in name:
        return N_("empty name or NUL byte in the name")
    if len(name) > limits.max_name_length:
        return N_("name longer than {n} characters")
    if "\\" in name:
        return N_("backslash in the path")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return N_("absolute path")
    parts = PurePosixPath(name).parts
    if any(p in ("..", ".") for p in name.rstrip("/").split("/")):
        return N_("path traversal (`..` or `.` component)")
    if "" in name.rstrip("/").split("/"):
        return N_("empty path component")
    if len(parts) > limits.max_depth:
        return N_("folders nested deeper than {n} levels")
    return None


def check_archive(path: Path | str, limits: ZipLimits = DEFAULT_LIMITS) -> list[zipfile.ZipInfo]:
    """Check every member of a zip archive without extracting anything.

    Returns:
        The file members (folders excluded), in archive order.

    Raises:
        HostileArchiveError: naming the first offending member and why.
        ValidationError: the file is not a zip archive.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError(
            N_("{file}: not a readable zip archive ({detail})."), file=str(path), detail=str(exc)
        ) from None
    with zf:
        infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise HostileArchiveError(
            N_("{file}: the archive has {count} members, more than the limit of {limit}."),
            file=str(path),
            count=len(infos),
            limit=limits.max_members,
        )
    seen: dict[str, str] = {}
    total = 0
    files = []
    for info in infos:
        name = info.filename
        reason = _check_name(name, limits)

        def reject(why: str, name: str = name, **params: object) -> HostileArchiveError:
            return HostileArchiveError(
                N_("{file}: member `{member}` rejected: {reason}."),
                file=str(path),
                member=name,
                reason=_(why).format(**params),
            )

        if reason:
            raise reject(reason, n=limits.max_depth if "nested" in reason else limits.max_name_length)
        mode = info.external_attr >> 16
        if info.create_system == 3 and mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            kind = "symlink" if stat.S_ISLNK(mode) else "special file"
            raise reject(N_("it is a {kind}, not a regular file"), kind=kind)
        if info.flag_bits & 0x1:
            raise reject(N_("it is encrypted"))
        key = name.rstrip("/").casefold()
        if key in seen:
            raise reject(N_("duplicate name (same as `{other}`)"), other=seen[key])
        seen[key] = name
        if info.is_dir():
            continue
        if info.file_size > limits.max_member_bytes:
            raise reject(
                N_("{size} bytes uncompressed, more than the limit of {limit}"),
                size=info.file_size,
                limit=limits.max_member_bytes,
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise reject(
                N_("compression ratio {ratio:.0f}:1 above {limit:.0f}:1 (possible zip bomb)"),
                ratio=info.file_size / max(info.compress_size, 1),
                limit=limits.max_ratio,
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise HostileArchiveError(
                N_("{file}: the archive expands to more than {limit} bytes."),
                file=str(path),
                limit=limits.max_total_bytes,
            )
        files.append(info)
    # A file and a folder of the same name (``a`` and ``a/b``) would clash on disk.
    names = {i.filename.rstrip("/").casefold() for i in files}
    for info in files:
        parts = info.filename.split("/")
        for k in range(1, len(parts)):
            prefix = "/".join(parts[:k]).casefold()
            if prefix in names:
                raise HostileArchiveError(
                    N_("{file}: member `{member}` rejected: {reason}."),
                    file=str(path),
                    member=info.filename,
                    reason=_(N_("a file has the same name as its folder")),
                )
    return files


def safe_extract(
    path: Path | str, limits: ZipLimits = DEFAULT_LIMITS, *, dest_parent: Path | str | None = None
) -> tuple[Path, list[str]]:
    """Check the archive, then extract it into a new temporary folder.

    Returns:
        ``(folder, problems)``: the folder (the caller removes it) and per-member read problems
        (e.g. a CRC error: a changed byte in the compressed data), each naming the member. A member
        that fails to read is left out of the folder.
    """
    path = Path(path)
    files = check_archive(path, limits)
    dest = Path(tempfile.mkdtemp(prefix="gaisafe-case-", dir=dest_parent))
    problems: list[str] = []
    with zipfile.ZipFile(path) as zf:
        for info in files:
            target = dest.joinpath(*info.filename.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
                with zf.open(info) as src, open(target, "xb") as out:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > info.file_size:
                            raise HostileArchiveError(
                                N_("{file}: member `{member}` rejected: {reason}."),
                                file=str(path),
                                member=info.filename,
                                reason=_(N_("it expands beyond its declared size")),
                            )
                        out.write(chunk)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error) as exc:
                target.unlink(missing_ok=True)
                problems.append(f"{info.filename}\t{exc}")
    return dest, problems
