"""What the new-project wizard needs: the framework list, live applicability, and creation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.i18n import N_


@dataclass(frozen=True)
class FrameworkChoice:
    id: str
    version: str
    title: dict[str, str] | str
    pack_hash: str


def available_frameworks() -> list[FrameworkChoice]:
    """Every framework pack the application ships, with version and pack hash."""
    from gaisafe_desktop.core.frameworks import list_frameworks, load_framework

    out = []
    for info in list_frameworks():
        fid = getattr(info, "id", info)
        fw = load_framework(fid)
        out.append(FrameworkChoice(fw.id, fw.version, fw.title, fw.pack_hash))
    return out


def preview_applicability(framework_id: str, profile: dict[str, Any]) -> list[dict[str, Any]]:
    """Each clause with whether it applies under ``profile`` (before the project exists)."""
    from gaisafe_desktop.core.frameworks import load_framework

    fw = load_framework(framework_id)
    full = {**fw.default_profile(), **profile}
    out = []
    for clause in fw.clauses:
        applies, reason = fw.applicability(clause, full)
        out.append({"clause": clause, "applies": applies, "reason": reason})
    return out


@dataclass
class NewProjectRequest:
    """Everything the wizard collected."""

    path: Path
    framework_id: str
    provider: str
    service: str
    model_name: str = ""
    model_version: str = ""
    profile: dict[str, Any] = field(default_factory=dict)
    people: list[tuple[str, list[str]]] = field(default_factory=list)
    actor: str | None = None


def create_project_from_request(req: NewProjectRequest):
    """Create the project, store the profile and register the people (each step audited).

    Everything is checked before the file is created, so a bad entry never leaves a half-made project.
    """
    from gaisafe_desktop.core.store import create_project
    from gaisafe_desktop.core.store.people import ROLES, add_person
    from gaisafe_desktop.core.store.profile import set_profile

    names = [n.strip() for n, _r in req.people]
    if len(set(names)) != len(names):
        raise UsageError(N_("Each person can be listed only once."))
    for name, roles in req.people:
        if not name.strip():
            raise UsageError(N_("A person needs a name."))
        for role in roles:
            if role not in ROLES:
                raise UsageError(N_("Unknown role {role}; choose from {choices}."), role=role, choices=", ".join(ROLES))
        if not roles:
            raise UsageError(N_("Give a person at least one role ({choices})."), choices=", ".join(ROLES))
    project = create_project(
        req.path,
        framework_id=req.framework_id,
        provider=req.provider,
        service=req.service,
        model_name=req.model_name,
        model_version=req.model_version,
        actor=req.actor,
    )
    try:
        if req.profile:
            set_profile(project, req.profile)
        for name, roles in req.people:
            add_person(project, name, roles)
    except BaseException:
        project.close()
        raise
    return project
