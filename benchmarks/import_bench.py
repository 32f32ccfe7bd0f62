"""Import benchmark: full import of a generated JSONL vs ``sqlite-utils insert --nl``; register-only RSS.

    nice /work/venv/bin/python benchmarks/import_bench.py                 # 1,000,000 records + 2 GB register pass
    nice /work/venv/bin/python benchmarks/import_bench.py --records 100000 --register-gb 0.2   # quick

Both imports run as child processes on the same generated file (Chinese and English texts, one
in ten records an exact duplicate); wall time and peak RSS (``ru_maxrss`` of the child) are
measured in the same run and printed with their ratio. Generated files go to ``benchmarks/.data/``
(git-ignored) and are deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"

ZH = (
    "生成式人工智能服务应当遵守法律法规尊重社会公德和伦理道德坚持社会主义核心价值观防止歧视"
    "提高透明度准确性可靠性训练数据来源合法知识产权个人信息保护安全评估语料标注内容审核"
    "用户权益未成年人模型输出拒答关键词抽检合格率风险类别数据安全网络安全应急处置投诉举报"
)
EN = (
    "the model should refuse harmful requests while remaining helpful for benign questions about science "
    "history cooking travel programming finance health law education weather sports music art language"
).split()


def _sentences(rng: np.random.Generator, n: int) -> list[str]:
    out = []
    for i in range(n):
        if i % 3 == 2:
            words = rng.choice(EN, size=int(rng.integers(8, 30)))
            out.append(" ".join(words).capitalize() + ".")
        else:
            idx = rng.integers(0, len(ZH), size=int(rng.integers(15, 60)))
            out.append("".join(ZH[j] for j in idx) + "。")
    return out


def generate(path: Path, records: int, seed: int = 7, target_bytes: int | None = None) -> int:
    """Write a JSONL corpus; returns the record count. Stops at ``target_bytes`` if given."""
    rng = np.random.default_rng(seed)
    pool = _sentences(rng, 40_000)
    written = 0
    n = 0
    recent: list[str] = []
    with open(path, "wb") as fh:
        while (target_bytes is None and n < records) or (target_bytes is not None and written < target_bytes):
            block = 50_000
            picks = rng.integers(0, len(pool), size=(block, 3))
            lines = []
            for k in range(block):
                if target_bytes is None and n >= records:
                    break
                a, b, c = picks[k]
                if n % 10 == 9 and recent:
                    text = recent[0]  # every tenth record repeats an earlier text exactly
                else:
                    text = pool[a] + pool[b] + pool[c]
                    recent = [text]
                lines.append(orjson.dumps({"id": n, "text": text, "lang": "zh" if ord(text[0]) > 127 else "en"}))
                n += 1
            data = b"\n".join(lines) + b"\n"
            fh.write(data)
            written += len(data)
    return n


def _poll_peak(pid: int, peak: list[int], stop: threading.Event) -> None:
    import psutil

    try:
        p = psutil.Process(pid)
        while not stop.is_set():
            peak[0] = max(peak[0], p.memory_info().rss)
            stop.wait(0.05)
    except psutil.Error:
        pass


def run_child(args: list[str]) -> tuple[float, float, str]:
    """Run a command; (seconds, peak RSS MB of that child sampled every 50 ms, stdout)."""
    t0 = time.perf_counter()
    peak = [0]
    stop = threading.Event()
    with tempfile.TemporaryFile() as errf, tempfile.TemporaryFile() as outf:
        proc = subprocess.Popen(args, stdout=outf, stderr=errf, cwd=ROOT)
        th = threading.Thread(target=_poll_peak, args=(proc.pid, peak, stop), daemon=True)
        th.start()
        proc.wait()
        dt = time.perf_counter() - t0
        stop.set()
        th.join()
        errf.seek(0)
        outf.seek(0)
        err, out = errf.read(), outf.read()
    if proc.returncode:
        raise SystemExit(f"{args[:3]} failed: {err.decode()[-2000:]}")
    return dt, peak[0] / 1e6, out.decode()


def vm_hwm_mb() -> float:
    """Peak resident memory of this process image (VmHWM, reset at exec, unlike ru_maxrss)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child_import(file: str, project: str, mode: str) -> None:
    """(child process) create a project and import ``file`` in ``mode``; print the summary as JSON."""
    sys.path.insert(0, str(ROOT))
    from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset
    from gaisafe_desktop.core.store import create_project

    proj = create_project(project, framework_id="tc260-2024-draft", provider="Bench", service="Bench", actor="bench")
    t0 = time.perf_counter()
    s = import_dataset(proj, ImportRequest(kind="training", paths=[file], name="bench", mode=mode))
    dt = time.perf_counter() - t0
    proj.close()
    out = s.to_dict() | {"inner_seconds": dt, "rss_mb": vm_hwm_mb()}
    out.pop("files")
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--register-gb", type=float, default=2.0)
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--skip-full", action="store_true", help="only the register-only pass")
    ap.add_argument("--child", nargs=3, metavar=("FILE", "PROJECT", "MODE"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child_import(*a.child)
        return
    DATA.mkdir(parents=True, exist_ok=True)
    corpus = DATA / "bench.jsonl"
    try:
        if not a.skip_full:
            full_import_vs_sqlite_utils(corpus, a.records)
        if a.register_gb > 0:
            register_pass(a.register_gb)
    finally:
        if not a.keep:
            for p in DATA.glob("*"):
                p.unlink()


def full_import_vs_sqlite_utils(corpus: Path, records: int) -> None:
    t0 = time.perf_counter()
    n = generate(corpus, records)
    size = corpus.stat().st_size
    print(f"generated {n:,} records, {size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")

    ref_db = DATA / "ref.db"
    ref_db.unlink(missing_ok=True)
    su = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent)) or "sqlite-utils"
    t_ref, rss_ref, _ = run_child([su, "insert", str(ref_db), "records", str(corpus), "--nl"])
    print(f"reference  sqlite-utils insert --nl : {t_ref:7.2f} s  {n / t_ref:10,.0f} rec/s  peak RSS {rss_ref:6.0f} MB")

    proj = DATA / "bench.gaisafe"
    for suffix in ("", "-wal", "-shm"):
        Path(str(proj) + suffix).unlink(missing_ok=True)
    t_ours, rss_ours, out = run_child([sys.executable, __file__, "--child", str(corpus), str(proj), "full"])
    info = json.loads(out.strip().splitlines()[-1])
    print(
        f"gaisafe    import data (full)       : {t_ours:7.2f} s  {n / t_ours:10,.0f} rec/s  peak RSS {rss_ours:6.0f} MB"
        f"  (records {info['records']:,}, duplicates {info['duplicates']:,}, quarantined {info['quarantined']})"
    )
    print(f"ratio (sqlite-utils time / gaisafe time): {t_ref / t_ours:.2f}x  (target >= 1.0x)")
    print(f"project file {proj.stat().st_size / 1e6:.0f} MB, sqlite-utils db {ref_db.stat().st_size / 1e6:.0f} MB")


def register_pass(gb: float) -> None:
    big = DATA / "big.jsonl"
    t0 = time.perf_counter()
    nb = generate(big, 0, seed=11, target_bytes=int(gb * 1e9))
    print(f"generated {nb:,} records, {big.stat().st_size / 1e9:.2f} GB in {time.perf_counter() - t0:.1f} s")
    rproj = DATA / "register.gaisafe"
    for suffix in ("", "-wal", "-shm"):
        Path(str(rproj) + suffix).unlink(missing_ok=True)
    t_reg, rss_reg, out = run_child([sys.executable, __file__, "--child", str(big), str(rproj), "register"])
    info = json.loads(out.strip().splitlines()[-1])
    print(
        f"gaisafe    register-only pass       : {t_reg:7.2f} s  {big.stat().st_size / 1e6 / t_reg:6.0f} MB/s"
        f"  peak RSS {info['rss_mb']:6.0f} MB VmHWM / {rss_reg:6.0f} MB sampled (target <= 300 MB)  records {info['records']:,}"
        f" duplicates {info['duplicates']:,}"
    )


if __name__ == "__main__":
    os.environ.setdefault("GAISAFE_ACTOR", "bench")
    main()
