"""lm-evaluation-harness ``samples_<task>_<time>.jsonl`` (``--log_samples``).

``question`` = the first request's prompt (``arguments[0][0]`` or ``arguments.gen_args_0.arg_0``),
``answer`` = ``filtered_resps[0]`` (else ``resps[0][0]``), ``question_id`` = ``doc_id``,
``bank_id`` = the task name from the file name.
"""

from __future__ import annotations

import json
import re

from gaisafe_desktop.core.ingest.formats import jsonl
from gaisafe_desktop.core.ingest.formats.base import ReadContext
from gaisafe_desktop.core.ingest.quarantine import Problem

NAME = "lm_eval"
EXTENSIONS = ()
_TASK = re.compile(r"^samples_(.+?)_\d{4}-\d{2}-\d{2}T.*\.jsonl$")


def _first(value):
    while isinstance(value, list | tuple) and value:
        value = value[0]
    return value


def _prompt(args) -> str | None:
    if isinstance(args, dict):
        first = args.get("gen_args_0") or next(iter(args.values()), None)
        if isinstance(first, dict):
            return first.get("arg_0")
        return None
    if isinstance(args, list) and args:
        req = args[0]
        if isinstance(req, list | tuple) and req:
            return req[0] if isinstance(req[0], str) else None
        return req if isinstance(req, str) else None
    return None


def _as_text(v):
    if v is None or isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def read(ctx: ReadContext):
    m = _TASK.match(ctx.path.name)
    task = m.group(1) if m else None
    for line, obj in jsonl.iter_objects(ctx):
        if isinstance(obj, Problem):
            yield line, obj
            continue
        if not isinstance(obj, dict) or "doc_id" not in obj:
            yield line, Problem.of("bad_record", "not an lm-eval sample (no doc_id)", str(obj)[:500])
            continue
        filtered = obj.get("filtered_resps")
        answer = filtered[0] if isinstance(filtered, list) and filtered else _first(obj.get("resps"))
        question = _prompt(obj.get("arguments"))
        rec = {
            "question": question,
            "answer": _as_text(answer),
            "question_id": str(obj["doc_id"]),
            "bank_id": task,
            "_raw": obj,
        }
        rec["text"] = f"{question or ''}\n\n{rec['answer'] or ''}"
        yield line, rec
