"""Technical check (B.2.1 b) benchmark: the whole check over a generated JSONL corpus vs ``json.loads``.

    nice /work/venv/bin/python benchmarks/technical_check_bench.py             # 1 GB corpus
    nice /work/venv/bin/python benchmarks/technical_check_bench.py --gb 0.05   # quick

A corpus of Chinese and English records ``{"id", "text"}`` is generated into ``benchmarks/.data/``
(git-ignored); 1% of the records carry a term of the shipped starter keyword library. Each step
runs in a child process on the same file, so peak RSS (``ru_maxrss``) is the step's own:

1. reference: read the file and ``json.loads`` every line;
2. register the file as a training-data source (hash, parse, map, content hashes; not part of the
   check, shown for context);
3. the technical check: plan and draw exactly ⌈10% × N⌉ records (seed logged first; one streaming
   pass), then stream the file again, normalise and keyword-scan and classify the sampled records
   in two worker processes, and store the result with its unqualified items.

Ratios are against the reference measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
sys.path.insert(0, str(ROOT))

ZH = (
    "生成式人工智能服务应当遵守法律法规尊重社会公德和伦理道德坚持社会主义核心价值观防止歧视"
    "提高透明度准确性可靠性训练数据来源合法知识产权个人信息保护安全评估语料标注内容审核"
    "用户权益未成年人模型输出拒答关键词抽检合格率风险类别数据安全网络安全应急处置投诉举报"
)
EN = "the model should answer benign questions about science history cooking travel programming law".split()


def generate(path: Path, target_bytes: int, seed: int = 11) -> int:
    from gaisafe_desktop.core.detect.keywords.formats import read_library
    from gaisafe_desktop.core.resources import resource_path

    terms = [
        e.term
        for e in read_library(resource_path("keywords", "starter", "starter-keywords.csv"))
        if e.kind == "term" and "&" not in e.term and "~" not in e.term
    ]
    rng = np.random.default_rng(seed)
    pool = []
    for i in range(20_000):
        if i % 3 == 2:
            pool.append(" ".join(rng.choice(EN, size=int(rng.integers(8, 30)))).capitalize() + ".")
        else:
            pool.append("".join(ZH[j] for j in rng.integers(0, len(ZH), size=int(rng.integers(15, 60)))) + "。")
    n = written = 0
    with open(path, "wb") as fh:
        while written < target_bytes:
            picks = rng.integers(0, len(pool), size=(20_000, 3))
            marks = rng.random(20_000) < 0.01
            tpick = rng.integers(0, len(terms), size=20_000)
            lines = []
            for k in range(20_000):
                a, b, c = picks[k]
                text = pool[a] + (terms[tpick[k]] if marks[k] else "") + pool[b] + pool[c]
                lines.append(orjson.dumps({"id": n, "text": text}))
                n += 1
            data = b"\n".join(lines) + b"\n"
            fh.write(data)
            written += len(data)
    return n


def child_reference(path: str) -> dict:
    t = time.perf_counter()
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            json.loads(line)
            n += 1
    return {"seconds": time.perf_counter() - t, "records": n}


def child_check(path: str, project_path: str) -> dict:
    from gaisafe_desktop.core.assess.samples import ensure_plan
    from gaisafe_desktop.core.assess.technical import assess_training_technical
    from gaisafe_desktop.core.detect.keywords.versions import import_library_version
    from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source
    from gaisafe_desktop.core.resources import resource_path
    from gaisafe_desktop.core.store import create_project

    p = create_project(
        project_path, framework_id="tc260-2024-draft", provider="bench", service="bench", actor="bench", overwrite=True
    )
    t0 = time.perf_counter()
    save_source(p, "corpus", origin="domestic", source_type="self_collected")
    import_dataset(p, ImportRequest(kind="training", paths=[path], name="corpus", source="corpus", mode="register"))
    import_library_version(p, resource_path("keywords", "starter", "starter-keywords.csv"), library="starter")
    t1 = time.perf_counter()
    ensure_plan(p, "training_technical", [1], "10%", nonce="bench nonce")  # what the check does first
    t2 = time.perf_counter()
    _run, (res,) = assess_training_technical(p, workers=2)  # reuses the drawn plan
    t3 = time.perf_counter()
    p.close()
    return {
        "register_seconds": t1 - t0,
        "draw_seconds": t2 - t1,
        "check_seconds": t3 - t1,
        "n": res.verdict.n,
        "qualified": res.verdict.count,
        "items": len(res.items),
        "verdict": res.verdict.verdict,
    }


def run_child(*args: str) -> tuple[dict, int]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data, data.pop("rss_kb")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gb", type=float, default=1.0, help="corpus size in GB (10^9 bytes)")
    ap.add_argument("--child", nargs="+")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument(
        "--data", type=Path, default=DATA, help="folder for the generated corpus (default benchmarks/.data)"
    )
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        data = child_reference(*rest) if kind == "reference" else child_check(*rest)
        # the larger of this process and its worker processes (the check's two spawned workers)
        data["rss_kb"] = max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        )
        print(json.dumps(data))
        return
    args.data.mkdir(parents=True, exist_ok=True)
    path = args.data / "technical-corpus.jsonl"
    proj = args.data / "technical-bench.gaisafe"
    t = time.perf_counter()
    n = generate(path, int(args.gb * 1e9))
    size = path.stat().st_size
    print(
        f"corpus: {n:,} records, {size / 1e6:,.0f} MB, generated in {time.perf_counter() - t:.0f} s; "
        f"cores={os.cpu_count()}, load {os.getloadavg()[0]:.1f}"
    )
    ref, ref_rss = run_child("--child", "reference", str(path))
    chk, chk_rss = run_child("--child", "check", str(path), str(proj))
    mb = size / 1e6
    r = ref["seconds"]
    print(
        f"reference json.loads per line : {r:8.1f} s  {mb / r:6.1f} MB/s  {n / r:10,.0f} records/s  "
        f"peak RSS {ref_rss / 1024:.0f} MB  (1x)"
    )
    s = chk["register_seconds"]
    print(f"register-only import (context) : {s:8.1f} s  {mb / s:6.1f} MB/s  {n / s:10,.0f} records/s  ({s / r:.1f}x)")
    c = chk["check_seconds"]
    print(
        f"technical check (draw + check) : {c:8.1f} s  {mb / c:6.1f} MB/s  {n / c:10,.0f} records/s  "
        f"peak RSS {chk_rss / 1024:.0f} MB  ({c / r:.1f}x the reference)"
    )
    print(f"  of which plan + draw {chk['draw_seconds']:.1f} s; stream, check, store {c - chk['draw_seconds']:.1f} s")
    print(
        f"  sampled and checked {chk['n']:,} records ({chk['n'] / c:,.0f}/s), {chk['n'] - chk['qualified']:,} "
        f"unqualified, verdict {chk['verdict']}"
    )
    if not args.keep:
        path.unlink()
        for suffix in ("", "-wal", "-shm"):
            Path(str(proj) + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
