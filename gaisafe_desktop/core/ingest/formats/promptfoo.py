"""promptfoo results JSON (``promptfoo eval --output results.json``): ``results.results[]``.

Each result: ``question`` = ``prompt.raw``, ``answer`` = ``response.output``, ``model`` = provider
id, ``question_id`` = test index, risk code / aspect from test metadata or vars, time from the
results timestamp. The document is parsed whole; files above 1 GiB are refused.
"""

from __future__ import annotations

import json

from gaisafe_desktop.core.errors import ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.ingest.formats.base import ReadContext
from gaisafe_desktop.core.ingest.formats.chat import content_text, meta_from
from gaisafe_desktop.core.ingest.quarantine import Problem

NAME = "promptfoo"
EXTENSIONS = ()
MAX_BYTES = 1 << 30


def read(ctx: ReadContext):
    if ctx.path.stat().st_size > MAX_BYTES:
        raise ValidationError(
            N_("{file}: promptfoo results over 1 GiB are not supported; export JSONL instead."), file=str(ctx.path)
        )
    text = ctx.text().read()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            N_("{file}, line {line}: not valid JSON ({error})."), file=str(ctx.path), line=exc.lineno, error=exc.msg
        ) from None
    del text
    body = doc.get("results") if isinstance(doc, dict) else None
    results = body.get("results") if isinstance(body, dict) else body
    if not isinstance(results, list):
        raise ValidationError(
            N_("{file}: no `results.results` list; is this a promptfoo results file?"), file=str(ctx.path)
        )
    ts = (body.get("timestamp") if isinstance(body, dict) else None) or doc.get("createdAt")
    overrides = ctx.options.get("map", {})
    for pos, res in enumerate(results, start=1):
        if not isinstance(res, dict):
            yield pos, Problem.of("bad_record", "result is not an object", str(res)[:500])
            continue
        test = res.get("testCase") if isinstance(res.get("testCase"), dict) else {}
        meta = {}
        for src in (res.get("vars"), test.get("vars"), test.get("metadata"), res.get("metadata")):
            if isinstance(src, dict):
                meta.update(src)
        rec = meta_from(meta, overrides)
        prompt = res.get("prompt") if isinstance(res.get("prompt"), dict) else {}
        response = res.get("response") if isinstance(res.get("response"), dict) else {}
        output = response.get("output")
        provider = res.get("provider")
        rec.update(
            question=prompt.get("raw") or content_text(prompt.get("label")),
            answer=output if isinstance(output, str) or output is None else json.dumps(output, ensure_ascii=False),
            model=(provider.get("id") if isinstance(provider, dict) else provider) or rec.get("model"),
            question_id=rec.get("question_id") or str(res.get("testIdx", pos - 1)),
            timestamp=rec.get("timestamp") or ts,
            _raw=res,
        )
        rec["text"] = f"{rec['question'] or ''}\n\n{rec['answer'] or ''}"
        yield pos, rec
