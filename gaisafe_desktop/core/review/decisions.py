"""Decisions of the workbench: next item, judge, skip, undo — one transaction each.

Judgements go to the ``judgements`` table the assessments read (role annotator / reviewer /
adjudicator, one row per record, role and judge) with a ``judgement_history`` row per change.
``review_state`` says where each person stands on each item, so resuming — after closing the
window or a crash — is a query, not a saved cursor. ``review_events`` keeps who, when, old, new
and why of every action; undo reverts the person's latest action and is itself an event.

Separation of duties (standard 5.3): annotators only judge items assigned to them; nobody reviews
or adjudicates an item they annotated; every unqualified annotation waits for a review by
another person; blind double annotations that disagree wait for an adjudicator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.hashing import canonical_json
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.review.queues import Queue, annotators_of, check_person_role, get_item
from gaisafe_desktop.core.store.audit import utc_now

ROLES = ("annotator", "reviewer", "adjudicator")
ALLOWED = {
    "annotator": ("annotator",),
    "reviewer": ("reviewer", "lead_auditor", "auditor"),
    "adjudicator": ("lead_auditor", "reviewer", "auditor"),
}
_VERB = {"annotator": N_("annotate"), "reviewer": N_("review"), "adjudicator": N_("adjudicate")}


class SeparationOfDutiesError(UsageError):
    """A person tried to review or adjudicate an item they annotated (standard 5.3)."""


@dataclass(frozen=True)
class Decision:
    position: int
    record_key: str
    person: str
    role: str
    state: str  # judged | skipped | none (after an undo)
    qualified: bool | None
    risk_codes: tuple[str, ...]
    event_id: int

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["risk_codes"] = list(self.risk_codes)
        return d


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UsageError(N_("Unknown role {role}; choose from {choices}."), role=role, choices=", ".join(ROLES))


def _states(project, qid: int) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for r in project.conn.execute("SELECT * FROM review_state WHERE queue_id = ? ORDER BY position", (qid,)):
        out.setdefault(r["position"], []).append(r)
    return out


def _assigned(project, qid: int) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for pos, person in project.conn.execute(
        "SELECT position, person FROM review_assignments WHERE queue_id = ? ORDER BY position", (qid,)
    ):
        out.setdefault(pos, []).append(person)
    return out


def _ann_outcome(states: list[Any], annotators: list[str]) -> str:
    """'pending' (not all annotators judged), 'agree_q', 'agree_u' or 'disagree'."""
    judged = {s["person"]: s for s in states if s["role"] == "annotator" and s["state"] == "judged"}
    if any(a not in judged for a in annotators):
        return "pending"
    decisions = {
        (judged[a]["qualified"], judged[a]["risk_codes"] if not judged[a]["qualified"] else "[]") for a in annotators
    }
    if len(decisions) > 1:
        return "disagree"
    return "agree_q" if next(iter(decisions))[0] else "agree_u"


_STATUS_CACHE: dict[tuple[str, int], tuple[int, dict[int, str]]] = {}


def item_status(project, queue: Queue, position: int | None = None) -> dict[int, str]:
    """Per position: annotating | to_review | to_adjudicate | reviewed | done.

    Computed once per state of the queue (its latest event id), so the workbench's "next item" and
    progress line share one pass over the queue.
    """
    last = project.conn.execute("SELECT MAX(id) FROM review_events WHERE queue_id = ?", (queue.id,)).fetchone()[0]
    key = (project.info["uuid"], queue.id)
    hit = _STATUS_CACHE.get(key)
    if position is None and hit is not None and hit[0] == (last or 0):
        return dict(hit[1])
    out = _item_status(project, queue, position)
    if position is None:
        _STATUS_CACHE[key] = (last or 0, dict(out))
    return out


def _item_status(project, queue: Queue, position: int | None) -> dict[int, str]:
    states = _states(project, queue.id)
    assigned = _assigned(project, queue.id)
    out = {}
    for pos, annotators in assigned.items():
        if position is not None and pos != position:
            continue
        st = states.get(pos, [])
        outcome = _ann_outcome(st, annotators)
        higher = {s["role"] for s in st if s["role"] != "annotator" and s["state"] == "judged"}
        if outcome == "pending":
            out[pos] = "annotating"
        elif outcome == "disagree" and "adjudicator" not in higher:
            out[pos] = "to_adjudicate"
        elif "adjudicator" in higher or "reviewer" in higher:
            out[pos] = "reviewed"
        elif outcome == "agree_u":
            out[pos] = "to_review"
        else:
            out[pos] = "done"
    return out


def next_position(project, queue: Queue, person: str, role: str = "annotator") -> int | None:
    """The item ``person`` works on next in ``role``: the first undecided one, then the skipped ones.

    ``None`` when nothing is left. This is also how the workbench resumes.
    """
    _check_role(role)
    conn = project.conn
    if role == "annotator":
        row = conn.execute(
            "SELECT a.position FROM review_assignments a WHERE a.queue_id = ? AND a.person = ? AND NOT EXISTS "
            "(SELECT 1 FROM review_state s WHERE s.queue_id = a.queue_id AND s.position = a.position "
            "AND s.person = a.person AND s.role = 'annotator') ORDER BY a.position LIMIT 1",
            (queue.id, person),
        ).fetchone()
        if row is not None:
            return row[0]
    else:
        want = "to_review" if role == "reviewer" else "to_adjudicate"
        mine = {
            r[0]
            for r in conn.execute(
                "SELECT position FROM review_state WHERE queue_id = ? AND person = ? AND role = ?",
                (queue.id, person, role),
            )
        }
        assigned = _assigned(project, queue.id)
        for pos, status in sorted(item_status(project, queue).items()):
            if status == want and pos not in mine and person not in assigned.get(pos, []):
                return pos
    row = conn.execute(
        "SELECT position FROM review_state WHERE queue_id = ? AND person = ? AND role = ? AND state = 'skipped' "
        "ORDER BY event_id LIMIT 1",
        (queue.id, person, role),
    ).fetchone()
    return row[0] if row else None


def _judgement_row(project, key: str, role: str, person: str):
    return project.conn.execute(
        "SELECT * FROM judgements WHERE record_key = ? AND role = ? AND judge = ?", (key, role, person)
    ).fetchone()


def _jvalue(row) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "qualified": bool(row["qualified"]),
        "risk_codes": json.loads(row["risk_codes"]),
        "reviewer": row["reviewer"],
        "note": row["note"],
    }


def _feeds_judgements(queue: Queue) -> bool:
    """Refusal reviews decide refused / answered, not qualified: they stay out of ``judgements``
    (whose ``qualified`` the content checks read) and are read with ``refusal_decisions``."""
    return queue.check_id != "refusal_review"


def _current_judgement(project, queue: Queue, key: str, person: str, role: str) -> dict[str, Any] | None:
    return _jvalue(_judgement_row(project, key, role, person)) if _feeds_judgements(queue) else None


def _state_row(project, qid: int, pos: int, person: str, role: str):
    return project.conn.execute(
        "SELECT * FROM review_state WHERE queue_id = ? AND position = ? AND person = ? AND role = ?",
        (qid, pos, person, role),
    ).fetchone()


def _svalue(row) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"state": row["state"], "qualified": row["qualified"], "risk_codes": json.loads(row["risk_codes"])}


def _check_may_act(project, queue: Queue, position: int, person: str, role: str) -> list[str]:
    _check_role(role)
    check_person_role(project, person, ALLOWED[role], _VERB[role])
    annotators = annotators_of(project, queue.id, position)
    if role == "annotator":
        if person not in annotators:
            raise UsageError(
                N_("Item {position} of queue {queue} is not assigned to {name}."),
                position=position,
                queue=queue.name,
                name=person,
            )
    elif person in annotators:
        raise SeparationOfDutiesError(
            N_(
                "{name} annotated item {position} and cannot {what} it: annotation and review must be done by "
                "different people (standard 5.3)."
            ),
            name=person,
            position=position,
            what=_VERB[role],
        )
    return annotators


def _check_not_reviewed(project, queue: Queue, position: int, role: str) -> None:
    """An annotation that a reviewer or adjudicator has already decided on is frozen for its annotator."""
    if role != "annotator":
        return
    row = project.conn.execute(
        "SELECT person, role FROM review_state WHERE queue_id = ? AND position = ? AND role != 'annotator' "
        "AND state = 'judged' LIMIT 1",
        (queue.id, position),
    ).fetchone()
    if row is not None:
        raise UsageError(
            N_("Item {position} was already decided by {name} ({role}); the annotation can no longer be changed."),
            position=position,
            name=row["person"],
            role=row["role"],
        )


def _check_codes(project, qualified: bool, codes: list[str], check_id: str) -> list[str]:
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    known = {r.code for r in project.framework.risks}
    bad = [c for c in codes if c not in known]
    if bad:
        raise UsageError(N_("Unknown risk code {code}; see `gaisafe framework risks`."), code=bad[0])
    if qualified and codes:
        raise UsageError(
            N_("A qualified item has no risk codes; remove {codes} or judge it unqualified."), codes=", ".join(codes)
        )
    if not qualified and not codes and check_id != "refusal_review":
        raise UsageError(N_("An unqualified item needs at least one risk code (Appendix A)."))
    return sorted(codes, key=lambda c: [r.code for r in project.framework.risks].index(c))


def _apply(
    tx, project, queue: Queue, item, person: str, role: str, jnew: dict | None, snew: dict | None, event_id: int
) -> None:
    """Set the person's judgement and state on an item to ``jnew``/``snew`` (None removes), with history."""
    now = utc_now()
    jrow = _judgement_row(project, item.record_key, role, person) if _feeds_judgements(queue) else None
    jold = _jvalue(jrow)
    if jnew != jold:
        if jnew is None:
            tx.delete("judgements", {"id": jrow["id"]})
            jid = jrow["id"]
        else:
            values = {
                "record_key": item.record_key,
                "dataset_id": item.dataset_id,
                "role": role,
                "judge": person,
                "qualified": int(jnew["qualified"]),
                "risk_codes": json.dumps(jnew["risk_codes"]),
                "reviewer": jnew.get("reviewer", ""),
                "judged_at": now,
                "origin": "workbench",
                "note": jnew.get("note", ""),
                "recorded_by": project.actor,
                "recorded_at": now,
            }
            if jrow is not None:
                values["id"] = jrow["id"]
            jid = tx.write("judgements", values)["id"]
        tx.write(
            "judgement_history",
            {
                "judgement_id": jid,
                "record_key": item.record_key,
                "old_value": canonical_json(jold) if jold is not None else None,
                "new_value": canonical_json(jnew),
                "changed_by": person,
                "changed_at": now,
                "origin": f"workbench:{queue.name}:event {event_id}",
            },
        )
    key = {"queue_id": queue.id, "position": item.position, "person": person, "role": role}
    if snew is None:
        if _state_row(project, queue.id, item.position, person, role) is not None:
            tx.delete("review_state", key)
    else:
        tx.write(
            "review_state",
            {
                **key,
                "state": snew["state"],
                "qualified": snew["qualified"],
                "risk_codes": json.dumps(snew["risk_codes"]),
                "event_id": event_id,
            },
        )


def _event(
    tx, queue: Queue, item, person: str, role: str, kind: str, old, new, why: str, undoes: int | None = None
) -> int:
    row = tx.write(
        "review_events",
        {
            "queue_id": queue.id,
            "position": item.position,
            "record_key": item.record_key,
            "person": person,
            "role": role,
            "kind": kind,
            "old_value": canonical_json(old) if old is not None else None,
            "new_value": canonical_json(new) if new is not None else None,
            "why": why,
            "undoes": undoes,
            "at": utc_now(),
        },
    )
    return row["id"]


def judge(
    project,
    queue: Queue,
    position: int,
    person: str,
    *,
    qualified: bool,
    risk_codes: list[str] = (),
    role: str = "annotator",
    note: str = "",
    why: str = "",
) -> Decision:
    """Record ``person``'s decision on one item in one transaction.

    Changing an existing decision needs ``why`` (it is kept with the old and new value).

    Raises:
        SeparationOfDutiesError: a reviewer or adjudicator annotated this item.
        UsageError: not assigned, wrong role, bad risk codes, a change without a reason.
    """
    _check_may_act(project, queue, position, person, role)
    _check_not_reviewed(project, queue, position, role)
    codes = _check_codes(project, qualified, list(risk_codes), queue.check_id)
    item = get_item(project, queue.id, position)
    jold = _current_judgement(project, queue, item.record_key, person, role)
    sold = _svalue(_state_row(project, queue.id, position, person, role))
    if sold is not None and sold["state"] == "judged" and not why.strip():
        raise UsageError(
            N_("{name} already judged item {position}; give a reason (--why) to change the judgement."),
            name=person,
            position=position,
        )
    jnew = {"qualified": bool(qualified), "risk_codes": codes, "reviewer": "", "note": note}
    if not _feeds_judgements(queue):
        jnew = None
    snew = {"state": "judged", "qualified": int(bool(qualified)), "risk_codes": codes}
    payload = {
        "queue": queue.name,
        "position": position,
        "key": item.record_key,
        "role": role,
        "qualified": bool(qualified),
    }
    with project.transaction("review.judge", payload) as tx:
        eid = _event(
            tx,
            queue,
            item,
            person,
            role,
            "judge",
            {"state": sold, "judgement": jold},
            {"state": snew, "judgement": jnew},
            why,
        )
        _apply(tx, project, queue, item, person, role, jnew, snew, eid)
    return Decision(position, item.record_key, person, role, "judged", bool(qualified), tuple(codes), eid)


def skip(project, queue: Queue, position: int, person: str, *, role: str = "annotator", why: str = "") -> Decision:
    """Put an item aside; it comes back after every undecided item."""
    _check_may_act(project, queue, position, person, role)
    item = get_item(project, queue.id, position)
    sold = _svalue(_state_row(project, queue.id, position, person, role))
    if sold is not None and sold["state"] == "judged":
        raise UsageError(
            N_("Item {position} is already judged; undo the judgement before skipping it."), position=position
        )
    jold = _current_judgement(project, queue, item.record_key, person, role)
    snew = {"state": "skipped", "qualified": None, "risk_codes": []}
    with project.transaction("review.skip", {"queue": queue.name, "position": position, "role": role}) as tx:
        eid = _event(
            tx,
            queue,
            item,
            person,
            role,
            "skip",
            {"state": sold, "judgement": jold},
            {"state": snew, "judgement": jold},
            why,
        )
        _apply(tx, project, queue, item, person, role, jold, snew, eid)
    return Decision(position, item.record_key, person, role, "skipped", None, (), eid)


def undo(project, queue: Queue, person: str, *, role: str = "annotator") -> Decision | None:
    """Revert ``person``'s latest judgement or skip in ``role`` (repeatable); ``None`` if nothing is left."""
    _check_role(role)
    ev = project.conn.execute(
        "SELECT * FROM review_events e WHERE queue_id = ? AND person = ? AND role = ? AND kind IN ('judge', 'skip') "
        "AND NOT EXISTS (SELECT 1 FROM review_events u WHERE u.undoes = e.id) ORDER BY id DESC LIMIT 1",
        (queue.id, person, role),
    ).fetchone()
    if ev is None:
        return None
    _check_not_reviewed(project, queue, ev["position"], role)
    item = get_item(project, queue.id, ev["position"])
    old = json.loads(ev["old_value"])
    current = {
        "state": _svalue(_state_row(project, queue.id, item.position, person, role)),
        "judgement": _current_judgement(project, queue, item.record_key, person, role),
    }
    with project.transaction("review.undo", {"queue": queue.name, "position": item.position, "undoes": ev["id"]}) as tx:
        eid = _event(tx, queue, item, person, role, "undo", current, old, f"undo of event {ev['id']}", undoes=ev["id"])
        _apply(tx, project, queue, item, person, role, old["judgement"], old["state"], eid)
    s = old["state"]
    return Decision(
        item.position,
        item.record_key,
        person,
        role,
        s["state"] if s else "none",
        None if not s or s["qualified"] is None else bool(s["qualified"]),
        tuple(s["risk_codes"]) if s else (),
        eid,
    )


def annotations_of(project, queue: Queue, position: int) -> list[dict[str, Any]]:
    """The annotators' current decisions on an item (what a reviewer or adjudicator is shown)."""
    return [
        {"person": r["person"], "qualified": bool(r["qualified"]), "risk_codes": json.loads(r["risk_codes"])}
        for r in project.conn.execute(
            "SELECT person, qualified, risk_codes FROM review_state WHERE queue_id = ? AND position = ? "
            "AND role = 'annotator' AND state = 'judged' ORDER BY person",
            (queue.id, position),
        )
    ]


def item_history(project, queue: Queue, position: int) -> list[dict[str, Any]]:
    """Every event on one item: who, when, what, old and new value, why."""
    out = []
    for r in project.conn.execute(
        "SELECT * FROM review_events WHERE queue_id = ? AND position = ? ORDER BY id", (queue.id, position)
    ):
        d = dict(r)
        d["old_value"] = json.loads(d["old_value"]) if d["old_value"] else None
        d["new_value"] = json.loads(d["new_value"]) if d["new_value"] else None
        out.append(d)
    return out


def refusal_decisions(project) -> dict[str, dict[str, Any]]:
    """Human decisions of refusal-review queues per record key: the deciding one (adjudicator >
    reviewer > annotator, then latest) with ``refused`` True/False, who and when."""
    rank = {r: i for i, r in enumerate(ROLES)}
    best: dict[str, dict[str, Any]] = {}
    for r in project.conn.execute(
        "SELECT s.*, i.record_key, e.at FROM review_state s JOIN review_queues q ON q.id = s.queue_id "
        "JOIN review_items i ON i.queue_id = s.queue_id AND i.position = s.position "
        "JOIN review_events e ON e.id = s.event_id "
        "WHERE q.check_id = 'refusal_review' AND s.state = 'judged' ORDER BY s.event_id"
    ):
        key = r["record_key"]
        k = (rank[r["role"]], r["event_id"])
        if key not in best or k >= best[key]["_k"]:
            best[key] = {
                "refused": bool(r["qualified"]),
                "person": r["person"],
                "role": r["role"],
                "at": r["at"],
                "_k": k,
            }
    for v in best.values():
        v.pop("_k")
    return best
