"""GAISafe Desktop: offline auditing of generative-AI services against TC260 / GB/T 45654-2025."""

import os

__version__ = "0.1.0"

# onnxruntime sends usage telemetry to a Microsoft endpoint from a background thread unless this is set
# (seen as DNS look-ups of mobile.events.data.microsoft.com during the demo audit). The app never uses the
# network: switch it off here, before any onnxruntime import, for this process and every worker it spawns.
# Proven by tests/e2e/test_frozen_build.py (no IPv4/IPv6 connect under strace).
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
