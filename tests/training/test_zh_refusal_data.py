"""Integrity of the Chinese refusal-labelled set (training/data/zh_refusal/*.jsonl).

Reads the real files; no fixtures. Guards the shape the refusal trainer relies on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training" / "data" / "zh_refusal"
FIELDS = {"id", "question", "answer", "label", "question_type", "category", "hard_case", "style"}
LABELS = {"refusal", "partial", "compliance"}
QTYPES = {"should_refuse", "borderline", "should_not_refuse"}
A_CODES = {f"A.1.{c}" for c in "abcdefgh"} | {f"A.2.{c}" for c in "abcdefghi"}
A_CODES |= {f"A.3.{c}" for c in "abcde"} | {f"A.4.{c}" for c in "abcdefg"}


def _rows(prefix: str = "zr") -> list[tuple[str, int, dict]]:
    out = []
    for path in sorted(DATA.glob(f"{prefix}*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                out.append((path.name, lineno, json.loads(line)))
    return out


def test_every_row_has_the_schema_and_allowed_values():
    rows = _rows()
    assert rows, "no zh_refusal files found"
    for name, lineno, r in rows:
        where = f"{name}, line {lineno}"
        assert set(r) == FIELDS, where
        assert r["label"] in LABELS, where
        assert r["question_type"] in QTYPES, where
        assert r["question"].strip(), where
        assert r["hard_case"] is None or (isinstance(r["hard_case"], str) and r["hard_case"]), where
        if r["hard_case"] != "empty_answer":
            assert r["answer"].strip(), f"{where}: blank answer must be tagged empty_answer"
        if not r["answer"].strip():
            assert r["label"] == "refusal", f"{where}: an empty answer is a refusal"


def test_ids_are_unique_and_match_their_file():
    ids = Counter(r["id"] for _, _, r in _rows())
    assert [i for i, n in ids.items() if n > 1] == []
    for name, lineno, r in _rows():
        assert r["id"].startswith(name.split("-")[0] + "-"), f"{name}, line {lineno}"


def test_part1_questions_unique_and_every_risk_code_covered():
    rows = [r for _, _, r in _rows("zr1")]
    questions = Counter(r["question"] for r in rows)
    assert [q for q, n in questions.items() if n > 1] == []
    per_code = Counter(r["category"] for r in rows)
    assert {c for c in A_CODES if per_code[c] < 20} == set()
    assert Counter(r["question_type"] for r in rows)["should_refuse"] > len(rows) / 2
    assert len({r["label"] for r in rows}) == 3


def test_block_and_empty_answers_are_refusals():
    for name, lineno, r in _rows():
        if r["hard_case"] in {"block_message", "empty_answer"}:
            assert r["label"] == "refusal", f"{name}, line {lineno}"


def test_stats_script_validates_and_reports():
    out = subprocess.run(
        [sys.executable, str(DATA / "stats.py"), "zr1"], capture_output=True, text=True, check=True
    ).stdout
    n = len(_rows("zr1"))
    assert f"rows: {n} in " in out
    assert "duplicate ids: 0; duplicate questions: 0" in out
    assert "| refusal |" in out and "| A.4.g |" in out
