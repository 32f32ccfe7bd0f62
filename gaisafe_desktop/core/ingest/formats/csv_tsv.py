"""CSV and TSV with a header row; the delimiter is sniffed (`,` `\\t` `;` `|`) unless given."""

from __future__ import annotations

import csv
import io
import sys

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.ingest.encoding import MARK
from gaisafe_desktop.core.ingest.formats.base import ReadContext
from gaisafe_desktop.core.ingest.quarantine import Problem

NAME = "csv"
EXTENSIONS = (".csv", ".tsv", ".tab", ".txt")
DELIMITERS = ",\t;|"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def sniff_delimiter(sample: str, suffix: str) -> str:
    if suffix in (".tsv", ".tab"):
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _reader(ctx: ReadContext):
    fh = ctx.text()
    sample = fh.read(1 << 16)
    delim = ctx.options.get("delimiter") or sniff_delimiter(sample, ctx.path.suffix.lower())
    return csv.reader(_lines(sample, fh), delimiter=delim), delim


def _lines(head: str, rest):
    """The already-read sample followed by the rest of the stream, line by line."""
    pending = ""
    for line in io.StringIO(head):
        if not line.endswith(("\n", "\r")):
            pending = line
            break
        yield line
    for line in rest:
        if pending:
            line, pending = pending + line, ""
        yield line
    if pending:
        yield pending


def header(ctx: ReadContext) -> tuple[list[str], str]:
    reader, delim = _reader(ctx)
    for row in reader:
        return row, delim
    return [], delim


def read(ctx: ReadContext):
    reader, _delim = _reader(ctx)
    head = None
    for row in reader:
        head = row
        break
    if head is None:
        return
    if any(MARK in h for h in head):
        raise ValidationError(N_("{file}, line 1: the header row has bytes that do not decode."), file=str(ctx.path))
    head = [h.strip() for h in head]
    n = len(head)
    enc = ctx.encoding.name if ctx.encoding else "utf-8"
    line_end = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line_end = reader.line_num
            yield line_end, Problem.of("bad_record", f"CSV error: {exc}")
            continue
        line = line_end + 1
        line_end = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        joined = "\x00".join(row)
        if MARK in joined:
            col = next(i for i, v in enumerate(row) if MARK in v)
            yield (
                line,
                Problem.of(
                    "undecodable",
                    f"column `{head[col] if col < n else col + 1}` has bytes that do not decode as {enc}",
                    joined,
                ),
            )
            continue
        if len(row) != n:
            yield line, Problem.of("field_count", f"row has {len(row)} fields, header has {n}", joined)
            continue
        yield line, dict(zip(head, row, strict=True))
