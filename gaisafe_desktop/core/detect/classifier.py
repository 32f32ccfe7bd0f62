"""Risk classification of texts with a ``risk-multilabel`` model: scores and codes over threshold."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from gaisafe_desktop.core.detect.onnx_runtime import OnnxModel, load_model
from gaisafe_desktop.core.errors import NotFoundError, UsageError, ValidationError
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.resources import models_path

BUNDLED_RISK_MODEL = "risk-classifier"


@dataclass
class RiskResult:
    """One text's verdict: ``risky`` when the any-risk head or any code head is over its threshold."""

    scores: dict[str, float]
    codes: list[str] = field(default_factory=list)
    risky: bool = False
    any_score: float | None = None

    def to_dict(self) -> dict:
        return {
            "risky": self.risky,
            "codes": self.codes,
            "any_score": None if self.any_score is None else round(self.any_score, 4),
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
        }


def load_bundled_risk_model(threads: int | None = None) -> OnnxModel:
    """The risk classifier shipped in ``bundled_models/risk-classifier`` (hash verified)."""
    return load_model(models_path(BUNDLED_RISK_MODEL), threads=threads)


def classify_texts(
    model: OnnxModel | str | Path,
    texts: list[str],
    *,
    batch_size: int = 256,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> list[RiskResult]:
    """Classify ``texts`` with a risk model.

    Args:
        model: a loaded model or the folder of one.
        texts: the texts.
        batch_size, progress, cancel: see :meth:`OnnxModel.predict`.

    Returns:
        One :class:`RiskResult` per text: per-label scores, the risk codes whose label is over its
        manifest threshold (sorted), and whether the text is judged to carry any risk.
    """
    if not isinstance(model, OnnxModel):
        model = load_model(model)
    manifest = model.manifest
    if manifest.task != "risk-multilabel":
        raise UsageError(
            N_("Model {name} is a `{task}` model, not a risk classifier."), name=manifest.name, task=manifest.task
        )
    scores = model.predict(texts, batch_size=batch_size, progress=progress, cancel=cancel)
    labels = manifest.labels
    thr = np.array([manifest.threshold(lab.name) for lab in labels], dtype=np.float32)
    over = scores >= thr
    any_idx = next((i for i, lab in enumerate(labels) if lab.role == "any-risk"), None)
    results = []
    for i in range(len(texts)):
        codes: set[str] = set()
        for j in np.flatnonzero(over[i]):
            if j != any_idx:
                codes.update(labels[j].risk_codes)
        any_hit = bool(over[i, any_idx]) if any_idx is not None else False
        results.append(
            RiskResult(
                scores={lab.name: float(scores[i, j]) for j, lab in enumerate(labels)},
                codes=sorted(codes),
                risky=any_hit or bool(codes),
                any_score=float(scores[i, any_idx]) if any_idx is not None else None,
            )
        )
    return results


TEXT_COLUMNS = ("text", "content", "answer", "response", "output", "prompt", "question")


def iter_records(path: str | Path) -> Iterator[tuple[int, dict]]:
    """Stream (line number, record) from a JSONL file or a CSV file with a header (UTF-8 or GB18030).

    Raises:
        ValidationError: a line is not valid JSON or not an object (file and line named).
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(N_("Input file {path} does not exist."), path=str(path))
    encoding = "utf-8-sig"
    try:
        with path.open(encoding=encoding) as fh:
            for _ in fh:
                pass
    except UnicodeDecodeError:
        encoding = "gb18030"
    suffix = path.suffix.lower()
    with path.open(encoding=encoding, newline="") as fh:
        if suffix in (".csv", ".tsv"):
            reader = csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ",")
            for row in reader:
                yield reader.line_num, row
        else:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValidationError(
                        N_("{file}, line {line}: not valid JSON ({problem})."), file=str(path), line=n, problem=exc.msg
                    ) from None
                if not isinstance(rec, dict):
                    raise ValidationError(N_("{file}, line {line}: expected a JSON object."), file=str(path), line=n)
                yield n, rec


def pick_column(path: str | Path, record: dict, wanted: str | None, candidates: tuple[str, ...], line: int) -> str:
    """The column to read: ``wanted`` if given, else the first of ``candidates`` present."""
    if wanted:
        if wanted not in record:
            raise ValidationError(
                N_("{file}, line {line}: column `{col}` missing; columns are: {cols}."),
                file=str(path),
                line=line,
                col=wanted,
                cols=", ".join(record),
            )
        return wanted
    for c in candidates:
        if c in record:
            return c
    raise ValidationError(
        N_("{file}, line {line}: no text column found (tried {tried}); name one with --column."),
        file=str(path),
        line=line,
        tried=", ".join(candidates),
    )


def classify_file(
    model: OnnxModel,
    path: str | Path,
    *,
    column: str | None = None,
    id_column: str | None = None,
    chunk: int = 4096,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> Iterator[tuple[str, RiskResult]]:
    """Stream (record key, result) over a JSONL/CSV file, classifying ``chunk`` records at a time."""
    col = None
    buf: list[tuple[str, str]] = []
    done = 0

    def flush():
        nonlocal done
        results = classify_texts(model, [t for _, t in buf], cancel=cancel)
        done += len(buf)
        progress(done, None, "")
        out = list(zip([k for k, _ in buf], results, strict=True))
        buf.clear()
        return out

    for line, rec in iter_records(path):
        if col is None:
            col = pick_column(path, rec, column, TEXT_COLUMNS, line)
        value = rec.get(col)
        if value is not None and not isinstance(value, str):
            value = str(value)
        key = str(rec.get(id_column, line)) if id_column else str(line)
        buf.append((key, value or ""))
        if len(buf) >= chunk:
            yield from flush()
    if buf:
        yield from flush()
