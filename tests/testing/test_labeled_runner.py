"""The runner: one score() batch, capped explains, judge calibration, per-row timing."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import graders
from graders.testing.examples import collect
from graders.testing.runner import (
    calibrations_for,
    has_remote_nodes,
    label_arrays,
    run_examples,
    time_rows,
)

from .labeled_helpers import CAPITAL_ROWS, EXACT, row, write


class Spy:
    """Wraps a grader and counts score() / explain() calls."""

    def __init__(self, grader):
        self.g = grader
        self.name = grader.name
        self.source = grader.source
        self.plan = grader.plan
        self.spec = grader.spec
        self.score_calls = []
        self.explain_calls = 0

    def score(self, samples, items):
        self.score_calls.append(len(samples))
        return self.g.score(samples, items)

    def explain(self, sample, item):
        self.explain_calls += 1
        return self.g.explain(sample, item)


def test_one_batch_and_capped_explains(tmp_path):
    rows = CAPITAL_ROWS * 20 + [row(str(i), "wrong", "pass") for i in range(30)]
    g = write(tmp_path, EXACT, rows)
    spy = Spy(graders.load(g))
    examples, _ = collect(g, None)
    run = run_examples(spy, examples, max_trees=7)
    assert spy.score_calls == [len(rows)]  # every example in ONE batch
    assert spy.explain_calls == 7 and len(run.explains) == 7
    assert len(run.disagreements) == 30
    assert run.metrics.n == 130 and run.metrics.n_agree == 100


def test_label_arrays():
    from graders.testing.examples import LabeledExample
    from graders.testing.spec import Example

    exs = [LabeledExample(str(i), "", Example(sample="x", expected=e, tolerance=t))
           for i, (e, t) in enumerate([("pass", None), ("fail", None), (0.7, 0.1), (0.2, None)])]
    la = label_arrays(exs, 0.5, 0.01)
    assert la.is_binary.tolist() == [True, True, False, False]
    assert la.label_pass.tolist() == [True, False, True, False]
    assert la.tolerance.tolist() == [0.01, 0.01, 0.1, 0.01]
    assert np.isnan(la.expected[0]) and la.expected[2] == 0.7


def test_judge_components_get_their_own_calibration():
    judge = SimpleNamespace(path="judge", children=[], range=(0.0, 10.0), config=SimpleNamespace(type="score_model"))
    rule = SimpleNamespace(path="rule", children=[], range=None, config=SimpleNamespace(type="exact"))
    root = SimpleNamespace(path="", children=[("judge", judge), ("rule", rule)], range=None,
                           config=SimpleNamespace(type="weighted"))
    fake = SimpleNamespace(plan=root)
    from graders.testing.examples import LabeledExample
    from graders.testing.spec import Example

    exs = [LabeledExample(str(i), "", Example(sample="x", expected=e)) for i, e in enumerate(["pass", "fail", "pass", "fail"])]
    labels = label_arrays(exs, 0.5, 1e-6)
    comps = {"judge": np.array([9.0, 2.0, 10.0, 0.0]), "rule": np.array([1.0, 0.0, 1.0, 0.0])}
    cals = calibrations_for(fake, np.array([0.9, 0.2, 1.0, 0.0]), comps, labels)
    assert [c.name for c in cals] == ["score", "judge"]
    assert cals[1].lo == 0.0 and cals[1].hi == 10.0
    assert sum(b.count for b in cals[1].bins) == 4
    assert has_remote_nodes(fake)


def test_time_rows_finds_the_slow_rows(tmp_path):
    g = graders.load(write(tmp_path, EXACT))
    samples = ["x"] * 200
    items = [{"answer": "x"}] * 200
    times, note = time_rows(g, samples, items, budget_s=5.0, chunk=50, top_chunks=2)
    assert note is None
    timed = np.isfinite(times)
    assert timed.sum() == 100  # the rows of the two slowest chunks, timed alone
    assert (times[timed] > 0).all()


@pytest.mark.parametrize("budget", [0.0])
def test_time_rows_respects_its_budget(tmp_path, budget):
    g = graders.load(write(tmp_path, EXACT))
    times, note = time_rows(g, ["x"] * 500, [{"answer": "x"}] * 500, budget_s=budget, chunk=10)
    assert "budget" in note
