"""Write ``requirements.lock`` (every wheel pinned by name, version and SHA-256) and ``SHA256SUMS`` for a
wheelhouse folder, so the offline install runs in pip's hash-checking mode and IT can verify the copy.

    python installers/wheelhouse/lock_wheelhouse.py WHEELHOUSE
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[0])
    wheels = sorted(folder.glob("*.whl"))
    if not wheels:
        print(f"error: no wheels in {folder}", file=sys.stderr)
        return 3
    pins: dict[str, list[str]] = {}
    versions: dict[str, str] = {}
    sums = []
    for wheel in wheels:
        digest = sha256(wheel)
        sums.append(f"{digest}  {wheel.name}")
        name, version = wheel.name.split("-")[:2]
        key = name.lower().replace("_", "-")
        if key in versions and versions[key] != version:
            print(f"error: two versions of {key} in {folder}: {versions[key]} and {version}", file=sys.stderr)
            return 4
        versions[key] = version
        pins.setdefault(key, []).append(digest)  # one project may have wheels for several platforms
    lines = [
        "# GAISafe Desktop offline install: every wheel of this folder, pinned by SHA-256.",
        "# pip install --no-index --find-links . --require-hashes -r requirements.lock",
    ]
    for key in sorted(pins):
        hashes = " ".join(f"--hash=sha256:{d}" for d in pins[key])
        lines.append(f"{key}=={versions[key]} {hashes}")
    (folder / "requirements.lock").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    print(f"{folder / 'requirements.lock'}: {len(pins)} projects, {len(wheels)} wheels")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
