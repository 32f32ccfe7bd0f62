"""How one item is shown: text with keyword hits highlighted at their original spans, an image, or a
transcript's question and answer side by side. Classifier scores are hidden unless asked for."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gaisafe_desktop.core.i18n import _

HIT_STYLE = "background-color:#ffd966;color:#000;border-bottom:2px solid #c00000;"


def highlighted_html(text: str, hits: list) -> str:
    """HTML of ``text`` with every hit span ``[start, end, term, risks]`` marked (overlaps merged)."""
    merged: list[list] = []
    for s, e, term, risks in sorted(hits):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][2].append((term, risks))
        else:
            merged.append([s, e, [(term, risks)]])
    out, last = [], 0
    for s, e, terms in merged:
        out.append(html.escape(text[last:s]))
        tip = html.escape("; ".join(f"{t} ({', '.join(r)})" for t, r in terms), quote=True)
        out.append(f'<span style="{HIT_STYLE}" title="{tip}">{html.escape(text[s:e])}</span>')
        last = e
    out.append(html.escape(text[last:]))
    body = "".join(out).replace("\n", "<br>")
    return f'<div style="font-size:15pt; line-height:150%;">{body}</div>'


def _browser() -> QTextBrowser:
    b = QTextBrowser()
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the workbench, never into the text
    b.setOpenLinks(False)
    return b


class ItemView(QStackedWidget):
    """Text, transcript or image of the current item."""

    TEXT, TRANSCRIPT, IMAGE, EMPTY, MEDIA = range(5)

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text = _browser()
        self.addWidget(self.text)
        self.question, self.answer = _browser(), _browser()
        self.q_label, self.a_label = QLabel(), QLabel()
        split = QSplitter(Qt.Orientation.Horizontal)
        for label, browser in ((self.q_label, self.question), (self.a_label, self.answer)):
            w = QWidget()
            lay = QVBoxLayout(w)
            lay.setContentsMargins(0, 0, 0, 0)
            label.setStyleSheet("font-weight:bold;")
            lay.addWidget(label)
            lay.addWidget(browser, 1)
            split.addWidget(w)
        self.addWidget(split)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_caption = QLabel()
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.image)
        img = QWidget()
        lay = QVBoxLayout(img)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.image_caption)
        self.addWidget(img)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.addWidget(self.empty)
        self.media_label = QLabel()
        self.media_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.media_label.setWordWrap(True)
        self.play = QPushButton()
        self.play.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.play.clicked.connect(self.open_media)
        self.media_path = ""
        media = QWidget()
        lay = QVBoxLayout(media)
        lay.addStretch(1)
        lay.addWidget(self.media_label)
        lay.addWidget(self.play, 0, Qt.AlignmentFlag.AlignCenter)
        lay.addStretch(1)
        self.addWidget(media)
        self.retranslate()

    def retranslate(self) -> None:
        self.q_label.setText(_("Question"))
        self.a_label.setText(_("Answer"))
        self.play.setText(_("Play in the system player"))

    def open_media(self) -> bool:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        return QDesktopServices.openUrl(QUrl.fromLocalFile(self.media_path))

    def show_empty(self, message: str) -> None:
        self.empty.setText(message)
        self.setCurrentIndex(self.EMPTY)

    def show_item(self, content: dict, hits: dict) -> None:
        media = content.get("media")
        if media and content.get("modality") != "image" and content.get("kind") == "media":
            # QtMultimedia needs PulseAudio libraries the target laptops may not have: hand the file
            # to the system's player instead (a local file, nothing leaves the machine).
            self.media_path = media
            self.media_label.setText(
                _("{kind} file {path}").format(kind=content.get("modality") or _("Media"), path=media)
            )
            self.play.setEnabled(Path(media).is_file())
            self.setCurrentIndex(self.MEDIA)
            return
        if media and content.get("modality") == "image":
            pix = QPixmap(media) if Path(media).is_file() else QPixmap()
            if pix.isNull():
                self.image.setPixmap(QPixmap())
                self.image.setText(_("The image {path} cannot be shown (missing or not an image).").format(path=media))
            else:
                self.image.setText("")
                self.image.setPixmap(pix.scaled(900, 600, Qt.AspectRatioMode.KeepAspectRatio))
            self.image_caption.setText(Path(media).name)
            self.setCurrentIndex(self.IMAGE)
        elif content.get("question") is not None and content.get("answer") is not None:
            self.question.setHtml(highlighted_html(content["question"], hits.get("question", [])))
            self.answer.setHtml(highlighted_html(content["answer"], hits.get("answer", [])))
            self.setCurrentIndex(self.TRANSCRIPT)
        else:
            text = content.get("text") or content.get("question") or content.get("answer") or ""
            field = "text" if content.get("text") else ("question" if content.get("question") else "answer")
            self.text.setHtml(highlighted_html(text, hits.get(field, [])))
            self.setCurrentIndex(self.TEXT)
