"""Service-profile toggles decide which clauses apply, with a bilingual reason when one does not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.frameworks import load_framework
from gaisafe_desktop.core.frameworks.applicability import condition_text, evaluate, referenced_fields

FW = load_framework("tc260-2024-draft")


def applies(clause_id: str, **profile) -> bool:
    return FW.applicability(clause_id, {**FW.default_profile(), **profile})[0]


def test_defaults_apply_most_clauses():
    prof = FW.default_profile()
    out = {c.id for c in FW.clauses} - {c.id for c in FW.applicable_clauses(prof)}
    # not for minors by default; text only; interactive only; no critical use; not specialised
    assert out == {"7.a.3.a", "7.a.3.b", "7.a.3.c", "7.a.2", "7.b.3", "6.b.4", "B.1.3.b.3"}


def test_minors_switch_between_7a3_and_7a4():
    assert not applies("7.a.3.b", suitable_for_minors=False) and applies("7.a.4", suitable_for_minors=False)
    assert applies("7.a.3.b", suitable_for_minors=True) and not applies("7.a.4", suitable_for_minors=True)
    ok, reason = FW.applicability("7.a.4", {"suitable_for_minors": True})
    assert not ok and "7 a) 3)" in reason["en"] and "未成年人" in reason["zh"]
    # a section applies when any clause under it applies
    assert FW.applicability("7.a.3", {"suitable_for_minors": True}) == (True, None)
    assert FW.applicability("7.a.3", {"suitable_for_minors": False})[0] is False


def test_interfaces():
    assert not applies("7.b.3", interfaces=["interactive"])
    assert applies("7.b.3", interfaces=["programmable"])
    assert not applies("7.b.1", interfaces=["programmable"]) and not applies("7.b.2.c", interfaces=["programmable"])
    both = ["interactive", "programmable"]
    assert all(applies(c, interfaces=both) for c in ("7.b.1", "7.b.2.a", "7.b.2.b", "7.b.2.c", "7.b.3"))


def test_training_data_sources():
    assert applies("5.1.b.2", uses_foreign_data=True) and not applies("5.1.b.2", uses_foreign_data=False)
    assert not applies("5.1.c.1", uses_open_source_data=False)
    assert not applies("5.1.c.2", uses_self_collected_data=False)
    assert not any(applies(c, uses_commercial_data=False) for c in ("5.1.c.3.a", "5.1.c.3.b", "5.1.c.3.c"))
    assert applies("5.1.b.1", uses_foreign_data=False)  # unconditional


def test_user_input_for_training():
    for cid in ("5.1.c.4", "7.c.1", "7.c.2"):
        assert applies(cid, user_input_for_training=True)
        assert not applies(cid, user_input_for_training=False)
    assert FW.applicability("7.c", {"user_input_for_training": False})[0] is False


def test_critical_uses_and_modalities_and_specialised_model():
    assert not applies("7.a.2", critical_uses=[])
    assert applies("7.a.2", critical_uses=["medical_information"])
    assert not applies("6.b.4", modalities=["text", "audio"])
    assert applies("6.b.4", modalities=["text", "video"]) and applies("6.b.4", modalities=["image"])
    assert applies("B.1.3.b.3", specialised_model=True) and not applies("B.1.3.b.3", specialised_model=False)


def test_profile_is_validated():
    with pytest.raises(ValidationError, match="unknown field `minors`"):
        FW.applicability("7.a.4", {"minors": True})
    with pytest.raises(ValidationError, match="`suitable_for_minors` must be true or false"):
        FW.applicability("7.a.4", {"suitable_for_minors": "yes"})
    with pytest.raises(ValidationError, match="`interfaces` must be a list drawn from interactive, programmable"):
        FW.applicability("7.a.4", {"interfaces": ["telepathy"]})
    with pytest.raises(ValidationError, match="`modalities` needs at least 1"):
        FW.validate_profile({"modalities": []})
    assert FW.validate_profile({"modalities": ["video", "text", "text"]})["modalities"] == ["text", "video"]


def test_condition_language():
    prof = FW.validate_profile({"interfaces": ["programmable"], "suitable_for_minors": True})
    cond = {
        "all": [
            {"field": "interfaces", "contains": "programmable"},
            {"not": {"field": "suitable_for_minors", "equals": False}},
        ]
    }
    assert evaluate(cond, prof)
    assert not evaluate(
        {"any": [{"field": "critical_uses", "nonempty": True}, {"field": "modalities", "contains": "audio"}]}, prof
    )
    assert evaluate({"field": "critical_uses", "nonempty": False}, prof)
    assert referenced_fields(cond) == {"interfaces", "suitable_for_minors"}
    assert condition_text(cond) == "interfaces ∋ programmable ∧ (¬(suitable_for_minors = false))"


def test_every_condition_field_is_a_profile_field():
    fields = {f.id for f in FW.profile_fields}
    for c in FW.clauses:
        assert referenced_fields(c.applies_if) <= fields


profiles = st.fixed_dictionaries(
    {
        f.id: st.booleans()
        if f.type == "bool"
        else st.lists(st.sampled_from(f.choices), min_size=f.min_items, max_size=len(f.choices), unique=True)
        for f in FW.profile_fields
    }
)


@settings(max_examples=60, deadline=None)
@given(profiles)
def test_applicable_clauses_agree_with_per_clause_applicability(profile):
    listed = {c.id for c in FW.applicable_clauses(profile)}
    for c in FW.clauses:
        ok, reason = FW.applicability(c, profile)
        assert ok == (c.id in listed)
        assert (reason is None) == ok
    # exactly one of 7.a.3.* and 7.a.4 applies, whatever the profile
    assert ("7.a.4" in listed) != ("7.a.3.a" in listed)
