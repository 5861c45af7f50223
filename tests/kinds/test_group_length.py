"""`group_length` (Kimi k1.5): lambda = 0.5 - (len - min)/(max - min) per group, by hand; needs: group."""

from __future__ import annotations

import numpy as np
import pytest

import graders
from graders.plan import OptFlags

CORRECT = {"type": "exact", "reference": "{{ item.answer }}", "input": "{{ sample.answer }}"}
NODE = {"type": "group_length", "unit": "chars", "correct": CORRECT}


def _row(length: int, right: bool, item: dict) -> tuple[dict, dict]:
    return {"output_text": "a" * length, "answer": item["answer"] if right else "wrong"}, item


def _score(g: graders.Grader, rows: list[tuple[dict, dict]], **kw: object) -> graders.ScoreResult:
    return g.score([s for s, _ in rows], [i for _, i in rows], **kw)  # type: ignore[arg-type]


def test_one_group_by_hand() -> None:
    item = {"q": "p1", "answer": "42"}
    # lengths 10, 20, 30, 50: min 10, max 50, span 40
    rows = [_row(10, True, item), _row(20, True, item), _row(30, False, item), _row(50, True, item), _row(20, False, item)]
    res = _score(graders.from_dict(NODE), rows)
    # lambda: 0.5, 0.25, 0.0, -0.5, 0.25 ; wrong rows keep min(0, lambda)
    assert res.scores.tolist() == pytest.approx([0.5, 0.25, 0.0, -0.5, 0.0])
    assert res.components["correct"].tolist() == [1, 1, 0, 1, 0]


def test_groups_are_equal_items_by_value_not_object() -> None:
    a1, a2 = {"q": "p1", "answer": "1"}, {"q": "p1", "answer": "1"}  # equal dicts, different objects
    b = {"q": "p2", "answer": "1"}
    rows = [_row(0, True, a1), _row(10, True, a2), _row(100, True, b), _row(200, True, b)]
    res = _score(graders.from_dict(NODE), rows)
    assert res.scores.tolist() == pytest.approx([0.5, -0.5, 0.5, -0.5])


def test_group_of_one_and_equal_lengths_score_zero() -> None:
    item = {"answer": "x"}
    assert _score(graders.from_dict(NODE), [_row(7, True, item)]).scores.tolist() == [0.0]
    rows = [_row(5, True, item), _row(5, False, item), _row(5, True, item)]
    assert _score(graders.from_dict(NODE), rows).scores.tolist() == [0.0, 0.0, 0.0]


def test_empty_and_one_unit_completions() -> None:
    item = {"answer": "x"}
    rows = [_row(0, True, item), _row(1, False, item), _row(2, True, item)]
    # min 0, max 2: lambda 0.5, 0.0, -0.5
    assert _score(graders.from_dict(NODE), rows).scores.tolist() == pytest.approx([0.5, 0.0, -0.5])


def test_group_by_template_and_groups_argument() -> None:
    g = graders.from_dict({**NODE, "group_by": "{{ item.prompt_id }}"})
    i1, i2 = {"prompt_id": 1, "answer": "x", "noise": 1}, {"prompt_id": 1, "answer": "x", "noise": 2}
    rows = [_row(0, True, i1), _row(10, True, i2)]
    assert _score(g, rows).scores.tolist() == pytest.approx([0.5, -0.5])
    # groups= overrides: two groups of one -> all zero
    assert _score(g, rows, groups=["a", "b"]).scores.tolist() == [0.0, 0.0]
    with pytest.raises(graders.BatchShapeError, match="groups has 1 entries for 2 rows"):
        _score(g, rows, groups=["a"])
    with pytest.raises(graders.BatchShapeError, match="hashable"):
        _score(g, rows, groups=[["a"], ["b"]])


def test_incomplete_group_is_an_error_never_a_reward() -> None:
    g = graders.from_dict({**NODE, "group_size": 3})
    item, other = {"answer": "x"}, {"answer": "y"}
    rows = [_row(0, True, item), _row(10, True, item), _row(4, True, other), _row(6, True, other), _row(9, True, other)]
    res = _score(g, rows)
    assert res.status.tolist() == [2, 2, 0, 0, 0]
    assert res.errors[0][0].kind == "incomplete_group"
    assert "has 2 rows" in res.errors[0][0].message and "group_size is 3" in res.errors[0][0].message
    # complete group: lengths 4, 6, 9 (span 5): lambda 0.5, 0.1, -0.5
    assert res.scores.tolist() == pytest.approx([0.0, 0.0, 0.5, 0.1, -0.5])
    skip = graders.from_dict({**NODE, "group_size": 3, "on_error": "skip"})
    assert np.isnan(_score(skip, rows).scores[:2]).all()


def test_a_row_without_a_length_fails_its_whole_group() -> None:
    g = graders.from_dict({**NODE, "unit": "tokens"})
    item = {"answer": "x"}
    rows = [({"output_text": "a", "answer": "x", "completion_ids": [1, 2]}, item), ({"output_text": "b", "answer": "x"}, item)]
    res = _score(g, rows)
    assert res.status.tolist() == [2, 2]
    assert all(r[0].kind == "missing_tokens" for r in res.errors)
    assert "row 1 of this group" in res.errors[0][0].message


def test_gate_above_does_not_shrink_the_group() -> None:
    """Rows a gate turns away still count for min/max, so short-circuits never change rewards."""
    tree = {"type": "gate", "graders": {
        "fmt": {"type": "regex", "pattern": "^a"},
        "len": NODE,
    }}
    item = {"answer": "x"}
    rows = [_row(2, True, item), ({"output_text": "b" * 12, "answer": "x"}, item), _row(6, True, item)]
    fast = _score(graders.from_dict(tree), rows)
    slow = _score(graders.from_dict(tree, opt=OptFlags.none()), rows)
    # group lengths 2, 12, 6: lambda 0.5, -0.5, 0.1 ; row 1 fails the gate (0)
    assert fast.scores.tolist() == pytest.approx([0.5, 0.0, 0.1])
    assert slow.scores.tolist() == pytest.approx(fast.scores.tolist())


def test_needs_group_is_declared_and_discoverable() -> None:
    g = graders.from_dict({"type": "weighted", "graders": {"acc": CORRECT, "len": NODE}})
    assert g.needs == frozenset({"group"})
    assert g.needs_at == {"group": ("len",)}
    g.check_needs({"group"})
    with pytest.raises(graders.ConfigError, match=r"`group` \(needed by len\)"):
        g.check_needs(set(), where="verl's per-sample compute_score")


def test_nan_or_none_group_ids_are_row_errors_not_groups_of_one() -> None:
    # NaN != NaN: each NaN row used to be a silent group of one (reward 0, status scored).
    g = graders.from_dict({"grader": NODE})
    item = {"answer": "x"}
    rows = [_row(1, True, item), _row(3, True, item), _row(1, True, item), _row(3, True, item),
            _row(2, True, item)]
    res = _score(g, rows, groups=[1, 1, float("nan"), float("nan"), None])
    assert res.scores.tolist()[:2] == [0.5, -0.5]
    assert [[e.kind for e in errs] for errs in res.errors] == [[], [], ["bad_group_id"]] + [["bad_group_id"]] * 2
    assert res.status.tolist()[2:] == [2, 2, 2]


def test_non_finite_threshold_is_refused_at_load() -> None:
    with pytest.raises(graders.ConfigError, match="threshold.*finite"):
        graders.from_dict({"grader": {**NODE, "threshold": float("nan")}})
