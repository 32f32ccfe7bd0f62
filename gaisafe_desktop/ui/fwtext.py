"""Showing framework data (bilingual labels of profile fields and clauses) in the current language."""

from __future__ import annotations

from typing import Any

from gaisafe_desktop.core.i18n import _, localized


def choice_items(field: Any) -> list[tuple[str, str]]:
    """``(choice id, label)`` of a multi-choice profile field, in the framework's order."""
    labels = getattr(field, "choice_labels", None)
    out = []
    for choice in field.choices:
        if isinstance(choice, str):
            cid = choice
            label = labels.get(cid) if isinstance(labels, dict) else None
            if label is None and isinstance(field.choices, dict):
                label = field.choices[cid]
        else:
            cid = getattr(choice, "id", None) or choice["id"]
            label = getattr(choice, "label", None) or choice.get("label")
        out.append((cid, localized(label) if label else cid))
    return out


def profile_value_text(field: Any, value: Any) -> str:
    if field.type == "bool":
        return _("Yes") if value else _("No")
    labels = dict(choice_items(field))
    values = value or []
    return ", ".join(labels.get(v, v) for v in values) if values else _("None")


def clause_text(clause: Any) -> str:
    for attr in ("text", "title", "summary", "paraphrase"):
        value = getattr(clause, attr, None)
        if value:
            return localized(value)
    return ""


def clause_ref(clause: Any) -> str:
    return str(getattr(clause, "ref", "") or getattr(clause, "id", ""))


def reason_text(reason: Any) -> str:
    return localized(reason) if reason else ""
