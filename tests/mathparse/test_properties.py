"""Property tests: equivalence is reflexive (across renderings) and symmetric; batches = one by one."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graders.mathparse import MathChecker, Options
from graders.mathparse.check import decide

OPTS = Options()

# An expression is a tree; `render(tree, style)` writes it in LaTeX (style 0) or plain text (style 1).
leaves = st.one_of(
    st.integers(0, 30).map(lambda n: ("int", n)),
    st.tuples(st.integers(1, 12), st.integers(1, 12)).map(lambda t: ("frac", *t)),
    st.sampled_from(["x", "y", "pi"]).map(lambda s: ("sym", s)),
    st.sampled_from([2, 3, 5, 8, 12]).map(lambda n: ("sqrt", n)),
)


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.tuples(st.just("^"), children, st.integers(0, 3)),
        st.tuples(st.just("neg"), children),
    )


trees = st.recursive(leaves, _extend, max_leaves=6)


def render(t: tuple, style: int) -> str:
    kind = t[0]
    if kind == "int":
        return str(t[1])
    if kind == "frac":
        return rf"\frac{{{t[1]}}}{{{t[2]}}}" if style == 0 else f"({t[1]}/{t[2]})"
    if kind == "sym":
        if t[1] == "pi":
            return r"\pi " if style == 0 else "pi"
        return t[1]
    if kind == "sqrt":
        return rf"\sqrt{{{t[1]}}}" if style == 0 else f"sqrt({t[1]})"
    if kind == "neg":
        return f"-({render(t[1], style)})"
    if kind == "^":
        return f"({render(t[1], style)})^{{{t[2]}}}" if style == 0 else f"({render(t[1], style)})^{t[2]}"
    op, a, b = t
    ra, rb = render(a, style), render(b, style)
    if op == "/" and style == 0:
        return rf"\dfrac{{{ra}}}{{{rb}}}"
    if op == "*" and style == 0:
        return rf"\left({ra}\right) \cdot \left({rb}\right)"
    return f"({ra}) {op} ({rb})"


# GRADERS_HYPOTHESIS_EXAMPLES=5000 for a long local run.
N_EXAMPLES = int(os.environ.get("GRADERS_HYPOTHESIS_EXAMPLES", "120"))
SETTINGS = settings(max_examples=N_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(trees)
def test_reflexive_across_renderings(t: tuple) -> None:
    latex, plain = render(t, 0), render(t, 1)
    assert decide(latex, plain, OPTS, use_sympy=True).equal, (latex, plain)


def _no_division(t: tuple) -> bool:
    if t[0] == "/":
        return False
    return all(_no_division(c) for c in t[1:] if isinstance(c, tuple))


@SETTINGS
@given(trees.filter(_no_division), trees.filter(_no_division), st.integers(0, 1))
def test_algebraic_identities_hold(a: tuple, b: tuple, style: int) -> None:
    x, y = render(a, style), render(b, 1 - style)
    for lhs, rhs in [
        (f"({x}) + ({y})", f"({y}) + ({x})"),
        (f"({x}) * ({y})", f"({y})*({x})"),
        (f"(({x}) + ({y}))^2", f"({x})^2 + 2({x})({y}) + ({y})^2"),
        (f"({x}) - ({y})", f"-(({y}) - ({x}))"),
    ]:
        assert decide(lhs, rhs, OPTS, use_sympy=True).equal, (lhs, rhs)


@SETTINGS
@given(trees.filter(_no_division), st.sampled_from(["1", "10^{-30}", r"\frac{1}{2^{99}}", r"\sqrt{2}", "x", "0.000001"]))
def test_perturbations_are_never_equal(t: tuple, eps: str) -> None:
    x = render(t, 0)
    v = decide(x, f"({x}) + {eps}", OPTS, use_sympy=True)
    assert not v.equal, (x, eps, v)


@SETTINGS
@given(trees, trees, st.integers(0, 1), st.integers(0, 1))
def test_symmetric(a: tuple, b: tuple, sa: int, sb: int) -> None:
    x, y = render(a, sa), render(b, sb)
    assert decide(x, y, OPTS, use_sympy=True).equal == decide(y, x, OPTS, use_sympy=True).equal


answers = st.one_of(
    trees.map(lambda t: render(t, 0)),
    st.lists(st.integers(-5, 5), min_size=1, max_size=4).map(lambda v: ", ".join(map(str, v))),
    st.lists(st.integers(-5, 5), min_size=1, max_size=4).map(lambda v: r"\{" + ", ".join(map(str, v)) + r"\}"),
    st.tuples(st.integers(-5, 5), st.integers(-5, 5), st.booleans(), st.booleans()).map(
        lambda t: ("[" if t[2] else "(") + f"{t[0]}, {t[1]}" + ("]" if t[3] else ")")
    ),
    st.sampled_from(["x = 2", "2 = x", "y = 2x + 1", "x > 1", "1 < x", r"\pm 2", "2 or -2", "(B)", "B", "yes", r"\text{Yes}"]),
)


@SETTINGS
@given(answers, answers)
def test_symmetric_on_structures(x: str, y: str) -> None:
    assert decide(x, y, OPTS, use_sympy=True).equal == decide(y, x, OPTS, use_sympy=True).equal


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(answers, answers), min_size=1, max_size=8))
def test_batch_equals_one_by_one(pairs: list[tuple[str, str]]) -> None:
    checker = MathChecker(OPTS, timeout_s=30)
    batch = [(v.equal, v.error) for v in checker.check(pairs)]
    single = [(v.equal, v.error) for v in (checker.check([p])[0] for p in pairs)]
    assert batch == single
