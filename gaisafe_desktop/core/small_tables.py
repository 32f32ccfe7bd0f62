"""Line-numbered records of a small CSV, TSV or JSONL file a user hands in (labelled samples, judgements).

Large corpora go through ``core.ingest`` (streaming, any encoding, resumable); these readers serve the
files a command reads once, record by record, and name the file and line of any bad record.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_


def read_records(fh: IO[str], path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, record)`` from an open text file: CSV/TSV with a header by suffix, else JSONL.

    Raises:
        ValidationError: a JSONL line is not valid JSON or not an object (file and line named).
    """
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        reader = csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ",")
        for row in reader:
            yield reader.line_num, row
        return
    for n, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                N_("{file}, line {line}: not valid JSON ({problem})."), file=str(path), line=n, problem=exc.msg
            ) from None
        if not isinstance(rec, dict):
            raise ValidationError(N_("{file}, line {line}: expected a JSON object."), file=str(path), line=n)
        yield n, rec
