"""Export the checklist as CSV (UTF-8 with BOM, so spreadsheet programs read Chinese) or XLSX."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.checklist.checklist import RESULTS, checklist_rows
from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.i18n import N_, localized, translate_to

COLUMNS = (
    N_("Clause"),
    N_("Section"),
    N_("Obligation"),
    N_("Requirement"),
    N_("Applies (computed)"),
    N_("Why not"),
    N_("Override"),
    N_("Justification"),
    N_("Applies"),
    N_("Result code"),
    N_("Result"),
    N_("Observations"),
    N_("Evidence"),
    N_("Assessments"),
    N_("Assessed by"),
    N_("Assessed at"),
)


def _yes(value: bool, lang: str) -> str:
    return translate_to(lang, N_("Yes")) if value else translate_to(lang, N_("No"))


def export_rows(project, lang: str) -> list[list[Any]]:
    """The checklist as table rows (header first) in ``lang``."""
    out = [[translate_to(lang, c) for c in COLUMNS]]
    for r in checklist_rows(project):
        evidence = "; ".join(f"{e['name']} ({e['sha256'][:12]})" for e in r.evidence)
        assessments = "; ".join(
            f"{a['assessment']}: {a['result']['verdict'] if a['result'] else translate_to(lang, N_('not run'))}"
            for a in r.assessments
        )
        out.append(
            [
                r.ref,
                r.section,
                r.obligation,
                localized(r.text, lang),
                _yes(r.applies_computed, lang),
                localized(r.reason, lang) if r.reason else "",
                r.applies_override,
                r.override_reason,
                _yes(r.applies, lang),
                r.result,
                localized(RESULTS[r.result], lang),
                r.observations,
                evidence,
                assessments,
                r.assessed_by,
                r.assessed_at,
            ]
        )
    return out


def export_checklist(project, dest: str | Path, *, fmt: str | None = None, lang: str = "zh") -> Path:
    """Write the checklist to ``dest``; the format comes from ``fmt`` or the file suffix (.csv/.xlsx)."""
    dest = Path(dest)
    fmt = (fmt or dest.suffix.lstrip(".")).lower()
    if fmt not in ("csv", "xlsx"):
        raise UsageError(N_("Export format must be csv or xlsx, not {fmt!r}."), fmt=fmt)
    rows = export_rows(project, lang)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        with dest.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)
        return dest
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "checklist"
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = (10, 8, 9, 60, 10, 30, 12, 30, 8, 14, 14, 40, 30, 30, 14, 22)
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    for row in ws.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    wb.save(dest)
    return dest
