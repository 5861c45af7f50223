from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.extract import compile_extractor, numbers

from ._util import within

last_number = compile_extractor("last_number")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The total is 42.", ("42",)),
        ("first 3 then 7", ("7",)),
        ("We get -5", ("-5",)),
        ("We get +5", ("+5",)),
        ("x = \u22127", ("\u22127",)),
        ("range 3-5", ("5",)),  # not a sign after a digit
        ("pay $1,234.50 today", ("1,234.50",)),
        ("1,000,000 people", ("1,000,000",)),
        ("a list 1,2,3", ("3",)),
        ("about 3.14159", ("3.14159",)),
        ("x = .5", (".5",)),
        ("ratio 3/4.", ("3/4",)),
        ("growth of 12.5%", ("12.5%",)),
        (r"growth of 12.5\%", ("12.5%",)),
        ("tiny 1.5e-3 units", ("1.5e-3",)),
        ("n=-4.", ("-4",)),
        ("no digits here", ()),
        ("", ()),
        ("\u0663\u0664", ()),  # Arabic-Indic digits are not ASCII numbers
        ("Step 3: we are done", ("3",)),
    ],
)
def test_table(text, expected):
    assert last_number(text) == expected


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.text(alphabet="abc xyz.,!?\n", max_size=30),
    st.text(alphabet="abc xyz!?\n", max_size=30),
)
def test_recovers_an_integer(n, before, after):
    # the separator keeps "before" from gluing digits or a sign onto the number
    assert last_number(f"{before} {n}{after}") == (str(n),)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_never_raises(text):
    out = last_number(text)
    assert len(out) <= 1


class TestHostile:
    def test_long_tail_without_digits(self):
        with within(0.5):
            assert last_number("1 " + "a" * 5_000_000) == ("1",)

    def test_long_digit_run(self):
        with within(1.0):
            assert len(last_number("7" * 1_000_000)[0]) == 1_000_000

    def test_comma_soup(self):
        with within(0.5):
            assert last_number("1," * 2_000_000) == ("1",)

    def test_signs_only(self):
        with within(0.5):
            assert last_number("-" * 5_000_000) == ()


# The fast path (a stdlib match over the reversed tail) against the definition (the
# `regex` reverse search over the whole text), with windows small enough that numbers
# cross the cut: texts from number-ish alphabets, where signs, exponents, groups,
# fractions and percent signs meet.
_NUMBERISH = st.sampled_from(
    ["0123456789,.-+\u2212eE/%\\ aZ\u0663", "0123456789,", "012,.eE+-", "1,", "9e+-.", "12/.,%\\"]
)


@st.composite
def _cut_numbers(draw):
    window = draw(st.integers(min_value=9, max_value=24))
    alphabet = draw(_NUMBERISH)
    return draw(st.text(alphabet=alphabet, min_size=window - 4, max_size=window + 6)), window


@settings(max_examples=1000, deadline=None)
@given(_cut_numbers())
def test_tail_match_is_the_reverse_search(case):
    text, window = case
    assert numbers.last_number(text, _window=window) == numbers._last_number_search(text)


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=300),
    _NUMBERISH.flatmap(lambda a: st.text(alphabet=a, max_size=200)),
    st.text(alphabet="abc ,.!?}{$\n", max_size=200),
)
def test_production_window_is_the_reverse_search(prose, number_part, after):
    text = prose + number_part + after
    assert numbers.last_number(text) == numbers._last_number_search(text)


_CUT_NUMBERS = ["1,234,567,890,123", "-12,345.678e+10", "3/4", "123/4567", ".5", "+7", "\u22121,000", "1e5",
                "9,99,999", "12,34"]


def _glued(number: str) -> list[str]:
    """The number with every glue before and after it (signs, groups, exponents, percent)."""
    befores = ["", "x", "-", "a-", "1,", "1", ".", "e", "2e", "/", " -"]
    return [b + number + a for b in befores for a in ["", "%", "\\%", ".", "e", ",", " Step"]]


@pytest.mark.parametrize("number", _CUT_NUMBERS)
def test_numbers_across_every_cut(number):
    # every window of the reversed-pattern tier, from the smallest to past the whole text
    for text in _glued(number):
        for window in range(9, len(text) + 10):
            assert numbers.last_number(text, _window=window) == numbers._last_number_search(text), (text, window)


@pytest.mark.parametrize("number", _CUT_NUMBERS)
def test_numbers_across_the_tail_cut(number):
    # the reversed-tail shortcut (last _TAIL characters) and the backtracking one (last _SCAN):
    # every position of the number relative to their cuts
    for text in _glued(number):
        for pad in range(max(numbers._TAIL, numbers._SCAN) + 4):
            padded = text + " " * pad
            assert numbers.last_number(padded) == numbers._last_number_search(padded), padded
