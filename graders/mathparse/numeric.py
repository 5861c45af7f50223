"""Numeric evaluation with mpmath, and the numeric comparison verdict.

`value(node, env, prec)` evaluates an expression at a point with `prec` bits
in a thread-local mpmath context (mpmath's global context is not touched, so
this is safe from several threads). Principal branches throughout, except
`\\sqrt[n]{x}` with odd n and a negative real x, which is the real root
(-2 for `\\sqrt[3]{-8}`), as in school mathematics, and likewise `x^{p/q}`
with q odd (`(-8)^{2/3}` is 4, so `x^{2/3}` equals `(\\sqrt[3]{x})^2`).

`compare(a, b, points)` evaluates both sides at every point twice, at 96 and
192 bits; the change between the two precisions estimates each side's
rounding error. The verdict is

- DIFFERENT when at some point |a - b| exceeds 10^6 times the error estimate
  (plus 2^-150 of the magnitude): the values really differ;
- CLOSE when at every point both values are stable (the two precisions agree
  to 80 bits) and |a - b| is within 16 times the error estimate (plus 2^-170
  of the magnitude): equal to ~50 digits, which still needs an exact
  confirmation (sympy) before it counts as equal;
- UNDECIDED otherwise, or when a side cannot be evaluated.

Guards: trig arguments and exponents above 10^6 in magnitude are refused
(`Unsupported`), so mpmath never performs a huge argument reduction here.
"""

from __future__ import annotations

import threading
from fractions import Fraction

from .exact import Unsupported
from .expr import E

_local = threading.local()

DIFFERENT = "different"
CLOSE = "close"
UNDECIDED = "undecided"


def context(prec: int):  # type: ignore[no-untyped-def]
    ctx = getattr(_local, "ctx", None)
    if ctx is None:
        from mpmath.ctx_mp import MPContext

        ctx = MPContext()
        _local.ctx = ctx
    ctx.prec = prec
    return ctx


_BIG = 10**6


def _big(ctx, x) -> bool:  # type: ignore[no-untyped-def]
    return abs(x) > _BIG


def value(node: E, env: dict[str, Fraction], prec: int = 192):  # type: ignore[no-untyped-def]
    ctx = context(prec)
    try:
        v = _ev(node, env, ctx)
    except (ZeroDivisionError, ValueError, OverflowError, ArithmeticError, TypeError) as e:
        raise Unsupported(f"numeric evaluation failed: {e}") from None
    if not ctx.isfinite(v):
        raise Unsupported("not finite")
    return v


def _frac(ctx, v: Fraction):  # type: ignore[no-untyped-def]
    return ctx.mpf(v.numerator) / v.denominator if v.denominator != 1 else ctx.mpf(v.numerator)


def _ev(node: E, env: dict[str, Fraction], ctx):  # type: ignore[no-untyped-def]
    op = node.op
    a = node.args
    if op == "num":
        return _frac(ctx, a[0])
    if op == "sym":
        v = env.get(a[0])
        if v is None:
            raise Unsupported("unbound symbol")
        return _frac(ctx, v)
    if op == "const":
        name = a[0]
        return ctx.pi if name == "pi" else (ctx.e if name == "e" else ctx.mpc(0, 1))
    if op == "add":
        total = _ev(a[0], env, ctx)
        for t in a[1:]:
            total = total + _ev(t, env, ctx)
        return total
    if op == "mul":
        total = _ev(a[0], env, ctx)
        for t in a[1:]:
            total = total * _ev(t, env, ctx)
        return total
    if op == "div":
        d = _ev(a[1], env, ctx)
        if d == 0:
            raise Unsupported("division by zero")
        return _ev(a[0], env, ctx) / d
    if op == "neg":
        return -_ev(a[0], env, ctx)
    if op == "pow":
        b = _ev(a[0], env, ctx)
        x = _ev(a[1], env, ctx)
        if _big(ctx, x):
            raise Unsupported("exponent too large")
        if b == 0:
            if ctx.re(x) > 0:
                return ctx.mpf(0)
            raise Unsupported("0 to a non-positive power")
        r = a[1].rv
        if r is not None and r.denominator % 2 == 1 and r.denominator > 1 and ctx.im(b) == 0 and ctx.re(b) < 0:
            # x^{p/q} with q odd and x < 0 is the real value, like \sqrt[q]{x}^p (school convention)
            v = ctx.power(-ctx.re(b), x)
            return -v if r.numerator % 2 else v
        return ctx.power(b, x)
    if op == "root":
        n, x = a[0], _ev(a[1], env, ctx)
        if n % 2 == 1 and ctx.im(x) == 0 and ctx.re(x) < 0:
            return -ctx.root(-ctx.re(x), n)
        return ctx.root(x, n)
    if op == "fn":
        name, arg = a
        x = _ev(arg, env, ctx)
        if _big(ctx, x) and name not in ("atan", "acot", "tanh"):
            raise Unsupported("function argument too large")
        return _FN[name](ctx, x)
    if op == "log":
        x = _ev(a[0], env, ctx)
        if x == 0:
            raise Unsupported("log 0")
        if len(a) == 1:
            return ctx.log(x)
        b = _ev(a[1], env, ctx)
        lb = ctx.log(b)
        if lb == 0:
            raise Unsupported("log base 1")
        return ctx.log(x) / lb
    if op == "fact":
        x = _ev(a[0], env, ctx)
        if ctx.im(x) != 0 or ctx.re(x) < 0 or ctx.re(x) > 100_000:
            raise Unsupported("factorial domain")
        return ctx.factorial(ctx.re(x))
    if op == "fact2":
        x = _ev(a[0], env, ctx)
        if ctx.im(x) != 0 or ctx.re(x) < -1 or ctx.re(x) > 100_000 or ctx.re(x) != ctx.nint(ctx.re(x)):
            raise Unsupported("double factorial domain")
        return ctx.fac2(ctx.re(x))
    if op == "conj":
        if node.syms:  # symbols stand for complex numbers here; the points are real
            raise Unsupported("conjugate of a symbol")
        return ctx.conj(_ev(a[0], env, ctx))
    if op == "binom":
        n = _ev(a[0], env, ctx)
        k = _ev(a[1], env, ctx)
        if _big(ctx, n) or _big(ctx, k):
            raise Unsupported("binomial too large")
        return ctx.binomial(n, k)
    if op == "abs":
        return abs(_ev(a[0], env, ctx))
    if op in ("floor", "ceil"):
        x = _ev(a[0], env, ctx)
        if ctx.im(x) != 0:
            raise Unsupported("floor of a complex number")
        x = ctx.re(x)
        r = ctx.floor(x) if op == "floor" else ctx.ceil(x)
        if abs(x - ctx.nint(x)) < ctx.mpf(2) ** (-ctx.prec + 20) * (1 + abs(x)):
            raise Unsupported("floor of a near-integer")
        return r
    if op == "pct":
        return _ev(a[0], env, ctx) / 100
    if op == "deg":
        return _ev(a[0], env, ctx)
    if op == "call":
        v = env.get(a[0])
        if v is None:
            raise Unsupported("unbound symbol")
        return _frac(ctx, v) * _ev(a[1], env, ctx)
    if op == "basenum":
        return ctx.mpf(int(a[0], a[1]))
    raise Unsupported(op)


_FN = {
    "sin": lambda c, x: c.sin(x),
    "cos": lambda c, x: c.cos(x),
    "tan": lambda c, x: c.tan(x),
    "cot": lambda c, x: c.cot(x),
    "sec": lambda c, x: c.sec(x),
    "csc": lambda c, x: c.csc(x),
    "asin": lambda c, x: c.asin(x),
    "acos": lambda c, x: c.acos(x),
    "atan": lambda c, x: c.atan(x),
    "acot": lambda c, x: c.acot(x),
    "asec": lambda c, x: c.asec(x),
    "acsc": lambda c, x: c.acsc(x),
    "sinh": lambda c, x: c.sinh(x),
    "cosh": lambda c, x: c.cosh(x),
    "tanh": lambda c, x: c.tanh(x),
    "exp": lambda c, x: c.exp(x),
    "ln": lambda c, x: c.log(x),
}


def pair_values(a: E, b: E, env: dict[str, Fraction]) -> tuple[object, object, object, object]:
    """(a at 192 bits, b at 192 bits, error estimate of a, error estimate of b)."""
    a1, b1 = value(a, env, 96), value(b, env, 96)
    a2, b2 = value(a, env, 192), value(b, env, 192)
    return a2, b2, abs(a2 - a1), abs(b2 - b1)


def compare(a: E, b: E, points: list[dict[str, Fraction]]) -> str:
    """DIFFERENT, CLOSE or UNDECIDED (see module docstring)."""
    verdict = CLOSE
    for env in points:
        try:
            va, vb, ea, eb = pair_values(a, b, env)
        except Unsupported:
            verdict = UNDECIDED  # another point may still show a difference
            continue
        ctx = context(192)
        diff = abs(va - vb)  # type: ignore[operator]
        mag = max(abs(va), abs(vb))  # type: ignore[arg-type]
        err = ea + eb  # type: ignore[operator]
        if diff > err * 1_000_000 + mag * ctx.mpf(2) ** -150:
            return DIFFERENT
        if diff > err * 16 + mag * ctx.mpf(2) ** -170:
            verdict = UNDECIDED
        elif err > mag * ctx.mpf(2) ** -80:
            # Unstable between precisions (cancellation, a divisor that is really 0 such as
            # sin(pi)): agreement means nothing.
            verdict = UNDECIDED
    return verdict


def real_value(node: E, prec: int = 192):  # type: ignore[no-untyped-def]
    """The value of a symbol-free expression if it is real (imaginary part ~0), else Unsupported."""
    ctx = context(prec)
    v = value(node, {}, prec)
    if isinstance(v, type(ctx.mpc(0))):
        if abs(ctx.im(v)) > ctx.mpf(2) ** (-prec + 16) * (1 + abs(v)):
            raise Unsupported("not real")
        v = ctx.re(v)
    return v
