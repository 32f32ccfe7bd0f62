"""Type-ahead risk-code picker: codes and names in both languages, keyboard only."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gaisafe_desktop.core.i18n import _

_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Tab}


class _Line(QLineEdit):
    """Keeps Enter, Esc and the arrows from the window's shortcuts while the picker is open."""

    keyed = Signal(int)

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.ShortcutOverride and e.key() in _KEYS:
            e.accept()
            return True
        if e.type() == QEvent.Type.KeyPress and e.key() == Qt.Key.Key_Tab:  # not focus navigation here
            self.keyed.emit(Qt.Key.Key_Tab)
            return True
        return super().event(e)

    def keyPressEvent(self, e) -> None:
        if e.key() in _KEYS:
            self.keyed.emit(e.key())
            return
        super().keyPressEvent(e)


class RiskPicker(QWidget):
    """Type a code (``A.2``) or part of a name in Chinese or English; Enter picks the highlighted risk."""

    picked = Signal(list)  # the chosen risk codes
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.risks: list[tuple[str, str, str]] = []  # code, zh, en
        self.order: list[int] = []  # indexes of the matching risks, best first
        self.pos = 0
        self.label = QLabel()
        self.line = _Line()
        self.list = QListWidget()
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setMaximumHeight(220)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.line)
        lay.addWidget(self.list)
        self.line.textChanged.connect(self._filter)
        self.line.keyed.connect(self._key)
        self.list.itemActivated.connect(lambda it: self.picked.emit([*self.chosen, self.risks[self.list.row(it)][0]]))
        self.chosen: list[str] = []
        self.chosen_label = QLabel()
        lay.insertWidget(1, self.chosen_label)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(
            _(
                "Risk code: type a code or part of its name (中文 or English); Tab adds one more, Enter picks, "
                "Esc cancels"
            )
        )
        self.line.setPlaceholderText(_("e.g. A.2.a, 暴力, violence"))

    def set_risks(self, risks) -> None:
        # Items are made once and filtered by hiding: re-creating list items on every key press
        # tripped a reference-count bug in PySide6 6.12 after a few thousand decisions.
        risks = [(r.code, r.name["zh"], r.name["en"]) for r in risks]
        if risks != self.risks:
            self.risks = risks
            self.list.clear()
            for code, zh, en in risks:
                self.list.addItem(QListWidgetItem(f"{code}  {zh} / {en}"))
        self._filter(self.line.text())

    def open(self) -> None:
        self.chosen = []
        self.chosen_label.setText("")
        self.line.clear()
        self._filter("")
        self.show()
        self.line.setFocus()

    def matches(self, text: str) -> list[tuple[str, str, str]]:
        t = text.strip().lower()
        if not t:
            return list(self.risks)
        starts = [r for r in self.risks if r[0].lower().startswith(t)]
        rest = [r for r in self.risks if r not in starts and (t in r[1].lower() or t in r[2].lower())]
        return starts + rest

    def _filter(self, text: str) -> None:
        self.order = [self.risks.index(r) for r in self.matches(text)]
        shown = set(self.order)
        for i in range(self.list.count()):
            self.list.item(i).setHidden(i not in shown)
        self.pos = 0
        self._select()

    def _select(self) -> None:
        if self.order:
            self.list.setCurrentRow(self.order[self.pos])
        else:
            self.list.setCurrentRow(-1)

    def current_code(self) -> str | None:
        """The risk Enter would pick: the best match, or the one moved to with the arrows."""
        return self.risks[self.order[self.pos]][0] if self.order else None

    def _key(self, key: int) -> None:
        if key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            pos = self.pos + (1 if key == Qt.Key.Key_Down else -1)
            if 0 <= pos < len(self.order):
                self.pos = pos
                self._select()
        elif key == Qt.Key.Key_Tab:
            code = self.current_code()
            if code is not None and code not in self.chosen:
                self.chosen.append(code)
                self.chosen_label.setText(_("Chosen: {codes}").format(codes=", ".join(self.chosen)))
            self.line.clear()
        elif self.line.text().strip() and self.current_code() is not None:
            self.picked.emit(list(dict.fromkeys([*self.chosen, self.current_code()])))
        elif self.chosen:  # Enter on an empty line after Tab: the codes chosen so far
            self.picked.emit(list(self.chosen))
        elif self.current_code() is not None:
            self.picked.emit([self.current_code()])
