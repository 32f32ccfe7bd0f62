"""Schema errors read exactly like jsonschema's in English and are translated into Chinese."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from gaisafe_desktop.core.frameworks.schema_messages import schema_message
from gaisafe_desktop.core.i18n import _, set_language

CASES = [
    ({"enum": ["shall", "should"]}, "must"),
    ({"type": "object"}, None),
    ({"type": ["string", "null"]}, 3),
    ({"required": ["zh", "en"]}, {"zh": "中"}),
    ({"additionalProperties": False, "properties": {"a": {}}}, {"a": 1, "b": 2}),
    ({"additionalProperties": False, "properties": {}}, {"y": 1, "z": 2}),
    ({"pattern": "^[a-z]+$"}, "Bad"),
    ({"minimum": 0}, -1),
    ({"maximum": 1}, 96),
    ({"exclusiveMinimum": 0}, 0),
    ({"minLength": 1}, ""),
    ({"minItems": 1}, []),
    ({"minItems": 3}, [1]),
    ({"uniqueItems": True}, ["a", "a"]),
    ({"const": "inclusive"}, "exclusive"),
    ({"propertyNames": {"not": {"enum": ["id"]}}}, {"id": 1}),
    (False, 1),
]


@pytest.mark.parametrize(("schema", "instance"), CASES)
def test_english_is_jsonschemas_own_text_and_chinese_differs(schema, instance):
    (err,) = list(Draft202012Validator(schema).iter_errors(instance))
    msgid, params = schema_message(err)
    assert msgid != "{detail}", err.message  # recognised
    assert msgid.format(**params) == err.message
    set_language("zh")
    try:
        assert _(msgid) != msgid  # a Chinese translation exists
        assert _(msgid).format(**params)
    finally:
        set_language("en")


def test_unknown_wording_falls_back_to_jsonschema():
    (err,) = list(Draft202012Validator({"maxLength": 1}).iter_errors("long"))
    assert schema_message(err) == ("{detail}", {"detail": err.message})
