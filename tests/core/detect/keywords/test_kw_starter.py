"""The shipped starter library: well-formed, every term with provenance, rebuilt identically."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from gaisafe_desktop.core.detect.keywords.formats import read_library
from gaisafe_desktop.core.detect.keywords.matcher import compile_library
from gaisafe_desktop.core.detect.keywords.service import starter_library_path
from gaisafe_desktop.core.frameworks import load_framework

ROOT = Path(__file__).resolve().parents[4]
DATASETS = ROOT.parent / "shared" / "datasets"
PERMISSIVE = {
    "jailbench",
    "cold",
    "xsafety",
    "safetybench-zh-subset",
    "flames-1k",
    "multijail",
}


def test_starter_library_is_well_formed_with_provenance():
    path = starter_library_path()
    entries = read_library(path)
    assert entries, "starter library is empty"
    codes = {r.code for r in load_framework("tc260-2024-draft").risks}
    assert all(set(e.risks) <= codes for e in entries)
    with (path.parent / "provenance.csv").open(encoding="utf-8") as fh:
        prov = list(csv.DictReader(fh))
    assert [(p["term"], p["risk"]) for p in prov] == [(e.term, e.risks[0]) for e in entries]
    for p in prov:
        assert set(p["datasets"].split("+")) <= PERMISSIVE, p
        assert int(p["docs_with_term"]) >= 3 and float(p["z"]) >= 3.29
    for name in ("README.md", "NOTICE.md"):
        assert (path.parent / name).is_file()
    # it compiles and finds its own terms
    matcher = compile_library(entries)
    assert matcher.scan(entries[0].term)


@pytest.mark.slow
@pytest.mark.skipif(not DATASETS.is_dir(), reason="shared datasets not present")
def test_starter_library_rebuilds_identically(tmp_path):
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "training" / "build_keywords.py"),
            "--datasets",
            str(DATASETS),
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
        timeout=900,
    )
    shipped = starter_library_path().parent
    for name in ("starter-keywords.csv", "provenance.csv", "README.md", "NOTICE.md"):
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name
