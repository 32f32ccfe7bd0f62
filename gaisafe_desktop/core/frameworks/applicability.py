"""The applicability condition language: small JSON expressions over service-profile fields.

Forms (exactly one per object):

- ``{"field": F, "equals": V}``   — a ``bool`` field equals ``true``/``false``
- ``{"field": F, "contains": C}`` — a ``multi`` field includes choice ``C``
- ``{"field": F, "nonempty": B}`` — a ``multi`` field has (``true``) or lacks (``false``) any choice
- ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}``

:func:`check_condition` validates a condition against the pack's profile fields (used when a pack
is loaded); :func:`evaluate` computes it for a validated profile.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from gaisafe_desktop.core.i18n import N_

FIELD_OPERATORS = ("equals", "contains", "nonempty")
GROUP_OPERATORS = ("all", "any", "not")


def evaluate(cond: Mapping[str, Any], profile: Mapping[str, Any]) -> bool:
    """Value of a (validated) condition for a (validated) profile."""
    if "all" in cond:
        return all(evaluate(c, profile) for c in cond["all"])
    if "any" in cond:
        return any(evaluate(c, profile) for c in cond["any"])
    if "not" in cond:
        return not evaluate(cond["not"], profile)
    value = profile[cond["field"]]
    if "equals" in cond:
        return value == cond["equals"]
    if "contains" in cond:
        return cond["contains"] in value
    return bool(value) == bool(cond["nonempty"])


def check_condition(cond: Any, fields: Mapping[str, Any], path: str) -> Iterator[tuple[str, str, dict]]:
    """Yield ``(json_path, msgid, params)`` for every problem in a condition.

    Args:
        cond: the condition as parsed from JSON.
        fields: profile fields by id (objects with ``type`` and ``choice_ids``).
        path: JSON path of ``cond`` in its file, for messages.
    """
    if not isinstance(cond, Mapping):
        yield path, N_("a condition must be an object"), {}
        return
    keys = set(cond)
    groups = keys & set(GROUP_OPERATORS)
    if groups:
        if len(keys) != 1:
            yield (
                path,
                N_("`{op}` cannot be combined with other keys ({keys})"),
                {
                    "op": sorted(groups)[0],
                    "keys": ", ".join(sorted(keys)),
                },
            )
            return
        op = next(iter(groups))
        if op == "not":
            yield from check_condition(cond["not"], fields, f"{path}.not")
        else:
            items = cond[op]
            if not isinstance(items, list) or not items:
                yield f"{path}.{op}", N_("must be a non-empty list of conditions"), {}
                return
            for i, sub in enumerate(items):
                yield from check_condition(sub, fields, f"{path}.{op}[{i}]")
        return
    ops = keys & set(FIELD_OPERATORS)
    if "field" not in keys or len(ops) != 1 or len(keys) != 2:
        yield (
            path,
            N_("a condition is {{field, equals|contains|nonempty}}, {{all}}, {{any}} or {{not}}; found keys {keys}"),
            {"keys": ", ".join(sorted(keys)) or "none"},
        )
        return
    name = cond["field"]
    spec = fields.get(name)
    if spec is None:
        yield (
            f"{path}.field",
            N_("unknown service-profile field `{field}`; profile.json defines {known}"),
            {
                "field": name,
                "known": ", ".join(fields),
            },
        )
        return
    op = next(iter(ops))
    value = cond[op]
    if spec.type == "bool":
        if op != "equals" or not isinstance(value, bool):
            yield (
                f"{path}.{op}",
                N_('field `{field}` is true/false: use {{"equals": true}} or {{"equals": false}}'),
                {"field": name},
            )
    elif op == "equals":
        yield (
            f"{path}.equals",
            N_("field `{field}` is a multiple choice: use `contains` or `nonempty`"),
            {"field": name},
        )
    elif op == "contains" and value not in spec.choice_ids:
        yield (
            f"{path}.contains",
            N_("`{value}` is not a choice of `{field}` ({choices})"),
            {
                "value": value,
                "field": name,
                "choices": ", ".join(spec.choice_ids),
            },
        )
    elif op == "nonempty" and not isinstance(value, bool):
        yield f"{path}.nonempty", N_("must be true or false"), {}


def referenced_fields(cond: Mapping[str, Any] | None) -> set[str]:
    """Every profile field a condition reads."""
    if not cond:
        return set()
    if "field" in cond:
        return {cond["field"]}
    out: set[str] = set()
    for op in ("all", "any"):
        for sub in cond.get(op, []):
            out |= referenced_fields(sub)
    if "not" in cond:
        out |= referenced_fields(cond["not"])
    return out


def condition_text(cond: Mapping[str, Any] | None) -> str:
    """A compact, language-neutral rendering: ``interfaces ∋ programmable``, ``not (a = true)``, ``x ≠ ∅``."""
    if cond is None:
        return ""
    if "all" in cond:
        return " ∧ ".join(
            f"({condition_text(c)})" if len(c) == 1 and "field" not in c else condition_text(c) for c in cond["all"]
        )
    if "any" in cond:
        return " ∨ ".join(
            f"({condition_text(c)})" if len(c) == 1 and "field" not in c else condition_text(c) for c in cond["any"]
        )
    if "not" in cond:
        return f"¬({condition_text(cond['not'])})"
    name = cond["field"]
    if "equals" in cond:
        value = cond["equals"]
        return f"{name} = {str(value).lower() if isinstance(value, bool) else value}"
    if "contains" in cond:
        return f"{name} ∋ {cond['contains']}"
    return f"{name} ≠ ∅" if cond["nonempty"] else f"{name} = ∅"
