"""Percent agreement and Cohen's kappa on a fixture computed by hand, and on stored judgements."""

from __future__ import annotations

import pytest

from gaisafe_desktop.core.review.agreement import cohen_kappa, pair_agreement, queue_agreement
from gaisafe_desktop.core.review.decisions import judge
from gaisafe_desktop.core.review.queues import create_queue

# 10 items, 1 = qualified, 0 = unqualified.
#   A: 1 1 1 1 1 1 1 0 0 0   (7 qualified, 3 unqualified)
#   B: 1 1 1 1 1 1 0 1 0 0   (7 qualified, 3 unqualified)
# Agreement on items 1-6 (both 1) and 9-10 (both 0): p_o = 8/10 = 0.8.
# Chance: p_e = 0.7*0.7 + 0.3*0.3 = 0.49 + 0.09 = 0.58.
# kappa = (0.8 - 0.58) / (1 - 0.58) = 0.22 / 0.42 = 11/21 = 0.523809...
A = [1, 1, 1, 1, 1, 1, 1, 0, 0, 0]
B = [1, 1, 1, 1, 1, 1, 0, 1, 0, 0]


def test_kappa_known_fixture():
    assert cohen_kappa(A, B) == pytest.approx(11 / 21)
    (pair,) = pair_agreement({"A": dict(enumerate(A)), "B": dict(enumerate(B))})
    assert (pair.n, pair.agree, pair.percent) == (10, 8, 0.8)
    assert pair.kappa == pytest.approx(11 / 21)


def test_kappa_edge_cases():
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None  # p_e = 1: undefined, not 1.0
    assert cohen_kappa([1, 0], [0, 1]) == pytest.approx(-1.0)
    assert cohen_kappa([], []) is None


def test_agreement_from_blind_double_judgements(sampled):
    q = create_queue(
        sampled, "dbl", plan="manual", check_id="training_manual", annotators=["Ann", "Bo"], blind_double=True
    )
    # blind double, two annotators: every item is assigned to both
    for pos in range(10):
        for person, labels in (("Ann", A), ("Bo", B)):
            ok = bool(labels[pos])
            judge(sampled, q, pos, person, qualified=ok, risk_codes=[] if ok else ["A.2.a"])
    (pair,) = queue_agreement(sampled, q)
    assert (pair.a, pair.b, pair.n, pair.agree) == ("Ann", "Bo", 10, 8)
    assert pair.kappa == pytest.approx(11 / 21)


def test_report_annex_lists_queues_and_agreement(sampled):
    from gaisafe_desktop.core.review.report import judgements_contribution

    q = create_queue(
        sampled, "dbl", plan="manual", check_id="training_manual", annotators=["Ann", "Bo"], blind_double=True
    )
    for pos in range(10):
        for person, labels in (("Ann", A), ("Bo", B)):
            ok = bool(labels[pos])
            judge(sampled, q, pos, person, qualified=ok, risk_codes=[] if ok else ["A.2.a"])
    (annex,) = judgements_contribution(sampled, "en").annexes
    status, people, pairs = (b for b in annex.blocks[1:])
    assert list(status.rows)[0][:3] == (
        "dbl",
        {"zh": "训练数据人工抽检（B.2.1 a）", "en": "Training data, manual spot check (B.2.1 a)"},
        20,
    )
    assert [r[1:3] for r in people.rows] == [("Ann", "10 / 20"), ("Bo", "10 / 20")]
    assert list(pairs.rows) == [("dbl", "Ann", "Bo", 10, "80.0%", "0.524")]  # 11/21, see the fixture above
