"""The service profile (modalities, interfaces, minors, …) and the clause applicability it decides."""

from __future__ import annotations

import json
from typing import Any

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.hashing import canonical_json
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.store.project import Project

_TRUE = {"1", "true", "yes", "y", "on", "是"}
_FALSE = {"0", "false", "no", "n", "off", "否"}


def get_profile(project: Project) -> dict[str, Any]:
    """The stored profile over the framework's defaults."""
    profile = project.framework.default_profile()
    for row in project.conn.execute("SELECT field, value FROM service_profile"):
        profile[row["field"]] = json.loads(row["value"])
    return profile


def coerce_profile_value(field: Any, raw: Any) -> Any:
    """Turn CLI/GUI input into the field's type, or explain what is allowed."""
    if field.type == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise UsageError(N_("Profile field {field} takes yes or no, not {value!r}."), field=field.id, value=raw)
    values = raw if isinstance(raw, list | tuple) else [v.strip() for v in str(raw).split(",") if v.strip()]
    bad = [v for v in values if v not in field.choice_ids]
    if bad:
        raise UsageError(
            N_("Profile field {field} does not offer {value!r}; choose from {choices}."),
            field=field.id,
            value=bad[0],
            choices=", ".join(field.choice_ids),
        )
    return sorted(set(values), key=list(field.choice_ids).index)


def set_profile(project: Project, updates: dict[str, Any]) -> dict[str, Any]:
    """Change profile fields (validated against the framework) in one audited transaction."""
    fields = {f.id: f for f in project.framework.profile_fields}
    unknown = [k for k in updates if k not in fields]
    if unknown:
        raise UsageError(
            N_("Unknown profile field {field}; the framework defines {choices}."),
            field=unknown[0],
            choices=", ".join(fields),
        )
    coerced = {k: coerce_profile_value(fields[k], v) for k, v in updates.items()}
    with project.transaction("profile.set", coerced) as tx:
        for key, value in coerced.items():
            tx.write("service_profile", {"field": key, "value": canonical_json(value)})
    return get_profile(project)


def clause_applicability(project: Project) -> list[dict[str, Any]]:
    """Every clause of the framework with whether it applies to this service and, if not, why."""
    fw = project.framework
    profile = get_profile(project)
    out = []
    for clause in fw.clauses:
        applies, reason = fw.applicability(clause, profile)
        out.append({"clause": clause, "applies": applies, "reason": reason})
    return out
