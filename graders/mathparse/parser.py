"""A Pratt parser from tokens (graders.mathparse.lexer) to the typed answer AST.

Grammar, loosest binding first::

    answer   := list ('or' list)*                  -> Seq('or') when several
    list     := rel ((',' | ';' | 'and') rel)*     -> Seq('list') when several
    rel      := setop (relop setop)*               = < > <= >= != \\approx \\in
    setop    := expr ('\\cup' expr)*                -> Union
    expr     := Pratt expression: + - \\pm \\mp (10), * / \\cdot \\times \\div and
                juxtaposition (20), unary - + \\pm (25), ^ (30), postfix ! % ^\\circ (40)

Atoms: numbers, single-letter symbols (with subscripts `x_1`, `a_{n}`), `\\pi`,
`e`, `i`, `\\infty`, `( )` / `[ ]` groups, tuples and intervals, `\\{ \\}` sets,
`|x|`, `\\frac`, `\\sqrt[n]{}`, `\\binom`, `\\lfloor \\rfloor`, `\\lceil \\rceil`,
functions (`\\sin x`, `\\sin^2 x`, `\\sin^{-1} x`, `\\log_2 8`, `\\ln(x)`), matrices
(`\\begin{pmatrix}..\\end{pmatrix}`, bmatrix, Bmatrix, matrix, smallmatrix, array).

Decisions:

- Juxtaposition is multiplication with the same precedence as `*` and `/`,
  left to right: `1/2x` is x/2. Prose is not algebra: two Latin letters
  separated only by whitespace (`x y z`) are not a product, and a glued run
  of more than three letters (`Answer`) is a word (graders.mathparse.lexer). `\\sin 2x` is sin(2x); `\\sin x \\cos x` is
  sin(x)cos(x).
- `2\\frac{1}{2}` (an integer literal directly followed by a \\frac of integer
  literals) is the mixed number 5/2.
- `x^23` is x^{23} (plain-text habit), but LaTeX macro arguments follow LaTeX:
  `\\frac12` is 1/2, `\\sqrt23` is sqrt(2)*3.
- `\\log` without a base is the natural logarithm, like `\\ln`.
- `e` is Euler's number and `i` the imaginary unit.
- `(a, b)` is a pair that also compares equal to the open interval (a, b);
  `[a, b]`, `(a, b]`, `[a, b)` are intervals; three or more items are a tuple.
- `{a, b}` (LaTeX braces) is a list; `\\{a, b\\}` a set.
- `x \\in S` is S; `a < x \\le b` is a relation chain; set-builder notation
  `\\{x \\mid cond\\}` (also `:` and `|`) is its condition; `A \\setminus B` is a
  set difference; `[[1, 2], [3, 4]]` is a matrix.
- `a^b^c` is a^(b^c); a prefix sign covers the following product (`-2x`).
- `f(x)` is kept as a call node: a product when evaluated, function notation
  on the left of an equation (`f(x) = 2x - 7`).
- `n!!` is the double factorial; `\\overline{z}` the complex conjugate
  (`0.\\overline{3}` a repeating decimal); `\\begin{vmatrix}..\\end{vmatrix}` the
  determinant (up to 4 x 4); `\\sum_{k=a}^{b}` / `\\prod` with integer bounds are
  expanded (up to 200 terms), others kept as a node.
- `a \\approx b` after a value keeps the value (`\\frac{\\sqrt3}{3} \\approx 0.577`
  is the exact value; `x \\approx 3.14` stays a statement about x).
- `;` separates groups when `,` separates the items of a group
  (`p=5, q=2; p=7, q=2`); `1,22` (no space, not thousands) is the list
  (1, 22) that also equals the decimal-comma number 1.22.
"""

from __future__ import annotations

from fractions import Fraction

from . import expr as X
from .answer import Answer, Interval, Matrix, Minus, Rel, Scalar, Seq, Union
from .expr import E
from .limits import LIMITS, ParseError, TooLarge

_RELOPS = frozenset(("=", "<", ">", "le", "ge", "ne", "approx", "in"))
_IMPLICIT_START = frozenset(("num", "id", "const", "inf", "func", "(", "{"))
_IMPLICIT_CMDS = frozenset(("frac", "sqrt", "binom", "lfloor", "lceil", "conj", "sum", "prod", "det", "lim"))
_STOP_WORDS = frozenset(
    "or and not more less than least most except if unless approximately about roughly nearly almost "
    "only no wrong incorrect false impossible invalid undefined maybe perhaps possibly".split()
)
PROSE_STOP = _STOP_WORDS | frozenset(
    "times plus minus over divided squared cubed hundred thousand million billion trillion dozen lakh crore "
    "percent per each every half halves third thirds quarter quarters fifth fifths to through from between "
    "guess estimate estimated wait but however could might may also probably likely unsure either neither "
    "unless otherwise instead factorial tenths hundredths thousandths millionths grand score gross negative "
    "below above under environ approx approximate approximated rounded".split()
)
"""Words after a complete answer that change it (hedge, negate, scale, operate): the answer is
then not the value alone."""
_DEG = object()
_MATRIX_ENVS = frozenset(("pmatrix", "bmatrix", "Bmatrix", "matrix", "smallmatrix", "array", "vmatrix"))
_SUM_MAX_TERMS = 200
_FUNCTION_LETTERS = frozenset("f g h p q F G H P Q".split())
_TRIG_INVERSE = {"sin": "asin", "cos": "acos", "tan": "atan", "cot": "acot", "sec": "asec", "csc": "acsc"}


def _need_e(x: object, what: str = "expression") -> E:
    if not isinstance(x, E):
        raise ParseError(f"expected an {what}")
    return x


def _scale(k: E, m: Matrix) -> Matrix:
    """A scalar times a matrix, entry by entry (size guards apply to each product)."""
    return Matrix(tuple(tuple(X.mul(k, e) for e in row) for row in m.rows))


class Parser:
    def __init__(self, tokens: list[tuple]) -> None:
        self.t = tokens
        self.p = 0
        self.depth = 0
        self.abs_open = 0
        # `W s - 3 \sin{\left(6 x \right)}` (sympy's LaTeX printer): letters separated by a space
        # are a product when the text is math throughout: an operator or a function, no words
        self.spaced_product = any(
            t[0] in ("func", "cmd") or (t[0] == "op" and t[1] in ("+", "-", "*", "/", "^", "=")) for t in tokens
        ) and not any(t[0] == "text" for t in tokens)

    # ----------------------------------------------------------------- helpers
    def peek(self, k: int = 0) -> tuple:
        i = self.p + k
        return self.t[i] if i < len(self.t) else ("eof", None, None)

    def next(self) -> tuple:
        tok = self.t[self.p]
        if tok[0] != "eof":
            self.p += 1
        return tok

    def is_op(self, value: str, k: int = 0) -> bool:
        tok = self.peek(k)
        return tok[0] == "op" and tok[1] == value

    def expect(self, kind: str, value: object = None) -> tuple:
        tok = self.next()
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise ParseError(f"expected {value or kind}, found {tok[1] or tok[0]}")
        return tok

    def enter(self) -> None:
        self.depth += 1
        if self.depth > LIMITS.max_depth:
            raise TooLarge(f"nested deeper than {LIMITS.max_depth}")

    # ----------------------------------------------------------------- top level
    def parse_top(self) -> object:
        k = 0
        while k < 4 and self.peek(k)[0] == "text":
            k += 1
        if k and self.is_op("=", k):
            # `\text{Area} = 6`, `Total = 42`: words naming the value, then the value
            words = {w.lower() for tok in self.t[:k] for w in str(tok[1]).split()}
            if not (PROSE_STOP & words):
                self.p = k + 1
        x = self.parse_disj()
        rest = self.t[self.p : -1]
        if rest:
            # Trailing words (`\\text{ apples}`) after a complete value are a unit, unless
            # they hedge or qualify the answer.
            if all(tok[0] == "text" for tok in rest) and len(rest) <= 8:
                words = " ".join(tok[1] for tok in rest).lower().replace(",", " ").split()
                if words and len(words) <= 8 and not (PROSE_STOP & set(words)):
                    return x  # `(6, 8) is the point`, `x = 3 \text{ is the only solution}`
            raise ParseError(f"unexpected {rest[0][1] or rest[0][0]!s}")
        return x

    def parse_disj(self) -> object:
        first = self.parse_list()
        if not self.is_op("or"):
            return first
        items: list[Answer] = []
        self._splice(items, first)
        while self.is_op("or"):
            self.next()
            self._splice(items, self.parse_list())
        if len(items) > LIMITS.max_items:
            raise TooLarge("too many alternatives")
        return Seq("or", tuple(items))

    @staticmethod
    def _splice(items: list[Answer], x: object) -> None:
        a = to_answer(x)
        if isinstance(a, Seq) and a.kind in ("list", "or"):
            items.extend(a.items)
        else:
            items.append(a)

    def parse_list(self) -> object:
        first = self.parse_rel()
        if not (self.is_op(",") or self.is_op(";") or self.is_op("and")):
            return first
        items = [first]
        groups: list[int] = [0]  # start index in `items` of each `;`-separated group
        alt = None
        while self.is_op(",") or self.is_op(";") or self.is_op("and"):
            sep = self.next()
            if sep[1] == ";":
                groups.append(len(items))
            elif sep[1] == "," and isinstance(sep[2], tuple) and len(items) == 1:
                alt = sep[2]  # `1,22`: also the decimal 1.22 (see lexer)
            if self.is_op("and"):  # `1, 2, and 3`
                self.next()
            tok = self.peek()
            if tok[0] in ("eof", ")", "]", "}", "rset") or (tok[0] == "op" and tok[1] == "or"):
                if groups[-1] == len(items):
                    groups.pop()
                break
            items.append(self.parse_rel())
            if len(items) > LIMITS.max_items:
                raise TooLarge("too many items")
        if len(items) == 1:
            return first
        out: list[Answer] = []
        for it in items:
            a = to_answer(it)
            if isinstance(a, Seq) and a.kind == "or" and _from_pm(it):
                out.extend(a.items)
            else:
                out.append(a)
        if len(groups) > 1 and len(out) == len(items):
            # `p=5, q=2; p=7, q=2`: `;` separates groups, `,` the items of a group.
            bounds = [*groups, len(out)]
            parts = [out[i:j] for i, j in zip(bounds, bounds[1:], strict=False)]
            if any(len(g) > 1 for g in parts):
                return Seq("list", tuple(g[0] if len(g) == 1 else Seq("list", tuple(g)) for g in parts))
        period = _assignment_period(out)
        if period:  # `p=5, q=2, p=7, q=2`: one solution per repetition of the names
            return Seq("list", tuple(Seq("list", tuple(out[i : i + period])) for i in range(0, len(out), period)))
        dec = None
        if alt is not None and len(out) == 2 and all(_is_int_literal(a) for a in out):
            dec = X.num(alt[0], alt[1])
        return Seq("list", tuple(out), alt=dec)

    def parse_rel(self) -> object:
        first = self.parse_setop()
        tok = self.peek()
        if not (tok[0] == "op" and tok[1] in _RELOPS):
            return first
        sides = [first]
        ops: list[str] = []
        cut = None
        while True:
            tok = self.peek()
            if not (tok[0] == "op" and tok[1] in _RELOPS):
                break
            self.next()
            if tok[1] == "approx" and cut is None and not _names_only(sides[-1]):
                cut = len(sides)  # `\frac{\sqrt3}{3} \approx 0.577`: the exact value is the answer
            ops.append("=" if tok[1] == "approx" else tok[1])
            sides.append(self.parse_setop())
            if len(ops) > 8:
                raise TooLarge("relation chain too long")
        if cut is not None:
            sides, ops = sides[:cut], ops[: cut - 1]
            if not ops:
                return sides[0]
        return build_rel(sides, ops)

    def parse_setop(self) -> object:
        left = self.pratt(0)
        if not (self._at_union() or self.is_op("setminus")):
            return left
        acc: Answer = _as_set(to_answer(left))
        while True:
            if self._at_union():
                self.next()
                right = _as_set(to_answer(self.pratt(0)))
                parts: list[Answer] = []
                for p in (acc, right):
                    parts.extend(p.parts if isinstance(p, Union) else (p,))
                acc = Union(tuple(parts))
            elif self.is_op("setminus"):
                self.next()
                acc = Minus(acc, _as_set(to_answer(self.pratt(0))))
            else:
                return acc

    def _at_union(self) -> bool:
        tok = self.peek()
        if tok[0] == "op" and tok[1] == "cup":
            return True
        # Plain-text `(1, 2) U (3, 4)`.
        return tok[0] == "id" and tok[1] == "U" and self.peek(1)[0] in ("(", "[")

    # ----------------------------------------------------------------- Pratt core
    def pratt(self, rbp: int) -> object:
        self.enter()
        left = self.nud(self.next())
        while True:
            tok = self.peek()
            lbp = self.lbp(tok, left)
            if lbp <= rbp:
                break
            left = self.led(self.next() if not self._implicit(tok, left) else tok, left, rbp)
        self.depth -= 1
        return left

    def _implicit(self, tok: tuple, left: object) -> bool:
        kind = tok[0]
        if isinstance(left, Matrix):  # a matrix product written by juxtaposition
            return kind == "cmd" and tok[1] == "begin" and tok[2] in _MATRIX_ENVS and tok[2] != "vmatrix"
        if not isinstance(left, E):
            return False
        if kind in _IMPLICIT_START:
            return True
        if kind == "cmd" and tok[1] in _IMPLICIT_CMDS:
            return True
        if kind == "cmd" and tok[1] == "begin" and tok[2] in _MATRIX_ENVS:
            return True  # a scalar written before a matrix
        if kind == "op" and tok[1] == "|" and self.abs_open == 0:
            return True
        return False

    def lbp(self, tok: tuple, left: object) -> int:
        kind, v = tok[0], tok[1]
        if kind == "op":
            if v in ("+", "-", "pm", "mp"):
                return 10
            if v in ("*", "/", "mod"):
                return 20
            if v == ":":
                return 15
            if v == "choose":
                return 12
            if v == "^":
                return 30
            if v in ("!", "%", "deg", "'"):
                return 40
        if self._implicit(tok, left):
            return 20
        return 0

    def led(self, tok: tuple, left: object, rbp: int) -> object:
        kind, v = tok[0], tok[1]
        if kind != "op" or v == "|":  # juxtaposition (the token was not consumed)
            if isinstance(left, Matrix):
                right_m = self.pratt(20)
                if not isinstance(right_m, Matrix):
                    raise ParseError("a matrix times a non-matrix")
                return _matmul(left, right_m)
            lhs = _need_e(left)
            if kind == "num" and self.p > 0 and self.t[self.p - 1][0] == "num":
                raise ParseError("two numbers in a row")  # `1 2` is not 2, and not 12
            if (kind == "id" and tok[2] == "spaced" and not self.spaced_product and _letters_only(left) and self.p > 0
                    and _is_letter(self.t[self.p - 1])):
                raise ParseError("letters separated by spaces are words, not a product")  # `x y z`
            right_any = self.pratt(20)
            if isinstance(right_any, Matrix):  # `\frac12\begin{pmatrix}2\\4\end{pmatrix}`: scalar times matrix
                return _scale(lhs, right_any)
            right = _need_e(right_any)
            if (
                tok[0] == "cmd" and tok[1] == "frac"  # `2\frac12`, not `2(\frac12)`
                and lhs.op == "num" and lhs.meta == "int_literal"
                and right.op == "div" and right.meta == "frac_literal"
                and 0 < X.literal_rational(right.args[0]) < X.literal_rational(right.args[1])  # type: ignore[operator]
            ):
                return X.add(lhs, right)  # mixed number 2\frac{1}{2}
            return X.mul(lhs, right)
        if isinstance(left, Matrix) and v in ("+", "-"):  # a sum or difference of matrices
            right_m = self.pratt(10)
            if not isinstance(right_m, Matrix):
                raise ParseError("a matrix plus a non-matrix")
            return _matadd(left, right_m, -1 if v == "-" else 1)
        if isinstance(left, Matrix) and v == "^":  # `A^2`, `A^T`, `A^{\top}`
            return _matpow(left, self._matrix_exponent())
        if isinstance(left, Matrix) and v == "*":  # `A \cdot B`, `A \times 2`
            rhs_m = self.pratt(20)
            return _matmul(left, rhs_m) if isinstance(rhs_m, Matrix) else _scale(_need_e(rhs_m), left)
        lhs = _need_e(left)
        if v == "+":
            return X.add(lhs, _need_e(self.pratt(10)))
        if v == "-":
            return X.add(lhs, X.neg(_need_e(self.pratt(10))))
        if v in ("pm", "mp"):
            return X.pm(lhs, _need_e(self.pratt(10)), 1 if v == "pm" else -1)
        if v == "*":
            rhs = self.pratt(20)
            if isinstance(rhs, Matrix):
                return _scale(lhs, rhs)
            return X.mul(lhs, _need_e(rhs))
        if v == "/" or v == ":":
            return X.div(lhs, _need_e(self.pratt(20 if v == "/" else 15)))
        if v == "choose":
            return X.binom(lhs, _need_e(self.pratt(12)))
        if v == "mod":  # `17 \bmod 5`
            return X.mod(lhs, _need_e(self.pratt(20)))
        if v == "^":
            ex = self.power_arg()
            if ex is _DEG:
                return X.unary("deg", lhs)
            chain = [_need_e(ex)]
            while self.is_op("^"):  # a^b^c = a^(b^c)
                self.next()
                nxt = self.power_arg()
                if nxt is _DEG:
                    raise ParseError("degree sign in an exponent")
                chain.append(_need_e(nxt))
                if len(chain) > LIMITS.max_depth:
                    raise TooLarge("power tower too tall")
            top = chain[-1]
            for base in reversed(chain[:-1]):
                top = X.power(base, top)
            return X.power(lhs, top)
        if v == "!":
            if self.is_op("!"):  # n!! = n(n-2)(n-4)...
                self.next()
                return X.factorial(lhs, step=2)
            return X.factorial(lhs)
        if v == "%":
            return X.unary("pct", lhs)
        if v == "deg":
            return X.unary("deg", lhs)
        raise ParseError(f"unexpected {v}")

    def _matrix_exponent(self) -> int | str:
        """The exponent of a matrix: a positive integer, or `T` / `\top` (the transpose)."""
        tok = self.peek()
        braced = tok[0] == "{"
        if braced:
            self.next()
            tok = self.peek()
        if tok[0] == "id" and tok[1] in ("T", "top") or tok == ("op", "top", None):
            self.next()
            out: int | str = "T"
        elif tok[0] == "num" and tok[2][1] and 1 <= tok[1] <= 8:
            self.next()
            out = int(tok[1])
        else:
            raise ParseError("unsupported matrix power")
        if braced:
            self.expect("}")
        return out

    # ----------------------------------------------------------------- atoms
    def nud(self, tok: tuple) -> object:
        kind, v = tok[0], tok[1]
        if kind == "num":
            dec, is_int = tok[2]
            if self.is_op("_") and is_int and v.numerator.bit_length() < 300:
                self.next()
                base = self._literal_int(self.sub_arg())
                if not 2 <= base <= 36:
                    raise ParseError("bad base")
                digits = str(v.numerator)
                if any(int(d, 36) >= base for d in digits):
                    raise ParseError(f"digit out of range for base {base}")
                return X.basenum(digits, base)
            return X.num(v, dec, literal=is_int)
        if kind == "id":
            name = v
            while self.is_op("_"):
                self.next()
                name += "_" + self._sub_name()
            if self.peek()[0] == "(" and self.peek()[1] == "(":
                self.next()
                g = self.group("(")
                if isinstance(g, E):
                    if name.split("_")[0] in _FUNCTION_LETTERS and not g.syms:
                        # `f(5)`: the value of a function at a point, one unknown per point (so
                        # `f(5) < f(1)` is not `f(2) < f(1)`), not f times 5
                        q = X.literal_rational(g)
                        return X.sym(f"{name}({q if q is not None else X.to_text(g)})")
                    return X.call(name, g)
                raise ParseError("function of several arguments")
            return X.sym(name)
        if kind == "const":
            if self.is_op("_"):
                raise ParseError(f"subscript on {v}")
            return X.const(v)
        if kind == "inf":
            return X.inf()
        if kind == "op":
            # A prefix sign covers the following product (-2x is -(2x), -2\frac12 is -(5/2)):
            # the same value as (-2)x, and mixed numbers keep their sign.
            if v == "-":
                inner = self.pratt(19)
                if isinstance(inner, Matrix):  # -\frac12\begin{pmatrix}..\end{pmatrix}
                    return Matrix(tuple(tuple(X.neg(e) for e in row) for row in inner.rows))
                return X.neg(_need_e(inner))
            if v == "+":
                return _need_e(self.pratt(19))
            if v in ("pm", "mp"):
                return X.pm(None, _need_e(self.pratt(19)), 1 if v == "pm" else -1)
            if v == "|":
                self.abs_open += 1
                inner_any = self.pratt(0)
                self.expect("op", "|")
                self.abs_open -= 1
                if isinstance(inner_any, Matrix):  # `\left|\begin{matrix}..\end{matrix}\right|`: a determinant
                    return _det(inner_any.rows)
                return X.unary("abs", _need_e(inner_any))
            raise ParseError(f"unexpected {v}")
        if kind in ("(", "["):
            return self.group(kind)
        if kind == "{":
            self.enter()
            if self.peek()[0] == "}":
                raise ParseError("empty group")
            inner = self.parse_disj()
            self.expect("}")
            self.depth -= 1
            return inner
        if kind == "lset":
            return self.set_literal()
        if kind == "empty":
            return Seq("set", ())
        if kind == "reals":
            return Interval(X.neg(X.inf()), X.inf(), False, False)
        if kind == "func":
            return self.function(v)
        if kind == "cmd":
            return self.command(tok)
        if kind == "eof":
            raise ParseError("unexpected end")
        raise ParseError(f"unexpected {v or kind}")

    def _literal_int(self, e: E) -> int:
        v = X.literal_rational(e)
        if v is None or v.denominator != 1:
            raise ParseError("expected an integer")
        return int(v)

    def _sub_name(self) -> str:
        tok = self.next()
        if tok[0] == "num" and tok[2][1] and tok[1].numerator.bit_length() < 64:
            return str(tok[1].numerator)
        if tok[0] in ("id", "const"):
            return str(tok[1])
        if tok[0] == "{":
            parts = []
            while self.peek()[0] != "}":
                t = self.next()
                if t[0] == "num" and t[2][1] and t[1].numerator.bit_length() < 64:
                    parts.append(str(t[1].numerator))
                elif t[0] in ("id", "const", "text"):
                    parts.append(str(t[1]))
                elif t[0] == "op" and t[1] in (",", "+", "-"):
                    parts.append({",": ",", "+": "p", "-": "m"}[t[1]])
                else:
                    raise ParseError("unsupported subscript")
                if len(parts) > 8:
                    raise ParseError("subscript too long")
            self.next()
            if not parts:
                raise ParseError("empty subscript")
            return "".join(parts)
        raise ParseError("unsupported subscript")

    def sub_arg(self) -> E:
        tok = self.peek()
        if tok[0] == "{":
            self.next()
            inner = _need_e(self.pratt(0))
            self.expect("}")
            return inner
        return self.latex_arg()

    def latex_arg(self) -> E:
        """One LaTeX macro argument: `{...}` or a single token (`\\frac12`)."""
        tok = self.peek()
        kind = tok[0]
        if kind == "{":
            self.next()
            self.enter()
            inner = _need_e(self.parse_disj())
            self.expect("}")
            self.depth -= 1
            return inner
        if kind == "num":
            self.next()
            dec, is_int = tok[2]
            digits = str(tok[1].numerator) if is_int and tok[1].numerator.bit_length() < 300 else ""
            if is_int and len(digits) > 1:
                # `\frac12`: the argument is the first digit; the rest stays in the stream.
                self.p -= 1
                self.t[self.p] = ("num", Fraction(int(digits[1:])), (None, True))
                return X.num(int(digits[0]), literal=True)
            return X.num(tok[1], dec, literal=is_int)
        if kind in ("id", "const", "inf"):
            self.next()
            return _need_e(self.nud(tok) if kind != "id" else X.sym(tok[1]))
        if kind == "cmd":
            self.next()
            return _need_e(self.command(tok))
        if kind == "(":  # plain-text `sqrt(2)`
            self.next()
            return _need_e(self.group("("))
        raise ParseError("bad macro argument")

    def power_arg(self) -> object:
        tok = self.peek()
        kind, v = tok[0], tok[1]
        if kind == "{":
            if self.peek(1)[0] == "op" and self.peek(1)[1] == "deg" and self.peek(2)[0] == "}":
                self.p += 3
                return _DEG
            self.next()
            self.enter()
            inner = _need_e(self.parse_disj())
            self.expect("}")
            self.depth -= 1
            return inner
        if kind == "op":
            if v == "deg":
                self.next()
                return _DEG
            if v in ("-", "+"):
                self.next()
                self.enter()
                inner = _need_e(self.power_arg())
                self.depth -= 1
                return X.neg(inner) if v == "-" else inner
            raise ParseError(f"bad exponent {v}")
        if kind == "num":
            self.next()
            dec, is_int = tok[2]
            return X.num(v, dec, literal=is_int)
        if kind in ("id", "const", "inf"):
            self.next()
            if kind == "id":
                name = v
                while self.is_op("_"):
                    self.next()
                    name += "_" + self._sub_name()
                return X.sym(name)
            return self.nud(tok)
        if kind == "(":
            self.next()
            return _need_e(self.group("("))
        if kind == "cmd":
            self.next()
            return _need_e(self.command(tok))
        raise ParseError("bad exponent")

    def group(self, open_kind: str) -> object:
        """After `(` or `[`: a parenthesised expression, a tuple or an interval."""
        self.enter()
        if self.peek()[0] in (")", "]"):
            raise ParseError("empty brackets")
        items = [self.parse_rel()]
        sep = None
        while self.is_op(",") or self.is_op(";"):
            # `(0;-2;6)`, `[1;2]`: `;` separates coordinates as `,` does (decimal-comma locales),
            # when it is the only separator of the group
            tok = self.next()
            if sep is not None and tok[1] != sep:
                raise ParseError("mixed , and ; in brackets")
            sep = tok[1]
            items.append(self.parse_rel())
            if len(items) > LIMITS.max_items:
                raise TooLarge("too many items")
        close = self.next()
        self.depth -= 1
        ck = close[0]
        if ck not in (")", "]"):
            raise ParseError("unbalanced brackets")
        angle = close[1] == "rangle"
        if open_kind == "(" and ck == ")":
            if len(items) == 1:
                return items[0]
            return Seq("tuple", tuple(to_answer(i) for i in items), paren2=len(items) == 2 and not angle)
        if open_kind == "[" and ck == "]":
            rows = _bracket_rows(items)
            if rows is not None:
                return Matrix(rows)
        if open_kind == "[" and ck == "]" and len(items) != 2:
            if len(items) == 1:
                return items[0]
            return Seq("tuple", tuple(to_answer(i) for i in items))
        if len(items) != 2:
            raise ParseError("interval needs two endpoints")
        lo, hi = (_need_e(i, "interval endpoint") for i in items)
        if X.contains(lo, "pm") or X.contains(hi, "pm"):
            raise ParseError("± in an interval")
        return Interval(lo, hi, open_kind == "[", ck == "]")

    def set_literal(self) -> object:
        self.enter()
        if self.peek()[0] == "rset":
            self.next()
            self.depth -= 1
            return Seq("set", ())
        builder = self._set_builder()
        if builder is not None:
            self.depth -= 1
            return builder
        items: list[Answer] = []
        sep = None
        while True:
            x = self.parse_rel()
            a = to_answer(x)
            if isinstance(a, Seq) and a.kind == "or" and _from_pm(x):
                items.extend(a.items)
            else:
                items.append(a)
            if len(items) > LIMITS.max_items:
                raise TooLarge("too many items")
            if self.is_op(",") or self.is_op(";"):  # `\{(1;2);(3;4)\}`: `;` alone separates too
                tok = self.next()
                if sep is not None and tok[1] != sep:
                    raise ParseError("mixed , and ; in a set")
                sep = tok[1]
                continue
            break
        tok = self.next()
        if tok[0] != "rset":
            raise ParseError("set-builder notation or unbalanced \\{ \\}")
        self.depth -= 1
        return Seq("set", tuple(items))

    def _set_builder(self) -> Answer | None:
        """`\\{x \\mid x > 2\\}`, `\\{x : x > 2\\}`, `\\{x \\in \\mathbb{R} | x \\ne 1\\}` -> the condition."""
        start = self.p
        tok = self.peek()
        if tok[0] != "id":
            return None
        k = 1
        while self.peek(k)[0] == "op" and self.peek(k)[1] == "_":
            k += 2
        nxt = self.peek(k)
        if nxt[0] == "op" and nxt[1] == "in" and self.peek(k + 1)[0] == "reals":
            k += 2
            nxt = self.peek(k)
        if not (nxt[0] == "op" and nxt[1] in ("mid", "|", ":")):
            return None
        self.p = start + k + 1
        cond = to_answer(self.parse_disj())
        if self.next()[0] != "rset":
            raise ParseError("unbalanced set-builder braces")
        if not isinstance(cond, Rel | Seq):
            raise ParseError("unsupported set-builder condition")
        if isinstance(cond, Rel):
            return Rel(cond.sides, cond.ops, bound=True)
        return cond

    def function(self, name: str) -> E:
        self.enter()
        power: E | None = None
        base: E | None = None
        for _ in range(2):
            if self.is_op("^") and power is None:
                self.next()
                pa = self.power_arg()
                power = _need_e(pa)
            elif self.is_op("_") and base is None and name == "log":
                self.next()
                base = self.sub_arg()
        tok = self.peek()
        if tok[0] == "(" and name == "log" and base is None:
            self.next()
            g = self.group("(")
            if isinstance(g, Seq) and g.kind == "tuple" and len(g.items) == 2 and all(isinstance(i, Scalar) for i in g.items):
                self.depth -= 1  # `log(x, 10)`: sympy's two-argument logarithm
                node = X.log(g.items[0].expr, g.items[1].expr)  # type: ignore[attr-defined]
                return X.power(node, power) if power is not None else node
            arg = _need_e(g)
        elif tok[0] == "(":
            self.next()
            arg = _need_e(self.group("("))
        elif tok[0] == "{":
            self.next()
            arg = _need_e(self.parse_disj())
            self.expect("}")
        else:
            arg = self.func_arg()
        if name == "abs":  # `abs(x)`, sympy's `Abs(x)`
            node = X.unary("abs", arg)
        elif name == "factorial":  # `factorial(5)` (Python / sympy)
            node = X.factorial(arg)
        elif name in ("ln", "log") or (name == "log" and base is None):
            node = X.log(arg, base)
        elif name == "log10":
            node = X.log(arg, X.num(10))
        else:
            if name in _TRIG_INVERSE:  # `\sin 30^\circ`: an angle in degrees is pi/180 of it
                arg = _radians(arg)
            if power is not None and X.literal_rational(power) == -1 and name in _TRIG_INVERSE:
                self.depth -= 1
                return X.func(_TRIG_INVERSE[name], arg)
            node = X.func(name, arg)
        self.depth -= 1
        if power is not None:
            return X.power(node, power)
        return node

    def func_arg(self) -> E:
        """The argument of `\\sin 2x`: a product of atoms, stopping at another function."""
        self.enter()
        factors = [_need_e(self.pratt(25))]
        while True:
            tok = self.peek()
            if tok[0] in ("func",) or not self._implicit(tok, factors[-1]):
                break
            if tok[0] == "op":  # |x| after a function argument
                break
            factors.append(_need_e(self.pratt(25)))
        self.depth -= 1
        return X.mul(*factors) if len(factors) > 1 else factors[0]

    def command(self, tok: tuple) -> object:
        v = tok[1]
        if v == "frac":
            a = self.latex_arg()
            b = self.latex_arg()
            lit = (
                a.op == "num" and a.meta == "int_literal" and b.op == "num" and b.meta == "int_literal"
            )
            return X.div(a, b, frac_literal=lit)
        if v == "sqrt":
            n = 2
            if self.peek()[0] == "[" and tok[2] != "plain":
                self.next()
                n = self._literal_int(_need_e(self.pratt(0)))
                self.expect("]")
            return X.root(n, self.latex_arg())
        if v == "binom":
            return X.binom(self.latex_arg(), self.latex_arg())
        if v in ("lfloor", "lceil"):
            self.enter()
            inner = _need_e(self.pratt(0))
            close = self.next()
            if close != ("cmd", "rfloor" if v == "lfloor" else "rceil", None):
                raise ParseError("unbalanced floor/ceiling")
            self.depth -= 1
            return X.unary("floor" if v == "lfloor" else "ceil", inner)
        if v == "begin":
            if tok[2] == "vmatrix":
                return _det(self.matrix("vmatrix").rows)
            return self.matrix(tok[2])
        if v == "det":
            m = self.pratt(25)
            if not isinstance(m, Matrix):
                raise ParseError("\\det of a non-matrix")
            return _det(m.rows)
        if v == "conj":  # `\overline{z}`: the complex conjugate (`0.\overline{3}` is read by the lexer)
            return X.unary("conj", self.latex_arg())
        if v in ("sum", "prod"):
            return self.big_op(v)
        if v == "lim":  # `\lim_{x \to 0} f(x)`: kept as a node; `\lim ... = 1` states its value
            self.expect("op", "_")
            self.expect("{")
            var = self.next()
            if var[0] != "id" or not self.is_op("to"):
                raise ParseError("unsupported \\lim")
            self.next()
            at = _need_e(self.pratt(0))
            self.expect("}")
            body = self.func_arg()
            return X.bigop("lim", var[1], at, at, body)
        raise ParseError(f"unexpected \\{v}")

    def big_op(self, kind: str) -> E:
        r"""`\sum_{k=1}^{n} body` / `\prod`: expanded when the bounds are integers (at most
        _SUM_MAX_TERMS terms), else a `sum`/`prod` node compared structurally (sympy in a worker)."""
        if not self.is_op("_"):
            raise ParseError(f"\\{kind} without bounds")
        self.next()
        self.expect("{")
        var = self.next()
        if var[0] not in ("id", "const") or var[1] == "pi" or not self.is_op("="):
            raise ParseError(f"unsupported \\{kind} index")
        self.next()
        lo = _need_e(self.pratt(0))
        self.expect("}")
        if not self.is_op("^"):
            raise ParseError(f"\\{kind} without an upper bound")
        self.next()
        hi = _need_e(self.power_arg())
        self.enter()
        tok = self.peek()
        if tok[0] in ("(", "{") and tok[1] != "langle":
            body = _need_e(self.pratt(25))
            while self._implicit(self.peek(), body) and self.peek()[0] != "func":
                body = X.mul(body, _need_e(self.pratt(25)))
        else:
            body = self.func_arg()
        self.depth -= 1
        a, b = X.literal_rational(lo), X.literal_rational(hi)
        name = var[1]
        if var[0] == "const":  # `\sum_{i=1}^{n} i`: here `i` is the index, not the imaginary unit
            body = X.substitute(body, name, X.sym(name), const=True)
        if a is not None and b is not None and a.denominator == 1 and b.denominator == 1:
            if b < a:
                return X.num(0 if kind == "sum" else 1)
            if b - a + 1 > _SUM_MAX_TERMS:
                raise TooLarge(f"\\{kind} with more than {_SUM_MAX_TERMS} terms")
            terms = [X.substitute(body, name, X.num(k)) for k in range(int(a), int(b) + 1)]
            if len(terms) == 1:
                return terms[0]
            return X.add(*terms) if kind == "sum" else X.mul(*terms)
        return X.bigop(kind, name, lo, hi, body)

    def matrix(self, env: str) -> Matrix:
        if env not in _MATRIX_ENVS:
            raise ParseError(f"unsupported environment {env}")
        self.enter()
        rows: list[list[E]] = [[]]
        count = 0
        while True:
            tok = self.peek()
            if tok[0] == "cmd" and tok[1] == "end":
                self.next()
                if tok[2] != env:
                    raise ParseError("mismatched \\end")
                break
            rows[-1].append(_need_e(self.pratt(0), "matrix entry"))
            count += 1
            if count > LIMITS.max_items * 4:
                raise TooLarge("matrix too large")
            if self.is_op("&"):
                self.next()
            elif self.is_op("row"):
                self.next()
                nxt = self.peek()
                if not (nxt[0] == "cmd" and nxt[1] == "end"):
                    rows.append([])
            elif not (self.peek()[0] == "cmd" and self.peek()[1] == "end"):
                raise ParseError("bad matrix")
        self.depth -= 1
        if not rows[-1]:
            rows.pop()
        if not rows or any(len(r) != len(rows[0]) for r in rows):
            raise ParseError("ragged matrix")
        return Matrix(tuple(tuple(r) for r in rows))


def _matmul(a: Matrix, b: Matrix) -> Matrix:
    """The product of two matrices written side by side (shapes must agree; at most 8 x 8)."""
    n, k, m = len(a.rows), len(a.rows[0]), len(b.rows[0])
    if len(b.rows) != k or max(n, k, m) > 8:
        raise ParseError("matrix shapes do not agree")
    return Matrix(tuple(tuple(X.add(*(X.mul(a.rows[i][t], b.rows[t][j]) for t in range(k))) for j in range(m)) for i in range(n)))


def _radians(e: E) -> E:
    r"""The argument of a trigonometric function with its degree signs made radians
    (`30^\circ` -> 30 pi / 180; also in sums and differences: `\sin(90^\circ - x^\circ)`)."""
    if e.op == "deg":
        return X.div(X.mul(e.args[0], X.const("pi")), X.num(180))
    if e.op == "neg" and X.contains(e, "deg"):
        return X.neg(_radians(e.args[0]))
    if e.op == "add" and X.contains(e, "deg"):
        return X.add(*(_radians(t) for t in e.args))
    return e


def _matpow(m: Matrix, k: int | str) -> Matrix:
    """A square matrix to a power 1..8, or a matrix transposed (`T`)."""
    if k == "T":
        return Matrix(tuple(zip(*m.rows, strict=True)))
    if len(m.rows) != len(m.rows[0]):
        raise ParseError("a power of a non-square matrix")
    out = m
    for _ in range(int(k) - 1):
        out = _matmul(out, m)
    return out


def _matadd(a: Matrix, b: Matrix, sign: int) -> Matrix:
    """a + b (sign 1) or a - b (sign -1), entry by entry; the shapes must agree."""
    if len(a.rows) != len(b.rows) or len(a.rows[0]) != len(b.rows[0]):
        raise ParseError("matrix shapes do not agree")
    return Matrix(tuple(
        tuple(X.add(x, y if sign > 0 else X.neg(y)) for x, y in zip(ra, rb, strict=True))
        for ra, rb in zip(a.rows, b.rows, strict=True)
    ))


def _det(rows: tuple[tuple[E, ...], ...]) -> E:
    """The determinant of a square matrix of at most 4 x 4 entries (Laplace expansion)."""
    n = len(rows)
    if any(len(r) != n for r in rows) or n > 4:
        raise ParseError("a determinant needs a square matrix of at most 4 x 4 entries")
    if n == 1:
        return rows[0][0]
    terms = []
    for j in range(n):
        minor = tuple(tuple(c for k, c in enumerate(r) if k != j) for r in rows[1:])
        t = X.mul(rows[0][j], _det(minor))
        terms.append(t if j % 2 == 0 else X.neg(t))
    return X.add(*terms)


def _names_only(x: object) -> bool:
    """A side that only names something (`x`, `f(x)`, `AB`): no number in it."""
    if not isinstance(x, E):
        return True
    stack = [x]
    while stack:
        n = stack.pop()
        if n.op in ("num", "basenum") or (n.op == "const" and n.args[0] == "pi"):
            return False
        stack.extend(a for a in n.args if isinstance(a, E))
    return True


def _assignment_period(items: list[Answer]) -> int:
    """k when `items` are assignments `name = value` whose names repeat with period k > 1
    (`p=5, q=2, p=7, q=2`: k = 2), else 0."""
    names = []
    for a in items:
        if not (isinstance(a, Rel) and a.ops == ("=",) and isinstance(a.sides[0], Scalar) and a.sides[0].expr.op == "sym"):
            return 0
        names.append(a.sides[0].expr.args[0])
    k = names.index(names[0], 1) if names[0] in names[1:] else 0
    if k < 2 or len(names) % k or len(set(names[:k])) != k:
        return 0
    return k if all(names[i] == names[i % k] for i in range(len(names))) else 0


def _is_int_literal(a: Answer) -> bool:
    return isinstance(a, Scalar) and a.expr.op == "num" and a.expr.meta == "int_literal"


def _letters_only(e: object) -> bool:
    """`x` or `x*y`: what `x y z` has built so far (`2^n n!` is a product)."""
    return isinstance(e, E) and (e.op == "sym" or (e.op == "mul" and all(a.op == "sym" for a in e.args)))


def _is_letter(tok: tuple) -> bool:
    return tok[0] == "id" and len(tok[1]) == 1


def _bracket_rows(items: list[object]) -> tuple[tuple[E, ...], ...] | None:
    """`[[1, 2], [3, 4]]`: every item a bracketed row of the same length -> matrix rows."""
    rows: list[tuple[E, ...]] = []
    for it in items:
        if isinstance(it, Interval) and it.lo_closed and it.hi_closed:
            rows.append((it.lo, it.hi))
        elif isinstance(it, Seq) and it.kind == "tuple" and not it.paren2 and all(isinstance(c, Scalar) for c in it.items):
            rows.append(tuple(c.expr for c in it.items))  # type: ignore[attr-defined]
        else:
            return None
    if len(rows) < 2 or any(len(r) != len(rows[0]) for r in rows):
        return None
    return tuple(rows)


def _as_set(a: Answer) -> Answer:
    if not isinstance(a, Interval | Seq | Union | Minus) or (isinstance(a, Seq) and a.kind not in ("set", "tuple")):
        raise ParseError("set operation on a non-set")
    return a


def _from_pm(x: object) -> bool:
    return isinstance(x, E) and X.contains(x, "pm")


def build_rel(sides: list[object], ops: list[str]) -> object:
    if "in" in ops:
        if len(ops) != 1:
            raise ParseError("chained membership")
        s = to_answer(sides[1])
        if not isinstance(s, Interval | Union | Seq) or (isinstance(s, Seq) and s.kind not in ("set", "tuple")):
            raise ParseError("membership in a non-set")
        if isinstance(s, Seq) and s.kind == "tuple":
            if not s.paren2:
                raise ParseError("membership in a tuple")
            lo, hi = s.items
            if not (isinstance(lo, Scalar) and isinstance(hi, Scalar)):
                raise ParseError("bad interval")
            return Interval(lo.expr, hi.expr, False, False)
        return s
    kinds = {"=" if o == "=" else ("ne" if o == "ne" else ("lt" if o in ("<", "le") else "gt")) for o in ops}
    if len(kinds) != 1:
        raise ParseError("mixed relation chain")
    if "ne" in kinds and len(ops) != 1:
        raise ParseError("chained !=")
    answers = [to_answer(s) for s in sides]
    # a = b \pm c: one side may expand to alternatives -> alternatives of relations.
    alts = [i for i, a in enumerate(answers) if isinstance(a, Seq) and a.kind == "or" and _from_pm(sides[i])]
    if alts:
        if len(alts) > 1:
            raise ParseError("several ± in one relation")
        i = alts[0]
        out = []
        for alt in answers[i].items:  # type: ignore[attr-defined]
            s2 = list(answers)
            s2[i] = alt
            out.append(Rel(tuple(s2), tuple(ops)))
        return Seq("or", tuple(out))
    return Rel(tuple(answers), tuple(ops))


def to_answer(x: object) -> Answer:
    if isinstance(x, Answer):
        return x
    if isinstance(x, E):
        if X.contains(x, "pm"):
            variants = X.expand_pm(x)
            if variants is None:
                raise TooLarge("too many ± signs")
            if len(variants) == 1:
                return Scalar(variants[0])
            return Seq("or", tuple(Scalar(v) for v in variants))
        return Scalar(x)
    raise ParseError("not an answer")
