"""Agreement metrics between grader scores and labels (numpy only).

Definitions (n = examples considered):

- agreement: share of examples whose score agrees with the label: a `pass` /
  `fail` label agrees when (score >= pass threshold) matches it; a numeric
  label agrees when |score - expected| <= tolerance. A NaN score never agrees.
- pass/fail at the threshold: every label is read as pass/fail (`pass`, or a
  numeric label >= the threshold) and every score as predicted pass/fail
  (score >= threshold; NaN is a predicted fail). precision = TP / (TP + FP),
  recall = TP / (TP + FN), F1 = 2PR / (P + R), accuracy = (TP + TN) / n.
  A ratio whose denominator is 0 is undefined (None), never silently 0 or 1.
- partial credit (numeric labels only, finite scores only): MAE = mean |score -
  expected|; Spearman = Pearson correlation of the average ranks (ties share
  their mean rank); undefined with fewer than 2 rows or a constant side.
- AUC (per component): probability that a random pass-labeled row scores above
  a random fail-labeled row (ties count 1/2), the Mann-Whitney statistic.
- calibration: scores cut into equal-width bins; per bin the mean score, the
  observed pass rate (mean of the targets: 1/0 for pass/fail labels, the value
  for numeric labels) and the count; ECE = the count-weighted mean |gap|.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else float(num) / float(den)


@dataclass(frozen=True)
class BinaryStats:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def accuracy(self) -> float | None:
        return _ratio(self.tp + self.tn, self.n)

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "accuracy": self.accuracy,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


def binary_stats(label_pass: np.ndarray, pred_pass: np.ndarray) -> BinaryStats:
    lp = np.asarray(label_pass, dtype=bool)
    pp = np.asarray(pred_pass, dtype=bool)
    return BinaryStats(
        tp=int(np.sum(lp & pp)), fp=int(np.sum(~lp & pp)), fn=int(np.sum(lp & ~pp)), tn=int(np.sum(~lp & ~pp))
    )


def rankdata(values: np.ndarray) -> np.ndarray:
    """1-based ranks; tied values share the mean of the ranks they span."""
    a = np.asarray(values, dtype=np.float64)
    n = len(a)
    if n == 0:
        return np.zeros(0)
    order = np.argsort(a, kind="mergesort")
    s = a[order]
    starts_mask = np.empty(n, dtype=bool)
    starts_mask[0] = True
    starts_mask[1:] = s[1:] != s[:-1]
    group = np.cumsum(starts_mask) - 1
    starts = np.flatnonzero(starts_mask)
    ends = np.append(starts[1:], n)
    mean_rank = (starts + ends - 1) / 2.0 + 1.0
    ranks = np.empty(n)
    ranks[order] = mean_rank[group]
    return ranks


def pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) < 2:
        return None
    dx = x - x.mean()
    dy = y - y.mean()
    den = float(np.sqrt(np.dot(dx, dx) * np.dot(dy, dy)))
    if den == 0 or not np.isfinite(den):
        return None
    return float(np.clip(np.dot(dx, dy) / den, -1.0, 1.0))


def spearman(x: np.ndarray, y: np.ndarray) -> float | None:
    """Spearman's rho (tie-corrected: Pearson on average ranks); None when undefined."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) < 2:
        return None
    return pearson(rankdata(x), rankdata(y))


def mae(scores: np.ndarray, expected: np.ndarray) -> float | None:
    s = np.asarray(scores, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    ok = np.isfinite(s) & np.isfinite(e)
    if not ok.any():
        return None
    return float(np.mean(np.abs(s[ok] - e[ok])))


def auc(values: np.ndarray, positive: np.ndarray) -> float | None:
    """Area under the ROC curve of `values` separating positive from negative rows (ties 1/2)."""
    v = np.asarray(values, dtype=np.float64)
    pos = np.asarray(positive, dtype=bool)
    ok = np.isfinite(v)
    v, pos = v[ok], pos[ok]
    n_pos = int(pos.sum())
    n_neg = len(v) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = rankdata(v)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


@dataclass
class CalibrationBin:
    lo: float
    hi: float
    count: int
    mean_score: float | None
    mean_target: float | None


@dataclass
class Calibration:
    name: str
    bins: list[CalibrationBin]
    ece: float | None
    lo: float = 0.0
    hi: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def calibration(name: str, scores: np.ndarray, targets: np.ndarray, *, bins: int = 10,
                lo: float = 0.0, hi: float = 1.0) -> Calibration:
    """Reliability table of `scores` (on the scale [lo, hi]) against targets in [0, 1]."""
    s = np.asarray(scores, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    ok = np.isfinite(s) & np.isfinite(t)
    s, t = s[ok], t[ok]
    span = hi - lo if hi > lo else 1.0
    unit = np.clip((s - lo) / span, 0.0, 1.0)
    idx = np.minimum((unit * bins).astype(np.int64), bins - 1)
    out: list[CalibrationBin] = []
    gap_sum = 0.0
    for b in range(bins):
        m = idx == b
        c = int(m.sum())
        a, z = lo + span * b / bins, lo + span * (b + 1) / bins
        if c:
            ms, mt = float(unit[m].mean()), float(t[m].mean())
            gap_sum += c * abs(ms - mt)
            out.append(CalibrationBin(a, z, c, ms, mt))
        else:
            out.append(CalibrationBin(a, z, 0, None, None))
    ece = gap_sum / len(s) if len(s) else None
    return Calibration(name, out, ece, lo, hi)


@dataclass
class Metrics:
    """The summary of one set of examples (all of them, or those with one tag)."""

    n: int
    n_agree: int
    binary: BinaryStats
    n_numeric: int
    mae: float | None
    spearman: float | None
    n_error: int = 0

    @property
    def agreement(self) -> float | None:
        return _ratio(self.n_agree, self.n)

    def value(self, name: str) -> float | None:
        if name == "agreement":
            return self.agreement
        if name in ("precision", "recall", "f1", "accuracy"):
            return getattr(self.binary, name)
        if name == "mae":
            return self.mae
        if name == "spearman":
            return self.spearman
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "n_agree": self.n_agree, "agreement": self.agreement, "n_error": self.n_error,
                "pass_fail": self.binary.to_dict(), "n_numeric": self.n_numeric, "mae": self.mae,
                "spearman": self.spearman}


@dataclass
class LabelArrays:
    """Row-aligned label data: what compute_metrics needs besides the scores."""

    expected: np.ndarray  # float; NaN for pass/fail labels
    is_binary: np.ndarray  # bool
    label_pass: np.ndarray  # bool
    tolerance: np.ndarray  # float; per row (default filled in)
    extra: dict[str, Any] = field(default_factory=dict)


def agree_mask(scores: np.ndarray, labels: LabelArrays, pass_threshold: float) -> np.ndarray:
    s = np.asarray(scores, dtype=np.float64)
    finite = np.isfinite(s)
    pred = finite & (s >= pass_threshold)
    with np.errstate(invalid="ignore"):
        close = np.abs(s - labels.expected) <= labels.tolerance + 1e-12
    return np.where(labels.is_binary, pred == labels.label_pass, close) & finite


def compute_metrics(scores: np.ndarray, labels: LabelArrays, agree: np.ndarray, pass_threshold: float,
                    status: np.ndarray | None = None, rows: np.ndarray | None = None) -> Metrics:
    """Metrics over `rows` (a boolean mask or index array; default all rows)."""
    s = np.asarray(scores, dtype=np.float64)
    if rows is not None:
        s = s[rows]
        exp, isb, lp, ag = labels.expected[rows], labels.is_binary[rows], labels.label_pass[rows], agree[rows]
        st = status[rows] if status is not None else None
    else:
        exp, isb, lp, ag, st = labels.expected, labels.is_binary, labels.label_pass, agree, status
    pred = np.isfinite(s) & (s >= pass_threshold)
    num = ~isb
    return Metrics(
        n=len(s),
        n_agree=int(ag.sum()),
        binary=binary_stats(lp, pred),
        n_numeric=int(num.sum()),
        mae=mae(s[num], exp[num]) if num.any() else None,
        spearman=spearman(s[num], exp[num]) if num.any() else None,
        n_error=int((st == 2).sum()) if st is not None else 0,
    )
