"""How far a queue is: done per person, qualified rate so far, time per item, ETA, what waits for review."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

from gaisafe_desktop.core.review.decisions import item_status

MAX_GAP_S = 300.0  # a longer pause between two decisions is a break, not work on one item
MIN_GAP_S = 0.2  # decisions closer than this come from a script or a key held down, not from reading


def _ts(text: str) -> float:
    return dt.datetime.fromisoformat(text).timestamp()


def person_progress(project, queue, person: str, role: str = "annotator") -> dict[str, Any]:
    """Progress of one person in one role: x / N, skipped, qualified so far, seconds per item, ETA."""
    conn = project.conn
    if role == "annotator":
        total = conn.execute(
            "SELECT COUNT(*) FROM review_assignments WHERE queue_id = ? AND person = ?", (queue.id, person)
        ).fetchone()[0]
    else:
        want = "to_review" if role == "reviewer" else "to_adjudicate"
        statuses = item_status(project, queue)
        total = sum(1 for s in statuses.values() if s == want)
    counts = dict(
        conn.execute(
            "SELECT state, COUNT(*) FROM review_state WHERE queue_id = ? AND person = ? AND role = ? GROUP BY state",
            (queue.id, person, role),
        ).fetchall()
    )
    if role != "annotator":
        total += counts.get("judged", 0)
    judged = counts.get("judged", 0)
    qualified = conn.execute(
        "SELECT COUNT(*) FROM review_state WHERE queue_id = ? AND person = ? AND role = ? AND state = 'judged' "
        "AND qualified = 1",
        (queue.id, person, role),
    ).fetchone()[0]
    times = [
        _ts(r[0])
        for r in conn.execute(
            "SELECT at FROM review_events WHERE queue_id = ? AND person = ? AND role = ? AND kind IN ('judge', 'skip') "
            "ORDER BY id DESC LIMIT 60",
            (queue.id, person, role),
        )
    ]
    gaps = [a - b for a, b in zip(times, times[1:], strict=False) if MIN_GAP_S <= a - b <= MAX_GAP_S]
    per_item = statistics.median(gaps) if gaps else None
    remaining = max(total - judged, 0)
    return {
        "person": person,
        "role": role,
        "total": total,
        "judged": judged,
        "skipped": counts.get("skipped", 0),
        "remaining": remaining,
        "qualified": qualified,
        "qualified_rate": qualified / judged if judged else None,
        "seconds_per_item": per_item,
        "eta_seconds": per_item * remaining if per_item is not None else None,
    }


def queue_stats(project, queue) -> dict[str, Any]:
    """Totals of a queue and the progress of each annotator."""
    statuses = Counter(item_status(project, queue).values())
    people = [
        person_progress(project, queue, p, "annotator")
        for (p,) in project.conn.execute(
            "SELECT DISTINCT person FROM review_assignments WHERE queue_id = ? ORDER BY person", (queue.id,)
        )
    ]
    return {
        "queue": queue.name,
        "check": queue.check_id,
        "items": queue.items,
        "blind_double": queue.blind_double,
        "annotating": statuses.get("annotating", 0),
        "to_review": statuses.get("to_review", 0),
        "to_adjudicate": statuses.get("to_adjudicate", 0),
        "reviewed": statuses.get("reviewed", 0),
        "done": statuses.get("done", 0),
        "people": people,
    }
