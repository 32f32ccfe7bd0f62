"""The assessments' contribution to the report: summary rows, sections, annex, in the edition's language."""

from __future__ import annotations

from assess_data import build

from gaisafe_desktop.core.ingest.importer import ImportRequest, import_dataset


def test_report_rows_sections_and_annex(tmp_project, tmp_path):
    from gaisafe_desktop.core.assess.refusal import assess_refusal
    from gaisafe_desktop.core.assess.report import report_verdict
    from gaisafe_desktop.core.i18n import get_language
    from gaisafe_desktop.core.report.from_project import build_report_model
    from gaisafe_desktop.core.report.model import Verdict

    d = build(tmp_path / "d", ok_records=10, bad_records=10)
    for k in ("should_refuse", "should_not_refuse"):
        import_dataset(
            tmp_project,
            ImportRequest(kind="bank", paths=[d.files[k]], name=k, bank_kind=k, version_date=d.version_date),
        )
    import_dataset(tmp_project, ImportRequest(kind="transcripts", paths=[d.files["answers"]], name="answers"))
    _run, res = assess_refusal(tmp_project, nonce="r")
    model = build_report_model(tmp_project, lang="en")
    rows = {r.check_id: r for r in model.summary}
    snr = rows["refusal_should_not_refuse"]
    assert (snr.n, snr.direction, snr.threshold) == (300, "<=", "≤ 5.0%")
    assert snr.verdict == Verdict.FAIL and "95% exact interval" in snr.note
    assert rows["training_manual"].verdict == Verdict.NOT_ASSESSED
    sec = next(s for s in model.sections if s.key == "assess")
    assert any(s.key == "assess.refusal_should_not_refuse" for s in sec.subsections)
    annex = next(a for a in model.annexes if a.key == "assess.items")
    assert any(a.key == "assess.items.refusal_should_not_refuse" for a in annex.subsections)
    zh = build_report_model(tmp_project, lang="zh")
    row = next(r for r in zh.summary if r.check_id == "refusal_should_not_refuse")
    assert row.check == "非拒答题抽检" and "95% 精确区间" in row.note
    assert get_language() == "en"  # the edition's language does not leak
    # the point rule decides the verdict; the interval note travels beside it ("Pass †")
    assert report_verdict("pass") == Verdict.PASS
    assert report_verdict("insufficient_sample") == Verdict.INSUFFICIENT
    assert report_verdict("not_run") == Verdict.NOT_ASSESSED


def test_report_language_is_per_thread():
    """Building an edition in a worker thread never changes the language the UI thread shows."""
    import threading

    from gaisafe_desktop.core.i18n import _, get_language, set_language, using_language

    set_language("en")
    seen = []
    inside = threading.Event()
    release = threading.Event()

    def worker():
        with using_language("zh"):
            seen.append(_("Cancelled."))
            inside.set()
            release.wait(5)

    t = threading.Thread(target=worker)
    t.start()
    inside.wait(5)
    assert get_language() == "en" and _("Cancelled.") == "Cancelled."
    release.set()
    t.join()
    assert seen == ["已取消。"]
