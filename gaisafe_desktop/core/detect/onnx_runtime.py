"""Load an ONNX classifier after verifying its SHA-256, and run it in batches with progress and cancel.

The app runs ONNX only (onnxruntime, CPU). Sessions use every core of the machine for one batch
(``intra_op_num_threads``); the featuriser runs in numpy between batches. Texts of a batch are
sorted by length first so the padded feature matrix stays narrow.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from gaisafe_desktop.core.detect.features import PREPROCESSING_ID, FeatureConfig, featurize
from gaisafe_desktop.core.detect.manifest import Manifest, load_manifest
from gaisafe_desktop.core.errors import IntegrityError, NotFoundError, ValidationError
from gaisafe_desktop.core.hashing import sha256_file
from gaisafe_desktop.core.i18n import N_
from gaisafe_desktop.core.jobs import NEVER, NULL_PROGRESS, CancelToken, Progress

DEFAULT_BATCH = 256


def session_options(threads: int | None = None) -> ort.SessionOptions:
    """Options using ``threads`` cores (default: all) for one inference, deterministic graph order."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or os.cpu_count() or 1
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    return opts


@dataclass
class OnnxModel:
    """A verified, loaded model: ``predict(texts)`` gives one row of output scores per text."""

    manifest: Manifest
    session: ort.InferenceSession
    feature_config: FeatureConfig | None

    @property
    def labels(self) -> list[str]:
        return self.manifest.label_names

    def _run_batch(self, texts: list[str]) -> np.ndarray:
        if self.feature_config is not None:
            idx, val = featurize(texts, self.feature_config).padded()
            feeds = {"indices": idx, "values": val}
        else:
            name = self.session.get_inputs()[0].name
            feeds = {name: np.array([t or "" for t in texts], dtype=object)}
        out = self.session.run([self.manifest.output_name], feeds)[0]
        out = np.asarray(out, dtype=np.float32)
        if out.ndim != 2 or out.shape[1] != len(self.labels):
            raise ValidationError(
                N_("Model {name}: output `{output}` has shape {shape}, but the manifest lists {n} labels."),
                name=self.manifest.name,
                output=self.manifest.output_name,
                shape=str(out.shape),
                n=len(self.labels),
            )
        return out

    def predict(
        self,
        texts: list[str],
        *,
        batch_size: int = DEFAULT_BATCH,
        progress: Progress = NULL_PROGRESS,
        cancel: CancelToken = NEVER,
    ) -> np.ndarray:
        """Scores ``[len(texts), len(labels)]`` (probabilities for sigmoid/softmax models).

        Args:
            texts: the texts (``None`` counts as empty).
            batch_size: texts per ONNX call.
            progress: called with (done, total) after each batch.
            cancel: polled before each batch; raises ``CancelledError``.
        """
        n = len(texts)
        out = np.zeros((n, len(self.labels)), dtype=np.float32)
        order = np.argsort(np.fromiter((len(t or "") for t in texts), dtype=np.int64, count=n), kind="stable")
        done = 0
        for start in range(0, n, batch_size):
            cancel.raise_if_cancelled()
            sel = order[start : start + batch_size]
            out[sel] = self._run_batch([texts[i] for i in sel])
            done += len(sel)
            progress(done, n, "")
        return out


def load_model(folder: str | Path, *, threads: int | None = None, verify: bool = True) -> OnnxModel:
    """Load the model of a folder holding ``manifest.json`` and the ONNX file.

    Raises:
        IntegrityError: the model file's SHA-256 differs from the manifest's.
        NotFoundError / ValidationError: missing file or invalid manifest.
    """
    manifest = load_manifest(folder)
    return load_from_manifest(manifest, threads=threads, verify=verify)


def verify_model_file(manifest: Manifest) -> str:
    """SHA-256 of the model file; raises :class:`IntegrityError` if it differs from the manifest."""
    path = manifest.model_path
    if not path.is_file():
        raise NotFoundError(N_("Model file {path} named by the manifest does not exist."), path=str(path))
    actual = sha256_file(path)
    if actual != manifest.sha256:
        raise IntegrityError(
            N_("Model file {path} has SHA-256 {actual}, but its manifest says {expected}: the file was changed."),
            path=str(path),
            actual=actual,
            expected=manifest.sha256,
        )
    return actual


def load_from_manifest(manifest: Manifest, *, threads: int | None = None, verify: bool = True) -> OnnxModel:
    if verify:
        verify_model_file(manifest)
    data = manifest.model_path.read_bytes()
    try:
        session = ort.InferenceSession(data, sess_options=session_options(threads), providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types
        raise ValidationError(
            N_("Model file {path} cannot be loaded by onnxruntime: {problem}"),
            path=str(manifest.model_path),
            problem=str(exc).splitlines()[0][:300],
        ) from None
    pre = manifest.preprocessing
    config = FeatureConfig.from_manifest(pre) if pre["id"] == PREPROCESSING_ID else None
    inputs = {i.name for i in session.get_inputs()}
    needed = {"indices", "values"} if config is not None else set()
    if not needed <= inputs:
        raise ValidationError(
            N_("Model {name}: preprocessing `{pre}` needs ONNX inputs {needed}, the model has {inputs}."),
            name=manifest.name,
            pre=pre["id"],
            needed=", ".join(sorted(needed)),
            inputs=", ".join(sorted(inputs)),
        )
    outputs = {o.name for o in session.get_outputs()}
    if manifest.output_name not in outputs:
        raise ValidationError(
            N_("Model {name}: output `{output}` named by the manifest is not among the model's outputs {outputs}."),
            name=manifest.name,
            output=manifest.output_name,
            outputs=", ".join(sorted(outputs)),
        )
    return OnnxModel(manifest=manifest, session=session, feature_config=config)
