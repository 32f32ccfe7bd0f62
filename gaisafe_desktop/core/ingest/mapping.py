"""Column mapping: which column of a file feeds which record field, by name, with overrides."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson

from gaisafe_desktop.core.errors import UsageError, ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.ingest.keys import SEP
from gaisafe_desktop.core.ingest.quarantine import Problem

# Stored record fields, in table order (records.text … records.media).
FIELDS = (
    "text",
    "question",
    "answer",
    "risk_code",
    "aspect",
    "question_id",
    "bank_id",
    "modality",
    "model",
    "model_version",
    "timestamp",
    "media",
)

# Names (lower-case) recognised for each field, best first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "document", "sentence", "body", "passage", "文本", "内容", "语料", "正文"),
    "question": ("question", "prompt", "query", "instruction", "input", "问题", "题目", "提问", "试题"),
    "answer": ("answer", "response", "output", "completion", "reply", "回答", "答案", "回复", "模型回答"),
    "risk_code": ("risk_code", "risk", "risk_category", "category", "风险类别", "风险", "风险代码", "类别"),
    "aspect": ("aspect", "dimension", "方面", "维度"),
    "question_id": ("question_id", "qid", "id", "题号", "编号", "问题编号"),
    "bank_id": ("bank_id", "bank", "题库", "题库编号"),
    "modality": ("modality", "模态"),
    "model": ("model", "model_name", "模型", "模型名称"),
    "model_version": ("model_version", "version", "模型版本"),
    "timestamp": ("timestamp", "time", "created_at", "date", "时间", "时间戳"),
    "media": ("media", "image", "audio", "video", "file", "path", "图片", "文件"),
}

# Which fields each dataset kind needs, and which one decides "empty".
REQUIRED = {"training": ("text",), "transcripts": ("question", "answer"), "bank": ("question",), "media": ()}
PRIMARY = {"training": "text", "transcripts": "answer", "bank": "question", "media": "media"}
# Fields proposed automatically per kind (others only by --map).
AUTO = {
    "training": ("text", "risk_code", "media", "modality"),
    "transcripts": FIELDS,
    "bank": ("question", "answer", "risk_code", "aspect", "question_id", "bank_id", "modality"),
    "media": (),
}

DEFAULT_MAX_CHARS = 1_000_000
FLAG_EMPTY = 1
FLAG_DUPLICATE = 2


def parse_overrides(items: Sequence[str]) -> dict[str, str]:
    """``["text=content", …]`` → ``{"text": "content"}``; a column of ``-`` unmaps the field."""
    out: dict[str, str] = {}
    for item in items:
        field, sep, column = item.partition("=")
        field = field.strip()
        if not sep or field not in FIELDS:
            raise UsageError(
                N_("--map {item}: expected FIELD=COLUMN with FIELD one of {fields}."),
                item=item,
                fields=", ".join(FIELDS),
            )
        out[field] = column.strip()
    return out


def propose(columns: Sequence[str], kind: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The proposed mapping field → column for ``columns`` (overrides win)."""
    lower = {}
    for c in columns:
        lower.setdefault(str(c).strip().lower(), c)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for field in AUTO.get(kind, FIELDS):
        for name in SYNONYMS[field]:
            col = lower.get(name)
            if col is not None and col not in used:
                mapping[field] = col
                used.add(col)
                break
    for field, col in (overrides or {}).items():
        if col in ("", "-"):
            mapping.pop(field, None)
        else:
            mapping[field] = col
    return mapping


def check_mapping(mapping: dict[str, str], kind: str, columns: Sequence[str] | None, where: str) -> None:
    """Fail early when a required field has no column, or a mapped column is not in the header."""
    for field in REQUIRED[kind]:
        if field not in mapping:
            raise ValidationError(
                N_(
                    "{file}: no column for the required field `{field}`; columns are {columns}. Use --map {field}=COLUMN."
                ),
                file=where,
                field=field,
                columns=", ".join(map(str, columns or [])) or "-",
            )
    if columns is not None:
        cols = set(columns)
        for field, col in mapping.items():
            if col not in cols:
                raise ValidationError(
                    N_("{file}: column `{col}` (mapped to {field}) is not in the header; columns are {columns}."),
                    file=where,
                    col=col,
                    field=field,
                    columns=", ".join(map(str, columns)),
                )


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    try:
        return orjson.dumps(value, default=str).decode()
    except TypeError:
        return str(value)


def compile_mapper(
    mapping: dict[str, str], kind: str, max_chars: int = DEFAULT_MAX_CHARS, *, keep_extra: bool = True
) -> Callable[[dict], tuple[tuple, int, bytes] | Problem]:
    """A function ``row → (values for FIELDS + meta, flags, content-hash input) | Problem``.

    ``values`` has one entry per :data:`FIELDS` plus the meta JSON (unmapped columns, or the raw
    record a chat/eval reader put under ``_raw``). Flags: :data:`FLAG_EMPTY` when the kind's primary
    field is empty or whitespace-only.
    """
    items = [(FIELDS.index(f), c) for f, c in mapping.items() if f in FIELDS]
    required = {mapping[f]: f for f in REQUIRED[kind]}
    n_mapped = len({c for _, c in items})
    mapped = {c for _, c in items}
    primary_pos = FIELDS.index(PRIMARY[kind])
    dumps = orjson.dumps
    nfields = len(FIELDS)

    def mapper(row: dict):
        vals = [None] * nfields
        get = row.get
        for i, c in items:
            v = get(c)
            if v is None:
                if c in required:
                    return Problem("missing_field", f"field `{required[c]}` (column `{c}`) is missing", _excerpt(row))
                continue
            if type(v) is not str:
                v = _as_text(v)
            if len(v) > max_chars:
                return Problem(
                    "oversized",
                    f"field `{FIELDS[i]}` has {len(v):,} characters (limit {max_chars:,}; raise it with --max-chars)",
                    v[:200],
                )
            vals[i] = v
        raw = get("_raw")
        if raw is not None:
            meta = raw if type(raw) is str else dumps(raw, default=str).decode()
        elif keep_extra and len(row) > n_mapped:
            meta = dumps({k: v for k, v in row.items() if k not in mapped}, default=str).decode()
        else:
            meta = None
        if meta is not None and len(meta) > max_chars:
            return Problem("oversized", f"unmapped data has {len(meta):,} characters (limit {max_chars:,})", meta[:200])
        p = vals[primary_pos]
        flags = FLAG_EMPTY if (p is None or not p.strip()) else 0
        vals.append(meta)
        content = f"{vals[0] or ''}{SEP}{vals[1] or ''}{SEP}{vals[2] or ''}{SEP}{vals[11] or ''}"
        return tuple(vals), flags, content

    return mapper


def _excerpt(row: dict) -> str:
    try:
        return orjson.dumps({k: v for k, v in row.items() if k != "_raw"}, default=str).decode()[:500]
    except TypeError:
        return str(row)[:500]
