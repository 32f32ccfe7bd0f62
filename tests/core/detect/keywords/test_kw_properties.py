"""Property tests: on random zh/en texts and keyword sets the engine equals a naive search.

The reference normalises character by character (``spec_char``, the documented rule), finds every
occurrence of every normalised term with ``str.find`` (overlapping), then applies the documented
acceptance rules directly on the original text. Engine and reference must give the same set of
(term, original span), and every span must normalise back to its term.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from kw_spec import spec_char

from gaisafe_desktop.core.detect.keywords.library import Entry
from gaisafe_desktop.core.detect.keywords.matcher import KeywordMatcher
from gaisafe_desktop.core.detect.keywords.normalize import normalize

TEXT_ALPHABET = "炸弹彈国國路口交通女装裝asASｓｓ ．.，\u200b\u200d\ufe0f😀ß㎮⑩"
TERM_ALPHABET = "炸弹彈国路口交通女装asSrd1 "


def word(c: str) -> bool:
    return c.isalnum() and ord(c) < 0x1100


def naive(text: str, terms: list[str]) -> set[tuple[str, int, int]]:
    return {(term, a, b) for term, _, _, a, b in naive_spans(text, terms)}


def naive_spans(text: str, terms: list[str]) -> set[tuple[str, int, int, int, int]]:
    """Accepted matches as (term, normalised start, end, original start, end)."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in spec_char(ch):
            chars.append(c)
            origin.append(i)
    norm = "".join(chars)
    out = set()
    for term in terms:
        t_chars: list[int] = []
        for i, ch in enumerate(term):
            t_chars += [i] * len(spec_char(ch))
        t = "".join(spec_char(ch) for ch in term)
        # a separator written inside the term may also separate Latin letters in the text
        term_gaps = {k for k in range(len(t_chars) - 1) if t_chars[k + 1] > t_chars[k] + 1}
        start = norm.find(t)
        while start != -1:
            end = start + len(t)
            ok = True
            # boundary before: previous normalised char is a word char and nothing was deleted between
            if word(t[0]) and start > 0 and word(norm[start - 1]) and origin[start - 1] >= origin[start] - 1:
                ok = False
            if word(t[-1]) and end < len(norm) and word(norm[end]) and origin[end] <= origin[end - 1] + 1:
                ok = False
            for k in range(start, end - 1):
                if word(norm[k]) and word(norm[k + 1]) and origin[k + 1] > origin[k] + 1 and k - start not in term_gaps:
                    ok = False
            if ok:
                out.add((term, start, end, origin[start], origin[end - 1] + 1))
            start = norm.find(t, start + 1)
    return out


terms_strategy = st.lists(
    st.text(alphabet=TERM_ALPHABET, min_size=1, max_size=3).filter(lambda t: normalize(t) != ""),
    min_size=1,
    max_size=6,
    unique_by=normalize,
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=TEXT_ALPHABET, max_size=60), terms_strategy)
def test_engine_equals_naive_search_over_normalised_text(text, terms):
    matcher = KeywordMatcher([Entry(t, ("A.1.h",)) for t in terms])
    hits = matcher.scan(text)
    got = {(h.term, *h.spans[0]) for h in hits}
    assert got == naive(text, terms)
    for h in hits:
        ((a, b),) = h.spans
        assert normalize(text[a:b]) == normalize(h.term)
        assert h.matched == (text[a:b],)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=TEXT_ALPHABET, max_size=25), min_size=1, max_size=8), terms_strategy)
def test_batch_scan_equals_scanning_each_text_alone(texts, terms):
    matcher = KeywordMatcher([Entry(t, ("A.1.h",)) for t in terms])
    batch = matcher.scan_batch(texts)
    for i, text in enumerate(texts):
        alone = matcher.scan(text)
        assert [(h.term, h.spans) for h in batch[i]] == [(h.term, h.spans) for h in alone]
        assert all(h.record == i for h in batch[i])


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=TEXT_ALPHABET, max_size=40),
    terms_strategy,
    st.text(alphabet=TERM_ALPHABET, min_size=2, max_size=5),
)
def test_allowlist_removes_exactly_the_matches_inside_allowed_context(text, terms, allow):
    if not normalize(allow):
        return
    allowed = KeywordMatcher([Entry(t, ("A.1.h",)) for t in terms] + [Entry(allow, kind="allow")])
    ctx = naive_spans(text, [allow])
    # Containment is decided on the normal form (``ß`` → ``ss``: "s" may lie in one original
    # character with an allowed "sa" without lying inside it).
    expected = {
        (term, (a, b))
        for term, ns, ne, a, b in naive_spans(text, terms)
        if not any(cs <= ns and ne <= ce for _, cs, ce, _, _ in ctx)
    }
    got = {(h.term, h.spans[0]) for h in allowed.scan(text)}
    assert got == expected


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text(alphabet=TEXT_ALPHABET, max_size=20), min_size=1, max_size=5),
    st.lists(st.text(alphabet="炸弹国路口交通女装", min_size=1, max_size=2), min_size=1, max_size=3),
    st.lists(st.text(alphabet="炸弹国路口交通女装", min_size=1, max_size=2), max_size=2),
)
def test_rules_hit_exactly_when_all_parts_and_no_exception_occur(texts, all_of, none_of):
    rule = "&".join(all_of) + "".join("~" + n for n in none_of)
    matcher = KeywordMatcher([Entry(rule, ("A.1.h",))])
    for i, hits in enumerate(matcher.scan_batch(texts)):
        found = {t for t in set(all_of) | set(none_of) if naive(texts[i], [t])}
        expected = set(all_of) <= found and not (set(none_of) & found)
        assert bool(hits) == expected
        for h in hits:
            assert [normalize(m) for m in h.matched] == [normalize(a) for a in all_of]
