"""Build the bundled demo project data in resources/demo/ from the shared public datasets.

    python training/build_demo.py [--datasets ../shared/datasets]

Deterministic: the same inputs give byte-identical files. Only permissively licensed sets are used
(MIT, Apache-2.0, CC-BY-4.0) plus the project's own Chinese refusal set (Apache-2.0); every file is
marked as DEMO DATA. What the licensed data cannot cover is left uncovered and said so in the README:
A.1.a–c have no open data, so the demo banks have none (the authored zh refusal rows for those codes are
excluded on purpose), and the demo's B.1 checks show that gap.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "demo"
ZH_REFUSAL = ROOT / "training" / "data" / "zh_refusal"
SEED = 20261130
NO_OPEN_DATA = {"A.1.a", "A.1.b", "A.1.c"}

COLD_CODE = {"race": "A.2.a", "region": "A.2.d", "gender": "A.2.e"}
TOXIGEN_CODE = {
    "race": "A.2.a",
    "nationality": "A.2.c",
    "religion": "A.2.b",
    "disability": "A.2.h",
    "sexual_orientation": "A.2.i",
}
MODERATION_CODE = {
    "S": "A.1.f",
    "H": "A.1.e",
    "V": "A.1.f",
    "HR": "A.4.c",
    "SH": "A.4.a",
    "S3": "A.1.f",
    "H2": "A.1.e",
    "V2": "A.1.f",
}
JBB_CODE = {
    "Harassment/Discrimination": "A.2.i",
    "Malware/Hacking": "A.1.h",
    "Physical harm": "A.4.a",
    "Economic harm": "A.1.h",
    "Fraud/Deception": "A.1.h",
    "Disinformation": "A.1.g",
    "Sexual/Adult content": "A.1.f",
    "Privacy": "A.4.e",
    "Expert advice": "A.5.b",
    "Government decision-making": "A.1.h",
}
# the zh refusal set's aspect names → the framework pack's aspect ids
ASPECT_IDS = {"martyrs": "heroic_martyrs"}
ANNOTATORS = ["王芳（演示）Wang Fang (demo)", "赵强（演示）Zhao Qiang (demo)"]
REVIEWER = "陈静（演示）Chen Jing (demo)"


def _h(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], 16)


def _jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _cold(ds: Path) -> tuple[list[dict], list[dict]]:
    safe, offensive = [], []
    with (ds / "cold" / "test.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            text = row["TEXT"].strip()
            if not text:
                continue
            item = {"text": text, "code": COLD_CODE[row["topic"]] if row["label"] == "1" else None}
            (offensive if row["label"] == "1" else safe).append(item)
    return safe, offensive


def build_training(ds: Path, rng: random.Random) -> tuple[dict[str, list[dict]], list[dict]]:
    """Three training-data sources; src-c is deliberately over the 5% rule."""
    qa = [json.loads(x) for x in (ds / "chinese-safetyqa" / "chinese_safetyqa.jsonl").read_text("utf-8").splitlines()]
    cvalues = _read_jsonl(ds / "cvalues-responsibility-prompts" / "cvalues_responsibility_prompts.jsonl")
    halluqa = json.loads((ds / "halluqa" / "HalluQA.json").read_text("utf-8"))
    benign_zh = [{"text": f"{r['question']} {r['standard_answer']}", "code": None} for r in qa]
    benign_zh += [{"text": r["prompt"], "code": None} for r in cvalues]
    benign_zh += [{"text": f"{r['Question']} {r['Best Answer1']}", "code": None} for r in halluqa]
    cold_safe, cold_off = _cold(ds)
    rng.shuffle(cold_safe)
    rng.shuffle(cold_off)

    mod = _read_jsonl(ds / "openai-moderation" / "samples-1680.jsonl")
    mod_benign = [{"text": r["prompt"], "code": None} for r in mod if all(r.get(k) == 0 for k in MODERATION_CODE)]
    mod_flag = [
        {"text": r["prompt"], "code": next(MODERATION_CODE[k] for k in MODERATION_CODE if r.get(k) == 1)}
        for r in mod
        if any(r.get(k) == 1 for k in MODERATION_CODE)
    ]
    tox_neutral, tox_hate, seen = [], [], set()
    for f in sorted((ds / "toxigen-demonstrations" / "demonstrations").rglob("*.txt")):
        for line in f.read_text("utf-8").splitlines():
            line = line.strip().lstrip("- ").strip()
            if not line or line in seen:
                continue
            seen.add(line)
            if f.name.startswith("hate"):
                tox_hate.append({"text": line, "code": TOXIGEN_CODE[f.parent.name]})
            else:
                tox_neutral.append({"text": line, "code": None})
    with (ds / "xstest-prompts" / "xstest_prompts.csv").open(encoding="utf-8") as fh:
        xs_safe = [{"text": r["prompt"], "code": None} for r in csv.DictReader(fh) if r["label"] == "safe"]
    rng.shuffle(mod_flag)
    rng.shuffle(tox_hate)

    sources = {
        # ~1% illegal/unhealthy: passes the 5.1 source rule
        "src-a-encyclopedia-zh": benign_zh + cold_off[:32],
        # ~2%
        "src-b-forum-en": mod_benign + tox_neutral + xs_safe + mod_flag[:10] + tox_hate[:8],
        # ~9%: over the 5% rule, the source must be rejected
        "src-c-comments-zh": cold_safe[:1820] + cold_off[32:212],
    }
    files, judgements = {}, []
    for name, items in sources.items():
        items = sorted(items, key=lambda it: _h(name + it["text"]))
        rows = []
        for i, it in enumerate(items):
            rid = f"{name[:5]}-{i:05d}"
            rows.append({"id": rid, "text": it["text"]})
            judgements.append(
                {
                    "dataset": name,
                    "id": rid,
                    "qualified": it["code"] is None,
                    "risk_codes": [it["code"]] if it["code"] else [],
                    "annotator": ANNOTATORS[i % 2],
                    "reviewer": REVIEWER,
                    "note": "DEMO judgement derived from the public dataset's own label",
                }
            )
        files[name] = rows
    return files, judgements


def build_banks_and_answers(ds: Path) -> tuple[dict[str, list[dict]], list[dict], list[dict]]:
    zh = []
    for f in sorted(ZH_REFUSAL.glob("zr*.jsonl")):
        zh += _read_jsonl(f)
    generated, refuse, not_refuse, answers, judgements = [], [], [], [], []

    def add_answer(
        bank: str,
        qid: str,
        q: dict,
        answer: str,
        model: str,
        version: str,
        qualified: bool,
        codes: list[str],
        note: str,
    ) -> None:
        answers.append(
            {
                "bank_id": bank,
                "question_id": qid,
                "question": q["question"],
                "answer": answer,
                "model": model,
                "model_version": version,
                "risk_code": q.get("risk_code"),
                "aspect": q.get("aspect"),
            }
        )
        judgements.append(
            {
                "dataset": "answers",
                "id": f"{bank}:{qid}",
                "qualified": qualified,
                "risk_codes": codes,
                "annotator": ANNOTATORS[_h(qid) % 2],
                "reviewer": REVIEWER,
                "note": note,
            }
        )

    for r in zh:
        cat = r["category"]
        code = cat if cat.startswith("A.") else None
        aspect = cat.split(":", 1)[1] if cat.startswith("aspect:") else None
        aspect = ASPECT_IDS.get(aspect, aspect)
        if code in NO_OPEN_DATA:
            continue  # authored for the refusal detector, not evidence of bank coverage: keep the gap visible
        q = {"question_id": r["id"], "question": r["question"], "modality": "text", "risk_code": code, "aspect": aspect}
        harmful_answer = r["question_type"] == "should_refuse" and r["label"] == "compliance"
        note = "DEMO judgement from the GAISafe zh refusal set's label"
        if r["question_type"] == "should_refuse":
            refuse.append(q)
            add_answer(
                "should_refuse",
                r["id"],
                q,
                r["answer"],
                "zh-demo-assistant",
                "2026.11",
                not harmful_answer,
                [code] if harmful_answer and code else [],
                note,
            )
        elif r["question_type"] == "should_not_refuse" and aspect:
            not_refuse.append(q)
            add_answer("should_not_refuse", r["id"], q, r["answer"], "zh-demo-assistant", "2026.11", True, [], note)
        else:
            generated.append(q)
            add_answer(
                "generated",
                r["id"],
                q,
                r["answer"],
                "zh-demo-assistant",
                "2026.11",
                not harmful_answer,
                [code] if harmful_answer and code else [],
                note,
            )
    for r in _read_jsonl(ds / "jbb-artifacts" / "jbb_artifacts.jsonl"):
        if not r.get("prompt") or not r.get("response"):
            continue
        qid = f"jbb-{r['method']}-{r['target_model']}-{r['index']}"
        code = JBB_CODE.get(r["category"])
        q = {"question_id": qid, "question": r["prompt"], "modality": "text", "risk_code": code, "aspect": None}
        generated.append(q)
        add_answer(
            "generated",
            qid,
            q,
            r["response"],
            r["target_model"],
            r["method"],
            not r["jailbroken"],
            [code] if r["jailbroken"] and code else [],
            "DEMO judgement from JailbreakBench's own judge label (machine label)",
        )
    banks = {"generated": generated, "should_refuse": refuse, "should_not_refuse": not_refuse}
    for rows in banks.values():
        rows.sort(key=lambda q: q["question_id"])
    answers.sort(key=lambda a: (a["bank_id"], a["question_id"]))
    judgements.sort(key=lambda j: j["id"])
    return banks, answers, judgements


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    args = ap.parse_args()
    rng = random.Random(SEED)
    training, train_judgements = build_training(args.datasets, rng)
    for name, rows in training.items():
        _jsonl(OUT / "training" / f"{name}.jsonl", rows)
    banks, answers, answer_judgements = build_banks_and_answers(args.datasets)
    for name, rows in banks.items():
        _jsonl(OUT / "banks" / f"{name}.jsonl", rows)
    _jsonl(OUT / "transcripts" / "answers.jsonl", answers)
    _jsonl(OUT / "judgements" / "training.jsonl", train_judgements)
    _jsonl(OUT / "judgements" / "answers.jsonl", answer_judgements)
    stats = {
        "training": {
            n: {
                "records": len(r),
                "unqualified": sum(1 for j in train_judgements if j["dataset"] == n and not j["qualified"]),
            }
            for n, r in training.items()
        },
        "banks": {
            n: {
                "questions": len(r),
                "per_risk": dict(sorted(Counter(q["risk_code"] for q in r if q["risk_code"]).items())),
                "per_aspect": dict(sorted(Counter(q["aspect"] for q in r if q["aspect"]).items())),
            }
            for n, r in banks.items()
        },
        "answers": len(answers),
        "answers_unqualified": sum(1 for j in answer_judgements if not j["qualified"]),
    }
    (OUT / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in stats.items() if k != "banks"}, ensure_ascii=False, indent=1))
    print({n: b["questions"] for n, b in stats["banks"].items()})


if __name__ == "__main__":
    main()
