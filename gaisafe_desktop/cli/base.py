"""Shared CLI plumbing: context object, translated help, output, progress bars."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.i18n import N_, _


def _translate_params(command: click.Command) -> None:
    for param in command.params:
        if not hasattr(param, "_gaisafe_orig_help"):
            param._gaisafe_orig_help = getattr(param, "help", None)
        if param._gaisafe_orig_help:
            param.help = _(param._gaisafe_orig_help)


class TranslatedCommand(click.Command):
    """A command whose help texts are ``N_()`` ids translated when help is shown."""

    def get_help(self, ctx: click.Context) -> str:
        _translate_params(self)
        orig = self.help
        self.help = _(orig) if orig else orig
        try:
            return super().get_help(ctx)
        finally:
            self.help = orig

    def get_short_help_str(self, limit: int = 45) -> str:
        orig = self.help
        self.help = _(orig) if orig else orig
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help = orig


class TranslatedGroup(TranslatedCommand, click.Group):
    command_class = TranslatedCommand


TranslatedGroup.group_class = TranslatedGroup  # sub-groups translate their help too


@dataclass
class CliContext:
    """What every command receives as ``ctx.obj``."""

    json: bool = False
    lang: str = "en"
    project_path: Path | None = None
    actor: str | None = None
    quiet: bool = False
    _open: list[Any] = field(default_factory=list)

    def open_project(self, *, read_only: bool = False):
        """Open the project given by ``--project`` / ``GAISAFE_PROJECT`` (closed when the command ends)."""
        from gaisafe_desktop.core.store import open_project

        if self.project_path is None:
            raise UsageError(N_("No project given: use --project FILE.gaisafe or set GAISAFE_PROJECT."))
        project = open_project(self.project_path, actor=self.actor, read_only=read_only)
        self._open.append(project)
        return project

    def close(self) -> None:
        while self._open:
            self._open.pop().close()

    def emit(self, data: Any, human: Callable[[Any], str | None] | str | None = None) -> None:
        """Print ``data`` as JSON with ``--json``, else the human rendering."""
        if self.json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            return
        if human is None:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        elif callable(human):
            text = human(data)
            if text:
                click.echo(text)
        else:
            click.echo(human)

    def progress(self, label: str = ""):
        """A ``progress(done, total, message)`` callable drawing a bar on stderr (silent with --json/--quiet)."""
        return TerminalProgress(label, enabled=not (self.json or self.quiet) and sys.stderr.isatty())


class TerminalProgress:
    """Progress bar on stderr with rate and ETA; prints nothing when not a terminal."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.start = time.monotonic()
        self._last = 0.0

    def __call__(self, done: int, total: int | None, message: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and (total is None or done < total):
            return
        self._last = now
        elapsed = now - self.start
        if total:
            frac = min(done / total, 1.0)
            eta = (elapsed / frac - elapsed) if frac > 0 else 0
            bar = "#" * int(frac * 30)
            line = f"\r{self.label} [{bar:<30}] {done}/{total} {frac:6.1%} ETA {eta:5.0f}s {message}"
        else:
            line = f"\r{self.label} {done} {message}"
        sys.stderr.write(line[:150].ljust(150))
        if total and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def table(rows: Iterable[Sequence[Any]], headers: Sequence[str]) -> str:
    """A plain text table whose columns fit their widest cell (CJK characters count double)."""
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    rows = [[("" if c is None else str(c)) for c in r] for r in rows]
    heads = [str(h) for h in headers]
    widths = [width(h) for h in heads]
    for r in rows:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], width(c))

    def fmt(r: Sequence[str]) -> str:
        return "  ".join(c + " " * (widths[i] - width(c)) for i, c in enumerate(r)).rstrip()

    lines = [fmt(heads), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in rows]
    return "\n".join(lines)


def group(parent: click.Group, name: str, help: str) -> click.Group:
    """Add a translated sub-group to ``parent``."""

    @parent.group(name=name, cls=TranslatedGroup, help=help)
    def _g() -> None:
        pass

    return _g


def command(parent: click.Group, name: str, help: str, **kwargs: Any) -> Callable:
    """Decorator: add a translated command to ``parent``."""
    return parent.command(name=name, cls=TranslatedCommand, help=help, **kwargs)


pass_obj = click.pass_obj


def trust_options(fn: Callable) -> Callable:
    """``--trust CERT`` (repeatable) and ``--require-trust``, shared by every signature-verifying command."""
    fn = click.option(
        "--require-trust",
        is_flag=True,
        help=N_("Also exit with code 5 when a signature is valid but its signer is not trusted."),
    )(fn)
    return click.option(
        "--trust",
        "trust",
        multiple=True,
        type=click.Path(path_type=Path),
        help=N_("Certificate file (PEM/DER) of a signer you trust; repeatable."),
    )(fn)
