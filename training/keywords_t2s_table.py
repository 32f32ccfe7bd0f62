"""Derive the committed traditional→simplified single-character table from OpenCC's data.

Reads ``TSCharacters.txt`` shipped inside the installed ``opencc-python-reimplemented`` package
(Apache-2.0, data from the OpenCC project) and writes
``resources/keywords/normalization/t2s-characters.tsv``: one ``traditional<TAB>simplified`` line per
character whose first candidate differs from itself. Only single code point → single code point
mappings are kept, because the keyword normaliser maps one character at a time. Run:

    /work/venv/bin/python training/keywords_t2s_table.py
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "keywords" / "normalization" / "t2s-characters.tsv"


def main() -> None:
    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install opencc-python-reimplemented (development only)")
    src = Path(list(spec.submodule_search_locations)[0]) / "dictionary" / "TSCharacters.txt"
    rows = []
    for line in src.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        trad, cands = line.split("\t", 1)
        simp = cands.split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            rows.append((trad, simp))
    rows.sort()
    header = "# traditional\tsimplified — derived from OpenCC TSCharacters.txt (Apache-2.0), first candidate only\n"
    OUT.write_text(header + "".join(f"{t}\t{s}\n" for t, s in rows), encoding="utf-8")
    print(f"{len(rows)} mappings -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
