"""The documented normalisation rule, restated independently of the engine for the tests."""

from __future__ import annotations

import unicodedata

from gaisafe_desktop.core.detect.keywords.normalize import t2s_table


def spec_char(ch: str) -> str:
    """Independent restatement of the documented rule, used as the reference."""
    t2s = t2s_table()

    def noise(c: str) -> bool:
        cat = unicodedata.category(c)
        return cat[0] in "PZSC" or cat in ("Mn", "Me")

    out = ch
    for _ in range(4):
        nxt = "".join(t2s.get(c, c) for c in unicodedata.normalize("NFKC", out).casefold())
        nxt = "".join(c for c in nxt if not noise(c))
        if nxt == out:
            break
        out = nxt
    return "" if all(noise(c) for c in out) else out
