"""Build a tiny third-party ONNX classifier with a manifest, as a provider would bring one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from gaisafe_desktop.core.detect.features import FeatureConfig, featurize
from gaisafe_desktop.core.hashing import sha256_file

CONFIG = FeatureConfig(bits=10, char_ngrams=(1, 2, 3), word_ngrams=(1,))
LABELS = [("weapons", ["A.1.h"]), ("hate", ["A.1.e", "A.2.a"])]


def build_tiny_model(folder: Path, *, version: str = "0.1") -> Path:
    """Weights: the features of 'bomb' push label 0 up, those of 'hate' push label 1 up."""
    folder.mkdir(parents=True, exist_ok=True)
    w = np.zeros((CONFIG.buckets, 2), dtype=np.float32)
    for j, word in enumerate(["bomb", "hate"]):
        b = featurize([word], CONFIG)
        w[b.indices, j] += 8.0
    bias = np.array([-4.0, -4.0], dtype=np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["W", "indices"], ["g"], axis=0),
            helper.make_node("Unsqueeze", ["values", "ax2"], ["v3"]),
            helper.make_node("Mul", ["g", "v3"], ["m"]),
            helper.make_node("ReduceSum", ["m", "ax1"], ["s"], keepdims=0),
            helper.make_node("Add", ["s", "b"], ["z"]),
            helper.make_node("Sigmoid", ["z"], ["scores"]),
        ],
        "tiny",
        [
            helper.make_tensor_value_info("indices", TensorProto.INT64, ["n", "l"]),
            helper.make_tensor_value_info("values", TensorProto.FLOAT, ["n", "l"]),
        ],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["n", 2])],
        initializer=[
            numpy_helper.from_array(w, "W"),
            numpy_helper.from_array(bias, "b"),
            numpy_helper.from_array(np.array([2], dtype=np.int64), "ax2"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "ax1"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save_model(model, str(folder / "tiny.onnx"))
    manifest = {
        "schema": "gaisafe-model-manifest/1",
        "name": "provider-tiny",
        "version": version,
        "task": "risk-multilabel",
        "title": {"zh": "供应商小模型", "en": "Provider tiny model"},
        "model_file": "tiny.onnx",
        "sha256": sha256_file(folder / "tiny.onnx"),
        "preprocessing": CONFIG.to_manifest(),
        "output": {"name": "scores", "activation": "sigmoid"},
        "labels": [{"name": n, "risk_codes": c} for n, c in LABELS],
        "thresholds": {"weapons": 0.5, "hate": 0.5},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return folder
