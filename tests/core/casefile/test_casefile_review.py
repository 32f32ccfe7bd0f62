"""Review mode: a case file opened read-only, with the verification status beside the content."""

from __future__ import annotations

import sqlite3
import zipfile

import pytest

from gaisafe_desktop.core.casefile import casefile_overview, open_casefile
from gaisafe_desktop.core.errors import UsageError, ValidationError


def test_open_shows_verification_project_people_and_evidence(exported):
    with open_casefile(exported["case"], [exported["key"].cert_path]) as opened:
        assert opened.verification.ok and opened.verification.trusted
        assert opened.project is not None and opened.project.read_only
        o = casefile_overview(opened)
        folder = opened.folder
        report = opened.path_of("data/reports/report.pdf")
        assert report.read_bytes().startswith(b"%PDF")
        with pytest.raises(ValidationError):
            opened.path_of("../../etc/passwd")
        with pytest.raises(UsageError):  # the snapshot is read-only: no change is possible
            with opened.project.transaction("review.edit"):
                pass
        with pytest.raises(sqlite3.OperationalError):
            opened.project.conn.execute("DELETE FROM people")
    assert not folder.exists()  # the extraction is removed on close
    assert o["verification"]["ok"] and o["verification"]["signer"] == "Li Lei"
    assert o["project"]["provider"] == "示例科技" and o["project"]["audit_head"] == exported["result"].audit_head
    assert [p["name"] for p in o["people"]] == ["Li Lei"]
    assert [e["name"] for e in o["evidence"]] == ["访谈记录.txt"]
    assert o["reports"][0]["ok"] and o["reports"][0]["signers"] == ["Li Lei"]


def test_a_tampered_case_file_still_opens_with_its_problems_shown(exported, tmp_path):
    bad = tmp_path / "bad.gaicase"
    with zipfile.ZipFile(exported["case"]) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith("data/identities.json"):
                data = data.replace(b"reportlab", b"reportlaB")
            zout.writestr(info.filename, data)
    with open_casefile(bad) as opened:
        o = casefile_overview(opened)
    assert not o["verification"]["ok"]
    assert "data/identities.json" in {p["path"] for p in o["verification"]["problems"]}
    assert o["project"]["provider"] == "示例科技"  # the reviewer still sees the content


def test_a_hostile_archive_is_refused_before_opening(tmp_path):
    from gaisafe_desktop.core.casefile import HostileArchiveError

    evil = tmp_path / "evil.gaicase"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("case/../../evil.txt", b"x")
    with pytest.raises(HostileArchiveError):
        open_casefile(evil)
