"""Inspect AI ``.eval`` logs: a zip with ``header.json`` and one ``samples/<id>_epoch_<n>.json`` per sample.

Each sample becomes one transcript: ``question`` = the sample input (a string, or the last user
message), ``answer`` = the model's completion, ``question_id`` = ``<id>`` (``<id>#<epoch>`` for
epochs after the first), model and time from the header, risk code / aspect from sample metadata.
``_raw`` keeps the sample without its event trace.
"""

from __future__ import annotations

import json
import re
import zipfile

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.ingest.formats.base import ReadContext
from gaisafe_desktop.core.ingest.formats.chat import content_text, meta_from
from gaisafe_desktop.core.ingest.quarantine import Problem

NAME = "inspect"
EXTENSIONS = (".eval",)
TEXT = False
MAX_SAMPLE = 256 << 20
_SAMPLE = re.compile(r"^samples/(.+)_epoch_(\d+)\.json$")


def _input_text(value) -> str | None:
    if isinstance(value, str) or value is None:
        return value
    if isinstance(value, list):
        users = [m for m in value if isinstance(m, dict) and m.get("role") == "user"]
        if users:
            return content_text(users[-1].get("content"))
    return content_text(value)


def _completion(output: dict) -> str | None:
    if not isinstance(output, dict):
        return None
    if isinstance(output.get("completion"), str) and output["completion"]:
        return output["completion"]
    for choice in output.get("choices") or []:
        msg = choice.get("message") if isinstance(choice, dict) else None
        if isinstance(msg, dict):
            return content_text(msg.get("content"))
    return output.get("completion")


def read(ctx: ReadContext):
    try:
        zf = zipfile.ZipFile(ctx.path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError(
            N_("{file}: not an Inspect .eval log (not a zip archive: {error})."), file=str(ctx.path), error=str(exc)
        ) from None
    with zf:
        names = zf.namelist()
        if "header.json" not in names and "_journal/start.json" not in names:
            raise ValidationError(
                N_("{file}: not an Inspect .eval log (no header.json or _journal/start.json inside)."),
                file=str(ctx.path),
            )
        head = json.loads(zf.read("header.json" if "header.json" in names else "_journal/start.json"))
        ev = head.get("eval", {})
        model = ev.get("model")
        created = ev.get("created")
        task = ev.get("task")
        overrides = ctx.options.get("map", {})
        samples = []
        for n in names:
            m = _SAMPLE.match(n)
            if m:
                samples.append((int(m.group(2)), m.group(1), n))
        samples.sort(key=lambda s: (_natural(s[1]), s[0]))
        for pos, (epoch, sid, member) in enumerate(samples, start=1):
            info = zf.getinfo(member)
            if info.file_size > MAX_SAMPLE:
                yield pos, Problem.of("oversized", f"{member} has {info.file_size:,} bytes uncompressed")
                continue
            try:
                sample = json.loads(zf.read(member))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield pos, Problem.of("bad_json", f"{member}: {exc}")
                continue
            if not isinstance(sample, dict):
                yield pos, Problem.of("bad_record", f"{member}: not a JSON object")
                continue
            sample.pop("events", None)
            meta = sample.get("metadata") if isinstance(sample.get("metadata"), dict) else {}
            rec = meta_from(meta, overrides)
            out = sample.get("output") or {}
            rec.update(
                question=_input_text(sample.get("input")),
                answer=_completion(out),
                question_id=str(sample.get("id", sid)) + (f"#{epoch}" if epoch > 1 else ""),
                model=(out.get("model") if isinstance(out, dict) else None) or model,
                timestamp=created,
                bank_id=task,
                _raw=sample,
            )
            rec["text"] = f"{rec['question'] or ''}\n\n{rec['answer'] or ''}"
            yield pos, rec


def _natural(s: str):
    return (0, int(s), "") if s.isdigit() else (1, 0, s)
