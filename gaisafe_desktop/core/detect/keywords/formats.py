"""Read and write keyword libraries: CSV, TSV, XLSX (with a header row) and TXT (one term a line).

Columns (``docs/formats/keyword-library.md``): ``term`` (required), ``risk``, ``kind``, ``lang``,
``match``, ``note``, ``added``. Chinese headers are accepted too (关键词, 风险, 类型, 语言, 匹配,
备注, 添加日期). Text files are read as UTF-8 (with or without BOM), else GB18030 (Excel in a
Chinese locale); anything else is an error naming the file. Every error names file, line and field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from gaisafe_desktop.core.detect.keywords.library import KINDS, MATCH_OPTIONS, Entry, detect_lang, parse_risks
from gaisafe_desktop.core.errors import NotFoundError, UsageError, ValidationError
from gaisafe_desktop.core.i18n import N_

FORMATS = ("csv", "tsv", "xlsx", "txt")
COLUMNS = ("term", "risk", "kind", "lang", "match", "note", "added")
_ALIASES = {
    "term": "term",
    "keyword": "term",
    "关键词": "term",
    "词": "term",
    "risk": "risk",
    "risks": "risk",
    "risk_code": "risk",
    "风险": "risk",
    "风险类别": "risk",
    "kind": "kind",
    "类型": "kind",
    "lang": "lang",
    "language": "lang",
    "语言": "lang",
    "match": "match",
    "匹配": "match",
    "note": "note",
    "备注": "note",
    "added": "added",
    "date_added": "added",
    "添加日期": "added",
}
_KIND_ALIASES = {"": "term", "term": "term", "keyword": "term", "关键词": "term", "allow": "allow", "白名单": "allow"}


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The format named by ``fmt`` or by the file extension."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt in ("text", "lst"):
        fmt = "txt"
    if fmt not in FORMATS:
        raise UsageError(
            N_("{file}: unknown library format `{fmt}`; use one of {formats} (or --format)"),
            file=str(path),
            fmt=fmt,
            formats=", ".join(FORMATS),
        )
    return fmt


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValidationError(N_("{file}: neither UTF-8 nor GB18030 text; save it as UTF-8"), file=str(path))


def read_library(path: str | Path, *, fmt: str | None = None, risk: str | None = None) -> list[Entry]:
    """Read a library file into entries (not yet compiled).

    Args:
        path: the file.
        fmt: ``csv``, ``tsv``, ``xlsx`` or ``txt``; default from the extension.
        risk: risk code(s) for rows without one (required for TXT files).

    Raises:
        NotFoundError: no such file.
        ValidationError: a missing ``term`` column, a term row without risk code, a bad ``kind``,
            ``match`` or ``added`` value — naming file, line and column.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("File not found: {path}"), path=str(path))
    fmt = detect_format(path, fmt)
    default_risks = parse_risks(risk or "")
    if fmt == "txt":
        if not default_risks:
            raise UsageError(
                N_("{file}: a TXT library has one term a line; give its risk code with --risk"), file=str(path)
            )
        rows = ((i, {"term": line}) for i, line in enumerate(_decode(path).splitlines(), 1))
        return _entries(path, rows, default_risks, comments=True)
    if fmt == "xlsx":
        return _entries(path, _xlsx_rows(path), default_risks)
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if fmt == "tsv" else ",")
    return _entries(path, _dict_rows(path, reader), default_risks)


def _header(path: Path, header: Sequence[str]) -> list[str | None]:
    cols = [_ALIASES.get(str(h or "").strip().lower()) for h in header]
    if "term" not in cols:
        raise ValidationError(
            N_("{file}, line 1: no `term` column in the header; expected columns {columns}"),
            file=str(path),
            columns=", ".join(COLUMNS),
        )
    return cols


def _dict_rows(path: Path, reader: Iterable[Sequence[str]]) -> Iterable[tuple[int, dict[str, str]]]:
    cols: list[str | None] | None = None
    for line, row in enumerate(reader, 1):
        if cols is None:
            cols = _header(path, row)
            continue
        yield line, {c: str(v) for c, v in zip(cols, row, strict=False) if c}


def _xlsx_rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(
            N_("{file}: not a readable XLSX workbook ({reason})"), file=str(path), reason=str(exc)
        ) from exc
    try:
        ws = wb.worksheets[0]
        rows = ([("" if v is None else v) for v in row] for row in ws.iter_rows(values_only=True))
        for line, row in _dict_rows(path, rows):
            yield line, {k: (v.date().isoformat() if isinstance(v, dt.datetime) else str(v)) for k, v in row.items()}
    finally:
        wb.close()


def _entries(
    path: Path, rows: Iterable[tuple[int, dict[str, str]]], default_risks: tuple[str, ...], *, comments: bool = False
) -> list[Entry]:
    out: list[Entry] = []
    name = path.name
    for line, row in rows:
        term = (row.get("term") or "").strip()
        if not term or (comments and term.startswith("#")):
            continue
        where = f"{name}, line {line}"
        kind = _KIND_ALIASES.get((row.get("kind") or "").strip().lower())
        if kind is None:
            raise ValidationError(
                N_("{where}: column `kind`: `{value}` is not one of {allowed}"),
                where=where,
                value=row.get("kind"),
                allowed=", ".join(KINDS),
            )
        risks = parse_risks(row.get("risk") or "") or (default_risks if kind == "term" else ())
        if kind == "term" and not risks:
            raise ValidationError(
                N_("{where}: column `risk`: term `{term}` has no risk code (give one, or --risk for all)"),
                where=where,
                term=term,
            )
        match = (row.get("match") or "default").strip().lower() or "default"
        if match not in MATCH_OPTIONS:
            raise ValidationError(
                N_("{where}: column `match`: `{value}` is not one of {allowed}"),
                where=where,
                value=match,
                allowed=", ".join(MATCH_OPTIONS),
            )
        added = (row.get("added") or "").strip()
        if added:
            try:
                added = dt.date.fromisoformat(added[:10]).isoformat()
            except ValueError:
                raise ValidationError(
                    N_("{where}: column `added`: `{value}` is not a date (YYYY-MM-DD)"), where=where, value=added
                ) from None
        lang = (row.get("lang") or "").strip().lower() or detect_lang(term)
        out.append(Entry(term, risks, kind, lang, match, (row.get("note") or "").strip(), added, where))
    return out


def write_library(entries: Sequence[Entry], path: str | Path, *, fmt: str | None = None) -> int:
    """Write entries to CSV, TSV, XLSX or TXT (TXT: terms only, for one risk). Returns rows written.

    Raises:
        UsageError: the file cannot be written (missing folder, no permission).
    """
    try:
        return _write_library(entries, Path(path), fmt)
    except OSError as exc:
        raise UsageError(N_("Cannot write {path}: {reason}"), path=str(path), reason=exc.strerror or str(exc)) from None


def _write_library(entries: Sequence[Entry], path: Path, fmt: str | None) -> int:
    fmt = detect_format(path, fmt)
    rows = [[e.term, "|".join(e.risks), e.kind, e.lang, e.match, e.note, e.added] for e in entries]
    if fmt == "txt":
        path.write_text("".join(e.term + "\n" for e in entries if e.kind == "term"), encoding="utf-8")
        return sum(1 for e in entries if e.kind == "term")
    if fmt == "xlsx":
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("keywords")
        ws.append(list(COLUMNS))
        for r in rows:
            ws.append(r)
        wb.save(path)
        return len(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    return len(rows)
