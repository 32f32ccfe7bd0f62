"""The one font of every report: WenQuanYi Micro Hei, embedded as a subset.

It has TrueType outlines (reportlab's ``TTFont`` rejects CFF-outline fonts such as Noto CJK) and
covers Latin and CJK, so both editions use it and no glyph ever falls back to a box. The built-in
``STSong-Light`` CID font is never used: it is not embedded and shows boxes on readers without it.
"""

from __future__ import annotations

import functools

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from gaisafe_desktop.core.errors import NotFoundError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.resources import resource_path

FONT = "GaisafeWQYMicroHei"
FONT_FILE = ("fonts", "wqy-microhei", "wqy-microhei.ttc")


@functools.cache
def register_fonts() -> str:
    """Register the report font with reportlab once per process; returns its name."""
    path = resource_path(*FONT_FILE)
    if not path.is_file():
        raise NotFoundError(N_("The report font {file} is missing; reinstall the application."), file=str(path))
    pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    # One face for every style: reportlab must never silently substitute Helvetica for <b> or <i>.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FONT, bold, italic, FONT)
    return FONT


def string_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, register_fonts(), size)
