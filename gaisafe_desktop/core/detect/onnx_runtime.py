"""Load an ONNX classifier after verifying its SHA-256, and run it in batches with progress and cancel.

The app runs ONNX only (onnxruntime, CPU). Both cores are used by running batches concurrently:
``workers`` threads (default: one per core) each featurise a batch and run it through the shared
session with one intra-op thread (``InferenceSession.run`` is thread-safe and releases the GIL), so
featurisation of one batch overlaps inference of another. Measured here, this beats one batch at a
time with two intra-op threads, whose spinning threads also fight other processes for the cores
(see ``benchmarks/classifier_bench.py``). Texts are sorted by length first so each padded batch
stays narrow.
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor
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


def session_options(intra_threads: int = 1) -> ort.SessionOptions:
    """Options with ``intra_threads`` threads per inference, no busy-waiting, deterministic graph order."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = intra_threads
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
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
    workers: int = 1

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
            progress: called with (done, total) after each batch, in order.
            cancel: polled before each batch is started; raises ``CancelledError``.
        """
        n = len(texts)
        out = np.zeros((n, len(self.labels)), dtype=np.float32)
        order = np.argsort(np.fromiter((len(t or "") for t in texts), dtype=np.int64, count=n), kind="stable")
        batches = [order[s : s + batch_size] for s in range(0, n, batch_size)]
        done = 0
        if self.workers <= 1 or len(batches) <= 1:
            for sel in batches:
                cancel.raise_if_cancelled()
                out[sel] = self._run_batch([texts[i] for i in sel])
                done += len(sel)
                progress(done, n, "")
            return out
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="gaisafe-onnx") as pool:
            pending: deque = deque()
            for sel in batches:
                cancel.raise_if_cancelled()
                pending.append((sel, pool.submit(self._run_batch, [texts[i] for i in sel])))
                if len(pending) >= 2 * self.workers:
                    done = self._collect(pending.popleft(), out, done, n, progress)
            while pending:
                done = self._collect(pending.popleft(), out, done, n, progress)
        return out

    @staticmethod
    def _collect(item, out: np.ndarray, done: int, n: int, progress: Progress) -> int:
        sel, fut = item
        out[sel] = fut.result()
        done += len(sel)
        progress(done, n, "")
        return done


def load_model(folder: str | Path, *, threads: int | None = None, verify: bool = True) -> OnnxModel:
    """Load the model of a folder holding ``manifest.json`` and the ONNX file.

    ``threads``: batches run concurrently (default: one per core).

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
        session = ort.InferenceSession(data, sess_options=session_options(1), providers=["CPUExecutionProvider"])
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
    workers = threads or os.cpu_count() or 1
    return OnnxModel(manifest=manifest, session=session, feature_config=config, workers=max(1, workers))
