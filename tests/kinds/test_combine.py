"""Combinators: semantics, short-circuits (asserted through counters and explain), errors."""

from __future__ import annotations

import math

import pytest

import graders
from graders.plan import OptFlags

FORMAT = {"type": "regex", "pattern": r"(?s)<answer>.*</answer>"}
CORRECT = {"type": "exact", "reference": "{{ item.a }}", "extract": {"type": "xml_tag", "tag": "answer"}}
ROWS = ["<answer>4</answer>", "<answer>5</answer>", "4", "nothing"]
ITEMS = [{"a": "4"}] * 4


def score(tree: dict, rows: list = ROWS, items: list = ITEMS, **kw: object) -> graders.ScoreResult:
    return graders.from_dict({"grader": tree}, **kw).score(rows, items)


def test_formula_design_example() -> None:
    res = score({"type": "formula", "expression": "0.1 * format + 0.9 * format * correct",
                 "graders": {"format": FORMAT, "correct": CORRECT}})
    assert res.scores.tolist() == pytest.approx([1.0, 0.1, 0.0, 0.0])
    assert res.components["format"].tolist() == [1, 1, 0, 0]
    assert res.components["correct"].tolist()[:2] == [1, 0]


def test_multi_is_openai_compatible_formula() -> None:
    res = score({"type": "multi", "calculate_output": "0.7 * correct + 0.3 * format",
                 "graders": {"format": FORMAT, "correct": CORRECT}})
    assert res.scores.tolist() == pytest.approx([1.0, 0.3, 0.0, 0.0])


def test_formula_division_by_zero_is_a_row_error() -> None:
    res = score({"type": "formula", "expression": "correct / format", "graders": {"format": FORMAT, "correct": CORRECT}})
    assert res.scores.tolist()[:2] == [1.0, 0.0]
    assert res.status.tolist()[2] == 2 and res.errors[2][0].kind == "formula_domain_error"
    assert res.status.tolist()[0] == 0


def test_weighted_normalized_and_raw() -> None:
    tree = {"type": "weighted", "weights": {"format": 1, "correct": 3}, "graders": {"format": FORMAT, "correct": CORRECT}}
    assert score(tree).scores.tolist() == pytest.approx([1.0, 0.25, 0.0, 0.0])
    tree["normalize"] = False
    assert score(tree).scores.tolist() == pytest.approx([4.0, 1.0, 0.0, 0.0])


def test_weighted_uses_child_weight_field() -> None:
    tree = {"type": "weighted", "graders": {"format": {**FORMAT, "weight": 1}, "correct": {**CORRECT, "weight": 3}}}
    assert score(tree).scores.tolist() == pytest.approx([1.0, 0.25, 0.0, 0.0])


def test_weighted_unknown_weight_key() -> None:
    with pytest.raises(graders.ConfigError, match="unknown children"):
        graders.from_dict({"type": "weighted", "weights": {"nope": 1}, "graders": {"format": FORMAT}})


def test_min_max() -> None:
    kids = {"format": FORMAT, "correct": CORRECT}
    assert score({"type": "min", "graders": kids}).scores.tolist() == [1, 0, 0, 0]
    assert score({"type": "max", "graders": kids}).scores.tolist() == [1, 1, 0, 0]


def test_product_skips_children_after_zero() -> None:
    res = score({"type": "product", "graders": {"format": FORMAT, "correct": CORRECT}})
    assert res.scores.tolist() == [1, 0, 0, 0]
    assert math.isnan(res.components["correct"][2]) and math.isnan(res.components["correct"][3])
    assert res.counters["rows_skipped"] == 2
    off = score({"type": "product", "graders": {"format": FORMAT, "correct": CORRECT}}, opt=OptFlags(short_circuit=False))
    assert off.scores.tolist() == res.scores.tolist()
    assert not math.isnan(off.components["correct"][2])


def test_gate_skips_and_uses_otherwise() -> None:
    tree = {"type": "gate", "otherwise": -1.0, "graders": {"format": FORMAT, "correct": CORRECT}}
    res = score(tree)
    assert res.scores.tolist() == [1.0, 0.0, -1.0, -1.0]
    assert math.isnan(res.components["correct"][2])
    assert res.counters["rows_gated"] == 2
    g = graders.from_dict({"grader": tree})
    assert "gate [format>=1] then correct else -1" in g.explain_plan()
    lines = g.plan.explain().splitlines()
    assert lines[0].startswith("gate") and lines[1].startswith("  format: leaf regex")
    assert lines[2].startswith("  correct: leaf exact") and "extract=xml_tag" in lines[2]


def test_gate_needs_two_children_and_known_thresholds() -> None:
    with pytest.raises(graders.ConfigError, match="at least two"):
        graders.from_dict({"type": "gate", "graders": {"format": FORMAT}})
    with pytest.raises(graders.ConfigError, match="not checks"):
        graders.from_dict({"type": "gate", "threshold": {"correct": 1}, "graders": {"format": FORMAT, "correct": CORRECT}})


def test_first_of_takes_first_child_that_applies() -> None:
    tree = {"type": "first_of", "graders": {
        "boxed": {"type": "exact", "reference": "{{ item.a }}", "extract": "boxed"},
        "line": {"type": "exact", "reference": "{{ item.a }}", "extract": "answer_line"},
    }}
    res = score(tree, ["\\boxed{4} The answer is 5", "The answer is 4", "no answer at all"], [{"a": "4"}] * 3)
    assert res.scores.tolist() == [1.0, 1.0, 0.0]
    assert res.status.tolist() == [0, 0, 1]
    assert math.isnan(res.components["line"][0])


def test_nested_components_use_dotted_paths() -> None:
    tree = {"type": "gate", "graders": {"format": FORMAT, "reward": {
        "type": "weighted", "graders": {"correct": CORRECT, "fmt2": FORMAT}}}}
    res = score(tree)
    assert set(res.components) == {"format", "reward", "reward.correct", "reward.fmt2"}


def test_range_clips_a_formula() -> None:
    res = score({"type": "formula", "expression": "2 * correct - 0.5", "range": [0, 1],
                 "graders": {"correct": CORRECT}})
    assert res.scores.tolist() == [1.0, 0.0, 0.0, 0.0]


def test_skip_makes_the_row_nan_and_zero_keeps_partial_credit() -> None:
    bad_ref = {"type": "exact", "reference": "{{ item.missing }}"}
    for on_error, check in (("zero", lambda v: v == pytest.approx(0.5)), ("skip", math.isnan)):
        res = score({"type": "weighted", "graders": {"format": FORMAT, "bad": {**bad_ref, "on_error": on_error}}},
                    ROWS[:1], ITEMS[:1])
        assert check(res.scores[0])
        assert res.status[0] == 2
        assert res.errors[0][0].kind == "missing_field" and res.errors[0][0].grader == "bad"


def test_raise_policy_raises() -> None:
    with pytest.raises(graders.ScoringError, match="item.missing"):
        score({"type": "exact", "reference": "{{ item.missing }}", "on_error": "raise"}, ROWS[:1], ITEMS[:1])


def test_child_keys_must_be_identifiers() -> None:
    with pytest.raises(graders.ConfigError, match="identifier"):
        graders.from_dict({"type": "max", "graders": {"a b": FORMAT}})


def test_range_does_not_clip_an_error_value() -> None:
    res = score({"type": "exact", "reference": "{{ item.missing }}", "range": [1, 10]}, ROWS[:1], ITEMS[:1])
    assert res.scores.tolist() == [0.0] and res.status.tolist() == [2]


# -- weights must be finite (issue 9, item 10) ------------------------------------------------
@pytest.mark.parametrize("yaml_weights", [
    "a: {type: exact, reference: x, weight: 1e400}\n    b: {type: exact, reference: x}",
    "a: {type: exact, reference: x, weight: 1.0e+308}\n    b: {type: exact, reference: x, weight: 1.0e+308}",
])
def test_overflowing_weights_are_refused_at_load_time(tmp_path, yaml_weights: str) -> None:  # noqa: ANN001
    p = tmp_path / "g.yaml"
    p.write_text(f"grader:\n  type: weighted\n  graders:\n    {yaml_weights}\n")
    with pytest.raises(graders.ConfigError, match="weight"):
        graders.load(str(p))


def test_infinite_weights_mapping_is_refused() -> None:
    with pytest.raises(graders.ConfigError, match="finite"):
        graders.from_dict({"type": "weighted", "weights": {"a": float("inf")},
                           "graders": {"a": {"type": "exact", "reference": "x"}}})
