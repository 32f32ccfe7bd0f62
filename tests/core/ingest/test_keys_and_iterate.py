"""Record keys, register-only streaming with hash checks, the population manifest."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from gaisafe_desktop.core.errors import IntegrityError, UsageError, ValidationError
from gaisafe_desktop.core.hashing import sha256_file
from gaisafe_desktop.core.ingest import keys
from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset
from gaisafe_desktop.core.ingest.iterate import get_record, iter_records
from gaisafe_desktop.core.ingest.manifest import dataset_population


def _corpus(path, n=3000):
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"样本文本 {i % (n - 100)} sample"
            fh.write(json.dumps({"id": i, "text": text, "risk": "A1" if i % 2 else "B2"}, ensure_ascii=False) + "\n")
            if i == 10:
                fh.write("{not json}\n")
    return path


def test_key_is_file_hash_index_and_content_hash(tmp_project, tmp_path):
    f = _corpus(tmp_path / "c.jsonl")
    s = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f]))
    recs = list(iter_records(tmp_project, s.dataset_id))
    r = recs[11]  # the record after the broken line keeps index 12
    content = f"{r.text}\x1f\x1f\x1f".encode()
    expected = f"rk1:{sha256_file(f)[:16]}:12:{hashlib.sha256(content).hexdigest()[:16]}"
    assert r.key == expected and r.idx == 12 and r.line == 13
    assert keys.parse_key(r.key) == (sha256_file(f)[:16], 12, hashlib.sha256(content).hexdigest()[:16])
    assert len({x.key for x in recs}) == len(recs) == 3000
    assert get_record(tmp_project, r.key).text == r.text
    with pytest.raises(ValidationError, match="is not a record key"):
        keys.parse_key("rk1:xyz")


def test_full_and_register_only_give_identical_records_and_keys(tmp_project, tmp_path):
    f = _corpus(tmp_path / "c.jsonl")
    full = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f], name="full"))
    reg = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f], name="reg", mode="register"))
    assert (full.records, full.duplicates, full.quarantined) == (reg.records, reg.duplicates, reg.quarantined)
    assert full.duplicates == 100
    a = [(r.key, r.text, r.risk_code, r.duplicate, r.meta) for r in iter_records(tmp_project, full.dataset_id)]
    b = [(r.key, r.text, r.risk_code, r.duplicate, r.meta) for r in iter_records(tmp_project, reg.dataset_id)]
    assert a == b
    # register-only stores no records in the project
    assert tmp_project.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == full.records


def test_register_only_detects_changed_and_missing_files(tmp_project, tmp_path):
    f = _corpus(tmp_path / "c.jsonl", 500)
    keep = tmp_path / "orig.jsonl"
    shutil.copy(f, keep)
    s = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f], mode="register"))
    assert sum(1 for _ in iter_records(tmp_project, s.dataset_id)) == 500
    with f.open("a") as fh:
        fh.write('{"text": "appended later"}\n')
    with pytest.raises(IntegrityError) as e:
        next(iter(iter_records(tmp_project, s.dataset_id)))
    assert f"{f} has changed since it was registered" in str(e.value)
    f.unlink()
    with pytest.raises(IntegrityError) as e:
        list(iter_records(tmp_project, s.dataset_id))
    assert str(e.value) == f"{f} is missing; the register-only dataset cannot be read. Put the file back or re-import."
    shutil.copy(keep, f)
    assert sum(1 for _ in iter_records(tmp_project, s.dataset_id)) == 500


def test_population_manifest(tmp_project, tmp_path):
    f1 = _corpus(tmp_path / "a.jsonl", 200)
    f2 = _corpus(tmp_path / "b.jsonl", 300)
    s1 = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f1], name="a"))
    s2 = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f2], name="b", mode="register"))
    pop = dataset_population(tmp_project, [s2.dataset_id, "a"])
    assert pop["records"] == 500
    assert [d["name"] for d in pop["datasets"]] == ["a", "b"]
    assert pop["datasets"][0]["files"] == [{"sha256": sha256_file(f1), "size": f1.stat().st_size, "records": 200}]
    body = {k: v for k, v in pop.items() if k != "hash"}
    from gaisafe_desktop.core.hashing import digest

    assert pop["hash"] == digest(body)
    assert dataset_population(tmp_project, [s1.dataset_id, s2.dataset_id])["hash"] == pop["hash"]


def test_audit_log_has_one_entry_per_batch_and_verifies(tmp_project, tmp_path, monkeypatch):
    from gaisafe_desktop.core.ingest import importer
    from gaisafe_desktop.core.store.audit import verify_project

    monkeypatch.setattr(importer, "BATCH", 1000)
    f = _corpus(tmp_path / "c.jsonl", 3500)
    s = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f]))
    actions = [r[0] for r in tmp_project.conn.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions.count("dataset.import.batch") == 4  # 3 full batches + the final one
    assert actions[-1] == "dataset.import.complete"
    last = json.loads(
        tmp_project.conn.execute("SELECT payload FROM audit_log WHERE action = 'dataset.import.complete'").fetchone()[0]
    )
    assert last["manifest_hash"] == s.manifest_hash and last["records"] == 3500
    assert verify_project(tmp_project.conn).ok


def test_existing_dataset_name_is_refused(tmp_project, tmp_path):
    f = _corpus(tmp_path / "c.jsonl", 10)
    import_dataset(tmp_project, ImportRequest(kind="training", paths=[f], name="x"))
    with pytest.raises(UsageError, match="A training dataset named x already exists"):
        import_dataset(tmp_project, ImportRequest(kind="training", paths=[f], name="x"))


def test_get_record_finds_every_key_and_rejects_unknown(tmp_project, tmp_path):
    from gaisafe_desktop.core.errors import NotFoundError

    f1 = _corpus(tmp_path / "a.jsonl", 700)
    f2 = _corpus(tmp_path / "b.jsonl", 900)
    s = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f1, f2]))
    recs = list(iter_records(tmp_project, s.dataset_id))
    for r in recs[::37] + [recs[0], recs[-1], recs[11], recs[699], recs[700]]:
        assert get_record(tmp_project, r.key) == r
    fprefix, idx, _c = keys.parse_key(recs[5].key)
    with pytest.raises(NotFoundError, match="No record with key"):
        get_record(tmp_project, f"rk1:{fprefix}:{idx}:0000000000000000")
    with pytest.raises(NotFoundError):
        get_record(tmp_project, f"rk1:{fprefix}:11:{keys.parse_key(recs[5].key)[2]}")  # idx 11 is the broken line


def test_duplicates_are_the_same_when_hash_runs_spill_to_disk(tmp_project, tmp_path, monkeypatch):
    from gaisafe_desktop.core.ingest import dedup

    f = _corpus(tmp_path / "c.jsonl", 3000)
    a = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f], name="mem"))
    monkeypatch.setattr(dedup, "RUN_SIZE", 256)
    b = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f], name="disk", mode="register"))
    assert a.duplicates == b.duplicates == 100
    dup_a = [r.key for r in iter_records(tmp_project, a.dataset_id) if r.duplicate]
    dup_b = [r.key for r in iter_records(tmp_project, b.dataset_id) if r.duplicate]
    assert dup_a == dup_b and len(dup_a) == 100


def test_batches_are_also_bounded_by_text_size(tmp_project, tmp_path, monkeypatch):
    from gaisafe_desktop.core.ingest import importer

    monkeypatch.setattr(importer, "BATCH_CHARS", 20_000)
    f = tmp_path / "long.jsonl"
    f.write_text("".join(json.dumps({"text": f"{i}" + "长" * 999}) + "\n" for i in range(100)), encoding="utf-8")
    s = import_dataset(tmp_project, ImportRequest(kind="training", paths=[f]))
    assert s.records == 100
    batches = [
        json.loads(p[0])["records"]
        for p in tmp_project.conn.execute("SELECT payload FROM audit_log WHERE action = 'dataset.import.batch'")
    ]
    assert max(batches) <= 21 and sum(batches) == 100
