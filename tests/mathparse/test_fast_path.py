"""The plain-number fast path (graders.mathparse.check `_simple` / `_numbers_verdict`) gives
exactly what the normaliser, the parser and the comparator give: same key, value, literal
kind and decimal digits, and the same verdict and reason for every pair."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graders.mathparse import check
from graders.mathparse.answer import Scalar
from graders.mathparse.compare import NeedsSympy, Options
from graders.mathparse.expr import DecInfo
from graders.mathparse.lexer import compact
from graders.mathparse.parse import normalized, parse

digits = st.one_of(st.text("0123456789", min_size=1, max_size=20), st.text("0123456789４２٣", min_size=1, max_size=4))
sign = st.sampled_from(["", "-", "+", " ", "- "])


def _thousands(t: tuple[int, list[int]]) -> str:
    return str(t[0]) + "".join(f",{g:03d}" for g in t[1])


simple_texts = st.one_of(
    st.integers(-(10**19), 10**19).map(str),
    st.tuples(sign, digits).map("".join),
    st.tuples(st.integers(0, 999), st.lists(st.integers(0, 999), max_size=6)).map(_thousands),
    st.tuples(sign, st.sampled_from(["\\frac", "\\dfrac", "\\tfrac", "\\cfrac", "frac"]), digits, digits).map(
        lambda t: f"{t[0]}{t[1]}{{{t[2]}}}{{{t[3]}}}"
    ),
    st.tuples(sign, digits, st.sampled_from(["/", " / ", "//"]), digits).map("".join),
    st.tuples(sign, digits, st.sampled_from([".", ","]), digits).map("".join),
    st.tuples(sign, st.sampled_from(["", "0", "00"]), st.sampled_from([".", ","]), digits).map("".join),
)
other_texts = st.sampled_from(
    ["x", "2\\sqrt{3}", "\\{1,2\\}", "[1,10)", "3x+1", "A", "(B)", "1,22", "0.333333", "\\frac13",
     "0.3333333", "1/3", "４２", "42", "50\\%", "0.5", "1e3", "1000", "\\pi", "3.14159", "x=5", "", "five", "5 apples"]
)
texts = st.one_of(simple_texts, simple_texts, other_texts)
options = st.sampled_from(
    [Options(), Options(approx_digits=0), Options(rel_tol=1e-3), Options(abs_tol=0.5), Options(choices=False)]
)


def _slow(text: str) -> check.Prepared:
    norm = normalized(text)
    return check.Prepared(compact(norm) if norm is not None else None, parse(text, normalized_text=norm))


def _dump(p: check.Prepared) -> tuple:
    a = p.answer
    if not isinstance(a, Scalar):
        return (p.key, repr(a))
    e = a.expr
    meta = (e.meta.sig, e.meta.dp) if isinstance(e.meta, DecInfo) else e.meta
    return (p.key, e.op, e.args, meta, e.rv, e.bits, e.syms)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(simple_texts)
def test_simple_prepare_is_the_parse(text: str) -> None:
    fast = check._simple(text)
    if fast is not None:
        assert _dump(fast) == _dump(_slow(text))


def _decide(a: str, r: str, opts: Options) -> tuple:
    """The verdict, or "sympy" for a pair sent to a worker."""
    try:
        return ("verdict", check.decide(a, r, opts, use_sympy=False))
    except NeedsSympy:
        return ("sympy",)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts, options)
def test_fast_verdict_is_the_general_verdict(a: str, r: str, opts: Options) -> None:
    mp = pytest.MonkeyPatch()
    mp.setattr(check, "FAST_BUDGET_S", 3600.0)  # on a busy machine a cold parse may pass the budget
    try:
        fast = _decide(a, r, opts)
        mp.setattr(check, "_simple", lambda text: None)
        mp.setattr(check, "_plain_verdict", lambda a, r, o: None)
        mp.setattr(check, "_numbers_verdict", lambda a, r, o: None)
        slow = _decide(a, r, opts)
    finally:
        mp.undo()
    assert fast == slow


@pytest.mark.parametrize(
    "text", ["42", "-7", "007", "3,228", "1,000,000", "\\frac{3}{4}", "-\\dfrac{29}{12}", "\\tfrac{4}{2}",
             "32/40", "-3/4", "0.75", "-258.0", "123456789012345678"],
)
def test_common_forms_take_the_fast_path(text: str) -> None:
    fast = check._simple(text)
    assert fast is not None
    assert _dump(fast) == _dump(_slow(text))


@pytest.mark.parametrize("text", ["0,123", "1,22", "+5", "４２", "٣", "\\frac{1}{0}", "1/0", ".5", "1 000", "12,34"])
def test_near_misses_take_the_general_path(text: str) -> None:
    assert check._simple(text) is None
