"""The workbench page: pick a queue, who you are and your role; then one key decides and advances.

Keys: ``1`` qualified · ``2`` unqualified, then the risk-code picker · ``S`` skip · ``N`` note ·
``U`` undo. Every decision is its own transaction, so closing the window (or a crash) loses at most
the decision being typed; opening the queue again resumes at the first undecided item.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from gaisafe_desktop.core.i18n import N_, _, localized
from gaisafe_desktop.core.review import decisions
from gaisafe_desktop.core.review.progress import person_progress
from gaisafe_desktop.core.review.queues import CHECKS, get_item, list_queues
from gaisafe_desktop.core.store.people import list_people
from gaisafe_desktop.ui.errors import show_error
from gaisafe_desktop.ui.pages.base import Page, heading, wrapped
from gaisafe_desktop.ui.workbench.item_view import ItemView
from gaisafe_desktop.ui.workbench.picker import RiskPicker

ROLE_LABELS = {"annotator": N_("Annotator"), "reviewer": N_("Reviewer"), "adjudicator": N_("Adjudicator")}


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class _NoteLine(QLineEdit):
    def keyPressEvent(self, e) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            self.parent().note_done(e.key() != Qt.Key.Key_Escape)
            return
        super().keyPressEvent(e)


class WorkbenchPage(Page):
    icon_name = "assessments"

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.queue = None
        self.person: str | None = None
        self.role = "annotator"
        self.position: int | None = None
        self.item = None
        self.pending_note = ""
        self.latencies: list[float] = []  # seconds from a decision key to the next item shown
        self.header = heading()
        self.queue_box, self.person_box, self.role_box = QComboBox(), QComboBox(), QComboBox()
        for box in (self.queue_box, self.person_box, self.role_box):
            box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.queue_label, self.person_label, self.role_label = QLabel(), QLabel(), QLabel()
        self.new_queue = QPushButton()
        self.new_queue.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.new_queue.clicked.connect(self.open_new_queue)
        self.progress = QLabel()
        self.progress.setStyleSheet("font-weight:bold;")
        self.speed = QLabel()
        self.item_label = QLabel()
        self.item_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hits_label = wrapped()
        self.annotations = wrapped()
        self.annotations.setStyleSheet("font-weight:bold; color:#8b0000;")
        self.hits_label.setStyleSheet("color:#7a4b00;")
        self.view = ItemView()
        self.show_scores = QCheckBox()
        self.show_scores.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.scores = wrapped()
        self.scores.setVisible(False)
        self.note = _NoteLine(self)
        self.note.setVisible(False)
        self.note_label = QLabel()
        self.picker = RiskPicker()
        self.picker.setVisible(False)
        self.hints = QLabel()
        self.hints.setStyleSheet("color:#555; padding:4px; border-top:1px solid #ccc;")
        top = QHBoxLayout()
        top.addWidget(self.header)
        top.addStretch(1)
        for label, box in (
            (self.queue_label, self.queue_box),
            (self.person_label, self.person_box),
            (self.role_label, self.role_box),
        ):
            top.addWidget(label)
            top.addWidget(box)
        top.addWidget(self.new_queue)
        status = QHBoxLayout()
        status.addWidget(self.progress)
        status.addWidget(self.speed, 1)
        status.addWidget(self.show_scores)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(status)
        lay.addWidget(self.item_label)
        lay.addWidget(self.annotations)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.hits_label)
        lay.addWidget(self.scores)
        lay.addWidget(self.note_label)
        lay.addWidget(self.note)
        lay.addWidget(self.picker)
        lay.addWidget(self.hints)
        for role in ROLE_LABELS:
            self.role_box.addItem("", role)
        self.queue_box.currentIndexChanged.connect(self._selection_changed)
        self.person_box.currentIndexChanged.connect(self._selection_changed)
        self.role_box.currentIndexChanged.connect(self._role_changed)
        self.show_scores.toggled.connect(self._show_scores)
        self.picker.picked.connect(self._risk_picked)
        self.picker.cancelled.connect(self._close_picker)
        self.retranslate()

    # -- texts ---------------------------------------------------------------------------------------
    def title(self) -> str:
        return _("Workbench")

    def retranslate(self) -> None:
        self.header.setText(self.title())
        self.queue_label.setText(_("Queue"))
        self.person_label.setText(_("Person"))
        self.role_label.setText(_("Role"))
        for i in range(self.role_box.count()):
            self.role_box.setItemText(i, _(ROLE_LABELS[self.role_box.itemData(i)]))
        self.show_scores.setText(_("Show classifier scores"))
        self.new_queue.setText(_("New queue…"))
        self.note.setPlaceholderText(_("Note for this item; Enter keeps it, Esc drops it"))
        self.view.retranslate()
        self.picker.retranslate()
        self._set_hints()

    def _labels(self) -> tuple[str, str]:
        if self.queue is not None and self.queue.check_id == "refusal_review":
            return _("refused"), _("answered (not refused)")
        return _("qualified"), _("unqualified + risk code")

    def _set_hints(self) -> None:
        ok, bad = self._labels()
        self.hints.setText(_("Keys: 1 {ok} · 2 {bad} · S skip · N note · U undo").format(ok=ok, bad=bad))

    # -- selection -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.project is None:
            return
        current = self.queue_box.currentData()
        self.queue_box.blockSignals(True)
        self.queue_box.clear()
        for q in list_queues(self.project):
            self.queue_box.addItem(f"{q.name} · {localized(CHECKS[q.check_id])}", q.name)
        if current is not None and self.queue_box.findData(current) >= 0:
            self.queue_box.setCurrentIndex(self.queue_box.findData(current))
        self.queue_box.blockSignals(False)
        self._fill_people()
        self._selection_changed()

    def open_new_queue(self):
        """The dialog that builds a queue from a drawn sample (the build runs in the worker)."""
        from gaisafe_desktop.ui.workbench.new_queue import NewQueueDialog

        dialog = NewQueueDialog(self)
        dialog.created.connect(self._queue_created)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _queue_created(self, name: str) -> None:
        self.refresh()
        self.queue_box.setCurrentIndex(self.queue_box.findData(name))

    def _fill_people(self) -> None:
        current = self.person_box.currentData() or (self.project.actor if self.project else None)
        self.person_box.blockSignals(True)
        self.person_box.clear()
        allowed = set(decisions.ALLOWED[self.role_box.currentData() or "annotator"])
        for p in list_people(self.project):
            if allowed & set(p.roles):
                self.person_box.addItem(p.name, p.name)
        if current is not None and self.person_box.findData(current) >= 0:
            self.person_box.setCurrentIndex(self.person_box.findData(current))
        self.person_box.blockSignals(False)

    def _role_changed(self) -> None:
        if self.project is not None:
            self._fill_people()
            self._selection_changed()

    def select(self, queue: str, person: str, role: str = "annotator") -> None:
        """Choose queue, person and role (what a user does with the three boxes)."""
        self.role_box.setCurrentIndex(self.role_box.findData(role))
        self.queue_box.setCurrentIndex(self.queue_box.findData(queue))
        self.person_box.setCurrentIndex(self.person_box.findData(person))
        self._selection_changed()

    def _selection_changed(self) -> None:
        if self.project is None:
            return
        from gaisafe_desktop.core.review.queues import get_queue

        name = self.queue_box.currentData()
        self.queue = get_queue(self.project, name) if name else None
        self.person = self.person_box.currentData()
        self.role = self.role_box.currentData() or "annotator"
        self.picker.set_risks(self.project.framework.risks)
        self._set_hints()
        self._close_picker()
        self.show_next()

    # -- showing -------------------------------------------------------------------------------------
    def show_next(self) -> None:
        if self.queue is None or self.person is None:
            self.position = self.item = None
            self.view.show_empty(_("No review queue yet: build one from a drawn sample with New queue…"))
            self._show_progress()
            return
        self.show_position(decisions.next_position(self.project, self.queue, self.person, self.role))

    def show_position(self, position: int | None) -> None:
        self.position = position
        if position is None:
            self.item = None
            self.item_label.setText("")
            self.hits_label.setText("")
            self.annotations.setText("")
            self.view.show_empty(_("Nothing left for {person} in this queue. Thank you.").format(person=self.person))
        else:
            self.item = get_item(self.project, self.queue.id, position)
            self.item_label.setText(
                _("Item {position} · record {key}").format(position=position + 1, key=self.item.record_key)
            )
            self.view.show_item(self.item.content, self.item.hits)
            self._show_annotations(position)
            terms = {}
            for hits in self.item.hits.values():
                for _s, _e, term, risks in hits:
                    terms.setdefault(term, set()).update(risks)
            self.hits_label.setText(
                _("Keyword hits: {hits}").format(
                    hits=", ".join(f"{t} ({', '.join(sorted(r))})" for t, r in sorted(terms.items()))
                )
                if terms
                else ""
            )
            self._show_scores(self.show_scores.isChecked())
        self.note_label.setText("")
        self.pending_note = ""
        self._show_progress()
        self.setFocus()

    def _show_annotations(self, position: int) -> None:
        """Reviewers and adjudicators see the annotators' decisions; annotators never see each other's."""
        if self.role == "annotator":
            self.annotations.setText("")
            return
        ok, bad = self._labels()
        parts = [
            f"{a['person']}: {ok if a['qualified'] else bad.split(' + ')[0]}"
            + (f" ({', '.join(a['risk_codes'])})" if a["risk_codes"] else "")
            for a in decisions.annotations_of(self.project, self.queue, position)
        ]
        self.annotations.setText(_("Annotations: {list}").format(list="; ".join(parts)) if parts else "")

    def _show_progress(self) -> None:
        if self.queue is None or self.person is None:
            self.progress.setText("")
            self.speed.setText("")
            return
        p = person_progress(self.project, self.queue, self.person, self.role)
        self.progress.setText(_("{done} / {total}").format(done=f"{p['judged']:,}", total=f"{p['total']:,}"))
        rate = "—" if p["qualified_rate"] is None else f"{100 * p['qualified_rate']:.1f}%"
        per = "—" if p["seconds_per_item"] is None else f"{p['seconds_per_item']:.1f}"
        self.speed.setText(
            _("{ok} so far: {rate} · {per} s per item · ETA {eta} · skipped {skipped}").format(
                ok=self._labels()[0], rate=rate, per=per, eta=fmt_duration(p["eta_seconds"]), skipped=p["skipped"]
            )
        )

    def _show_scores(self, on: bool) -> None:
        self.scores.setVisible(on)
        sc = self.item.scores if self.item is not None else {}
        if sc:
            top = ", ".join(f"{label} {score:.2f}" for label, score in sc.get("top", []))
            self.scores.setText(
                _("{model}: {verdict}; codes over threshold: {codes}; highest scores: {top}").format(
                    model=sc.get("model", ""),
                    verdict=_("risky") if sc.get("risky") else _("not risky"),
                    codes=", ".join(sc.get("codes", [])) or "—",
                    top=top,
                )
            )
        else:
            self.scores.setText(_("No classifier scores are stored for this item."))

    # -- keys ----------------------------------------------------------------------------------------
    def keyPressEvent(self, e) -> None:
        key = e.key()
        if e.isAutoRepeat():  # a held key must not judge a run of items nobody has read
            return
        if self.position is None and key != Qt.Key.Key_U:
            return super().keyPressEvent(e)
        if key == Qt.Key.Key_1:
            self.decide(True)
        elif key == Qt.Key.Key_2:
            if self.queue.check_id == "refusal_review":
                self.decide(False)
            else:
                self.picker.open()
        elif key == Qt.Key.Key_S:
            self._act(lambda: decisions.skip(self.project, self.queue, self.position, self.person, role=self.role))
        elif key == Qt.Key.Key_U:
            self.undo()
        elif key == Qt.Key.Key_N:
            self.note.setText(self.pending_note)
            self.note.show()
            self.note.setFocus()
        else:
            super().keyPressEvent(e)

    def note_done(self, keep: bool) -> None:
        if keep:
            self.pending_note = self.note.text().strip()
            self.note_label.setText(_("Note: {note}").format(note=self.pending_note) if self.pending_note else "")
        self.note.hide()
        self.setFocus()

    def _risk_picked(self, codes: list) -> None:
        self._close_picker()
        self.decide(False, list(codes))

    def _close_picker(self) -> None:
        self.picker.hide()
        self.setFocus()

    def decide(self, qualified: bool, codes: list[str] = ()) -> None:
        note = self.pending_note
        self._act(
            lambda: decisions.judge(
                self.project,
                self.queue,
                self.position,
                self.person,
                qualified=qualified,
                risk_codes=list(codes),
                role=self.role,
                note=note,
            )
        )

    def _act(self, fn) -> None:
        t0 = time.perf_counter()
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - shown by the one error presenter
            show_error(self, exc)
            return
        self.show_next()
        self.latencies.append(time.perf_counter() - t0)

    def undo(self) -> None:
        if self.queue is None or self.person is None:
            return
        try:
            d = decisions.undo(self.project, self.queue, self.person, role=self.role)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        if d is not None:
            self.show_position(d.position)
