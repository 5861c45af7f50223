"""Exact evaluation without sympy, in a field that covers most answers.

A value is a `Q`: a dict from monomial to rational coefficient, where a
monomial is `pi^a * e^b * i^k * sqrt(s)` (a, b rational, k in {0, 1}, s a
square-free positive integer). `Q` arithmetic is exact: products of square
roots are reduced (`sqrt(2)*sqrt(6) = 2*sqrt(3)`), `i*i = -1`, quotients by
sums of radicals are rationalised by conjugates. This form is canonical for
everything it can represent (square roots of distinct square-free integers
are linearly independent over Q, and pi and e are transcendental), so two
representable values are equal exactly when their forms are equal.

Also exact: trig functions at rational multiples of pi with denominator
dividing 12 (and their inverses on those values), `e^(r + i*pi*q)`,
`ln(e^r)`, `log_b(x)` when x is a rational power of b, `n!`, binomials,
floor/ceil/abs of rationals, integer n-th roots of rationals.

Anything else (`sqrt(2 + sqrt(3))`, `ln 2`, `sin 1`, cube roots that are not
rational) raises `Unsupported` and the caller falls back to numerics and
sympy. Symbols are evaluated at caller-chosen rational points, which makes
equality of rational functions a randomised identity test (Schwartz-Zippel).

Sizes are bounded: at most `MAX_TERMS` monomials, coefficients up to
`LIMITS.max_bits` bits, exponents up to `MAX_POW`.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .expr import E
from .limits import LIMITS

F0 = Fraction(0)
F1 = Fraction(1)
# Monomial exponents are ints when integral (hashing a Fraction is slow; 0 == Fraction(0)).
ONE = (0, 0, 0, 1)
PI = (1, 0, 0, 1)
EU = (0, 1, 0, 1)
IM = (0, 0, 1, 1)
IPI = (1, 0, 1, 1)


def _qx(x: Fraction | int) -> Fraction | int:
    """An exponent in canonical form: int when integral."""
    if type(x) is int:
        return x
    return int(x) if x.denominator == 1 else x  # type: ignore[union-attr]


def _div(x: Fraction | int, n: int) -> Fraction | int:
    return _qx(Fraction(x, n) if type(x) is int else x / n)
MAX_TERMS = 64
MAX_POW = 4096

Q = dict  # dict[tuple[Fraction, Fraction, int, int], Fraction]


class Unsupported(Exception):
    """The value is outside what exact evaluation represents (not an error)."""


def _primes(n: int) -> list[int]:
    sieve = bytearray([1]) * (n + 1)
    sieve[0:2] = b"\x00\x00"
    for i in range(2, int(n**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytearray(len(sieve[i * i :: i]))
    return [i for i in range(n + 1) if sieve[i]]


_PRIMES = _primes(10_000)
_P_LIMIT = 10_000


def square_split(n: int) -> tuple[int, int]:
    """n = a^2 * b with b square-free (n > 0). Raises Unsupported if n is too hard to factor."""
    if n < 4:
        return 1, n
    r = math.isqrt(n)
    if r * r == n:
        return r, 1
    a = b = 1
    for p in _PRIMES:
        pp = p * p
        if pp > n:
            break
        if n % p == 0:
            n //= p
            e = 1
            while n % p == 0:
                n //= p
                e += 1
            a *= p ** (e // 2)
            if e % 2:
                b *= p
    if n > 1:
        r = math.isqrt(n)
        if r * r == n:
            a *= r
        elif n < _P_LIMIT**3:  # no factor <= P_LIMIT: prime, p*q, or p^2 (checked)
            b *= n
        else:
            raise Unsupported("cannot factor radicand")
    return a, b


def _smallest_prime(s: int) -> int:
    for p in _PRIMES:
        if p * p > s:
            return s
        if s % p == 0:
            return p
    if s < _P_LIMIT**2:
        return s
    raise Unsupported("cannot factor radicand")


def _check(q: Q) -> Q:
    if len(q) > MAX_TERMS:
        raise Unsupported("too many terms")
    limit = LIMITS.max_bits
    for c in q.values():
        if c.numerator.bit_length() + c.denominator.bit_length() > limit:
            raise Unsupported("coefficient too large")
    return q


def const(c: Fraction | int) -> Q:
    if type(c) is not Fraction:
        c = Fraction(c)
    return {ONE: c} if c else {}


def rational(q: Q) -> Fraction | None:
    if not q:
        return F0
    if len(q) == 1 and ONE in q:
        return q[ONE]
    return None


def add(a: Q, b: Q) -> Q:
    out = dict(a)
    for m, c in b.items():
        v = out.get(m, F0) + c
        if v:
            out[m] = v
        else:
            out.pop(m, None)
    return _check(out)


def neg(a: Q) -> Q:
    return {m: -c for m, c in a.items()}


def scale(a: Q, k: Fraction) -> Q:
    if not k:
        return {}
    return _check({m: c * k for m, c in a.items()})


def _mono_mul(m1: tuple, m2: tuple) -> tuple[int, tuple]:
    k = m1[2] + m2[2]
    sign = 1
    if k == 2:
        k = 0
        sign = -1
    s1, s2 = m1[3], m2[3]
    if s1 == 1:
        s, g = s2, 1
    elif s2 == 1:
        s, g = s1, 1
    else:
        g = math.gcd(s1, s2)
        s = (s1 // g) * (s2 // g)
    return sign * g, (_qx(m1[0] + m2[0]), _qx(m1[1] + m2[1]), k, s)


def mul(a: Q, b: Q) -> Q:
    if len(a) * len(b) > MAX_TERMS * 4:
        raise Unsupported("too many terms")
    out: Q = {}
    for m1, c1 in a.items():
        for m2, c2 in b.items():
            f, m = _mono_mul(m1, m2)
            v = out.get(m, F0) + c1 * c2 * f
            if v:
                out[m] = v
            else:
                out.pop(m, None)
    return _check(out)


def _inv_single(m: tuple, c: Fraction) -> Q:
    # 1/(c pi^a e^b i^k sqrt(s)) = (1/c) pi^-a e^-b (-i)^k sqrt(s)/s
    k = Fraction(1, m[3]) / c
    if m[2]:
        k = -k
    return _check({(-m[0], -m[1], m[2], m[3]): k})  # negation keeps ints ints


def inv(a: Q) -> Q:
    if not a:
        raise Unsupported("division by zero")
    if len(a) == 1:
        (m, c), = a.items()
        return _inv_single(m, c)
    num: Q = {ONE: F1}
    den = a
    for _ in range(8):
        if len(den) == 1:
            (m, c), = den.items()
            return mul(num, _inv_single(m, c))
        if any(m[2] for m in den):
            conj = {m: (-c if m[2] else c) for m, c in den.items()}
        else:
            rad = [m[3] for m in den if m[3] != 1]
            if not rad:
                raise Unsupported("division by a transcendental sum")
            p = _smallest_prime(min(rad))
            conj = {m: (-c if m[3] % p == 0 else c) for m, c in den.items()}
        num = mul(num, conj)
        den = mul(den, conj)
        if not den:
            raise Unsupported("division by zero")
    raise Unsupported("cannot rationalise")


def _iroot(n: int, k: int) -> int | None:
    """Exact integer k-th root of n >= 0, or None."""
    if n < 2:
        return n
    r = round(n ** (1.0 / k)) if n.bit_length() < 1000 else None
    if r is None:
        lo, hi = 0, 1 << (n.bit_length() // k + 1)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if mid**k <= n:
                lo = mid
            else:
                hi = mid - 1
        r = lo
    for cand in (r - 1, r, r + 1):
        if cand >= 0 and cand**k == n:
            return cand
    return None


def sqrt(a: Q) -> Q:
    if not a:
        return {}
    if len(a) != 1:
        raise Unsupported("square root of a sum")
    (m, c), = a.items()
    if m[2] or m[3] != 1:
        raise Unsupported("nested radical")
    k = 0
    if c < 0:
        k, c = 1, -c
    r, t = square_split(c.numerator * c.denominator)
    return _check({(_div(m[0], 2), _div(m[1], 2), k, t): Fraction(r, c.denominator)})


def real_root(a: Q, n: int) -> Q:
    """n-th root, real for negative rationals when n is odd (principal otherwise)."""
    if n == 2:
        return sqrt(a)
    if not a:
        return {}
    if len(a) != 1:
        raise Unsupported("root of a sum")
    (m, c), = a.items()
    if m[2] or m[3] != 1:
        raise Unsupported("root of a radical")
    sign = 1
    if c < 0:
        if n % 2 == 0:
            raise Unsupported("even root of a negative number")
        sign, c = -1, -c
    p = _iroot(c.numerator, n)
    q = _iroot(c.denominator, n)
    if p is None or q is None:
        raise Unsupported("irrational root")
    return {(_div(m[0], n), _div(m[1], n), 0, 1): Fraction(sign * p, q)}


def power(a: Q, r: Fraction) -> Q:
    if r.denominator == 1:
        n = int(r)
        if abs(n) > MAX_POW:
            raise Unsupported("exponent too large")
        if n == 0:
            if not a:
                raise Unsupported("0^0")
            return {ONE: F1}
        if n < 0:
            a = inv(a)
            n = -n
        if len(a) == 1:
            (m, c), = a.items()
            if (c.numerator.bit_length() + c.denominator.bit_length()) * n > LIMITS.max_bits:
                raise Unsupported("power too large")
            if m[2] == 0 and m[3] == 1:
                return _check({(_qx(m[0] * n), _qx(m[1] * n), 0, 1): c**n})
        elif n > 64:
            raise Unsupported("power of a sum too large")
        result: Q = {ONE: F1}
        base = a
        while n:
            if n & 1:
                result = mul(result, base)
            n >>= 1
            if n:
                base = mul(base, base)
        return result
    # Non-integer exponent: a single positive real monomial without radicals.
    if not a:
        if r > 0:
            return {}
        raise Unsupported("0 to a negative power")
    if len(a) != 1:
        raise Unsupported("fractional power of a sum")
    (m, c), = a.items()
    if c < 0 and r.denominator % 2 == 1 and m == ONE:  # real odd root, as \sqrt[q]{x}^p
        v = power({ONE: -c}, r)
        return neg(v) if r.numerator % 2 else v
    if c < 0 or m[2] or m[3] != 1:
        raise Unsupported("fractional power of a negative or radical")
    if abs(r.numerator) > MAX_POW or r.denominator > 64:
        raise Unsupported("exponent too large")
    root = real_root({ONE: c}, r.denominator) if r.denominator != 2 else sqrt({ONE: c})
    base = {(_div(m[0], r.denominator), _div(m[1], r.denominator), 0, 1): F1}
    return mul(power(root, Fraction(r.numerator)), power(base, Fraction(r.numerator)))


# --------------------------------------------------------------------------- trig tables

_H = Fraction(1, 2)
_Q4 = Fraction(1, 4)


def _cos_table() -> dict[int, Q]:
    s2 = {(0, 0, 0, 2): _H}  # sqrt2/2
    s3 = {(0, 0, 0, 3): _H}  # sqrt3/2
    c15 = {(0, 0, 0, 6): _Q4, (0, 0, 0, 2): _Q4}  # (sqrt6+sqrt2)/4
    c75 = {(0, 0, 0, 6): _Q4, (0, 0, 0, 2): -_Q4}
    base = {0: {ONE: F1}, 1: c15, 2: s3, 3: s2, 4: {ONE: _H}, 5: c75, 6: {}}
    out: dict[int, Q] = {}
    for k in range(24):  # angle k*pi/12
        j = k % 24
        if j <= 6:
            out[k] = base[j]
        elif j <= 12:
            out[k] = neg(base[12 - j])
        elif j <= 18:
            out[k] = neg(base[j - 12])
        else:
            out[k] = base[24 - j]
    return out


_COS = _cos_table()


def _angle12(a: Q) -> int | None:
    """k when a == k*pi/12 (k integer, reduced mod 24), else None."""
    if not a:
        return 0
    if len(a) != 1 or PI not in a:
        return None
    t = a[PI] * 12
    if t.denominator != 1:
        return None
    return int(t) % 24


def _key(q: Q) -> frozenset:
    return frozenset(q.items())


def _inverse_table() -> dict[str, dict[frozenset, Q]]:
    tab: dict[str, dict[frozenset, Q]] = {"asin": {}, "acos": {}, "atan": {}}
    for k in range(-6, 7):
        ang = {PI: Fraction(k, 12)} if k else {}
        tab["asin"][_key(_COS[(6 - k) % 24])] = ang  # sin(x) = cos(pi/2 - x)
    for k in range(0, 13):
        tab["acos"][_key(_COS[k])] = {PI: Fraction(k, 12)} if k else {}
    for k in range(-5, 6):
        sin_v, cos_v = _COS[(6 - k) % 24], _COS[k % 24]
        tab["atan"][_key(mul(sin_v, inv(cos_v)))] = {PI: Fraction(k, 12)} if k else {}
    return tab


_INVERSE = _inverse_table()


def _trig(name: str, a: Q) -> Q:
    if name in ("asin", "acos", "atan"):
        got = _INVERSE[name].get(_key(a))
        if got is None:
            raise Unsupported(f"{name} of a non-special value")
        return dict(got)
    if name in ("acot", "asec", "acsc"):
        base = {"acot": "atan", "asec": "acos", "acsc": "asin"}[name]
        if name == "acot" and not a:
            return {PI: _H}
        return _trig(base, inv(a))
    k = _angle12(a)
    if k is None:
        raise Unsupported(f"{name} of a non-special angle")
    c = _COS[k]
    s = _COS[(6 - k) % 24]
    if name == "cos":
        return dict(c)
    if name == "sin":
        return dict(s)
    if name == "tan":
        return mul(s, inv(c))
    if name == "cot":
        return mul(c, inv(s))
    if name == "sec":
        return inv(c)
    if name == "csc":
        return inv(s)
    if name in ("sinh", "cosh", "tanh"):
        raise Unsupported("hyperbolic")
    raise Unsupported(name)


def exp(a: Q) -> Q:
    """e^(r + i*pi*q) for rational r, q."""
    r = F0
    q = F0
    for m, c in a.items():
        if m == ONE:
            r = c
        elif m == IPI:
            q = c
        else:
            raise Unsupported("exp of a non-special value")
    if abs(r.numerator) > MAX_POW or r.denominator > 64:
        raise Unsupported("exp argument too large")
    t = q * 12
    if t.denominator != 1:
        raise Unsupported("exp of a non-special angle")
    k = int(t) % 24
    rot = add(_COS[k], mul({IM: F1}, _COS[(6 - k) % 24]))
    return mul({(0, _qx(r), 0, 1): F1}, rot) if r else rot


def ln(a: Q) -> Q:
    if len(a) == 1:
        (m, c), = a.items()
        if c == 1 and m[0] == 0 and m[2] == 0 and m[3] == 1:
            return const(m[1])
        if c == -1 and m == ONE:
            return {IPI: F1}
    raise Unsupported("logarithm of a non-special value")


def log_base(x: Q, b: Q) -> Q:
    xv, bv = rational(x), rational(b)
    if xv is None or bv is None:
        # log_e(..) written with an explicit base e
        if len(b) == 1 and EU in b and b[EU] == 1:
            return ln(x)
        raise Unsupported("logarithm of a non-rational")
    if xv <= 0 or bv <= 0 or bv == 1:
        raise Unsupported("logarithm domain")
    if xv == 1:
        return {}
    est = (math.log(xv.numerator) - math.log(xv.denominator)) / (
        math.log(bv.numerator) - math.log(bv.denominator)
    )
    if not math.isfinite(est) or abs(est) > MAX_POW:
        raise Unsupported("logarithm too large")
    k = Fraction(est).limit_denominator(12)
    try:
        if rational(power({ONE: bv}, k)) == xv:
            return const(k)
    except Unsupported:
        pass
    raise Unsupported("irrational logarithm")


# --------------------------------------------------------------------------- evaluation


def evaluate(node: E, env: dict[str, Fraction]) -> Q:
    """Exact value of `node` with symbols bound by `env`; raises Unsupported."""
    op = node.op
    a = node.args
    if op == "num":
        return const(a[0])
    if op == "sym":
        v = env.get(a[0])
        if v is None:
            raise Unsupported("unbound symbol")
        return const(v)
    if op == "const":
        return {{"pi": PI, "e": EU, "i": IM}[a[0]]: F1}
    if op == "add":
        out: Q = {}
        for t in a:
            out = add(out, evaluate(t, env))
        return out
    if op == "mul":
        out = {ONE: F1}
        for t in a:
            out = mul(out, evaluate(t, env))
            if not out:
                return out
        return out
    if op == "div":
        return mul(evaluate(a[0], env), inv(evaluate(a[1], env)))
    if op == "neg":
        return neg(evaluate(a[0], env))
    if op == "pow":
        base_node, ex_node = a
        ex = evaluate(ex_node, env)
        r = rational(ex)
        if base_node.op == "const" and base_node.args[0] == "e":
            return exp(ex)
        if r is None:
            raise Unsupported("non-rational exponent")
        return power(evaluate(base_node, env), r)
    if op == "root":
        return real_root(evaluate(a[1], env), a[0])
    if op == "fn":
        name, arg = a
        v = evaluate(arg, env)
        if name == "exp":
            return exp(v)
        if name == "ln":
            return ln(v)
        return _trig(name, v)
    if op == "log":
        x = evaluate(a[0], env)
        if len(a) == 1:
            return ln(x)
        return log_base(x, evaluate(a[1], env))
    if op == "fact":
        v = rational(evaluate(a[0], env))
        if v is None or v.denominator != 1 or v < 0 or v > LIMITS.max_factorial:
            raise Unsupported("factorial of a non-natural number")
        return const(math.factorial(int(v)))
    if op == "fact2":
        v = rational(evaluate(a[0], env))
        if v is None or v.denominator != 1 or v < -1 or v > LIMITS.max_factorial:
            raise Unsupported("double factorial of a non-natural number")
        out_v = 1
        for k in range(int(v), 0, -2):
            out_v *= k
        return const(out_v)
    if op == "mod":
        x, m = rational(evaluate(a[0], env)), rational(evaluate(a[1], env))
        if x is None or m is None or x.denominator != 1 or m.denominator != 1 or not m:
            raise Unsupported("mod of non-integers")
        return const(x.numerator % m.numerator)
    if op == "conj":
        if node.syms:  # symbols stand for complex numbers here; the points are real
            raise Unsupported("conjugate of a symbol")
        v = evaluate(a[0], env)
        return {m: (-c if m[2] else c) for m, c in v.items()}
    if op == "binom":
        n = rational(evaluate(a[0], env))
        k = rational(evaluate(a[1], env))
        if n is None or k is None or n.denominator != 1 or k.denominator != 1 or n < 0:
            raise Unsupported("binomial of non-naturals")
        if n > LIMITS.max_bits:
            raise Unsupported("binomial too large")
        return const(math.comb(int(n), int(k)) if k >= 0 else 0)
    if op in ("abs", "floor", "ceil"):
        v = evaluate(a[0], env)
        r = rational(v)
        if r is None:
            if op == "abs":
                return _abs_nonrational(v)
            raise Unsupported(f"{op} of an irrational")
        if op == "abs":
            return const(abs(r))
        return const(math.floor(r) if op == "floor" else math.ceil(r))
    if op == "pct":
        return scale(evaluate(a[0], env), Fraction(1, 100))
    if op == "deg":
        return evaluate(a[0], env)
    if op == "call":
        v = env.get(a[0])
        if v is None:
            raise Unsupported("unbound symbol")
        return scale(evaluate(a[1], env), v)
    if op == "basenum":
        return const(int(a[0], a[1]))
    raise Unsupported(op)


def to_mp(q: Q, ctx: object) -> object:
    """Numeric value of a Q in an mpmath context."""
    total = ctx.mpf(0)  # type: ignore[attr-defined]
    for (pa, eb, k, s), c in q.items():
        t = ctx.mpf(c.numerator) / c.denominator  # type: ignore[attr-defined]
        if pa:
            t *= ctx.power(ctx.pi, ctx.mpf(pa.numerator) / pa.denominator)  # type: ignore[attr-defined]
        if eb:
            t *= ctx.exp(ctx.mpf(eb.numerator) / eb.denominator)  # type: ignore[attr-defined]
        if s != 1:
            t *= ctx.sqrt(s)  # type: ignore[attr-defined]
        if k:
            t = t * ctx.mpc(0, 1)  # type: ignore[attr-defined]
        total += t
    return total


def _abs_nonrational(v: Q) -> Q:
    if any(m[2] for m in v):
        re = {m: c for m, c in v.items() if not m[2]}
        im = {(m[0], m[1], 0, m[3]): c for m, c in v.items() if m[2]}
        return sqrt(add(mul(re, re), mul(im, im)))
    from .numeric import context

    ctx = context(128)
    x = to_mp(v, ctx)
    if abs(x) < ctx.mpf(2) ** -60 * (1 + max(abs(to_mp({m: abs(c)}, ctx)) for m, c in v.items())):
        raise Unsupported("sign undecided")
    return v if x > 0 else neg(v)
