"""Notation read in the fifth external pass on issue 8 (tests/data/external_equivalence_unseen4:
the dapo_math_verify_wrapper and gaokao_gpt4 misses): `\\leqq` / `\\geqq` / `⩽` / `⩾` as `\\le` /
`\\ge` (glued to a name too: `1\\leqqx\\leqq2`), a trailing qualifier on an answer
(`2^n \\text{ for all } n`, `(1,k)\\ \\forall k\\in\\mathbb{Z}^+`, `..., \\ k \\in \\mathbb{Z}`) and
the tie `~` inside `\\mathrm{~N}`. Every row is checked in both orders; near misses stay false.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.mathparse import Options
from graders.mathparse.check import decide
from graders.mathparse.qualifier import strip_qualifier

T, F = True, False

TABLE = [
    # \leqq / \geqq and the other spellings of the same relations (dapo_math_verify_wrapper leqq rows)
    (r"p \le 0", r"p\leqq0", T), (r"p \leqq 0", r"p \le 0", T), (r"p \geqq 0", r"p \ge 0", T),
    (r"p \geqq 0", r"p \le 0", F), (r"p \leqq 0", r"p < 0", F), (r"p \leqq 1", r"p \le 0", F),
    ("p ⩽ 0", r"p \le 0", T), ("p ⩾ 0", r"p \geqslant 0", T), ("p ≦ 0", r"p \leq 0", T), ("p ⩾ 0", r"p \le 0", F),
    (r"[1, 2]", r"1\leqqx\leqq2", T), (r"[1, 2]", r"1\leqq x\leqq 2", T), (r"[1, 2]", r"1 \le x \le 2", T),
    (r"[1, 2]", r"1\leqx\leq2", T), (r"[1, 2]", r"1\geqqx\geqq2", F), (r"(1, 2]", r"1\leqqx\leqq2", F),
    (r"[1, 3]", r"1\leqqx\leqq2", F), (r"[-2, 5]", r"-2 \leqslant x \leqslant 5", T),
    (r"x \geqq 3", r"[3, \infty)", T), (r"x \geqq 3", r"(3, \infty)", F),
    # trailing qualifiers (dapo_math_verify_wrapper trailing_qualifier rows)
    (r"x = \frac{3\pi}{2} + 2\pi k,\ k \in \mathbb{Z}", r"\frac{3\pi}{2}+2k\pi", T),
    (r"x = \frac{3\pi}{2} + 2\pi k,\ k \in \mathbb{Z}", r"\frac{3\pi}{2}+k\pi", F),
    (r"2^n \text{ for all } n", "2^n", T), (r"2^n \text{ for all } n", "2^{n+1}", F),
    (r"(1,k)\ \forall k\in\mathbb{Z}^+", "(1, k)", T), (r"(1,k)\ \forall k\in\mathbb{Z}^+", "(k, 1)", F),
    (r"\frac{\pi}{2}+k\pi \ (k \in \mathbb{Z})", r"\frac{\pi}{2}+k\pi", T),
    (r"\frac{\pi}{2}+k\pi\ (k \in \mathbb{Z})", r"\frac{\pi}{2}+2k\pi", F),
    (r"2k\pi \text{ for any integer } k", r"2k\pi", T), (r"2k\pi \text{ for all integers } k", r"2k\pi", T),
    (r"2k\pi, \text{ where } k \in \mathbb{Z}", r"2k\pi", T), (r"2k\pi \quad k \in \mathbb{Z}^*", r"2k\pi", T),
    (r"2^n, n \geq 1", "2^n", T), (r"2^n, n \geq 1", "2^{n-1}", F), (r"n^2 \forall n \ge 1", "n^2", T),
    (r"2^n \text{ for } n \geq 1", "2^n", T), (r"2k+1, k \text{ is an integer}", "2k+1", T),
    (r"a_n = 2^n, n \in \mathbb{N}^*", "a_n = 2^n", T), (r"a_n = 2^n, n \in \mathbb{N}^*", "a_n = 3^n", F),
    (r"x = 2, x \in \mathbb{Z}", "2", T), ("k \u2208 \u2124", "k", F), (r"2^n, n \in ℕ", "2^n", T),
    # what is not a qualifier stays in the answer
    (r"x > 1", "1", F), (r"x \geqq 1", "1", F), (r"2, x \geq 1", "2", F), (r"x = 2, x > 1", "2", F),
    (r"n \geq 1, n \leq 5", r"n \geq 1", F), (r"n \geq 1, n \leq 5", "[1, 5]", T), (r"1, n \geq 1", "1", F),
    (r"x \le 3, x \ge 1", r"x \le 3", F), (r"x \le 3, x \ge 1", r"[1, 3]", T), (r"3, 4 \ge 1", "3", F),
    # the tie `~` inside text-style wrappers (gaokao_gpt4 Math_I Fill-in-the-Blank 0)
    (r"N_{1}/N", r"\frac{\mathrm{N}_{1}}{\mathrm{~N}}", T), (r"N/N_{1}", r"\frac{\mathrm{N}_{1}}{\mathrm{~N}}", F),
    (r"\mathrm{~m}", "m", T), (r"5 \mathrm{~cm}", r"5 \text{ cm}", T), (r"5 \mathrm{~cm}", r"6 \text{ cm}", F),
]


@pytest.mark.parametrize(("answer", "reference", "expected"), TABLE)
def test_table(answer: str, reference: str, expected: bool) -> None:
    for a, b in ((answer, reference), (reference, answer)):
        v = decide(a, b, Options(), use_sympy=True)
        assert v.equal is expected, (a, b, v)


# Hypothesis: a qualifier added to a value never changes its verdict against any reference.
_VALUES = st.sampled_from([r"2^n", r"2k\pi", r"\frac{\pi}{2}+k\pi", "(1, k)", r"n^2+1", r"3k", r"\frac{k}{2}"])
_QUALIFIERS = st.sampled_from([
    r", k \in \mathbb{Z}", r",\ k \in \mathbb{Z}", r" \ (k \in \mathbb{Z})", r" \text{ for all } k", r" \forall k",
    r"\ \forall k\in\mathbb{Z}^+", r" \text{ for any integer } k", r" \text{ where } k \in \mathbb{Z}",
    r", k \geq 1", r" \text{ for } k \ge 0", r", k \text{ is an integer}",
])


@settings(max_examples=60, deadline=None)
@given(_VALUES, _VALUES, _QUALIFIERS)
def test_a_qualifier_never_changes_the_verdict(value: str, reference: str, qualifier: str) -> None:
    value, reference = value.replace("n", "k"), reference.replace("n", "k")
    plain = decide(value, reference, Options(), use_sympy=False).equal
    assert decide(value + qualifier, reference, Options(), use_sympy=False).equal is plain
    assert decide(reference, value + qualifier, Options(), use_sympy=False).equal is plain


@settings(max_examples=80, deadline=None)
@given(st.integers(-50, 50), st.integers(-50, 50), st.sampled_from([r"\le", r"\leqq", r"\leqslant", "⩽", "≤"]),
       st.booleans())
def test_every_spelling_of_le_is_the_closed_interval(lo: int, hi: int, le: str, glued: bool) -> None:
    if lo >= hi:
        return
    name = "x" if glued else " x "
    chained = f"{lo}{le}{name}{le}{hi}"
    assert decide(chained, f"[{lo}, {hi}]", Options(), use_sympy=False).equal
    assert not decide(chained, f"[{lo}, {hi + 1}]", Options(), use_sympy=False).equal
    assert not decide(chained, f"({lo}, {hi}]", Options(), use_sympy=False).equal


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("xkn12,=<>\\ {}()^+") + [r"\in", r"\forall", r"\mathbb{Z}", r"\geq", " for all "]),
               max_size=25).map("".join))
def test_strip_qualifier_only_removes_a_tail(s: str) -> None:
    out = strip_qualifier(s)
    assert s.startswith(out)
    assert out == s or out.strip()


def test_strip_qualifier_is_linear_on_long_inputs() -> None:
    s = "x" + ", k " * 50_000 + r"\in \mathbb{Z}"
    assert strip_qualifier(s) == s[: s.rfind(",")].rstrip() or strip_qualifier(s).startswith("x")
    assert strip_qualifier("1" * 100_000) == "1" * 100_000
