"""Translatable versions of jsonschema's error messages.

jsonschema writes English only. For the keywords pack schemas use, the message is rebuilt from an
``N_()`` id whose English text is exactly jsonschema's; if the two ever differ (a new jsonschema
wording), jsonschema's own message is used unchanged, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from gaisafe_desktop.core.i18n import N_


def _limits(err: Any) -> tuple[str, dict[str, Any]] | None:
    value = repr(err.instance)
    kind = err.validator
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        ids = {
            "minimum": N_("{value} is less than the minimum of {limit}"),
            "maximum": N_("{value} is greater than the maximum of {limit}"),
            "exclusiveMinimum": N_("{value} is less than or equal to the minimum of {limit}"),
            "exclusiveMaximum": N_("{value} is greater than or equal to the maximum of {limit}"),
        }
        return ids[kind], {"value": value, "limit": err.validator_value}
    if kind in ("minLength", "minItems", "minProperties"):
        if err.message.endswith("should be non-empty"):
            return N_("{value} should be non-empty"), {"value": value}
        return N_("{value} is too short"), {"value": value}
    return None


def schema_message(err: Any) -> tuple[str, dict[str, Any]]:
    """``(msgid, params)`` for a ``jsonschema.ValidationError``; ``("{detail}", …)`` when not recognised."""
    value = repr(err.instance)
    kind = err.validator
    built: tuple[str, dict[str, Any]] | None = None
    if kind == "enum":
        built = N_("{value} is not one of {allowed}"), {"value": value, "allowed": repr(err.validator_value)}
    elif kind == "type":
        types = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        built = N_("{value} is not of type {types}"), {"value": value, "types": ", ".join(map(repr, types))}
    elif kind == "required" and err.message.endswith(" is a required property"):
        built = N_("{name} is a required property"), {"name": err.message[: -len(" is a required property")]}
    elif kind == "additionalProperties" and isinstance(err.instance, dict):
        known = err.schema.get("properties", {})
        extra = [k for k in err.instance if k not in known]
        names = ", ".join(map(repr, sorted(extra)))
        if len(extra) == 1:
            built = N_("Additional properties are not allowed ({names} was unexpected)"), {"names": names}
        else:
            built = N_("Additional properties are not allowed ({names} were unexpected)"), {"names": names}
    elif kind == "pattern":
        built = N_("{value} does not match {pattern}"), {"value": value, "pattern": repr(err.validator_value)}
    elif kind == "uniqueItems":
        built = N_("{value} has non-unique elements"), {"value": value}
    elif kind == "const":
        built = N_("{expected} was expected"), {"expected": repr(err.validator_value)}
    elif kind == "not":
        built = N_("{value} should not be valid under {schema}"), {"value": value, "schema": repr(err.validator_value)}
    elif kind is None and err.message.startswith("False schema"):
        built = N_("False schema does not allow {value}"), {"value": value}
    else:
        built = _limits(err)
    if built is not None and built[0].format(**built[1]) == err.message:
        return built
    return "{detail}", {"detail": err.message}
