"""Line numbers of JSON fields, for problem reports on hand-edited pack files."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from gaisafe_desktop.core.frameworks.jsonlines import line_of_path, value_lines

keys = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6)
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8)
)
documents = st.recursive(
    scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(keys, c, max_size=4), max_leaves=25
)


def walk(doc, path=()):
    yield path, doc
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from walk(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from walk(v, (*path, i))


@settings(max_examples=150, deadline=None)
@given(documents)
def test_every_key_is_found_on_its_own_line(doc):
    text = json.dumps({"root": doc}, indent=2, ensure_ascii=False)
    lines = value_lines(text)
    rows = text.split("\n")  # JSON lines end at \n only (not at U+0085 etc.)
    for path, _value in walk({"root": doc}):
        assert path in lines
        if path and isinstance(path[-1], str):
            assert rows[lines[path] - 1].lstrip().startswith(json.dumps(path[-1], ensure_ascii=False) + ":")


def test_compact_text_and_missing_paths():
    text = '{"a": [1, {"b": "x]}\\"y"}],\n "c": {}}'
    assert value_lines(text)[("a", 1, "b")] == 1
    assert value_lines(text)[("c",)] == 2
    assert line_of_path(text, "c.d[3]") == 2  # nearest existing ancestor
    assert line_of_path(text, "a[1].b") == 1
