"""Review queues: one per manual check, built from a drawn sample, items assigned to annotators.

A queue stores a snapshot of every sampled record's content (what the annotator sees) and its
keyword hits at original spans, so showing the next item is one indexed row read however large
the project is. The snapshot is taken by streaming each dataset once; the record key (which
carries a content hash) ties every snapshot to the record it came from.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.errors import NotFoundError, UsageError
from gaisafe_desktop.core.hashing import canonical_json, sha256_text
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.store.audit import utc_now

# Manual checks the workbench serves, and the assessment each feeds.
CHECKS = {
    "training_manual": {"zh": "训练数据人工抽检（B.2.1 a）", "en": "Training data, manual spot check (B.2.1 a)"},
    "generated_content": {"zh": "生成内容人工抽检（B.2.2 b）", "en": "Generated content, manual spot check (B.2.2 b)"},
    "refusal_review": {"zh": "拒答人工复核（B.2.3）", "en": "Refusal review (B.2.3)"},
}
HIT_FIELDS = ("text", "question", "answer")
CONTENT_FIELDS = ("text", "question", "answer", "media", "modality", "risk_code", "aspect", "question_id", "model")


@dataclass(frozen=True)
class Queue:
    id: int
    name: str
    plan_id: int
    check_id: str
    blind_double: bool
    annotators: tuple[str, ...]
    items: int
    items_sha256: str
    library: str
    created_by: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["annotators"] = list(self.annotators)
        return d


def _queue(row) -> Queue:
    return Queue(
        row["id"],
        row["name"],
        row["plan_id"],
        row["check_id"],
        bool(row["blind_double"]),
        tuple(json.loads(row["annotators"])),
        row["items"],
        row["items_sha256"],
        row["library"],
        row["created_by"],
        row["created_at"],
    )


def get_queue(project, name: str | int) -> Queue:
    """The queue named ``name`` (or with that id)."""
    row = project.conn.execute("SELECT * FROM review_queues WHERE name = ? OR id = ?", (str(name), name)).fetchone()
    if row is None:
        raise NotFoundError(N_("No review queue {name}; create one with `gaisafe review queue`."), name=name)
    return _queue(row)


def list_queues(project) -> list[Queue]:
    return [_queue(r) for r in project.conn.execute("SELECT * FROM review_queues ORDER BY id")]


def check_person_role(project, name: str, allowed: tuple[str, ...], what: str) -> None:
    """Refuse a person who is not registered with one of ``allowed`` roles."""
    from gaisafe_desktop.core.store.people import get_person

    person = get_person(project, name)
    if not set(person.roles) & set(allowed):
        raise UsageError(
            N_("{name} cannot {what}: they need one of the roles {roles} (see `gaisafe people roles`)."),
            name=name,
            what=what,
            roles=", ".join(allowed),
        )


def _matcher(project, library: str):
    if not library:
        return None
    from gaisafe_desktop.core.detect.keywords.matcher import compile_library
    from gaisafe_desktop.core.detect.keywords.service import resolve_library

    if library == "starter":
        src = resolve_library(project, starter=True)
    else:
        src = resolve_library(project, library=library)
    return compile_library(src.entries)


def _hits(matcher, content: dict[str, Any]) -> dict[str, list]:
    if matcher is None:
        return {}
    out = {}
    for f in HIT_FIELDS:
        text = content.get(f)
        if not text:
            continue
        found = []
        for h in matcher.scan(text):
            for s, e in h.spans:
                found.append([s, e, h.term, list(h.risks)])
        if found:
            out[f] = sorted(found)
    return out


def _scores(content: dict, order: list[int], classifier: bool, cancel: CancelToken) -> list[dict[str, Any]]:
    """Bundled risk-classifier scores of each item's text (the answer for transcripts), top five labels."""
    if not classifier:
        return [{} for _ in order]
    from gaisafe_desktop.core.detect.classifier import classify_texts, load_bundled_risk_model

    model = load_bundled_risk_model()
    texts = [(content[p]["content"].get("answer") or content[p]["content"].get("text") or "") for p in order]
    out = []
    for text, res in zip(texts, classify_texts(model, texts, cancel=cancel), strict=True):
        if not text:
            out.append({})
            continue
        top = sorted(res.scores.items(), key=lambda kv: -kv[1])[:5]
        out.append(
            {
                "model": model.manifest.name,
                "risky": res.risky,
                "codes": res.codes,
                "top": [[k, round(v, 4)] for k, v in top],
            }
        )
    return out


def refusal_disagreements(project) -> list[dict[str, Any]]:
    """Answers whose refusal channels disagreed in the latest refusal checks, as sample rows.

    Raises:
        UsageError: no refusal check has been run, or it found no disagreement.
    """
    from gaisafe_desktop.core.ingest.keys import parse_key

    has = project.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'assessment_items'"
    ).fetchone()
    keys: list[str] = []
    if has:
        for (key,) in project.conn.execute(
            "SELECT i.record_key FROM assessment_items i WHERE i.outcome = 'disagreement' AND i.result_id IN "
            "(SELECT MAX(id) FROM assessment_results WHERE check_id LIKE 'refusal_%' GROUP BY check_id) "
            "ORDER BY i.result_id, i.seq"
        ):
            if key not in keys:
                keys.append(key)
    if not keys:
        raise UsageError(N_("No refusal disagreements to review: run the refusal checks first (`gaisafe assess`)."))
    files = {
        r["sha"]: r["dataset_id"]
        for r in project.conn.execute(
            "SELECT substr(f.sha256, 1, 16) AS sha, f.dataset_id FROM dataset_files f "
            "JOIN datasets d ON d.id = f.dataset_id WHERE d.kind = 'transcripts'"
        )
    }
    out = []
    for pos, key in enumerate(keys):
        dsid = files.get(parse_key(key)[0])
        if dsid is None:
            raise NotFoundError(N_("No record with key {key} in this project."), key=key)
        out.append({"position": pos, "record_key": key, "dataset_id": dsid})
    return out


def assign(n_items: int, annotators: list[str], blind_double: bool) -> list[tuple[str, int]]:
    """Round-robin assignment: ``(person, position)``; with blind double annotation two people per item."""
    k = len(annotators)
    out = []
    for pos in range(n_items):
        out.append((annotators[pos % k], pos))
        if blind_double:
            out.append((annotators[(pos + 1) % k], pos))
    return out


def create_queue(
    project,
    name: str,
    *,
    plan: str | int | None,
    check_id: str,
    annotators: list[str],
    blind_double: bool = False,
    library: str = "",
    classifier: bool = False,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> Queue:
    """Build a queue from a drawn sampling plan and assign its items to annotators.

    Args:
        plan: the sampling plan (name or id); it must have been drawn. For ``refusal_review`` it may
            be omitted: the queue then holds the answers on which the refusal detector's two
            channels disagreed in the latest refusal checks (``plan_id`` 0).
        check_id: which manual check the judgements feed (see ``CHECKS``).
        annotators: registered people with the annotator role, in assignment order.
        blind_double: every item goes to two annotators who do not see each other's decision;
            disagreements go to adjudication.
        library: keyword library whose hits are highlighted ('' none, 'starter', or a stored library).
        classifier: score every item with the bundled risk classifier (ONNX); the workbench hides
            the scores unless the annotator asks for them.

    Raises:
        UsageError: bad check, name taken, plan not drawn, annotators missing or without the role.
    """
    from gaisafe_desktop.core.ingest.iterate import iter_records
    from gaisafe_desktop.core.ingest.manifest import get_dataset
    from gaisafe_desktop.core.sampling.plans import get_plan, sample_keys

    name = name.strip()
    if not name:
        raise UsageError(N_("A review queue needs a name."))
    if check_id not in CHECKS:
        raise UsageError(N_("Unknown check {check}; choose from {choices}."), check=check_id, choices=", ".join(CHECKS))
    if project.conn.execute("SELECT 1 FROM review_queues WHERE name = ?", (name,)).fetchone():
        raise UsageError(N_("A review queue named {name} already exists."), name=name)
    annotators = list(dict.fromkeys(a.strip() for a in annotators if a.strip()))
    if not annotators:
        raise UsageError(N_("Assign the queue to at least one annotator (--annotator NAME)."))
    if blind_double and len(annotators) < 2:
        raise UsageError(N_("Blind double annotation needs at least two annotators."))
    for a in annotators:
        check_person_role(project, a, ("annotator",), "annotate")
    if plan:
        p = get_plan(project, plan)
        if p.status != "drawn":
            raise UsageError(
                N_("Sampling plan {name} has not been drawn yet; run `gaisafe sample draw` first."), name=p.name
            )
        sample = sample_keys(project, p.id)
        plan_id, plan_name = p.id, p.name
    elif check_id == "refusal_review":
        sample = refusal_disagreements(project)
        plan_id, plan_name = 0, ""
    else:
        raise UsageError(N_("Give the drawn sampling plan the queue is built from (--plan NAME)."))
    matcher = _matcher(project, library)
    by_ds: dict[int, dict[str, int]] = defaultdict(dict)
    for s in sample:
        by_ds[s["dataset_id"]][s["record_key"]] = s["position"]
    content: dict[int, dict[str, Any]] = {}
    total = len(sample)
    for dsid, wanted in by_ds.items():
        root = json.loads(get_dataset(project, dsid)["options"] or "{}").get("root")
        for rec in iter_records(project, dsid, progress=progress, cancel=cancel):
            pos = wanted.get(rec.key)
            if pos is not None:
                snap = {f: getattr(rec, f) for f in CONTENT_FIELDS}
                snap["kind"] = rec.kind
                snap["meta"] = rec.meta
                if rec.media and root:  # media files are registered relative to their folder
                    snap["media"] = str(Path(root) / rec.media)
                content[pos] = {"key": rec.key, "dataset_id": dsid, "content": snap}
                if len(content) % 200 == 0:
                    progress(len(content), total, N_("Collecting the sampled records"))
    missing = [s["record_key"] for s in sample if s["position"] not in content]
    if missing:
        raise NotFoundError(N_("No record with key {key} in this project."), key=missing[0])
    order = sorted(content)
    scores = _scores(content, order, classifier, cancel)
    rows = []
    for qpos, spos in enumerate(order):
        c = content[spos]
        rows.append(
            (
                qpos,
                c["key"],
                c["dataset_id"],
                canonical_json(c["content"]),
                canonical_json(_hits(matcher, c["content"])),
                canonical_json(scores[qpos]),
            )
        )
        if qpos % 500 == 0:
            cancel.raise_if_cancelled()
    assignment = assign(len(rows), annotators, blind_double)
    items_sha = sha256_text(
        "\n".join(canonical_json(r[:4]) for r in rows) + "\n--\n" + "\n".join(f"{a}\t{p}" for a, p in assignment)
    )
    with project.transaction(
        "review.queue",
        {
            "name": name,
            "plan": plan_name,
            "source": "plan" if plan_name else "refusal_disagreements",
            "check": check_id,
            "items": len(rows),
            "items_sha256": items_sha,
            "classifier": classifier,
        },
    ) as tx:
        q = tx.write(
            "review_queues",
            {
                "name": name,
                "plan_id": plan_id,
                "check_id": check_id,
                "blind_double": int(blind_double),
                "annotators": json.dumps(annotators, ensure_ascii=False),
                "items": len(rows),
                "items_sha256": items_sha,
                "library": library,
                "created_by": project.actor,
                "created_at": utc_now(),
            },
        )
        qid = q["id"]
        tx.executemany(
            "INSERT INTO review_items(queue_id, position, record_key, dataset_id, content, hits, scores) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((qid, *r) for r in rows),
        )
        tx.executemany(
            "INSERT INTO review_assignments(queue_id, person, position) VALUES (?, ?, ?)",
            ((qid, a, pos) for a, pos in assignment),
        )
    return _queue(q)


@dataclass(frozen=True)
class Item:
    """One item of a queue as the workbench shows it."""

    queue_id: int
    position: int
    record_key: str
    dataset_id: int
    content: dict[str, Any]
    hits: dict[str, list]
    scores: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def get_item(project, queue_id: int, position: int) -> Item:
    row = project.conn.execute(
        "SELECT * FROM review_items WHERE queue_id = ? AND position = ?", (queue_id, position)
    ).fetchone()
    if row is None:
        raise NotFoundError(N_("The queue has no item {position}."), position=position)
    return Item(
        row["queue_id"],
        row["position"],
        row["record_key"],
        row["dataset_id"],
        json.loads(row["content"]),
        json.loads(row["hits"]),
        json.loads(row["scores"]),
    )


def item_position(project, queue_id: int, ref: str | int) -> int:
    """The position of an item given its position or its record key."""
    if isinstance(ref, int) or str(ref).isdigit():
        return int(ref)
    row = project.conn.execute(
        "SELECT position FROM review_items WHERE queue_id = ? AND record_key = ?", (queue_id, ref)
    ).fetchone()
    if row is None:
        raise NotFoundError(N_("No record with key {key} in this project."), key=ref)
    return row[0]


def annotators_of(project, queue_id: int, position: int) -> list[str]:
    return [
        r[0]
        for r in project.conn.execute(
            "SELECT person FROM review_assignments WHERE queue_id = ? AND position = ? ORDER BY person",
            (queue_id, position),
        )
    ]
