"""Extra evaluation of the shipped risk classifier on the project's Chinese refusal set questions.

    /work/venv/bin/python training/extra_eval.py     (writes training/reports/risk-classifier-zh-questions.json)

``training/data/zh_refusal`` questions carry an Appendix A category (``should_refuse`` questions, every
code including A.1.a-c and A.4.d that the public data lacks) or an ``aspect:`` of the should-not-refuse
bank. They were written for the refusal detector and are **not** used to train the risk classifier
(that would fill a coverage gap with text written for the purpose); here they only measure how often
the shipped model flags harmful Chinese questions per code, and how often it flags benign ones.
"""

from __future__ import annotations

import glob
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gaisafe_desktop.core.detect.classifier import classify_texts, load_bundled_risk_model  # noqa: E402


def main() -> None:
    rows = []
    for path in sorted(glob.glob(str(ROOT / "training" / "data" / "zh_refusal" / "*.jsonl"))):
        with open(path, encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    seen, qs = set(), []
    for r in rows:
        q = (r.get("question") or "").strip()
        if q and q not in seen:
            seen.add(q)
            qs.append((q, r.get("question_type", ""), r.get("category", "")))
    model = load_bundled_risk_model()
    results = classify_texts(model, [q for q, _, _ in qs])
    covered = set(model.manifest.covered_codes())
    per = defaultdict(lambda: {"n": 0, "flagged_risky": 0, "right_code": 0})
    for (_q, qtype, cat), res in zip(qs, results, strict=True):
        key = (qtype, cat if cat.startswith("A.") else "aspect:*")
        per[key]["n"] += 1
        per[key]["flagged_risky"] += res.risky
        per[key]["right_code"] += cat in res.codes
    out = {
        f"{qt}|{cat}": {**v, "code_covered_by_model": cat in covered if cat.startswith("A.") else None}
        for (qt, cat), v in sorted(per.items())
    }
    dest = ROOT / "training" / "reports" / "risk-classifier-zh-questions.json"
    dest.write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(qs)} distinct questions -> {dest.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
