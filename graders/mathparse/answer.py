"""The typed answer AST: what a parsed answer *is* (a value, an equation, a set...).

Every class is immutable and hashable by structure. Scalars wrap an `E`
expression (graders.mathparse.expr). The comparison rules live in
graders.mathparse.compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .expr import E, to_text


class Answer:
    """Base class of parsed answers."""

    __slots__ = ()

    def describe(self) -> str:  # pragma: no cover - overridden
        return repr(self)


@dataclass(frozen=True, slots=True)
class Scalar(Answer):
    """A single value: a number or an expression."""

    expr: E

    def describe(self) -> str:
        return to_text(self.expr)


@dataclass(frozen=True, slots=True)
class Seq(Answer):
    """A collection. kind: `list` (bare comma list, unordered), `or` (alternatives,
    unordered), `set` (`\\{..\\}`, unordered, duplicates ignored), `tuple` (ordered;
    `(a, b)` is also an open interval, see `paren2`)."""

    kind: str
    items: tuple[Answer, ...]
    paren2: bool = False  # written `(a, b)`: a pair or an open interval
    alt: E | None = field(default=None, compare=False)  # `1,22`: also the decimal-comma number 1.22

    def describe(self) -> str:
        inner = ", ".join(i.describe() for i in self.items)
        if self.kind == "set":
            return "{" + inner + "}"
        if self.kind == "tuple":
            return "(" + inner + ")"
        if self.kind == "or":
            return " or ".join(i.describe() for i in self.items)
        return inner


@dataclass(frozen=True, slots=True)
class Interval(Answer):
    lo: E
    hi: E
    lo_closed: bool
    hi_closed: bool

    def describe(self) -> str:
        return (
            ("[" if self.lo_closed else "(") + to_text(self.lo) + ", " + to_text(self.hi)
            + ("]" if self.hi_closed else ")")
        )


@dataclass(frozen=True, slots=True)
class Union(Answer):
    parts: tuple[Answer, ...]

    def describe(self) -> str:
        return " U ".join(p.describe() for p in self.parts)


@dataclass(frozen=True, slots=True)
class Minus(Answer):
    """A set difference `A \\setminus B` (B: points or intervals)."""

    base: Answer
    removed: Answer

    def describe(self) -> str:
        return f"{self.base.describe()} \\ {self.removed.describe()}"


@dataclass(frozen=True, slots=True)
class Matrix(Answer):
    rows: tuple[tuple[E, ...], ...]

    def describe(self) -> str:
        return "[" + "; ".join(", ".join(to_text(c) for c in r) for r in self.rows) + "]"


@dataclass(frozen=True, slots=True)
class Rel(Answer):
    """A relation chain: sides[0] ops[0] sides[1] ops[1] ... ; ops in = < > le ge ne.

    Sides are answers (usually Scalars; tuples for `(x, y) = (1, 2)`).
    """

    sides: tuple[Answer, ...]
    ops: tuple[str, ...]
    bound: bool = field(default=False, compare=False)  # the condition of `\{x \mid ...\}`: x is a dummy

    def describe(self) -> str:
        sym = {"=": "=", "<": "<", ">": ">", "le": "<=", "ge": ">=", "ne": "!="}
        out = self.sides[0].describe()
        for op, s in zip(self.ops, self.sides[1:], strict=True):
            out += f" {sym.get(op, op)} {s.describe()}"
        return out


@dataclass(frozen=True, slots=True)
class Where(Answer):
    """`\\lfloor \\varphi n \\rfloor, where \\varphi = \\frac{1+\\sqrt5}{2}`: an answer written with
    names it then defines. `body` as written, `value` with the definitions substituted; it
    equals what either form equals."""

    body: Answer
    value: Answer

    def describe(self) -> str:
        return f"{self.body.describe()} (= {self.value.describe()})"


@dataclass(frozen=True, slots=True)
class Choice(Answer):
    """A multiple-choice letter, upper case."""

    letter: str

    def describe(self) -> str:
        return f"choice {self.letter}"


@dataclass(frozen=True, slots=True)
class Text(Answer):
    """A text answer, normalised (case-folded, single spaces, no outer punctuation)."""

    text: str
    raw: str = field(default="", compare=False)  # as written (case kept), for short words

    def describe(self) -> str:
        return f"text {self.text!r}"


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """The text could not be parsed. kind: parse_error | too_large."""

    kind: str
    reason: str

    def describe(self) -> str:
        return f"{self.kind}: {self.reason}"
