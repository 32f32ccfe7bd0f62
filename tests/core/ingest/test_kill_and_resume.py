"""A real import process killed with SIGKILL mid-way leaves a consistent project; a re-run resumes."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from gaisafe_desktop.core.errors import UsageError
from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset
from gaisafe_desktop.core.ingest.iterate import iter_records
from gaisafe_desktop.core.store import create_project, open_project
from gaisafe_desktop.core.store.audit import verify_project
from gaisafe_testing import ROOT, subprocess_env

N = 60_000


def _corpus(path):
    with path.open("w", encoding="utf-8") as fh:
        for i in range(N):
            fh.write(json.dumps({"id": i, "text": f"第{i % 59_000}条 record {i % 59_000}"}, ensure_ascii=False) + "\n")
            if i % 10_000 == 5:
                fh.write("{broken\n")
    return path


def _state(db):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        row = conn.execute("SELECT state FROM import_state").fetchone()
        return json.loads(row[0]) if row else None
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_mid_import_then_resume(tmp_path):
    db = tmp_path / "audit.gaisafe"
    create_project(db, framework_id="tc260-2024-draft", provider="P", service="S", actor="Test Auditor").close()
    corpus = _corpus(tmp_path / "corpus.jsonl")
    args = [sys.executable, "-m", "gaisafe_desktop.cli", "--project", str(db), "import", "data", str(corpus)]
    args += ["--source", "web", "--origin", "domestic"]
    env = subprocess_env(GAISAFE_IMPORT_BATCH="2000")
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    state = None
    while time.monotonic() < deadline and proc.poll() is None:
        state = _state(db)
        if state and state["seq"] >= 6000:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the import finished before it could be killed; raise N"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # the project is consistent: log verifies, dataset is visible as importing, readers refuse it
    project = open_project(db, actor="Test Auditor")
    try:
        assert verify_project(project.conn).ok
        ds = project.conn.execute("SELECT id, status, records FROM datasets").fetchone()
        assert (ds["status"], ds["records"]) == ("importing", 0)
        state = json.loads(project.conn.execute("SELECT state FROM import_state").fetchone()[0])
        committed = project.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        assert committed == state["seq"] > 0 and committed < N  # exactly the checkpointed batches, no half batch
        with pytest.raises(UsageError, match="still importing"):
            next(iter(iter_records(project, ds["id"])))
    finally:
        project.close()

    # re-run the same command: it resumes and completes
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Resumed an unfinished import." in done.stdout
    assert "60,000 records taken, 6 quarantined, 1,000 duplicates" in done.stdout

    # identical to a clean import of the same file in one go
    clean_db = tmp_path / "clean.gaisafe"
    clean = create_project(clean_db, framework_id="tc260-2024-draft", provider="P", service="S", actor="T")
    try:
        cs = import_dataset(clean, ImportRequest(kind="training", paths=[corpus], name="web"))
        project = open_project(db, actor="Test Auditor")
        try:
            ds = project.conn.execute("SELECT * FROM datasets").fetchone()
            assert (ds["status"], ds["records"], ds["duplicates"], ds["quarantined"]) == ("complete", N, 1000, 6)
            assert ds["manifest_hash"] == cs.manifest_hash
            resumed = [(r.key, r.duplicate) for r in iter_records(project, ds["id"])]
            assert resumed == [(r.key, r.duplicate) for r in iter_records(clean, cs.dataset_id)]
            assert project.conn.execute("SELECT COUNT(*) FROM quarantine").fetchone()[0] == 6
            assert project.conn.execute("SELECT COUNT(*) FROM import_state").fetchone()[0] == 0
            assert verify_project(project.conn).ok
        finally:
            project.close()
    finally:
        clean.close()


def test_restart_discards_an_unfinished_import(tmp_project, tmp_path, monkeypatch):
    from gaisafe_desktop.core.errors import CancelledError
    from gaisafe_desktop.core.ingest import importer
    from gaisafe_desktop.core.jobs import CancelToken

    monkeypatch.setattr(importer, "BATCH", 1000)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"text": f"t{i}"}) + "\n" for i in range(20_000)), encoding="utf-8")
    token = CancelToken()

    def progress(done, total, msg=""):
        if tmp_project.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] >= 3000:
            token.cancel()

    with pytest.raises(CancelledError):
        import_dataset(
            tmp_project, ImportRequest(kind="training", paths=[corpus], name="c"), progress=progress, cancel=token
        )
    assert tmp_project.conn.execute("SELECT status FROM datasets").fetchone()[0] == "importing"
    s = import_dataset(tmp_project, ImportRequest(kind="training", paths=[corpus], name="c", restart=True))
    assert (s.restarted, s.resumed, s.records) == (True, False, 20_000)
    assert tmp_project.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 20_000
    assert tmp_project.conn.execute("SELECT COUNT(*) FROM datasets").fetchone()[0] == 1


def test_changed_file_restarts_instead_of_resuming(tmp_project, tmp_path, monkeypatch):
    from gaisafe_desktop.core.errors import CancelledError
    from gaisafe_desktop.core.ingest import importer
    from gaisafe_desktop.core.jobs import CancelToken

    monkeypatch.setattr(importer, "BATCH", 1000)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"text": f"t{i}"}) + "\n" for i in range(20_000)), encoding="utf-8")
    token = CancelToken()
    calls = []

    def progress(done, total, msg=""):
        calls.append(done)
        if len(calls) > 1:
            token.cancel()

    with pytest.raises(CancelledError):
        import_dataset(
            tmp_project, ImportRequest(kind="training", paths=[corpus], name="c"), progress=progress, cancel=token
        )
    with corpus.open("a") as fh:
        fh.write(json.dumps({"text": "new"}) + "\n")
    s = import_dataset(tmp_project, ImportRequest(kind="training", paths=[corpus], name="c"))
    assert (s.restarted, s.resumed, s.records) == (True, False, 20_001)
    assert tmp_project.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 20_001


@pytest.mark.slow
def test_ctrl_c_cancels_cleanly_and_the_rerun_resumes(tmp_path):
    db = tmp_path / "audit.gaisafe"
    create_project(db, framework_id="tc260-2024-draft", provider="P", service="S", actor="Test Auditor").close()
    corpus = _corpus(tmp_path / "corpus.jsonl")
    args = [sys.executable, "-m", "gaisafe_desktop.cli", "--project", str(db), "import", "data", str(corpus)]
    args += ["--source", "web", "--origin", "domestic"]
    env = subprocess_env(GAISAFE_IMPORT_BATCH="2000")
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        state = _state(db)
        if state and state["seq"] >= 4000:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the import finished before it could be interrupted; raise N"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Cancelled; what was imported so far is kept. Run the same command again to resume." in err
    project = open_project(db, actor="Test Auditor")
    try:
        assert verify_project(project.conn).ok
        assert project.conn.execute("SELECT status FROM datasets").fetchone()[0] == "importing"
    finally:
        project.close()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Resumed an unfinished import." in done.stdout
    assert "60,000 records taken, 6 quarantined, 1,000 duplicates" in done.stdout
