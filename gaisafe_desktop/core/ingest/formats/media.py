"""Folders of images, audio and video: every file registered by relative path, size, SHA-256, media type.

Media datasets are always register-only: the files stay where they are, later steps verify hashes.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterator
from pathlib import Path

from gaisafe_desktop.core.errors import NotFoundError, ValidationError
from gaisafe_desktop.core.i18n import N_

NAME = "media"
EXTENSIONS = ()

for _ext, _type in (
    (".webp", "image/webp"),
    (".m4a", "audio/mp4"),
    (".flac", "audio/flac"),
    (".mkv", "video/x-matroska"),
):
    mimetypes.add_type(_type, _ext)


def media_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def modality(mtype: str) -> str:
    top = mtype.split("/", 1)[0]
    return top if top in ("image", "audio", "video", "text") else "other"


def walk(folder: Path) -> Iterator[Path]:
    """Regular files under ``folder`` in a stable order (sorted names, depth first), hidden ones skipped."""
    if not folder.is_dir():
        raise NotFoundError(N_("Media folder {path} does not exist or is not a folder."), path=str(folder))
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            p = Path(root) / name
            if p.is_file():
                yield p


def check_not_empty(folder: Path) -> None:
    for _ in walk(folder):
        return
    raise ValidationError(N_("{path}: the folder has no files to register."), path=str(folder))
