"""Entry point of ``gaisafe``: global options, command discovery, error handling."""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import pkgutil
import sys
import traceback
from pathlib import Path

import click

from gaisafe_desktop import __version__
from gaisafe_desktop.cli import commands as commands_pkg
from gaisafe_desktop.cli.base import CliContext, TranslatedGroup
from gaisafe_desktop.core.errors import GaisafeError
from gaisafe_desktop.core.i18n import N_, _, set_language, system_language


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    lang = value or system_language()
    set_language(lang)
    return lang


@click.group(
    cls=TranslatedGroup, help=N_("GAISafe Desktop: audit a generative-AI service against TC260 / GB/T 45654-2025.")
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    callback=_set_lang,
    is_eager=True,
    expose_value=True,
    help=N_("Language of messages and output (default: from the system locale)."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print machine-readable JSON."))
@click.option(
    "-p",
    "--project",
    "project",
    type=click.Path(path_type=Path),
    envvar="GAISAFE_PROJECT",
    help=N_("Project file (*.gaisafe) to work on; or set GAISAFE_PROJECT."),
)
@click.option("--actor", envvar="GAISAFE_ACTOR", help=N_("Name of the person acting (recorded in the audit log)."))
@click.option("-q", "--quiet", is_flag=True, help=N_("No progress bars."))
@click.version_option(__version__, prog_name="gaisafe")
@click.pass_context
def cli(ctx: click.Context, lang: str, as_json: bool, project: Path | None, actor: str | None, quiet: bool) -> None:
    ctx.obj = CliContext(json=as_json, lang=lang, project_path=project, actor=actor, quiet=quiet)
    ctx.call_on_close(ctx.obj.close)


def _discover() -> None:
    names = sorted(m.name for m in pkgutil.iter_modules(commands_pkg.__path__))
    if not names:  # frozen builds without a module index list the commands in build.spec's hidden imports
        names = list(getattr(commands_pkg, "FALLBACK", []))
    for name in names:
        module = importlib.import_module(f"{commands_pkg.__name__}.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(cli)


_discover()


def crash_log_path() -> Path:
    from gaisafe_desktop.core.paths import log_dir

    return log_dir() / "gaisafe-cli-crash.log"


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1–6 user errors, 70 internal error)."""
    multiprocessing.freeze_support()
    try:
        # Without standalone mode click returns the code of ``ctx.exit(n)`` (or the command's return value).
        rv = cli.main(args=argv, prog_name="gaisafe", standalone_mode=False)
        return rv if isinstance(rv, int) else 0
    except GaisafeError as exc:
        click.echo(_("error: {message}").format(message=exc.message()), err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo(_("Interrupted."), err=True)
        return 130
    except Exception:  # noqa: BLE001 - last resort: log, tell the user where
        path = crash_log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        click.echo(_("internal error: please report it with the log file {path}").format(path=path), err=True)
        return 70


if __name__ == "__main__":
    sys.exit(main())
