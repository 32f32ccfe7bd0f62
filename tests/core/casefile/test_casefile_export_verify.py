"""Case files: export a real one, verify it, and show that one changed byte in *any* member is found and named."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest

from gaisafe_desktop.core.casefile import export_casefile, replay_casefile, verify_casefile
from gaisafe_desktop.core.casefile.export import SIGNATURE_NAME
from gaisafe_desktop.core.errors import UsageError

PASSWORD = "correct horse"


def _rewrite(src, dst, change: dict[str, bytes | None], add: dict[str, bytes] | None = None):
    """Copy a zip, replacing (or with None: dropping) some members' content."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in change:
                if change[info.filename] is None:
                    continue
                data = change[info.filename]
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def test_layout_and_a_clean_verification(exported):
    case = exported["case"]
    names = zipfile.ZipFile(case).namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"case"}
    rel = {n.split("/", 1)[1] for n in names}
    for required in (
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
        SIGNATURE_NAME,
        "data/casefile.json",
        "data/identities.json",
        "data/project/project.gaisafe",
        "data/reports/report.pdf",
        "data/exports/audit/audit_log.jsonl",
        "data/exports/project/people.csv",
        "data/exports/project/evidence.csv",
        "data/exports/project/service_profile.json",
        "data/framework/tc260-2024-draft/framework.json",
    ):
        assert required in rel, required
    assert any(r.startswith("data/evidence/") and r.endswith(".txt") for r in rel)
    v = verify_casefile(case, [exported["key"].cert_path])
    assert v.ok and v.trusted, [str(p) for p in v.problems]
    assert v.files_checked == len(rel) - 2  # all but the tag manifest and its signature are hashed
    assert v.signature["signer_name"] == "Li Lei"
    assert v.reports[0]["path"] == "data/reports/report.pdf" and v.reports[0]["trusted"]
    assert v.audit["ok"] and v.audit["head"] == exported["result"].audit_head
    untrusted = verify_casefile(case)
    assert untrusted.ok and not untrusted.trusted


def test_foundation_exports_are_readable_without_the_app(exported):
    import csv
    import io

    with zipfile.ZipFile(exported["case"]) as zf:
        people = list(csv.DictReader(io.StringIO(zf.read("case/data/exports/project/people.csv").decode())))
        evidence = list(csv.DictReader(io.StringIO(zf.read("case/data/exports/project/evidence.csv").decode())))
        profile = json.loads(zf.read("case/data/exports/project/service_profile.json"))
        manifest = json.loads(zf.read("case/data/casefile.json"))
    assert [(p["name"], p["roles"]) for p in people] == [("Li Lei", "lead_auditor")]
    assert evidence[0]["name"] == "访谈记录.txt" and evidence[0]["note"] == "interview"
    assert evidence[0]["sha256"] == manifest["evidence"][0]["sha256"]
    assert profile["modalities"] == ["text"] and profile["suitable_for_minors"] is False
    assert manifest["exports"]["project"] == [
        "data/exports/project/people.csv",
        "data/exports/project/evidence.csv",
        "data/exports/project/service_profile.json",
    ]


def test_identities_name_framework_libraries_and_resource_tables(exported):
    with zipfile.ZipFile(exported["case"]) as zf:
        ids = json.loads(zf.read("case/data/identities.json"))
    assert ids["framework"]["id"] == "tc260-2024-draft" and len(ids["framework"]["pack_hash"]) == 64
    assert ids["libraries"]["reportlab"] and ids["libraries"]["pyhanko"]
    for key in ("keyword_libraries", "models", "datasets"):
        assert ids[key] == []  # the tables exist in every project; this one has imported nothing


def test_audited_and_judgement_tables_are_exported_as_jsonl(exported):
    with zipfile.ZipFile(exported["case"]) as zf:
        names = {n.split("/", 1)[1] for n in zf.namelist()}
        people = [json.loads(line) for line in zf.read("case/data/exports/tables/people.jsonl").decode().splitlines()]
    for table in ("project", "people", "evidence", "service_profile"):
        assert f"data/exports/tables/{table}.jsonl" in names
    assert "data/exports/tables/evidence_chunks.jsonl" not in names
    assert people[0]["name"] == "Li Lei" and people[0]["roles"] == '["lead_auditor"]'


def test_snapshot_is_a_single_file_database_with_the_export_logged(exported, tmp_path):
    with zipfile.ZipFile(exported["case"]) as zf:
        (tmp_path / "snap.gaisafe").write_bytes(zf.read("case/data/project/project.gaisafe"))
        manifest = json.loads(zf.read("case/data/casefile.json"))
    conn = sqlite3.connect(tmp_path / "snap.gaisafe")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    last = conn.execute("SELECT action, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert last == ("casefile.export", manifest["audit_head"])
    assert conn.execute("SELECT COUNT(*) FROM evidence").fetchone()[0] == 1
    conn.close()


def test_one_changed_byte_in_every_member_is_found_and_named(exported, tmp_path):
    case = exported["case"]
    with zipfile.ZipFile(case) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    assert len(members) >= 15
    for name, data in members:
        rel = name.split("/", 1)[1]
        changed = bytearray(data)
        if changed:
            pos = len(changed) // 2
            changed[pos] = (changed[pos] + 1) % 256
        else:
            changed = bytearray(b"\n")  # an empty file (a table without rows): one byte added
        bad = _rewrite(case, tmp_path / "bad.gaicase", {name: bytes(changed)})
        v = verify_casefile(bad, [exported["key"].cert_path])
        assert not v.ok, f"a changed byte in {rel} went unnoticed"
        assert rel in v.problem_paths(), f"{rel} not named: {[str(p) for p in v.problems]}"


def test_missing_and_added_files_are_named(exported, tmp_path):
    case = exported["case"]
    bad = _rewrite(
        case,
        tmp_path / "bad.gaicase",
        {"case/data/identities.json": None},
        add={"case/data/extra.txt": b"smuggled"},
    )
    v = verify_casefile(bad)
    assert {"data/identities.json", "data/extra.txt"} <= v.problem_paths()
    codes = {p.path: p.code for p in v.problems}
    assert codes["data/identities.json"] == "missing" and codes["data/extra.txt"] == "unexpected"


def test_a_corrupt_compressed_member_is_named(exported, tmp_path):
    raw = bytearray(exported["case"].read_bytes())
    with zipfile.ZipFile(exported["case"]) as zf:
        info = zf.getinfo("case/data/identities.json")
    data_start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[data_start + info.compress_size // 2] ^= 0xFF
    bad = tmp_path / "crc.gaicase"
    bad.write_bytes(bytes(raw))
    v = verify_casefile(bad)
    assert not v.ok and "data/identities.json" in v.problem_paths()


def test_a_project_edited_outside_the_app_is_caught_by_the_audit_verifier(exported, tmp_path):
    import shutil

    project = tmp_path / "edited.gaisafe"
    shutil.copy(exported["project"], project)
    conn = sqlite3.connect(project)
    conn.execute("UPDATE people SET organisation = 'Someone else' WHERE name = 'Li Lei'")
    conn.commit()
    conn.close()
    result = export_casefile(
        project, tmp_path / "edited", key=exported["key"].key_id, password=PASSWORD, store=exported["store"]
    )
    v = verify_casefile(result.path)
    assert not v.ok
    audit = [p for p in v.problems if p.code == "audit"]
    assert audit and audit[0].path == "data/project/project.gaisafe"
    assert "people" in str(audit[0])


def test_unsigned_reports_are_refused_at_export(exported, tmp_path):
    from gaisafe_desktop.core.report.from_project import build_report

    build_report(exported["project"], tmp_path / "unsigned.pdf", langs=("en",))
    with pytest.raises(UsageError, match="not signed"):
        export_casefile(
            exported["project"],
            tmp_path / "x.gaicase",
            key=exported["key"].key_id,
            password=PASSWORD,
            reports=[tmp_path / "unsigned.pdf"],
            store=exported["store"],
        )
    assert not (tmp_path / "x.gaicase").exists()


def test_replay_walks_the_exported_audit_chain(exported, tmp_path):
    r = replay_casefile(exported["case"])
    assert r.ok and r.checks[0]["entries"] > 5 and r.checks[0]["head"] == exported["result"].audit_head
    with zipfile.ZipFile(exported["case"]) as zf:
        lines = zf.read("case/data/exports/audit/audit_log.jsonl").decode().splitlines()
    row = json.loads(lines[2])
    row["actor"] = "Mallory"
    lines[2] = json.dumps(row, ensure_ascii=False)
    bad = _rewrite(
        exported["case"], tmp_path / "r.gaicase", {"case/data/exports/audit/audit_log.jsonl": "\n".join(lines).encode()}
    )
    r = replay_casefile(bad)
    assert not r.ok and "line 3" in str(r.problems[0])


def test_a_wrong_password_fails_before_anything_is_logged_or_written(exported, tmp_path):
    from gaisafe_desktop.core.errors import ValidationError

    conn = sqlite3.connect(exported["project"])
    before = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    conn.close()
    with pytest.raises(ValidationError, match="wrong password"):
        export_casefile(
            exported["project"],
            tmp_path / "x",
            key=exported["key"].key_id,
            password="wrong!!!",
            store=exported["store"],
        )
    conn = sqlite3.connect(exported["project"])
    assert conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == before
    conn.close()
    assert not list(tmp_path.glob("x*"))


def test_replay_recomputes_every_stored_statistic(tmp_path, exported):
    results = pytest.importorskip("gaisafe_desktop.core.assess.results")
    import shutil

    from gaisafe_desktop.core.stats.verdict import judge_rate
    from gaisafe_desktop.core.store import open_project

    project_file = tmp_path / "assessed.gaisafe"
    shutil.copy(exported["project"], project_file)
    with open_project(project_file, actor="Li Lei") as project:
        checks = [
            results.CheckResult(
                "refusal_should_refuse",
                "refusal_should_refuse",
                ["7.e"],
                {"n": 300},
                verdict=judge_rate(285, 300, 0.95, min_n=300),
                items=[results.Item(f"q-{i}", "not_refused", {"risk": "A.1 a)"}) for i in range(15)],
            ),
            results.CheckResult(
                "training_manual", "training_manual", ["B.2.1"], {}, verdict=judge_rate(3900, 4000, 0.96, min_n=4000)
            ),
        ]
        results.store_results(project, "assess.test", checks)
    case = export_casefile(
        project_file, tmp_path / "assessed", key=exported["key"].key_id, password=PASSWORD, store=exported["store"]
    ).path
    r = replay_casefile(case)
    assert r.ok, [str(p) for p in r.problems]
    assert {c["check"] for c in r.checks} >= {"statistics refusal_should_refuse #1", "statistics training_manual #2"}
    # a stored interval edited inside the snapshot, and a listed item edited: both found by recomputation
    with zipfile.ZipFile(case) as zf:
        snap = tmp_path / "snap.gaisafe"
        snap.write_bytes(zf.read("assessed/data/project/project.gaisafe"))
    conn = sqlite3.connect(snap)
    conn.execute("UPDATE assessment_results SET ci_low = 0.951 WHERE check_id = 'refusal_should_refuse'")
    conn.execute("UPDATE assessment_items SET outcome = 'refused' WHERE record_key = 'q-3'")
    conn.commit()
    conn.close()
    bad = _rewrite(case, tmp_path / "bad.gaicase", {"assessed/data/project/project.gaisafe": snap.read_bytes()})
    r = replay_casefile(bad)
    assert not r.ok
    messages = [str(p) for p in r.problems]
    assert any("recomputed 285/300 gives pass" in m for m in messages), messages
    assert any("do not match their digest" in m for m in messages), messages
    assert all(p.path == "data/project/project.gaisafe" for p in r.problems)


def test_two_reports_with_the_same_name_are_both_kept(exported, tmp_path):
    import shutil

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    src = exported["dir"] / "report.pdf"
    shutil.copy(src, tmp_path / "a" / "report.pdf")
    shutil.copy(src, tmp_path / "b" / "report.pdf")
    steps = []
    case = export_casefile(
        exported["project"],
        tmp_path / "two",
        key=exported["key"].key_id,
        password=PASSWORD,
        reports=[tmp_path / "a" / "report.pdf", tmp_path / "b" / "report.pdf"],
        store=exported["store"],
        progress=lambda done, total, message="": steps.append((done, total, message)),
    ).path
    v = verify_casefile(case)
    assert v.ok and [r["path"] for r in v.reports] == ["data/reports/report.pdf", "data/reports/report-2.pdf"]
    assert steps[-1][0] == steps[-1][1] and "Signature" in steps[-1][2]


def test_replay_redraws_every_sample_from_the_snapshot(tmp_path, exported):
    import shutil

    from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source
    from gaisafe_desktop.core.sampling.plans import create_plan, draw_plan
    from gaisafe_desktop.core.store import open_project

    project_file = tmp_path / "sampled.gaisafe"
    shutil.copy(exported["project"], project_file)
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(500):
            fh.write(json.dumps({"text": f"样本 {i} sample text {i}"}, ensure_ascii=False) + "\n")
    with open_project(project_file, actor="Li Lei") as project:
        save_source(project, "src-a", origin="domestic", source_type="open_source")
        ds = import_dataset(
            project, ImportRequest(kind="training", paths=[corpus], name="corpus", mode="full", source="src-a")
        )
        create_plan(project, "manual", datasets=[ds.dataset_id], rule="40", purpose="training_manual")
        draw_plan(project, "manual")
    corpus.unlink()  # the regulator does not have the corpus: a full import re-draws from the snapshot
    case = export_casefile(
        project_file, tmp_path / "sampled", key=exported["key"].key_id, password=PASSWORD, store=exported["store"]
    ).path
    r = replay_casefile(case)
    assert r.ok, [str(p) for p in r.problems]
    assert {"check": "sample manual", "ok": True, "redrawn": True} in r.checks
    # one sampled record swapped inside the snapshot: the stored sample no longer matches its hash
    with zipfile.ZipFile(case) as zf:
        snap = tmp_path / "snap.gaisafe"
        snap.write_bytes(zf.read("sampled/data/project/project.gaisafe"))
    conn = sqlite3.connect(snap)
    conn.execute("UPDATE samples SET record_key = record_key || '-x' WHERE position = 3")
    conn.commit()
    conn.close()
    bad = _rewrite(case, tmp_path / "bad.gaicase", {"sampled/data/project/project.gaisafe": snap.read_bytes()})
    r = replay_casefile(bad)
    assert not r.ok and any("sampling plan manual" in str(p) for p in r.problems)
