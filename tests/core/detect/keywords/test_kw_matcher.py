"""Matcher: evasion is caught, false positives are suppressed, spans point at the real text."""

from __future__ import annotations

import pytest

from gaisafe_desktop.core.detect.keywords.library import Entry
from gaisafe_desktop.core.detect.keywords.matcher import KeywordMatcher, compile_library
from gaisafe_desktop.core.errors import ValidationError


def found(matcher: KeywordMatcher, text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(h.term, h.matched) for h in matcher.scan(text)]


@pytest.fixture(scope="module")
def lib() -> KeywordMatcher:
    return KeywordMatcher(
        [
            Entry("炸弹", ("A.1.d",)),
            Entry("口交", ("A.1.f",)),
            Entry("路口交通", kind="allow"),
            Entry("ass", ("A.4.c",)),
            Entry("赌博&网站~新闻", ("A.1.h",)),
            Entry("AV女优", ("A.1.f",)),
            Entry("女装", ("A.1.f",), match="exact"),
            Entry("法轮", ("A.1.h",)),
        ]
    )


@pytest.mark.parametrize(
    "text, original",
    [
        ("炸 弹", "炸 弹"),
        ("炸.弹", "炸.弹"),
        ("炸彈", "炸彈"),
        ("炸\u200d弹", "炸\u200d弹"),
        ("炸\u200b\u200b弹", "炸\u200b\u200b弹"),
        ("炸\ufe0f弹", "炸\ufe0f弹"),
        ("制作炸😀弹的方法", "炸😀弹"),
        ("炸　弹", "炸　弹"),
    ],
)
def test_evasion_is_caught_and_the_real_characters_are_reported(lib, text, original):
    hits = lib.scan(text)
    assert [(h.term, h.matched) for h in hits] == [("炸弹", (original,))]
    ((a, b),) = hits[0].spans
    assert text[a:b] == original
    assert hits[0].risks == ("A.1.d",)


def test_full_width_latin_and_case(lib):
    assert found(lib, "ＡＶ女優") == [("AV女优", ("ＡＶ女優",))]
    assert found(lib, "av 女优") == [("AV女优", ("av 女优",))]
    assert found(lib, "the ＡＳＳ.") == [("ass", ("ＡＳＳ",))]


def test_allowlist_suppresses_the_match_inside_its_context(lib):
    assert found(lib, "请在路口交通信号灯前停车") == []
    assert found(lib, "口交") == [("口交", ("口交",))]
    # the exception is local: a real hit elsewhere in the same text is still reported
    assert found(lib, "路口交通很乱。口交") == [("口交", ("口交",))]


def test_combination_rules(lib):
    assert found(lib, "这个赌博的网站") == [("赌博&网站~新闻", ("赌博", "网站"))]
    assert found(lib, "网站上有人赌博") == [("赌博&网站~新闻", ("赌博", "网站"))]
    assert found(lib, "只有赌博") == []
    assert found(lib, "新闻：这个赌博网站被查处") == []


def test_english_word_boundaries_prevent_false_positives(lib):
    assert found(lib, "a class of grass") == []
    assert found(lib, "a ss") == []
    assert found(lib, "pass") == []
    assert found(lib, "you ass") == [("ass", ("ass",))]
    assert found(lib, "ass!") == [("ass", ("ass",))]
    assert found(lib, "中文ass中文") == [("ass", ("ass",))]


def test_exact_entries_are_not_matched_across_inserted_characters(lib):
    assert found(lib, "女装") == [("女装", ("女装",))]
    assert found(lib, "女裝") == [("女装", ("女裝",))]  # traditional still normalised
    assert found(lib, "她穿女 装") == []


def test_overlapping_matches_are_all_reported():
    m = KeywordMatcher([Entry("法轮", ("A.1.h",)), Entry("法轮功", ("A.1.h",)), Entry("轮功", ("A.1.h",))])
    hits = m.scan("法 轮 功")
    assert sorted((h.term, h.spans) for h in hits) == [
        ("法轮", ((0, 3),)),
        ("法轮功", ((0, 5),)),
        ("轮功", ((2, 5),)),
    ]


def test_no_match_across_records_in_a_batch():
    m = KeywordMatcher([Entry("炸弹", ("A.1.d",))])
    out = m.scan_batch(["炸", "弹", "炸\uffff弹"])
    assert out[:2] == [[], []]
    assert [(h.record, h.spans, h.matched) for h in out[2]] == [(2, ((0, 3),), ("炸\uffff弹",))]


def test_same_term_under_two_risks_and_duplicates():
    m = KeywordMatcher([Entry("炸弹", ("A.1.d",)), Entry("炸彈", ("A.1.h", "A.1.d"))])
    hits = m.scan("炸弹")
    assert sorted(h.risks for h in hits) == [("A.1.d",), ("A.1.h", "A.1.d")]


def test_bad_entries_are_rejected_with_where():
    with pytest.raises(ValidationError, match="lib.csv, line 3"):
        KeywordMatcher([Entry("！！", ("A.1.d",), where="lib.csv, line 3")])
    with pytest.raises(ValidationError, match="no risk code"):
        KeywordMatcher([Entry("炸弹", (), where="x, line 1")])
    with pytest.raises(ValidationError, match="empty part"):
        KeywordMatcher([Entry("赌博&&网站", ("A.1.h",), where="x, line 2")])
    with pytest.raises(ValidationError, match="kind"):
        KeywordMatcher([Entry("炸弹", ("A.1.d",), kind="deny", where="x, line 4")])
    with pytest.raises(ValidationError, match="empty"):
        compile_library([])


def test_matcher_pickles_for_worker_processes(lib):
    import pickle

    clone = pickle.loads(pickle.dumps(lib))
    for text in ["炸 弹", "路口交通", "赌博网站", "the ass"]:
        assert clone.scan(text) == lib.scan(text)


def test_multi_word_latin_terms_allow_their_own_separator():
    m = KeywordMatcher([Entry("new york", ("A.1.h",))])
    assert found(m, "I love New York!") == [("new york", ("New York",))]
    assert found(m, "new.york") == [("new york", ("new.york",))]
    assert found(m, "ne w york") == []
    assert found(m, "renew yorkshire") == []
