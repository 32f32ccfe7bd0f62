"""Human judgements: imported from a file now, written by the review workbench later.

A judgement is one person's decision on one record: qualified or not, and which Appendix A risks
it carries. Rows live in the audited ``judgements`` table (one per record, role and judge); every
change also appends old and new value to ``judgement_history``. The effective decision on a
record is that of the highest role (adjudicator > reviewer > annotator), the latest first.

A file names its records either by record key (``record_key``) or by a field value (``id``),
optionally within a dataset (``dataset``): the value of the record's own ``id`` column, its
``question_id``, or ``<bank_id>:<question_id>`` for transcripts.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaisafe_desktop.core.errors import NotFoundError, ValidationError
from gaisafe_desktop.core.hashing import canonical_json, sha256_file
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.store.audit import utc_now

ROLES = ("annotator", "reviewer", "adjudicator")
RANK = {r: i for i, r in enumerate(ROLES)}
_TRUE = {"1", "true", "yes", "y", "qualified", "合格", "是"}
_FALSE = {"0", "false", "no", "n", "unqualified", "不合格", "否"}
KEY_COLUMNS = ("record_key", "key")
ID_COLUMNS = ("id", "record_id", "question_id")
TIME_COLUMNS = ("time", "judged_at", "timestamp")
SEARCH_KINDS = ("training", "transcripts")


@dataclass
class JudgementLine:
    line: int
    key: str | None
    ref: str | None
    dataset: str | None
    qualified: bool
    risk_codes: list[str]
    annotator: str
    reviewer: str
    role: str
    judged_at: str | None
    note: str


@dataclass
class ImportResult:
    file: str
    sha256: str
    lines: int
    added: int
    changed: int
    unchanged: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    suffix = path.suffix.lower()
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            if suffix in (".csv", ".tsv"):
                reader = csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ",")
                for row in reader:
                    yield reader.line_num, row
                return
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValidationError(
                        N_("{file}, line {line}: not valid JSON ({problem})."), file=str(path), line=n, problem=exc.msg
                    ) from None
                if not isinstance(obj, dict):
                    raise ValidationError(N_("{file}, line {line}: expected a JSON object."), file=str(path), line=n)
                yield n, obj
    except UnicodeDecodeError:
        raise ValidationError(
            N_("{file}: not UTF-8 text; save it as UTF-8 and import again."), file=str(path)
        ) from None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _parse(path: Path, n: int, row: dict[str, Any], known_codes: set[str]) -> JudgementLine:
    def bad(field: str, msg: str, **kw: Any) -> ValidationError:
        return ValidationError(msg, file=str(path), line=n, field=field, **kw)

    key = next((_text(row[c]) for c in KEY_COLUMNS if _text(row.get(c))), None)
    ref = next((_text(row[c]) for c in ID_COLUMNS if _text(row.get(c))), None)
    if key is None and ref is None:
        raise bad("record_key", N_("{file}, line {line}: field `{field}` missing (or give `id` and `dataset`)."))
    if key is not None:
        from gaisafe_desktop.core.ingest.keys import parse_key

        try:
            parse_key(key)
        except ValidationError:
            raise bad(
                "record_key", N_("{file}, line {line}: field `{field}` is not a record key: {value}."), value=key
            ) from None
    q = row.get("qualified")
    if isinstance(q, bool):
        qualified = q
    elif _text(q).lower() in _TRUE:
        qualified = True
    elif _text(q).lower() in _FALSE:
        qualified = False
    else:
        raise bad("qualified", N_("{file}, line {line}: field `{field}` must be yes or no, not {value!r}."), value=q)
    raw = row.get("risk_codes", row.get("risks"))
    if raw is None or raw == "":
        codes: list[str] = []
    elif isinstance(raw, list):
        codes = [_text(c) for c in raw if _text(c)]
    else:
        codes = [c.strip() for c in str(raw).replace("|", ",").replace(";", ",").split(",") if c.strip()]
    unknown = [c for c in codes if c not in known_codes]
    if unknown:
        raise bad(
            "risk_codes", N_("{file}, line {line}: field `{field}` has an unknown risk code {value}."), value=unknown[0]
        )
    if qualified and codes:
        raise bad(
            "risk_codes",
            N_("{file}, line {line}: field `{field}` lists risks ({value}) but the item is marked qualified."),
            value=", ".join(codes),
        )
    annotator = _text(row.get("annotator") or row.get("judge"))
    if not annotator:
        raise bad("annotator", N_("{file}, line {line}: field `{field}` missing: who made the judgement?"))
    role = _text(row.get("role")) or "annotator"
    if role not in ROLES:
        raise bad(
            "role", N_("{file}, line {line}: field `{field}` must be one of {choices}."), choices=", ".join(ROLES)
        )
    when = next((_text(row[c]) for c in TIME_COLUMNS if _text(row.get(c))), None)
    return JudgementLine(
        n,
        key,
        ref,
        _text(row.get("dataset")) or None,
        qualified,
        codes,
        annotator,
        _text(row.get("reviewer")),
        role,
        when,
        _text(row.get("note")),
    )


def _record_refs(rec) -> Iterator[str]:
    if rec.meta:
        meta = rec.metadata
        if isinstance(meta, dict) and meta.get("id") is not None:
            yield str(meta["id"])
    if rec.question_id:
        yield rec.question_id
        if rec.bank_id:
            yield f"{rec.bank_id}:{rec.question_id}"


def resolve_refs(
    project, wanted: dict[str | None, set[str]], *, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER
) -> dict[tuple[str | None, str], tuple[str, int]]:
    """Map (dataset name or None, field value) to (record key, dataset id) by streaming the datasets once.

    A named dataset that does not exist is searched for like an unnamed one: among every training
    and transcripts dataset.
    """
    from gaisafe_desktop.core.ingest.iterate import iter_records

    rows = project.conn.execute("SELECT id, name, kind FROM datasets WHERE status = 'complete' ORDER BY id").fetchall()
    by_name = {r["name"]: r for r in rows if r["kind"] in SEARCH_KINDS}
    search: dict[int, list[str | None]] = {}
    for ds_name in wanted:
        if ds_name is not None and ds_name in by_name:
            search.setdefault(by_name[ds_name]["id"], []).append(ds_name)
        else:
            for r in rows:
                if r["kind"] in SEARCH_KINDS:
                    search.setdefault(r["id"], []).append(ds_name)
    found: dict[tuple[str | None, str], tuple[str, int]] = {}
    ambiguous: dict[tuple[str | None, str], list[int]] = {}
    for dsid, names in search.items():
        for rec in iter_records(project, dsid, verify_hash=True, progress=progress, cancel=cancel):
            for ref in _record_refs(rec):
                for name in names:
                    if ref in wanted[name]:
                        k = (name, ref)
                        if k in found and found[k][0] != rec.key:
                            ambiguous.setdefault(k, [found[k][1]]).append(dsid)
                        found.setdefault(k, (rec.key, dsid))
    if ambiguous:
        (name, ref), ids = next(iter(ambiguous.items()))
        raise ValidationError(
            N_("`{ref}` names records in more than one dataset ({ids}); add a `dataset` column."),
            ref=ref,
            ids=", ".join(map(str, ids)),
        )
    return found


def _key_dataset(project, key: str) -> int | None:
    from gaisafe_desktop.core.ingest.keys import parse_key

    fprefix, _i, _c = parse_key(key)
    row = project.conn.execute(
        "SELECT f.dataset_id FROM dataset_files f JOIN datasets d ON d.id = f.dataset_id "
        "WHERE substr(f.sha256, 1, 16) = ? AND d.status = 'complete' LIMIT 1",
        (fprefix,),
    ).fetchone()
    return None if row is None else int(row[0])


def _value(j: dict[str, Any]) -> dict[str, Any]:
    return {
        "qualified": bool(j["qualified"]),
        "risk_codes": j["risk_codes"],
        "reviewer": j["reviewer"],
        "note": j["note"],
    }


def write_judgement(
    tx,
    project,
    *,
    record_key: str,
    dataset_id: int | None,
    role: str,
    judge: str,
    qualified: bool,
    risk_codes: Sequence[str],
    reviewer: str = "",
    judged_at: str | None = None,
    origin: str,
    note: str = "",
) -> str:
    """Insert or change one judgement inside an open transaction, with its history row.

    Returns ``added``, ``changed`` or ``unchanged``. The review workbench calls this too.
    """
    now = utc_now()
    new = {"qualified": bool(qualified), "risk_codes": list(risk_codes), "reviewer": reviewer, "note": note}
    old = tx.execute(
        "SELECT * FROM judgements WHERE record_key = ? AND role = ? AND judge = ?", (record_key, role, judge)
    ).fetchone()
    values = {
        "record_key": record_key,
        "dataset_id": dataset_id,
        "role": role,
        "judge": judge,
        "qualified": int(bool(qualified)),
        "risk_codes": json.dumps(list(risk_codes), ensure_ascii=False),
        "reviewer": reviewer,
        "judged_at": judged_at or now,
        "origin": origin,
        "note": note,
        "recorded_by": project.actor,
        "recorded_at": now,
    }
    old_value = None
    if old is not None:
        old_value = _value({**dict(old), "risk_codes": json.loads(old["risk_codes"])})
        if old_value == new:
            return "unchanged"
        values["id"] = old["id"]
    row = tx.write("judgements", values)
    tx.write(
        "judgement_history",
        {
            "judgement_id": row["id"],
            "record_key": record_key,
            "old_value": None if old_value is None else canonical_json(old_value),
            "new_value": canonical_json(new),
            "changed_by": project.actor,
            "changed_at": now,
            "origin": origin,
        },
    )
    return "added" if old is None else "changed"


def import_judgements(
    project, path: str | Path, *, progress: Progress = NULL_PROGRESS, cancel: CancelToken = NEVER
) -> ImportResult:
    """Import a JSONL/CSV file of judgements in one audited transaction (all lines or none).

    Columns: ``record_key`` (or ``id`` with optional ``dataset``), ``qualified`` (yes/no),
    ``risk_codes`` (list or ``A.1.a|A.2.b``), ``annotator``, ``reviewer``, ``time``, ``role``, ``note``.

    Raises:
        NotFoundError: the file does not exist.
        ValidationError: a bad line (file, line and field named) or a record that cannot be found.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("Input file {path} does not exist."), path=str(path))
    known = {r.code for r in project.framework.risks}
    lines = [_parse(path, n, row, known) for n, row in _rows(path)]
    if not lines:
        raise ValidationError(N_("{file}: no judgements found."), file=str(path))
    wanted: dict[str | None, set[str]] = {}
    for j in lines:
        if j.key is None:
            wanted.setdefault(j.dataset, set()).add(j.ref)
    found = resolve_refs(project, wanted, progress=progress, cancel=cancel) if wanted else {}
    resolved: list[tuple[JudgementLine, str, int | None]] = []
    for j in lines:
        if j.key is not None:
            dsid = _key_dataset(project, j.key)
            if dsid is None:
                raise ValidationError(
                    N_("{file}, line {line}: field `{field}`: no dataset of this project has record {value}."),
                    file=str(path),
                    line=j.line,
                    field="record_key",
                    value=j.key,
                )
            resolved.append((j, j.key, dsid))
        else:
            hit = found.get((j.dataset, j.ref))
            if hit is None:
                raise ValidationError(
                    N_("{file}, line {line}: field `{field}`: no record with id {value} in {dataset}."),
                    file=str(path),
                    line=j.line,
                    field="id",
                    value=j.ref,
                    dataset=j.dataset or "training/transcripts datasets",
                )
            resolved.append((j, hit[0], hit[1]))
    sha = sha256_file(path)
    origin = f"import:{sha}"
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    with project.transaction("judgements.import", {"file": path.name, "sha256": sha, "lines": len(lines)}) as tx:
        for i, (j, key, dsid) in enumerate(resolved):
            if not i % 2000:
                cancel.raise_if_cancelled()
                progress(i, len(resolved), path.name)
            counts[
                write_judgement(
                    tx,
                    project,
                    record_key=key,
                    dataset_id=dsid,
                    role=j.role,
                    judge=j.annotator,
                    qualified=j.qualified,
                    risk_codes=j.risk_codes,
                    reviewer=j.reviewer,
                    judged_at=j.judged_at,
                    origin=origin,
                    note=j.note,
                )
            ] += 1
    return ImportResult(path.name, sha, len(lines), counts["added"], counts["changed"], counts["unchanged"])


def _row_dict(r) -> dict[str, Any]:
    d = dict(r)
    d["qualified"] = bool(d["qualified"])
    d["risk_codes"] = json.loads(d["risk_codes"])
    return d


def list_judgements(project, *, record_key: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Stored judgements (all, or those of one record), oldest first."""
    sql = "SELECT * FROM judgements" + (" WHERE record_key = ?" if record_key else "") + " ORDER BY id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [_row_dict(r) for r in project.conn.execute(sql, (record_key,) if record_key else ())]


def judgement_history(project, record_key: str) -> list[dict[str, Any]]:
    """Every change of the judgements of one record, oldest first."""
    return [
        dict(r)
        for r in project.conn.execute("SELECT * FROM judgement_history WHERE record_key = ? ORDER BY id", (record_key,))
    ]


def effective_judgements(project, keys: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """The deciding judgement per record key (highest role, then latest), for ``keys`` or all."""
    wanted = None if keys is None else set(keys)
    best: dict[str, dict[str, Any]] = {}
    for r in project.conn.execute("SELECT * FROM judgements ORDER BY id"):
        key = r["record_key"]
        if wanted is not None and key not in wanted:
            continue
        cur = best.get(key)
        rank = (RANK.get(r["role"], 0), r["judged_at"], r["id"])
        if cur is None or rank >= cur["_rank"]:
            best[key] = {**_row_dict(r), "_rank": rank}
    for v in best.values():
        v.pop("_rank")
    return best
