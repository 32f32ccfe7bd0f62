"""Format detection (extension + content sniffing, explicit override wins) and ``preview``."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from gaisafe_desktop.core.errors import NotFoundError, ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.ingest.encoding import Encoding, detect_file
from gaisafe_desktop.core.ingest.formats import FORMATS, Format, get_format
from gaisafe_desktop.core.ingest.formats.base import ReadContext
from gaisafe_desktop.core.ingest.mapping import FIELDS, propose
from gaisafe_desktop.core.ingest.quarantine import Problem

_LM_EVAL_NAME = re.compile(r"^samples_.+\.jsonl$")


def _first_object(text: str) -> dict | None:
    """The first JSON object of a JSONL head or of a JSON array head, if it parses."""
    s = text.lstrip()
    if s.startswith("["):
        import json

        try:
            obj, _ = json.JSONDecoder().raw_decode(s[1:].lstrip())
            return obj if isinstance(obj, dict) else None
        except ValueError:
            return None
    line = s.split("\n", 1)[0]
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return obj if isinstance(obj, dict) else None


def _json_kind(path: Path, text: str) -> str:
    obj = _first_object(text)
    s = text.lstrip()
    if obj is None:
        if s.startswith("{") and re.search(r'"results"\s*:\s*[\[{]', text):
            return "promptfoo"
        if (
            s.startswith("{")
            and path.suffix.lower() not in (".jsonl", ".ndjson", ".jsonlines")
            and not s.split("\n", 1)[0].rstrip().endswith("}")
        ):
            raise ValidationError(
                N_(
                    "{file}: one JSON object spread over several lines, not JSON Lines or an array of records; "
                    "export one record per line, or an array."
                ),
                file=str(path),
            )
        return "json" if s.startswith("[") else "jsonl"
    if "messages" in obj:
        return "openai_chat"
    if "conversations" in obj:
        return "sharegpt"
    if "instruction" in obj and "output" in obj:
        return "alpaca"
    if "entry_type" in obj:
        return "garak"
    if "doc_id" in obj and ("resps" in obj or "filtered_resps" in obj or _LM_EVAL_NAME.match(path.name)):
        return "lm_eval"
    if s.startswith("{") and ("evalId" in obj or isinstance(obj.get("results"), dict | list)) and "\n{" not in s[:4096]:
        return "promptfoo"
    return "json" if s.startswith("[") else "jsonl"


def detect_format(path: Path, override: str | None = None) -> Format:
    """The format of ``path``: ``override`` if given, else by magic bytes, extension and first record.

    Raises:
        NotFoundError: the path does not exist.
        ValidationError: the file is empty or its format is not recognised.
    """
    path = Path(path)
    if not path.exists():
        raise NotFoundError(N_("{path} does not exist."), path=str(path))
    if path.is_dir():
        return FORMATS["media"] if override in (None, "media") else get_format(override)
    if override:
        return get_format(override)
    if path.stat().st_size == 0:
        raise ValidationError(N_("{file} is empty (0 bytes); there is nothing to import."), file=str(path))
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    suffix = path.suffix.lower()
    if head.startswith(b"PAR1"):
        return FORMATS["parquet"]
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".eval":
            return FORMATS["inspect"]
        if suffix in (".xlsx", ".xlsm"):
            return FORMATS["xlsx"]
        import zipfile

        try:
            names = zipfile.ZipFile(path).namelist()
        except zipfile.BadZipFile:
            names = []
        if "header.json" in names or "_journal/start.json" in names:
            return FORMATS["inspect"]
        if "xl/workbook.xml" in names:
            return FORMATS["xlsx"]
        raise ValidationError(
            N_("{file}: a zip archive that is neither an Excel workbook nor an Inspect log."), file=str(path)
        )
    if suffix in (".parquet", ".pq", ".xlsx", ".xlsm", ".eval", ".xls"):
        if suffix == ".xls":
            raise ValidationError(N_("{file}: old .xls workbooks are not supported; save it as .xlsx."), file=str(path))
        raise ValidationError(
            N_("{file}: the name says {suffix} but the content is not; the file may be damaged or misnamed."),
            file=str(path),
            suffix=suffix,
        )
    enc = detect_file(path)
    text = head[enc.bom :].decode(enc.name, "ignore")
    if suffix in (".json", ".jsonl", ".ndjson", ".jsonlines") or text.lstrip()[:1] in ("{", "["):
        return FORMATS[_json_kind(path, text)]
    return FORMATS["csv"]


@dataclass
class Preview:
    path: str
    format: str
    encoding: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "columns": self.columns,
            "rows": self.rows,
            "problems": self.problems,
            "mapping": self.mapping,
        }


def open_context(path: Path, fmt: Format, encoding: str | None = None, options: dict | None = None) -> ReadContext:
    enc: Encoding | None = detect_file(path, encoding) if fmt.text else None
    return ReadContext(path=path, encoding=enc, options=dict(options or {}))


def preview(
    path: str | Path,
    *,
    kind: str = "training",
    fmt: str | None = None,
    encoding: str | None = None,
    overrides: dict[str, str] | None = None,
    rows: int = 5,
    options: dict | None = None,
) -> Preview:
    """Detected format, encoding, columns, the first rows and the proposed column mapping."""
    path = Path(path)
    f = detect_format(path, fmt)
    if f.name == "media":
        from gaisafe_desktop.core.ingest.formats.media import media_type, walk

        files = list(itertools.islice(walk(path), rows))
        return Preview(
            str(path),
            "media",
            "",
            ["path", "size", "media_type"],
            [
                {"path": p.relative_to(path).as_posix(), "size": p.stat().st_size, "media_type": media_type(p)}
                for p in files
            ],
        )
    opts = dict(options or {})
    opts["map"] = overrides or {}
    ctx = open_context(path, f, encoding, opts)
    shown: list[dict] = []
    problems: list[dict] = []
    columns: list[str] = []
    try:
        for line, row in itertools.islice(f.reader()(ctx), rows * 4):
            if isinstance(row, Problem):
                problems.append({"line": line, "reason": row.reason, "detail": row.detail})
                continue
            for k in row:
                if k != "_raw" and k not in columns:
                    columns.append(k)
            if len(shown) < rows:
                shown.append({k: v for k, v in row.items() if k != "_raw"})
            if len(shown) >= rows and len(problems) >= rows:
                break
    finally:
        ctx.close()
    delim = None
    if f.name == "csv":
        from gaisafe_desktop.core.ingest.formats.csv_tsv import header

        c2 = open_context(path, f, encoding, opts)
        try:
            head, delim = header(c2)
        finally:
            c2.close()
        columns = [h.strip() for h in head]
    if f.canonical:
        mapping = {c: c for c in FIELDS if c in columns}
    else:
        mapping = propose(columns, kind, overrides)
    return Preview(
        str(path), f.name, ctx.encoding.label if ctx.encoding else "", columns, shown, problems, mapping, delim
    )
