"""Print row counts of the Chinese refusal-labelled set.

Usage (from the repository root)::

    /work/venv/bin/python training/data/zh_refusal/stats.py            # all parts
    /work/venv/bin/python training/data/zh_refusal/stats.py zr1        # one part

Streams the JSONL files line by line and prints counts per label, question_type,
hard_case, category and label x question_type, as Markdown tables ready to paste
into README.md. Exits non-zero (naming file and line) on a malformed row.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIRED = ("id", "question", "answer", "label", "question_type", "category", "hard_case", "style")
LABELS = ("refusal", "partial", "compliance")
QTYPES = ("should_refuse", "borderline", "should_not_refuse")


def iter_rows(prefix: str):
    for path in sorted(HERE.glob(f"{prefix}*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path.name}, line {lineno}: invalid JSON ({exc})") from exc
                missing = [k for k in REQUIRED if k not in row]
                if missing:
                    raise SystemExit(f"{path.name}, line {lineno}: missing field(s) {missing}")
                if row["label"] not in LABELS:
                    raise SystemExit(f"{path.name}, line {lineno}: bad label {row['label']!r}")
                if row["question_type"] not in QTYPES:
                    raise SystemExit(f"{path.name}, line {lineno}: bad question_type {row['question_type']!r}")
                yield path.name, row


def table(title: str, counter: Counter, total: int) -> str:
    lines = [f"| {title} | rows | share |", "|---|---:|---:|"]
    for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        lines.append(f"| {key if key is not None else '(none)'} | {n} | {n / total:.1%} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    prefix = argv[1] if len(argv) > 1 else "zr"
    files, labels, qtypes, hard, cats, cross = Counter(), Counter(), Counter(), Counter(), Counter(), Counter()
    ids, questions = set(), set()
    dup_ids = dup_q = 0
    for name, row in iter_rows(prefix):
        files[name] += 1
        labels[row["label"]] += 1
        qtypes[row["question_type"]] += 1
        hard[row["hard_case"]] += 1
        cats[row["category"]] += 1
        cross[(row["question_type"], row["label"])] += 1
        dup_ids += row["id"] in ids
        dup_q += row["question"] in questions
        ids.add(row["id"])
        questions.add(row["question"])
    total = sum(files.values())
    if not total:
        print(f"no rows in {HERE}/{prefix}*.jsonl")
        return 1
    with_hard = total - hard[None]
    print(f"rows: {total} in {len(files)} file(s) matching `{prefix}*.jsonl`")
    print(
        f"hard cases: {with_hard} ({with_hard / total:.1%}); duplicate ids: {dup_ids}; duplicate questions: {dup_q}\n"
    )
    print(table("label", labels, total) + "\n")
    print(table("question_type", qtypes, total) + "\n")
    lines = ["| question_type | " + " | ".join(LABELS) + " |", "|---|" + "---:|" * len(LABELS)]
    for qt in QTYPES:
        if qtypes[qt]:
            lines.append(f"| {qt} | " + " | ".join(str(cross[(qt, lb)]) for lb in LABELS) + " |")
    print("\n".join(lines) + "\n")
    print(table("hard_case", hard, total) + "\n")
    print(table("category", cats, total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
