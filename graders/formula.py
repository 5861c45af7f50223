"""The formula language of the `formula` and `multi` combinators.

A formula combines the scores of named child graders, for example
``0.1 * format + 0.9 * format * correct``. It is compatible with the
``calculate_output`` field of OpenAI's multi grader and adds comparisons and
``clip``. The text is parsed once, at load time, by a small tokenizer and a
Pratt parser into an immutable AST. Evaluation walks that AST over numpy
float64 arrays, one value per batch row. Python's ``eval``/``compile`` never
sees the text. A formula's author is trusted less than Python code, and a
parser that only knows numbers, names, operators and nine functions cannot be
tricked into running anything else.

Decisions, and the reasons for them:

* **Grammar.** Numbers (``2``, ``0.5``, ``.5``, ``1e-3``), names
  (``[A-Za-z_][A-Za-z0-9_]*``, ASCII only, so Unicode lookalikes such as
  ``−`` or NFKC-folded identifiers are refused and never normalised),
  parentheses, ``+ - * /``, ``^`` (power; ``**`` is a synonym), unary ``-``
  and ``+``, comparisons, and calls of the allowed functions. There are no
  strings, attributes, indexing or keywords.
* **Precedence**, from loosest to tightest: comparisons, ``+ -``, ``* /``,
  unary signs, ``^``. Power binds tighter than unary minus, as in mathematics
  and in Python: ``-2^2`` is -4. Power is right-associative (``2^3^2`` is
  2^9), and its exponent may carry a sign (``2^-1`` is 0.5).
* **Comparisons** ``< <= > >= == !=`` give 1.0 or 0.0, so that
  ``correct * (length < 500)`` works as a gate. They bind loosest, and
  chaining (``a < b < c``) is refused: Python reads it as ``a < b and b < c``
  and C reads it as ``(a < b) < c``, so either reading would surprise
  someone. Parenthesise to mean the second.
* **Functions.** ``min`` and ``max`` take one or more arguments, so
  ``min(a, b, c)`` needs no nesting. ``log`` is the natural logarithm, as in
  OpenAI's grader and in numpy; ``log(x, base)`` takes an explicit base.
  ``abs floor ceil exp sqrt`` take one argument, and ``clip(x, lo, hi)`` is
  ``min(max(x, lo), hi)``. Calling anything else is an error that lists the
  allowed functions.
* **Domain errors are per row.** Division by zero, ``sqrt`` of a negative,
  ``log`` of a number <= 0, and any overflow, infinity or NaN that the
  formula itself produces do not raise. The row is flagged in the ``bad``
  mask that `Formula.evaluate` returns and gets the value 0.0, and the
  engine turns the flag into a per-row error record. This follows the
  engine's rule of no silent zeros: the 0.0 is only a placeholder, and the
  error is what counts. One bad row never spoils the others. Any domain
  error anywhere in a row's evaluation flags that row, even under ``min`` or
  ``* 0``, because there is no short-circuit to hide it behind.
  Division by a literal ``0`` can never succeed, so it is refused at load
  time, and so is ``clip`` with literal bounds in the wrong order.
* **NaN inputs mean "skipped".** A child that did not apply (``on_error:
  skip``) hands in NaN. That NaN propagates through every operation,
  including comparisons, ``min``/``max`` and ``x^0``, so the result is NaN
  too, and it is *not* flagged as an error. An infinite input is flagged,
  because a reward of infinity is never meaningful.
* **Power** works on float64 only, with no integer bignums and no constant
  folding, so ``9^9^9^9`` costs one ``pow`` per row and overflows to a
  flagged row instead of eating memory.
* **Bounds.** A formula is at most 4096 characters long and nests at most 64
  levels deep (each parenthesis, function call, unary sign and power
  exponent counts as one level). This keeps hostile configs bounded and
  keeps the evaluator well inside Python's recursion limit. Long flat sums
  such as ``a + b + c + ...`` are stored as one n-ary node, so they do not
  count as nesting.

``Formula.evaluate_scalar`` is a pure-Python reference evaluator with the
same semantics. The property tests check the vectorised evaluator against it.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

import numpy as np

from graders.errors import FormulaError

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "Formula",
    "compile_formula",
]

MAX_LENGTH = 4096
MAX_DEPTH = 64

# name -> (minimum arguments, maximum arguments or None for variadic)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "ceil": (1, 1),
    "clip": (3, 3),
    "exp": (1, 1),
    "floor": (1, 1),
    "log": (1, 2),
    "max": (1, None),
    "min": (1, None),
    "sqrt": (1, 1),
}

_CMP, _ADD, _MUL, _UNARY, _POW = 10, 20, 30, 40, 50
_INFIX_BP = {
    "<": _CMP, "<=": _CMP, ">": _CMP, ">=": _CMP, "==": _CMP, "!=": _CMP,
    "+": _ADD, "-": _ADD,
    "*": _MUL, "/": _MUL,
    "^": _POW, "**": _POW,
}

# Characters people paste from documents, with what they meant.
_LOOKALIKES = {
    "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u00d7": "*", "\u22c5": "*",
    "\u00b7": "*", "\u00f7": "/", "\u2264": "<=", "\u2265": ">=", "\u2260": "!=",
    "\u2018": "(no strings)", "\u2019": "(no strings)", "\u201c": "(no strings)",
    "\u201d": "(no strings)",
}


# --------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Number:
    value: float
    text: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Name:
    id: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Unary:
    op: str  # "-" or "+"
    operand: Node
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Chain:
    """A left-associative run of operators of one level: head op1 x1 op2 x2 ...

    ``rest`` holds ("+" | "-", node) pairs or ("*" | "/", node) pairs. It is
    evaluated as a left fold, exactly like nested binary nodes, but a long flat
    sum stays one level deep.
    """

    head: Node
    rest: tuple[tuple[str, Node], ...]


@dataclass(frozen=True)
class Power:
    base: Node
    exponent: Node


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Node, ...]
    pos: int = field(default=0, compare=False)


Node = Number | Name | Unary | Chain | Power | Compare | Call


# --------------------------------------------------------------------- errors


def _excerpt(expression: str, position: int | None) -> str:
    """The line of the formula around `position`, with a caret under it."""
    if position is None:
        shown = repr(expression if len(expression) <= 80 else expression[:77] + "...")
        return "  " + _printable(shown)
    line_start = expression.rfind("\n", 0, position) + 1
    line_end = expression.find("\n", position)
    if line_end == -1:
        line_end = len(expression)
    line = expression[line_start:line_end]
    col = position - line_start
    if len(line) > 100:
        lo = max(0, col - 40)
        hi = min(len(line), lo + 80)
        prefix = "..." if lo > 0 else ""
        suffix = "..." if hi < len(line) else ""
        line = prefix + line[lo:hi] + suffix
        col = col - lo + len(prefix)
    return f"  {_printable(line)}\n  {' ' * col}^"


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)


def _error(expression: str, position: int | None, message: str) -> FormulaError:
    if position is None:
        where = "formula error"
    elif "\n" in expression:
        line = expression.count("\n", 0, position) + 1
        column = position - (expression.rfind("\n", 0, position) + 1) + 1
        where = f"formula error at line {line}, column {column}"
    else:
        where = f"formula error at position {position}"
    text = f"{where}: {message}\n{_excerpt(expression, position)}"
    return FormulaError(text, expression, position)


def _listing(items: Collection[str], limit: int = 20) -> str:
    ordered = sorted(items)
    if not ordered:
        return "(none)"
    shown = ", ".join(ordered[:limit])
    if len(ordered) > limit:
        shown += f", ... and {len(ordered) - limit} more"
    return shown


def _suggest(word: str, candidates: Collection[str]) -> str | None:
    by_case = [c for c in candidates if c.lower() == word.lower()]
    if by_case:
        return by_case[0]
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


# ------------------------------------------------------------------- tokenizer


@dataclass(frozen=True)
class _Token:
    kind: str  # "num" "name" "op" "(" ")" "," "end" "error"
    text: str
    pos: int
    value: float = 0.0


_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | _DIGITS
_WHITESPACE = frozenset(" \t\r\n")


def _scan_number(src: str, i: int) -> int:
    """End of the number literal that starts at i (ASCII digits only)."""
    n = len(src)
    j = i
    while j < n and src[j] in _DIGITS:
        j += 1
    if j < n and src[j] == ".":
        j += 1
        while j < n and src[j] in _DIGITS:
            j += 1
    if j < n and src[j] in "eE":
        k = j + 1
        if k < n and src[k] in "+-":
            k += 1
        if k < n and src[k] in _DIGITS:
            while k < n and src[k] in _DIGITS:
                k += 1
            j = k
    return j


def _tokenize(src: str) -> list[_Token]:
    """Split `src` into tokens.

    A problem becomes an "error" token instead of an exception, so that the
    parser reports problems in source order: ``__import__('os')`` is an
    unknown function before it is a string.
    """
    tokens: list[_Token] = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c in _WHITESPACE:
            i += 1
            continue
        if c in _DIGITS or (c == "." and i + 1 < n and src[i + 1] in _DIGITS):
            j = _scan_number(src, i)
            if j < n and (src[j] in _NAME_CHARS or src[j] == "."):
                k = j
                while k < n and (src[k] in _NAME_CHARS or src[k] == "."):
                    k += 1
                bad = src[i:k]
                hint = ""
                head, tail = src[i:j], src[j:k]
                if tail[:1] in "eE" and all(ch in "+-0123456789" for ch in tail[1:]):
                    hint = " (an exponent needs digits, as in 1e-3)"
                elif tail[:1] in _NAME_START and all(ch in _NAME_CHARS for ch in tail):
                    hint = f" (to multiply, write '{head} * {tail}')"
                tokens.append(_Token("error", f"invalid number {bad!r}{hint}", i))
                break
            text = src[i:j]
            value = float(text)
            if not math.isfinite(value):
                tokens.append(_Token("error", f"number {text!r} is too large for float64", i))
                break
            tokens.append(_Token("num", text, i, value))
            i = j
            continue
        if c in _NAME_START:
            j = i + 1
            while j < n and src[j] in _NAME_CHARS:
                j += 1
            tokens.append(_Token("name", src[i:j], i))
            i = j
            continue
        two = src[i : i + 2]
        if two in ("**", "<=", ">=", "==", "!="):
            tokens.append(_Token("op", two, i))
            i += 2
            continue
        if c in "+-*/^<>":
            tokens.append(_Token("op", c, i))
            i += 1
            continue
        if c in "(),":
            tokens.append(_Token(c, c, i))
            i += 1
            continue
        tokens.append(_Token("error", _bad_char_message(src, i, tokens), i))
        break
    tokens.append(_Token("end", "", n))
    return tokens


def _bad_char_message(src: str, i: int, tokens: list[_Token]) -> str:
    c = src[i]
    if c in "'\"`":
        return "strings are not allowed in formulas (a formula combines numbers, grader names and functions)"
    if c == ".":
        if tokens and tokens[-1].kind in ("name", ")"):
            return "attribute access ('.') is not allowed in formulas"
        return "unexpected '.'"
    if c == "=":
        return "'=' is not an operator (use '==' to compare)"
    if c == "!":
        return "unexpected '!' (use '!=' for 'not equal')"
    if c in "[]":
        return "indexing and lists ('[', ']') are not allowed in formulas"
    if c in "&|~" or c == "%":
        return f"operator {c!r} is not supported (allowed: + - * / ^ ** < <= > >= == !=)"
    if not c.isascii():
        hint = _LOOKALIKES.get(c)
        extra = f"; did you mean {hint!r}?" if hint and not hint.startswith("(") else ""
        return f"unexpected character {c!r} (U+{ord(c):04X}); formulas are plain ASCII{extra}"
    return f"unexpected character {c!r}"


# ---------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, src: str, names: frozenset[str] | None) -> None:
        self.src = src
        self.tokens = _tokenize(src)
        self.i = 0
        self.depth = -1  # the top-level expression is depth 0
        self.allowed = names
        self.used: set[str] = set()

    # token access --------------------------------------------------------
    def peek(self) -> _Token:
        tok = self.tokens[self.i]
        if tok.kind == "error":
            raise self.fail(tok.pos, tok.text)
        return tok

    def advance(self) -> _Token:
        tok = self.peek()
        self.i += 1
        return tok

    def fail(self, pos: int | None, message: str) -> FormulaError:
        return _error(self.src, pos, message)

    # grammar -------------------------------------------------------------
    def parse(self) -> Node:
        node = self.expression(0)
        tok = self.peek()
        if tok.kind != "end":
            raise self.unexpected_after_operand(tok)
        return node

    def expression(self, min_bp: int) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(
                self.tokens[self.i].pos,
                f"the formula nests deeper than {MAX_DEPTH} levels "
                "(parentheses, calls, signs and powers each count as one level)",
            )
        left = self.prefix()
        while True:
            tok = self.peek()
            if tok.kind != "op":
                break
            lbp = _INFIX_BP[tok.text]
            if lbp <= min_bp:
                break
            if lbp == _POW:
                self.advance()
                # right-associative, and the exponent may carry a sign: 2^-1
                left = Power(left, self.expression(_POW - 1))
            elif lbp == _CMP:
                self.advance()
                right = self.expression(_CMP)
                left = Compare(tok.text, left, right)
                nxt = self.peek()
                if nxt.kind == "op" and _INFIX_BP[nxt.text] == _CMP:
                    raise self.fail(
                        nxt.pos,
                        "chained comparisons such as 'a < b < c' are not supported; "
                        "multiply two comparisons for 'and', as in '(a < b) * (b < c)', "
                        "or parenthesise to compare the 1/0 result",
                    )
            else:
                rest: list[tuple[str, Node]] = []
                while tok.kind == "op" and _INFIX_BP[tok.text] == lbp:
                    self.advance()
                    operand = self.expression(lbp)
                    if tok.text == "/" and _is_zero_literal(operand):
                        raise self.fail(
                            tok.pos, "division by the constant 0 fails for every row"
                        )
                    rest.append((tok.text, operand))
                    tok = self.peek()
                left = Chain(left, tuple(rest))
        self.depth -= 1
        return left

    def prefix(self) -> Node:
        tok = self.peek()
        if tok.kind == "num":
            self.advance()
            return Number(tok.value, tok.text, tok.pos)
        if tok.kind == "name":
            self.advance()
            if self.peek().kind == "(":
                return self.call(tok)
            return self.name(tok)
        if tok.kind == "(":
            self.advance()
            inner = self.expression(0)
            close = self.peek()
            if close.kind != ")":
                if close.kind == "end":
                    raise self.fail(tok.pos, "this '(' is never closed (missing ')')")
                raise self.unexpected_after_operand(close)
            self.advance()
            return inner
        if tok.kind == "op" and tok.text in ("-", "+"):
            self.advance()
            return Unary(tok.text, self.expression(_UNARY), tok.pos)
        if tok.kind == "end":
            if not self.src.strip():
                raise self.fail(None, "the formula is empty")
            raise self.fail(tok.pos, "the formula ends where a number, name or '(' was expected")
        if tok.kind == ")":
            prev = self.tokens[self.i - 1] if self.i else None
            if prev is not None and prev.kind == "(":
                raise self.fail(tok.pos, "empty parentheses")
            if self.depth == 0 and not any(t.kind == "(" for t in self.tokens[: self.i]):
                raise self.fail(tok.pos, "unmatched ')'")
            raise self.fail(tok.pos, "expected a number, name or '(' before ')'")
        raise self.fail(tok.pos, f"expected a number, name or '(' but found {tok.text!r}")

    def name(self, tok: _Token) -> Name:
        ident = tok.text
        if self.allowed is not None and ident not in self.allowed:
            if ident in FUNCTIONS:
                msg = f"{ident!r} is a function; call it as {ident}(...)."
            else:
                msg = f"unknown name {ident!r}"
                suggestion = _suggest(ident, self.allowed)
                if suggestion is not None:
                    msg += f"; did you mean {suggestion!r}?"
                else:
                    msg += "."
            msg += f" Available names: {_listing(self.allowed)}."
            raise self.fail(tok.pos, msg)
        self.used.add(ident)
        return Name(ident, tok.pos)

    def call(self, tok: _Token) -> Call:
        func = tok.text
        if func not in FUNCTIONS:
            if self.allowed is not None and func in self.allowed:
                msg = f"{func!r} is a grader name, not a function."
            else:
                msg = f"unknown function {func!r}"
                suggestion = _suggest(func, FUNCTIONS)
                if func in ("pow", "power"):
                    msg += "; write 'x ^ y' for powers."
                elif suggestion is not None:
                    msg += f"; did you mean {suggestion!r}?"
                else:
                    msg += "."
            msg += f" Allowed functions: {_listing(FUNCTIONS)}."
            raise self.fail(tok.pos, msg)
        self.advance()  # "("
        args: list[Node] = []
        if self.peek().kind == ")":
            self.advance()
        else:
            while True:
                args.append(self.expression(0))
                nxt = self.peek()
                if nxt.kind == ",":
                    self.advance()
                    continue
                if nxt.kind == ")":
                    self.advance()
                    break
                if nxt.kind == "end":
                    raise self.fail(tok.pos, f"the call {func}( is never closed (missing ')')")
                raise self.fail(
                    nxt.pos, f"expected ',' or ')' in the arguments of {func}(), found {nxt.text!r}"
                )
        lo, hi = FUNCTIONS[func]
        if len(args) < lo or (hi is not None and len(args) > hi):
            if hi is None:
                want = f"at least {lo} argument" + ("s" if lo != 1 else "")
            elif lo == hi:
                want = f"exactly {lo} argument" + ("s" if lo != 1 else "")
            else:
                want = f"{lo} to {hi} arguments"
            raise self.fail(tok.pos, f"{func}() takes {want}, got {len(args)}")
        if func == "clip":
            lo_v, hi_v = _const_value(args[1]), _const_value(args[2])
            if lo_v is not None and hi_v is not None and lo_v > hi_v:
                raise self.fail(tok.pos, f"clip() lower bound {lo_v:g} is above the upper bound {hi_v:g}")
        return Call(func, tuple(args), tok.pos)

    def unexpected_after_operand(self, tok: _Token) -> FormulaError:
        if tok.kind == ")":
            return self.fail(tok.pos, "unmatched ')'")
        if tok.kind == ",":
            return self.fail(tok.pos, "unexpected ',' outside a function call")
        if tok.kind in ("num", "name", "("):
            return self.fail(
                tok.pos,
                f"expected an operator before {tok.text!r} "
                "(implicit multiplication is not supported; write '*')",
            )
        return self.fail(tok.pos, f"unexpected {tok.text!r}")


def _const_value(node: Node) -> float | None:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Unary) and isinstance(node.operand, Number):
        return -node.operand.value if node.op == "-" else node.operand.value
    return None


def _is_zero_literal(node: Node) -> bool:
    return _const_value(node) == 0.0


# ---------------------------------------------------------------------- explain


def _explain(node: Node) -> str:
    if isinstance(node, Number):
        return node.text
    if isinstance(node, Name):
        return node.id
    if isinstance(node, Unary):
        return f"({node.op}{_explain(node.operand)})"
    if isinstance(node, Chain):
        tail = "".join(f" {op} {_explain(x)})" for op, x in node.rest)
        return "(" * len(node.rest) + _explain(node.head) + tail
    if isinstance(node, Power):
        return f"({_explain(node.base)} ^ {_explain(node.exponent)})"
    if isinstance(node, Compare):
        return f"({_explain(node.left)} {node.op} {_explain(node.right)})"
    if isinstance(node, Call):
        return f"{node.func}({', '.join(_explain(a) for a in node.args)})"
    raise TypeError(f"not a formula node: {node!r}")  # pragma: no cover


# ------------------------------------------------------------ vector evaluator
#
# Every node evaluates to (values, bad). Invariant: values are finite or NaN,
# and rows flagged bad hold NaN. A NaN that reaches an operation from an
# operand yields NaN without a new flag (skipped input, or an already-flagged
# row); a NaN or infinity that an operation makes from non-NaN operands is a
# new domain error.

_Vec = tuple[np.ndarray, np.ndarray]

_VEC_BINARY: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.divide,
    "^": np.power,
    "<": lambda a, b: np.less(a, b).astype(np.float64),
    "<=": lambda a, b: np.less_equal(a, b).astype(np.float64),
    ">": lambda a, b: np.greater(a, b).astype(np.float64),
    ">=": lambda a, b: np.greater_equal(a, b).astype(np.float64),
    "==": lambda a, b: np.equal(a, b).astype(np.float64),
    "!=": lambda a, b: np.not_equal(a, b).astype(np.float64),
}


def _vec_log(x: np.ndarray, base: np.ndarray | None = None) -> np.ndarray:
    if base is None:
        return np.log(x)
    # log(x) / log(0) is a finite -0.0, so the domain is checked explicitly
    out = np.log(x) / np.log(base)
    return np.where((x > 0) & (base > 0), out, np.nan)


_VEC_FUNCS: dict[str, Callable[..., np.ndarray]] = {
    "abs": np.abs,
    "ceil": np.ceil,
    "clip": lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi),
    "exp": np.exp,
    "floor": np.floor,
    "log": _vec_log,
    "max": lambda *xs: functools.reduce(np.maximum, xs),
    "min": lambda *xs: functools.reduce(np.minimum, xs),
    "sqrt": np.sqrt,
}


def _finish(out: np.ndarray, operands: list[np.ndarray], bad: np.ndarray) -> _Vec:
    nan_in = np.isnan(operands[0])
    for other in operands[1:]:
        nan_in = nan_in | np.isnan(other)
    new_bad = ~np.isfinite(out) & ~nan_in
    reset = nan_in | new_bad
    if reset.any():
        out = np.where(reset, np.nan, out)
    return out, bad | new_bad


def _vec(node: Node, env: Mapping[str, np.ndarray], n: int) -> _Vec:
    if isinstance(node, Number):
        # a 0-d constant broadcasts for free; `evaluate` widens the result
        return np.float64(node.value), np.bool_(False)
    if isinstance(node, Name):
        values = env[node.id]
        bad = np.isinf(values)
        if bad.any():
            values = np.where(bad, np.nan, values)
        return values, bad
    if isinstance(node, Unary):
        values, bad = _vec(node.operand, env, n)
        return (np.negative(values) if node.op == "-" else values), bad
    if isinstance(node, Chain):
        acc, bad = _vec(node.head, env, n)
        for op, operand in node.rest:
            rhs, rbad = _vec(operand, env, n)
            acc, bad = _finish(_VEC_BINARY[op](acc, rhs), [acc, rhs], bad | rbad)
        return acc, bad
    if isinstance(node, Power):
        base, bbad = _vec(node.base, env, n)
        expo, ebad = _vec(node.exponent, env, n)
        return _finish(np.power(base, expo), [base, expo], bbad | ebad)
    if isinstance(node, Compare):
        left, lbad = _vec(node.left, env, n)
        right, rbad = _vec(node.right, env, n)
        return _finish(_VEC_BINARY[node.op](left, right), [left, right], lbad | rbad)
    if isinstance(node, Call):
        args = [_vec(a, env, n) for a in node.args]
        values = [v for v, _ in args]
        bad = functools.reduce(np.logical_or, [b for _, b in args])
        return _finish(_VEC_FUNCS[node.func](*values), values, bad)
    raise TypeError(f"not a formula node: {node!r}")  # pragma: no cover


def _is_ring(node: Node) -> bool:
    """Only names, numbers, unary signs and + - *: through these an infinite or NaN
    value never turns finite again, so a finite result means nothing was flagged."""
    if isinstance(node, Number | Name):
        return True
    if isinstance(node, Unary):
        return _is_ring(node.operand)
    if isinstance(node, Chain):
        return _is_ring(node.head) and all(op in ("+", "-", "*") and _is_ring(x) for op, x in node.rest)
    return False


def _raw(node: Node, env: Mapping[str, np.ndarray]) -> np.ndarray:
    """_vec's arithmetic for a ring formula (see _is_ring), without its checks."""
    if isinstance(node, Number):
        return np.float64(node.value)  # type: ignore[return-value]
    if isinstance(node, Name):
        return env[node.id]
    if isinstance(node, Unary):
        v = _raw(node.operand, env)
        return np.negative(v) if node.op == "-" else v
    acc = _raw(node.head, env)  # a Chain
    for op, operand in node.rest:
        acc = _VEC_BINARY[op](acc, _raw(operand, env))
    return acc


# ------------------------------------------------------------ scalar evaluator


class _DomainError(Exception):
    pass


def _scalar_op(fn: Callable[..., float], *args: float) -> float:
    if any(math.isnan(a) for a in args):
        return math.nan
    try:
        result = fn(*args)
    except (ArithmeticError, ValueError):
        raise _DomainError from None
    if not math.isfinite(result):
        raise _DomainError
    return float(result)


def _scalar_log(x: float, base: float | None = None) -> float:
    if base is None:
        return math.log(x)
    return math.log(x) / math.log(base)


_SCALAR_BINARY: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "^": math.pow,
    "<": lambda a, b: 1.0 if a < b else 0.0,
    "<=": lambda a, b: 1.0 if a <= b else 0.0,
    ">": lambda a, b: 1.0 if a > b else 0.0,
    ">=": lambda a, b: 1.0 if a >= b else 0.0,
    "==": lambda a, b: 1.0 if a == b else 0.0,
    "!=": lambda a, b: 1.0 if a != b else 0.0,
}

_SCALAR_FUNCS: dict[str, Callable[..., float]] = {
    "abs": abs,
    "ceil": lambda x: float(math.ceil(x)),
    "clip": lambda x, lo, hi: min(max(x, lo), hi),
    "exp": math.exp,
    "floor": lambda x: float(math.floor(x)),
    "log": _scalar_log,
    "max": lambda *xs: max(xs),
    "min": lambda *xs: min(xs),
    "sqrt": math.sqrt,
}


def _scalar(node: Node, env: Mapping[str, float]) -> float:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Name):
        value = float(env[node.id])
        if math.isinf(value):
            raise _DomainError
        return value
    if isinstance(node, Unary):
        value = _scalar(node.operand, env)
        return -value if node.op == "-" else value
    if isinstance(node, Chain):
        acc = _scalar(node.head, env)
        for op, operand in node.rest:
            acc = _scalar_op(_SCALAR_BINARY[op], acc, _scalar(operand, env))
        return acc
    if isinstance(node, Power):
        base = _scalar(node.base, env)
        return _scalar_op(math.pow, base, _scalar(node.exponent, env))
    if isinstance(node, Compare):
        left = _scalar(node.left, env)
        return _scalar_op(_SCALAR_BINARY[node.op], left, _scalar(node.right, env))
    if isinstance(node, Call):
        args = [_scalar(a, env) for a in node.args]
        return _scalar_op(_SCALAR_FUNCS[node.func], *args)
    raise TypeError(f"not a formula node: {node!r}")  # pragma: no cover


# ------------------------------------------------------------------- public API


@dataclass(frozen=True)
class Formula:
    """A parsed formula. Build it with `compile_formula`; evaluate it many times."""

    expression: str
    names: frozenset[str]
    root: Node = field(repr=False, compare=False)
    # Only names, numbers, signs and + - * (see _is_ring): evaluated unchecked first.
    ring: bool = field(default=False, repr=False, compare=False)

    def __str__(self) -> str:
        return self.expression

    def evaluate(
        self, env: Mapping[str, np.ndarray], *, size: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Evaluate over a batch and return ``(values, bad)``.

        `env` maps each name the formula uses to a 1-D array with one value
        per row (scalars broadcast). `values` is float64; `bad[i]` is True
        where row i met a domain error, and such rows hold 0.0. NaN inputs
        propagate to NaN outputs without being flagged. The row count comes
        from `size`, else from the arrays, else it is 1.
        """
        arrays: dict[str, np.ndarray] = {}
        n = size
        for name in sorted(self.names):
            if name not in env:
                raise KeyError(
                    f"formula {self.expression!r} uses {name!r}, but no values were given for it"
                )
            arr = np.asarray(env[name], dtype=np.float64)
            if arr.ndim > 1:
                raise ValueError(f"values for {name!r} must be 1-D, got shape {arr.shape}")
            if arr.ndim == 1:
                if n is None:
                    n = arr.shape[0]
                elif arr.shape[0] != n:
                    raise ValueError(
                        f"values for {name!r} have {arr.shape[0]} rows, expected {n}"
                    )
            arrays[name] = arr
        if n is None:
            n = next((len(v) for v in env.values() if np.ndim(v) == 1), 1)
        for name, arr in arrays.items():
            if arr.ndim == 0:
                arrays[name] = np.broadcast_to(arr, (n,))
        with np.errstate(all="ignore"):
            if self.ring:
                # The same operations in the same order, without the per-operation checks:
                # when the result is finite, so was every input and intermediate value
                # (+ - * carry inf and NaN through), and the checked walk gives this.
                raw = np.broadcast_to(_raw(self.root, arrays), (n,))
                if np.isfinite(raw).all():
                    return raw.astype(np.float64, copy=True), np.zeros(n, dtype=bool)
            values, bad = _vec(self.root, arrays, n)
            bad = np.broadcast_to(bad, (n,)).copy()
            values = np.where(bad, 0.0, np.broadcast_to(values, (n,)))
        return values.astype(np.float64, copy=False), bad

    def evaluate_scalar(self, env: Mapping[str, float]) -> float | None:
        """Reference evaluator for one row, in pure Python: None on a domain error."""
        try:
            return _scalar(self.root, env)
        except _DomainError:
            return None

    def explain(self) -> str:
        """The parsed formula, fully parenthesised: shows how it was read."""
        return _explain(self.root)


def compile_formula(expression: str, names: Collection[str] | None = None) -> Formula:
    """Parse `expression` once.

    With `names`, every identifier must be one of them (unknown names raise
    FormulaError with a suggestion). With ``names=None``, any identifier is
    accepted; use this when the children are not known yet.
    """
    if not isinstance(expression, str):
        raise FormulaError(
            f"formula error: a formula must be a string, got {type(expression).__name__}",
            "",
            None,
        )
    if len(expression) > MAX_LENGTH:
        raise _error(
            expression,
            None,
            f"the formula is {len(expression)} characters long; the limit is {MAX_LENGTH}",
        )
    if isinstance(names, str):
        raise TypeError("names must be a collection of names, not one string")
    allowed = None if names is None else frozenset(str(n) for n in names)
    parser = _Parser(expression, allowed)
    root = parser.parse()
    return Formula(expression, frozenset(parser.used), root, _is_ring(root))
