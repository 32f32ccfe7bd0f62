"""``gaisafe casefile export|verify|replay``: signed, verifiable case files for regulators."""

from __future__ import annotations

from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, trust_options
from gaisafe_desktop.cli.commands.keys import password_option, store_option
from gaisafe_desktop.core.errors import IntegrityError
from gaisafe_desktop.core.i18n import N_, _


def _human_verification(v: dict) -> str:
    lines = [_("{path}  sha256 {sha}").format(path=v["path"], sha=v["sha256"])]
    lines.append(_("Files checked: {n}").format(n=v["files_checked"]))
    sig = v.get("signature")
    if sig:
        lines.append(
            _("Case-file signature: {state}; signer {name} ({org}), certificate SHA-256 {fp}").format(
                state=_("valid") if sig["ok"] else _("INVALID"),
                name=sig["signer_name"] or "—",
                org=sig["signer_organisation"] or "—",
                fp=sig["cert_fingerprint_sha256"] or "—",
            )
        )
        if sig["ok"] and not sig["trusted"]:
            lines.append(_("  the signer is not trusted: pass its certificate with --trust"))
    for r in v.get("reports", []):
        lines.append(
            _("Report {path}: {state}").format(
                path=r["path"], state=_("signatures valid") if r["ok"] else _("signature problems")
            )
        )
    audit = v.get("audit")
    if audit:
        lines.append(_("Audit log: {n} entries, head {head}").format(n=audit["entries"], head=audit["head"]))
    for p in v["problems"]:
        lines.append(_("problem: {message}").format(message=p["message"]))
    lines.append(
        _("Result: {result}").format(
            result=_("OK, signers trusted") if v["trusted"] else _("OK") if v["ok"] else _("FAILED")
        )
    )
    return "\n".join(lines)


def _human_overview(o: dict) -> str:
    v = o["verification"]
    state = _("OK, signers trusted") if v["trusted"] else _("OK") if v["ok"] else _("FAILED")
    lines = [_("Verification: {state}; signed by {signer}").format(state=state, signer=v["signer"] or "—")]
    lines += ["  " + _("problem: {message}").format(message=p["message"]) for p in v["problems"]]
    lines += ["  " + _("problem: {message}").format(message=p["message"]) for p in o["snapshot_problems"]]
    p = o.get("project")
    if p:
        lines.append(
            _("Project: {title}; provider {provider}; service {service}; model {model} {version}").format(
                title=p["title"],
                provider=p["provider"],
                service=p["service"],
                model=p["model_name"] or "—",
                version=p["model_version"],
            )
        )
        lines.append(
            _("Framework {framework}; audit log {n} entries, head {head}").format(
                framework=p["framework_id"], n=p["audit_entries"], head=p["audit_head"]
            )
        )
        lines.append(_("People: {names}").format(names=", ".join(x["name"] for x in o["people"]) or "—"))
        lines.append(_("Evidence files: {n}").format(n=len(o["evidence"])))
        for table, n in o.get("counts", {}).items():
            lines.append(f"  {table}: {n}")
    for r in o["reports"]:
        lines.append(
            _("Report {path}: {state}").format(
                path=r["path"], state=_("signatures valid") if r["ok"] else _("signature problems")
            )
        )
    return "\n".join(lines)


def register(cli: click.Group) -> None:
    g = group(cli, "casefile", N_("Case files for regulators: export (signed BagIt zip), verify, replay."))

    @command(g, "export", N_("Export the project as a signed case file (*.gaicase)."))
    @click.option(
        "-o", "--output", type=click.Path(path_type=Path), required=True, help=N_("Case file to write (*.gaicase).")
    )
    @click.option("--key", "key", required=True, help=N_("Key id from `gaisafe keys list`, or a .p12 file."))
    @click.option(
        "--report",
        "reports",
        multiple=True,
        type=click.Path(path_type=Path),
        help=N_("Signed report PDF to include; repeatable."),
    )
    @password_option()
    @store_option()
    @pass_obj
    def export(obj, output, key, reports, password, store):
        from gaisafe_desktop.core.casefile import export_casefile

        if obj.project_path is None:
            obj.open_project()  # raises the usual "no project given" error
        result = export_casefile(
            obj.project_path,
            output,
            key=key,
            password=password,
            reports=list(reports),
            store=store,
            actor=obj.actor,
            progress=obj.progress(_("Exporting")),
        ).as_dict()
        obj.emit(
            result,
            lambda r: _("Wrote {path}: {files} files, sha256 {sha}").format(
                path=r["path"], files=r["files"], sha=r["sha256"]
            ),
        )

    @command(g, "verify", N_("Verify a case file: every hash, the signatures, the audit-log chain; exit 5 if not OK."))
    @click.argument("file", type=click.Path(path_type=Path))
    @trust_options
    @click.pass_context
    def verify(ctx, file, trust, require_trust):
        from gaisafe_desktop.core.casefile import verify_casefile

        result = verify_casefile(file, list(trust), progress=ctx.obj.progress(_("Verifying"))).as_dict()
        ctx.obj.emit(result, _human_verification)
        if not result["ok"]:
            raise IntegrityError(N_("Verification failed: see the problems above."))
        if require_trust and not result["trusted"]:
            raise IntegrityError(N_("A signer is not trusted: pass their certificate with --trust."))

    @command(g, "open", N_("Open a case file read-only: verification status, project, people, evidence, contents."))
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option(
        "--trust",
        "trust",
        multiple=True,
        type=click.Path(path_type=Path),
        help=N_("Certificate file (PEM/DER) of a signer you trust; repeatable."),
    )
    @click.pass_context
    def open_(ctx, file, trust):
        from gaisafe_desktop.core.casefile import casefile_overview, open_casefile

        with open_casefile(file, list(trust), progress=ctx.obj.progress(_("Verifying"))) as opened:
            overview = casefile_overview(opened)
        ctx.obj.emit(overview, _human_overview)

    @command(
        g,
        "replay",
        N_("Recompute what the case file allows (audit chain, statistics, samples) and compare; exit 5 if not."),
    )
    @click.argument("file", type=click.Path(path_type=Path))
    @click.pass_context
    def replay(ctx, file):
        from gaisafe_desktop.core.casefile import replay_casefile

        result = replay_casefile(file).as_dict()

        def human(r: dict) -> str:
            lines = [
                _("{check}: {state}").format(check=c["check"], state=_("matches") if c["ok"] else _("DIFFERS"))
                for c in r["checks"]
            ]
            lines += [_("problem: {message}").format(message=p["message"]) for p in r["problems"]]
            return "\n".join(lines)

        ctx.obj.emit(result, human)
        if not result["ok"]:
            raise IntegrityError(N_("Verification failed: see the problems above."))
