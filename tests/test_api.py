"""score() on messy batches: shapes, bad rows, sample forms, async, explain."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

import graders

G = {"type": "exact", "reference": "{{ item.a }}", "extract": "boxed"}


def grader() -> graders.Grader:
    return graders.from_dict({"grader": G})


def test_result_shape_and_types() -> None:
    res = grader().score(["\\boxed{1}", "\\boxed{2}", "none"], [{"a": "1"}, {"a": "1"}, {"a": "1"}])
    assert isinstance(res.scores, np.ndarray) and res.scores.dtype == np.float64
    assert res.scores.tolist() == [1.0, 0.0, 0.0]
    assert res.status.tolist() == [0, 0, 1]
    assert res.errors == [[], [], []]
    assert res.row(2) == {"score": 0.0, "components": {}, "status": "not_applicable", "errors": []}


def test_length_mismatch_is_a_batch_error() -> None:
    with pytest.raises(graders.BatchShapeError, match="2 samples, 1 items"):
        grader().score(["a", "b"], [{"a": "1"}])


def test_samples_must_be_a_list() -> None:
    with pytest.raises(graders.BatchShapeError):
        grader().score("just a string", [{}])  # type: ignore[arg-type]


def test_bad_rows_get_errors_and_other_rows_keep_scores() -> None:
    samples = ["\\boxed{1}", 42, None, {"no_text": 1}, {"output_text": 5}, b"bytes", "\\boxed{1}"]
    items = [{"a": "1"}, {"a": "1"}, {"a": "1"}, {"a": "1"}, {"a": "1"}, {"a": "1"}, "not a dict"]
    res = grader().score(samples, items)
    assert res.scores.tolist() == [1.0, 0, 0, 0, 0, 0, 0]
    assert res.status.tolist() == [0, 2, 2, 2, 2, 2, 2]
    assert all(res.errors[i][0].kind == "bad_row" for i in (1, 2, 4, 5, 6))
    assert res.errors[3][0].kind == "missing_field"  # a dict without output_text, read by the template
    assert "got int" in res.errors[1][0].message
    assert "item must be an object" in res.errors[6][0].message


def test_sample_forms() -> None:
    g = grader()
    res = g.score([{"output_text": "\\boxed{1}"}, [{"role": "assistant", "content": "\\boxed{1}"}],
                   {"role": "assistant", "content": "\\boxed{1}"}], [{"a": "1"}] * 3)
    assert res.scores.tolist() == [1.0, 1.0, 1.0]


def test_items_optional_and_none_items() -> None:
    g = graders.from_dict({"type": "regex", "pattern": "x"})
    assert g.score(["x", "y"]).scores.tolist() == [1.0, 0.0]
    assert g.score(["x"], [None]).scores.tolist() == [1.0]


def test_missing_template_path_is_a_row_error_naming_the_path() -> None:
    res = grader().score(["\\boxed{1}", "\\boxed{1}"], [{"a": "1"}, {"b": "1"}])
    assert res.scores.tolist() == [1.0, 0.0]
    assert res.errors[1][0].to_dict() == {"kind": "missing_field", "grader": "<root>",
                                          "message": "item.a is missing (template {{ item.a }})"}


def test_empty_batch() -> None:
    res = grader().score([], [])
    assert len(res) == 0 and res.scores.shape == (0,)


def test_ascore_and_threads_give_the_same_result() -> None:
    g = grader()
    samples, items = ["\\boxed{1}", "\\boxed{2}"], [{"a": "1"}] * 2
    want = g.score(samples, items).scores.tolist()
    assert asyncio.run(g.ascore(samples, items)).scores.tolist() == want
    got: list = []
    t = threading.Thread(target=lambda: got.append(g.score(samples, items).scores.tolist()))
    t.start()
    t.join()
    assert got == [want]


def test_cache_across_batches_counts_hits() -> None:
    g = grader()
    g.score(["\\boxed{1}"] * 3, [{"a": "1"}] * 3)
    res = g.score(["\\boxed{1}"], [{"a": "1"}])
    assert res.counters["pairs_from_cache"] == 1


def test_dedupe_scores_each_distinct_pair_once() -> None:
    res = grader().score(["\\boxed{1}", "x \\boxed{1}", "\\boxed{2}", "\\boxed{1}"], [{"a": "1"}] * 4)
    assert res.counters["pairs_scored"] == 2


def test_explain_one_row() -> None:
    g = graders.from_dict({"grader": {"type": "gate", "graders": {
        "format": {"type": "regex", "pattern": "boxed"}, "correct": G}}})
    tree = g.explain("so \\boxed{7}", {"a": "7"})
    assert tree["score"] == 1.0 and tree["status"] == "scored"
    correct = tree["children"][1]
    assert correct["key"] == "correct" and correct["extracted"] == ["7"] and correct["reference"] == "7"
    assert correct["time_ms"] >= 0
    gated = g.explain("nothing", {"a": "7"})
    assert gated["children"][1]["status"] == "not_run"


def test_explain_plan_lists_nodes() -> None:
    text = graders.from_dict({"grader": G}).explain_plan()
    assert "leaf exact" in text and "extract=boxed" in text and "dedupe" in text


def test_several_boxed_answers_must_all_agree_by_default() -> None:
    res = grader().score(["\\boxed{1} or \\boxed{2}", "\\boxed{1} ... \\boxed{1}"], [{"a": "1"}] * 2)
    assert res.scores.tolist() == [0.0, 1.0]


def test_numpy_and_iterables_are_accepted() -> None:
    g = grader()
    res = g.score(np.array(["\\boxed{1}", "\\boxed{2}"]), ({"a": "1"}, {"a": "1"}))
    assert res.scores.tolist() == [1.0, 0.0]
    assert g.score(iter(["\\boxed{1}"]), [{"a": "1"}]).scores.tolist() == [1.0]
