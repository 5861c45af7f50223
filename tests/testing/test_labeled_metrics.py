"""Metrics of `graders test` on hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.testing.metrics import (
    LabelArrays,
    agree_mask,
    auc,
    binary_stats,
    calibration,
    compute_metrics,
    mae,
    rankdata,
    spearman,
)


def test_binary_stats_hand_computed():
    # 5 labeled pass, 3 labeled fail; grader: TP 3, FN 2, FP 1, TN 2.
    label = np.array([1, 1, 1, 1, 1, 0, 0, 0], dtype=bool)
    pred = np.array([1, 1, 1, 0, 0, 1, 0, 0], dtype=bool)
    b = binary_stats(label, pred)
    assert (b.tp, b.fn, b.fp, b.tn) == (3, 2, 1, 2)
    assert b.precision == pytest.approx(0.75)
    assert b.recall == pytest.approx(0.6)
    assert b.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)  # = 2/3
    assert b.accuracy == pytest.approx(5 / 8)


def test_binary_stats_undefined_ratios_are_none_not_zero():
    b = binary_stats(np.array([True, False]), np.array([False, False]))
    assert b.precision is None  # nothing predicted pass
    assert b.recall == 0.0
    assert b.f1 is None
    empty = binary_stats(np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))
    assert empty.accuracy is None and empty.precision is None and empty.recall is None


def test_rankdata_ties_share_mean_rank():
    assert rankdata(np.array([10, 20, 20, 30])).tolist() == [1, 2.5, 2.5, 4]
    assert rankdata(np.array([3.0, 1.0, 2.0])).tolist() == [3, 1, 2]
    assert rankdata(np.array([5, 5, 5])).tolist() == [2, 2, 2]


def test_spearman_hand_computed():
    # No ties: rho = 1 - 6 * sum(d^2) / (n (n^2 - 1)) = 1 - 6 * 4 / 120 = 0.8
    assert spearman(np.array([1, 2, 3, 4, 5]), np.array([2, 1, 4, 3, 5])) == pytest.approx(0.8)
    # Ties: ranks x = [1, 2.5, 2.5, 4], y = [1, 2, 3, 4]; Pearson of ranks = 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10)
    assert spearman(np.array([1, 2, 2, 3]), np.array([1, 2, 3, 4])) == pytest.approx(3 / math.sqrt(10))
    assert spearman(np.array([1, 2, 3]), np.array([3, 2, 1])) == pytest.approx(-1.0)
    # Monotone but not linear: still 1.
    assert spearman(np.array([1, 2, 3, 4]), np.array([1, 10, 100, 1000])) == pytest.approx(1.0)


def test_spearman_undefined_cases():
    assert spearman(np.array([1.0]), np.array([2.0])) is None
    assert spearman(np.array([1, 1, 1]), np.array([1, 2, 3])) is None  # constant side
    assert spearman(np.array([1, np.nan, 3]), np.array([1, 2, 3])) == pytest.approx(1.0)  # NaN rows dropped
    assert spearman(np.array([1, np.nan, 3, 4]), np.array([1, 2, 3, 4])) == pytest.approx(1.0)


def test_mae_and_auc_hand_computed():
    assert mae(np.array([0.2, 0.5, 1.0]), np.array([0.0, 0.5, 0.7])) == pytest.approx(0.5 / 3)
    assert mae(np.zeros(0), np.zeros(0)) is None
    # pairs (pos, neg): (.9,.8) (.9,.1) (.3,.8) (.3,.1) -> 3 of 4 ordered right
    assert auc(np.array([0.9, 0.8, 0.3, 0.1]), np.array([1, 0, 1, 0], dtype=bool)) == pytest.approx(0.75)
    assert auc(np.array([0.5, 0.5]), np.array([1, 0], dtype=bool)) == pytest.approx(0.5)
    assert auc(np.array([0.5, 0.7]), np.array([1, 1], dtype=bool)) is None


def test_calibration_bins_and_ece():
    cal = calibration("score", np.array([0.05, 0.15, 0.95, 1.0]), np.array([0, 0, 1, 0]), bins=10)
    counts = [b.count for b in cal.bins]
    assert counts == [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]  # 1.0 falls in the last bin
    last = cal.bins[-1]
    assert last.mean_score == pytest.approx(0.975) and last.mean_target == pytest.approx(0.5)
    assert cal.ece == pytest.approx((0.05 + 0.15 + 2 * 0.475) / 4)
    # A judge's 0..10 scale is mapped onto [0, 1].
    judge = calibration("judge", np.array([0.0, 10.0]), np.array([0, 1]), lo=0, hi=10)
    assert judge.ece == pytest.approx(0.0)


def _labels(expected, tolerance=1e-6, thr=0.5):
    exp = np.array([np.nan if isinstance(e, str) else e for e in expected], dtype=float)
    isb = np.array([isinstance(e, str) for e in expected])
    lp = np.array([e == "pass" if isinstance(e, str) else e >= thr for e in expected])
    return LabelArrays(exp, isb, lp, np.full(len(expected), tolerance))


def test_agreement_rules():
    labels = _labels(["pass", "pass", "fail", "fail", 0.7, 0.7, "pass"], tolerance=0.05)
    scores = np.array([0.5, 0.49, 0.0, 0.5, 0.74, 0.76, np.nan])
    agree = agree_mask(scores, labels, 0.5)
    # >= threshold is pass; tolerance is inclusive; NaN never agrees.
    assert agree.tolist() == [True, False, True, False, True, False, False]
    m = compute_metrics(scores, labels, agree, 0.5)
    assert m.n == 7 and m.n_agree == 3 and m.agreement == pytest.approx(3 / 7)
    # binarized: labels pass = [1,1,0,0,1,1,1]; preds = [1,0,0,1,1,1,0]
    assert (m.binary.tp, m.binary.fn, m.binary.fp, m.binary.tn) == (3, 2, 1, 1)
    assert m.n_numeric == 2
    assert m.mae == pytest.approx((0.04 + 0.06) / 2)
    assert m.spearman is None  # both labels 0.7: constant


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=3, max_size=30))
def test_spearman_matches_rank_formula_properties(pairs):
    x = np.array([p[0] for p in pairs])
    y = np.array([p[1] for p in pairs])
    rho = spearman(x, y)
    if rho is None:
        assert len(set(x.tolist())) == 1 or len(set(y.tolist())) == 1
        return
    assert -1.0 <= rho <= 1.0
    assert spearman(y, x) == pytest.approx(rho)  # symmetric
    assert spearman(x, -y) == pytest.approx(-rho, abs=1e-9)  # reversing one side flips the sign
    perm = np.random.default_rng(0).permutation(len(x))
    assert spearman(x[perm], y[perm]) == pytest.approx(rho, abs=1e-9)  # row order does not matter
