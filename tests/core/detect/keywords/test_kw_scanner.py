"""Scanner: files on two cores give the same hits as one, with progress, cancel and clear errors."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaisafe_desktop.core.detect.keywords.library import Entry
from gaisafe_desktop.core.detect.keywords.matcher import KeywordMatcher
from gaisafe_desktop.core.detect.keywords.scanner import (
    SPAWN_MIN_BYTES,
    KeywordScanPool,
    auto_workers,
    default_workers,
    fork_is_safe,
    plan_chunks,
    run_keyword_scan,
    scan_texts,
)
from gaisafe_desktop.core.errors import CancelledError, NotFoundError, ValidationError
from gaisafe_desktop.core.jobs import CancelToken

TERMS = ["炸弹", "赌博网站", "ass", "口交"]


@pytest.fixture(scope="module")
def matcher() -> KeywordMatcher:
    return KeywordMatcher([Entry(t, ("A.1.h",)) for t in TERMS] + [Entry("路口交通", kind="allow")])


@pytest.fixture(scope="module")
def rich_matcher() -> KeywordMatcher:
    """Every kind of entry: plain, Latin, exact, rule, allow (each takes its own path in a worker)."""
    return KeywordMatcher(
        [Entry(t, ("A.1.h",)) for t in TERMS]
        + [
            Entry("路口交通", kind="allow"),
            Entry("天气&普通~新闻", ("A.2.a",)),
            Entry("女装", ("A.1.j",), match="exact"),
        ]
    )


def _lines(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pieces = ["今天天气很好", "路口交通", "炸 弹", "赌博.网站", "class", "the ass", "普通的句子", "ＡＳＳ", "口交"]
    pieces += ["新闻", "女装", "女 装"]
    return ["".join(rng.choices(pieces, k=rng.randint(1, 6))) for _ in range(n)]


def test_plan_chunks_cover_the_file_at_line_starts(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("\n".join(_lines(3000)) + "\n", encoding="utf-8")
    chunks = plan_chunks(p, 4096)
    data = p.read_bytes()
    assert chunks[0][0] == 0 and chunks[-1][1] == len(data)
    assert all(a == b_prev for (_, b_prev), (a, _) in zip(chunks, chunks[1:], strict=False))
    assert all(data[a - 1 : a] == b"\n" for a, _ in chunks[1:])


def test_two_workers_equal_one_and_equal_line_by_line(tmp_path, matcher):
    lines = _lines(4000)
    p = tmp_path / "t.txt"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen = []
    one = run_keyword_scan([p], matcher, workers=1, chunk_bytes=8192, progress=lambda d, t, m="": seen.append((d, t)))
    two = run_keyword_scan([p], matcher, workers=2, chunk_bytes=8192)
    expected = [(i + 1, h.term, h.spans) for i, line in enumerate(lines) for h in matcher.scan(line)]
    assert [(h.line, h.term, h.spans) for h in one.hits] == expected
    assert [(h.line, h.term, h.spans) for h in two.hits] == expected
    assert one.records == two.records == len(lines)
    assert one.hit_count == len(expected) > 0
    assert seen[-1] == (p.stat().st_size, p.stat().st_size)
    assert "路口交通" not in {h.matched[0] for h in one.hits}


@pytest.mark.parametrize("start_method", ["spawn", "fork"])
def test_worker_processes_give_the_hits_of_the_caller(tmp_path, rich_matcher, start_method):
    lines = _lines(6000, seed=11)
    p = tmp_path / "t.txt"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = [(i + 1, h.entry, h.spans, h.matched) for i, line in enumerate(lines) for h in rich_matcher.scan(line)]
    assert {rich_matcher.entries[e].kind for _, e, _, _ in expected} == {"term"}
    assert {rich_matcher.entries[e].term for _, e, _, _ in expected} >= {"天气&普通~新闻", "女装", "ass", "炸弹"}
    with KeywordScanPool(rich_matcher, workers=2, start_method=start_method) as pool:
        pool.wait_ready()  # a started worker takes chunks from the first one on
        res = pool.scan([p], chunk_bytes=4096)
    assert res.worker_chunks > 0
    assert [(h.line, h.entry, h.spans, h.matched) for h in res.hits] == expected


@pytest.mark.parametrize("start_method", ["spawn", "fork"])
def test_a_worker_killed_mid_scan_loses_no_hits(tmp_path, rich_matcher, start_method):
    import os
    import signal

    lines = _lines(6000, seed=5)
    p = tmp_path / "t.txt"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = [(i + 1, h.entry, h.spans) for i, line in enumerate(lines) for h in rich_matcher.scan(line)]
    with KeywordScanPool(rich_matcher, workers=2, start_method=start_method) as pool:
        pool.wait_ready()
        (worker,) = pool._workers
        killed = []

        def kill_once(done, total, msg=""):
            if done and not killed:  # the worker has claimed chunks of its own by now
                os.kill(worker.proc.pid, signal.SIGKILL)
                killed.append(done)

        res = pool.scan([p], chunk_bytes=4096, progress=kill_once)
        assert killed and worker.dead
        assert [(h.line, h.entry, h.spans) for h in res.hits] == expected
        assert res.records == len(lines)
        again = pool.scan([p], chunk_bytes=4096)  # the pool goes on without its worker
        assert again.worker_chunks == 0 and again.hit_count == len(expected)


def test_a_worker_that_dies_before_it_is_ready_does_not_hang_the_pool(tmp_path, matcher):
    import os
    import signal

    p = tmp_path / "t.txt"
    lines = _lines(500)
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with KeywordScanPool(matcher, workers=2, start_method="fork") as pool:
        (worker,) = pool._workers
        os.kill(worker.proc.pid, signal.SIGKILL)
        worker.proc.join()
        pool.wait_ready()  # returns: the dead worker's pipe reports end of file
        res = pool.scan([p])
    assert worker.dead and res.worker_chunks == 0
    assert res.hit_count == sum(len(matcher.scan(line)) for line in lines)


def test_workers_are_forked_only_where_that_is_safe(matcher):
    import sys
    import threading

    if sys.platform.startswith("linux") and "PySide6" not in sys.modules and threading.active_count() == 1:
        with KeywordScanPool(matcher, workers=2) as pool:
            assert pool.start_method == "fork"
    blocker = threading.Event()
    t = threading.Thread(target=blocker.wait)
    t.start()
    try:
        # Another thread may hold a lock a forked child would inherit locked: spawn instead.
        assert not fork_is_safe()
        with KeywordScanPool(matcher, workers=2) as pool:
            assert pool.start_method == "spawn"
    finally:
        blocker.set()
        t.join()


def test_small_inputs_are_scanned_by_the_caller_alone(tmp_path, matcher):
    p = tmp_path / "small.txt"
    p.write_text("\n".join(_lines(200)) + "\n", encoding="utf-8")
    assert run_keyword_scan([p], matcher).workers == 1  # 200 lines: a worker would only cost time
    assert auto_workers(SPAWN_MIN_BYTES) == default_workers()
    assert run_keyword_scan([p], matcher, workers=2).workers == 2  # an explicit choice is kept


def test_jsonl_field_and_several_files(tmp_path, matcher):
    a = tmp_path / "a.jsonl"
    a.write_text(
        "\n".join(json.dumps({"answer": t, "id": i}, ensure_ascii=False) for i, t in enumerate(["好", "炸 弹", ""]))
        + "\n",
        encoding="utf-8",
    )
    b = tmp_path / "b.jsonl"
    b.write_text(json.dumps({"answer": "赌博网站"}, ensure_ascii=False) + "\n", encoding="utf-8")
    res = run_keyword_scan([a, b], matcher, field="answer", workers=1)
    assert [(h.file, h.line, h.term) for h in res.hits] == [(str(a), 2, "炸弹"), (str(b), 1, "赌博网站")]


def test_bad_utf8_names_file_and_line(tmp_path, matcher):
    p = tmp_path / "bad.txt"
    p.write_bytes("好\n炸弹\n".encode() + b"\xff\xfe broken\n")
    with pytest.raises(ValidationError, match=r"bad.txt, line 3: not valid UTF-8"):
        run_keyword_scan([p], matcher, workers=1)


def test_bad_json_names_file_and_line(tmp_path, matcher):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"answer": "x"}\n{"answer": \n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad.jsonl, line 2: not valid JSON"):
        run_keyword_scan([p], matcher, field="answer", workers=2, chunk_bytes=8)


def test_missing_file(tmp_path, matcher):
    with pytest.raises(NotFoundError):
        run_keyword_scan([tmp_path / "nope.txt"], matcher)


@pytest.mark.parametrize("workers", [1, 2])
def test_cancel_stops_the_scan(tmp_path, matcher, workers):
    p = tmp_path / "t.txt"
    p.write_text("\n".join(_lines(20000)) + "\n", encoding="utf-8")
    token = CancelToken()
    calls = []

    def progress(done, total, message=""):
        calls.append(done)
        if done > 0:
            token.cancel()

    with pytest.raises(CancelledError):
        run_keyword_scan([p], matcher, workers=workers, chunk_bytes=4096, progress=progress, cancel=token)
    assert calls[-1] < p.stat().st_size


def test_scan_texts_streams_records_with_hits(matcher):
    texts = ["好", "炸弹", "x" * 10, "赌博 网站"] * 100
    out = list(scan_texts(texts, matcher, batch_chars=50))
    assert [i for i, _ in out] == [i for i, t in enumerate(texts) if matcher.scan(t)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="炸弹彈 .路口交通ass\r\uffff好", max_size=12), max_size=40),
    st.integers(min_value=1, max_value=64),
    st.booleans(),
)
def test_any_chunking_gives_the_hits_of_a_line_by_line_scan(tmp_path_factory, lines, chunk, crlf):
    m = KeywordMatcher([Entry(t, ("A.1.h",)) for t in TERMS] + [Entry("路口交通", kind="allow")])
    lines = [ln.replace("\r", "") for ln in lines]
    p = tmp_path_factory.mktemp("chunks") / "t.txt"
    p.write_bytes(("\r\n" if crlf else "\n").join(lines).encode("utf-8") + (b"\n" if lines else b""))
    res = run_keyword_scan([p], m, workers=1, chunk_bytes=chunk)
    expected = [(i + 1, h.term, h.spans) for i, ln in enumerate(lines) for h in m.scan(ln)]
    assert [(h.line, h.term, h.spans) for h in res.hits] == expected
    assert res.records == len(lines)
