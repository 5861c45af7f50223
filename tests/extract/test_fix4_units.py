"""A number followed by a unit or words compares as the number against a bare-number
reference (issue 8 item 4; graders.mathparse.worded), and never when the words change the
value. Forms from retool_sandbox's reward tests ("Answer: 2 kPa") and a Chinese candy
grader's suite (`\\boxed{21\\text{ 个}}`, "21 个")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.mathparse.worded import worded_number

from ._util import check_graded


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("Answer: 2 kPa", "2"),
        ("最终答案：\\(\\boxed{21\\text{ 个}}\\)", "21"),
        ("答案是 **\\(\\boxed{21\\text{ 个}}\\)**。", "21"),
        ("The answer is 7 newtons.", "7"),
        ("The answer is 12 Äpfel.", "12"),
        ("Final answer: 3,500 people", "3500"),
    ],
)
def test_number_with_a_unit_against_a_bare_number(text, ref):
    check_graded(text, ref, 1, "a unit or words after the number")


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("Answer: 2 kPa", "3"),
        ("Answer: 2 million", "2"),
        ("Answer: 2 thirds", "2"),
        ("Answer: 2 or more", "2"),
        ("Answer: 2 pi", "2"),
        ("Answer: 2 sqrt", "2"),
        ("答案：2 万", "2"),
        ("答案：2 倍", "2"),
        ("Answer: 5 m", "5"),  # a single letter is algebra (5m)
        ("Answer: 2 x", "2"),
        ("Answer: 2 xy", "2"),  # a product of letters
        ("Answer: 3 ab", "3"),
    ],
)
def test_words_that_change_the_value_are_not_dropped(text, ref):
    check_graded(text, ref, 0, "the words change the value")


def test_only_against_a_bare_reference():
    check_graded("Answer: 2 kPa", "2000 Pa", 0, "different units are not guessed")


_BLOCKED = st.sampled_from(
    ["million", "thousand", "dozen", "halves", "tenths", "or more", "and", "pi", "squared", "tens", "repeating", "grand"]
)


@given(st.integers(min_value=-10**9, max_value=10**9), _BLOCKED)
def test_blocked_words_never_give_the_number(n, words):
    assert worded_number(f"{n} {words}") is None


@given(
    st.integers(min_value=0, max_value=10**9),
    st.text(alphabet="个只本张条天米人位件颗", min_size=1, max_size=4),
)
def test_cjk_measure_words_give_the_number(n, unit):
    assert worded_number(f"{n} {unit}") == str(n)
    assert worded_number(f"{n}{unit}") == str(n)
