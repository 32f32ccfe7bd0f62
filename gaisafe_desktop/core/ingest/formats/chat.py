"""Chat datasets: OpenAI chat JSONL (``messages``), ShareGPT (``conversations``), Alpaca
(``instruction``/``input``/``output``). Each may be JSON Lines or one JSON array.

Each record becomes: ``question`` = the last user turn before the final assistant turn,
``answer`` = the final assistant turn, ``text`` = every turn as ``role: content`` lines, metadata
fields (model, id, risk code …) from top-level keys by name, ``_raw`` = the whole record.
"""

from __future__ import annotations

from gaisafe_desktop.core.ingest.formats import json_array, jsonl
from gaisafe_desktop.core.ingest.formats.base import ReadContext
from gaisafe_desktop.core.ingest.mapping import SYNONYMS
from gaisafe_desktop.core.ingest.quarantine import Problem

META_FIELDS = ("risk_code", "aspect", "question_id", "bank_id", "modality", "model", "model_version", "timestamp")
USER = {"user", "human", "prompter"}
ASSISTANT = {"assistant", "gpt", "chatgpt", "bot", "model", "bard", "bing"}


def container(ctx: ReadContext):
    """Elements of a JSON array, or lines of JSON Lines, whichever the file is."""
    with open(ctx.path, "rb") as fh:
        head = fh.read(4096)[ctx.encoding.bom if ctx.encoding else 0 :]
    text = head.decode(ctx.encoding.name if ctx.encoding else "utf-8", "ignore")
    if text.lstrip()[:1] == "[":
        return json_array.iter_elements(ctx)
    return jsonl.iter_objects(ctx)


def content_text(content) -> str | None:
    """Text of a message ``content``: a string, or the text parts of a list of parts."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for p in content:
            if isinstance(p, str):
                parts.append(p)
            elif isinstance(p, dict):
                t = p.get("text")
                if isinstance(t, str):
                    parts.append(t)
                elif p.get("type") in ("image", "image_url", "audio", "input_audio", "video"):
                    parts.append(f"[{p.get('type')}]")
        return "\n".join(parts)
    if isinstance(content, dict):
        return content_text(content.get("text") or content.get("content"))
    return str(content)


def meta_from(obj: dict, overrides: dict[str, str]) -> dict:
    out = {}
    for field in META_FIELDS:
        col = overrides.get(field)
        if col:
            if col in obj:
                out[field] = obj[col]
            continue
        for name in SYNONYMS[field]:
            if name in obj:
                out[field] = obj[name]
                break
    return out


def from_turns(turns: list[tuple[str, str | None]], obj: dict, overrides: dict[str, str]) -> dict:
    question = answer = None
    last = len(turns) - 1
    if turns and turns[-1][0] == "assistant":
        answer = turns[-1][1]
        last -= 1
    for i in range(last, -1, -1):
        if turns[i][0] == "user":
            question = turns[i][1]
            break
    rec = meta_from(obj, overrides)
    rec.update(
        text="\n".join(f"{r}: {c or ''}" for r, c in turns),
        question=question,
        answer=answer,
        _raw=obj,
    )
    return rec


def _role(name) -> str:
    name = str(name or "").lower()
    if name in USER:
        return "user"
    if name in ASSISTANT:
        return "assistant"
    return name


def _read(ctx: ReadContext, convert):
    overrides = ctx.options.get("map", {})
    for line, obj in container(ctx):
        if isinstance(obj, Problem):
            yield line, obj
            continue
        if type(obj) is not dict:
            yield line, Problem.of("not_object", f"expected a JSON object, got {type(obj).__name__}", str(obj)[:200])
            continue
        try:
            yield line, convert(obj, overrides)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            yield line, Problem.of("bad_record", f"{exc.__class__.__name__}: {exc}", str(obj)[:500])


_MEDIA_PARTS = {
    "image": "image",
    "image_url": "image",
    "input_image": "image",
    "audio": "audio",
    "input_audio": "audio",
    "video": "video",
}


def modality_of(messages: list) -> str:
    """``image``/``audio``/``video`` when a message has such a content part, else ``text``."""
    for m in messages:
        content = m.get("content") if isinstance(m, dict) else None
        if isinstance(content, list):
            for p in content:
                if isinstance(p, dict) and p.get("type") in _MEDIA_PARTS:
                    return _MEDIA_PARTS[p["type"]]
    return "text"


def _openai(obj: dict, overrides):
    msgs = obj["messages"]
    if not isinstance(msgs, list):
        raise TypeError("`messages` is not a list")
    rec = from_turns([(_role(m["role"]), content_text(m.get("content"))) for m in msgs], obj, overrides)
    rec.setdefault("modality", modality_of(msgs))
    return rec


def _sharegpt(obj: dict, overrides):
    conv = obj["conversations"]
    if not isinstance(conv, list):
        raise TypeError("`conversations` is not a list")
    return from_turns(
        [(_role(m.get("from", m.get("role"))), content_text(m.get("value", m.get("content")))) for m in conv],
        obj,
        overrides,
    )


def _alpaca(obj: dict, overrides):
    instruction = obj["instruction"]
    extra = obj.get("input") or ""
    question = f"{instruction}\n\n{extra}" if extra else instruction
    answer = obj.get("output")
    rec = meta_from(obj, overrides)
    rec.update(text=f"{question}\n\n{answer or ''}", question=question, answer=answer, _raw=obj)
    return rec


def read_openai(ctx):
    return _read(ctx, _openai)


def read_sharegpt(ctx):
    return _read(ctx, _sharegpt)


def read_alpaca(ctx):
    return _read(ctx, _alpaca)
