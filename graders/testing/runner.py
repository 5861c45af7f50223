"""Score labeled examples in one batch and judge the grader against its labels.

`run_examples()` is the engine of `graders test` and of the pytest plugin: it
scores every example in ONE `grader.score()` call (so the batch plan's dedupe
and column-wise evaluation apply), computes the metrics, checks thresholds and
explains (a capped number of) disagreements.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graders.testing.examples import LabeledExample
from graders.testing.metrics import (
    Calibration,
    LabelArrays,
    Metrics,
    agree_mask,
    auc,
    calibration,
    compute_metrics,
    spearman,
)
from graders.testing.spec import InlineTests, Thresholds

#: Threshold name -> (comparison, human label). `mae` is a maximum; the rest are minimums.
THRESHOLD_KINDS: dict[str, tuple[str, str]] = {
    "agreement": (">=", "agreement"),
    "precision": (">=", "precision"),
    "recall": (">=", "recall"),
    "f1": (">=", "F1"),
    "mae": ("<=", "MAE"),
    "spearman": (">=", "Spearman"),
}

JUDGE_KINDS = ("score_model", "label_model")


@dataclass
class ThresholdCheck:
    metric: str
    op: str
    limit: float
    value: float | None
    scope: str = "all"  # "all" or "tag:<name>"
    implicit: bool = False  # the default "every example must agree" check

    @property
    def ok(self) -> bool:
        if self.value is None:
            return False
        v = self.value
        return v >= self.limit - 1e-12 if self.op == ">=" else v <= self.limit + 1e-12

    def describe(self) -> str:
        label = THRESHOLD_KINDS[self.metric][1]
        where = "" if self.scope == "all" else f" [{self.scope}]"
        if self.implicit:
            return "every example agrees (no thresholds set)"
        return f"{label}{where} {self.op} {self.limit:g}"

    def value_text(self) -> str:
        if self.value is None:
            return "undefined"
        return f"{self.value:.4f}"

    def to_dict(self) -> dict[str, Any]:
        return {"metric": self.metric, "op": self.op, "limit": self.limit, "value": self.value,
                "scope": self.scope, "implicit": self.implicit, "ok": self.ok, "description": self.describe()}


@dataclass
class ComponentStats:
    path: str
    kind: str
    n_ran: int
    mean: float | None
    mean_pass: float | None  # mean over rows labeled pass
    mean_fail: float | None  # mean over rows labeled fail
    mean_disagree: float | None  # mean over disagreeing rows
    auc: float | None
    spearman: float | None  # against numeric labels

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class TestRun:
    """Everything `graders test` learned about one grader; read by every report writer."""

    grader_name: str
    grader_source: str | None
    sources: list[str]
    examples: list[LabeledExample]
    pass_threshold: float
    scores: np.ndarray
    status: np.ndarray
    errors: list[list[Any]]
    components: dict[str, np.ndarray]
    labels: LabelArrays
    agree: np.ndarray
    metrics: Metrics
    by_tag: dict[str, Metrics]
    by_component: list[ComponentStats]
    calibrations: list[Calibration]
    checks: list[ThresholdCheck]
    explains: dict[int, dict[str, Any]]
    score_seconds: float
    row_times: np.ndarray | None = None  # seconds per row (NaN = not timed)
    timing_note: str | None = None
    probes: Any = None  # graders.testing.probes.ProbeReport
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.examples)

    @property
    def disagreements(self) -> np.ndarray:
        return np.flatnonzero(~self.agree)

    @property
    def thresholds_set(self) -> bool:
        return any(not c.implicit for c in self.checks)

    @property
    def checks_ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def probes_ok(self) -> bool:
        return self.probes is None or self.probes.ok

    @property
    def passed(self) -> bool:
        return self.checks_ok and self.probes_ok

    def expected_text(self, i: int) -> str:
        exp = self.examples[i].example.expected
        if isinstance(exp, str):
            return exp
        return f"{exp:g}{self._tol_text(i)}"

    def _tol_text(self, i: int) -> str:
        tol = float(self.labels.tolerance[i])
        return f" ± {tol:g}" if tol > 1e-6 else ""

    def verdict_text(self, i: int) -> str:
        """'expected pass, got 0.1 (fail at threshold 0.5)' for one row."""
        s = self.scores[i]
        got = "NaN" if not np.isfinite(s) else f"{s:.4g}"
        exp = self.examples[i].example.expected
        if isinstance(exp, str):
            pred = "pass" if np.isfinite(s) and s >= self.pass_threshold else "fail"
            return f"expected {exp}, got {got} ({pred} at threshold {self.pass_threshold:g})"
        return f"expected {exp:g}{self._tol_text(i)}, got {got}"

    def row_errors(self, i: int) -> list[dict[str, str]]:
        return [e.to_dict() if hasattr(e, "to_dict") else dict(e) for e in self.errors[i]]


def label_arrays(examples: Sequence[LabeledExample], pass_threshold: float, default_tolerance: float) -> LabelArrays:
    n = len(examples)
    expected = np.full(n, np.nan)
    is_binary = np.zeros(n, dtype=bool)
    label_pass = np.zeros(n, dtype=bool)
    tolerance = np.full(n, float(default_tolerance))
    for i, le in enumerate(examples):
        ex = le.example
        e = ex.expected
        if isinstance(e, str):
            is_binary[i] = True
            label_pass[i] = e == "pass"
        else:
            expected[i] = e
            label_pass[i] = e >= pass_threshold
        if ex.tolerance is not None:
            tolerance[i] = ex.tolerance
    return LabelArrays(expected, is_binary, label_pass, tolerance)


def merge_thresholds(file_thresholds: Thresholds | None, overrides: dict[str, float | None]) -> Thresholds:
    data = file_thresholds.model_dump() if file_thresholds is not None else {}
    for k, v in overrides.items():
        if v is not None:
            data[k] = v
    return Thresholds.model_validate(data)


def build_checks(metrics: Metrics, by_tag: dict[str, Metrics], thresholds: Thresholds,
                 tag_thresholds: dict[str, Thresholds]) -> list[ThresholdCheck]:
    checks: list[ThresholdCheck] = []
    for name, limit in thresholds.model_dump().items():
        if limit is not None:
            checks.append(ThresholdCheck(name, THRESHOLD_KINDS[name][0], float(limit), metrics.value(name)))
    for tag, th in tag_thresholds.items():
        m = by_tag.get(tag)
        for name, limit in th.model_dump().items():
            if limit is not None:
                value = m.value(name) if m is not None else None
                checks.append(ThresholdCheck(name, THRESHOLD_KINDS[name][0], float(limit), value, scope=f"tag:{tag}"))
    if not checks:
        checks.append(ThresholdCheck("agreement", ">=", 1.0, metrics.agreement if metrics.n else None, implicit=True))
    return checks


def _plan_nodes(grader: Any) -> dict[str, Any]:
    """Component path -> PlanNode (root under '')."""
    out: dict[str, Any] = {}

    def walk(node: Any) -> None:
        out[node.path] = node
        for _k, child in getattr(node, "children", []):
            walk(child)

    plan = getattr(grader, "plan", None)
    if plan is not None:
        walk(plan)
    return out


def _node_kind(node: Any) -> str:
    cfg = getattr(node, "config", None)
    return str(getattr(cfg, "type", None) or getattr(node, "kind", "node"))


def has_remote_nodes(grader: Any) -> bool:
    for node in _plan_nodes(grader).values():
        cfg = getattr(node, "config", None)
        if _node_kind(node) in JUDGE_KINDS or getattr(type(cfg), "cost", None) == "remote":
            return True
        if getattr(cfg, "evaluation_metric", None) == "cosine":  # text_similarity: remote for this metric only
            return True
    return False


def component_stats(grader: Any, components: dict[str, np.ndarray], labels: LabelArrays,
                    agree: np.ndarray) -> list[ComponentStats]:
    nodes = _plan_nodes(grader)
    out = []
    num = ~labels.is_binary
    binary_rows = labels.is_binary
    for path, vals in components.items():
        v = np.asarray(vals, dtype=np.float64)
        ran = np.isfinite(v)

        def mean_of(mask: np.ndarray, v: np.ndarray = v, ran: np.ndarray = ran) -> float | None:
            m = mask & ran
            return float(v[m].mean()) if m.any() else None

        node = nodes.get(path)
        out.append(ComponentStats(
            path=path,
            kind=_node_kind(node) if node is not None else "?",
            n_ran=int(ran.sum()),
            mean=mean_of(np.ones(len(v), dtype=bool)),
            mean_pass=mean_of(labels.label_pass),
            mean_fail=mean_of(~labels.label_pass),
            mean_disagree=mean_of(~agree),
            auc=auc(v[binary_rows | num], labels.label_pass[binary_rows | num]),
            spearman=spearman(v[num], labels.expected[num]) if num.any() else None,
        ))
    return out


def calibrations_for(grader: Any, scores: np.ndarray, components: dict[str, np.ndarray],
                     labels: LabelArrays) -> list[Calibration]:
    """Reliability of the total score, and of every LLM-judge component, against the labels."""
    targets = np.where(labels.is_binary, labels.label_pass.astype(np.float64), labels.expected)
    nodes = _plan_nodes(grader)
    root = nodes.get("")
    lo, hi = _scale(root, scores)
    out = [calibration("score", scores, targets, lo=lo, hi=hi)]
    for path, vals in components.items():
        node = nodes.get(path)
        if node is not None and _node_kind(node) in JUDGE_KINDS:
            lo, hi = _scale(node, vals)
            out.append(calibration(path, vals, targets, lo=lo, hi=hi))
    return out


def _scale(node: Any, values: np.ndarray) -> tuple[float, float]:
    rng = getattr(node, "range", None) if node is not None else None
    if rng is not None:
        return float(rng[0]), float(rng[1])
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    lo = min(0.0, float(v.min())) if len(v) else 0.0
    hi = max(1.0, float(v.max())) if len(v) else 1.0
    return lo, hi


def run_examples(
    grader: Any,
    examples: Sequence[LabeledExample],
    *,
    tests: InlineTests | None = None,
    pass_threshold: float | None = None,
    tolerance: float | None = None,
    threshold_overrides: dict[str, float | None] | None = None,
    max_trees: int = 20,
    sources: Sequence[str] = (),
) -> TestRun:
    """Score every example in one batch, compute metrics and threshold checks."""
    tests = tests or InlineTests()
    thr = tests.pass_threshold if pass_threshold is None else float(pass_threshold)
    tol = tests.tolerance if tolerance is None else float(tolerance)
    samples = [le.example.sample for le in examples]
    items = [le.example.item for le in examples]
    t0 = time.perf_counter()
    result = grader.score(samples, items)
    score_seconds = time.perf_counter() - t0
    scores = np.asarray(result.scores, dtype=np.float64)
    labels = label_arrays(examples, thr, tol)
    agree = agree_mask(scores, labels, thr)
    status = np.asarray(result.status)
    metrics = compute_metrics(scores, labels, agree, thr, status)
    tag_rows: dict[str, list[int]] = {}
    for i, le in enumerate(examples):
        for tag in dict.fromkeys(le.example.tags):
            tag_rows.setdefault(tag, []).append(i)
    by_tag = {tag: compute_metrics(scores, labels, agree, thr, status, np.asarray(rows))
              for tag, rows in sorted(tag_rows.items())}
    thresholds = merge_thresholds(tests.thresholds, threshold_overrides or {})
    checks = build_checks(metrics, by_tag, thresholds, tests.tag_thresholds)
    components = dict(result.components)
    explains: dict[int, dict[str, Any]] = {}
    for i in np.flatnonzero(~agree)[: max(0, max_trees)].tolist():
        explains[i] = explain_row(grader, samples[i], items[i])
    return TestRun(
        grader_name=getattr(grader, "name", "grader"),
        grader_source=getattr(grader, "source", None),
        sources=list(sources),
        examples=list(examples),
        pass_threshold=thr,
        scores=scores,
        status=status,
        errors=list(result.errors),
        components=components,
        labels=labels,
        agree=agree,
        metrics=metrics,
        by_tag=by_tag,
        by_component=component_stats(grader, components, labels, agree),
        calibrations=calibrations_for(grader, scores, components, labels),
        checks=checks,
        explains=explains,
        score_seconds=score_seconds,
    )


def explain_row(grader: Any, sample: Any, item: Any) -> dict[str, Any]:
    try:
        return grader.explain(sample, item)
    except Exception as exc:  # an explain failure must not hide the disagreement itself
        return {"key": getattr(grader, "name", "grader"), "path": "<root>", "node": "explain failed",
                "status": "error", "score": None, "errors": [{"kind": "explain_error", "grader": "<root>",
                                                             "message": f"{type(exc).__name__}: {exc}"}]}


def time_rows(grader: Any, samples: Sequence[Any], items: Sequence[Any], *, budget_s: float = 2.0,
              chunk: int = 64, top_chunks: int = 8) -> tuple[np.ndarray, str | None]:
    """Per-row seconds for finding the slowest rows (NaN where a row was not timed alone).

    A fresh compile of the grader without the cross-batch cache scores the rows in
    chunks; rows of the slowest chunks are then timed one by one. Bounded by budget_s.
    """
    from graders.api import Grader
    from graders.plan import OptFlags

    n = len(samples)
    times = np.full(n, np.nan)
    if n == 0:
        return times, None
    fresh = Grader(grader.spec, source=getattr(grader, "source", None), opt=OptFlags(cache=False))
    t_start = time.perf_counter()
    starts = list(range(0, n, chunk))
    chunk_t = np.zeros(len(starts))
    timed_chunks = 0
    for k, a in enumerate(starts):
        if time.perf_counter() - t_start > budget_s / 2:
            break
        t0 = time.perf_counter()
        fresh.score(samples[a:a + chunk], items[a:a + chunk])
        chunk_t[k] = time.perf_counter() - t0
        timed_chunks += 1
    order = np.argsort(-chunk_t[:timed_chunks], kind="stable")[:top_chunks]
    for k in order.tolist():
        a = starts[k]
        for i in range(a, min(a + chunk, n)):
            if time.perf_counter() - t_start > budget_s:
                break
            best = math.inf
            for _ in range(2):  # the faster of two runs: no first-call warm-up noise
                t0 = time.perf_counter()
                fresh.score([samples[i]], [items[i]])
                best = min(best, time.perf_counter() - t0)
            times[i] = best
    note = None
    if timed_chunks < len(starts):
        note = f"timing budget ({budget_s:g}s) reached: searched the first {min(n, timed_chunks * chunk)} of {n} rows"
    return times, note
