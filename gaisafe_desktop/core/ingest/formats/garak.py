"""garak report JSONL (``garak.<uuid>.report.jsonl``): evaluated attempts become transcripts.

Only ``entry_type == "attempt"`` lines with ``status == 2`` (response received and evaluated) are
records; garak also writes each attempt with status 1 before evaluation, which is skipped so an
attempt is not counted twice. Each output of an attempt is one record: ``question`` = the prompt
text, ``answer`` = that output, ``question_id`` = ``<uuid>#<output index>``, ``aspect`` = the
probe class, model from the ``start_run setup`` line.
"""

from __future__ import annotations

from gaisafe_desktop.core.ingest.formats import jsonl
from gaisafe_desktop.core.ingest.formats.base import ReadContext
from gaisafe_desktop.core.ingest.formats.chat import content_text
from gaisafe_desktop.core.ingest.quarantine import Problem

NAME = "garak"
EXTENSIONS = ()


def _prompt_text(prompt) -> str | None:
    if isinstance(prompt, str) or prompt is None:
        return prompt
    if isinstance(prompt, dict):
        turns = prompt.get("turns")
        if isinstance(turns, list):
            users = [t for t in turns if isinstance(t, dict) and t.get("role") in ("user", None)]
            if users:
                return content_text(users[-1].get("content"))
        return content_text(prompt.get("text") or prompt.get("content"))
    return content_text(prompt)


def read(ctx: ReadContext):
    model = None
    for line, obj in jsonl.iter_objects(ctx):
        if isinstance(obj, Problem):
            yield line, obj
            continue
        if not isinstance(obj, dict):
            continue
        et = obj.get("entry_type")
        if et == "start_run setup":
            model = obj.get("plugins.model_name") or obj.get("plugins.target_name") or model
            continue
        if et != "attempt" or obj.get("status") != 2:
            continue
        question = _prompt_text(obj.get("prompt"))
        outputs = obj.get("outputs") or []
        for i, out in enumerate(outputs):
            answer = content_text(out) if not isinstance(out, dict) else content_text(out.get("text"))
            rec = {
                "question": question,
                "answer": answer,
                "text": f"{question or ''}\n\n{answer or ''}",
                "question_id": f"{obj.get('uuid', line)}#{i}",
                "aspect": obj.get("probe_classname"),
                "model": model,
                "_raw": {k: v for k, v in obj.items() if k != "outputs"} | {"output_index": i, "output": out},
            }
            yield line, rec
