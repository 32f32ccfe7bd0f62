"""A writable copy of the shipped pack, for tests that break it on purpose."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gaisafe_desktop.core.frameworks import framework_dir

PACK_ID = "tc260-2024-draft"


@pytest.fixture
def pack_copy(tmp_path) -> Path:
    dest = tmp_path / PACK_ID
    shutil.copytree(framework_dir(PACK_ID), dest)
    return dest


def edit_json(path: Path, change) -> None:
    """Load a pack file, let ``change(doc)`` modify it, write it back."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
