"""The shipped refusal model is exactly what ``training/build_models.py`` builds (SHA-256 equality).

The risk classifier is checked the same way by ``python training/build_models.py --check`` (several
minutes on 2 cores; result recorded in docs/models/risk-classifier.md), not in the test suite.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gaisafe_testing import ROOT

pytest.importorskip("sklearn")


@pytest.mark.slow
def test_refusal_model_rebuild_matches_shipped_files():
    sys.path.insert(0, str(ROOT))
    from training.build_models import inputs_digest
    from training.risk_data import DATASETS

    if not (DATASETS / "jbb-artifacts").is_dir():
        pytest.skip(f"shared datasets not present at {DATASETS}")
    manifest = json.loads((ROOT / "bundled_models" / "refusal-detector" / "manifest.json").read_text(encoding="utf-8"))
    if manifest["build"]["inputs_sha256"] != inputs_digest("refusal")["inputs_sha256"]:
        pytest.skip("training inputs changed since the shipped build: run training/build_models.py --only refusal")
    proc = subprocess.run(
        [sys.executable, "training/build_models.py", "--only", "refusal", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count(" OK") == 3
