"""numeric kind: units after the number (issue 8 item 4), the math kind's rules.

A number followed by a unit or plain words is the number against a bare reference; units
convert when both sides carry one (graders.mathparse.units holds the one table); different
dimensions, or unit words that are neither the same nor both physical units, never match.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graders
from graders.numbers import parse_number, parse_quantity, unit_factor

FAST = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def numeric(outputs: list[str], refs: list[str], **kw: object) -> list[float]:
    g = graders.from_dict({"type": "numeric", "reference": "{{ item.r }}", "extract": "none", **kw})
    return g.score(outputs, [{"r": r} for r in refs]).scores.tolist()


def one(output: str, ref: str, **kw: object) -> float:
    return numeric([output], [ref], **kw)[0]


@pytest.mark.parametrize(
    ("output", "ref", "want"),
    [
        # both sides carry units: converted within a dimension
        ("1200 cm", "12 m", 1), ("12 m", "1200 cm", 1), ("1200 \\text{ cm}", "12 \\text{ m}", 1),
        ("18 km/h", "5 m/s", 1), ("5 m^2", "50000 cm^2", 1), ("2 kg", "2000 g", 1),
        ("90 minutes", "1.5 hours", 1), ("1 ft", "12 in", 1), ("2 L", "2000 mL", 1),
        ("5 square meters", "5 m^2", 1), ("5 km", "5 kilometres", 1), ("5 apples", "5 apples", 1),
        ("5 V.", "5 V", 1),  # same unit words, no table needed
        ("5 mA", "5 MA", 0), ("5 Hz", "5 hz", 0),  # not the same words: milli is not mega
        # ... and a unit never rescues a wrong number or a different quantity
        ("5 cm", "5 m", 0), ("1201 cm", "12 m", 0), ("5 kg", "5 m", 0), ("5 m/s", "5 m", 0),
        ("5 lb", "5 kg", 0), ("5 months", "5 years", 0), ("5 apples", "5 oranges", 0),
        ("5 apples", "5 m", 0), ("5 V", "5 mV", 0), ("2 pounds", "2 lb", 0),
        # a bare reference: the number as written (unit or plain words after it)
        ("5 m/s", "5", 1), ("12 \\text{ cm}", "12", 1), ("72 clips", "72", 1),
        ("42 apples in total", "42", 1), ("1,250 people were there", "1250", 1),
        ("12 is the answer", "12", 1), ("$12 dollars in all", "12", 1), ("5 m", "6", 0),
        ("42 apples in total", "43", 0),
        # ... unless a word hedges, negates, scales or is math
        ("42 or more", "42", 0), ("not 42", "42", 0), ("42 is not right", "42", 0),
        ("5 hundred", "5", 0), ("5 hundred apples", "5", 0), ("2 pi", "2", 0),
        ("42 apples or maybe 43", "42", 0), ("5 big red xy", "5", 0), ("1 maybe", "1", 0),
        ("5 cm perhaps", "5", 0), ("12 m wrong", "12 m", 0),
        # a unit on the reference, none on the answer: the number as written (math kind's rule)
        ("12", "12 m", 1), ("1200", "12 m", 0), ("5 hundred", "500", 1),
    ],
)
def test_units_and_words(output: str, ref: str, want: int) -> None:
    assert one(output, ref) == want


def test_tolerance_applies_in_the_reference_unit() -> None:
    # 1205 cm is 12.05 m: within abs 0.1 of 12 m, not within abs 0.01
    assert numeric(["1205 cm", "1205 cm"], ["12 m", "12 m"], tolerance={"abs": 0.1}) == [1, 1]
    assert one("1205 cm", "12 m", tolerance={"abs": 0.01}) == 0


def test_partial_credit_after_conversion_and_none_across_dimensions() -> None:
    got = numeric(["1100 cm", "11 kg"], ["10 m", "10 m"], partial_credit={"max_rel_error": 0.5})
    assert abs(got[0] - (1 - (1 / 11) / 0.5)) < 1e-9
    assert got[1] == 0


def test_mismatched_units_get_a_note_not_an_error() -> None:
    g = graders.from_dict({"type": "numeric", "reference": "{{ item.r }}", "extract": "none"})
    r = g.score(["5 kg"], [{"r": "5 m"}])
    assert r.scores.tolist() == [0]
    assert r.errors == [[]] and r.n_error == 0  # a wrong answer, not a row error


def test_default_extraction_keeps_the_unit() -> None:
    g = graders.from_dict({"type": "numeric", "reference": "{{ item.r }}"})
    r = g.score(["The rope is long. The answer is 1200 cm.", "So the answer is 5 cm."], [{"r": "12 m"}, {"r": "5 m"}])
    assert r.scores.tolist() == [1, 0]


def test_parse_number_keeps_the_unit_words() -> None:
    assert parse_number("5 square meters").unit == "square meters"  # type: ignore[union-attr]
    assert parse_number("60 km/h").unit == "km/h"  # type: ignore[union-attr]
    assert parse_number("12 \\text{ m}").unit == "m"  # type: ignore[union-attr]
    assert parse_number("5cm.").unit == "cm"  # type: ignore[union-attr]
    assert parse_number("1,234").unit == "" and parse_number("$5").unit == ""  # type: ignore[union-attr]
    assert parse_number("5 hundred").unit == ""  # type: ignore[union-attr]  # a scale, not a unit


def test_unit_factor() -> None:
    def f(a: str, b: str) -> F | None:
        pa, pb = parse_quantity(a), parse_quantity(b)
        assert pa is not None and pb is not None
        return unit_factor(pa, pb)

    assert f("1200 cm", "12 m") == F(1, 100)
    assert f("18 km/h", "5 m/s") == F(5, 18)
    assert f("5", "5 m") == 1 and f("5 m", "5") == 1 and f("5 mm", "5 Mm") is None
    assert f("5 kg", "5 m") is None and f("5 apples", "5 m") is None


def test_words_fallback_is_bounded_and_strict() -> None:
    assert parse_quantity("5 " + "apples " * 100) is None  # over the word window
    assert parse_quantity("x" * 2000) is None
    assert parse_quantity("Step 3 apples") is None and parse_quantity("x = 5 apples") is None
    assert parse_quantity("") is None and parse_quantity("   ") is None


LENGTHS = ["mm", "cm", "m", "km", "in", "ft", "yd", "mi"]
MASSES = ["mg", "g", "kg", "lb", "oz"]
TIMES = ["s", "min", "h", "day", "week"]
decimals = st.builds(lambda n, k: F(n, 10**k), st.integers(0, 10**7), st.integers(0, 4))


def dec(x: F) -> str:
    """x (a decimal fraction) written out exactly."""
    k = 0
    while (x * 10**k).denominator != 1:
        k += 1
    s = str((x * 10**k).numerator).rjust(k + 1, "0")
    return s if k == 0 else s[:-k] + "." + s[-k:]


@FAST
@given(decimals)
def test_metres_to_centimetres_always_match(x: F) -> None:
    assert one(f"{dec(x * 100)} cm", f"{dec(x)} m") == 1
    assert one(f"{dec(x)} m", f"{dec(x * 100)} cm") == 1
    # off by one centimetre (rel 0: the default 1e-9 rightly accepts 1 cm in 10,000 km)
    assert one(f"{dec(x * 100 + 1)} cm", f"{dec(x)} m", tolerance={"rel": 0}) == 0


@FAST
@given(decimals, st.sampled_from(LENGTHS), st.sampled_from(LENGTHS))
def test_lengths_convert_both_ways(x: F, u: str, v: str) -> None:
    from graders.mathparse.units import parse_unit

    fu, fv = parse_unit(u).factor, parse_unit(v).factor  # type: ignore[union-attr]
    y = x * fu / fv
    if (y * 10**12).denominator == 1:  # written exactly as a decimal
        assert one(f"{dec(y)} {v}", f"{dec(x)} {u}") == 1


@FAST
@given(
    decimals,
    decimals,
    st.sampled_from([(a, b) for g1 in (LENGTHS, MASSES, TIMES) for g2 in (LENGTHS, MASSES, TIMES) if g1 is not g2 for a in g1 for b in g2]),
)
def test_a_different_dimension_never_matches(x: F, y: F, units: tuple[str, str]) -> None:
    u, v = units
    assert one(f"{dec(x)} {u}", f"{dec(y)} {v}") == 0
    assert one(f"{dec(x)} {u}", f"{dec(x)} {v}") == 0


@FAST
@given(decimals, st.sampled_from(["apples", "people", "widgets", "V", "Hz"]), st.sampled_from(LENGTHS + MASSES))
def test_unknown_words_never_match_a_physical_unit(x: F, word: str, unit: str) -> None:
    assert one(f"{dec(x)} {word}", f"{dec(x)} {unit}") == 0
    assert one(f"{dec(x)} {unit}", f"{dec(x)} {word}") == 0


@FAST
@given(decimals, st.sampled_from(LENGTHS + MASSES + TIMES + ["apples", "m/s", "km/h", "people in total"]))
def test_a_bare_reference_compares_the_number(x: F, unit: str) -> None:
    assert one(f"{dec(x)} {unit}", dec(x)) == 1
    assert one(f"{dec(x + 1)} {unit}", dec(x)) == 0


PLAIN = ["apples", "people", "were", "there", "in", "total", "altogether", "left", "tickets", "is", "the", "answer"]
CHANGING = ["or", "not", "more", "less", "hundred", "thousand", "times", "plus", "maybe", "between", "pi", "perhaps", "wrong"]


@FAST
@given(decimals, st.lists(st.sampled_from(PLAIN), min_size=1, max_size=8))
def test_plain_words_leave_the_number(x: F, words: list[str]) -> None:
    p = parse_quantity(f"{dec(x)} {' '.join(words)}")
    assert p is not None and p.value == x


@FAST
@given(
    decimals.filter(lambda v: v > 0),
    st.lists(st.sampled_from(PLAIN), max_size=4),
    st.sampled_from(CHANGING),
    st.lists(st.sampled_from(PLAIN), max_size=4),
)
def test_a_word_that_changes_the_answer_stops_it(x: F, before: list[str], word: str, after: list[str]) -> None:
    p = parse_quantity(" ".join([dec(x), *before, word, *after]))
    assert p is None or p.value != x
