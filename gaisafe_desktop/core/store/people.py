"""People who take part in an audit and their roles (standard 5.3: annotation and review are separate)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from gaisafe_desktop.core.errors import NotFoundError, UsageError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.store.audit import utc_now
from gaisafe_desktop.core.store.project import Project

ROLES = {
    "lead_auditor": {"zh": "主审核员", "en": "Lead auditor"},
    "auditor": {"zh": "审核员", "en": "Auditor"},
    "annotator": {"zh": "标注员", "en": "Annotator"},
    "reviewer": {"zh": "复核员", "en": "Reviewer"},
    "observer": {"zh": "观察员", "en": "Observer"},
}


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    organisation: str
    email: str
    roles: tuple[str, ...]
    active: bool
    created_at: str

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "organisation": self.organisation,
            "email": self.email,
            "roles": list(self.roles),
            "active": self.active,
            "created_at": self.created_at,
        }


def _person(row) -> Person:
    return Person(
        row["id"],
        row["name"],
        row["organisation"],
        row["email"],
        tuple(json.loads(row["roles"])),
        bool(row["active"]),
        row["created_at"],
    )


def _check_roles(roles: list[str]) -> list[str]:
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise UsageError(N_("Unknown role {role}; choose from {choices}."), role=unknown[0], choices=", ".join(ROLES))
    if not roles:
        raise UsageError(N_("Give a person at least one role ({choices})."), choices=", ".join(ROLES))
    return sorted(set(roles), key=list(ROLES).index)


def add_person(project: Project, name: str, roles: list[str], *, organisation: str = "", email: str = "") -> Person:
    """Register a person with one or more roles; names are unique within a project."""
    name = name.strip()
    if not name:
        raise UsageError(N_("A person needs a name."))
    roles = _check_roles(roles)
    if project.conn.execute("SELECT 1 FROM people WHERE name = ?", (name,)).fetchone():
        raise UsageError(N_("{name} is already registered; use `people roles` to change their roles."), name=name)
    with project.transaction("people.add", {"name": name}) as tx:
        row = tx.write(
            "people",
            {
                "name": name,
                "organisation": organisation,
                "email": email,
                "roles": json.dumps(roles),
                "active": 1,
                "created_at": utc_now(),
            },
        )
    return _person(row)


def set_roles(project: Project, name: str, roles: list[str]) -> Person:
    """Replace a person's roles."""
    person = get_person(project, name)
    roles = _check_roles(roles)
    with project.transaction("people.roles", {"name": name, "roles": roles}) as tx:
        row = tx.write("people", {**person.to_dict(), "roles": json.dumps(roles), "active": int(person.active)})
    return _person(row)


def get_person(project: Project, name: str) -> Person:
    row = project.conn.execute("SELECT * FROM people WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise NotFoundError(N_("No person named {name} in this project; add them with `people add`."), name=name)
    return _person(row)


def list_people(project: Project, role: str | None = None) -> list[Person]:
    people = [_person(r) for r in project.conn.execute("SELECT * FROM people ORDER BY id")]
    return [p for p in people if role is None or role in p.roles]
