"""Extract the numbered and lettered requirement refs of sections 5–7 and Appendix B from the
English translation in ``../shared/standard/`` (test helper; the product never reads that file).

A ref is printed as the pack prints it: ``5.1 a) 1)``, ``6 e) 2)``, ``7 f)``, ``B.1.3 a) 1)``, ``B.1.4``.
Only leaves are returned: a lettered item with numbered sub-items is a heading, not a requirement.
"""

from __future__ import annotations

import re
from pathlib import Path

HEADING = re.compile(r"^(5\.[123]|6|7|B\.[12]\.[1-4]|B\.[12]) [A-Z]")
LETTER = re.compile(r"^[-—\s]*([a-z])\)\s")
NUMBER = re.compile(r"^[-—\s]*(\d)\)\s")
STANDARD = (
    Path(__file__).resolve().parents[3].parent / "shared" / "standard" / "basic-safety-requirements-draft-2024.en.txt"
)


def extract(text: str) -> list[str]:
    refs: list[str] = []
    head = letter = None
    inside = False
    for line in text.splitlines():
        line = line.rstrip()
        if line.startswith("5 Training Data Security Requirements"):
            inside = True
            continue
        if line.startswith("Appendix A"):
            inside = False
        if line.startswith("B.1 Key Safety"):
            inside = True
        if not inside:
            continue
        m = HEADING.match(line)
        if m:
            head, letter = m.group(1), None
            if head.count(".") == 2 and head.startswith("B"):
                refs.append(head)  # B.1.4 has no lettered points; its parent entry is removed below if it has
            continue
        if head in (None, "5"):
            continue
        m = LETTER.match(line)
        if m:
            letter = m.group(1)
            refs.append(f"{head} {letter})")
            continue
        m = NUMBER.match(line)
        if m and letter:
            refs.append(f"{head} {letter}) {m.group(1)})")
    if "6" not in [r.split()[0] for r in refs]:
        raise AssertionError("section 6 not found: the text layout changed")
    leaves = [r for r in refs if not any(o != r and o.startswith(r + " ") for o in refs)]
    return list(dict.fromkeys(leaves))


if __name__ == "__main__":
    print("\n".join(extract(STANDARD.read_text(encoding="utf-8"))))
