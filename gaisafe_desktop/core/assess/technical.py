"""B.2.1 b): keywords + classifier over a random ≥10% of all training data; qualified ≥98%.

The check itself is :func:`check_batch`, a pure function of a batch of ``(key, text)`` records, a
compiled keyword library and a risk model. Locally :func:`assess_training_technical` streams the
sampled records and spreads batches over worker processes (spawn) with progress and cancel; on a
cluster ``technical_dask`` runs the same function per partition of the same files.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from typing import Any

from gaisafe_desktop.core.assess.results import CheckResult, Item, store_results
from gaisafe_desktop.core.assess.samples import datasets_of, ensure_plan, plan_inputs, sample_key_set
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.stats import judge_rate

ASSESSMENT = "training_technical"
BATCH = 2000


def record_text(rec) -> str:
    """What the technical check reads of a record: its text, else question and answer."""
    if rec.text:
        return rec.text
    return "\n".join(p for p in (rec.question, rec.answer) if p)


def check_batch(
    records: Sequence[tuple[str, str]], matcher: Any, model: Any, risk_codes: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Check a batch of ``(key, text)`` records with keywords and the classifier.

    A record is unqualified when a keyword hit or the classifier finds a risk of ``risk_codes``
    (default: any risk; a hit or a classifier verdict without a code counts as a risk).

    Returns:
        One dict per record: ``key``, ``qualified``, ``codes`` (the risk codes found),
        ``keyword`` (``[term, [codes]]`` per hit, at most 10) and ``classifier`` (codes, ``risky``).
    """
    from gaisafe_desktop.core.detect.classifier import classify_texts

    wanted = None if risk_codes is None else set(risk_codes)
    texts = [t or "" for _, t in records]
    hits = matcher.scan_batch(texts) if matcher is not None else [[] for _ in texts]
    cls = classify_texts(model, texts) if model is not None and texts else [None] * len(texts)
    out = []
    for (key, _t), h, c in zip(records, hits, cls, strict=True):
        kw = [[x.term, list(x.risks)] for x in h]
        kw_codes = {code for x in h for code in x.risks}
        kw_bad = any((not x.risks) or wanted is None or (set(x.risks) & wanted) for x in h)
        c_codes = set(c.codes) if c is not None else set()
        c_bad = c is not None and c.risky and (wanted is None or not c_codes or bool(c_codes & wanted))
        out.append(
            {
                "key": key,
                "qualified": not (kw_bad or c_bad),
                "codes": sorted(kw_codes | c_codes),
                "keyword": kw[:10],
                "keyword_flag": kw_bad,
                "classifier": {"codes": sorted(c_codes), "risky": bool(c is not None and c.risky), "flag": c_bad},
            }
        )
    return out


# -- worker processes ----------------------------------------------------------------------------

_W: dict[str, Any] = {}


def _init_worker(matcher: Any, model_folder: str | None, risk_codes: list[str] | None) -> None:
    from gaisafe_desktop.core.detect.onnx_runtime import load_model

    _W["matcher"] = matcher
    _W["model"] = load_model(model_folder, threads=1) if model_folder else None
    _W["codes"] = risk_codes


def _work(batch: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return check_batch(batch, _W["matcher"], _W["model"], _W["codes"])


def run_batches(
    batches: Iterator[list[tuple[str, str]]],
    *,
    matcher: Any,
    model: Any,
    model_folder: str | None,
    risk_codes: list[str] | None,
    workers: int,
    cancel: CancelToken = NEVER,
) -> Iterator[list[dict[str, Any]]]:
    """Check batches in order, in ``workers`` spawned processes (``workers <= 1``: in this process)."""
    if workers <= 1 or (model is not None and model_folder is None):
        for b in batches:
            cancel.raise_if_cancelled()
            yield check_batch(b, matcher, model, risk_codes)
        return
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(matcher, model_folder, risk_codes)
    ) as pool:
        pending: list[cf.Future] = []
        try:
            for b in batches:
                cancel.raise_if_cancelled()
                pending.append(pool.submit(_work, b))
                while len(pending) > workers * 2:
                    yield pending.pop(0).result()
            while pending:
                cancel.raise_if_cancelled()
                yield pending.pop(0).result()
        except BaseException:
            for f in pending:
                f.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def summarise(
    results: Iterable[dict[str, Any]], dataset_of: dict[str, int], names: dict[int, str], illegal: set[str]
) -> tuple[int, int, dict[str, Any], list[Item]]:
    """Counts, per-dataset and per-risk breakdowns and the unqualified items of checked records."""
    n = qualified = 0
    per_ds: dict[str, Counter] = {}
    per_risk: Counter = Counter()
    methods: Counter = Counter()
    items: list[Item] = []
    for r in results:
        n += 1
        ds = names.get(dataset_of.get(r["key"], -1), "?")
        c = per_ds.setdefault(ds, Counter())
        c["n"] += 1
        if r["qualified"]:
            qualified += 1
            continue
        c["unqualified"] += 1
        if not r["codes"] or set(r["codes"]) & illegal:
            c["illegal"] += 1
        per_risk.update(r["codes"] or ["?"])
        methods["keyword"] += bool(r["keyword_flag"])
        methods["classifier"] += bool(r["classifier"]["flag"])
        items.append(
            Item(r["key"], "unqualified", {"codes": r["codes"], "keyword": r["keyword"], "classifier": r["classifier"]})
        )
    detail = {
        "per_dataset": {k: dict(v) for k, v in sorted(per_ds.items())},
        "per_risk": dict(sorted(per_risk.items())),
        "flagged_by": dict(methods),
    }
    return n, qualified, detail, items


def required_sample(project) -> int:
    """⌈fraction × N⌉ over all training data (the standard's minimum for B.2.1 b)."""
    spec = project.framework.assessment(ASSESSMENT)
    total = sum(d["records"] for d in datasets_of(project, "training"))
    return math.ceil(Fraction(str(spec.get("min_sample_fraction", 0.1))) * total)


def technical_result(
    project, plan, det, n: int, qualified: int, detail: dict, items: list[Item], engine: dict
) -> CheckResult:
    """The stored form of a technical check (local or imported from a cluster run)."""
    fw = project.framework
    spec = fw.assessment(ASSESSMENT)
    need = required_sample(project)
    v = judge_rate(qualified, n, spec["min_qualified_rate"], direction="min", min_n=need)
    if det.matcher is None and det.model_info is None:  # nothing could check: not run, not "all qualified"
        v = judge_rate(0, 0, spec["min_qualified_rate"], min_n=1)
    detail = {**detail, "missing_methods": list(det.problems), "sample_rule": plan.rule}
    return CheckResult(
        ASSESSMENT,
        ASSESSMENT,
        list(spec["clauses"]),
        {"plan": plan_inputs(plan), **det.inputs(), "engine": engine},
        verdict=v,
        detail=detail,
        items=items,
    )


def assess_training_technical(
    project,
    *,
    plan: str | None = None,
    nonce: str | None = None,
    library: str | None = None,
    model: str | None = None,
    workers: int | None = None,
    batch: int = BATCH,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> tuple[str, list[CheckResult]]:
    """Run B.2.1 b) locally and store its result. Returns (run id, results).

    Draws (or reuses) a plan of exactly ⌈10% × N⌉ records of all training data, streams the
    sampled records, checks them with :func:`check_batch` in ``workers`` processes (default: every
    core) and stores counts, interval, verdict and the unqualified items.
    """
    from gaisafe_desktop.core.assess.detectors import load_detectors
    from gaisafe_desktop.core.ingest.iterate import iter_records

    fw = project.framework
    spec = fw.assessment(ASSESSMENT)
    training = datasets_of(project, "training")
    if not training:
        return _not_run(project, "no training data imported")
    frac = spec.get("min_sample_fraction", 0.1)
    p = ensure_plan(
        project,
        ASSESSMENT,
        [d["id"] for d in training],
        f"{float(frac) * 100:g}%",
        plan=plan,
        nonce=nonce,
        progress=progress,
        cancel=cancel,
    )
    keys = sample_key_set(project, p)
    det = load_detectors(project, library=library, model=model)
    codes = fw.risk_set(spec.get("qualified_risk_set", "all"))
    total = len(keys)

    def batches() -> Iterator[list[tuple[str, str]]]:
        buf: list[tuple[str, str]] = []
        for ds in sorted(set(keys.values())):
            # no separate hashing pass: the reader checks each file's SHA-256 and count as it ends
            for rec in iter_records(project, ds, verify_hash=False, cancel=cancel):
                if rec.key in keys:
                    buf.append((rec.key, record_text(rec)))
                    if len(buf) >= batch:
                        yield buf
                        buf = []
        if buf:
            yield buf

    done = 0

    def checked() -> Iterator[dict[str, Any]]:
        nonlocal done
        for res in run_batches(
            batches(),
            matcher=det.matcher,
            model=det.model,
            model_folder=det.model_folder,
            risk_codes=codes,
            workers=workers or os.cpu_count() or 1,
            cancel=cancel,
        ):
            done += len(res)
            progress(done, total, "")
            yield from res

    names = {d["id"]: d["name"] for d in training}
    illegal = set(fw.risk_set(fw.assessment("source_rule").get("illegal_risk_set", "illegal_unhealthy")))
    n, q, detail, items = summarise(checked(), keys, names, illegal)
    result = technical_result(
        project, p, det, n, q, detail, items, {"engine": "local", "workers": workers or os.cpu_count()}
    )
    run_id = store_results(project, "assess.training_technical", [result])
    return run_id, [result]


def _not_run(project, why: str) -> tuple[str, list[CheckResult]]:
    spec = project.framework.assessment(ASSESSMENT)
    v = judge_rate(0, 0, spec["min_qualified_rate"], min_n=1)
    r = CheckResult(ASSESSMENT, ASSESSMENT, list(spec["clauses"]), {}, verdict=v, detail={"why": why})
    return store_results(project, "assess.training_technical", [r]), [r]
