"""Model manifests: what an ONNX classifier is, what it outputs, and which risk codes it covers.

A model folder holds ``model.onnx`` and ``manifest.json``. The manifest is validated against
:data:`MANIFEST_SCHEMA`; the model file's SHA-256 is checked on every load (``onnx_runtime``).

Tasks:
- ``risk-multilabel``: one sigmoid output per label; each label maps to zero or more risk codes of
  Appendix A (an optional label with ``"role": "any-risk"`` is a "contains any risk" head);
- ``refusal``: softmax over ``refusal`` / ``partial`` / ``compliance`` for a question-answer pair.

Preprocessing ``gaisafe-charhash`` (see ``features.py``) feeds ``indices``/``values``; ``raw-text``
feeds a string tensor ``text`` [N] for models that carry their own tokeniser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from gaisafe_desktop.core.errors import NotFoundError, ValidationError
from gaisafe_desktop.core.i18n import N_

#: The 31 risks of Appendix A (TC260-003 draft 2024 / GB/T 45654-2025).
ALL_RISK_CODES: tuple[str, ...] = (
    *(f"A.1.{c}" for c in "abcdefgh"),
    *(f"A.2.{c}" for c in "abcdefghi"),
    *(f"A.3.{c}" for c in "abcde"),
    *(f"A.4.{c}" for c in "abcdefg"),
    *(f"A.5.{c}" for c in "ab"),
)
TASKS = ("risk-multilabel", "refusal")
REFUSAL_LABELS = ("refusal", "partial", "compliance")
SCHEMA_ID = "gaisafe-model-manifest/1"

MANIFEST_SCHEMA: dict = {
    "type": "object",
    "required": ["schema", "name", "version", "task", "model_file", "sha256", "preprocessing", "output", "labels"],
    "properties": {
        "schema": {"const": SCHEMA_ID},
        "name": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9._-]{0,63}$"},
        "version": {"type": "string", "minLength": 1},
        "task": {"enum": list(TASKS)},
        "title": {"type": "object"},
        "description": {"type": "object"},
        "model_file": {"type": "string", "pattern": r"^[^/\\]+\.onnx$"},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "preprocessing": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"enum": ["gaisafe-charhash", "raw-text"]}, "version": {"type": "integer"}},
        },
        "output": {
            "type": "object",
            "required": ["name", "activation"],
            "properties": {"name": {"type": "string"}, "activation": {"enum": ["sigmoid", "softmax", "none"]}},
        },
        "labels": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "risk_codes"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "risk_codes": {"type": "array", "items": {"enum": list(ALL_RISK_CODES)}},
                    "role": {"enum": ["any-risk", "code", "class"]},
                    "training_examples": {"type": "integer"},
                    "note": {"type": "string"},
                },
            },
        },
        "thresholds": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
        "training_data": {"type": "array"},
        "metrics": {"type": "object"},
        "licence": {"type": "string"},
    },
}


@dataclass(frozen=True)
class Label:
    name: str
    risk_codes: tuple[str, ...]
    role: str = "code"
    training_examples: int | None = None
    note: str = ""


@dataclass
class Manifest:
    """A validated model manifest (``folder`` is where ``model_file`` lives)."""

    data: dict
    folder: Path
    labels: list[Label] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def version(self) -> str:
        return self.data["version"]

    @property
    def task(self) -> str:
        return self.data["task"]

    @property
    def sha256(self) -> str:
        return self.data["sha256"]

    @property
    def model_path(self) -> Path:
        return self.folder / self.data["model_file"]

    @property
    def preprocessing(self) -> dict:
        return self.data["preprocessing"]

    @property
    def output_name(self) -> str:
        return self.data["output"]["name"]

    @property
    def activation(self) -> str:
        return self.data["output"]["activation"]

    @property
    def label_names(self) -> list[str]:
        return [lab.name for lab in self.labels]

    def threshold(self, label: str) -> float:
        return float(self.data.get("thresholds", {}).get(label, 0.5))

    def covered_codes(self) -> dict[str, list[str]]:
        """Risk code -> names of the labels that cover it (only codes some label maps to)."""
        out: dict[str, list[str]] = {}
        for lab in self.labels:
            for code in lab.risk_codes:
                out.setdefault(code, []).append(lab.name)
        return out


def parse_manifest(data: object, *, folder: Path, source: str) -> Manifest:
    """Validate manifest ``data`` (read from ``source``, for messages) and return a :class:`Manifest`."""
    try:
        jsonschema.validate(data, MANIFEST_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise ValidationError(
            N_("{file}: field `{field}` is invalid: {problem}. Fix the manifest and try again."),
            file=source,
            field=where,
            problem=exc.message,
        ) from None
    assert isinstance(data, dict)
    labels = [
        Label(
            name=lab["name"],
            risk_codes=tuple(lab["risk_codes"]),
            role=lab.get("role", "class" if data["task"] == "refusal" else "code"),
            training_examples=lab.get("training_examples"),
            note=lab.get("note", ""),
        )
        for lab in data["labels"]
    ]
    names = [lab.name for lab in labels]
    if len(set(names)) != len(names):
        raise ValidationError(N_("{file}: field `labels` has duplicate label names."), file=source)
    if data["task"] == "refusal" and sorted(names) != sorted(REFUSAL_LABELS):
        raise ValidationError(
            N_("{file}: a refusal model must have exactly the labels {expected}."),
            file=source,
            expected=", ".join(REFUSAL_LABELS),
        )
    for key in data.get("thresholds", {}):
        if key not in names:
            raise ValidationError(
                N_("{file}: field `thresholds/{field}` names no label of this model."), file=source, field=key
            )
    return Manifest(data=data, folder=folder, labels=labels)


def load_manifest(folder_or_file: str | Path) -> Manifest:
    """Read and validate ``manifest.json`` of a model folder (or a manifest file path)."""
    path = Path(folder_or_file)
    if path.is_dir():
        path = path / "manifest.json"
    if not path.is_file():
        raise NotFoundError(N_("No model manifest at {path}."), path=str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", "?")
        raise ValidationError(
            N_("{file}, line {line}: not valid JSON ({problem})."), file=str(path), line=line, problem=str(exc)
        ) from None
    return parse_manifest(data, folder=path.parent, source=str(path))
