"""The scan code: self-synchronising, equal to the code of the normal form, every code length used.

The matcher's results are checked against a naive search in ``test_kw_properties``; these tests
pin the code itself and drive the matcher through the code's rare paths (three-byte codes,
characters whose code is longer than three bytes, runs of characters outside the library).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gaisafe_desktop.core.detect.keywords.codec import CAPACITY, OTHER, ScanCodec, _code, char_index
from gaisafe_desktop.core.detect.keywords.library import Entry
from gaisafe_desktop.core.detect.keywords.matcher import KeywordMatcher
from gaisafe_desktop.core.detect.keywords.normalize import normalize, normalize_codes, to_codes


def test_codes_are_distinct_and_self_synchronising():
    codes = [_code(r) for r in range(CAPACITY)]
    assert len(set(codes)) == CAPACITY
    assert {len(c) for c in codes} == {1, 2, 3}
    starts = {c[0] for c in codes}
    trails = {b for c in codes for b in c[1:]}
    # A code never begins with a byte that can continue one, so matches start on code boundaries.
    assert not starts & trails
    assert OTHER not in starts | trails and 0xFF not in starts | trails


def _scan_bytes(codec: ScanCodec, text: str) -> bytes:
    data, lengths = codec.encode(to_codes(text))
    assert int(lengths.sum()) == len(data)
    return data.tobytes()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="炸弹彈路口交通 .，\u200bａｓSs㎮⑩ß好的x", max_size=40))
def test_code_of_a_text_is_the_code_of_its_normal_form(text):
    codec = ScanCodec(["炸弹", "路口交通", "ass", "rad", "10"])
    got = _scan_bytes(codec, text)
    expected = codec.encode_str(normalize(text))
    # Runs of OTHER bytes may be longer when deleted characters separated them in the original.
    assert re.sub(b"\0+", b"\0", got) == expected
    # Each byte maps back to the character that produced it.
    data, lengths = codec.encode(to_codes(text))
    idx = char_index(lengths.cumsum(), list(range(len(data)))) if len(data) else []
    for p, i in enumerate(list(idx)):
        assert data[p] == OTHER or codec.encode_str(normalize(text[i])).find(bytes([data[p]])) >= 0


def test_library_with_three_byte_codes_finds_every_term():
    # 9,000 distinct characters: more than the one- and two-byte codes hold.
    chars = [chr(0x4E00 + i) for i in range(9000)]
    terms = [chars[i] + chars[-1 - i] for i in range(4500)]
    matcher = KeywordMatcher([Entry(t, ("A.1.h",)) for t in terms])
    assert {len(c) for c in matcher._codec.codes.values()} == {1, 2, 3}
    text = "的".join(terms[::7]) + "，" + " ".join(t[0] + " " + t[1] for t in terms[-5:])
    hits = matcher.scan(text)
    norm = normalize(text)
    expected = {(t, norm.count(normalize(t))) for t in terms if normalize(t) in norm}
    got: dict[str, int] = {}
    for h in hits:
        got[h.term] = got.get(h.term, 0) + 1
    assert set(got.items()) == expected
    assert len(expected) >= len(terms[::7]) + 5


def test_characters_whose_code_exceeds_three_bytes():
    # ㎮ normalises to "rads": four characters of the library, a four-byte code.
    matcher = KeywordMatcher([Entry("rads", ("A.1.h",)), Entry("炸弹", ("A.1.d",)), Entry("10", ("A.1.h",))])
    assert normalize("㎮") == "rads"
    texts = ["速度 ㎮ 炸 弹", "㎮ ㎮", "炸彈⑩", "x" * 5 + "㎮", "㎮㎮"]
    got = [[(h.term, h.spans, h.matched) for h in hits] for hits in matcher.scan_batch(texts)]
    assert got == [
        [("rads", ((3, 4),), ("㎮",)), ("炸弹", ((5, 8),), ("炸 弹",))],
        [("rads", ((0, 1),), ("㎮",)), ("rads", ((2, 3),), ("㎮",))],
        [("炸弹", ((0, 2),), ("炸彈",)), ("10", ((2, 3),), ("⑩",))],
        [],  # "xxxxxrads": no word boundary before "rads"
        [],  # "radsrads": nor between the two
    ]


def test_runs_of_characters_outside_the_library_shrink_to_one_byte():
    codec = ScanCodec(["炸弹"])
    data, lengths = codec.encode(to_codes("abcdefgh炸弹ijk"))
    assert data.tobytes() == b"\0" + codec.codes["炸"] + codec.codes["弹"] + b"\0"
    assert lengths.tolist() == [1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0]


def test_normal_forms_encode_like_their_originals():
    # The matcher re-scans normalised records with the same table: a normal character must map
    # to its own code (normalisation is idempotent).
    codec = ScanCodec(["炸弹", "rads"])
    for text in ("炸彈 ㎮ ＲＡＤＳ", "ß⑩"):
        norm = normalize_codes(text)
        assert _scan_bytes(codec, norm.text) == codec.encode(norm.codes)[0].tobytes()
