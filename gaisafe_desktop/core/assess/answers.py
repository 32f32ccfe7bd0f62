"""Join sampled bank questions to the model's answers in the imported transcripts.

A transcript answers a bank question when its ``question_id`` equals the question's and its
``bank_id`` (if it has one) names the same bank — the bank record's ``bank_id``, the bank
dataset's name or its bank kind. A bank question without an id is matched by its exact text.
When several transcripts answer one question, the one imported last is used (and counted).
"""

from __future__ import annotations

from dataclasses import dataclass

from gaisafe_desktop.core.assess.samples import datasets_of
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress


@dataclass
class Pair:
    question_key: str
    question_id: str | None
    question: str
    risk_code: str | None
    aspect: str | None
    answer_key: str | None = None
    answer: str | None = None
    model: str | None = None
    answers_found: int = 0


def join_answers(
    project, sampled: dict[str, int], *, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER
) -> list[Pair]:
    """One :class:`Pair` per sampled bank question, in sample order (answer fields empty if unanswered)."""
    from gaisafe_desktop.core.ingest.iterate import iter_records
    from gaisafe_desktop.core.ingest.manifest import get_dataset

    pairs: dict[str, Pair] = {}
    banks: dict[str, set[str]] = {}
    for dsid in sorted(set(sampled.values())):
        ds = get_dataset(project, dsid)
        for rec in iter_records(project, dsid, progress=progress, cancel=cancel):
            if rec.key in sampled:
                pairs[rec.key] = Pair(rec.key, rec.question_id, rec.question or "", rec.risk_code, rec.aspect)
                banks[rec.key] = {b for b in (rec.bank_id, ds["name"], ds["bank_kind"]) if b}
    by_qid: dict[str, list[str]] = {}
    by_text: dict[str, list[str]] = {}
    for key, p in pairs.items():
        if p.question_id:
            by_qid.setdefault(p.question_id, []).append(key)
        else:
            by_text.setdefault(p.question, []).append(key)
    for ds in datasets_of(project, "transcripts"):
        for rec in iter_records(project, ds["id"], progress=progress, cancel=cancel):
            cands = by_qid.get(rec.question_id or "", []) if rec.question_id else by_text.get(rec.question or "", [])
            for key in cands:
                if rec.question_id and rec.bank_id and rec.bank_id not in banks[key]:
                    continue
                p = pairs[key]
                p.answers_found += 1
                p.answer_key, p.answer, p.model = rec.key, rec.answer or "", rec.model
    return [pairs[k] for k in sampled if k in pairs]
