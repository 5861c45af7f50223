"""`self_correction` (SCoRe): r2 + alpha (r2 - r1) over two attempts, by hand; needs: attempts."""

from __future__ import annotations

import pytest

import graders

NODE = {"type": "self_correction", "alpha": 2.0, "grader": {"type": "numeric", "reference": "{{ item.answer }}"}}
ITEM = {"answer": "42"}


def _s(*attempts: object) -> dict:
    return {"output_text": str(attempts[-1]) if attempts else "", "attempts": list(attempts)}


@pytest.mark.parametrize(("attempts", "want", "flipped"), [
    (("41", "42"), 1 + 2 * (1 - 0), 1.0),   # wrong -> right: r2 + alpha
    (("42", "41"), 0 + 2 * (0 - 1), -1.0),  # right -> wrong: -alpha
    (("42", "42"), 1.0, 0.0),               # right twice: r2 only
    (("41", "40"), 0.0, 0.0),               # wrong twice
    (("", "42"), 3.0, 1.0),                 # empty first attempt is a wrong one
    (("7", "41", "42"), 3.0, 1.0),          # more than two: the last two
])
def test_score_by_hand(attempts: tuple[str, ...], want: float, flipped: float) -> None:
    res = graders.from_dict(NODE).score([_s(*attempts)], [ITEM])
    assert res.scores[0] == pytest.approx(want)
    assert res.components["flipped"][0] == flipped
    r1, r2 = res.components["r1"][0], res.components["r2"][0]
    assert want == pytest.approx(r2 + 2.0 * (r2 - r1))


def test_attempts_as_sample_dicts_and_partial_credit() -> None:
    g = graders.from_dict({**NODE, "alpha": 1.5, "grader": {"type": "fuzzy", "reference": "{{ item.answer }}"}})
    res = g.score([{"output_text": "", "attempts": [{"output_text": "abcd"}, {"output_text": "abcf"}]}], [{"answer": "abcf"}])
    # fuzzy ratio("abcd", "abcf") = 0.75 ; r2 = 1 -> 1 + 1.5 * 0.25
    assert res.scores[0] == pytest.approx(1.375)


@pytest.mark.parametrize(("sample", "message"), [
    ("42", "sample.attempts is missing"),
    ({"output_text": "42"}, "sample.attempts is missing"),
    (_s("42"), "has 1 attempt; self_correction needs 2"),
    (_s(), "has 0 attempts"),
    ({"output_text": "42", "attempts": "41 then 42"}, "must be a list"),
    ({"output_text": "42", "attempts": [41, 42]}, "each attempt must be a text"),
])
def test_missing_attempts_is_a_row_error_naming_the_field(sample: object, message: str) -> None:
    res = graders.from_dict(NODE).score([sample, _s("41", "42")], [ITEM, ITEM])
    assert res.status.tolist() == [2, 0]
    assert res.errors[0][0].kind == "missing_attempts" and message in res.errors[0][0].message
    assert res.scores.tolist() == [0.0, 3.0]


def test_attempts_from_the_item_and_child_errors_name_the_attempt() -> None:
    g = graders.from_dict({**NODE, "attempts": "{{ item.tries }}"})
    res = g.score(["x"], [{"answer": "42", "tries": ["41", "42"]}])
    assert res.scores.tolist() == [3.0]
    bad = g.score(["x"], [{"tries": ["41", "42"]}])  # no item.answer for the child
    assert bad.status.tolist() == [2]
    assert {e.message.split(":")[0] for e in bad.errors[0]} == {"attempt 1", "attempt 2"}


def test_load_time_checks() -> None:
    with pytest.raises(graders.ConfigError, match="one variable"):
        graders.from_dict({**NODE, "attempts": "first: {{ sample.a }}"})
    with pytest.raises(graders.ConfigError, match="cannot need group"):
        graders.from_dict({**NODE, "grader": {"type": "group_length", "correct": NODE["grader"]}})
    with pytest.raises(graders.ConfigError, match="alpha"):
        graders.from_dict({"type": "self_correction", "grader": NODE["grader"]})


def test_needs_attempts_is_declared() -> None:
    g = graders.from_dict({"type": "weighted", "graders": {"sc": NODE, "fmt": {"type": "regex", "pattern": "x"}}})
    assert g.needs == frozenset({"attempts"}) and g.needs_at == {"attempts": ("sc",)}
    with pytest.raises(graders.ConfigError, match=r"`attempts` \(needed by sc\)"):
        g.check_needs({"group"})


@pytest.mark.parametrize(("key", "value"), [("alpha", float("inf")), ("threshold", float("nan"))])
def test_non_finite_parameters_are_refused_at_load(key: str, value: float) -> None:
    # alpha: .inf used to load and score inf / NaN (inf x 0).
    with pytest.raises(graders.ConfigError, match=f"{key}.*finite"):
        graders.from_dict({"grader": {**NODE, key: value}})
