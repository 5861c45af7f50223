"""graders.numbers: exact parsing of numbers in every common format, and comparison."""

from __future__ import annotations

import math
import time
from decimal import Decimal
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from graders.numbers import (
    MAX_INPUT_CHARS,
    ParsedNumber,
    candidate_values,
    numbers_close,
    parse_number,
    relative_error,
)

FAST = settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])


def value(text: str) -> F | None:
    r = parse_number(text)
    return None if r is None else r.value


# --------------------------------------------------------------------------- explicit table

PARSES: list[tuple[str, object] | tuple[str, object, bool]] = [
    # plain
    ("42", 42), ("-42", -42), ("+42", 42), ("  42\n", 42), ("0", 0), ("-0", 0), ("007", 7),
    ("3.14", "3.14"), (".5", "0.5"), ("5.", 5), ("-.5", "-0.5"), ("1.000", 1), ("0.1", "0.1"),
    # thousands separators
    ("1,234", 1234), ("1,234,567", 1234567), ("1,234.5", "1234.5"), ("1 234 567", 1234567),
    ("1\u2009234", 1234), ("1\u202f234\u202f567", 1234567), ("1\u00a0234", 1234), ("1_000", 1000),
    ("1_000_000", 10**6), ("1'000", 1000), ("1’000’000", 10**6), ("12,34,567", 1234567),
    ("1,00,000", 100000), ("1\\,000", 1000), ("1{,}000", 1000), ("1\\!,\\!000", 1000),
    ("1\\ 000", 1000), ("1 000 000.25", "1000000.25"), ("1,500", 1500),
    # unicode digits and minus signs
    ("\u22125", -5), ("\u20105", -5), ("\u20115", -5), ("\u20125", -5), ("\u20135", -5),
    ("\u20145", -5), ("－５", -5), ("４２", 42), ("٤٢", 42), ("۴۲", 42), ("४२", 42), ("৪২", 42),
    ("𝟒𝟐", 42), ("٣٫٥", "3.5"), ("٤٬٢٠٠", 4200), ("４２．５", "42.5"), ("4\u200b2", 42),
    # currency
    ("$5", 5), ("\\$5", 5), ("$ 5", 5), ("-$5", -5), ("$-5", -5), ("\u2212$5", -5), ("5$", 5),
    ("€5", 5), ("5 €", 5), ("£3.50", "3.5"), ("¥100", 100), ("₹1,00,000", 100000), ("₩500", 500),
    ("₽10", 10), ("50¢", 50), ("50 cents", 50), ("USD 5", 5), ("5 USD", 5), ("EUR 5", 5),
    ("5 EUR", 5), ("US$5", 5), ("Rs. 500", 500), ("CHF 1'000", 1000), ("5 dollars", 5),
    ("$1,234.56", "1234.56"), ("$5 million", 5 * 10**6), ("\\$\\,5", 5), ("\\euro 5", 5),
    # percent
    ("50%", 50, True), ("50\\%", 50, True), ("50 %", 50, True), ("50 percent", 50, True),
    ("50 per cent", 50, True), ("50 Percent", 50, True), ("-12.5%", "-12.5", True),
    ("５０％", 50, True), ("50\\text{ percent}", 50, True), ("50\\text{\\%}", 50, True),
    ("\\frac{1}{2}\\%", "0.5", True), ("fifty percent", 50, True), ("$50\\%$", 50, True),
    # scientific
    ("1.2e3", 1200), ("1.2E+03", 1200), ("1e-3", "0.001"), ("-1.5e-3", "-0.0015"),
    ("1.2 \\times 10^{3}", 1200), ("1.2 \\times 10^3", 1200), ("1.2\\cdot10^{-3}", "0.0012"),
    ("1.2 x 10^3", 1200), ("1.2 X 10^3", 1200), ("1.2×10³", 1200), ("1.2·10³", 1200),
    ("1.2·10⁻³", "0.0012"), ("1.2⋅10^3", 1200), ("1.2*10^3", 1200), ("1.2*10**3", 1200),
    ("10^{5}", 10**5), ("10^5", 10**5), ("10⁵", 10**5), ("-10^{5}", -(10**5)),
    ("10^{-2}", "0.01"), ("6.02 \\times 10^{23}", 602 * 10**21), ("1.2\\times10^{ -3 }", "0.0012"),
    ("1.2 × 10^{−3}", "0.0012"), ("1e10000", 10**10000), ("1e0000000000000000000001", 10),
    # fractions
    ("3/4", "3/4"), ("-3/4", "-3/4"), ("3 / 4", "3/4"), ("1.5/3", "1/2"), ("0/5", 0),
    ("\\frac{3}{4}", "3/4"), ("\\dfrac{3}{4}", "3/4"), ("\\tfrac{3}{4}", "3/4"),
    ("\\cfrac{3}{4}", "3/4"), ("\\frac34", "3/4"), ("\\frac 3 4", "3/4"), ("\\frac{3}4", "3/4"),
    ("\\frac{-3}{4}", "-3/4"), ("-\\frac{3}{4}", "-3/4"), ("\\frac{3}{-4}", "-3/4"),
    ("\\frac{1,000}{3}", "1000/3"), ("\\frac{1\\,000}{3}", "1000/3"), ("½", "1/2"), ("¾", "3/4"),
    ("⅞", "7/8"), ("1⁄2", "1/2"), ("1∕2", "1/2"), ("¹⁄₂", "1/2"), ("-½", "-1/2"),
    # mixed numbers
    ("2 1/2", "5/2"), ("2\\frac{1}{2}", "5/2"), ("2 \\frac{1}{2}", "5/2"), ("2½", "5/2"),
    ("2 ½", "5/2"), ("-2 1/2", "-5/2"), ("-2\\frac{1}{2}", "-5/2"), ("2 ¹⁄₂", "5/2"),
    ("1 234/567", F(1) + F(234, 567)),
    # LaTeX / markdown decoration
    ("$42$", 42), ("$$42$$", 42), ("\\(42\\)", 42), ("\\[42\\]", 42), ("\\boxed{42}", 42),
    ("$\\boxed{42}$", 42), ("\\boxed{\\$42}", 42), ("\\boxed{\\frac{1}{2}}", "1/2"),
    ("\\text{42}", 42), ("\\mathbf{42}", 42), ("{42}", 42), ("**42**", 42), ("42.", 42),
    ("\\boxed{42}.", 42), ("$42$.", 42), ("\\displaystyle 42", 42),
    ("$\\displaystyle\\frac{1}{2}$", "1/2"), ("\\boxed{ 42 }", 42), ("$~5$", 5),
    # units (ignored, never converted)
    ("5 cm", 5), ("5cm", 5), ("5\\text{ cm}", 5), ("5\\,\\mathrm{kg}", 5), ("5 \\text{cm}^2", 5),
    ("5\\mathrm{m}^{2}", 5), ("5 m^2", 5), ("5 cm²", 5), ("5 m/s", 5), ("9.8 m/s^2", "9.8"),
    ("12 apples", 12), ("5 square meters", 5), ("60 km/h", 60), ("3rd", 3), ("1.2e3 m", 1200),
    ("2 1/2 cups", "5/2"), ("five apples", 5), ("5 cm.", 5), ("5USD", 5), ("5°C", 5),
    ("\\text{5} \\text{cm}", 5), ("\\boxed{5} cm", 5), ("-{5}", -5), ("5\\%\\text{cm}", 5, True),
    # degrees
    ("30°", 30), ("30^\\circ", 30), ("30^{\\circ}", 30), ("30\\circ", 30), ("30 degrees", 30),
    ("30°C", 30), ("30 °F", 30), ("-40^{\\circ}\\text{C}", -40), ("30\\degree", 30),
    # scale words after digits
    ("5 million", 5 * 10**6), ("1.5 billion", 15 * 10**8), ("3 hundred", 300), ("2 dozen", 24),
    ("2 lakh", 200000), ("5hundred", 500),
    # written-out numbers
    ("zero", 0), ("seven", 7), ("Nineteen", 19), ("twenty", 20), ("twenty-one", 21),
    ("twenty one", 21), ("TWENTY-ONE", 21), ("ninety-nine", 99), ("one hundred", 100),
    ("a hundred", 100), ("one hundred and five", 105), ("one hundred five", 105),
    ("three thousand two hundred", 3200), ("one thousand and one", 1001),
    ("twenty-one hundred", 2100), ("one million two hundred thousand", 1200000),
    ("a million", 10**6), ("a dozen", 12), ("two dozen", 24), ("half", "1/2"), ("a half", "1/2"),
    ("one half", "1/2"), ("a third", "1/3"), ("three quarters", "3/4"), ("three fourths", "3/4"),
    ("two thirds", "2/3"), ("five eighths", "5/8"), ("one hundredth", "1/100"),
    ("one and a half", "3/2"), ("two and three quarters", "11/4"), ("minus five", -5),
    ("negative five", -5), ("minus one half", "-1/2"), ("three point one four", "3.14"),
    ("zero point five", "0.5"), ("Five.", 5), ("$\\text{five}$", 5), ("one thousand, two hundred", 1200),
]  # fmt: skip

NOT_NUMBERS = [
    "", " ", "abc", ".", "-", "+", "Step 3", "x = 5", "= 5", "x+1", "3 apples and 4 pears",
    "5 apples or 6", "5 or 6", "5 or more", "5-6", "5, 6", "5,6", "1,5", "0,5", "1,23,4", "1,2345",
    "12,3456", "0,123", ",5", "5,", "5,000,", "1.234.567", "1 23", "1  2", "1_0", "1__000", "1_00",
    "1'2", "1 000,5", "1,000.000.5", "4²", "2⁵", "4٢²", "2^{10}", "3^2", "1e100000", "1e-100000",
    "10^{10^{10}}", "10^{100001}", "10^", "10^{}", "inf", "-inf",
    "Infinity", "nan", "NaN", "\\infty", "0x1F", "0xff", "0XFF", "0b101", "0o17", "1e", "e5",
    "5e", "1ex", "--5", "+-5", "-$-5", "$5%", "50%%", "%50", "50‰", "5!", "5?", "(5)", "[5]",
    "~5", "≈5", "approximately 5", "about 5", "answer: 5", "The answer is 5", "5x", "2n", "3i",
    "2e", "5ab", "3xy", "5 pi", "5\\pi", "2\\sqrt{2}", "\\sqrt{2}", "5 times 3", "5 k", "5k",
    "5K", "5M", "5 bn", "1/0", "\\frac{1}{0}", "0/0", "2 1/0", "3/2/1", "2 3/2",
    "2\\frac{3}{2}", "2\\frac{-1}{2}", "\\frac{1}{2", "\\frac{}{2}", "\\frac123", "3/-4",
    "5 hundred thousand", "five 5", "twenty zero", "zero thousand", "hundred", "thousand",
    "one thousand thousand", "a", "and", "one and", "and five", "one hundred and five eighths",
    "third", "5 half", "5 apples and oranges", "5 big red apples", "1 2 3", "5 5", "5 cm 6",
    "5\\text{ or }6", "5\\text{ or 6}", "\\boxed{5}\\boxed{6}", "$5$ and $6$", "²", "²³",
    "1.2 \\times 10", "1.2 \\times 3", "1.2 \\times 10^{3.5}", "2 \\times 10^{3} \\times 2",
    "1.2x", "\\pm 5", "±5", "5+3", "5*3", "5/x", "x/5", "-$", "$", "%", "minus", "negative",
    "minus minus five", "minus5", "5 %%", "°", "\\text{cm}", "5 %°", "$5 €",
    "1 000 000.000 000", "-10 ³", "½ex", "9%ee", "\\boxed{5}..", "1" * (MAX_INPUT_CHARS + 1), " " * 5000, "5..", "5 -", "Rs.",
]  # fmt: skip


@pytest.mark.parametrize("case", PARSES, ids=lambda c: repr(c[0])[:40])
def test_parses(case: tuple) -> None:
    text, expected, *pct = case
    r = parse_number(text)
    assert r is not None, text
    assert r.value == F(expected), (text, r)
    assert type(r.value) is F
    assert r.percent == (pct[0] if pct else False)
    assert isinstance(r.text, str)


@pytest.mark.parametrize("text", NOT_NUMBERS, ids=lambda t: repr(t)[:40])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_table_size() -> None:
    assert len(PARSES) + len(NOT_NUMBERS) >= 150


def test_non_strings_are_not_numbers() -> None:
    for x in (None, 5, 5.0, b"5", ["5"]):
        assert parse_number(x) is None  # type: ignore[arg-type]


def test_parsed_number_is_frozen_with_slots() -> None:
    r = parse_number("50%")
    assert r == ParsedNumber(F(50), True, "50%")
    with pytest.raises(AttributeError):
        r.value = F(1)  # type: ignore[misc]
    assert not hasattr(r, "__dict__")


def test_text_is_normalised() -> None:
    assert parse_number(" 42 ").text == "42"
    assert parse_number("\\boxed{1\\,000}").text == "1 000"
    assert parse_number("$\\frac{1}{2}$").text == "\\frac{1}{2}"
    assert parse_number("４２").text == "42"


def test_superscripts_are_never_flattened() -> None:
    # NFKC would turn these into 42 and 25
    assert parse_number("4²") is None
    assert parse_number("2⁵") is None
    assert parse_number("10²") == ParsedNumber(F(100), False, "10²")


# --------------------------------------------------------------------------- properties: formats

ints = st.integers(min_value=0, max_value=10**15)
# a decimal: integer part and up to 6 fraction digits
decimals = st.tuples(ints, st.integers(0, 6), st.integers(0, 999_999)).map(
    lambda t: (t[0], str(t[2]).zfill(6)[: t[1]])
)
fractions_ = st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**6)


def dec_text(ip: int, fp: str) -> str:
    return f"{ip}.{fp}" if fp else str(ip)


def dec_value(ip: int, fp: str) -> F:
    return F(ip) + (F(int(fp), 10 ** len(fp)) if fp else 0)


def group(n: int, sep: str) -> str:
    s = str(n)
    head = len(s) % 3 or 3
    parts = [s[:head]] + [s[i : i + 3] for i in range(head, len(s), 3)]
    return sep.join(parts)


def indian(n: int) -> str:
    s = str(n)
    if len(s) <= 3:
        return s
    head, tail = s[:-3], s[-3:]
    parts = []
    while len(head) > 2:
        parts.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *parts, tail])


SEPARATORS = [",", " ", "\u2009", "\u202f", "\u00a0", "_", "'", "’", "\\,", "{,}", "\\ ", "\\;"]


@FAST
@given(ints, st.sampled_from(["", "+", "-", "\u2212", "\u2013", "\u2014", "\u2010"]))
def test_plain_integers(n: int, sign: str) -> None:
    expected = -n if sign and sign != "+" else n
    assert value(f"{sign}{n}") == expected
    assert value(f"  {sign}{n}  ") == expected


@FAST
@given(decimals, st.booleans())
def test_plain_decimals(d: tuple[int, str], neg: bool) -> None:
    ip, fp = d
    v = dec_value(ip, fp) * (-1 if neg else 1)
    t = dec_text(ip, fp)
    assert value(("-" if neg else "") + t) == v
    if ip == 0 and fp:
        assert value(("-" if neg else "") + "." + fp) == v
    assert value(f"{ip}.") == ip


@FAST
@given(decimals, st.sampled_from(SEPARATORS), st.booleans())
def test_thousands_separators(d: tuple[int, str], sep: str, neg: bool) -> None:
    ip, fp = d
    t = group(ip, sep) + (f".{fp}" if fp else "")
    assert value(("-" if neg else "") + t) == dec_value(ip, fp) * (-1 if neg else 1)


@FAST
@given(ints)
def test_indian_grouping(n: int) -> None:
    assert value(indian(n)) == n


@FAST
@given(
    decimals,
    st.sampled_from(
        ["$", "\\$", "€", "£", "¥", "₹", "₩", "₽", "USD ", "EUR ", "US$", "$ ", "\\$\\,"]
    ),
    st.sampled_from(["", "-pre", "-post"]),
)
def test_currency_prefix(d: tuple[int, str], cur: str, sign: str) -> None:
    ip, fp = d
    t = group(ip, ",") + (f".{fp}" if fp else "")
    text = {"": cur + t, "-pre": "-" + cur + t, "-post": cur + "-" + t}[sign]
    assert value(text) == dec_value(ip, fp) * (-1 if sign else 1)
    assert parse_number(text).percent is False


@FAST
@given(
    decimals,
    st.sampled_from(
        ["$", "€", " €", "¢", " USD", " EUR", " dollars", " cents", "\\text{ dollars}"]
    ),
)
def test_currency_suffix(d: tuple[int, str], cur: str) -> None:
    ip, fp = d
    t = dec_text(ip, fp) + cur
    assert value(t) == dec_value(ip, fp)  # cents are not converted


@FAST
@given(
    decimals,
    st.sampled_from(["%", "\\%", " %", " percent", " per cent", "\\text{ percent}", "％"]),
    st.booleans(),
)
def test_percent(d: tuple[int, str], pct: str, neg: bool) -> None:
    ip, fp = d
    r = parse_number(("-" if neg else "") + dec_text(ip, fp) + pct)
    assert r is not None
    assert r.percent is True
    assert r.value == dec_value(ip, fp) * (-1 if neg else 1)


SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def sci_forms(m: str, e: int) -> list[str]:
    return [
        f"{m}e{e}",
        f"{m}E{e:+03d}",
        f"{m} \\times 10^{{{e}}}",
        f"{m}\\times10^{{{e}}}",
        f"{m} \\times 10^{e}",
        f"{m}\\cdot10^{{{e}}}",
        f"{m} \\cdot 10^{e}",
        f"{m} x 10^{e}",
        f"{m}×10" + str(e).translate(SUP),
        f"{m} × 10^{{{e}}}",
        f"{m}·10" + str(e).translate(SUP),
        f"{m}*10**{e}",
    ]


@FAST
@given(decimals, st.integers(-300, 300), st.booleans())
def test_scientific(d: tuple[int, str], e: int, neg: bool) -> None:
    ip, fp = d
    m = dec_text(ip, fp)
    expected = dec_value(ip, fp) * F(10) ** e * (-1 if neg else 1)
    for form in sci_forms(m, e):
        assert value(("-" if neg else "") + form) == expected, form
    assert value(f"10^{{{e}}}") == F(10) ** e
    assert value("10" + str(e).translate(SUP)) == F(10) ** e


@FAST
@given(
    st.integers(MAX_INPUT_CHARS // 100 + 10_001, 10**12),
    st.sampled_from(["1e{}", "1e-{}", "10^{{{}}}", "2 \\times 10^{{{}}}"]),
)
def test_huge_exponents_refused(e: int, form: str) -> None:
    assert parse_number(form.format(e)) is None


@FAST
@given(st.integers(0, 10**9), st.integers(1, 10**9), st.booleans())
def test_fractions(n: int, d: int, neg: bool) -> None:
    v = F(n, d) * (-1 if neg else 1)
    s = "-" if neg else ""
    forms = [
        f"{s}{n}/{d}", f"{s}{n} / {d}", f"{s}\\frac{{{n}}}{{{d}}}", f"{s}\\dfrac{{{n}}}{{{d}}}",
        f"{s}\\tfrac{{{n}}}{{{d}}}", f"\\frac{{{s}{n}}}{{{d}}}", f"$\\frac{{{s}{n}}}{{{d}}}$",
        f"{s}{n}\u2044{d}", f"\\boxed{{{s}\\frac{{{n}}}{{{d}}}}}",
    ]  # fmt: skip
    if n < 10 and d < 10:
        forms += [f"{s}\\frac{n}{d}", f"{s}\\frac {n} {d}"]
    for form in forms:
        assert value(form) == v, form
    assert value(f"{n}/0") is None
    assert value(f"\\frac{{{n}}}{{0}}") is None


@FAST
@given(
    st.integers(0, 10**6),
    st.integers(2, 10**6).flatmap(lambda d: st.tuples(st.integers(1, d - 1), st.just(d))),
    st.booleans(),
)
def test_mixed_numbers(w: int, nd: tuple[int, int], neg: bool) -> None:
    n, d = nd
    v = (w + F(n, d)) * (-1 if neg else 1)
    s = "-" if neg else ""
    for form in [
        f"{s}{w} {n}/{d}",
        f"{s}{w}\\frac{{{n}}}{{{d}}}",
        f"{s}{w} \\frac{{{n}}}{{{d}}}",
        f"{s}{w} {n}/{d} cups",
    ]:
        assert value(form) == v, form


@FAST
@given(
    st.sampled_from(["", "+", "-"]),
    st.sampled_from(["", "$"]),
    decimals,
    st.booleans(),
    st.sampled_from(["", "%"]),
)
def test_fast_path_agrees_with_slow_path(
    sign: str, cur: str, d: tuple, commas: bool, pct: str
) -> None:
    from graders.numbers import _parse_slow

    ip, fp = d
    t = f"{sign}{cur}{group(ip, ',') if commas else ip}" + (f".{fp}" if fp else "") + pct
    fast, slow = parse_number(t), _parse_slow(t)
    assert (fast and (fast.value, fast.percent)) == (slow and (slow.value, slow.percent)), t


@pytest.mark.parametrize(
    "glyph,frac",
    [
        ("½", F(1, 2)),
        ("¼", F(1, 4)),
        ("¾", F(3, 4)),
        ("⅓", F(1, 3)),
        ("⅔", F(2, 3)),
        ("⅛", F(1, 8)),
        ("⅝", F(5, 8)),
    ],
)
def test_vulgar_fractions(glyph: str, frac: F) -> None:
    assert value(glyph) == frac
    assert value("3" + glyph) == 3 + frac
    assert value("-3 " + glyph) == -(3 + frac)


DIGIT_ZEROS = [0x30, 0xFF10, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0x1D7CE, 0x1D7EC]


@FAST
@given(
    decimals,
    st.sampled_from(DIGIT_ZEROS),
    st.sampled_from(["-", "\u2212", "\u2013", "\uff0d"]),
    st.booleans(),
)
def test_unicode_digits(d: tuple[int, str], zero: int, minus: str, neg: bool) -> None:
    ip, fp = d
    t = dec_text(ip, fp)
    t = "".join(chr(zero + int(c)) if c.isdigit() else c for c in t)
    assert value((minus if neg else "") + t) == dec_value(ip, fp) * (-1 if neg else 1)


WRAPS = [
    "{}",
    "${}$",
    "$$ {} $$",
    "\\({}\\)",
    "\\[{}\\]",
    "\\boxed{{{}}}",
    "$\\boxed{{{}}}$",
    "{}.",
    "**{}**",
    "\\text{{{}}}",
    " {} ",
]
UNITS = [
    "",
    " cm",
    "cm",
    "\\,\\text{cm}",
    "\\text{ kg}",
    " m/s",
    " apples",
    " square meters",
    "\\,\\mathrm{m}^{2}",
    "°",
    "^\\circ",
    "^{\\circ}",
    " degrees",
]


@FAST
@given(fractions_, st.sampled_from(WRAPS), st.sampled_from(UNITS))
def test_decorations(v: F, wrap: str, unit: str) -> None:
    body = f"{v.numerator}/{v.denominator}" if v.denominator != 1 else str(v.numerator)
    if v.denominator != 1 and unit:
        body = f"\\frac{{{v.numerator}}}{{{v.denominator}}}"
    assert value(wrap.format(body + unit)) == v


@FAST
@given(
    st.integers(1, 10**6),
    st.sampled_from(["x", "n", "i", "e", "k", "ab", "xy", "pi", "\\pi", "\\sqrt{2}"]),
)
def test_glued_variables_are_not_units(n: int, var: str) -> None:
    assert parse_number(f"{n}{var}") is None


@FAST
@given(st.integers(0, 10**6).filter(lambda n: n != 10), st.integers(0, 99))
def test_digit_with_superscript_is_not_a_number(n: int, e: int) -> None:
    assert parse_number(f"{n}" + str(e).translate(SUP)) is None


# --------------------------------------------------------------------------- written numbers

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen").split()  # fmt: skip
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def english(n: int, hyphen: bool, and_: bool) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        t, u = divmod(n, 10)
        return TENS[t] + ("" if u == 0 else ("-" if hyphen else " ") + ONES[u])
    if n < 1000:
        h, r = divmod(n, 100)
        return (
            ONES[h]
            + " hundred"
            + ("" if r == 0 else (" and " if and_ else " ") + english(r, hyphen, and_))
        )
    for scale, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= scale:
            q, r = divmod(n, scale)
            rest = (
                "" if r == 0 else (" and " if and_ and r < 100 else " ") + english(r, hyphen, and_)
            )
            return english(q, hyphen, and_) + " " + name + rest
    raise AssertionError


@FAST
@given(
    st.integers(0, 999_999_999_999),
    st.booleans(),
    st.booleans(),
    st.sampled_from([str.lower, str.upper, str.title]),
    st.booleans(),
)
def test_written_numbers(n: int, hyphen: bool, and_: bool, case, neg: bool) -> None:
    text = case(english(n, hyphen, and_))
    expected = -n if neg else n
    assert value(("minus " if neg else "") + text) == expected, text
    assert value(text + " apples") == n


@pytest.mark.parametrize("num", range(1, 8))
def test_written_fractions(num: int) -> None:
    for den, word in [
        (2, "halves"),
        (3, "thirds"),
        (4, "quarters"),
        (8, "eighths"),
        (10, "tenths"),
    ]:
        word = (
            word
            if num > 1
            else {
                "halves": "half",
                "thirds": "third",
                "quarters": "quarter",
                "eighths": "eighth",
                "tenths": "tenth",
            }[word]
        )
        assert value(f"{ONES[num]} {word}") == F(num, den)


# --------------------------------------------------------------------------- robustness


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=200))
def test_never_raises_on_any_text(t: str) -> None:
    r = parse_number(t)
    assert r is None or type(r.value) is F


NUMBERISH = list("0123456789.,/ -+eE^{}\\$%²³⁻½x×·_'°") + [
    "\\frac",
    "\\times",
    "10^",
    "\\boxed{",
    "\\text{",
    " cm",
    "percent",
    "five",
    "hundred",
    " and ",
    "\\,",
    "{,}",
]


@settings(deadline=None, max_examples=300)
@given(st.lists(st.sampled_from(NUMBERISH), max_size=25).map("".join))
def test_numberish_text_is_consistent(t: str) -> None:
    r = parse_number(t)
    if r is not None:
        assert type(r.value) is F
        again = parse_number(r.text)  # the normalised text parses to the same number
        assert again is not None and (again.value, again.percent) == (r.value, r.percent), (t, r)


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        "x" * 100_000,
        "{" * 50_000 + "}" * 50_000,
        "$" * 100_000,
        "1," * 50_000,
        "1" * (MAX_INPUT_CHARS - 2),
        "1 " * (MAX_INPUT_CHARS // 2 - 1),
        "\\boxed{" * 120 + "1" + "}" * 120,
        "{" * 499 + "}" * 499,
        "9" * 990 + "e10000",
        "a " * 499,
        "1" * 4301,
    ],
    ids=lambda t: repr(t[:12]) + f"*{len(t)}",
)
def test_long_inputs_are_bounded(text: str) -> None:
    start = time.perf_counter()
    r = parse_number(text)
    assert time.perf_counter() - start < 1.0  # generous: these take well under 5 ms
    if len(text) > MAX_INPUT_CHARS:
        assert r is None


def test_int_digit_limit_never_raises() -> None:
    # CPython refuses int() of over 4300 digits; nothing reaches int() that long
    assert parse_number("1" * 999) is not None
    assert parse_number("1" * 4301) is None
    assert parse_number("1" * 900 + "e10000").value == int("1" * 900) * 10**10000


# --------------------------------------------------------------------------- comparison


def test_candidate_values() -> None:
    p = parse_number("50%")
    assert candidate_values(p, "either") == (F(50), F(1, 2))
    assert candidate_values(p) == (F(50), F(1, 2))
    assert candidate_values(p, "value") == (F(1, 2),)
    assert candidate_values(p, "strip") == (F(50),)
    q = parse_number("0.5")
    for conv in ("either", "value", "strip"):
        assert candidate_values(q, conv) == (F(1, 2),)
    assert candidate_values(parse_number("0%"), "either") == (F(0),)
    with pytest.raises(ValueError):
        candidate_values(p, "bogus")


def test_numbers_close_basics() -> None:
    assert numbers_close(F(1, 3), F(1, 3))
    assert not numbers_close(F(1, 3), 0.3333333)
    assert numbers_close(F(1, 3), 0.3333333333333333)  # within the default 1e-9
    assert not numbers_close(F(1, 3), 0.3333333333333333, rel_tol=0)
    assert numbers_close(0.1 + 0.2, F(3, 10))
    assert numbers_close(100, 101, abs_tol=1)
    assert not numbers_close(100, 101.5, abs_tol=1)
    assert numbers_close(100, 110, rel_tol=0.1)  # relative to the larger magnitude
    assert not numbers_close(0, 1e-300)
    assert numbers_close(0, 1e-300, abs_tol=1e-12)
    assert not numbers_close(float("nan"), float("nan"))
    assert numbers_close(float("inf"), float("inf"))
    assert not numbers_close(float("inf"), 1e308)
    assert numbers_close(Decimal("0.5"), F(1, 2))
    assert not numbers_close(Decimal("sNaN"), 1)
    huge = F(10) ** 10000
    assert numbers_close(huge, huge + 1)
    assert not numbers_close(huge, -huge)
    assert not numbers_close(huge, 1e308)
    with pytest.raises(ValueError):
        numbers_close(1, 1, abs_tol=-1)


@FAST
@given(fractions_, fractions_)
def test_numbers_close_symmetric_and_exact(a: F, b: F) -> None:
    assert numbers_close(a, b) == numbers_close(b, a)
    assert numbers_close(a, a)
    assert numbers_close(a, b, rel_tol=0) == (a == b)
    if a != b:
        assert numbers_close(a, b, abs_tol=float(abs(a - b)) * (1 + 1e-9))


@FAST
@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
)
def test_numbers_close_agrees_with_isclose_away_from_the_boundary(a: float, b: float) -> None:
    for rel in (1e-9, 1e-3, 0.5):
        err = relative_error(a, b)
        assume(abs(err - rel) > 1e-6 * rel)
        assert numbers_close(a, b, rel_tol=rel) == math.isclose(a, b, rel_tol=rel)


def test_relative_error() -> None:
    assert relative_error(F(1), F(1)) == 0.0
    assert relative_error(0, 0) == 0.0
    assert relative_error(100, 110) == pytest.approx(10 / 110)
    assert relative_error(0, 5) == 1.0
    assert relative_error(1, -1) == 2.0
    assert relative_error(F(10) ** 10000, F(10) ** 10000 * 2) == 0.5
    assert relative_error(float("nan"), 1) == math.inf
    assert relative_error(float("inf"), 1) == math.inf
    assert relative_error(float("inf"), float("inf")) == 0.0


@FAST
@given(fractions_, fractions_)
def test_relative_error_bounds(a: F, b: F) -> None:
    e = relative_error(a, b)
    assert 0.0 <= e <= 2.0
    assert (e == 0.0) == (a == b)
    assert e == relative_error(b, a)
