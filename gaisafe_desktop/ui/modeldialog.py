"""Confirmation before registering a provider's or auditor's own ONNX classifier (issue 5).

The Resources page has the folder inspected by the one worker (``core.views.models``); this dialog
shows what was read: name, version, task, each label with the risk codes it maps to, and the result
of the SHA-256 check. Accepting it starts the registration job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
)

from gaisafe_desktop.core.i18n import _, localized
from gaisafe_desktop.ui.look import status_color


def _task_name(task: str) -> str:
    return {
        "risk-multilabel": _("risk classification (labels map to risk codes)"),
        "refusal": _("refusal detection"),
    }.get(task, task)


class RegisterModelDialog(QDialog):
    """Shows an inspected model folder; OK registers it. ``info`` is ``inspect_model_folder``'s result."""

    def __init__(self, parent, info: dict[str, Any], risk_name: Callable[[str], str] | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.setWindowTitle(_("Register model {name}").format(name=info["name"]))
        form = QFormLayout(self)
        self.fields: dict[str, QLabel] = {}

        def row(key: str, label: str, text: str) -> None:
            widget = QLabel(text)
            widget.setWordWrap(True)
            widget.setToolTip(text)
            self.fields[key] = widget
            form.addRow(label, widget)

        row("folder", _("Folder:"), info["folder"])
        row("name", _("Name:"), info["name"])
        if info.get("title"):
            row("title", _("Title:"), localized(info["title"]))
        row("version", _("Version:"), info["version"])
        row("task", _("Task:"), _task_name(info["task"]))
        row("model_file", _("Model file:"), info["model_file"])
        if info.get("licence"):
            row("licence", _("Licence:"), info["licence"])
        self.labels = QTableWidget(len(info["labels"]), 2)
        self.labels.setHorizontalHeaderLabels([_("Label"), _("Risk codes")])
        self.labels.verticalHeader().setVisible(False)
        self.labels.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.labels.horizontalHeader().setStretchLastSection(True)
        self.labels.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, lab in enumerate(info["labels"]):
            codes = lab["risk_codes"]
            self.labels.setItem(r, 0, QTableWidgetItem(lab["name"]))
            text = ", ".join(codes) if codes else _("none (no risk)")
            item = QTableWidgetItem(text)
            if codes and risk_name is not None:
                item.setToolTip("\n".join(f"{c} {risk_name(c)}".strip() for c in codes))
            self.labels.setItem(r, 1, item)
        self.labels.setMaximumHeight(40 + 26 * min(len(info["labels"]), 8))
        form.addRow(_("Labels:"), self.labels)
        covered = info["covered_codes"]
        row(
            "covered",
            _("Risks covered:"),
            _("{n} of 31: {codes}").format(n=len(covered), codes=", ".join(covered) or "—"),
        )
        ok = bool(info["sha256_ok"])
        row(
            "sha256",
            _("SHA-256 check:"),
            (_("matches the manifest ({sha})") if ok else _("does NOT match the manifest ({sha})")).format(
                sha=info["sha256_actual"]
            ),
        )
        self.fields["sha256"].setStyleSheet(f"color: {status_color(ok)}; font-weight: bold;")
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("optional, e.g. who supplied the model"))
        form.addRow(_("Note:"), self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.register_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.register_button.setText(_("Register"))
        self.register_button.setEnabled(ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.resize(620, 420)
