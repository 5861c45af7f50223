r"""The sympy bridge: our expression nodes -> sympy objects, and exact equality tests.

Only ever called inside a pool worker (graders.pool), under the per-item hard
time limit. Objects are built with sympy's constructors (`Integer`,
`Rational`, `Symbol`, `Add`, `Mul`, `Pow`, `sqrt`, `sin`, ...) from nodes that
already passed the size guards of graders.mathparse.expr, so sympy's eager
evaluation is bounded. No text ever reaches `sympify`, `parse_expr`, `eval`
or `lambdify`; symbol names come from the tokenizer (letters, digits, `_`).

Tests, in order, for `equal(a, b)`:

0. a side without a value (`1/0`, `0/0`, `1/\sin\pi`: zoo or nan) is never equal;
1. structural equality, then `a - b` auto-evaluating to 0;
2. for constants: `is_zero`, the minimal polynomial of an algebraic difference
   (decisive: zero iff it is `x`; tried before `simplify`, 2-3x faster on
   surds), `expand_log(force=True)` + `simplify`, the minimal polynomial again, and
   a 400-bit numerical evaluation that is clearly non-zero (=> different);
3. with symbols: `expand`; for trig / hyperbolic functions, the difference
   rewritten in `exp`, expanded and cancelled (cheap, decides the usual
   identities even for multiple angles such as `\sin^2(32x)+\cos^2(32x)`);
   `simplify`; then `equals(0)` (sympy's own random numeric test, used only
   to *refute*, or to confirm when it returns True).

Returns True / False, or None when sympy cannot decide (the caller then uses
its numeric verdict; see graders.mathparse.compare).
"""

from __future__ import annotations

from typing import Any

from .expr import E


def _sp() -> Any:
    import sympy

    return sympy


_SYMS: dict[str, Any] = {}


def _symbol(name: str) -> Any:
    s = _SYMS.get(name)
    if s is None:
        sp = _sp()
        s = sp.Symbol(name)
        if len(_SYMS) < 10_000:
            _SYMS[name] = s
    return s


class Undefined(ValueError):
    """The expression has no value (a division by zero somewhere inside)."""


def to_sympy(e: E) -> Any:
    """Convert; raises Undefined when a sub-expression is zoo or nan (1/0, 1/sin(pi), 0/0)."""
    out = _to_sympy(e)
    if e.op in ("div", "pow", "log", "fn") and _undefined(out):
        raise Undefined("division by zero")
    return out


def _to_sympy(e: E) -> Any:
    sp = _sp()  # children go through to_sympy, so every level is checked
    op = e.op
    a = e.args
    if op == "num":
        v = a[0]
        return sp.Rational(v.numerator, v.denominator) if v.denominator != 1 else sp.Integer(v.numerator)
    if op == "sym":
        return _symbol(a[0])
    if op == "const":
        return {"pi": sp.pi, "e": sp.E, "i": sp.I}[a[0]]
    if op == "inf":
        return sp.oo
    if op == "add":
        return sp.Add(*(to_sympy(t) for t in a))
    if op == "mul":
        return sp.Mul(*(to_sympy(t) for t in a))
    if op == "div":
        return sp.Mul(to_sympy(a[0]), sp.Pow(to_sympy(a[1]), -1))
    if op == "neg":
        return sp.Mul(sp.Integer(-1), to_sympy(a[0]))
    if op == "pow":
        base, ex = to_sympy(a[0]), to_sympy(a[1])
        r = a[1].rv
        if r is not None and r.denominator % 2 == 1 and r.denominator > 1 and base.is_number and base.is_extended_negative:
            v = sp.Pow(-base, ex)  # real odd root, as in graders.mathparse.numeric
            return -v if r.numerator % 2 else v
        return sp.Pow(base, ex)
    if op == "root":
        n, x = a
        sx = to_sympy(x)
        if n == 2:
            return sp.sqrt(sx)
        if n % 2 == 1 and sx.is_number and sx.is_extended_negative:
            return -sp.Pow(-sx, sp.Rational(1, n))
        return sp.Pow(sx, sp.Rational(1, n))
    if op == "fn":
        name, x = a
        f = {
            "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "cot": sp.cot, "sec": sp.sec, "csc": sp.csc,
            "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "acot": sp.acot, "asec": sp.asec,
            "acsc": sp.acsc, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "exp": sp.exp,
            "ln": sp.log,
        }[name]
        return f(to_sympy(x))
    if op == "log":
        if len(a) == 1:
            return sp.log(to_sympy(a[0]))
        return sp.Mul(sp.log(to_sympy(a[0])), sp.Pow(sp.log(to_sympy(a[1])), -1))
    if op == "fact":
        return sp.factorial(to_sympy(a[0]))
    if op == "mod":
        return sp.Mod(to_sympy(a[0]), to_sympy(a[1]))
    if op == "fact2":
        return sp.factorial2(to_sympy(a[0]))
    if op == "conj":
        return sp.conjugate(to_sympy(a[0]))
    if op == "lim":
        return sp.limit(to_sympy(a[3]), _symbol(a[0]), to_sympy(a[1]))
    if op in ("sum", "prod"):
        k = _symbol(a[0])
        big = sp.Sum if op == "sum" else sp.Product
        return big(to_sympy(a[3]), (k, to_sympy(a[1]), to_sympy(a[2]))).doit()
    if op == "binom":
        return sp.binomial(to_sympy(a[0]), to_sympy(a[1]))
    if op == "abs":
        return sp.Abs(to_sympy(a[0]))
    if op == "floor":
        return sp.floor(to_sympy(a[0]))
    if op == "ceil":
        return sp.ceiling(to_sympy(a[0]))
    if op == "pct":
        return sp.Mul(to_sympy(a[0]), sp.Rational(1, 100))
    if op == "deg":
        return to_sympy(a[0])
    if op == "call":
        return sp.Mul(_symbol(a[0]), to_sympy(a[1]))
    if op == "basenum":
        return sp.Integer(int(a[0], a[1]))
    raise ValueError(f"cannot convert {op}")


def _is_zero(d: Any) -> bool | None:
    """True / False / None for `d == 0` (d a sympy expression)."""
    sp = _sp()
    if d == 0:
        return True
    if d.is_number:
        z = d.is_zero
        if z is not None:
            return bool(z)
        try:
            # Surds first: the minimal polynomial decides an algebraic number outright, and
            # 2-3x faster than simplify (`\sqrt{5+2\sqrt6}` vs `\sqrt2+\sqrt3`).
            if d.is_algebraic:
                x = sp.Dummy("x")
                return bool(sp.minimal_polynomial(d, x) == x)
        except Exception:  # noqa: BLE001 - not algebraic after all, or sympy gave up: go on
            pass
        try:
            s = sp.simplify(sp.expand_log(d, force=True))
            if s == 0:
                return True
        except Exception:  # noqa: BLE001 - sympy can fail in many ways; keep trying
            s = d
        try:
            if s.is_algebraic:
                x = sp.Dummy("x")
                mp = sp.minimal_polynomial(s, x)
                return bool(mp == x)
        except Exception:  # noqa: BLE001
            pass
        try:
            # strict: raises when 30 correct digits cannot be had (as for an exact zero);
            # a value obtained to 30 digits that is not 0 proves the difference non-zero.
            v = s.evalf(30, strict=True, maxn=2000)
            if v.is_number and v != 0:
                return False
        except Exception:  # noqa: BLE001 - PrecisionExhausted and friends: undecided
            pass
        return None
    try:
        if sp.expand(d) == 0:
            return True
    except Exception:  # noqa: BLE001
        pass
    z = _trig_zero(d)
    if z is not None:
        return z
    try:
        s = sp.simplify(d)
        if s == 0:
            return True
    except Exception:  # noqa: BLE001
        pass
    try:
        r = d.equals(0)
        if r is not None:
            return bool(r)
    except Exception:  # noqa: BLE001
        pass
    return None


_TRIG_MAX_OPS = 400


def _trig_zero(d: Any) -> bool | None:
    """Trig / hyperbolic identities, cheaply: rewrite every function in `exp`, expand, cancel.

    `sin(u) = (e^{iu} - e^{-iu})/(2i)` and friends are identities wherever both sides are
    defined, so the rewritten difference is the same function: 0 proves equality, a
    non-zero constant proves a difference, anything else decides nothing (None). This
    decides `sin^2(32x) + cos^2(32x) = 1` in ~10 ms where `simplify` takes ~25 s (it
    expands the multiple angle).
    """
    sp = _sp()
    try:
        if not d.has(sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.sinh, sp.cosh, sp.tanh):
            return None
        if sp.count_ops(d) > _TRIG_MAX_OPS:
            return None
        r = sp.expand(sp.powsimp(sp.expand(d.rewrite(sp.exp))))
        if r == 0:
            return True
        r = sp.cancel(sp.together(r))
        if r == 0:
            return True
        if not r.free_symbols and r.is_zero is False:
            return False
        return None
    except Exception:  # noqa: BLE001 - any failure: undecided, the other tests follow
        return None


def _undefined(x: Any) -> bool:
    sp = _sp()
    return bool(x.has(sp.zoo, sp.nan, sp.oo, -sp.oo))


def equal(a: E, b: E) -> bool | None:
    try:
        A = to_sympy(a)
        B = to_sympy(b)
    except Undefined:
        return False
    if _undefined(A) or _undefined(B):
        return False  # 1/0, 0/0, 1/sin(pi): no value, never equal to anything
    if A == B:
        return True
    return _is_zero(A - B)


def ratio(d1: E, d2: E) -> tuple[bool | None, Any]:
    """Whether d1/d2 is a non-zero constant: (True, ratio) / (False, None) / (None, None)."""
    sp = _sp()
    try:
        A = to_sympy(d1)
        B = to_sympy(d2)
    except Undefined:
        return False, None
    if _undefined(A) or _undefined(B):
        return False, None
    if B == 0 or A == 0:
        return (A == B), None
    try:
        r = sp.simplify(A / B)
    except Exception:  # noqa: BLE001
        return None, None
    if r.free_symbols:
        try:
            r2 = sp.cancel(sp.together(A / B))
            if not r2.free_symbols:
                r = r2
        except Exception:  # noqa: BLE001
            pass
    if r.free_symbols:
        return False, None
    z = _is_zero(r)
    if z:
        return False, None
    return True, r


def is_positive(r: Any) -> bool | None:
    try:
        p = r.is_extended_positive
        return None if p is None else bool(p)
    except Exception:  # noqa: BLE001
        return None
