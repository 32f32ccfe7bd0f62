"""The in-memory form of a framework pack: frozen dataclasses, no I/O, no Qt.

A framework pack (``resources/frameworks/<id>/``) describes one standard as data: its risk
taxonomy, the service-profile fields that decide applicability, its clauses and the parameters
of its automated assessments. Nothing here knows which standard it is.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.errors import NotFoundError, ValidationError
from gaisafe_desktop.core.frameworks.applicability import evaluate
from gaisafe_desktop.core.i18n import N_

Text = dict[str, str]  # bilingual data value: {"zh": ..., "en": ...}


@dataclass(frozen=True)
class RiskGroup:
    id: str
    name: Text
    ref: str = ""

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; the id identifies
        return hash((self.id,))


@dataclass(frozen=True)
class Risk:
    code: str
    group: str
    name: Text
    ref: str = ""

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; the id identifies
        return hash((self.code,))


@dataclass(frozen=True)
class RiskSet:
    id: str
    name: Text
    codes: tuple[str, ...]

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; the id identifies
        return hash((self.id,))


@dataclass(frozen=True)
class Aspect:
    id: str
    name: Text
    description: Text | None = None

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; the id identifies
        return hash((self.id,))


@dataclass(frozen=True)
class Choice:
    id: str
    label: Text

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; the id identifies
        return hash((self.id,))


@dataclass(frozen=True)
class ProfileField:
    id: str
    type: str  # "bool" or "multi"
    label: Text
    help: Text
    default: Any
    choices: tuple[str, ...] = ()  # choice ids, in the pack's order
    choice_labels: dict[str, Text] = field(default_factory=dict)  # choice id -> bilingual label
    min_items: int = 0

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; the id identifies
        return hash((self.id,))

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return self.choices

    def choice_items(self) -> list[Choice]:
        """The choices with their labels, in order."""
        return [Choice(c, self.choice_labels.get(c, {"zh": c, "en": c})) for c in self.choices]


@dataclass(frozen=True)
class Section:
    id: str
    ref: str
    parent: str | None
    title: Text
    informative: bool = False
    note: Text | None = None

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; the id identifies
        return hash((self.id,))


@dataclass(frozen=True)
class Clause:
    id: str
    ref: str
    section: str
    obligation: str  # "shall" or "should"
    text: Text
    evidence: Text
    applies_if: dict | None
    not_applicable_reason: Text | None
    assessments: tuple[str, ...]
    note: Text | None = None

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; the id identifies
        return hash((self.id,))


@dataclass(frozen=True)
class Assessment:
    id: str
    kind: str
    name: Text
    rule: Text | None
    clauses: tuple[str, ...]
    parameters: dict[str, Any]

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; the id identifies
        return hash((self.id,))

    def as_dict(self) -> dict[str, Any]:
        """Parameters plus ``id``, ``kind``, ``name``, ``rule`` and ``clauses`` in one plain dict."""
        out = copy.deepcopy(self.parameters)
        out.update(id=self.id, kind=self.kind, name=dict(self.name), clauses=list(self.clauses))
        if self.rule:
            out["rule"] = dict(self.rule)
        return out


@dataclass(frozen=True)
class FrameworkInfo:
    """One entry of :func:`list_frameworks`; ``error`` is set when the pack does not load."""

    id: str
    path: Path
    version: str = ""
    title: Text = field(default_factory=dict)
    status: str = ""
    source_date: str = ""
    published_as: str = ""
    pack_hash: str = ""
    error: str | None = None

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; id and content hash identify
        return hash((self.id, self.pack_hash))


@dataclass(frozen=True)
class Framework:
    """A loaded, validated framework pack. Build it with :func:`load_framework`."""

    id: str
    version: str
    title: Text
    source: dict[str, Any]
    path: Path
    pack_hash: str
    groups: tuple[RiskGroup, ...]
    risks: tuple[Risk, ...]
    risk_sets: dict[str, RiskSet]
    aspects: tuple[Aspect, ...]
    profile_fields: tuple[ProfileField, ...]
    sections: tuple[Section, ...]
    clauses: tuple[Clause, ...]
    assessments: tuple[Assessment, ...]

    def __hash__(self) -> int:  # bilingual dict fields are unhashable; id and content hash identify
        return hash((self.id, self.pack_hash))

    # -- look-ups ---------------------------------------------------------------------------------
    def risk(self, code: str) -> Risk:
        """The risk with this code; ``NotFoundError`` naming the code otherwise."""
        for r in self.risks:
            if r.code == code:
                return r
        raise NotFoundError(N_("Framework {framework} has no risk `{code}`."), framework=self.id, code=code)

    def risk_set(self, set_id: str) -> list[str]:
        """Risk codes of a named set (e.g. ``all``, ``illegal_unhealthy``), in standard order."""
        try:
            return list(self.risk_sets[set_id].codes)
        except KeyError:
            raise NotFoundError(
                N_("Framework {framework} has no risk set `{name}`; known sets: {known}."),
                framework=self.id,
                name=set_id,
                known=", ".join(self.risk_sets),
            ) from None

    def aspect(self, aspect_id: str) -> Aspect:
        for a in self.aspects:
            if a.id == aspect_id:
                return a
        raise NotFoundError(N_("Framework {framework} has no aspect `{name}`."), framework=self.id, name=aspect_id)

    def profile_field(self, field_id: str) -> ProfileField:
        for f in self.profile_fields:
            if f.id == field_id:
                return f
        raise NotFoundError(
            N_("Framework {framework} has no service-profile field `{name}`."), framework=self.id, name=field_id
        )

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise NotFoundError(N_("Framework {framework} has no section `{name}`."), framework=self.id, name=section_id)

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id; ``NotFoundError`` naming the id otherwise."""
        for c in self.clauses:
            if c.id == clause_id:
                return c
        raise NotFoundError(N_("Framework {framework} has no clause `{name}`."), framework=self.id, name=clause_id)

    def clauses_under(self, section_id: str) -> list[Clause]:
        """Every clause in a section or any of its sub-sections, in standard order."""
        self.section(section_id)
        parents = {s.id: s.parent for s in self.sections}

        def inside(sec: str | None) -> bool:
            while sec is not None:
                if sec == section_id:
                    return True
                sec = parents.get(sec)
            return False

        return [c for c in self.clauses if inside(c.section)]

    def assessment(self, assessment_id: str) -> dict[str, Any]:
        """Parameters of an automated assessment, with its ``id``, ``kind``, ``name``, ``rule`` and ``clauses``."""
        return self.assessment_spec(assessment_id).as_dict()

    def assessment_spec(self, assessment_id: str) -> Assessment:
        for a in self.assessments:
            if a.id == assessment_id:
                return a
        raise NotFoundError(
            N_("Framework {framework} has no assessment `{name}`; known assessments: {known}."),
            framework=self.id,
            name=assessment_id,
            known=", ".join(a.id for a in self.assessments),
        )

    def required_per_risk(self, assessment_id: str) -> dict[str, int]:
        """Minimum count per risk code for a coverage assessment.

        The covered risks come from ``covers_risk_set``; ``min_per_risk`` maps a risk code, a group
        id or ``"*"`` to a minimum (most specific wins). A covered risk with no rule needs at least 1.
        """
        params = self.assessment_spec(assessment_id).parameters
        rules: dict[str, int] = params.get("min_per_risk", {})
        codes = self.risk_set(params["covers_risk_set"]) if "covers_risk_set" in params else []
        out = {}
        for code in codes:
            group = self.risk(code).group
            out[code] = rules.get(code, rules.get(group, rules.get("*", 1)))
        return out

    def required_per_aspect(self, assessment_id: str, profile: dict[str, Any] | None = None) -> dict[str, int]:
        """Minimum count per aspect for an aspect-coverage assessment (``covers_aspects``, ``min_per_aspect``).

        With a profile in which ``aspect_exception_profile_field`` is true (a specialised model), the
        minimums still hold but an aspect may instead be covered in ``excepted_aspects_required_in``;
        that decision is the assessment's, so the full list is returned either way.
        """
        params = self.assessment_spec(assessment_id).parameters
        wanted = params.get("covers_aspects")
        if wanted is None:
            return {}
        ids = [a.id for a in self.aspects] if wanted == "all" else list(wanted)
        return {a: params.get("min_per_aspect", 1) for a in ids}

    def aspect_exception_applies(self, assessment_id: str, profile: dict[str, Any] | None) -> bool:
        """Whether the profile switches on the assessment's aspect exception (e.g. a specialised model)."""
        name = self.assessment_spec(assessment_id).parameters.get("aspect_exception_profile_field")
        return bool(name) and bool(self.validate_profile(profile)[name])

    def required_choices(self, assessment_id: str, profile: dict[str, Any] | None) -> list[str]:
        """The profile choices a resource must cover (``covers_profile_choices``), e.g. the offered modalities."""
        name = self.assessment_spec(assessment_id).parameters.get("covers_profile_choices")
        return list(self.validate_profile(profile)[name]) if name else []

    def section_chain(self, section_id: str) -> list[Section]:
        """A section and its ancestors, outermost first (e.g. 7, 7.a, 7.a.3)."""
        chain = [self.section(section_id)]
        while chain[0].parent is not None:
            chain.insert(0, self.section(chain[0].parent))
        return chain

    # -- service profile and applicability --------------------------------------------------------
    def default_profile(self) -> dict[str, Any]:
        """A service profile with every field at its default."""
        return {f.id: copy.deepcopy(f.default) for f in self.profile_fields}

    def validate_profile(self, profile: dict[str, Any] | None) -> dict[str, Any]:
        """Check a service profile against this framework's fields; return it with defaults filled in.

        Raises:
            ValidationError: naming the field and what is wrong with it.
        """
        profile = dict(profile or {})
        known = {f.id: f for f in self.profile_fields}
        for key in profile:
            if key not in known:
                raise ValidationError(
                    N_("Service profile: unknown field `{field}`; known fields: {known}."),
                    field=key,
                    known=", ".join(known),
                )
        out = {}
        for f in self.profile_fields:
            value = profile.get(f.id, copy.deepcopy(f.default))
            if f.type == "bool":
                if not isinstance(value, bool):
                    raise ValidationError(
                        N_("Service profile: field `{field}` must be true or false, not {value!r}."),
                        field=f.id,
                        value=value,
                    )
            else:
                if isinstance(value, tuple | set | frozenset):
                    value = list(value)
                if not isinstance(value, list) or any(v not in f.choice_ids for v in value):
                    raise ValidationError(
                        N_("Service profile: field `{field}` must be a list drawn from {choices}, not {value!r}."),
                        field=f.id,
                        choices=", ".join(f.choice_ids),
                        value=value,
                    )
                if len(value) < f.min_items:
                    raise ValidationError(
                        N_("Service profile: field `{field}` needs at least {n} choice(s)."), field=f.id, n=f.min_items
                    )
                value = [c for c in f.choice_ids if c in value]  # canonical order, no duplicates
            out[f.id] = value
        return out

    def applicability(self, clause_or_id: Clause | str, profile: dict[str, Any] | None) -> tuple[bool, Text | None]:
        """Whether a clause applies to a service profile, and if not, why (bilingual).

        A section id is accepted too: a section applies when any clause under it applies.
        """
        prof = self.validate_profile(profile)
        if isinstance(clause_or_id, Clause):
            clauses = [clause_or_id]
        elif any(c.id == clause_or_id for c in self.clauses):
            clauses = [self.clause(clause_or_id)]
        else:
            clauses = self.clauses_under(clause_or_id)
        first_reason: Text | None = None
        for c in clauses:
            if c.applies_if is None or evaluate(c.applies_if, prof):
                return True, None
            first_reason = first_reason or c.not_applicable_reason
        return False, dict(first_reason) if first_reason else None

    def applicable_clauses(self, profile: dict[str, Any] | None) -> list[Clause]:
        """The clauses that apply to a service profile, in standard order."""
        prof = self.validate_profile(profile)
        return [c for c in self.clauses if c.applies_if is None or evaluate(c.applies_if, prof)]

    def info(self) -> FrameworkInfo:
        return FrameworkInfo(
            id=self.id,
            path=self.path,
            version=self.version,
            title=dict(self.title),
            status=self.source.get("status", ""),
            source_date=self.source.get("date", ""),
            published_as=self.source.get("published_as", ""),
            pack_hash=self.pack_hash,
        )
