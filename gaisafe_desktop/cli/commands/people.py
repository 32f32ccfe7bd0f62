"""``gaisafe people add|list|roles``."""

from __future__ import annotations

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _, localized


def register(cli: click.Group) -> None:
    g = group(cli, "people", N_("People taking part in the audit and their roles."))
    from gaisafe_desktop.core.store.people import ROLES

    @command(g, "add", N_("Register a person with one or more roles."))
    @click.argument("name")
    @click.option(
        "--role", "roles", multiple=True, required=True, type=click.Choice(list(ROLES)), help=N_("Role; repeatable.")
    )
    @click.option("--organisation", default="", help=N_("Organisation the person works for."))
    @click.option("--email", default="", help=N_("E-mail address."))
    @pass_obj
    def add(obj, name, roles, organisation, email):
        from gaisafe_desktop.core.store.people import add_person

        person = add_person(obj.open_project(), name, list(roles), organisation=organisation, email=email)
        obj.emit(
            person.to_dict(),
            lambda p: _("Added {name} ({roles}).").format(
                name=p["name"], roles=", ".join(localized(ROLES[r], obj.lang) for r in p["roles"])
            ),
        )

    @command(g, "roles", N_("Replace a person's roles."))
    @click.argument("name")
    @click.option(
        "--role", "roles", multiple=True, required=True, type=click.Choice(list(ROLES)), help=N_("Role; repeatable.")
    )
    @pass_obj
    def roles_(obj, name, roles):
        from gaisafe_desktop.core.store.people import set_roles

        person = set_roles(obj.open_project(), name, list(roles))
        obj.emit(
            person.to_dict(),
            lambda p: _("{name} now has roles: {roles}.").format(
                name=p["name"], roles=", ".join(localized(ROLES[r], obj.lang) for r in p["roles"])
            ),
        )

    @command(g, "list", N_("List people and their roles."))
    @click.option("--role", type=click.Choice(list(ROLES)), help=N_("Only people with this role."))
    @pass_obj
    def list_(obj, role):
        from gaisafe_desktop.core.store.people import list_people

        people = [p.to_dict() for p in list_people(obj.open_project(read_only=False), role)]
        obj.emit(
            people,
            lambda ps: (
                table(
                    [
                        (
                            p["id"],
                            p["name"],
                            p["organisation"],
                            ", ".join(localized(ROLES[r], obj.lang) for r in p["roles"]),
                        )
                        for p in ps
                    ],
                    [_("ID"), _("Name"), _("Organisation"), _("Roles")],
                )
                if ps
                else _("No people yet.")
            ),
        )
