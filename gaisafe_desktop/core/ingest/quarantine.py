"""Row-level problems: what goes to the quarantine table, and reading / exporting it."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gaisafe_desktop.core.i18n import N_

EXCERPT_CHARS = 500

# reason code -> explanation (docs/formats/import-formats.md lists the same)
REASONS = {
    "bad_json": N_("the line is not valid JSON"),
    "not_object": N_("the JSON value is not an object"),
    "undecodable": N_("bytes that do not decode in the file's encoding"),
    "missing_field": N_("a required field is missing or empty"),
    "oversized": N_("a field is longer than the limit"),
    "line_too_long": N_("the line is longer than the reader limit"),
    "field_count": N_("the row has a different number of fields than the header"),
    "bad_value": N_("a value has the wrong type"),
    "bad_record": N_("the record does not have the shape of its format"),
}


@dataclass(slots=True)
class Problem:
    """One row that could not be taken."""

    reason: str
    detail: str
    excerpt: str = ""

    @classmethod
    def of(cls, reason: str, detail: str, raw: bytes | str | None = None) -> Problem:
        if isinstance(raw, bytes):
            text = raw[: EXCERPT_CHARS * 2].decode("utf-8", "backslashreplace")
        else:
            text = raw or ""
        text = text.replace("\udfff", "\ufffd")
        return cls(reason, detail, text[:EXCERPT_CHARS])


def iter_quarantine(project, dataset_id: int) -> Iterator[dict]:
    """Quarantined rows of a dataset in file order."""
    cur = project.conn.execute(
        "SELECT file_idx, path, line, idx, reason, detail, excerpt FROM quarantine WHERE dataset_id = ? "
        "ORDER BY file_idx, line, id",
        (dataset_id,),
    )
    for row in cur:
        yield dict(row)


def export_quarantine(project, dataset_id: int, dest: str | Path) -> int:
    """Write the quarantine of a dataset as CSV (UTF-8 with BOM, so Excel opens it); returns the row count."""
    dest = Path(dest)
    n = 0
    with dest.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "line", "record_index", "reason", "detail", "excerpt"])
        for r in iter_quarantine(project, dataset_id):
            w.writerow([r["path"], r["line"], r["idx"], r["reason"], r["detail"], r["excerpt"]])
            n += 1
    return n
