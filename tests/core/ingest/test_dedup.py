"""Duplicate detection gives the same answer in memory and with sorted runs spilled to disk."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gaisafe_desktop.core.ingest.dedup import DuplicateFinder


def _expected(hashes):
    seen, out = set(), []
    for i, h in enumerate(hashes):
        if h in seen:
            out.append(i)
        seen.add(h)
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.integers(0, 20), max_size=300),
       st.integers(1, 50))  # fmt: skip
def test_spilled_runs_match_a_set(hashes, run_size):
    f = DuplicateFinder(run_size=run_size)
    f.extend(hashes)
    assert f.duplicates() == _expected(hashes)
    assert f.runs == []


def test_many_runs_on_disk_are_removed_afterwards(tmp_path):
    rng = np.random.default_rng(3)
    hashes = rng.integers(0, 50_000, size=200_000).tolist()
    f = DuplicateFinder(run_size=30_000, tmpdir=tmp_path)
    f.extend(hashes)
    assert len(list(tmp_path.iterdir())) == 6  # six full runs spilled so far
    assert f.duplicates() == _expected(hashes)
    assert list(tmp_path.iterdir()) == []
