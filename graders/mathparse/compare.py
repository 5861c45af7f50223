"""Equivalence of parsed answers.

`Comparator(options, use_sympy).equal(a, b)` decides whether two Answers are
the same answer. Every rule is symmetric, so equal(a, b) == equal(b, a).

Scalars (the core), in order:

1. structurally identical -> equal;
2. infinities: `\\infty`, `+\\infty`, `-\\infty` compare by sign only;
3. percent: under `percent="either"` (default) `50\\%` equals 50, 1/2 and 50\\%;
   `"value"`: only 1/2 and 50\\%; `"strip"`: only 50 and 50\\%;
   degrees (`30^\\circ`) equal their number; a base-b numeral (`1011_2`) equals
   the same numeral or the same digits written without a base;
4. exact evaluation (graders.mathparse.exact) at shared points: symbols get
   the same random rational values on both sides (3 points, drawn once per
   process from os.urandom); equal exact forms at every point -> equal, a
   difference at any point -> different. Exact rational arithmetic means no
   tolerance: 1/2^99 and 1/2^98 differ, 10^9 and 10^9+1 differ;
5. for constants, the decimal-approximation rule: a plain decimal literal
   with at least `approx_digits` significant digits (default 6) equals an
   exact value whose decimal expansion does not terminate (an irrational such
   as pi, sqrt 2, e^2, ln 2, or a rational such as 1/3) when that value
   correctly rounded to the literal's decimal places is the literal:
   3.14159 = pi, 0.333333 = 1/3, 0.6666667 = 2/3; but 3.14, 0.33, 0.6666,
   2.6667 vs 8/3 (too few digits), 3.1415 (truncated, not rounded) and 0.375
   vs 3/7 are not. A value with a terminating expansion (0.125, 1/2^99) is
   only ever equal to its exact value. Two decimals: the shorter one (at
   least `approx_digits` significant digits once trailing zeros are dropped)
   equals a longer one that it correctly rounds (0.0666668 = 0.066666793;
   2.5000 is not 2.50001);
6. the user tolerance `{abs, rel}` (default 0, i.e. off) for constants:
   |a - b| <= max(abs, rel * max(|a|, |b|));
7. numerics (graders.mathparse.numeric) at the same points, 96 and 192 bits:
   a clear difference -> different (no sympy needed);
8. otherwise sympy (only in a pool worker, `use_sympy=True`): its decisive
   answer wins; when sympy cannot decide, values equal to ~50 digits at
   every point count as equal. In the main process (`use_sympy=False`) this
   step raises `NeedsSympy` and the pair is sent to the pool.

Structures:

- Equations `L = R` compare by proportional differences: L1-R1 = k (L2-R2)
  for a non-zero constant k (sides swapped, rearranged, scaled: `3x-y+13=0`
  equals `y=3x+13`). An equation whose one side is a name (`x`, `k`, `f(x)`,
  `(a, b)`) equals a bare answer that equals its other side (`x = 3` vs `3`,
  `(a, b) = (1, 2)` vs `(1, 2)`); a chain `x = 2+3 = 5` needs every value side
  to match. `x = 3` never equals `y = 3`.
- Inequalities compare as solution sets when they are linear in one
  variable (`x > 3` = `3 < x` = `-x < -3` = `(3, \\infty)`, `x \\ne 2` = the
  punctured line, `x > 2 and x < 5` = `(2, 5)`, `\\{x \\mid x > 2\\}` =
  `(2, \\infty)`); otherwise as constraint sets with positive proportional
  differences and the same strictness.
- Intervals: same endpoints and the same open/closed ends; unions are
  merged (`[1, 2) \\cup [2, 3]` = `[1, 3]`) and `\\setminus \\{points\\}` is
  applied when endpoints are ordered constants. `(a, b)` is both a pair
  and an open interval.
- Sets `\\{..\\}`: same elements, duplicates ignored. Bare lists (`1, 2`) and
  alternatives (`x = 1 or x = 2`, `\\pm`) compare as multisets, in any order.
  Tuples compare in order (a bare list against a tuple, too). A set whose
  elements all equal a value, or a list of one element, equals that value;
  alternatives and lists of several values never equal a single value
  (`3 or 4`, `3, 4`, `\\pm 3` vs 3 are wrong answers).
- A value that does not exist (`1/0`, `0/0`, `1/\\sin\\pi`) equals nothing.
- Matrices: same shape, entries equal; a one-row or one-column matrix equals
  a tuple with the same entries.
- Choice letters equal the same letter (also a lone symbol of that letter);
  text answers equal the same normalised text (case-folded); two short
  letter runs that are not common words compare as products (`ab` = `ba`).
  Neither equals anything else.
"""

from __future__ import annotations

import os
import random
import re
import time
from dataclasses import dataclass
from fractions import Fraction

from . import exact, numeric, units
from . import expr as X
from .answer import Answer, Choice, Interval, Matrix, Minus, Rel, Scalar, Seq, Text, Union, Where
from .exact import Unsupported
from .expr import E

PERCENT_MODES = ("either", "value", "strip")
FLOAT_DIGITS = 12
"""A decimal this long approximates within one unit in its last place (a float's shortest repr)."""
_SHORT_WORD_RE = re.compile(r"[A-Za-z]{2,3}")  # graders.mathparse.lexer.MAX_LETTER_PRODUCT
COMMON_WORDS = frozenset(
    "no on yes odd even none all any both true false dne nan null zero one two six ten up down left "
    "right east west red blue win lose tie draw same more less half not can cant never once twice "
    "neg pos real mon tue wed thu fri sat sun jan feb mar apr may jun jul aug sep oct nov dec "
    "bob amy ann eve tom sam joe ben max ali tim kim lee jim dan".split()
)


@dataclass(frozen=True)
class Options:
    """Comparison options (all hashable; passed to pool workers as a tuple)."""

    rel_tol: float = 0.0
    abs_tol: float = 0.0
    approx_digits: int = 6
    percent: str = "either"
    choices: bool = True
    text: bool = True

    def as_tuple(self) -> tuple:
        return (self.rel_tol, self.abs_tol, self.approx_digits, self.percent, self.choices, self.text)


class NeedsSympy(Exception):
    """Raised in fast mode when only sympy can decide."""


# --------------------------------------------------------------------------- points

_RNG = random.Random(os.urandom(16))
_POINTS: dict[tuple[str, ...], list[dict[str, Fraction]]] = {}
N_POINTS = 3


def _rand_value(sign: int) -> Fraction:
    """A random rational of moderate size, |v| in [1/8, 8] (millions of possible values)."""
    q = _RNG.randint(1 << 9, 1 << 12)
    p = _RNG.randint(q // 8, q * 8)
    v = Fraction(p, q)
    if sign == 0:
        sign = 1 if _RNG.random() < 0.5 else -1
    return v if sign > 0 else -v


def points(names: tuple[str, ...]) -> list[dict[str, Fraction]]:
    """N_POINTS shared random points; every symbol is positive at the first, negative at the second."""
    if not names:
        return [{}]
    pts = _POINTS.get(names)
    if pts is None:
        signs = (1, -1) + (0,) * (N_POINTS - 2)
        pts = [{n: _rand_value(signs[k]) for n in names} for k in range(N_POINTS)]
        if len(_POINTS) > 4096:
            _POINTS.clear()
        _POINTS[names] = pts
    return pts


# --------------------------------------------------------------------------- helpers


def _inf_sign(e: E) -> int | None:
    if e.op == "inf":
        return 1
    if e.op == "neg" and e.args[0].op == "inf":
        return -1
    return None


def _decimal_literal(e: E) -> tuple[Fraction, X.DecInfo] | None:
    sign = 1
    while e.op == "neg":
        sign = -sign
        e = e.args[0]
    if e.op == "num" and isinstance(e.meta, X.DecInfo):
        return sign * e.args[0], e.meta
    return None


def _rounds_to(long: tuple[Fraction, X.DecInfo | None], short: tuple[Fraction, X.DecInfo], digits: int) -> bool:
    """`short` (0.0666668) is `long` (0.066666793) correctly rounded to `short`'s places: `long`
    has more decimal places (info None: an exact value, checked by the caller), and `short`
    keeps at least `digits` significant digits once its trailing zeros are dropped (2.5000
    shows two digits, so it is not a rounding of 2.50001)."""
    (lv, li), (sv, si) = long, short
    if li is not None and (li.dp <= si.dp or si.dp < 1):
        return False
    m = abs(sv) * Fraction(10) ** si.dp
    if m.denominator != 1:
        return False
    tz = 0
    k = m.numerator
    while k and k % 10 == 0 and tz < max(si.dp, 0):
        k //= 10
        tz += 1
    if si.sig - tz < digits:
        return False
    return abs(lv - sv) <= Fraction(1, 2) * Fraction(10) ** (-si.dp)


def _terminates(v: Fraction) -> bool:
    d = v.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def q_to_expr(q: exact.Q) -> E:
    """An expression node for an exact value (for interval bounds derived from inequalities)."""
    terms: list[E] = []
    for (pa, eb, k, s), c in sorted(q.items(), key=lambda kv: repr(kv[0])):
        factors: list[E] = [X.num(c)]
        if pa:
            factors.append(X.power(X.const("pi"), X.num(pa)))
        if eb:
            factors.append(X.power(X.const("e"), X.num(eb)))
        if s != 1:
            factors.append(X.root(2, X.num(s)))
        if k:
            factors.append(X.const("i"))
        terms.append(X.mul(*factors) if len(factors) > 1 else factors[0])
    if not terms:
        return X.num(0)
    return X.add(*terms) if len(terms) > 1 else terms[0]


def _has_pi(e: E) -> bool:
    stack = [e]
    while stack:
        n = stack.pop()
        if n.op == "const" and n.args[0] == "pi":
            return True
        stack.extend(a for a in n.args if isinstance(a, E))
    return False


def _is_label(e: E) -> bool:
    """A label made of symbols only: a capital-letter name (`AB`, `V_1`, `S_{MBCN}`: points name a
    segment, an area, a volume), its `|AB|` or `\\overline{AB}`, or a ratio of such names
    (`V_1:V_2`). Small letters are variables, and `xy = 6`, `|x| = 3`, `x/y = 2` are statements
    about them, not the name of the value asked for."""
    if e.op == "sym":
        return e.args[0][:1].isupper()
    if e.op == "mul":
        return all(_is_label(x) for x in e.args)
    if e.op in ("abs", "conj"):
        return _is_label(e.args[0])
    if e.op == "div":
        return _is_label(e.args[0]) and _is_label(e.args[1]) and e.args[0].op != "abs"
    return False


def _is_name(a: Answer) -> str | None:
    """The symbol(s) a side names: `x`, `f(x)`, `(a, b)`, a label such as `AB`, `|AB|` or
    `V_1:V_2`; else None."""
    if isinstance(a, Scalar):
        e = a.expr
        if e.op == "sym":
            return e.args[0]
        if e.op == "call":
            arg = e.args[1]
            if arg.op == "sym":
                return e.args[0]
        if (e.op == "fn" and e.args[1].op == "sym") or (e.op == "log" and e.args[0].op == "sym" and len(e.syms) == 1):
            # `\sin\theta = \frac35`, `\log_2 x = 3`: the value of a function of a name
            return ",".join(sorted(e.syms))
        if _is_label(e):
            return ",".join(sorted(e.syms))
        if e.op == "lim":  # `\lim_{x \to 0} \frac{\sin x}{x} = 1`: the equation states the limit's value
            return ""
        return None
    if isinstance(a, Seq) and a.kind == "tuple" and a.items:
        names = [_is_name(i) for i in a.items]
        if all(n is not None and isinstance(i, Scalar) and i.expr.op == "sym" for n, i in zip(names, a.items, strict=True)):
            return ",".join(n for n in names if n)
    return None


_INT_PARAMS = frozenset("k n m")


def _rename_period(a: E, b: E) -> E:
    r"""`\frac{\pi}{3} + 2k\pi` vs `\frac{\pi}{3} + 2n\pi`: in a periodic family of solutions (pi
    in both) the integer parameter (k, n or m, the only symbol on each side) is a dummy; b is
    returned with its parameter renamed to a's."""
    if len(a.syms) != 1 or len(b.syms) != 1 or a.syms == b.syms:
        return b
    (ka,), (kb,) = a.syms, b.syms
    if ka not in _INT_PARAMS or kb not in _INT_PARAMS or not (_has_pi(a) and _has_pi(b)):
        return b
    try:
        return X.substitute(b, kb, X.sym(ka))
    except Exception:  # noqa: BLE001 - refused by the size guards: compare as written
        return b


def _rename_argument(a: Rel, b: Rel) -> Rel:
    """`f(x) = 2x+1` vs `f(t) = 2t+1`: the argument of the function being defined is a dummy;
    b is returned with its argument renamed to a's (unless a's name already occurs in b)."""
    if len(a.sides) != 2 or len(b.sides) != 2 or not all(isinstance(s, Scalar) for s in (*a.sides, *b.sides)):
        return b
    la, lb = a.sides[0].expr, b.sides[0].expr  # type: ignore[attr-defined]
    if la.op != "call" or lb.op != "call" or la.args[0] != lb.args[0]:
        return b
    va, vb = la.args[1], lb.args[1]
    if va.op != "sym" or vb.op != "sym" or va == vb or va.args[0] in _free(Seq("list", b.sides)):
        return b
    try:
        return Rel(tuple(Scalar(X.substitute(s.expr, vb.args[0], va)) for s in b.sides), b.ops)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a substitution refused by the size guards: compare as written
        return b


def _free(a: Answer) -> frozenset[str]:
    if isinstance(a, Scalar):
        return a.expr.syms
    if isinstance(a, Seq):
        out: frozenset[str] = frozenset()
        for i in a.items:
            out |= _free(i)
        return out
    return frozenset()


def _tuple_list(a: Seq) -> bool:
    """Every item is a tuple of two or more parts: a list of solutions."""
    return len(a.items) >= 2 and all(isinstance(x, Seq) and x.kind == "tuple" and len(x.items) >= 2
                                     for x in a.items)


def _has_inequality(a: Seq) -> bool:
    return any(isinstance(i, Rel) and i.ops[0] != "=" for i in a.items)


_RANK = {Scalar: 0, Rel: 1, Seq: 2, Interval: 3, Union: 4, Minus: 4, Matrix: 5, Choice: 6, Text: 7}


class _Region:
    """A union of intervals with constant endpoints, for set comparisons."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[Interval]) -> None:
        self.parts = parts


class Comparator:
    """One comparison. In fast mode (`use_sympy=False`) a cooperative time budget applies:
    past `budget_s` the comparison raises NeedsSympy, so the pair is redone in a worker under
    the hard time limit (every single step in between is bounded by the size guards)."""

    def __init__(self, options: Options | None = None, use_sympy: bool = False, budget_s: float | None = None) -> None:
        self.o = options or Options()
        self.use_sympy = use_sympy
        self.used_sympy = False
        self.numeric_fallback = False
        self._memo: dict[tuple[E, E], bool] = {}
        self._deadline = time.perf_counter() + budget_s if (budget_s is not None and not use_sympy) else None

    def _tick(self) -> None:
        if self._deadline is not None and time.perf_counter() > self._deadline:
            raise NeedsSympy

    # ----------------------------------------------------------------- dispatch
    def equal(self, a: Answer, b: Answer) -> bool:
        if isinstance(a, Where) or isinstance(b, Where):
            if isinstance(a, Where) and isinstance(b, Where):
                return self.equal(a.value, b.value) or self.equal(a.body, b.body)
            w, o = (a, b) if isinstance(a, Where) else (b, a)
            return self.equal(w.body, o) or self.equal(w.value, o)  # type: ignore[union-attr]
        ra, rb = _RANK[type(a)], _RANK[type(b)]
        if ra > rb:
            a, b = b, a
            ra, rb = rb, ra
        if isinstance(a, Scalar):
            if isinstance(b, Scalar):
                return self.scalar(a.expr, _rename_period(a.expr, b.expr))
            if isinstance(b, Rel):
                return self.rel_value(b, a)
            if isinstance(b, Seq):
                if b.kind == "set" and b.items:  # {2} and {2, 2} are the value 2
                    return all(self.equal(a, i) for i in b.items)
                if b.kind == "list" and len(b.items) == 1:
                    return self.equal(a, b.items[0])
                if b.kind == "or" and b.alt is None and len(b.items) <= 16:
                    # `\frac12` or `0.5`: one value written twice; a hedge (42 or 43) has another
                    return all(self.equal(a, i) for i in b.items)
                if b.alt is not None:  # `1,22` against a single value: the decimal comma
                    return self.scalar(a.expr, b.alt)
                return False
            if isinstance(b, Choice):
                e = a.expr
                return self.o.choices and e.op == "sym" and len(e.args[0]) == 1 and e.args[0].upper() == b.letter
            return False
        if isinstance(a, Rel):
            if isinstance(b, Rel):
                return self.rel_rel(a, b)
            if isinstance(b, Seq | Interval | Union | Minus):
                if a.ops and a.ops[0] != "=":
                    ra_ = self.region(a)
                    rb_ = self.region(b)
                    if ra_ is None or rb_ is None:
                        return False
                    return self.region_equal(ra_, rb_)
                if isinstance(b, Seq) and b.kind in ("set", "list") and len(b.items) == 1:
                    return self.equal(a, b.items[0])
                return self.rel_value(a, b)
            return self.rel_value(a, b)
        if isinstance(a, Seq):
            if isinstance(b, Seq):
                return self.seq_seq(a, b)
            if isinstance(b, Interval | Union | Minus):
                ra_ = self.region(a)
                rb_ = self.region(b)
                if ra_ is None or rb_ is None:
                    return False
                return self.region_equal(ra_, rb_)
            if isinstance(b, Matrix):
                return self.matrix_tuple(b, a)
            return False
        if isinstance(a, Interval | Union | Minus):
            if isinstance(b, Interval | Union | Minus):
                ra_ = self.region(a)
                rb_ = self.region(b)
                if ra_ is None or rb_ is None:
                    return False
                return self.region_equal(ra_, rb_)
            return False
        if isinstance(a, Matrix):
            if isinstance(b, Matrix):
                if len(a.rows) != len(b.rows) or len(a.rows[0]) != len(b.rows[0]):
                    return False
                return all(
                    self.scalar(x, y) for ra2, rb2 in zip(a.rows, b.rows, strict=True) for x, y in zip(ra2, rb2, strict=True)
                )
            return False
        if isinstance(a, Choice):
            return self.o.choices and isinstance(b, Choice) and a.letter == b.letter
        if isinstance(a, Text):
            if not (self.o.text and isinstance(b, Text)):
                return False
            if a.text == b.text:
                return True
            return self._short_products(a, b)
        return False

    def _short_products(self, a: Text, b: Text) -> bool:
        """`ab` vs `ba`: two short letter runs that are not words compare as products of symbols."""
        wa, wb = a.raw, b.raw
        if not (_SHORT_WORD_RE.fullmatch(wa) and _SHORT_WORD_RE.fullmatch(wb)):
            return False
        if wa.lower() in COMMON_WORDS or wb.lower() in COMMON_WORDS or sorted(wa) != sorted(wb):
            return False
        return True  # same letters with the same case: the same product

    # ----------------------------------------------------------------- scalars
    def scalar(self, a: E, b: E) -> bool:
        if a == b:
            return True
        key = (a, b) if hash(a) <= hash(b) else (b, a)
        got = self._memo.get(key)
        if got is None:
            got = self._scalar(a, b)
            self._memo[key] = got
        return got

    def _scalar(self, a: E, b: E) -> bool:
        if a.op == "unit" or b.op == "unit":
            return self._quantity(a, b)
        sa, sb = _inf_sign(a), _inf_sign(b)
        if sa is not None or sb is not None:
            return sa == sb
        if X.contains(a, "inf") or X.contains(b, "inf"):
            return False
        if a.op == "deg" or b.op == "deg":
            d, other = (a, b) if a.op == "deg" else (b, a)
            if self.scalar(d.args[0], other):
                return True
            # `30^\circ` and `\frac{\pi}{6}` are the same angle (the other side in radians).
            return other.op != "deg" and _has_pi(other) and not other.syms and self.value_equal(
                X.div(X.mul(d.args[0], X.const("pi")), X.num(180)), other
            )
        if a.op == "pct" or b.op == "pct":
            if a.op == "pct" and b.op == "pct":
                return self.scalar(a.args[0], b.args[0])
            p, other = (a, b) if a.op == "pct" else (b, a)
            inner = p.args[0]
            mode = self.o.percent
            cands = []
            if mode in ("either", "strip"):
                cands.append(inner)
            if mode in ("either", "value"):
                cands.append(X.div(inner, X.num(100)))
            return any(self.value_equal(c, other) for c in cands)
        if a.op == "basenum" or b.op == "basenum":
            if a.op == "basenum" and b.op == "basenum":
                return a.args[1] == b.args[1] and int(a.args[0], a.args[1]) == int(b.args[0], b.args[1])
            bn, other = (a, b) if a.op == "basenum" else (b, a)
            if other.op == "num" and other.args[0].denominator == 1 and other.args[0] >= 0:
                return str(other.args[0].numerator) == bn.args[0].lstrip("0") or (
                    bn.args[0].strip("0") == "" and other.args[0] == 0
                )
            return False
        return self.value_equal(a, b)

    def _quantity(self, a: E, b: E) -> bool:
        """Values with units: converted when both have one (same dimension only); against a
        bare value, the number as written (graders.mathparse.units)."""
        if a.op == "unit" and b.op == "unit":
            ua, ub = units.parse_unit(a.args[1]), units.parse_unit(b.args[1])
            if ua is None or ub is None or ua.dims != ub.dims:
                return False
            if ua.key == ub.key:
                return self.scalar(a.args[0], b.args[0])
            return self.value_equal(X.mul(a.args[0], X.num(ua.factor)), X.mul(b.args[0], X.num(ub.factor)))
        q, other = (a, b) if a.op == "unit" else (b, a)
        return self.scalar(q.args[0], other)

    def value_equal(self, a: E, b: E) -> bool:
        self._tick()
        names = tuple(sorted(a.syms | b.syms))
        pts = points(names)
        exact_eq: bool | None
        try:
            exact_eq = all(exact.evaluate(a, env) == exact.evaluate(b, env) for env in pts)
        except Unsupported:
            exact_eq = None
        except (ZeroDivisionError, OverflowError, ValueError, MemoryError):
            exact_eq = None
        if exact_eq:
            return True
        if not names:
            if self._approx(a, b) or self._approx(b, a):
                return True
            if (self.o.abs_tol or self.o.rel_tol) and self._tolerance(a, b):
                return True
        if exact_eq is False:
            return False
        self._tick()
        verdict = numeric.compare(a, b, pts)
        if verdict == numeric.DIFFERENT:
            return False
        if not self.use_sympy:
            raise NeedsSympy
        self.used_sympy = True
        from . import symbolic

        try:
            got = symbolic.equal(a, b)
        except (ValueError, TypeError, RecursionError, ArithmeticError):
            got = None
        if got is not None:
            return got
        if verdict == numeric.CLOSE:
            self.numeric_fallback = True
            return True
        return False

    def _approx(self, d: E, v: E) -> bool:
        """`d` is a decimal literal approximating the exact value `v` (see module docstring)."""
        digits = self.o.approx_digits
        if not digits:
            return False
        lit = _decimal_literal(d)
        if lit is None:
            return False
        dval, info = lit
        if info.sig < digits:
            return False
        other = _decimal_literal(v)
        if other is not None:  # two decimals: `v` written to more places, `d` its correct rounding
            return _rounds_to(other, lit, digits)
        half = Fraction(1, 2) * Fraction(10) ** (-info.dp)
        if info.sig >= FLOAT_DIGITS:  # a float's repr (`1.4142135623730951`): within one unit in the last place
            half *= 2
        try:
            q = exact.evaluate(v, {})
            r = exact.rational(q)
        except (Unsupported, ZeroDivisionError, OverflowError, ValueError):
            r = None
            q = None
        if r is not None:
            if _terminates(r):  # an exact value with more places than the decimal shows (4^20 vs 1.09951162778E+12)
                return (r * Fraction(10) ** info.dp).denominator != 1 and _rounds_to((r, None), lit, digits)
            return abs(r - dval) <= half
        try:
            val = numeric.real_value(v, 192)
        except Unsupported:
            return False
        ctx = numeric.context(192)
        diff = abs(val - ctx.mpf(dval.numerator) / dval.denominator)
        return bool(diff <= ctx.mpf(half.numerator) / half.denominator)

    def _tolerance(self, a: E, b: E) -> bool:
        try:
            va = numeric.value(a, {}, 192)
            vb = numeric.value(b, {}, 192)
        except Unsupported:
            return False
        diff = abs(va - vb)
        return bool(diff <= self.o.abs_tol or diff <= self.o.rel_tol * max(abs(va), abs(vb)))

    # ----------------------------------------------------------------- relations
    def rel_value(self, rel: Rel, other: Answer) -> bool:
        """An equation with a named side vs a bare answer."""
        if any(op != "=" for op in rel.ops):
            return False
        names = [s for s in rel.sides if _is_name(s) is not None]
        values = [s for s in rel.sides if _is_name(s) is None]
        if not values:
            return False
        name_syms: set[str] = set()
        for n in names:
            nm = _is_name(n)
            assert nm is not None
            name_syms.update(nm.split(","))
        for v in values:
            if name_syms & _free(v):
                return False
        return all(self.equal(v, other) for v in values)

    def rel_rel(self, a: Rel, b: Rel) -> bool:
        eq_a = all(op == "=" for op in a.ops)
        eq_b = all(op == "=" for op in b.ops)
        if eq_a != eq_b:
            return False
        if eq_a:
            b = _rename_argument(a, b)
            if (
                len(a.sides) == 2 and len(b.sides) == 2 and all(isinstance(s, Scalar) for s in a.sides + b.sides)
                and not any(X.contains(s.expr, "unit") for s in a.sides + b.sides)  # type: ignore[attr-defined]
            ):
                d1 = X.add(a.sides[0].expr, X.neg(a.sides[1].expr))  # type: ignore[attr-defined]
                d2 = X.add(b.sides[0].expr, X.neg(b.sides[1].expr))  # type: ignore[attr-defined]
                return self.proportional(d1, d2, positive=False)
            if len(a.sides) != len(b.sides):
                return self._chain_statement(a, b) or self._chain_statement(b, a)
            fwd = all(self.equal(x, y) for x, y in zip(a.sides, b.sides, strict=True))
            return fwd or all(self.equal(x, y) for x, y in zip(a.sides, reversed(b.sides), strict=True))
        if a.ops == ("ne",) or b.ops == ("ne",):
            if not (a.bound or b.bound) and _free(Seq("list", a.sides)) != _free(Seq("list", b.sides)):
                return False
            if a.ops != b.ops:
                ra_, rb_ = self.region(a), self.region(b)
                return ra_ is not None and rb_ is not None and self.region_equal(ra_, rb_)
            d1 = self._diff(a.sides[0], a.sides[1])
            d2 = self._diff(b.sides[0], b.sides[1])
            return d1 is not None and d2 is not None and self.proportional(d1, d2, positive=False)
        if not (a.bound or b.bound) and _free(Seq("list", a.sides)) != _free(Seq("list", b.sides)):
            return False  # `y > 3` is not `x > 3`; `0 < f(x) < 1` is not `0 < x < 1`
        ra_, rb_ = self.region(a), self.region(b)
        if ra_ is not None and rb_ is not None:
            return self.region_equal(ra_, rb_)
        ca, cb = self._constraints(a), self._constraints(b)
        if ca is None or cb is None or len(ca) != len(cb):
            return False
        return self._match(ca, cb, lambda x, y: x[1] == y[1] and self.proportional(x[0], y[0], positive=True))

    def _chain_statement(self, chain: Rel, stmt: Rel) -> bool:
        """`y = (x+1)^2 = x^2+2x+1` vs `y = x^2+2x+1`: a chain of equalities that names what
        the statement names, with every value side equal to the statement's value."""
        if len(stmt.sides) != 2 or len(chain.sides) <= 2:
            return False
        names = [_is_name(x) for x in stmt.sides]
        if (names[0] is None) == (names[1] is None):
            return False
        name = names[0] if names[0] is not None else names[1]
        value = stmt.sides[1] if names[0] is not None else stmt.sides[0]
        chain_names = {_is_name(x) for x in chain.sides} - {None}
        if chain_names != {name}:
            return False
        return self.rel_value(chain, value)

    @staticmethod
    def _diff(x: Answer, y: Answer) -> E | None:
        if isinstance(x, Scalar) and isinstance(y, Scalar):
            return X.add(x.expr, X.neg(y.expr))
        return None

    def _constraints(self, r: Rel) -> list[tuple[E, bool]] | None:
        """Each link `L op R` as (d, strict) meaning d > 0 (or >= 0)."""
        out = []
        for op, left, right in zip(r.ops, r.sides, r.sides[1:], strict=False):
            if op in ("<", "le"):
                d = self._diff(right, left)
            else:
                d = self._diff(left, right)
            if d is None:
                return None
            out.append((d, op in ("<", ">")))
        return out

    def proportional(self, d1: E, d2: E, *, positive: bool) -> bool:
        """d1 = k * d2 for a constant k != 0 (k > 0 when `positive`)."""
        self._tick()
        names = tuple(sorted(d1.syms | d2.syms))
        pts = points(names)
        try:
            q1 = [exact.evaluate(d1, env) for env in pts]
            q2 = [exact.evaluate(d2, env) for env in pts]
            k = None
            for x, y in zip(q1, q2, strict=True):
                if not y:
                    if x:
                        return False
                    continue
                k = exact.mul(x, exact.inv(y))
                break
            if k is None:
                return not any(q1)
            if not k:
                return False
            for x, y in zip(q1, q2, strict=True):
                if x != exact.mul(k, y):
                    return False
            if positive:
                r = exact.rational(k)
                if r is None:
                    v = numeric.real_value(q_to_expr(k))
                    return bool(v > 0)
                return r > 0
            return True
        except (Unsupported, ZeroDivisionError, OverflowError, ValueError):
            pass
        # Numerics: the ratio must be constant across points.
        try:
            ratios = []
            for env in pts:
                va = numeric.value(d1, env, 192)
                vb = numeric.value(d2, env, 192)
                if vb == 0:
                    if va != 0:
                        return False
                    continue
                ratios.append(va / vb)
            if not ratios:
                return True
            ctx = numeric.context(192)
            r0 = ratios[0]
            if abs(r0) < ctx.mpf(2) ** -100:
                return False
            if any(abs(r - r0) > abs(r0) * ctx.mpf(2) ** -60 for r in ratios[1:]):
                return False
            if positive and (abs(ctx.im(r0)) > abs(r0) * ctx.mpf(2) ** -100 or ctx.re(r0) <= 0):
                return False
        except Unsupported:
            pass
        if not self.use_sympy:
            raise NeedsSympy
        self.used_sympy = True
        from . import symbolic

        try:
            ok, k = symbolic.ratio(d1, d2)
        except (ValueError, TypeError, RecursionError, ArithmeticError):
            return False
        if not ok:
            return False
        if positive:
            return bool(symbolic.is_positive(k))
        return True

    # ----------------------------------------------------------------- regions
    def region(self, a: Answer) -> _Region | None:
        parts = self._intervals(a)
        if parts is None:
            return None
        return _Region(self._merge(parts))

    def _intervals(self, a: Answer) -> list[Interval] | None:
        if isinstance(a, Interval):
            return [a]
        if isinstance(a, Union):
            out: list[Interval] = []
            for p in a.parts:
                got = self._intervals(p)
                if got is None:
                    return None
                out.extend(got)
            return out
        if isinstance(a, Seq):
            if a.kind == "tuple" and a.paren2:
                lo, hi = a.items
                if isinstance(lo, Scalar) and isinstance(hi, Scalar):
                    return [Interval(lo.expr, hi.expr, False, False)]
                return None
            if a.kind == "or":
                out = []
                for p in a.items:
                    got = self._intervals(p)
                    if got is None:
                        return None
                    out.extend(got)
                return out
            if a.kind == "list" and a.items and all(
                isinstance(p, Rel) and p.ops[0] in ("<", ">", "le", "ge") for p in a.items
            ):
                return self._intersect(a.items)  # type: ignore[arg-type]
            if a.kind == "set":
                out = []
                for p in a.items:
                    if not isinstance(p, Scalar):
                        return None
                    out.append(Interval(p.expr, p.expr, True, True))
                return out
            return None
        if isinstance(a, Rel):
            return self._rel_intervals(a)
        if isinstance(a, Minus):
            base = self._intervals(a.base)
            if base is None or not isinstance(a.removed, Seq) or a.removed.kind != "set":
                return None
            out = self._merge(base)
            for p in a.removed.items:
                if not isinstance(p, Scalar):
                    return None
                out = self._remove_point(out, p.expr)
                if out is None:
                    return None
            return out
        return None

    def _remove_point(self, parts: list[Interval], pt: E) -> list[Interval] | None:
        try:
            pv = numeric.real_value(pt)
            out: list[Interval] = []
            for iv in parts:
                lo_v, hi_v = self._end_value(iv.lo), self._end_value(iv.hi)
                at_lo = self._same_point(iv.lo, pt, lo_v, pv)
                at_hi = self._same_point(iv.hi, pt, hi_v, pv)
                if at_lo or at_hi:
                    out.append(Interval(iv.lo, iv.hi, iv.lo_closed and not at_lo, iv.hi_closed and not at_hi))
                elif lo_v < pv < hi_v:  # type: ignore[operator]
                    out.append(Interval(iv.lo, pt, iv.lo_closed, False))
                    out.append(Interval(pt, iv.hi, False, iv.hi_closed))
                else:
                    out.append(iv)
            return out
        except Unsupported:
            return None

    def _intersect(self, rels: tuple[Rel, ...]) -> list[Interval] | None:
        """`x > 2 and x < 5` (a list of inequalities in one variable): their intersection."""
        names = set()
        for r in rels:
            names |= _free(r.sides[0]) | _free(r.sides[-1])
            for s_ in r.sides:
                names |= _free(s_)
        if len(names) != 1:
            return None
        lo: E = X.neg(X.inf())
        hi: E = X.inf()
        lo_c = hi_c = False
        lo_v = hi_v = None
        try:
            for r in rels:
                got = self._rel_intervals(r)
                if got is None or len(got) != 1:
                    return None
                iv = got[0]
                v_lo, v_hi = self._end_value(iv.lo), self._end_value(iv.hi)
                if lo_v is None or v_lo > lo_v or (v_lo == lo_v and not iv.lo_closed):  # type: ignore[operator]
                    lo, lo_c, lo_v = iv.lo, iv.lo_closed, v_lo
                if hi_v is None or v_hi < hi_v or (v_hi == hi_v and not iv.hi_closed):  # type: ignore[operator]
                    hi, hi_c, hi_v = iv.hi, iv.hi_closed, v_hi
        except Unsupported:
            return None
        if lo_v is not None and hi_v is not None and lo_v > hi_v:  # type: ignore[operator]
            return []
        return [Interval(lo, hi, lo_c, hi_c)]

    def _linear(self, d: E, var: str) -> tuple[exact.Q, exact.Q] | None:
        """d = m*var + c exactly (m != 0 real)? -> (m, c)."""
        try:
            v0 = exact.evaluate(d, {var: Fraction(0)})
            v1 = exact.evaluate(d, {var: Fraction(1)})
            m = exact.add(v1, exact.neg(v0))
            if not m or any(mono[2] for mono in m) or any(mono[2] for mono in v0):
                return None
            for env in points((var,)):
                t = env[var]
                if exact.evaluate(d, env) != exact.add(exact.scale(m, t), v0):
                    return None
            return m, v0
        except (Unsupported, ZeroDivisionError, OverflowError, ValueError):
            return None

    def _rel_intervals(self, r: Rel) -> list[Interval] | None:
        free: frozenset[str] = frozenset()
        for s in r.sides:
            if not isinstance(s, Scalar):
                return None
            free |= s.expr.syms
        if len(free) > 1:
            # `0 < f(x) < 1`: a chain bounding one named value (a function value) with constant
            # ends reads as the range of that value.
            named = [i for i, s in enumerate(r.sides) if s.expr.op == "call" and s.expr.args[1].op == "sym"]  # type: ignore[attr-defined]
            if len(named) != 1 or any(s.expr.syms for i, s in enumerate(r.sides) if i != named[0]):  # type: ignore[attr-defined]
                return None
            sides = list(r.sides)
            sides[named[0]] = Scalar(X.sym("_v"))
            return self._rel_intervals(Rel(tuple(sides), r.ops))
        if len(free) != 1:
            return None
        if any(X.contains(s.expr, "abs") for s in r.sides):  # type: ignore[attr-defined]
            return self._abs_intervals(r)
        (var,) = tuple(free)
        lo: E = X.neg(X.inf())
        hi: E = X.inf()
        lo_c = hi_c = False
        lo_v = hi_v = None
        if r.ops == ("ne",):
            d = self._diff(r.sides[0], r.sides[1])
            lin = self._linear(d, var) if d is not None else None
            if lin is None:
                return None
            m, c = lin
            root = q_to_expr(exact.neg(exact.mul(c, exact.inv(m))))
            return [Interval(X.neg(X.inf()), root, False, False), Interval(root, X.inf(), False, False)]
        cons: list[tuple[E, bool]] = []
        for op, left, right in zip(r.ops, r.sides, r.sides[1:], strict=False):
            sl, sr = _inf_sign(left.expr), _inf_sign(right.expr)  # type: ignore[attr-defined]
            if sl is not None or sr is not None:  # `-\infty < x < \infty`: a link to infinity
                below = op in ("<", "le")  # left below right
                if (below and (sl == -1 or sr == 1)) or (not below and (sl == 1 or sr == -1)):
                    continue  # always true: the end stays open
                return None
            link = self._constraints(Rel((left, right), (op,)))
            if link is None:
                return None
            cons.extend(link)
        for d, strict in cons:  # d > 0 or d >= 0, d = m*var + c
            lin = self._linear(d, var)
            if lin is None:
                return None
            m, c = lin
            bound_q = exact.neg(exact.mul(c, exact.inv(m)))
            try:
                mv = numeric.real_value(q_to_expr(m))
                bv = numeric.real_value(q_to_expr(bound_q))
            except Unsupported:
                return None
            bound = q_to_expr(bound_q)
            if mv > 0:  # var > bound
                if lo_v is None or bv > lo_v:
                    lo, lo_c, lo_v = bound, not strict, bv
            else:  # var < bound
                if hi_v is None or bv < hi_v:
                    hi, hi_c, hi_v = bound, not strict, bv
        return [Interval(lo, hi, lo_c, hi_c)]

    def _abs_intervals(self, r: Rel) -> list[Interval] | None:
        """Links `|u| op c` (u linear in the variable, c constant): `|u| < c` is -c < u < c,
        `|u| > c` is u < -c or u > c; a chain is the intersection of its links."""
        if "ne" in r.ops:
            return None
        region: list[Interval] | None = None
        for op, left, right in zip(r.ops, r.sides, r.sides[1:], strict=False):
            le, ri = left.expr, right.expr  # type: ignore[attr-defined]
            if le.op == "abs" and not ri.syms:
                u, c, below = le.args[0], ri, op in ("<", "le")
            elif ri.op == "abs" and not le.syms:
                u, c, below = ri.args[0], le, op in (">", "ge")
            else:
                return None
            if X.contains(u, "abs"):
                return None
            strict = op in ("<", ">")
            try:
                cv = numeric.real_value(c)
            except Unsupported:
                return None
            lt, gt = ("<", ">") if strict else ("le", "ge")
            if below:  # |u| < c
                if cv < 0 or (cv == 0 and strict):
                    part: list[Interval] | None = []
                else:
                    part = self._rel_intervals(Rel((Scalar(X.neg(c)), Scalar(u), Scalar(c)), (lt, lt)))
            elif cv < 0 or (cv == 0 and not strict):  # |u| > c: everything
                part = [Interval(X.neg(X.inf()), X.inf(), False, False)]
            else:
                a = self._rel_intervals(Rel((Scalar(u), Scalar(X.neg(c))), (lt,)))
                b = self._rel_intervals(Rel((Scalar(u), Scalar(c)), (gt,)))
                part = None if a is None or b is None else a + b
            if part is None:
                return None
            region = part if region is None else self._intersect_regions(region, part)
            if region is None:
                return None
        return self._merge(region or [])

    def _intersect_regions(self, xs: list[Interval], ys: list[Interval]) -> list[Interval] | None:
        out: list[Interval] = []
        try:
            for a in xs:
                for b in ys:
                    alo, ahi, blo, bhi = (self._end_value(e) for e in (a.lo, a.hi, b.lo, b.hi))
                    if alo > blo or (alo == blo and not a.lo_closed):  # type: ignore[operator]
                        lo, lo_c, lo_v = a.lo, a.lo_closed, alo
                    else:
                        lo, lo_c, lo_v = b.lo, b.lo_closed, blo
                    if ahi < bhi or (ahi == bhi and not a.hi_closed):  # type: ignore[operator]
                        hi, hi_c, hi_v = a.hi, a.hi_closed, ahi
                    else:
                        hi, hi_c, hi_v = b.hi, b.hi_closed, bhi
                    if lo_v < hi_v or (lo_v == hi_v and lo_c and hi_c):  # type: ignore[operator]
                        out.append(Interval(lo, hi, lo_c, hi_c))
        except Unsupported:
            return None
        return out

    def _end_value(self, e: E) -> object:
        s = _inf_sign(e)
        ctx = numeric.context(192)
        if s is not None:
            return ctx.inf if s > 0 else -ctx.inf
        return numeric.real_value(e)

    def _merge(self, parts: list[Interval]) -> list[Interval]:
        """Sort by lower end and merge overlapping or touching intervals (constant ends only)."""
        if len(parts) < 2:
            return parts
        try:
            keyed = [(self._end_value(p.lo), self._end_value(p.hi), p) for p in parts]
        except Unsupported:
            return parts
        keyed.sort(key=lambda t: (t[0], t[1]))
        out: list[Interval] = []
        cur_lo_v, cur_hi_v, cur = keyed[0]
        for lo_v, hi_v, p in keyed[1:]:
            if self._same_point(cur.lo, p.lo, cur_lo_v, lo_v) and p.lo_closed and not cur.lo_closed:
                cur = Interval(cur.lo, cur.hi, True, cur.hi_closed)
            overlap = lo_v < cur_hi_v  # type: ignore[operator]
            touch = self._same_point(cur.hi, p.lo, cur_hi_v, lo_v) and (cur.hi_closed or p.lo_closed)
            if overlap or touch:
                if self._same_point(cur.hi, p.hi, cur_hi_v, hi_v):
                    if p.hi_closed and not cur.hi_closed:
                        cur = Interval(cur.lo, cur.hi, cur.lo_closed, True)
                elif hi_v > cur_hi_v:  # type: ignore[operator]
                    cur = Interval(cur.lo, p.hi, cur.lo_closed, p.hi_closed)
                    cur_hi_v = hi_v
                continue
            out.append(cur)
            cur_lo_v, cur_hi_v, cur = lo_v, hi_v, p
        out.append(cur)
        return out

    def _same_point(self, a: E, b: E, va: object, vb: object) -> bool:
        if _inf_sign(a) is not None or _inf_sign(b) is not None:
            return _inf_sign(a) == _inf_sign(b)
        ctx = numeric.context(192)
        if abs(va - vb) > ctx.mpf(2) ** -120 * (1 + abs(va)):  # type: ignore[operator]
            return False
        return self.scalar(a, b)

    def region_equal(self, a: _Region, b: _Region) -> bool:
        if len(a.parts) != len(b.parts):
            return False
        return self._match(a.parts, b.parts, self._interval_eq)

    def _interval_eq(self, a: Interval, b: Interval) -> bool:
        return (
            a.lo_closed == b.lo_closed
            and a.hi_closed == b.hi_closed
            and self.scalar(a.lo, b.lo)
            and self.scalar(a.hi, b.hi)
        )

    # ----------------------------------------------------------------- collections
    def seq_seq(self, a: Seq, b: Seq) -> bool:
        if _has_inequality(a) or _has_inequality(b):
            ra_, rb_ = self.region(a), self.region(b)
            return ra_ is not None and rb_ is not None and self.region_equal(ra_, rb_)
        ka, kb = a.kind, b.kind
        if ka == "tuple" or kb == "tuple":
            if {ka, kb} - {"tuple", "list"}:
                return False
            if len(a.items) != len(b.items):
                return False
            return all(self.equal(x, y) for x, y in zip(a.items, b.items, strict=True))
        if ka == "set" or kb == "set" or (ka == kb == "list" and _tuple_list(a) and _tuple_list(b)):
            # a comma list of tuples on both sides is a solution set ("(3,17,3,7), (17,3,3,7),
            # ..."): order and repeats do not matter
            return all(any(self.equal(x, y) for y in b.items) for x in a.items) and all(
                any(self.equal(x, y) for x in a.items) for y in b.items
            )
        if len(a.items) != len(b.items):
            return False
        return self._match(list(a.items), list(b.items), self.equal)

    def matrix_tuple(self, m: Matrix, t: Seq) -> bool:
        if t.kind != "tuple":
            return False
        if len(m.rows) == 1:
            cells = list(m.rows[0])
        elif all(len(r) == 1 for r in m.rows):
            cells = [r[0] for r in m.rows]
        else:
            return False
        if len(cells) != len(t.items):
            return False
        return all(isinstance(i, Scalar) and self.scalar(c, i.expr) for c, i in zip(cells, t.items, strict=True))

    def _match(self, xs: list, ys: list, eq) -> bool:  # type: ignore[no-untyped-def]
        """A perfect matching between xs and ys under `eq` (Kuhn's algorithm)."""
        n = len(xs)
        if n != len(ys):
            return False
        cache: dict[tuple[int, int], bool] = {}

        def ok(i: int, j: int) -> bool:
            k = (i, j)
            v = cache.get(k)
            if v is None:
                self._tick()
                v = bool(eq(xs[i], ys[j]))
                cache[k] = v
            return v

        # Fast path: the same order.
        if all(ok(i, i) for i in range(n)):
            return True
        match_y: dict[int, int] = {}

        def augment(i: int, seen: set[int]) -> bool:
            for j in range(n):
                if j in seen or not ok(i, j):
                    continue
                seen.add(j)
                if j not in match_y or augment(match_y[j], seen):
                    match_y[j] = i
                    return True
            return False

        for i in range(n):
            if not augment(i, set()):
                return False
        return True
