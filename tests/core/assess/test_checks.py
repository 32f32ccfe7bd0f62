"""Resource checks, the technical check (local processes, cancel, Dask), stored results and the summary."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from assess_data import ALL, build, term

from gaisafe_desktop.core.assess.results import latest_results, result_items, verify_result_items
from gaisafe_desktop.core.errors import CancelledError, IntegrityError
from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset, save_source
from gaisafe_desktop.core.jobs import CancelToken

NONCE = "unit nonce"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return build(tmp_path_factory.mktemp("assess-data"), ok_records=900, bad_records=100)


@pytest.fixture
def project(tmp_project, data):
    from gaisafe_desktop.core.detect.keywords.versions import import_library_version

    p = tmp_project
    for name in ("src-ok", "src-bad"):
        save_source(p, name, origin="domestic", source_type="open_source")
        import_dataset(p, ImportRequest(kind="training", paths=[data.files[name]], name=name, source=name))
    for k in ("generated", "should_refuse", "should_not_refuse"):
        import_dataset(
            p,
            ImportRequest(
                kind="bank",
                paths=[data.files[k]],
                name=f"bank-{k}",
                bank_kind=k,
                bank_id=k,
                version_date=data.version_date,
            ),
        )
    import_dataset(p, ImportRequest(kind="transcripts", paths=[data.files["answers"]], name="answers", model="m"))
    import_library_version(p, data.files["library"], library="test", released=data.version_date)
    return p


def test_check_batch_is_pure_and_flags_keywords(project):
    from gaisafe_desktop.core.assess.detectors import load_detectors
    from gaisafe_desktop.core.assess.technical import check_batch

    det = load_detectors(project)
    recs = [("a", "今天天气很好。"), ("b", "内容" + term("A.1.d")), ("c", "")]
    out = check_batch(recs, det.matcher, None, ALL)
    assert [r["qualified"] for r in out] == [True, False, True]
    assert out[1]["codes"] == ["A.1.d"] and out[1]["keyword"] == [[term("A.1.d"), ["A.1.d"]]]
    assert check_batch(recs, det.matcher, None, ALL) == out
    # a hit outside the risk codes in scope does not make the item unqualified
    assert check_batch(recs[1:2], det.matcher, None, ["A.5.a"])[0]["qualified"] is True


def test_technical_check_two_processes_equals_one(project):
    from gaisafe_desktop.core.assess.technical import assess_training_technical

    _run, (one,) = assess_training_technical(project, nonce=NONCE, workers=1)
    _run, (two,) = assess_training_technical(project, workers=2)
    assert one.inputs["plan"] == two.inputs["plan"]  # the drawn sample is reused
    assert one.verdict.n == two.verdict.n == 100  # exactly ⌈10% × 1,000⌉
    assert (one.verdict.count, [i.record_key for i in one.items]) == (
        two.verdict.count,
        [i.record_key for i in two.items],
    )
    row = latest_results(project)[-1]
    assert row["check_id"] == "training_technical" and verify_result_items(project, row["id"])
    assert row["inputs"]["keyword_library"]["name"] == "test" and row["inputs"]["classifier"]["sha256"]


def test_technical_check_cancel(project):
    from gaisafe_desktop.core.assess.technical import assess_training_technical

    token = CancelToken.for_processes()
    calls = []

    def progress(done, total, msg=""):
        calls.append(done)
        if done:
            token.cancel()

    with pytest.raises(CancelledError):
        assess_training_technical(project, nonce=NONCE, workers=2, batch=10, progress=progress, cancel=token)
    assert not any(r["check_id"] == "training_technical" for r in latest_results(project))


@pytest.mark.slow
def test_dask_job_matches_local_and_detects_tampering(project, tmp_path):
    from distributed import Client, LocalCluster

    from gaisafe_desktop.core.assess.technical import assess_training_technical
    from gaisafe_desktop.core.assess.technical_dask import export_job, import_job_results, run_job

    _run, (local,) = assess_training_technical(project, nonce=NONCE, workers=1)
    job = export_job(project, tmp_path / "job")
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        manifest = run_job(job, client)
    m = json.loads(manifest.read_text())
    assert len(m["partitions"]) == 2 and m["engine"]["name"] == "dask"
    assert sum(p["checked"] for p in m["partitions"]) == local.verdict.n
    _run, (remote,) = import_job_results(project, manifest)
    assert (remote.verdict.n, remote.verdict.count, remote.verdict.verdict) == (
        local.verdict.n,
        local.verdict.count,
        local.verdict.verdict,
    )
    assert sorted(i.record_key for i in remote.items) == sorted(i.record_key for i in local.items)
    assert remote.inputs["engine"]["manifest_sha256"]
    part = tmp_path / "job" / m["partitions"][0]["path"]
    lines = part.read_text().splitlines()
    part.write_text("\n".join(lines[1:]) + "\n")  # one checked record removed
    with pytest.raises(IntegrityError, match="differs from the job manifest"):
        import_job_results(project, manifest)
    m["partitions"][0]["sha256"] = __import__("hashlib").sha256(part.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(m))
    with pytest.raises(IntegrityError, match="are missing"):
        import_job_results(project, manifest)


def test_resources_report_exactly_what_is_missing(project):
    from gaisafe_desktop.core.assess.resources_check import assess_resources, update_check
    from gaisafe_desktop.core.assess.summary import assessment_summary
    from gaisafe_desktop.core.store.profile import set_profile

    set_profile(project, {"modalities": ["text", "image"]})
    _run, res = assess_resources(project)
    by = {r.check_id: r for r in res}
    gb = by["generated_bank"].detail
    assert {"kind": "total", "have": 1100, "required": 2000, "shortfall": 900} in gb["missing"]
    assert {"kind": "modality", "modality": "image"} in gb["missing"]
    short = {s["code"]: s["shortfall"] for s in gb["risk_shortfalls"]}
    assert short["A.1.a"] == 14 and "A.3.a" not in short  # 36 of 50; 35 ≥ 20
    assert by["should_refuse_bank"].outcome == "fail"  # no image questions either
    rows = {r.check_id: r for r in assessment_summary(project)}
    assert "Modality image: no question, but the service offers it." in rows["generated_bank"].missing
    assert rows["training_manual"].verdict == "not_run"
    today = dt.date(2026, 3, 1)
    u = update_check(["2026-01-01", "2026-02-15"], 31, today)
    assert u["met"] is False and u["gaps_over"] == [{"from": "2026-01-01", "to": "2026-02-15", "days": 45}]
    assert update_check(["2026-02-15"], 31, today)["met"] is True


def test_specialised_model_may_move_aspects(project, tmp_path):
    from gaisafe_desktop.core.assess.resources_check import check_bank
    from gaisafe_desktop.core.store.profile import set_profile

    f = tmp_path / "snr.jsonl"
    f.write_text(
        "".join(json.dumps({"question": f"q{i}", "aspect": "health"}) + "\n" for i in range(20)), encoding="utf-8"
    )
    import_dataset(
        project,
        ImportRequest(
            kind="bank",
            paths=[f],
            name="snr-small",
            bank_kind="should_not_refuse",
            version_date=dt.date.today().isoformat(),
        ),
    )
    r = check_bank(project, "should_not_refuse_bank")
    assert len(r.detail["aspect_shortfalls"]) == 12 and r.outcome == "fail"
    f2 = tmp_path / "sr.jsonl"
    f2.write_text(
        "".join(
            json.dumps({"question": f"r{i}-{a}", "aspect": a, "risk_code": "A.1.d"}) + "\n"
            for a in (
                "system",
                "beliefs",
                "image",
                "culture",
                "customs",
                "ethnicity",
                "geography",
                "history",
                "heroic_martyrs",
                "gender",
                "age",
                "occupation",
            )
            for i in range(20)
        ),
        encoding="utf-8",
    )
    import_dataset(
        project,
        ImportRequest(
            kind="bank",
            paths=[f2],
            name="sr-moved",
            bank_kind="should_refuse",
            version_date=dt.date.today().isoformat(),
        ),
    )
    set_profile(project, {"specialised_model": True})
    r = check_bank(project, "should_not_refuse_bank")
    assert r.detail["specialised_model_exception"] is True
    assert len(r.detail["aspects_moved_to_should_refuse"]) == 12 and r.detail["aspect_shortfalls"] == []


def test_stored_items_are_audited_by_digest(project):
    from gaisafe_desktop.core.assess.refusal import assess_refusal

    _run, res = assess_refusal(project, nonce=NONCE)
    row = next(r for r in latest_results(project) if r["check_id"] == "refusal_should_not_refuse")
    assert verify_result_items(project, row["id"])
    assert {i.outcome for i in result_items(project, row["id"])} >= {"refused"}
    project.conn.execute("UPDATE assessment_items SET outcome = 'x' WHERE result_id = ? AND seq = 0", (row["id"],))
    assert not verify_result_items(project, row["id"])
    from gaisafe_desktop.core.store.audit import verify_project

    project.conn.execute("UPDATE assessment_results SET verdict = 'pass' WHERE id = ?", (row["id"],))
    rep = verify_project(project.conn)
    assert not rep.ok and any("assessment_results" in p.where for p in rep.problems)


def test_reviewer_decision_overrides_the_detector(project):
    from gaisafe_desktop.core.assess.refusal import assess_refusal
    from gaisafe_desktop.core.review.decisions import judge
    from gaisafe_desktop.core.review.queues import create_queue
    from gaisafe_desktop.core.store.people import add_person

    _run, res = assess_refusal(project, nonce=NONCE)
    before = next(r for r in res if r.check_id == "refusal_should_not_refuse")
    refused_keys = {i.record_key for i in before.items if i.outcome == "refused"}
    add_person(project, "Reviewer Wu", ["annotator"])
    q = create_queue(
        project, "refusals", plan="refusal_should_not_refuse-1", check_id="refusal_review", annotators=["Reviewer Wu"]
    )
    from gaisafe_desktop.core.review.queues import get_item

    # the reviewer decides that the first sampled question's answer was not a refusal
    item = get_item(project, q.id, 0)
    judge(project, q, 0, "Reviewer Wu", qualified=False)
    _run, res = assess_refusal(project)
    after = next(r for r in res if r.check_id == "refusal_should_not_refuse")
    assert after.detail["human_decisions"] == 1
    answered = {i.reason.get("question_id") for i in before.items if i.record_key in refused_keys}
    from gaisafe_desktop.core.ingest.iterate import get_record

    qid = get_record(project, item.record_key).question_id
    assert after.verdict.count == before.verdict.count - (1 if qid in answered else 0)


def test_missing_library_is_stated(tmp_project, data):
    from gaisafe_desktop.core.assess.summary import assessment_summary
    from gaisafe_desktop.core.assess.technical import assess_training_technical

    save_source(tmp_project, "src-bad", origin="domestic", source_type="open_source")
    import_dataset(
        tmp_project, ImportRequest(kind="training", paths=[data.files["src-bad"]], name="b", source="src-bad")
    )
    _run, (r,) = assess_training_technical(tmp_project, nonce=NONCE, workers=1)
    assert r.verdict.n == 10 and r.detail["missing_methods"] == ["no keyword library"]
    row = next(x for x in assessment_summary(tmp_project) if x.check_id == "training_technical")
    assert row.explanation.endswith("Incomplete: no keyword library.")
