"""Chinese numerals read by graders.numbers.parse_number (seventh external pass: 二十五 vs 25)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import graders
from graders.numbers import parse_number


@pytest.mark.parametrize(("text", "value"), [
    ("二十五", 25), ("十五", 15), ("一百零五", 105), ("两万三千", 23000), ("负五", -5), ("零", 0),
    ("三千二百万", 32_000_000), ("一亿零五十", 100_000_050), ("九千九百九十九", 9999), ("兩", 2),
])
def test_chinese_numerals(text: str, value: int) -> None:
    parsed = parse_number(text)
    assert parsed is not None and parsed.value == Fraction(value)


@pytest.mark.parametrize("text", ["二五", "十百", "万", "百千", "三位数", "二十五个苹果个"])
def test_not_numerals_are_refused(text: str) -> None:
    assert parse_number(text) is None


_DIGITS = "零一二三四五六七八九"


def _spell(n: int) -> str:
    """A plain reference spelling for 0 < n < 10000."""
    out, zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d:
            out += ("零" if zero and out else "") + _DIGITS[d] + name
            zero = False
        elif out:
            zero = True
    return out


@given(st.integers(min_value=1, max_value=9999))
def test_round_trip_of_a_plain_spelling(n: int) -> None:
    parsed = parse_number(_spell(n))
    assert parsed is not None and parsed.value == n


def test_the_math_kind_credits_a_chinese_numeral_answer() -> None:
    g = graders.from_dict({"grader": {"type": "math", "reference": "{{ item.gold }}"}})
    res = g.score(["答案是二十五。", "二十五", "二十五"], [{"gold": "25"}, {"gold": "25"}, {"gold": "26"}])
    assert res.scores.tolist() == [1.0, 1.0, 0.0]
