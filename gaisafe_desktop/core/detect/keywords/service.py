"""One core function per user action on keyword libraries (the CLI and the UI call these)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.detect.keywords.conformance import B11Report, check_b11_with_framework
from gaisafe_desktop.core.detect.keywords.formats import read_library, write_library
from gaisafe_desktop.core.detect.keywords.library import Entry
from gaisafe_desktop.core.detect.keywords.matcher import compile_library
from gaisafe_desktop.core.detect.keywords.scanner import ScanHit, ScanResult, run_keyword_scan
from gaisafe_desktop.core.detect.keywords.suggest import Candidate, mine_terms, read_labelled, write_candidates
from gaisafe_desktop.core.detect.keywords.versions import get_version, load_entries, release_dates
from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.resources import resource_path

STARTER = ("keywords", "starter", "starter-keywords.csv")


def starter_library_path() -> Path:
    """The shipped starter library (``resources/keywords/starter/starter-keywords.csv``)."""
    return resource_path(*STARTER)


@dataclass(frozen=True)
class LibrarySource:
    """Which library a command works on, resolved to entries and a label for reports."""

    entries: list[Entry]
    label: str
    releases: list[str]


def resolve_library(
    proj: Any | None,
    *,
    library: str | None = None,
    version: int | None = None,
    library_file: str | Path | None = None,
    starter: bool = False,
    risk: str | None = None,
) -> LibrarySource:
    """Entries of a stored library version, a library file, or the starter library (exactly one).

    Raises:
        UsageError: none or more than one source given, or a stored library without a project.
    """
    given = sum(x for x in (library is not None, library_file is not None, starter))
    if given != 1:
        raise UsageError(N_("Give exactly one library: a library name, --library-file FILE or --starter."))
    if library is not None:
        if proj is None:
            raise UsageError(N_("A stored library needs a project: use --project FILE.gaisafe."))
        v = get_version(proj, library, version)
        return LibrarySource(
            load_entries(proj, library, v["version"]),
            f"{library} v{v['version']} ({v['sha256'][:12]})",
            release_dates(proj, library, v["version"]),
        )
    path = starter_library_path() if starter else Path(library_file)  # type: ignore[arg-type]
    return LibrarySource(read_library(path, risk=risk), path.name, [])


def check_keyword_library(source: LibrarySource, fw: Any, *, as_of: dt.date | None = None) -> B11Report:
    """The B.1.1 report of a resolved library against a framework."""
    return check_b11_with_framework(source.entries, fw, source.releases, as_of)


def scan_files(
    source: LibrarySource,
    paths: Sequence[str | Path],
    *,
    field: str | None = None,
    workers: int | None = None,
    on_hit: Callable[[ScanHit], None] | None = None,
    keep_hits: bool = False,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> ScanResult:
    """Compile the library and scan files with it (see ``scanner.run_keyword_scan``)."""
    matcher = compile_library(source.entries)
    return run_keyword_scan(
        paths,
        matcher,
        field=field,
        workers=workers,
        on_hit=on_hit,
        keep_hits=keep_hits,
        progress=progress,
        cancel=cancel,
    )


def export_library(
    proj: Any, library: str, out: str | Path, *, version: int | None = None, fmt: str | None = None
) -> int:
    """Write a stored version back to CSV/TSV/XLSX/TXT. Returns the rows written."""
    return write_library(load_entries(proj, library, version), out, fmt=fmt)


def suggest_terms(
    labelled: str | Path,
    *,
    text_field: str = "text",
    label_field: str = "risk",
    out: str | Path | None = None,
    top: int = 200,
    min_docs: int = 3,
    min_z: float = 3.29,
    min_precision: float = 0.6,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict[str, list[Candidate]]:
    """Mine candidate terms per risk code from a labelled file; optionally write them as a library CSV."""

    def docs():
        return read_labelled(labelled, text_field=text_field, label_field=label_field)

    cands = mine_terms(
        docs, top=top, min_docs=min_docs, min_z=min_z, min_precision=min_precision, progress=progress, cancel=cancel
    )
    if out is not None:
        write_candidates(cands, out)
    return cands
