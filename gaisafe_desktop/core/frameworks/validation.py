"""Validation of a framework pack: JSON syntax, JSON Schema (draft 2020-12), then cross-references.

Every problem names the file and the JSON path of the field (``clauses.json: clauses[12].obligation:
'must' is not one of ['shall', 'should']``) so a pack author can fix it without reading code.
Nothing here is specific to one standard: the checks follow the pack format, not its content.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from gaisafe_desktop.core.frameworks.applicability import check_condition
from gaisafe_desktop.core.frameworks.schema_messages import schema_message
from gaisafe_desktop.core.i18n import N_, _
from gaisafe_desktop.core.resources import resource_path

FORMAT = 1  # the newest pack format this version reads
ROLES = ("risks", "aspects", "profile", "clauses", "assessments")
MANIFEST = "framework.json"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where (file, JSON path) and what (an ``N_()`` message id)."""

    file: str
    path: str
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    line: int | None = None  # 1-based line of the field in the file, when known

    def detail(self) -> str:
        """What is wrong, in the current language."""
        try:
            return _(self.msgid).format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.msgid

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.detail()}" if self.path else f"{self.file}: {self.detail()}"


def json_path(parts: Any) -> str:
    """``["clauses", 12, "obligation"]`` → ``clauses[12].obligation``."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def parse_json(name: str, data: bytes) -> tuple[Any, list[Problem]]:
    """Parse one pack file; a syntax error becomes a problem with line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, "", N_("not UTF-8 text (byte {pos})"), {"pos": exc.start})]
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys), []
    except json.JSONDecodeError as exc:
        return None, [
            Problem(
                name,
                "",
                N_("line {line}, column {col}: {detail}"),
                {"line": exc.lineno, "col": exc.colno, "detail": exc.msg},
            )
        ]
    except ValueError as exc:
        return None, [Problem(name, "", N_("invalid JSON: {detail}"), {"detail": str(exc)})]


@cache
def _validator(role: str):
    import jsonschema  # imported here: only pack loading needs it

    with resource_path("frameworks", "_schema", f"{role}.schema.json").open(encoding="utf-8") as fh:
        schema = json.load(fh)
    # The schemas themselves are checked against the metaschema by a test, not at every start-up.
    return jsonschema.validators.validator_for(schema)(schema)


def schema_problems(role: str, name: str, doc: Any) -> list[Problem]:
    """JSON Schema problems of one file, most relevant error per failing location."""
    from jsonschema.exceptions import best_match

    out = []
    for err in sorted(_validator(role).iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        while err.context:  # anyOf/oneOf: report the branch that came closest
            err = best_match(err.context)
        msgid, params = schema_message(err)
        out.append(Problem(name, json_path(err.absolute_path), msgid, params))
    return out


def _duplicates(file: str, items: list[dict], key: str, where: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        value = item[key]
        if value in seen:
            yield Problem(file, f"{where}[{i}].{key}", N_("duplicate id `{value}`"), {"value": value})
        seen.add(value)


def cross_problems(manifest: dict, docs: dict[str, Any], files: dict[str, str]) -> list[Problem]:
    """Problems between fields and files that JSON Schema cannot see (unknown ids, counts, symmetry)."""
    p: list[Problem] = []
    rf, af, pf, cf, sf = (files[r] for r in ("risks", "aspects", "profile", "clauses", "assessments"))
    risks, aspects, profile, clauses, assess = (docs[r] for r in ROLES)

    # risks.json
    p += _duplicates(rf, risks["groups"], "id", "groups")
    p += _duplicates(rf, risks["risks"], "code", "risks")
    p += _duplicates(rf, risks["sets"], "id", "sets")
    group_ids = [g["id"] for g in risks["groups"]]
    codes = [r["code"] for r in risks["risks"]]
    for i, r in enumerate(risks["risks"]):
        if r["group"] not in group_ids:
            p.append(Problem(rf, f"risks[{i}].group", N_("unknown group `{value}`"), {"value": r["group"]}))
    for i, s in enumerate(risks["sets"]):
        for j, g in enumerate(s.get("groups", [])):
            if g not in group_ids:
                p.append(Problem(rf, f"sets[{i}].groups[{j}]", N_("unknown group `{value}`"), {"value": g}))
        for j, c in enumerate(s.get("risks", [])):
            if c not in codes:
                p.append(Problem(rf, f"sets[{i}].risks[{j}]", N_("unknown risk `{value}`"), {"value": c}))
        n = len(expand_set(s, risks["risks"]))
        if "count" in s and s["count"] != n:
            p.append(
                Problem(
                    rf,
                    f"sets[{i}].count",
                    N_("says {expected} but the set has {actual} risks"),
                    {"expected": s["count"], "actual": n},
                )
            )

    # aspects.json
    p += _duplicates(af, aspects["aspects"], "id", "aspects")
    aspect_ids = [a["id"] for a in aspects["aspects"]]

    # profile.json
    p += _duplicates(pf, profile["fields"], "id", "fields")
    fields = {}
    for i, f in enumerate(profile["fields"]):
        fields[f["id"]] = _FieldView(f)
        if f["type"] != "multi":
            continue
        choice_ids = [c["id"] for c in f["choices"]]
        p += _duplicates(pf, f["choices"], "id", f"fields[{i}].choices")
        for j, d in enumerate(f["default"]):
            if d not in choice_ids:
                p.append(
                    Problem(pf, f"fields[{i}].default[{j}]", N_("`{value}` is not one of the choices"), {"value": d})
                )
        if len(f["default"]) < f.get("min_items", 0):
            p.append(Problem(pf, f"fields[{i}].default", N_("needs at least {n} choice(s)"), {"n": f["min_items"]}))

    # clauses.json
    p += _duplicates(cf, clauses["sections"], "id", "sections")
    p += _duplicates(cf, clauses["clauses"], "id", "clauses")
    p += _duplicates(cf, clauses["clauses"], "ref", "clauses")
    section_ids = [s["id"] for s in clauses["sections"]]
    parents = {s["id"]: s["parent"] for s in clauses["sections"]}
    for i, s in enumerate(clauses["sections"]):
        if s["parent"] is not None and s["parent"] not in section_ids:
            p.append(Problem(cf, f"sections[{i}].parent", N_("unknown section `{value}`"), {"value": s["parent"]}))
        seen, cur = set(), s["id"]
        while cur is not None and cur in parents and cur not in seen:
            seen.add(cur)
            cur = parents[cur]
        if cur in seen:
            p.append(
                Problem(cf, f"sections[{i}].parent", N_("sections form a cycle through `{value}`"), {"value": cur})
            )
    assessment_ids = [a["id"] for a in assess["assessments"]]
    for i, c in enumerate(clauses["clauses"]):
        if c["id"] in section_ids:
            p.append(Problem(cf, f"clauses[{i}].id", N_("`{value}` is already a section id"), {"value": c["id"]}))
        if c["section"] not in section_ids:
            p.append(Problem(cf, f"clauses[{i}].section", N_("unknown section `{value}`"), {"value": c["section"]}))
        if c["applies_if"] is not None:
            for path, msgid, params in check_condition(c["applies_if"], fields, f"clauses[{i}].applies_if"):
                p.append(Problem(cf, path, msgid, params))
        for j, a in enumerate(c["assessments"]):
            if a not in assessment_ids:
                p.append(
                    Problem(cf, f"clauses[{i}].assessments[{j}]", N_("unknown assessment `{value}`"), {"value": a})
                )

    # assessments.json
    p += _duplicates(sf, assess["assessments"], "id", "assessments")
    clause_ids = [c["id"] for c in clauses["clauses"]]
    set_ids = [s["id"] for s in risks["sets"]]
    for i, a in enumerate(assess["assessments"]):
        for j, cid in enumerate(a["clauses"]):
            if cid not in clause_ids:
                p.append(Problem(sf, f"assessments[{i}].clauses[{j}]", N_("unknown clause `{value}`"), {"value": cid}))
        for c in clauses["clauses"]:  # the link is written on both sides; they must agree
            if (a["id"] in c["assessments"]) and c["id"] not in a["clauses"]:
                p.append(
                    Problem(
                        sf,
                        f"assessments[{i}].clauses",
                        N_("misses clause `{clause}`, which lists this assessment"),
                        {"clause": c["id"]},
                    )
                )
            elif c["id"] in a["clauses"] and a["id"] not in c["assessments"]:
                p.append(
                    Problem(
                        sf,
                        f"assessments[{i}].clauses",
                        N_("lists clause `{clause}`, whose `assessments` do not name `{value}`"),
                        {"clause": c["id"], "value": a["id"]},
                    )
                )
        p += _parameter_problems(
            sf, f"assessments[{i}].parameters", a["parameters"], set_ids, codes, group_ids, aspect_ids, fields
        )
    return p


def _parameter_problems(file, where, params, set_ids, codes, group_ids, aspect_ids, fields) -> Iterator[Problem]:
    """References inside parameters, found by the naming convention of their keys (documented in the format)."""
    for key, value in params.items():
        path = f"{where}.{key}"
        if key.endswith("_risk_set") and value not in set_ids:
            yield Problem(
                file,
                path,
                N_("unknown risk set `{value}`; risks.json defines {known}"),
                {"value": value, "known": ", ".join(set_ids)},
            )
        elif key == "min_per_risk":
            for k in value:
                if k != "*" and k not in codes and k not in group_ids:
                    yield Problem(
                        file, f"{path}.{k}", N_("`{value}` is neither a risk code, a group id nor `*`"), {"value": k}
                    )
        elif key == "covers_aspects" and isinstance(value, list):
            for j, v in enumerate(value):
                if v not in aspect_ids:
                    yield Problem(file, f"{path}[{j}]", N_("unknown aspect `{value}`"), {"value": v})
        elif key.endswith("_profile_field") or key == "covers_profile_choices":
            spec = fields.get(value)
            want = "multi" if key == "covers_profile_choices" else "bool"
            if spec is None or spec.type != want:
                yield Problem(
                    file, path, N_("`{value}` is not a `{type}` field of profile.json"), {"value": value, "type": want}
                )


class _FieldView:
    """The two attributes of a profile field that condition checking needs, from raw JSON."""

    def __init__(self, raw: dict) -> None:
        self.type = raw["type"]
        self.choice_ids = tuple(c["id"] for c in raw.get("choices", []))


def expand_set(raw_set: dict, raw_risks: list[dict]) -> list[str]:
    """Risk codes of a set (by groups and/or explicit codes), in the order of risks.json."""
    groups = set(raw_set.get("groups", []))
    explicit = set(raw_set.get("risks", []))
    return [r["code"] for r in raw_risks if r["group"] in groups or r["code"] in explicit]
