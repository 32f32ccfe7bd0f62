"""``gaisafe keys create|import|list``: the auditor's signing keys (kept in the per-user key store)."""

from __future__ import annotations

from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, table
from gaisafe_desktop.core.i18n import N_, _

PASSWORD_ENV = "GAISAFE_KEY_PASSWORD"


def password_option(confirm: bool = False):
    """``--password``: from $GAISAFE_KEY_PASSWORD, else asked for without echo (never in shell history)."""
    return click.option(
        "--password",
        envvar=PASSWORD_ENV,
        prompt=N_("Key password"),
        hide_input=True,
        confirmation_prompt=confirm,
        help=N_("Key password; default: $GAISAFE_KEY_PASSWORD, else asked for without echo."),
    )


def store_option():
    return click.option(
        "--store",
        type=click.Path(path_type=Path),
        help=N_("Key store folder (default: the per-user key store under GAISAFE_HOME)."),
    )


def _human_key(k: dict) -> str:
    return _("Key {key_id}: {name} ({organisation}), {algorithm}\nSHA-256 fingerprint {fp}\nCertificate {cert}").format(
        key_id=k["key_id"],
        name=k["name"],
        organisation=k["organisation"] or "—",
        algorithm=k["algorithm"],
        fp=k["fingerprint_sha256"],
        cert=k["cert_path"],
    )


def register(cli: click.Group) -> None:
    g = group(cli, "keys", N_("Signing keys: create a key with a self-signed certificate, import a PKCS#12, list."))

    @command(g, "create", N_("Create a key and a self-signed certificate, saved as a password-protected PKCS#12."))
    @click.option("--name", required=True, help=N_("Signer's name (certificate common name)."))
    @click.option("--organisation", "--org", default="", help=N_("Signer's organisation."))
    @click.option("--email", default="", help=N_("Signer's e-mail address."))
    @click.option(
        "--algorithm",
        type=click.Choice(["ecdsa-p256", "rsa-3072"]),
        default="ecdsa-p256",
        show_default=True,
        help=N_("Key algorithm."),
    )
    @click.option("--days", default=3 * 365, show_default=True, help=N_("Days the certificate is valid."))
    @password_option(confirm=True)
    @store_option()
    @pass_obj
    def create(obj, name, organisation, email, algorithm, days, password, store):
        from gaisafe_desktop.core.report.keys import create_key

        info = create_key(
            name, organisation, email, password, algorithm=algorithm, valid_days=days, store=store
        ).as_dict()
        obj.emit(info, _human_key)

    @command(g, "import", N_("Import an existing password-protected PKCS#12 (.p12/.pfx) into the key store."))
    @click.argument("file", type=click.Path(path_type=Path))
    @password_option()
    @store_option()
    @pass_obj
    def import_(obj, file, password, store):
        from gaisafe_desktop.core.report.keys import import_pkcs12

        obj.emit(import_pkcs12(file, password, store=store).as_dict(), _human_key)

    @command(g, "list", N_("List the keys in the key store."))
    @store_option()
    @pass_obj
    def list_(obj, store):
        from gaisafe_desktop.core.report.keys import key_store_dir, list_keys

        keys = [k.as_dict() for k in list_keys(store)]
        obj.emit(
            keys,
            lambda rows: (
                table(
                    [(r["key_id"], r["name"], r["organisation"], r["algorithm"], r["not_after"][:10]) for r in rows],
                    [_("Key id"), _("Name"), _("Organisation"), _("Algorithm"), _("Valid until")],
                )
                if rows
                else _("No keys in {store}; create one with `gaisafe keys create`.").format(store=key_store_dir(store))
            ),
        )
