"""A problem found by a verifier: an untranslated message id, its parameters and the file concerned.

Verifiers collect problems instead of raising, so a regulator sees *every* thing that is wrong at
once; the message is translated when shown (``message()``), in either language (``message("zh")``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gaisafe_desktop.core.i18n import _, translate_to


@dataclass(frozen=True)
class Problem:
    """One thing wrong. ``path`` names the file (or archive member) concerned, if any."""

    msgid: str
    params: dict[str, object] = field(default_factory=dict)
    path: str = ""
    code: str = ""

    def message(self, lang: str | None = None) -> str:
        text = _(self.msgid) if lang is None else translate_to(lang, self.msgid)
        try:
            text = text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            text = self.msgid.format(**self.params)
        return f"{self.path}: {text}" if self.path else text

    def __str__(self) -> str:
        return self.message()

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "path": self.path, "message": self.message(), "message_en": self.message("en")}
