"""Screens whose core part has not landed in this build: shown, explained, with nothing clickable."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from gaisafe_desktop.core.i18n import N_, _
from gaisafe_desktop.ui.pages.base import Page, heading, wrapped


class PendingPage(Page):
    """A page that says what it will hold and that this build cannot do it yet."""

    def __init__(self, window, icon_name: str, title_msgid: str, what_msgid: str) -> None:
        super().__init__(window)
        self.icon_name = icon_name
        self._title = title_msgid
        self._what = what_msgid
        self.header = heading()
        self.what = wrapped()
        self.state = wrapped()
        self.state.setStyleSheet("color: #8a8f98;")
        lay = QVBoxLayout(self)
        lay.addWidget(self.header)
        lay.addWidget(self.what)
        lay.addWidget(self.state)
        lay.addStretch(1)
        self.retranslate()

    def title(self) -> str:
        return _(self._title)

    def retranslate(self) -> None:
        self.header.setText(self.title())
        self.what.setText(_(self._what))
        self.state.setText(_("This part of the application is not available in this build yet."))


ASSESSMENTS = (
    "assessments",
    N_("Assessments"),
    N_(
        "One card per check of Appendix B and 5.1 with verdict, rate, exact interval, sample size and a chart, "
        "with drill-down to the failing items."
    ),
)
