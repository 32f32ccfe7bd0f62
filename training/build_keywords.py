"""Build the starter keyword library reproducibly from permissively licensed public datasets.

    /work/venv/bin/python training/build_keywords.py [--datasets ../shared/datasets]

Writes ``resources/keywords/starter/``:
* ``starter-keywords.csv`` — the library (docs/formats/keyword-library.md); ``note`` holds a short
  provenance (z-score, documents, datasets);
* ``provenance.csv`` — per term: risk, z-score, documents of the code containing it, documents of
  the code, other documents containing it, datasets;
* ``README.md`` — method, sources, coverage per risk and the library's own B.1.1 report;
* ``NOTICE.md`` — the datasets and their licences.

Method: ``core/detect/keywords/suggest.py`` (weighted log-odds with an informative Dirichlet
prior against benign text and the other codes' text, then the curation rules documented there),
with a stricter precision rule than the ``suggest`` default (0.75 instead of 0.6): at 0.6 one benign
question in ten hit a topical term (measurements in ``docs/keyword-engine.md``).
Only sets under MIT, Apache-2.0 or CC-BY are read; each row is used under the single risk code
its category maps to *unambiguously* in the dataset's PROVENANCE.md — categories that map to
several codes (e.g. "Unfairness and discrimination" → A.2.*) are used only as background, never
guessed into one code. Nothing is written by hand: no term is invented to fill a gap.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gaisafe_desktop.core.detect.keywords.conformance import check_b11_with_framework  # noqa: E402
from gaisafe_desktop.core.detect.keywords.formats import read_library  # noqa: E402
from gaisafe_desktop.core.detect.keywords.suggest import mine_terms  # noqa: E402
from gaisafe_desktop.core.frameworks import load_framework  # noqa: E402

OUT = ROOT / "resources" / "keywords" / "starter"
BUILD_DATE = "2026-11-30"  # fixed so that rebuilding gives identical files

JAILBENCH = {
    "其他法律、行政法规禁止的内容": "A.1.h",
    "种族歧视内容": "A.2.a",
    "信仰歧视内容": "A.2.b",
    "国别歧视内容": "A.2.c",
    "地域歧视内容": "A.2.d",
    "性别歧视内容": "A.2.e",
    "年龄歧视内容": "A.2.f",
    "职业歧视内容": "A.2.g",
    "健康歧视内容": "A.2.h",
    "性取向歧视内容": "A.2.i",
    "其他方面歧视内容": "A.2.i",
    "侵犯他人知识产权": "A.3.a",
    "违反商业道德": "A.3.b",
    "泄露他人商业秘密": "A.3.c",
    "实施垄断和不正当竞争行为": "A.3.d",
    "其他商业违法违规行为": "A.3.e",
    "危害他人身心健康": "A.4.a",
    "侵害他人肖像权": "A.4.b",
    "侵害他人名誉权": "A.4.c",
    "侵害他人隐私权": "A.4.e",
    "侵害他人财产权": "A.4.g",
}
XSAFETY = {
    "Crimes_And_Illegal_Activities": "A.1.h",
    "Physical_Harm": "A.4.a",
    "Mental_Health": "A.4.a",
    "Insult": "A.4.c",
}
SAFETYBENCH = {
    "Illegal Activities": "A.1.h",
    "Physical Health": "A.4.a",
    "Mental Health": "A.4.a",
    "Offensiveness": "A.4.c",
}
FLAMES = {"Physical harm": "A.4.a", "Mental harm": "A.4.a", "Law violation": "A.1.h"}
MULTIJAIL = {
    "Terrorism & organized crime": "A.1.d",
    "Adult content": "A.1.f",
    "Conspiracy theories & misinformation": "A.1.g",
    "Weapons": "A.1.h",
    "Substance abuse & banned substances": "A.1.h",
    "Fraud & deception": "A.1.h",
    "Self-harm": "A.4.a",
    "Soliciting personally identifiable information": "A.4.f",
}
COLD = {"race": "A.2.a", "region": "A.2.d", "gender": "A.2.e"}
LICENCES = {
    "jailbench": "MIT",
    "cold": "Apache-2.0",
    "xsafety": "Apache-2.0 (its README also says research use only; see PROVENANCE.md)",
    "safetybench-zh-subset": "MIT",
    "flames-1k": "Apache-2.0",
    "multijail": "MIT",
    "chinese-safetyqa": "MIT",
    "halluqa": "Apache-2.0",
    "cvalues-responsibility-prompts": "Apache-2.0",
}


def documents(ds: Path) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """Every labelled (and benign background) document, in a fixed order."""
    # JailBench: the seed questions only. Its 2,160 jailbreak prompts wrap the same 108 seeds in
    # templates; counted as documents they would multiply each seed's n-grams twenty times.
    with (ds / "jailbench" / "JailBench_seed.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = JAILBENCH.get(row["二级领域"])
            yield row["question_zh"], ((code,) if code else ()), "jailbench"
    for name in ("train.csv", "dev.csv", "test.csv"):
        with (ds / "cold" / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                code = COLD.get(row["topic"]) if row["label"] == "1" else None
                yield row["TEXT"], ((code,) if code else ()), "cold"
    for f in sorted((ds / "xsafety" / "zh").glob("*.csv")):
        code = XSAFETY.get(f.stem)
        if code is None:
            continue  # categories without one clear code are not used (not even as background)
        for line in f.read_text(encoding="utf-8-sig").splitlines():
            if line.strip():
                yield line, (code,), "xsafety"
    for item in json.loads((ds / "safetybench-zh-subset" / "test_zh_subset.json").read_text(encoding="utf-8")):
        code = SAFETYBENCH.get(item["category"])
        if code:
            q = item["question"]
            yield (q.split("\n", 1)[1] if "\n" in q else q), (code,), "safetybench-zh-subset"
    with (ds / "flames-1k" / "Flames_1k_Chinese.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            code = FLAMES.get(obj.get("subcomponent", ""))
            if code:
                yield obj["prompt"], (code,), "flames-1k"
    with (ds / "multijail" / "MultiJail.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            tags = [t.strip(" '\"") for t in row["tags"].strip("[]").split(",")]
            codes = {MULTIJAIL[t] for t in tags if t in MULTIJAIL}
            if len(codes) == 1 and all(t in MULTIJAIL for t in tags):
                yield row["zh"], tuple(codes), "multijail"
    # Benign background: answerable knowledge and values questions.
    with (ds / "chinese-safetyqa" / "chinese_safetyqa.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["question"], (), "chinese-safetyqa"
    for item in json.loads((ds / "halluqa" / "HalluQA.json").read_text(encoding="utf-8")):
        yield item["Question"], (), "halluqa"
    with (ds / "cvalues-responsibility-prompts" / "cvalues_responsibility_prompts.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["prompt"], (), "cvalues-responsibility-prompts"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--top", type=int, default=400, help="at most this many terms per risk code")
    ap.add_argument("--out", type=Path, default=OUT, help="output folder (default: the shipped location)")
    args = ap.parse_args()
    build(args.datasets, args.out, args.top)


def build(datasets: Path, out: Path, top: int) -> None:
    global OUT
    OUT = out
    docs = list(documents(datasets))
    doc_counts = Counter(c for _, codes, _ in docs for c in codes)
    benign = sum(1 for _, codes, _ in docs if not codes)
    cands = mine_terms(docs, top=top, min_precision=0.75)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = [c for code in sorted(cands) for c in cands[code]]
    with (OUT / "starter-keywords.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["term", "risk", "kind", "lang", "match", "note", "added"])
        for c in rows:
            lang = "zh" if not c.term.isascii() else "en"
            w.writerow(
                [
                    c.term,
                    c.risk,
                    "term",
                    lang,
                    "default",
                    f"z={c.z}; {c.docs}/{c.code_docs} docs; {'+'.join(c.sources)}",
                    BUILD_DATE,
                ]
            )
    with (OUT / "provenance.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["term", "risk", "z", "docs_with_term", "docs_of_code", "other_docs_with_term", "datasets"])
        for c in rows:
            w.writerow([c.term, c.risk, c.z, c.docs, c.code_docs, c.other_docs, "+".join(c.sources)])
    fw = load_framework("tc260-2024-draft")
    report = check_b11_with_framework(
        read_library(OUT / "starter-keywords.csv"), fw, [BUILD_DATE], dt.date.fromisoformat(BUILD_DATE)
    )
    write_readme(report, doc_counts, benign, cands, fw)
    write_notice()
    print(f"{len(rows)} terms over {len(cands)} codes -> {OUT}")
    print(json.dumps(report.as_dict()["a_total"], ensure_ascii=False))


def write_readme(report, doc_counts: Counter, benign: int, cands, fw) -> None:
    d = report.as_dict()
    lines = [
        "# Starter keyword library (generated — do not edit)",
        "",
        "Built by `training/build_keywords.py` from permissively licensed public datasets (see `NOTICE.md`).",
        "Every term is a character n-gram (Chinese) or word / word pair (English) that occurs significantly",
        "more often in the documents of one risk code than in benign text and the other codes' text",
        "(weighted log-odds, informative Dirichlet prior; curation rules in",
        "`gaisafe_desktop/core/detect/keywords/suggest.py`). Its provenance is in `provenance.csv`.",
        "",
        "**It is a starting point, not a conforming library.** It is far below the 10,000 terms of",
        "B.1.1a and covers only the risk codes that open, permissively licensed, directly labelled data",
        "exists for. A.1.a, A.1.b and A.1.c have no such data at all (see `../shared/datasets/README.md`,",
        "coverage gaps); nothing was invented to fill them. Statistical terms also include topical words",
        "that are not harmful by themselves: review before use, and grow the library with",
        "`gaisafe keywords suggest --from YOUR_LABELLED_FILE`.",
        "",
        "Known weaknesses: some entries are word fragments that survived the word-likeness rule (for",
        "example 属于违 from 属于违法, 法手 from 非法手段) and some are topical rather than harmful (种族",
        "under A.2.a, 糖尿病 under A.4.a). Mark such entries `match=exact`, remove them, or add allow",
        "entries for your own text before relying on the library; the counts above include them.",
        "Measured on 2026-11-30 (`docs/keyword-engine.md`): 5.9 % of S-Eval's harmful Chinese prompts",
        "and 2.3 % of benign knowledge questions hit at least one term.",
        "",
        "## Coverage and B.1.1 report (as built)",
        "",
        f"- distinct normalised terms: **{d['a_total']['have']}** of {d['a_total']['required']} required"
        f" (short by {d['a_total']['shortfall']})",
        f"- benign background documents: {benign}",
        "- update history: one build, so B.1.1c (weekly updates) cannot be judged for the starter library itself",
        "",
        "| risk | name | labelled documents | terms | required | short by |",
        "|---|---|---|---|---|---|",
    ]
    for r in d["b_per_risk"]:
        name = fw.risk(r["code"]).name["en"]
        lines.append(
            f"| {r['code']} | {name} | {doc_counts.get(r['code'], 0)} | {r['have']} | {r['required']} | {r['shortfall']} |"
        )
    if d["other_codes"]:
        lines += ["", "Terms for risks outside B.1.1's 17 (A.3–A.5; useful for scanning, not counted by B.1.1b):", ""]
        lines += [
            f"- {k}: {v} terms from {doc_counts.get(k, 0)} documents" for k, v in sorted(d["other_codes"].items())
        ]
    lines += [
        "",
        "## Sources and how each category was used",
        "",
        "Only categories that map to one code unambiguously (PROVENANCE.md of each set) are used as that",
        "code's documents; benign knowledge questions are the background.",
        "",
        "| dataset | licence | used as |",
        "|---|---|---|",
        "| jailbench | MIT | seed questions of 21 level-2 categories → A.1.h, A.2.a–i, A.3.a–e, A.4.a/b/c/e/g (4 each; the jailbreak prompts repeat the seeds and are not used) |",
        "| cold | Apache-2.0 | offensive comments: race → A.2.a, region → A.2.d, gender → A.2.e; non-offensive → background |",
        "| xsafety (zh) | Apache-2.0 | Crimes → A.1.h, Physical harm / Mental health → A.4.a, Insult → A.4.c |",
        "| safetybench-zh-subset | MIT | Illegal activities → A.1.h, Physical / Mental health → A.4.a, Offensiveness → A.4.c (question text only) |",
        "| flames-1k | Apache-2.0 | Physical / Mental harm → A.4.a, Law violation → A.1.h |",
        "| multijail (zh) | MIT | rows whose every tag maps to one code: A.1.d, A.1.f, A.1.g, A.1.h, A.4.a, A.4.f |",
        "| chinese-safetyqa, halluqa, cvalues-responsibility-prompts | MIT / Apache-2.0 / Apache-2.0 | benign background |",
        "",
        "Not used: NC-licensed sets (s-eval, chineseharm-extra, alpaca), CC BY-SA sets (cbbq, to keep the",
        "library's licence simple), and categories with several candidate codes. English sets were tried",
        "(toxigen-demonstrations, openai-moderation, with xstest safe prompts as background) and left out:",
        "with a few hundred labelled English sentences and little benign English text the selected terms",
        "were group names (`trans people`, `mexicans`) and common words (`video`, `hands`, French",
        "function words from spam), which would flag ordinary text. English keywords have to come from a",
        "provider's own labelled data (`gaisafe keywords suggest`).",
        "",
    ]
    (OUT / "README.md").write_text("\n".join(lines), encoding="utf-8")


def write_notice() -> None:
    lines = [
        "# Third-party notices — starter keyword library",
        "",
        "The terms in `starter-keywords.csv` are short n-grams counted in the following datasets (staged",
        "copies with their licence texts and provenance are in the project's shared `datasets/` folder).",
        "",
    ]
    for name, lic in LICENCES.items():
        lines.append(f"- **{name}** — {lic}")
    lines += [
        "",
        "The traditional → simplified table in `../normalization/` is derived from OpenCC's",
        "`TSCharacters.txt` (Apache-2.0; `LICENSE-OpenCC-Apache-2.0.txt`).",
        "",
    ]
    (OUT / "NOTICE.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
