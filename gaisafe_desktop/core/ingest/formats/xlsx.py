"""Excel workbooks (.xlsx/.xlsm), first sheet or ``--sheet``, read row by row (openpyxl read-only mode)."""

from __future__ import annotations

import zipfile

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.ingest.formats.base import ReadContext
from gaisafe_desktop.core.ingest.quarantine import Problem

NAME = "xlsx"
EXTENSIONS = (".xlsx", ".xlsm")
TEXT = False


def read(ctx: ReadContext):
    import openpyxl

    try:
        wb = openpyxl.load_workbook(ctx.path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(
            N_("{file}: not a readable Excel workbook ({error})."), file=str(ctx.path), error=str(exc)
        ) from None
    try:
        sheet = ctx.options.get("sheet")
        if sheet:
            if sheet not in wb.sheetnames:
                raise ValidationError(
                    N_("{file}: no sheet named {sheet}; sheets are {sheets}."),
                    file=str(ctx.path),
                    sheet=sheet,
                    sheets=", ".join(wb.sheetnames),
                )
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        head = None
        for rowno, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if head is None:
                if not any(v is not None and str(v).strip() for v in values):
                    continue
                head = [("" if v is None else str(v).strip()) for v in values]
                while head and not head[-1]:
                    head.pop()
                n = len(head)
                continue
            if not any(v is not None and str(v).strip() for v in values):
                continue
            if len(values) > n and any(v is not None for v in values[n:]):
                yield (
                    rowno,
                    Problem.of("field_count", f"row has values beyond the {n} header columns", str(values)[:500]),
                )
                continue
            yield rowno, {head[i]: values[i] if i < len(values) else None for i in range(n) if head[i]}
    finally:
        wb.close()
