"""Translations for every user-visible string (gettext, no Qt).

Mark strings with ``_()`` where they are shown and ``N_()`` where they are only defined (the
text is translated later, e.g. error message ids). English is the source language. Catalogues live
in ``resources/locale/<lang>/LC_MESSAGES/<domain>.po`` with compiled ``.mo`` beside them; every
domain of a language is loaded and chained, so each part of the app keeps its own catalogue.
``scripts/i18n.py`` lists missing strings and compiles catalogues; a test fails when a Chinese
translation is missing or a ``.mo`` is stale.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import locale
import os
import threading
from collections.abc import Iterator

SUPPORTED = ("zh", "en")
_GETTEXT_LANG = {"zh": "zh_CN", "en": "en"}
_current = "en"
_local = threading.local()  # per-thread override, see using_language()


def N_(message: str) -> str:
    """Mark a string for translation without translating it now."""
    return message


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    from gaisafe_desktop.core.resources import resource_path

    folder = resource_path("locale", _GETTEXT_LANG[lang], "LC_MESSAGES")
    chain: gettext.NullTranslations = gettext.NullTranslations()
    if folder.is_dir():
        for mo in sorted(folder.glob("*.mo")):
            with mo.open("rb") as fh:
                t = gettext.GNUTranslations(fh)
            t.add_fallback(chain)
            chain = t
    return chain


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    lang = get_language()
    if lang == "en":
        return message
    return _translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count."""
    lang = get_language()
    if lang == "en":
        return singular if n == 1 else plural
    return _translations(lang).ngettext(singular, plural, n)


def translate_to(lang: str, message: str) -> str:
    """Translate ``message`` into ``lang`` without changing the current language (for reports)."""
    lang = normalize_language(lang)
    return message if lang == "en" else _translations(lang).gettext(message)


def normalize_language(lang: str | None) -> str:
    """Map ``zh_CN``, ``zh-Hans``, ``en_US.UTF-8`` … to ``zh`` or ``en``."""
    if not lang:
        return "en"
    lang = lang.lower().replace("-", "_")
    return "zh" if lang.startswith("zh") else "en"


def system_language() -> str:
    """The language the system locale asks for: ``zh`` for a Chinese locale, else ``en``."""
    for var in ("GAISAFE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return normalize_language(value)
    try:
        return normalize_language(locale.getlocale()[0])
    except ValueError:
        return "en"


def set_language(lang: str) -> None:
    """Switch the language of every later ``_()`` call."""
    global _current
    lang = normalize_language(lang)
    if lang not in SUPPORTED:
        lang = "en"
    _current = lang


def get_language() -> str:
    """The language of this thread: its :func:`using_language` override, else the app's language."""
    return getattr(_local, "lang", None) or _current


@contextlib.contextmanager
def using_language(lang: str) -> Iterator[None]:
    """Translate into ``lang`` in this thread only (e.g. a report edition built in a worker thread),
    leaving the language the rest of the app shows unchanged."""
    before = getattr(_local, "lang", None)
    _local.lang = normalize_language(lang)
    try:
        yield
    finally:
        _local.lang = before


def localized(value: dict[str, str] | str, lang: str | None = None) -> str:
    """Pick the ``zh``/``en`` text of a bilingual data value (framework packs, manifests)."""
    if isinstance(value, str):
        return value
    lang = lang or get_language()
    return value.get(lang) or value.get("en") or next(iter(value.values()), "")
