"""Safe parsing and equivalence checking of math answers (LaTeX and plain text).

    from graders.mathparse import equivalent, parse
    equivalent(r"\\sqrt{12}", r"2\\sqrt3")          # Verdict(equal=True, reason=..., error=None)
    parse(r"x \\in [1, 2)")                        # Interval(lo=1, hi=2, lo_closed=True, ...)

Module map:

- `limits`   size limits (text length, nesting depth, value size) and the
             internal ParseError / TooLarge exceptions;
- `lexer`    normalisation (Unicode, wrappers such as `$..$` and `\\boxed{}`,
             units, currency, `\\over`, thin-space thousands) and the tokenizer
             (prose words are text, never products of letters);
- `expr`     scalar expression nodes with bottom-up size guards (a magnitude
             bound, so `((9^9)^9999)^9999` is refused before any arithmetic);
- `qualifier` trailing qualifiers dropped from an answer (`2^n \\text{ for all } n`,
             `2k\\pi,\\ k \\in \\mathbb{Z}`);
- `parser`   the Pratt parser producing typed answers (`answer`);
- `parse`    `parse(text)`: choice letters, plain numbers, text, then math;
- `exact`    exact arithmetic in Q(pi, e, i, square roots) without sympy;
- `numeric`  mpmath evaluation and the numeric verdict;
- `units`    physical units after a value (length, mass, time, volume, speed,
             area) and their exact conversion factors;
- `compare`  the equivalence rules (`Comparator`, `Options`);
- `symbolic` the sympy bridge (worker processes only);
- `check`    batch checking: caches, in-process fast path, the worker pool.

Safety: no text is ever given to `eval`, `exec`, `sympify`, `parse_expr` or
`lambdify`. The parser builds our own nodes; sympy objects are made from them
with constructors, in worker processes, only after the size guards passed.
Importing this package does not import sympy or mpmath.
"""

from __future__ import annotations

from .answer import Answer, Choice, Interval, Matrix, ParseFailure, Rel, Scalar, Seq, Text, Union
from .check import MathChecker, Verdict
from .compare import Options
from .limits import LIMITS, Limits
from .parse import parse

__all__ = [
    "LIMITS",
    "Answer",
    "Choice",
    "Interval",
    "Limits",
    "MathChecker",
    "Matrix",
    "Options",
    "ParseFailure",
    "Rel",
    "Scalar",
    "Seq",
    "Text",
    "Union",
    "Verdict",
    "equivalent",
    "parse",
]


def equivalent(answer: str, reference: str, options: Options | None = None, *, timeout_s: float = 5.0) -> Verdict:
    """Whether `answer` is equivalent to `reference`, with a hard time limit on the sympy part."""
    return MathChecker(options, timeout_s).check([(answer, reference)])[0]
