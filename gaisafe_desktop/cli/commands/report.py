"""``gaisafe report build|sign|verify``: PDF reports, PAdES signatures, verification."""

from __future__ import annotations

from pathlib import Path

import click

from gaisafe_desktop.cli.base import command, group, pass_obj, trust_options
from gaisafe_desktop.cli.commands.keys import password_option, store_option
from gaisafe_desktop.core.errors import IntegrityError
from gaisafe_desktop.core.i18n import N_, _


def _status_text(status: str) -> str:
    return {
        "valid": _("valid, signer trusted"),
        "valid-untrusted": _("valid, but the signer is not trusted (pass its certificate with --trust)"),
        "invalid": _("INVALID"),
    }.get(status, status)


def human_pdf_verification(v: dict) -> str:
    lines = [_("{path}  sha256 {sha}").format(path=v["path"], sha=v["sha256"])]
    for p in v["problems"]:
        lines.append("  " + _("problem: {message}").format(message=p["message"]))
    for s in v["signatures"]:
        lines.append(_("  {field}: {status}").format(field=s["field_name"], status=_status_text(s["status"])))
        lines.append(
            _("    signer {name} ({org}), certificate SHA-256 {fp}").format(
                name=s["signer_name"], org=s["signer_organisation"] or "—", fp=s["cert_fingerprint_sha256"]
            )
        )
        lines.append(
            _("    signed {time}; reason {reason}; location {location}").format(
                time=s["signing_time"] or "—", reason=s["reason"] or "—", location=s["location"] or "—"
            )
        )
        if s.get("timestamp_time"):
            lines.append(
                _("    timestamp {time} ({state})").format(
                    time=s["timestamp_time"],
                    state=_("authority trusted") if s["timestamp_trusted"] else _("authority not trusted"),
                )
            )
        if s["modified_after_signing"]:
            lines.append(
                _("    the document was changed after this signature (changes: {level})").format(
                    level=s["modification_level"] or "—"
                )
            )
        for p in s["problems"]:
            lines.append("    " + _("problem: {message}").format(message=p["message"]))
    lines.append(_("Result: {result}").format(result=_("OK") if v["ok"] else _("FAILED")))
    return "\n".join(lines)


def register(cli: click.Group) -> None:
    g = group(cli, "report", N_("PDF reports: build (Chinese and English editions), sign, verify."))

    @command(g, "build", N_("Build the PDF report of the project in Chinese, English or both."))
    @click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        default=Path("report.pdf"),
        show_default=True,
        help=N_("Output PDF; with both languages, -zh and -en are added to the name."),
    )
    @click.option(
        "--edition",
        type=click.Choice(["zh", "en", "both"]),
        default="both",
        show_default=True,
        help=N_("Which edition(s) to build."),
    )
    @pass_obj
    def build(obj, output, edition):
        from gaisafe_desktop.core.report.from_project import build_report

        if obj.project_path is None:
            obj.open_project()  # raises the usual "no project given" error
        langs = ("zh", "en") if edition == "both" else (edition,)
        results = build_report(
            obj.project_path, output, langs=langs, actor=obj.actor, progress=obj.progress(_("Rendering"))
        )
        obj.emit(
            results,
            lambda rows: "\n".join(
                _("Wrote {path} ({pages} pages, sha256 {sha})").format(
                    path=r["path"], pages=r["pages"], sha=r["sha256"]
                )
                for r in rows
            ),
        )

    @command(g, "sign", N_("Sign a PDF (PAdES B-B, incremental: earlier signatures stay valid)."))
    @click.argument("pdf", type=click.Path(path_type=Path))
    @click.option("-o", "--output", type=click.Path(path_type=Path), help=N_("Signed PDF (default: sign in place)."))
    @click.option("--key", "key", required=True, help=N_("Key id from `gaisafe keys list`, or a .p12 file."))
    @click.option("--reason", default="", help=N_("Why you sign, e.g. 'Lead auditor approval'."))
    @click.option("--location", default="", help=N_("Where you sign."))
    @click.option(
        "--tsa-url",
        envvar="GAISAFE_TSA_URL",
        help=N_(
            "A timestamp authority you configured (e.g. on the local network); default: none, nothing is contacted."
        ),
    )
    @password_option()
    @store_option()
    @pass_obj
    def sign(obj, pdf, output, key, reason, location, tsa_url, password, store):
        from gaisafe_desktop.core.report.sign import sign_pdf, verify_pdf

        out = sign_pdf(
            pdf,
            output or pdf,
            key=key,
            password=password,
            reason=reason,
            location=location,
            store=store,
            tsa_url=tsa_url,
        )
        result = verify_pdf(out).as_dict()
        obj.emit(result, human_pdf_verification)

    @command(g, "verify", N_("Verify every signature of a PDF; exit code 5 if any is invalid."))
    @click.argument("pdf", type=click.Path(path_type=Path))
    @trust_options
    @click.pass_context
    def verify(ctx, pdf, trust, require_trust):
        from gaisafe_desktop.core.report.sign import verify_pdf

        result = verify_pdf(pdf, list(trust)).as_dict()
        ctx.obj.emit(result, human_pdf_verification)
        if not result["ok"]:
            raise IntegrityError(N_("Verification failed: see the problems above."))
        if require_trust and not result["trusted"]:
            raise IntegrityError(N_("A signer is not trusted: pass their certificate with --trust."))
