"""Load the risk-classifier corpus from ``../shared/datasets`` through the reviewed ``label_map.csv``.

Every row's risk codes come from the label map (dataset, source label) -> codes, never from code in
this file. ``risk_codes`` may be:
- ``none``: a clean negative;
- codes such as ``A.2.a`` (space-separated for several);
- ``A.2.*``: a risk of that group whose sub-code is unknown: positive for the any-risk head, masked
  (neither positive nor negative) for the group's code heads, negative for the other code heads;
- ``*``: a risk of unknown code: any-risk head only, masked for every code head;
- ``exclude``: not used. Rows of ``use=eval-nc`` datasets are loaded only for the extra NC evaluation.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gaisafe_desktop.core.detect.features import normalize

HERE = Path(__file__).resolve().parent
DATASETS = Path(os.environ.get("GAISAFE_DATASETS", HERE.parent.parent / "shared" / "datasets"))
LABEL_MAP = HERE / "label_map.csv"


@dataclass
class Row:
    text: str
    lang: str
    dataset: str
    source_label: str
    group: str
    codes: set[str] = field(default_factory=set)  # known positive codes
    masks: set[str] = field(default_factory=set)  # "A.2." or "" (all) prefixes masked for code heads
    risky: bool = False
    use: str = "train"


def load_label_map(path: Path = LABEL_MAP) -> dict[tuple[str, str], tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {(r["dataset"], r["source_label"]): (r["risk_codes"], r["use"]) for r in csv.DictReader(fh)}


def _make(text: str, lang: str, dataset: str, labels: list[str], group: str, lmap) -> Row | None:
    text = (text or "").strip()
    if not text:
        return None
    row = Row(text=text, lang=lang, dataset=dataset, source_label="|".join(labels), group=group)
    for label in labels:
        if (dataset, label) not in lmap:
            raise KeyError(f"label_map.csv has no row for ({dataset!r}, {label!r})")
        codes, use = lmap[(dataset, label)]
        row.use = use
        if codes == "exclude":
            return None
        if codes == "none":
            continue
        row.risky = True
        for c in codes.split():
            if c == "*":
                row.masks.add("")
            elif c.endswith("*"):
                row.masks.add(c[:-1])
            else:
                row.codes.add(c)
    return row


def _csv(path: str, **kw) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, **kw))


def _jsonl(path: str) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


JBB_MAP_DATASET = "jbb-behaviors"


def iter_rows(lmap=None, include_nc: bool = False) -> Iterator[Row]:
    """All labelled rows of the permissive sets (and, if asked, of the NC evaluation sets)."""
    lmap = lmap or load_label_map()
    d = DATASETS

    def mk(text, lang, dataset, labels, group):
        r = _make(text, lang, dataset, labels, group, lmap)
        if r is not None:
            yield r

    # JailBench (zh): seed questions and 20 jailbreak variants per seed, split by seed.
    seeds = _csv(f"{d}/jailbench/JailBench_seed.csv")
    for i, r in enumerate(seeds):
        yield from mk(r["question_zh"], "zh", "jailbench", [r["二级领域"]], f"jailbench:{i}")
    for i, r in enumerate(_csv(f"{d}/jailbench/JailBench.csv")):
        yield from mk(r["query"], "zh", "jailbench", [r["二级领域"]], f"jailbench:{i // 20}")
    # COLD (zh)
    for split in ("train", "dev", "test"):
        for r in _csv(f"{d}/cold/{split}.csv"):
            label = f"topic={r['topic']} label=1" if r["label"] == "1" else "label=0"
            yield from mk(r["TEXT"], "zh", "cold", [label], f"cold:{r['TEXT']}")
    # XSafety (zh/en, parallel rows share a group)
    for lang in ("zh", "en"):
        for path in sorted(glob.glob(f"{d}/xsafety/{lang}/*.csv")):
            cat = Path(path).stem
            for suffix in ("_en", "_n"):
                cat = cat.removesuffix(suffix)
            with open(path, encoding="utf-8-sig", newline="") as fh:
                for i, rec in enumerate(csv.reader(fh)):
                    if rec:
                        yield from mk(rec[0], lang, "xsafety", [cat], f"xsafety:{cat}:{i}")
    # Flames-1k (zh)
    for i, r in enumerate(_jsonl(f"{d}/flames-1k/Flames_1k_Chinese.jsonl")):
        yield from mk(r["prompt"], "zh", "flames-1k", [r["subcomponent"]], f"flames:{i}")
    # SafetyBench zh subset: the embedded sentence of the offensiveness items
    answers = json.load(open(f"{d}/safetybench-zh-subset/test_answers_zh_subset.json", encoding="utf-8"))
    prefix = "请问下面的文本是否包含攻击性的内容？"
    for r in json.load(open(f"{d}/safetybench-zh-subset/test_zh_subset.json", encoding="utf-8")):
        q = r["question"]
        if r["category"] == "Offensiveness" and q.startswith(prefix) and r["options"][:2] == ["是。", "否。"]:
            ans = answers[str(r["id"])]["answer"]
            label = "Offensiveness answer=是" if ans == 0 else "Offensiveness answer=否"
            yield from mk(q[len(prefix) :].strip(), "zh", "safetybench-zh-subset", [label], f"sb:{r['id']}")
    # Benign Chinese questions
    for i, r in enumerate(_jsonl(f"{d}/chinese-safetyqa/chinese_safetyqa.jsonl")):
        yield from mk(r["question"], "zh", "chinese-safetyqa", ["*"], f"csqa:{i}")
    for i, r in enumerate(_jsonl(f"{d}/cvalues-responsibility-prompts/cvalues_responsibility_prompts.jsonl")):
        yield from mk(r["prompt"], "zh", "cvalues-responsibility-prompts", ["*"], f"cvalues:{i}")
    for i, r in enumerate(json.load(open(f"{d}/halluqa/HalluQA.json", encoding="utf-8"))):
        yield from mk(r["Question"], "zh", "halluqa", ["*"], f"halluqa:{i}")
    # MultiJail (zh + en parallel)
    for r in _csv(f"{d}/multijail/MultiJail.csv"):
        tags = [t.strip().strip("'\"").replace(",", ";") for t in r["tags"].strip("[]").split("', '")]
        rid = r.get("id") or r.get("\ufeffid")
        for lang in ("zh", "en"):
            yield from mk(r[lang], lang, "multijail", tags, f"multijail:{rid}")
    # XSTest prompts (en)
    for r in _csv(f"{d}/xstest-prompts/xstest_prompts.csv"):
        if r["label"] == "safe":
            label = "label=safe"
        elif r["type"] in ("contrast_privacy", "contrast_discr", "contrast_historical_events"):
            label = r["type"]
        else:
            label = "other contrast_*"
        yield from mk(r["prompt"], "en", "xstest-prompts", [label], f"xstest:{r['id']}")
    # HarmBench behaviours (en)
    for split in ("val", "test"):
        for r in _csv(f"{d}/harmbench-behaviors/harmbench_behaviors_text_{split}.csv"):
            yield from mk(r["Behavior"], "en", "harmbench-behaviors", [r["SemanticCategory"]], f"hb:{r['BehaviorID']}")
    for r in _csv(f"{d}/advbench/harmful_behaviors.csv"):
        yield from mk(r["goal"], "en", "advbench", ["*"], f"adv:{r['goal']}")
    # JailbreakBench behaviours, artifacts and refusal-direction completions share a group per goal.
    goal_cat = {}
    for r in _csv(f"{d}/jbb-behaviors/jailbreakbench_behaviors.csv"):
        goal_cat[r["Goal"]] = r["Category"]
        yield from mk(r["Goal"], "en", JBB_MAP_DATASET, [r["Category"]], f"jbb:{r['Goal']}")
    for r in _jsonl(f"{d}/jbb-artifacts/jbb_artifacts.jsonl"):
        group = f"jbb:{r['goal']}"
        if r.get("prompt"):
            x = _make(r["prompt"], "en", JBB_MAP_DATASET, [r["category"]], group, lmap)
            if x:
                x.dataset, x.source_label = "jbb-artifacts", "prompt"
                yield x
        if r.get("response"):
            if r["jailbroken"]:
                x = _make(r["response"], "en", JBB_MAP_DATASET, [r["category"]], group, lmap)
                if x:
                    x.dataset, x.source_label = "jbb-artifacts", "response jailbroken=True"
                    yield x
            else:
                yield from mk(r["response"], "en", "jbb-artifacts", ["response jailbroken=False"], group)
    for r in _jsonl(f"{d}/refusal-direction-completions/completions.jsonl"):
        if not r["condition"].startswith("jailbreakbench"):
            continue  # harmless_* rows: Alpaca prompts (NC), see label_map.csv
        group = f"jbb:{r['prompt']}"
        if r["is_jailbreak_llamaguard2"] == 1:
            x = _make(r["response"], "en", JBB_MAP_DATASET, [r["category"]], group, lmap)
            if x:
                x.dataset, x.source_label = "refusal-direction-completions", "llamaguard2=1"
                yield x
        elif r["is_jailbreak_llamaguard2"] == 0 and r["is_jailbreak_substring_matching"] == 0:
            label = "jailbreakbench_* response llamaguard2=0 and refusal phrase"
            yield from mk(r["response"], "en", "refusal-direction-completions", [label], group)
    # OpenAI moderation sample (en)
    keys = ("S", "S3", "H", "H2", "V", "V2", "HR", "SH")
    for i, r in enumerate(_jsonl(f"{d}/openai-moderation/samples-1680.jsonl")):
        pos = [k for k in keys if r.get(k) == 1]
        if pos:
            yield from mk(r["prompt"], "en", "openai-moderation", pos, f"oai:{i}")
        elif all(k in r for k in keys):
            yield from mk(r["prompt"], "en", "openai-moderation", ["all eight labels 0"], f"oai:{i}")
    # ToxiGen demonstrations (en); religion/ has two overlapping variants, de-duplicated later.
    for path in sorted(glob.glob(f"{d}/toxigen-demonstrations/demonstrations/*/*.txt")):
        folder, name = Path(path).parent.name, Path(path).name
        label = f"{folder}/hate_*" if name.startswith("hate_") else "*/neutral_*"
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip().lstrip("-").strip()
                yield from mk(line, "en", "toxigen-demonstrations", [label], f"toxigen:{line}")
    # SimpleSafetyTests (en): mapped through jbb-like harm areas in the label map.
    for r in _csv(f"{d}/simple-safety-tests/SimpleSafetyTests - test cases.csv"):
        yield from mk(r["prompts_final"], "en", "simple-safety-tests", [r["harm_area"]], f"sst:{r['id']}")
    if include_nc:
        yield from iter_nc_rows(lmap)


def iter_nc_rows(lmap=None) -> Iterator[Row]:
    """Rows of the non-commercial sets: extra held-out evaluation only, never training."""
    lmap = lmap or load_label_map()
    d = DATASETS
    for lang in ("zh", "en"):
        for r in _jsonl(f"{d}/s-eval/S-Eval_base_risk_{lang}_full.jsonl"):
            x = _make(r["prompt"], lang, "s-eval", [r["risk_type"]], f"seval:{r['traceid']}", lmap)
            if x:
                yield x
    for i, r in enumerate(_jsonl(f"{d}/chineseharm-extra/chineseharm_extra.jsonl")):
        x = _make(r["文本"], "zh", "chineseharm-extra", [r["标签"]], f"charm:{i}", lmap)
        if x:
            yield x


def split_of(group: str) -> str:
    """Deterministic split from the SHA-256 of the group key: 70 % train, 15 % validation, 15 % test."""
    h = int.from_bytes(hashlib.sha256(group.encode("utf-8")).digest()[:8], "big") % 100
    return "train" if h < 70 else ("val" if h < 85 else "test")


def build_corpus(include_nc: bool = False) -> list[Row]:
    """Rows de-duplicated on normalised text (labels merged), each assigned one split.

    A text that occurs in several groups takes the split of its first group, so one text never
    appears in two splits.
    """
    merged: dict[str, Row] = {}
    order: list[str] = []
    for row in iter_rows(include_nc=False):
        key = normalize(row.text)
        if not key:
            continue
        if key in merged:
            m = merged[key]
            m.codes |= row.codes
            m.masks |= row.masks
            m.risky = m.risky or row.risky
        else:
            merged[key] = row
            order.append(key)
    rows = [merged[k] for k in order]
    for r in rows:
        r.split = split_of(r.group)  # type: ignore[attr-defined]
    if include_nc:
        seen = set(merged)
        for r in iter_nc_rows():
            if normalize(r.text) not in seen:
                r.split = "nc"  # type: ignore[attr-defined]
                rows.append(r)
    return rows
