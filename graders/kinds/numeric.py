"""`numeric`: the answer as a number, compared to the reference with tolerance.

Parsing (every common format: separators, currency, percent, scientific,
fractions, LaTeX, unicode digits, written-out numbers) is `graders.numbers`;
this module adds tolerance and the optional partial-credit curve. Units follow
the math kind's rules (graders.numbers.unit_factor): converted when both sides
carry one, never across dimensions, the number as written against a bare side. The final
answer is found by the extraction layer: `extract: auto` by default (policy
`last`; see graders.extract.auto), `extract: none` reads the whole input.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from graders._types import LeafBatch, LeafScorer
from graders.extract import ExtractSpec
from graders.nodes import LeafConfig
from graders.registry import grader_kind


class Tolerance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    abs: float = Field(0.0, ge=0, description="Absolute tolerance.")
    rel: float = Field(1e-9, ge=0, description="Relative tolerance (of the larger magnitude).")


class PartialCredit(BaseModel):
    """Continuous score for estimation tasks: 1 within tolerance, falling linearly to 0 at `max_rel_error`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    max_rel_error: float = Field(..., gt=0, description="Relative error at which the score reaches 0.")


@grader_kind
class NumericConfig(LeafConfig):
    """1 when the answer equals the reference within tolerance, else 0 (or partial credit).

    Args:
        tolerance: `{abs: 0, rel: 1e-9}` by default.
        percent: how `50%` compares: `either` (as 50 or as 0.5, the default),
            `value` (50% is 0.5), `strip` (50% is 50).
        partial_credit: `{max_rel_error: 0.5}` for a score that decays with relative error.

    Example:
        ```yaml
        type: numeric
        reference: "{{ item.answer }}"
        extract: boxed
        tolerance: {abs: 0.01}
        ```
    """

    type: Literal["numeric"]
    extract: ExtractSpec | None = Field(
        "auto",
        description="How the final answer is found in the input. Default `auto` (boxed, <answer>, "
        "answer statements, bold, the final sentence, a bare answer; policy `last`); "
        "`none` compares the whole input.",
    )
    tolerance: Tolerance = Field(default_factory=Tolerance)
    percent: Literal["either", "value", "strip"] = "either"
    partial_credit: PartialCredit | None = None

    def make_scorer(self) -> LeafScorer:
        from graders.numbers import (
            candidate_values,
            numbers_close,
            parse_quantity,
            relative_error,
            unit_factor,
        )

        abs_tol, rel_tol = self.tolerance.abs, self.tolerance.rel
        percent = self.percent
        partial = self.partial_credit
        # Plain ASCII integer answers (the usual GRPO answer) skip the parser: see _integer_close.
        integers = partial is None and abs_tol >= 0 and rel_tol >= 0

        def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
            out = np.zeros(len(inputs))
            errors: dict[int, tuple[str, str]] = {}
            na: set[int] = set()
            notes: dict[int, str] = {}
            ref_cache: dict[str | None, object] = {}
            targets: dict[str | None, tuple[tuple[Fraction | int, int | None, float], ...] | None] = {}
            fast = integers and _FAST_INTEGERS
            for i, (a, b) in enumerate(zip(inputs, refs, strict=True)):
                if fast and len(a) <= 18 and a.isdigit() and a.isascii():
                    ys = targets.get(b, _UNSET)
                    if ys is _UNSET:
                        if b is not None and len(b) <= 18 and b.isdigit() and b.isascii():
                            y = int(b)  # what the parser reads (numbers_close takes an int as its Fraction)
                            ys = ((y, y, float(y)),)
                        else:
                            rv = ref_cache.get(b)
                            if rv is None:
                                rv = ref_cache[b] = parse_quantity(b or "") or False
                            ys = None if rv is False else _targets(candidate_values(rv, percent))  # type: ignore[arg-type]
                        targets[b] = ys
                    if ys is not None:
                        out[i] = _integer_close(int(a), ys, abs_tol, rel_tol, numbers_close)
                        continue
                rv = ref_cache.get(b)
                if rv is None:
                    rv = ref_cache[b] = parse_quantity(b or "") or False
                if rv is False:
                    errors[i] = ("reference_parse_error", f"reference {b!r} is not a number")
                    continue
                if a == b:  # the same text as a valid number: the same value, no need to parse
                    out[i] = 1.0
                    continue
                av = parse_quantity(a)
                if av is None:
                    notes[i] = f"answer {a[:80]!r} is not a number"
                    continue  # a non-number answer is wrong (0), not an error
                factor = 1
                if av.unit and rv.unit:  # type: ignore[attr-defined]  # both carry units: convert (graders.numbers.unit_factor)
                    factor = unit_factor(av, rv)  # type: ignore[arg-type]
                    if factor is None:
                        notes[i] = f"units {av.unit!r} and {rv.unit!r} are not the same quantity"  # type: ignore[attr-defined]
                        continue
                best = 0.0
                for x in candidate_values(av, percent):
                    if factor != 1:
                        x = x * factor
                    for y in candidate_values(rv, percent):  # type: ignore[arg-type]
                        if numbers_close(x, y, abs_tol=abs_tol, rel_tol=rel_tol):
                            best = 1.0
                        elif partial is not None:
                            best = max(best, max(0.0, 1.0 - relative_error(x, y) / partial.max_rel_error))
                out[i] = best
            return LeafBatch(out, errors=errors, not_applicable=na, notes=notes)

        return score


# Tests turn the integer path off to compare it with the parser's.
_FAST_INTEGERS = True
_UNSET: object = object()


def _targets(values: tuple[Fraction, ...]) -> tuple[tuple[Fraction | int, int | None, float], ...] | None:
    """Per reference value: (value, the int when it is one, float(value)); None when a
    float is not finite (the parser's path then decides)."""
    out = []
    for y in values:
        try:
            fy = float(y)
        except OverflowError:
            return None
        if not math.isfinite(fy):
            return None
        out.append((y, y.numerator if y.denominator == 1 else None, fy))
    return tuple(out)


def _integer_close(x: int, targets: tuple[tuple[Fraction | int, int | None, float], ...], abs_tol: float,
                   rel_tol: float, numbers_close: Callable[..., bool]) -> float:
    """The score of a plain ASCII integer answer `x` (at most 18 digits).

    The parser reads such a text as exactly `x` (no percent, no unit, so no unit factor
    and a single candidate value); the score is 1 when `x` is close to a reference value
    by `numbers_close`. Equal integers are close; else `numbers_close`'s own float
    reject (float(x) is the float of Fraction(x)) is applied here with the same
    expression, and only the pairs it does not reject are decided by `numbers_close`.
    """
    fx = float(x)
    for y, yint, fy in targets:
        if x == yint:
            return 1.0
        big = max(abs(fx), abs(fy))
        if abs(fx - fy) > 1.01 * max(abs_tol, rel_tol * big) + 4e-16 * big + 1e-300:
            continue
        if numbers_close(x, y, abs_tol=abs_tol, rel_tol=rel_tol):
            return 1.0
    return 0.0
