"""B.2.1 a): at least 4,000 random items of all training data judged by people; qualified ≥ 96%."""

from __future__ import annotations

from collections import Counter

from gaisafe_desktop.core.assess.judgements import effective_judgements
from gaisafe_desktop.core.assess.results import CheckResult, Item, store_results
from gaisafe_desktop.core.assess.samples import datasets_of, ensure_plan, plan_inputs, sample_key_set
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.stats import judge_rate

ASSESSMENT = "training_manual"


def assess_training_manual(
    project,
    *,
    plan: str | None = None,
    nonce: str | None = None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> tuple[str, list[CheckResult]]:
    """Draw (or reuse) the ≥4,000-item sample and judge it from the stored human judgements.

    Only judged items count in n; unjudged sampled items are listed (``not_judged``) so the
    reviewers know what is left, and the verdict is "insufficient sample" until n reaches 4,000.
    """
    fw = project.framework
    spec = fw.assessment(ASSESSMENT)
    training = datasets_of(project, "training")
    min_n = int(spec["min_sample"])
    if not training:
        v = judge_rate(0, 0, spec["min_qualified_rate"], min_n=min_n)
        r = CheckResult(
            ASSESSMENT, ASSESSMENT, list(spec["clauses"]), {}, verdict=v, detail={"why": "no training data imported"}
        )
        return store_results(project, "assess.training_manual", [r]), [r]
    p = ensure_plan(
        project,
        ASSESSMENT,
        [d["id"] for d in training],
        str(min_n),
        plan=plan,
        nonce=nonce,
        progress=progress,
        cancel=cancel,
    )
    keys = sample_key_set(project, p)
    judged = effective_judgements(project, keys)
    names = {d["id"]: d["name"] for d in training}
    n = q = 0
    items: list[Item] = []
    per_ds: dict[str, Counter] = {}
    per_risk: Counter = Counter()
    annotators: Counter = Counter()
    for key, dsid in keys.items():
        j = judged.get(key)
        c = per_ds.setdefault(names.get(dsid, str(dsid)), Counter())
        if j is None:
            c["not_judged"] += 1
            items.append(Item(key, "not_judged", {}))
            continue
        n += 1
        c["n"] += 1
        annotators[j["judge"]] += 1
        if j["qualified"]:
            q += 1
        else:
            c["unqualified"] += 1
            per_risk.update(j["risk_codes"] or ["?"])
            items.append(
                Item(
                    key,
                    "unqualified",
                    {
                        "judge": j["judge"],
                        "role": j["role"],
                        "reviewer": j["reviewer"],
                        "risk_codes": j["risk_codes"],
                        "note": j["note"],
                    },
                )
            )
    v = judge_rate(q, n, spec["min_qualified_rate"], direction="min", min_n=min_n)
    detail = {
        "sampled": len(keys),
        "judged": n,
        "not_judged": len(keys) - n,
        "per_dataset": {k: dict(x) for k, x in sorted(per_ds.items())},
        "per_risk": dict(sorted(per_risk.items())),
        "judges": dict(annotators),
    }
    r = CheckResult(
        ASSESSMENT,
        ASSESSMENT,
        list(spec["clauses"]),
        {"plan": plan_inputs(p), "judgements": n},
        verdict=v,
        detail=detail,
        items=items,
    )
    return store_results(project, "assess.training_manual", [r]), [r]
