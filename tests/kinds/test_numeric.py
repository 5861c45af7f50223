from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graders
from graders.kinds import numeric as numeric_kind


def numeric(outputs: list[str], refs: list[str], **kw: object) -> graders.ScoreResult:
    g = graders.from_dict({"type": "numeric", "reference": "{{ item.r }}", **kw})
    return g.score(outputs, [{"r": r} for r in refs])


@pytest.mark.parametrize(
    ("output", "ref", "want"),
    [
        ("72", "72", 1), ("1,234", "1234", 1), ("$1,234.00", "1234", 1), ("−5", "-5", 1),
        ("1.2e3", "1200", 1), ("1.2 \\times 10^{3}", "1200", 1), ("\\frac{3}{4}", "0.75", 1),
        ("2 1/2", "2.5", 1), ("twenty-one", "21", 1), ("５", "5", 1), ("72 clips", "72", 1),
        ("73", "72", 0), ("-72", "72", 0), ("72 or 73", "72", 0), ("Step 3", "3", 0), ("", "0", 0),
        ("4²", "42", 0), ("1,5", "15", 0),
    ],
)
def test_formats_exact(output: str, ref: str, want: int) -> None:
    assert numeric([output], [ref]).scores.tolist() == [want]


def test_percent_conventions() -> None:
    assert numeric(["25%", "25%"], ["0.25", "25"]).scores.tolist() == [1, 1]
    assert numeric(["25%", "25%"], ["0.25", "25"], percent="value").scores.tolist() == [1, 0]
    assert numeric(["25%", "25%"], ["0.25", "25"], percent="strip").scores.tolist() == [0, 1]


def test_tolerance() -> None:
    assert numeric(["3.14", "3.2"], ["3.14159", "3.14159"], tolerance={"abs": 0.01}).scores.tolist() == [1, 0]
    assert numeric(["1000001"], ["1000000"], tolerance={"rel": 1e-5}).scores.tolist() == [1]
    # the default relative tolerance (1e-9) keeps nearby huge values apart
    assert numeric(["1/2^99".replace("1/2^99", str(2**99))], [str(2**98)]).scores.tolist() == [0]


def test_partial_credit_decays_with_relative_error() -> None:
    got = numeric(["100", "90", "50", "0"], ["100"] * 4, partial_credit={"max_rel_error": 0.5}).scores.tolist()
    assert got[0] == 1.0 and got[1] == pytest.approx(0.8) and got[2] == pytest.approx(0.0) and got[3] == 0.0


def test_non_number_answer_is_wrong_and_bad_reference_is_an_error() -> None:
    res = numeric(["abc", "5"], ["5", "not a number"])
    assert res.scores.tolist() == [0.0, 0.0]
    assert res.status.tolist() == [0, 2]
    assert res.errors[1][0].kind == "reference_parse_error"


def test_pathological_inputs_are_bounded() -> None:
    res = numeric(["1e100000", "9" * 5000, "10^{10^{10}}", "x" * 1_000_000], ["1"] * 4)
    assert res.scores.tolist() == [0, 0, 0, 0]


@pytest.mark.parametrize(
    ("output", "ref", "want"),
    [
        # the default `extract: auto` finds the final answer in a completion
        ("Reasoning about apples.\nSo now she has 42 apples in total.", "42", 1),
        ("Step 1: 40 + 2.\n#### 42", "42", 1),
        ("Computing.\nThe answer is $1,234.", "1234", 1),
        ("Step 3", "3", 0),  # never a step number
        ("Step 1: 6 * 7 = 42.\nStep 2: we now check 42", "42", 0),  # unfinished reasoning
        # policy `last`: a self-correction counts, a hedge never does
        ("So \\boxed{41}. Wait, I mis-added. \\boxed{42}", "42", 1),
        ("\\boxed{41} or \\boxed{42}", "42", 0),
        ("The answer is 41 or 42.", "41", 0),
    ],
)
def test_default_extraction(output: str, ref: str, want: int) -> None:
    assert numeric([output], [ref]).scores.tolist() == [want]


def test_extract_none_reads_the_whole_input() -> None:
    assert numeric(["The answer is 42."], ["42"], extract="none").scores.tolist() == [0]
    assert numeric(["42"], ["42"], extract="none").scores.tolist() == [1]


# Plain ASCII integer answers skip the parser (numeric._integer_close): the scores,
# statuses and notes must be the parser path's, for every reference form and tolerance.
_REFS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"{n / 8}"),
    st.integers(min_value=0, max_value=999).map(lambda n: f"{n}%"),
    st.integers(min_value=1, max_value=99).map(lambda n: f"{n}/{n + 1}"),
    st.sampled_from(["1e30", "1e400", "-0", "0", "0.0", "1,000", "5 cm", "12 apples", "$7", "seven", "1e-400", "nan", "x"]),
)
_INTEGERS = st.one_of(
    st.integers(min_value=0, max_value=10**18 - 1).map(str),
    st.integers(min_value=0, max_value=10**6).map(lambda n: f"00{n}"),
    st.sampled_from(["0", "7", "1000000", "999999999999999999", "1" * 19, "0" * 18]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_INTEGERS, _REFS), min_size=1, max_size=8),
    st.sampled_from([0.0, 0.5, 1.0, 1e6]),
    st.sampled_from([0.0, 1e-9, 1e-3, 0.5, 1.0]),
    st.sampled_from(["either", "value", "strip"]),
)
def test_integer_answers_score_as_parsed(pairs, abs_tol, rel_tol, percent):
    cfg = {"type": "numeric", "reference": "{{ item.r }}", "extract": "none",
           "tolerance": {"abs": abs_tol, "rel": rel_tol}, "percent": percent}
    scorer = graders.from_dict(cfg).plan.scorer
    answers, refs = [a for a, _ in pairs], [r for _, r in pairs]
    fast = scorer(answers, refs)
    numeric_kind._FAST_INTEGERS = False
    try:
        slow = scorer(answers, refs)
    finally:
        numeric_kind._FAST_INTEGERS = True
    assert fast.scores.tolist() == slow.scores.tolist()
    assert (fast.errors, fast.not_applicable, fast.notes) == (slow.errors, slow.not_applicable, slow.notes)


def test_integer_answers_near_the_tolerance() -> None:
    # the float reject must not reject what the exact comparison accepts (and back)
    assert numeric(["1000000001", "1000000002"], ["1000000000"] * 2, tolerance={"rel": 1e-9}).scores.tolist() == [1, 0]
    assert numeric(["10", "11"], ["10.5"] * 2, tolerance={"abs": 0.5}).scores.tolist() == [1, 1]
    assert numeric(["1", "2"], ["150%"] * 2, tolerance={"abs": 0.5, "rel": 0}).scores.tolist() == [1, 1]
    assert numeric([str(2**60 + 1)], [str(2**60)], tolerance={"rel": 0}).scores.tolist() == [0]
    assert numeric(["5"], ["5 cm"]).scores.tolist() == [1]
