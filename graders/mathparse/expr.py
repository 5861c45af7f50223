"""Scalar expression nodes, built bottom-up with size guards.

An `E` is an immutable node: `op` names it, `args` holds children (or atoms
for leaves), `bits` is an upper bound on the binary size of the exact value
(numerator plus denominator) the node can take when every symbol is an
ordinary small number, and `syms` is its set of free symbol names.

The `bits` bound is what keeps eager arithmetic (ours and sympy's) bounded:
it is computed while the node is built, *before* anything is evaluated, and a
node whose bound exceeds `Limits.max_bits` is refused with `TooLarge`. The
bound tracks magnitude through the whole tree, not one exponent at a time, so
`((9^9)^9999)^9999`, `10^{10^{10^{10}}}`, `9999999!` and power towers are all
refused although each single exponent may look small.

Rules (B = bits bound; E(x) = bound on |x| for a constant exponent):

- number p/q: bit lengths of p and q; symbol: 24; pi, e, i: 2;
- a + b + ...: sum of the B (an exact sum of fractions can need all of them);
- a * b, a / b: sum; -a: B(a);
- every node also carries `rv`, its exact value when it is a rational
  constant made of literals (`2^{10}`, `1/2 + 3`), computed as it is built;
- a ^ r with a rational constant exponent r (the only case any evaluator
  expands eagerly): n*log2(|p| q) for a literal base p/q and integer r,
  B(a) * ceil(|r|) otherwise; |r| over max_bits is refused;
- a ^ x with a symbolic, irrational or complex exponent, or pi^r, e^r, i^r:
  B(a) + B(x) (nothing is expanded eagerly; evaluators check sizes as they
  go); an exponent over 4096 bits is refused (`e^{10^{10^5}}`);
- n! and binom(n, k) with constant n: about n*log2(n) and n;
- functions: B(arg) + 8.

Only constructors in this module create nodes; nothing here imports sympy.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .limits import LIMITS, TooLarge

SYM_BITS = 24
_EMPTY: frozenset[str] = frozenset()


class E:
    """An expression node. Equality and hashing are structural."""

    __slots__ = ("op", "args", "bits", "syms", "meta", "depth", "rv", "_hash")

    def __init__(
        self, op: str, args: tuple, bits: int, syms: frozenset[str], meta: object = None,
        rv: Fraction | None = None,
    ) -> None:
        if bits > LIMITS.max_bits:
            raise TooLarge(f"value too large (about {bits} bits > {LIMITS.max_bits})")
        depth = 1
        for a in args:
            if isinstance(a, E) and a.depth >= depth:
                depth = a.depth + 1
        if depth > LIMITS.max_depth:
            raise TooLarge(f"expression nested deeper than {LIMITS.max_depth}")
        self.depth = depth
        self.op = op
        self.args = args
        self.bits = bits
        self.syms = syms
        self.meta = meta  # not part of equality: e.g. how a decimal was written
        self.rv = rv  # the exact value when the node is a rational constant built from literals
        self._hash = hash((op, args))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, E)
            and self._hash == other._hash
            and self.op == other.op
            and self.args == other.args
        )

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return to_text(self)


class DecInfo:
    """How a decimal literal was written: significant digits and decimal places."""

    __slots__ = ("sig", "dp")

    def __init__(self, sig: int, dp: int) -> None:
        self.sig = sig
        self.dp = dp

    def __repr__(self) -> str:
        return f"DecInfo(sig={self.sig}, dp={self.dp})"


def _union(nodes: tuple[E, ...]) -> frozenset[str]:
    out = _EMPTY
    for n in nodes:
        if n.syms:
            out = out | n.syms if out else n.syms
    return out


# --------------------------------------------------------------------------- leaves

ONE_BITS = 2


def num(value: Fraction | int, dec: DecInfo | None = None, *, literal: bool = False) -> E:
    v = Fraction(value)
    bits = v.numerator.bit_length() + v.denominator.bit_length()
    meta = dec if dec is not None else ("int_literal" if literal and v.denominator == 1 else None)
    return E("num", (v,), bits, _EMPTY, meta, v)


def sym(name: str) -> E:
    return E("sym", (name,), SYM_BITS, frozenset((name,)))


def const(name: str) -> E:
    assert name in ("pi", "e", "i")
    return E("const", (name,), ONE_BITS, _EMPTY)


def inf() -> E:
    return E("inf", (), ONE_BITS, _EMPTY)


# --------------------------------------------------------------------------- operators


def _flatten(op: str, items: tuple[E, ...]) -> list[E]:
    """Operands of a chain of `op` nodes, one level deep (`a+(b+c)` -> a, b, c)."""
    flat: list[E] = []
    for t in items:
        if t.op == op:
            flat.extend(t.args)
        else:
            flat.append(t)
    return flat


def add(*terms: E) -> E:
    flat = _flatten("add", terms)
    if len(flat) == 1:
        return flat[0]
    if len(flat) > LIMITS.max_terms:
        raise TooLarge(f"more than {LIMITS.max_terms} terms")
    args = tuple(flat)
    bits = sum(t.bits for t in args) + len(args).bit_length()
    if bits > LIMITS.max_bits:
        raise TooLarge(f"value too large (about {bits} bits > {LIMITS.max_bits})")
    rv = sum((t.rv for t in args), Fraction(0)) if all(t.rv is not None for t in args) else None  # type: ignore[misc]
    return E("add", args, bits, _union(args), None, rv)


def mul(*factors: E) -> E:
    flat = _flatten("mul", factors)
    if len(flat) == 1:
        return flat[0]
    if len(flat) > LIMITS.max_terms:
        raise TooLarge(f"more than {LIMITS.max_terms} factors")
    args = tuple(flat)
    bits = sum(f.bits for f in args)
    if bits > LIMITS.max_bits:
        raise TooLarge(f"value too large (about {bits} bits > {LIMITS.max_bits})")
    rv = None
    if all(f.rv is not None for f in args):
        rv = Fraction(1)
        for f in args:
            rv *= f.rv  # type: ignore[operator]
    return E("mul", args, bits, _union(args), None, rv)


def div(a: E, b: E, *, frac_literal: bool = False) -> E:
    meta = "frac_literal" if frac_literal else None
    if a.bits + b.bits > LIMITS.max_bits:
        raise TooLarge(f"value too large (about {a.bits + b.bits} bits > {LIMITS.max_bits})")
    rv = a.rv / b.rv if a.rv is not None and b.rv else None
    return E("div", (a, b), a.bits + b.bits, _union((a, b)), meta, rv)


def neg(a: E) -> E:
    if a.op == "neg":
        return a.args[0]
    return E("neg", (a,), a.bits, a.syms, None, -a.rv if a.rv is not None else None)


def literal_rational(e: E) -> Fraction | None:
    """The value of a rational constant built from literals (`3`, `-2/3`, `2^{10}`, `1+1/2`), else None."""
    return e.rv


_HUGE_EXPONENT_BITS = 4096
_CONST_MAX_EXPONENT = 10**6


def power(base: E, exp: E) -> E:
    """base^exp. Eager expansion only ever happens for a rational exponent, so that is what is bounded."""
    r = exp.rv
    rv = None
    if r is None:
        # Symbolic, irrational or complex exponent (x^n, 2^{\\sqrt2}, e^{i\\pi}): nothing is expanded eagerly.
        if not exp.syms and exp.bits > _HUGE_EXPONENT_BITS:
            raise TooLarge("exponent too large")
        bits = base.bits + exp.bits
    elif base.op == "const":
        # pi^r, e^r, i^r stay symbolic (sympy reduces i^n mod 4).
        if abs(r) > _CONST_MAX_EXPONENT:
            raise TooLarge("exponent too large")
        bits = base.bits + exp.bits
    else:
        b = base.rv
        n = abs(r)
        if b is not None and r.denominator == 1:
            # A literal power p/q ^ n: its exact size, n * log2(|p| q).
            if b == 0 or (abs(b.numerator) == 1 and b.denominator == 1):
                bits = 2 + exp.bits
            else:
                if n > LIMITS.max_bits:
                    raise TooLarge("exponent too large")
                per = math.log2(abs(b.numerator)) + math.log2(b.denominator)
                bits = int(n * per) + 2 + exp.bits
            if bits <= LIMITS.max_bits and not (b == 0 and r < 0):
                rv = b ** int(r)
        else:
            if n > LIMITS.max_bits:
                raise TooLarge("exponent too large")
            bits = max(base.bits, 1) * max(1, math.ceil(n)) + exp.bits
    return E("pow", (base, exp), bits, _union((base, exp)), None, rv)


def root(n: int, x: E) -> E:
    if n < 2 or n > LIMITS.max_root:
        raise TooLarge(f"root index {n} out of range")
    return E("root", (n, x), x.bits + 2, x.syms)


_FUNCS = frozenset(
    "sin cos tan cot sec csc asin acos atan acot asec acsc sinh cosh tanh ln exp".split()
)


def func(name: str, arg: E) -> E:
    assert name in _FUNCS, name
    if name == "exp" and not arg.syms:  # never expanded eagerly; only absurd arguments are refused
        if (arg.rv is not None and abs(arg.rv) > _CONST_MAX_EXPONENT) or arg.bits > _HUGE_EXPONENT_BITS:
            raise TooLarge("exponent too large")
    bits = arg.bits + 8
    return E("fn", (name, arg), bits, arg.syms)


def log(x: E, base: E | None = None) -> E:
    """Logarithm: natural when base is None."""
    if base is None:
        return E("log", (x,), x.bits + 8, x.syms)
    return E("log", (x, base), x.bits + base.bits + 8, _union((x, base)))


def factorial(x: E, step: int = 1) -> E:
    """n! (step 1) or the double factorial n!! = n(n-2)(n-4)... (step 2)."""
    op = "fact" if step == 1 else "fact2"
    if x.syms:
        return E(op, (x,), x.bits + 8, x.syms)
    v = x.rv
    n = abs(v.numerator) if v is not None else (1 << min(x.bits, 64))
    if n > LIMITS.max_factorial:
        raise TooLarge(f"factorial argument too large (>{LIMITS.max_factorial})")
    bits = int(n * math.log2(n + 1)) // step + 2 + x.bits
    return E(op, (x,), bits, x.syms)


def binom(n: E, k: E) -> E:
    if n.syms or k.syms:
        return E("binom", (n, k), n.bits + k.bits + 8, _union((n, k)))
    v = n.rv
    nn = abs(v.numerator) if v is not None else (1 << min(n.bits, 64))
    if nn > LIMITS.max_bits:
        raise TooLarge("binomial argument too large")
    return E("binom", (n, k), nn + n.bits + k.bits + 2, _EMPTY)


def unary(op: str, x: E) -> E:
    """abs, floor, ceil, pct (x percent), deg (x degrees), conj (complex conjugate)."""
    assert op in ("abs", "floor", "ceil", "pct", "deg", "conj")
    rv = None
    if x.rv is not None:
        rv = {"abs": abs(x.rv), "pct": x.rv / 100, "deg": x.rv, "conj": x.rv}.get(op)
    return E(op, (x,), x.bits + (8 if op == "pct" else 0), x.syms, None, rv)


def bigop(kind: str, var: str, lo: E, hi: E, body: E) -> E:
    """`\\sum_{var=lo}^{hi} body` (kind `sum`) or `\\prod` with bounds that are not integer
    literals: kept as a node (exact and numeric evaluation refuse it; sympy in a worker)."""
    bits = lo.bits + hi.bits + body.bits + 64
    syms = _union((lo, hi)) | (body.syms - {var})
    return E(kind, (var, lo, hi, body), bits, syms)


def substitute(e: E, name: str, value: E, *, const: bool = False) -> E:
    """`e` with the symbol `name` replaced by `value`, rebuilt through the constructors (so
    every size guard applies again: `\\sum_{k=1}^{200} 9^{9^k}` is refused)."""
    op, a = e.op, e.args
    if const:  # replace the constant `name` (`i`, `e` used as an index) instead of a symbol
        if op == "const":
            return value if a[0] == name else e
        if op in ("num", "sym", "inf", "basenum"):
            return e
    elif name not in e.syms:
        return e
    elif op == "sym":
        return value
    sub = [substitute(x, name, value, const=const) if isinstance(x, E) else x for x in a]
    if op == "add":
        return add(*sub)
    if op == "mul":
        return mul(*sub)
    if op == "div":
        return div(sub[0], sub[1])
    if op == "neg":
        return neg(sub[0])
    if op == "pow":
        return power(sub[0], sub[1])
    if op == "root":
        return root(sub[0], sub[1])
    if op == "fn":
        return func(sub[0], sub[1])
    if op == "log":
        return log(sub[0], sub[1] if len(sub) > 1 else None)
    if op in ("fact", "fact2"):
        return factorial(sub[0], 1 if op == "fact" else 2)
    if op == "binom":
        return binom(sub[0], sub[1])
    if op in ("abs", "floor", "ceil", "pct", "deg", "conj"):
        return unary(op, sub[0])
    if op == "call":
        return call(sub[0], sub[1]) if sub[0] != name else mul(value, sub[1])
    if op == "pm":
        return pm(sub[0], sub[1], sub[2])
    if op == "mod":
        return mod(sub[0], sub[1])
    if op in ("sum", "prod", "lim"):
        if a[0] == name:
            return e
        return bigop(op, a[0], sub[1], sub[2], sub[3])
    raise TooLarge(f"cannot substitute into {op}")


def mod(a: E, b: E) -> E:
    """a mod b (`\\bmod`): the remainder, for integers."""
    rv = None
    if a.rv is not None and b.rv is not None and a.rv.denominator == 1 and b.rv.denominator == 1 and b.rv:
        rv = Fraction(a.rv.numerator % b.rv.numerator)
    return E("mod", (a, b), max(a.bits, b.bits) + 2, _union((a, b)), None, rv)


def quantity(value: E, unit: str) -> E:
    """A value with a physical unit (graders.mathparse.units key); evaluators refuse it, the
    comparator converts it."""
    return E("unit", (value, unit), value.bits + 8, value.syms)


def call(name: str, arg: E) -> E:
    """`f(x)`: function notation or the product f*x, decided by context."""
    return E("call", (name, arg), SYM_BITS + arg.bits, arg.syms | {name})


def pm(a: E | None, b: E, sign: int) -> E:
    """a ± b (sign=+1) or a ∓ b (sign=-1); a=None for a prefix ±b."""
    if a is None:
        return E("pm", (None, b, sign), b.bits, b.syms)
    return E("pm", (a, b, sign), a.bits + b.bits + 1, _union((a, b)))


def basenum(digits: str, base: int) -> E:
    value = int(digits, base)
    return E("basenum", (digits, base), value.bit_length() + 1, _EMPTY)


# --------------------------------------------------------------------------- helpers


def contains(e: E, op: str) -> bool:
    """Whether any node in `e` has operation `op` (iterative, no recursion limit)."""
    stack = [e]
    while stack:
        n = stack.pop()
        if n.op == op:
            return True
        for a in n.args:
            if isinstance(a, E):
                stack.append(a)
    return False


def _count_pm(e: E) -> int:
    c = 1 if e.op == "pm" else 0
    for a in e.args:
        if isinstance(a, E):
            c += _count_pm(a)
    return c


def _choose_pm(n: E, mask: int, counter: list[int]) -> E:
    if n.op == "pm":
        a, b, s = n.args
        i = counter[0]
        counter[0] += 1
        bb = _choose_pm(b, mask, counter)
        plus = ((mask >> i) & 1) == 0
        if s < 0:
            plus = not plus
        term = bb if plus else neg(bb)
        return term if a is None else add(_choose_pm(a, mask, counter), term)
    if not any(isinstance(a, E) for a in n.args):
        return n
    new_args = tuple(_choose_pm(a, mask, counter) if isinstance(a, E) else a for a in n.args)
    if n.op == "add":
        return add(*new_args)
    if n.op == "mul":
        return mul(*new_args)
    return E(n.op, new_args, n.bits, n.syms, n.meta)


def expand_pm(e: E, limit: int = 16) -> list[E] | None:
    """Every sign choice of the ± nodes in `e` (all + first); None when there are too many."""
    if not contains(e, "pm"):
        return [e]
    k = _count_pm(e)
    if (1 << k) > limit:
        return None
    return [_choose_pm(e, mask, [0]) for mask in range(1 << k)]


_PREC = {"add": 1, "neg": 2, "mul": 3, "div": 3, "pow": 5}


def to_text(e: E) -> str:
    """A readable plain-text rendering (for notes and debugging; not re-parsed)."""
    op, a = e.op, e.args
    if op == "num":
        v = a[0]
        return str(v.numerator) if v.denominator == 1 and v.numerator.bit_length() < 256 else (
            f"{v.numerator}/{v.denominator}" if max(v.numerator.bit_length(), v.denominator.bit_length()) < 256
            else f"<{e.bits}-bit number>"
        )
    if op == "sym":
        return a[0]
    if op == "const":
        return a[0]
    if op == "inf":
        return "oo"
    if op == "add":
        return "(" + " + ".join(to_text(t) for t in a) + ")"
    if op == "mul":
        return "(" + "*".join(to_text(t) for t in a) + ")"
    if op == "div":
        return f"({to_text(a[0])})/({to_text(a[1])})"
    if op == "neg":
        return f"-({to_text(a[0])})"
    if op == "pow":
        return f"({to_text(a[0])})^({to_text(a[1])})"
    if op == "root":
        return f"root{a[0]}({to_text(a[1])})"
    if op == "fn":
        return f"{a[0]}({to_text(a[1])})"
    if op == "log":
        return f"log({to_text(a[0])})" if len(a) == 1 else f"log_{to_text(a[1])}({to_text(a[0])})"
    if op == "call":
        return f"{a[0]}({to_text(a[1])})"
    if op == "pm":
        first = "" if a[0] is None else to_text(a[0])
        return f"({first} {'±' if a[2] > 0 else '∓'} {to_text(a[1])})"
    if op == "basenum":
        return f"{a[0]}_{a[1]}"
    if op == "binom":
        return f"binom({to_text(a[0])}, {to_text(a[1])})"
    if op == "fact":
        return f"({to_text(a[0])})!"
    if op == "fact2":
        return f"({to_text(a[0])})!!"
    if op == "unit":
        return f"{to_text(a[0])} [{a[1]}]"
    if op in ("sum", "prod"):
        return f"{op}_({a[0]}={to_text(a[1])}..{to_text(a[2])})({to_text(a[3])})"
    return f"{op}({', '.join(to_text(x) if isinstance(x, E) else str(x) for x in a)})"
