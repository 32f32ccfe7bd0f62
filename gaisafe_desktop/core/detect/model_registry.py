"""Models available to an audit: the bundled ones and those registered in a project; B.1.4 coverage.

A provider or auditor registers their own ONNX classifier with a manifest (``manifest.py``). The
model file goes into the project's evidence store (content-addressed) and a ``models`` row records
its manifest, hashes and covered risk codes, in one audited action. Runs of a model over a file are
recorded in ``model_runs`` (audited summary) with per-record results (bulk, digest logged).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from gaisafe_desktop.core.detect.manifest import ALL_RISK_CODES, Manifest, load_manifest, parse_manifest
from gaisafe_desktop.core.detect.onnx_runtime import OnnxModel, load_from_manifest, verify_model_file
from gaisafe_desktop.core.errors import NotFoundError, UsageError
from gaisafe_desktop.core.hashing import canonical_json, sha256_text
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress
from gaisafe_desktop.core.resources import models_path


@dataclass
class ModelInfo:
    name: str
    version: str
    task: str
    origin: str  # bundled | registered
    sha256: str
    covered_codes: list[str]
    manifest: Manifest | None = None
    model_id: int | None = None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "version": self.version,
            "task": self.task,
            "origin": self.origin,
            "sha256": self.sha256,
            "covered_codes": self.covered_codes,
            "covers": f"{len(self.covered_codes)}/{len(ALL_RISK_CODES)}",
        }


def _covered(manifest: Manifest) -> list[str]:
    codes = manifest.covered_codes()
    return [c for c in ALL_RISK_CODES if c in codes]


def bundled_models() -> list[ModelInfo]:
    """Models shipped in ``bundled_models/`` (manifests validated, files not yet hashed)."""
    root = models_path()
    out = []
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if (p / "manifest.json").is_file()):
            m = load_manifest(folder)
            out.append(ModelInfo(m.name, m.version, m.task, "bundled", m.sha256, _covered(m), manifest=m))
    return out


def registered_models(project) -> list[ModelInfo]:
    """Models registered in ``project`` (newest version last)."""
    out = []
    for row in project.conn.execute("SELECT * FROM models ORDER BY name, id"):
        data = json.loads(row["manifest"])
        m = parse_manifest(data, folder=Path("."), source=f"project model {row['name']} {row['version']}")
        out.append(
            ModelInfo(
                row["name"],
                row["version"],
                row["task"],
                "registered" if row["origin"] == "registered" else "bundled, registered",
                row["model_sha256"],
                json.loads(row["covered_codes"]),
                m,
                row["id"],
            )
        )
    return out


def list_models(project=None) -> list[ModelInfo]:
    return bundled_models() + (registered_models(project) if project is not None else [])


def find_model(name: str, project=None, version: str | None = None) -> ModelInfo:
    matches = [m for m in list_models(project) if m.name == name and (version is None or m.version == version)]
    if not matches:
        known = ", ".join(sorted({m.name for m in list_models(project)})) or "-"
        raise NotFoundError(N_("No model named {name}; known models: {known}."), name=name, known=known)
    return matches[-1]


def register_model(project, folder: str | Path, *, note: str = "") -> ModelInfo:
    """Register the ONNX model of ``folder`` (``manifest.json`` + model file) in ``project``.

    ``folder`` may also be the name of a bundled model (``risk-classifier``): the audit then records
    exactly which shipped model it used, and runs of it can be recorded.

    The manifest is validated, the model file's SHA-256 checked against it, and the model loaded
    and run once on two texts, before anything is written.

    Raises:
        ValidationError / IntegrityError / NotFoundError: bad manifest, changed or missing file.
        UsageError: this name and version is already registered.
    """
    from gaisafe_desktop.core.store.audit import utc_now
    from gaisafe_desktop.core.store.evidence import add_evidence

    bundled = models_path(str(folder))
    if not Path(folder).exists() and (bundled / "manifest.json").is_file():
        folder = bundled  # a bundled model's name: register the shipped model itself
    manifest = load_manifest(folder)
    verify_model_file(manifest)
    origin = "bundled" if Path(folder).resolve().parent == models_path().resolve() else "registered"
    model = load_from_manifest(manifest, verify=False, threads=1)
    model.predict(["", "test"])  # fails here, not in the middle of an audit, if the graph is unusable
    exists = project.conn.execute(
        "SELECT 1 FROM models WHERE name = ? AND version = ?", (manifest.name, manifest.version)
    ).fetchone()
    if exists:
        raise UsageError(
            N_(
                "Model {name} version {version} is already registered in this project; change the version to register another."
            ),
            name=manifest.name,
            version=manifest.version,
        )
    add_evidence(
        project,
        manifest.model_path,
        note=f"ONNX model {manifest.name} {manifest.version}",
        name=f"{manifest.name}-{manifest.version}.onnx",
    )
    covered = _covered(manifest)
    text = canonical_json(manifest.data)
    with project.transaction(
        "models.register", {"name": manifest.name, "version": manifest.version, "sha256": manifest.sha256}
    ) as tx:
        row = tx.write(
            "models",
            {
                "name": manifest.name,
                "version": manifest.version,
                "task": manifest.task,
                "origin": origin,
                "manifest": text,
                "manifest_sha256": sha256_text(text),
                "model_sha256": manifest.sha256,
                "covered_codes": json.dumps(covered),
                "registered_by": project.actor,
                "registered_at": utc_now(),
                "note": note,
            },
        )
    return ModelInfo(
        manifest.name, manifest.version, manifest.task, origin, manifest.sha256, covered, manifest, row["id"]
    )


def load_model_info(info: ModelInfo, project=None, *, threads: int | None = None) -> OnnxModel:
    """Load a listed model; a registered one is read back from the project's evidence store."""
    if info.model_id is None:  # bundled, not registered in the project
        return load_from_manifest(info.manifest, threads=threads)
    if project is None:
        raise UsageError(N_("Model {name} is registered in a project: give --project."), name=info.name)
    from gaisafe_desktop.core.store.evidence import iter_evidence_bytes

    tmp = Path(tempfile.mkdtemp(prefix="gaisafe-model-"))
    path = tmp / info.manifest.data["model_file"]
    with path.open("wb") as fh:
        for chunk in iter_evidence_bytes(project, info.sha256):
            fh.write(chunk)
    manifest = parse_manifest(info.manifest.data, folder=tmp, source=f"project model {info.name}")
    try:
        return load_from_manifest(manifest, threads=threads)
    finally:
        path.unlink(missing_ok=True)
        tmp.rmdir()


def verify_models(project=None) -> list[dict]:
    """Re-hash every bundled model file (and every registered model's stored bytes)."""
    from gaisafe_desktop.core.errors import IntegrityError

    out = []
    for info in list_models(project):
        try:
            if info.model_id is None:
                verify_model_file(info.manifest)
            else:
                load_model_info(info, project, threads=1)
            out.append({"name": info.name, "version": info.version, "origin": info.origin, "ok": True, "problem": ""})
        except (IntegrityError, NotFoundError) as exc:
            out.append(
                {"name": info.name, "version": info.version, "origin": info.origin, "ok": False, "problem": str(exc)}
            )
    return out


def coverage_report(project=None) -> dict:
    """B.1.4: for every risk-classification model, which of the 31 codes it covers; and the union."""
    models = [m for m in list_models(project) if m.task == "risk-multilabel"]
    per_code = {c: [f"{m.name} {m.version}" for m in models if c in m.covered_codes] for c in ALL_RISK_CODES}
    missing = [c for c, ms in per_code.items() if not ms]
    notes = {}
    for m in models:
        for lab in m.manifest.labels if m.manifest else []:
            if lab.note:
                for c in lab.risk_codes:
                    notes.setdefault(c, []).append(f"{m.name}: {lab.note}")
    return {
        "models": [
            {**m.to_dict(), "missing_codes": [c for c in ALL_RISK_CODES if c not in m.covered_codes]} for m in models
        ],
        "per_code": per_code,
        "notes": notes,
        "union_covered": len(ALL_RISK_CODES) - len(missing),
        "missing": missing,
        "complete": not missing,
    }


def record_run(
    project, info: ModelInfo, *, kind: str, source_name: str, source_sha256: str, results: list[tuple[str, dict]]
) -> int:
    """Store one run of a registered model over a file: audited summary + bulk results with digest."""
    from gaisafe_desktop.core.store.audit import utc_now

    if info.model_id is None:
        raise UsageError(
            N_("Only models registered in the project can have their runs recorded; register {name} first."),
            name=info.name,
        )
    lines = [canonical_json({"record": key, "result": res}) for key, res in results]
    digest = sha256_text("\n".join(lines))
    if kind == "classify":
        flagged = sum(bool(r.get("risky")) for _, r in results)
        summary = dict(Counter(c for _, r in results for c in r.get("codes", [])))
    else:
        flagged = sum(r.get("label") == "refusal" for _, r in results)
        summary = dict(Counter(r.get("label") for _, r in results))
    with project.transaction(
        "models.run", {"model": info.name, "version": info.version, "kind": kind, "records": len(results)}
    ) as tx:
        row = tx.write(
            "model_runs",
            {
                "model_id": info.model_id,
                "kind": kind,
                "source_name": source_name,
                "source_sha256": source_sha256,
                "records": len(results),
                "flagged": flagged,
                "summary": canonical_json(summary),
                "results_sha256": digest,
                "run_by": project.actor,
                "run_at": utc_now(),
            },
        )
        tx.executemany(
            "INSERT INTO model_run_results(run_id, seq, record, result) VALUES (?, ?, ?, ?)",
            ((row["id"], i, key, canonical_json(res)) for i, (key, res) in enumerate(results)),
        )
        tx.log("models.run.results", "model_runs", str(row["id"]), {"results_sha256": digest, "records": len(results)})
    return int(row["id"])


def run_classify_file(
    path: str | Path,
    *,
    model_name: str = "risk-classifier",
    project=None,
    column: str | None = None,
    id_column: str | None = None,
    record: bool = False,
    sink=None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict:
    """Classify every text of a JSONL/CSV file with a risk model; optionally record the run.

    Args:
        path: the input file (streamed in chunks).
        model_name: a bundled model or one registered in ``project``.
        column, id_column: text and record-id columns (defaults: see ``classifier.TEXT_COLUMNS``; line number).
        record: store the run in ``project`` (the model must be registered there).
        sink: called with ``(record key, result dict)`` for each text as it is classified.
        progress, cancel: job hooks.

    Returns:
        ``{"records", "risky", "codes": {code: count}, "run_id"}``.
    """
    from gaisafe_desktop.core.detect.classifier import classify_file
    from gaisafe_desktop.core.hashing import sha256_file

    if record and project is None:
        raise UsageError(N_("Recording a run needs a project: give --project."))
    info = find_model(model_name, project)
    if record and info.model_id is None:
        raise UsageError(
            N_("Only models registered in the project can have their runs recorded; register {name} first."),
            name=info.name,
        )
    model = load_model_info(info, project)
    kept: list[tuple[str, dict]] = []
    codes: Counter = Counter()
    n = risky = 0
    for key, res in classify_file(model, path, column=column, id_column=id_column, progress=progress, cancel=cancel):
        d = res.to_dict()
        n += 1
        risky += res.risky
        codes.update(res.codes)
        if record:
            kept.append((key, d))
        if sink is not None:
            sink(key, d)
    run_id = None
    if record:
        run_id = record_run(
            project, info, kind="classify", source_name=Path(path).name, source_sha256=sha256_file(path), results=kept
        )
    return {
        "model": info.name,
        "version": info.version,
        "records": n,
        "risky": risky,
        "codes": dict(codes),
        "run_id": run_id,
    }


def run_refusal_file(
    path: str | Path,
    *,
    rules_only: bool = False,
    question_column: str | None = None,
    answer_column: str | None = None,
    id_column: str | None = None,
    sink=None,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken = NEVER,
) -> dict:
    """Judge every answer of a JSONL/CSV file (bundled refusal detector); ``sink`` gets each verdict.

    Returns:
        ``{"records", "labels": {label: count}, "refusal_rate", "disagreements"}``.
    """
    from gaisafe_desktop.core.detect.refusal import judge_file

    labels: Counter = Counter()
    n = disagreements = 0
    stream = judge_file(
        path,
        use_model=not rules_only,
        question_column=question_column,
        answer_column=answer_column,
        id_column=id_column,
        progress=progress,
        cancel=cancel,
    )
    for key, v in stream:
        n += 1
        labels[v.label] += 1
        disagreements += v.disagreement
        if sink is not None:
            sink(key, v.to_dict())
    return {
        "records": n,
        "labels": dict(labels),
        "refusal_rate": round(labels["refusal"] / n, 4) if n else None,
        "disagreements": disagreements,
    }
