"""Replay a case file: recompute what its contents allow and compare with what it claims.

Registered steps (``register_casefile_replayer``) each get the extracted bag and its
``casefile.json``. Built in: the audit-log chain from the JSON Lines export (independently of
SQLite); every stored rate statistic recomputed from its counts with ``core.stats`` (verdict, exact
interval, interval note) plus each result's item digest; and every drawn sample re-drawn from its
logged seed with ``core.sampling.verify_plan``.
"""

from __future__ import annotations

import json
import math
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.casefile.safezip import DEFAULT_LIMITS, ZipLimits, safe_extract
from gaisafe_desktop.core.errors import NotFoundError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.report.problems import Problem

SNAPSHOT = "data/project/project.gaisafe"


@dataclass
class ReplayResult:
    """What could be recomputed from the case file alone, and whether it matches."""

    audit: dict[str, Any] | None
    checks: list[dict[str, Any]]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "audit": self.audit,
            "checks": self.checks,
            "problems": [p.as_dict() for p in self.problems],
        }


Replayer = Callable[[Path, dict[str, Any]], tuple[list[dict[str, Any]], list[Problem]]]
"""``fn(bag_root, casefile_manifest) -> (checks, problems)``: recompute your figures from the bag."""

_REPLAYERS: dict[str, Replayer] = {}


def register_casefile_replayer(name: str, fn: Replayer) -> None:
    """Register a replay step (e.g. recompute statistics from exported judgements, re-draw samples)."""
    _REPLAYERS[name] = fn


def _replay_audit_export(root: Path, manifest: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Re-walk the exported audit-log JSONL hash chain, independently of SQLite, and compare its head."""
    from gaisafe_desktop.core.store.audit import GENESIS, entry_hash

    rel = "data/exports/audit/audit_log.jsonl"
    f = root / rel
    if not f.is_file():
        return [], [Problem(N_("the audit-log export is missing"), path=rel, code="missing")]
    prev = GENESIS
    n = 0
    problems: list[Problem] = []
    with f.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            row = json.loads(line)
            entry = {
                k: row[k] for k in ("seq", "ts", "actor", "action", "entity", "entity_id", "payload", "row_digest")
            }
            if row["prev_hash"] != prev or entry_hash(prev, entry) != row["hash"]:
                problems.append(
                    Problem(N_("line {line}: the audit-log chain is broken"), {"line": line_no}, rel, "audit")
                )
                break
            prev = row["hash"]
            n += 1
    if not problems and manifest.get("audit_head") and prev != manifest["audit_head"]:
        problems.append(
            Problem(
                N_("the exported chain ends at {found}, not at the case file's head"),
                {"found": prev[:16]},
                rel,
                "audit",
            )
        )
    return [{"check": "audit-log export chain", "entries": n, "head": prev, "ok": not problems}], problems


register_casefile_replayer("audit", _replay_audit_export)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _replay_statistics(root: Path, manifest: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Recompute every stored rate verdict from its counts, and every result's item digest."""
    from gaisafe_desktop.core.stats.verdict import judge_rate

    snap = root / SNAPSHOT
    if not snap.is_file():
        return [], [Problem(N_("the project snapshot is missing"), path=SNAPSHOT, code="missing")]
    conn = sqlite3.connect(f"file:{snap.as_posix()}?mode=ro&immutable=1", uri=True)
    conn.row_factory = sqlite3.Row
    checks: list[dict[str, Any]] = []
    problems: list[Problem] = []
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "assessment_results" not in tables:
            return [], []
        try:
            from gaisafe_desktop.core.assess.results import Item, items_digest
        except ImportError:  # pragma: no cover - the assessment area is part of the app
            items_digest = None
        for row in conn.execute("SELECT * FROM assessment_results ORDER BY id"):
            label = f"{row['check_id']} #{row['id']}"
            ok = True
            if row["kind"] == "rate" and row["n"]:
                v = judge_rate(
                    row["count"], row["n"], row["threshold"], direction=row["direction"], min_n=row["min_n"] or 0
                )
                same = (
                    v.verdict == row["verdict"]
                    and _close(v.rate, row["rate"])
                    and _close(v.ci_low, row["ci_low"])
                    and _close(v.ci_high, row["ci_high"])
                    and (v.interval_note or "") == (row["interval_note"] or "")
                )
                if not same:
                    ok = False
                    problems.append(
                        Problem(
                            N_("result {result}: recomputed {count}/{n} gives {verdict} {low}–{high}, stored {stored}"),
                            {
                                "result": label,
                                "count": row["count"],
                                "n": row["n"],
                                "verdict": v.verdict,
                                "low": f"{v.ci_low:.4f}",
                                "high": f"{v.ci_high:.4f}",
                                "stored": f"{row['verdict']} {row['ci_low']}–{row['ci_high']}",
                            },
                            SNAPSHOT,
                            "replay",
                        )
                    )
            if items_digest is not None:
                items = [
                    Item(r["record_key"], r["outcome"], json.loads(r["reason"]))
                    for r in conn.execute(
                        "SELECT record_key, outcome, reason FROM assessment_items WHERE result_id = ? ORDER BY seq",
                        (row["id"],),
                    )
                ]
                if len(items) != row["items"] or items_digest(items) != row["items_sha256"]:
                    ok = False
                    problems.append(
                        Problem(
                            N_("result {result}: its {n} listed items do not match their digest"),
                            {"result": label, "n": len(items)},
                            SNAPSHOT,
                            "replay",
                        )
                    )
            checks.append({"check": f"statistics {label}", "ok": ok})
    except sqlite3.Error as exc:
        problems.append(
            Problem(N_("the project snapshot cannot be read: {detail}"), {"detail": str(exc)}, SNAPSHOT, "snapshot")
        )
    finally:
        conn.close()
    return checks, problems


register_casefile_replayer("statistics", _replay_statistics)


def _replay_samples(root: Path, manifest: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Re-draw every drawn sampling plan from its logged seed (``core.sampling.verify_plan``).

    Records of fully imported datasets are inside the snapshot, so their samples re-draw from the
    case file alone; register-only datasets re-draw where their files are at the recorded paths.
    """
    try:
        from gaisafe_desktop.core.sampling.plans import list_plans, verify_plan
    except ImportError:  # pragma: no cover - the sampling area is part of the app
        return [], []
    from gaisafe_desktop.core.errors import GaisafeError
    from gaisafe_desktop.core.store import open_project

    snap = root / SNAPSHOT
    if not snap.is_file():
        return [], []
    checks: list[dict[str, Any]] = []
    problems: list[Problem] = []
    try:
        project = open_project(snap, read_only=True, actor="replay")
    except GaisafeError as exc:
        return [], [Problem(exc.msgid, dict(exc.params), SNAPSHOT, "snapshot")]
    try:
        try:
            plans = list_plans(project)
        except sqlite3.Error:
            return [], []
        for plan in plans:
            if plan.status != "drawn":
                continue
            try:
                v = verify_plan(project, plan.id, redraw=True)
            except (GaisafeError, sqlite3.Error) as exc:
                detail = exc.message() if isinstance(exc, GaisafeError) else str(exc)
                checks.append({"check": f"sample {plan.name}", "ok": False})
                problems.append(
                    Problem(
                        N_("sampling plan {plan}: {detail}"), {"plan": plan.name, "detail": detail}, SNAPSHOT, "replay"
                    )
                )
                continue
            checks.append({"check": f"sample {plan.name}", "ok": v.ok, "redrawn": v.redraw_ok})
            for text in v.problems:
                problems.append(
                    Problem(
                        N_("sampling plan {plan}: {detail}"), {"plan": plan.name, "detail": text}, SNAPSHOT, "replay"
                    )
                )
    finally:
        project.close()
    return checks, problems


register_casefile_replayer("samples", _replay_samples)


def replay_casefile(path: Path | str, *, limits: ZipLimits = DEFAULT_LIMITS) -> ReplayResult:
    """Recompute what the case file allows (today: the audit-log chain; later: statistics, samples)."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("Case file {file} does not exist."), file=str(path))
    folder, _ = safe_extract(path, limits)
    try:
        tops = list(folder.iterdir())
        root = tops[0] if len(tops) == 1 else folder
        manifest = json.loads((root / "data" / "casefile.json").read_text(encoding="utf-8"))
        checks: list[dict[str, Any]] = []
        problems: list[Problem] = []
        for _name, fn in sorted(_REPLAYERS.items()):
            c, p = fn(root, manifest)
            checks.extend(c)
            problems.extend(p)
        audit = next((c for c in checks if c["check"] == "audit-log export chain"), None)
        return ReplayResult(audit=audit, checks=checks, problems=problems)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
