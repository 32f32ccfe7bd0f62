"""Detectors: the keyword engine, the ONNX classifier runtime, the refusal detector, the model registry."""
