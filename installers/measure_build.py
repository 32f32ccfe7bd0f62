"""Measure the frozen build: time and size of build.spec as shipped against the same spec with nothing left
out (GAISAFE_FULL_QT=1), both built in this run, and where the difference comes from.

    python installers/measure_build.py [--reuse DIST_SMALL DIST_FULL]
    python installers/measure_build.py --startup DIST/gaisafe      # start-up, frozen vs. source

Without --reuse both variants are built in a temporary folder (about 3 + 10 minutes on 2 busy cores).
Prints a table for docs/PERFORMANCE.md ("Frozen build").
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUPS = {  # component -> path prefixes under _internal/
    "PySide6 (Qt)": ("PySide6/",),
    "pyarrow": ("pyarrow/", "libarrow", "libparquet"),
    "scipy (optional imports)": ("scipy/", "scipy.libs/"),
    "onnxruntime": ("onnxruntime/",),
    "numpy": ("numpy/", "numpy.libs/"),
    "pandas": ("pandas/",),
    "resources + models": ("resources/", "bundled_models/"),
}


def build(dist: Path, work: Path, full: bool) -> float:
    env = dict(os.environ, GAISAFE_FULL_QT="1" if full else "0")
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "ERROR",
            "--workpath",
            str(work),
            "--distpath",
            str(dist),
            str(ROOT / "build.spec"),
        ],
        check=True,
        env=env,
        cwd=ROOT,
    )
    return time.perf_counter() - t0


def sizes(app: Path) -> tuple[int, int, dict[str, int]]:
    internal = app / "_internal"
    total, files, groups = 0, 0, dict.fromkeys([*GROUPS, "other"], 0)
    for p in app.rglob("*"):
        if p.is_file() and not p.is_symlink():
            size = p.stat().st_size
            total += size
            files += 1
            rel = p.relative_to(internal).as_posix() if internal in p.parents else p.name
            for name, prefixes in GROUPS.items():
                if rel.startswith(prefixes):
                    groups[name] += size
                    break
            else:
                groups["other"] += size
    return total, files, groups


def startup(app: Path, runs: int = 5) -> None:
    """Median wall time of two short commands, frozen against the source tree (the reference)."""
    import statistics

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")

    def median(cmd: list[str]) -> float:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env, cwd=ROOT, check=True)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    for args in (["--version"], ["selftest", "--list"]):
        src = median([sys.executable, "-m", "gaisafe_desktop.cli", *args])
        frozen = median([str(app / "gaisafe"), *args])
        print(f"gaisafe {' '.join(args)}: source {src:.2f} s, frozen {frozen:.2f} s, ratio {frozen / src:.2f}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--startup"]:
        startup(Path(argv[1]))
        return 0
    times = {}
    if argv[:1] == ["--reuse"]:
        small, full = Path(argv[1]), Path(argv[2])
    else:
        tmp = Path(tempfile.mkdtemp(prefix="gaisafe-measure-"))
        times["full"] = build(tmp / "full", tmp / "wfull", True)
        times["small"] = build(tmp / "small", tmp / "wsmall", False)
        small, full = tmp / "small" / "gaisafe", tmp / "full" / "gaisafe"
    s_total, s_files, s_groups = sizes(small)
    f_total, f_files, f_groups = sizes(full)
    mib = 2**20
    print("| component | nothing left out (MiB) | as shipped (MiB) | saved (MiB) |")
    print("|---|---|---|---|")
    for name in [*GROUPS, "other"]:
        print(
            f"| {name} | {f_groups[name] / mib:.0f} | {s_groups[name] / mib:.0f} | "
            f"{(f_groups[name] - s_groups[name]) / mib:.0f} |"
        )
    print(
        f"| **total** | **{f_total / mib:.0f}** ({f_files} files) | **{s_total / mib:.0f}** ({s_files} files) | "
        f"**{(f_total - s_total) / mib:.0f}** |"
    )
    print(f"size ratio shipped/full: {s_total / f_total:.2f}")
    if times:
        print(
            f"build time: full {times['full']:.0f} s, shipped {times['small']:.0f} s, "
            f"ratio {times['small'] / times['full']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
