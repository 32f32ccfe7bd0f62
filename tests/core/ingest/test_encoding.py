"""Encoding detection on real bytes, and undecodable bytes reported, never replaced."""

from __future__ import annotations

import pytest

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.ingest.encoding import detect_bytes, detect_file

TEXT = "编号,问题\n1,今天天气怎么样？\n2,如何煮米饭？\n"


@pytest.mark.parametrize(
    ("data", "name", "bom"),
    [
        (TEXT.encode("utf-8"), "utf-8", 0),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8", 3),
        (TEXT.encode("gbk"), "gb18030", 0),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le", 2),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be", 2),
        (TEXT.encode("utf-16-le"), "utf-16-le", 0),
        (TEXT.encode("utf-16-be"), "utf-16-be", 0),
        (b"plain ascii,only\n", "utf-8", 0),
    ],
)
def test_detects_encoding(data, name, bom):
    enc = detect_bytes(data, where="x.csv")
    assert (enc.name, enc.bom) == (name, bom)
    assert data[enc.bom :].decode(enc.name) == data[enc.bom :].decode(enc.name, "strict")


def test_mostly_utf8_file_with_one_bad_line_stays_utf8():
    data = ("\n".join(["第一行中文"] * 5) + "\n").encode() + b"bad \xff\xfe line\n"
    enc = detect_bytes(data, where="x")
    assert enc.name == "utf-8" and enc.how == "utf-8-mostly"


def test_binary_is_rejected_with_the_file_name():
    with pytest.raises(ValidationError) as e:
        detect_bytes(bytes(range(256)), where="data/binary.csv")
    assert str(e.value) == (
        "data/binary.csv: the file looks binary (control or NUL bytes), not text; check that it is the right file."
    )


def test_override_and_unknown_override(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(TEXT.encode("gbk"))
    assert detect_file(f, "gbk").name == "gbk"
    with pytest.raises(ValidationError, match="Unknown encoding nope"):
        detect_file(f, "nope")
