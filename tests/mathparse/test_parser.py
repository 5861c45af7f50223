"""graders.mathparse: normalisation, tokenising and parsing tables."""

from __future__ import annotations

from fractions import Fraction

import pytest

from graders.mathparse import parse
from graders.mathparse.answer import (
    Choice,
    Interval,
    Matrix,
    ParseFailure,
    Rel,
    Scalar,
    Seq,
    Text,
    Union,
)
from graders.mathparse.expr import DecInfo
from graders.mathparse.lexer import normalize

# (text, expected describe())
DESCRIBE = [
    (r"2\sqrt{3}", "(2*root2(3))"),
    (r"2\sqrt3", "(2*root2(3))"),
    (r"\dfrac{9}{7}", "9/7"),
    (r"\frac12", "1/2"),
    (r"\frac{1}{2}x", "((1)/(2)*x)"),
    (r"\sqrt23", "(root2(2)*3)"),  # LaTeX: \sqrt takes one token
    (r"\sqrt[3]{x}", "root3(x)"),
    ("x^23", "(x)^(23)"),  # plain-text habit
    ("x^{-1}", "(x)^(-(1))"),
    ("2^3^2", "(2)^((3)^(2))"),  # right-associative
    ("2x", "(2*x)"),
    (r"2\pi", "(2*pi)"),
    ("x(x+1)", "x((x + 1))"),
    ("(x+1)(x-1)", "((x + 1)*(x + -(1)))"),
    (r"a \cdot b \times c", "(a*b*c)"),
    (r"6 \div 3", "(6)/(3)"),
    ("1/2x", "((1)/(2)*x)"),
    (r"\left( x \right)", "x"),
    (r"3x-y+13=0", "((3*x) + -(y) + 13) = 0"),
    (r"\sin 2x", "sin((2*x))"),
    (r"\sin x \cos x", "(sin(x)*cos(x))"),
    (r"\sin^2 x", "(sin(x))^(2)"),
    (r"\sin^{-1} x", "asin(x)"),
    (r"\log_2 8", "log_2(8)"),
    (r"\ln(x)", "log(x)"),
    ("10!", "(10)!"),
    (r"\binom{10}{3}", "binom(10, 3)"),
    ("|x-1|", "abs((x + -(1)))"),
    (r"\lfloor x \rfloor", "floor(x)"),
    ("x_1 + x_{12}", "(x_1 + x_12)"),
    (r"\alpha + \theta", "(alpha + theta)"),
    (r"2\frac{1}{2}", "5/2"),  # mixed number
    (r"2 \cdot \frac{1}{2}", "(2*(1)/(2))"),
    (r"0.\overline{3}", "1/3"),
    (r"0.1\overline{6}", "1/6"),
    ("1,000", "1000"),
    (r"1{,}000", "1000"),
    (r"1\,000\,000", "1000000"),
    ("12,345,678", "12345678"),
    ("1.5e3", "1500"),
    (r"1.5 \times 10^{3}", "1500"),
    ("−5", "-5"),  # U+2212
    ("４２", "42"),  # full-width digits
    ("x²", "(x)^(2)"),  # superscripts are powers, never digits
    ("4²", "(4)^(2)"),
    (r"30^\circ", "deg(30)"),
    ("30°", "deg(30)"),
    (r"25\%", "pct(25)"),
    ("25 percent", "pct(25)"),
    (r"\$1,250", "1250"),
    (r"12 \text{ cm}", "12 [cm]"),
    (r"12\,\text{cm}^2", "12 [cm^2]"),
    (r"100\pi \text{ cm}^2", "(100*pi) [cm^2]"),
    ("5 hours", "5 [h]"),
    ("18 km/h", "18 [km/h]"),
    ("42 apples", "42"),
    ("twelve", "12"),
    ("1011_2", "1011_2"),
    ("$x = 3$", "x = 3"),
    (r"\boxed{(1,2)}", "(1, 2)"),
    (r"\[ \frac{1}{2} \]", "1/2"),
    (r"\text{The answer is } 42", "42"),
    ("**12**", "12"),
    ("42.", "42"),
    (r"e^{i\pi}", "(e)^((i*pi))"),
    ("f(x) = 2x - 7", "f(x) = ((2*x) + -(7))"),
    ("(a, b) = (1, 2)", "(a, b) = (1, 2)"),
    (r"x \neq 2", "x != 2"),
    (r"-2 < x \le 5", "-(2) < x <= 5"),
]


@pytest.mark.parametrize(("text", "want"), DESCRIBE)
def test_describe(text: str, want: str) -> None:
    got = parse(text)
    assert not isinstance(got, ParseFailure), got
    assert got.describe() == want


KINDS = [
    (r"1 \pm \sqrt{2}", Seq, "or"),
    (r"\pm 3", Seq, "or"),
    (r"x = \pm 3", Seq, "or"),
    (r"x = 5 \text{ or } x = -2", Seq, "or"),
    ("3 or 4", Seq, "or"),
    ("1, 2, 3", Seq, "list"),
    ("1; 2", Seq, "list"),
    (r"1 \text{ and } 2", Seq, "list"),
    (r"\{1, 2\}", Seq, "set"),
    (r"\left\{ 1, 2 \right\}", Seq, "set"),
    (r"\emptyset", Seq, "set"),
    ("(1, 2)", Seq, "tuple"),
    ("(1, 2, 3)", Seq, "tuple"),
    (r"\langle 1, 2 \rangle", Seq, "tuple"),
    ("[1, 2, 3]", Seq, "tuple"),
    ("[1, 2)", Interval, None),
    ("(1, 2]", Interval, None),
    ("[1, 2]", Interval, None),
    (r"(-\infty, 3]", Interval, None),
    (r"\mathbb{R}", Interval, None),
    ("all real numbers", Interval, None),
    (r"x \in [1, 2)", Interval, None),
    (r"x \in (1, 2)", Interval, None),
    (r"(-\infty, 3] \cup [5, \infty)", Union, None),
    ("(1, 2) U (3, 4)", Union, None),
    (r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", Matrix, None),
    (r"\begin{bmatrix} 1 \\ 2 \end{bmatrix}", Matrix, None),
    (r"\begin{array}{cc} 1 & 2 \end{array}", Matrix, None),
    ("x = 3", Rel, None),
    (r"\{x \mid x > 0\}", Rel, None),  # set-builder: the condition
    (r"\{x \in \mathbb{R} : x \ne 1\}", Rel, None),
    ("[[1, 2], [3, 4]]", Matrix, None),
    ("x > 3", Rel, None),
    ("1 < x < 3", Rel, None),
    ("B", Choice, None),
    ("(B)", Choice, None),
    (r"\text{(B)}", Choice, None),
    (r"\textbf{(C)}\ 12", Choice, None),
    ("option D", Choice, None),
    ("Evelyn", Text, None),
    ("no solution", Text, None),
    (r"\text{Monday}", Text, None),
    ("x", Scalar, None),
    ("b", Scalar, None),  # a lower-case letter is a symbol
]


@pytest.mark.parametrize(("text", "cls", "kind"), KINDS)
def test_kinds(text: str, cls: type, kind: str | None) -> None:
    got = parse(text)
    assert isinstance(got, cls), (text, got)
    if kind is not None:
        assert got.kind == kind  # type: ignore[attr-defined]


def test_choice_letter_and_text() -> None:
    assert parse(r"\mathrm{(B)}") == Choice("B")
    assert parse("Yes.") == Text("yes")
    hedge = parse(r"\text{(C) and (D)}")  # two letters: a list, never the choice C
    assert isinstance(hedge, Seq) and len(hedge.items) == 2


def test_pm_expansion_values() -> None:
    got = parse(r"\frac{-1 \pm \sqrt{5}}{2}")
    assert isinstance(got, Seq) and got.kind == "or" and len(got.items) == 2


def test_decimal_info() -> None:
    got = parse("3.14159")
    assert isinstance(got, Scalar)
    assert got.expr.args[0] == Fraction(314159, 100000)
    assert isinstance(got.expr.meta, DecInfo) and got.expr.meta.sig == 6 and got.expr.meta.dp == 5
    sci = parse("1.578e-30")
    assert isinstance(sci, Scalar) and sci.expr.meta.sig == 4 and sci.expr.meta.dp == 33  # type: ignore[union-attr]
    exact = parse(r"\frac{1}{3}")
    assert isinstance(exact, Scalar) and exact.expr.meta is None


FAILURES = [
    ("", "parse_error"),
    ("   ", "parse_error"),
    ("__import__('os').system('ls')", "parse_error"),
    ("x +", "parse_error"),
    ("(1, 2", "parse_error"),
    (r"\{x^2 \mid x > 0\}", "parse_error"),
    (r"\frac{1}", "parse_error"),
    (r"\foo{1}", "parse_error"),
    (r"\begin{cases} 1 \end{cases}", "parse_error"),
    (r"10^{10^{10^{10}}}", "too_large"),
    ("9999999!", "too_large"),
    ("((9^9)^9999)^9999", "too_large"),
    ("2^2^2^2^2^2^2^2", "too_large"),
    ("(" * 500 + "1" + ")" * 500, "too_large"),
    ("x" + "^x" * 300, "too_large"),
    ("1" + "/2" * 300, "too_large"),
    ("9" * 20_000, "too_large"),
    ("1" * (5 * 1024 * 1024), "too_large"),
    (r"e^{10^{100}}", "too_large"),
]


@pytest.mark.parametrize(("text", "kind"), FAILURES)
def test_failures_never_raise(text: str, kind: str) -> None:
    got = parse(text)
    assert isinstance(got, ParseFailure), (text[:50], got)
    assert got.kind == kind, (text[:50], got)


def test_normalize_strips_wrappers_and_units() -> None:
    assert normalize(r"$\boxed{\dfrac{9}{7}}$") == r"\dfrac{9}{7}"
    assert normalize(r"\(x=1\)") == "x=1"
    assert normalize("The answer is 5.") == "5"
    assert normalize("5 m") == "5 m"  # a bare single letter may be a symbol: kept
    assert normalize(r"5\text{ m}") == r"5 \unit{m}"  # a physical unit: kept as a marker
    assert normalize("12 apples") == "12"  # a counting noun: dropped


def test_big_literals() -> None:
    big = parse("1" + "0" * 5000)
    assert isinstance(big, Scalar) and big.expr.args[0] == 10**5000
