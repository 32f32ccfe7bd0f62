"""Hostile archives are rejected before anything is written (archives built here, in the test)."""

from __future__ import annotations

import stat
import warnings
import zipfile

import pytest

from gaisafe_desktop.core.casefile import HostileArchiveError, ZipLimits, safe_extract, verify_casefile


def _zip(path, members, compression=zipfile.ZIP_DEFLATED):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on duplicate names, which we build on purpose
        with zipfile.ZipFile(path, "w", compression=compression) as zf:
            for m in members:
                if isinstance(m, zipfile.ZipInfo):
                    zf.writestr(m, b"target")
                else:
                    name, data = m
                    zf.writestr(name, data)
    return path


def _symlink(name):
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


CASES = {
    "traversal": ([("case/../../evil.txt", b"x")], "path traversal"),
    "absolute": ([("/etc/cron.d/evil", b"x")], "absolute path"),
    "drive": ([("C:/Windows/evil", b"x")], "absolute path"),
    "backslash": ([("case\\..\\evil", b"x")], "backslash"),
    "symlink": ([_symlink("case/data/link")], "symlink"),
    "duplicate": ([("case/a.txt", b"1"), ("case/a.txt", b"2")], "duplicate name"),
    "case-duplicate": ([("case/A.txt", b"1"), ("case/a.txt", b"2")], "duplicate name"),
    "file-folder-clash": ([("case/a", b"1"), ("case/a/b", b"2")], "same name as its folder"),
    "deep": ([("/".join(["d"] * 14) + "/f.txt", b"x")], "nested deeper"),
    "bomb": ([("case/zeros.bin", b"\0" * (20 * 1024 * 1024))], "zip bomb"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_archive_is_rejected_before_writing(case, tmp_path):
    members, reason = CASES[case]
    archive = _zip(tmp_path / f"{case}.gaicase", members)
    out = tmp_path / "extract-here"
    out.mkdir()
    with pytest.raises(HostileArchiveError, match=reason) as exc:
        safe_extract(archive, dest_parent=out)
    assert archive.name in str(exc.value)
    assert list(out.iterdir()) == []  # nothing written, not even the temp folder
    assert not (tmp_path / "evil.txt").exists()
    v = verify_casefile(archive)
    assert not v.ok and v.problems[0].code == "archive" and reason in str(v.problems[0])


def test_limits_on_member_count_and_sizes(tmp_path):
    many = _zip(tmp_path / "many.zip", [(f"case/{i}.txt", b"x") for i in range(30)])
    with pytest.raises(HostileArchiveError, match="30 members"):
        safe_extract(many, ZipLimits(max_members=20))
    big = _zip(tmp_path / "big.zip", [("case/big.bin", bytes(range(256)) * 4096)], zipfile.ZIP_STORED)
    with pytest.raises(HostileArchiveError, match="bytes uncompressed"):
        safe_extract(big, ZipLimits(max_member_bytes=1000))
    total = _zip(tmp_path / "total.zip", [(f"case/{i}.bin", bytes(range(256)) * 8) for i in range(5)])
    with pytest.raises(HostileArchiveError, match="expands to more than"):
        safe_extract(total, ZipLimits(max_total_bytes=5000))


def test_a_benign_archive_extracts_into_a_fresh_folder(tmp_path):
    archive = _zip(tmp_path / "ok.zip", [("case/data/a.txt", b"hello"), ("case/b.txt", "中文".encode())])
    folder, problems = safe_extract(archive, dest_parent=tmp_path)
    assert problems == []
    assert (folder / "case" / "data" / "a.txt").read_bytes() == b"hello"
    assert (folder / "case" / "b.txt").read_text(encoding="utf-8") == "中文"


def test_not_a_zip_is_a_clear_error(tmp_path):
    from gaisafe_desktop.core.errors import ValidationError

    junk = tmp_path / "junk.gaicase"
    junk.write_bytes(b"PK not really")
    with pytest.raises(ValidationError, match="not a readable zip archive"):
        safe_extract(junk)
    assert not verify_casefile(junk).ok


def test_a_member_lying_about_its_size_is_not_extracted_beyond_it(tmp_path):
    """A bomb whose headers claim a tiny size passes the ratio check, but extraction stops at the claim."""
    import struct

    archive = _zip(tmp_path / "liar.zip", [("case/zeros.bin", b"\0" * (8 * 1024 * 1024))])
    raw = bytearray(archive.read_bytes())
    local = raw.find(b"PK\x03\x04")
    central = raw.find(b"PK\x01\x02")
    struct.pack_into("<I", raw, local + 22, 100)  # uncompressed size in the local header
    struct.pack_into("<I", raw, central + 24, 100)  # ... and in the central directory
    archive.write_bytes(bytes(raw))
    folder, problems = safe_extract(archive, dest_parent=tmp_path)
    assert len(problems) == 1 and problems[0].startswith("case/zeros.bin")
    assert not (folder / "case" / "zeros.bin").exists()
    v = verify_casefile(archive)
    assert not v.ok and any(p.code == "read" and p.path == "zeros.bin" for p in v.problems)


def test_a_very_repetitive_but_real_file_is_accepted(tmp_path):
    """Logs and CSVs compress a few hundred to one; only artificial data approaches deflate's ~1032:1."""
    line = "访谈记录 interview transcript line, with numbers 0123456789\n".encode()
    data = line * (8 * 1024 * 1024 // len(line))
    archive = _zip(tmp_path / "log.zip", [("case/data/log.txt", data)])
    info = zipfile.ZipFile(archive).getinfo("case/data/log.txt")
    assert info.file_size / info.compress_size > 200
    folder, problems = safe_extract(archive, dest_parent=tmp_path)
    assert problems == [] and (folder / "case" / "data" / "log.txt").read_bytes() == data
