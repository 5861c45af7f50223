"""`math`: symbolic equivalence of LaTeX and plain-text answers.

Numbers, fractions, surds, pi and e, expressions equal after simplification,
polynomials in any order, equations (`x = 3` vs `3`, sides swapped or
rearranged), inequalities, sets and unordered lists, tuples, intervals,
unions, matrices, complex numbers, `\\pm`, multiple-choice letters and text
answers. The rules are in graders.mathparse (parser: graders.mathparse.parser;
equivalence: graders.mathparse.compare).

The reference is parsed exactly like the answer, whether the dataset gives it
raw (`2\\sqrt{3}`, `3x-y+13=0`), in `$...$` or boxed; a reference that is a whole
worked solution with a `\\boxed{}` (MATH's `solution` field) is read at its final
box. Each distinct reference is parsed once (a bounded LRU keeps them across
batches).

Finding the final answer in the input is the extraction layer's job
(graders.extract): the default `extract: auto` reads boxes, `<answer>` tags,
answer statements in many languages, `####`, bold, the final sentence or a
bare answer, with the policy `last` (a self-correction counts; a hedge in the
final statement is one multi-valued candidate, which never matches a
single-valued reference). `extract: none` compares the whole input.

How a batch is scored: every pair is first decided in-process without sympy
(normalised text, exact rational / surd arithmetic, numerics); only pairs that
need sympy go to a pool of worker processes (one per core) with a hard
per-item time limit (`timeout`, default 5 s). A timed-out pair is a `timeout`
error for its row; the worker is killed and replaced and the batch completes.

Scores and errors:

- 1.0 when equivalent, 0.0 otherwise. An answer that does not parse as math is
  compared as text and normally scores 0 (a wrong answer, not an error); a
  single answer stating several values (`3 or 4`, `x=1 or x=2`, `\\pm 3`) never
  matches a single-value reference.
- Errors (the node's `on_error` applies): `too_large` (the answer is over a
  size limit: longer than 16,384 characters, a number over ~19,700 digits,
  `10^{10^{10}}`, `9999999!`, nesting deeper than 100), `reference_too_large`,
  `timeout`, `crashed`, `memory`, `missing_reference`.

Options:

- `tolerance: {abs: 0, rel: 0}`: off by default (exact). When set, two
  constant answers within `max(abs, rel * max(|a|, |b|))` match.
- `approx_digits: 6`: a plain decimal with at least this many significant
  digits matches an exact value with a non-terminating expansion when that
  value, correctly rounded to the decimal's places, is the decimal (3.14159
  matches pi, 0.333333 matches 1/3; 3.14 and 2.6667 vs 8/3 do not), or a
  longer decimal that it correctly rounds (0.0666668 matches 0.066666793).
  0 turns the rule off.
- `percent: either | value | strip`: `50\\%` matches 50 and 1/2 / only 1/2 / only 50.
- `choices: true`: multiple-choice letters (`(B)`, `B`, `\\text{(B)}`, `option B`).
- `text: true`: text answers compared after case folding.
- `timeout: 5`: seconds per pair for the sympy part.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from graders._types import LeafBatch, LeafScorer
from graders.extract import ExtractSpec
from graders.nodes import LeafConfig
from graders.registry import grader_kind


class MathTolerance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    abs: float = Field(0.0, ge=0, description="Absolute tolerance for constant answers (0 = exact).")
    rel: float = Field(0.0, ge=0, description="Relative tolerance for constant answers (0 = exact).")


@grader_kind
class MathConfig(LeafConfig):
    """1 when the answer is mathematically equivalent to the reference, else 0.

    Example:
        ```yaml
        type: math
        input: "{{ sample.output_text }}"
        reference: "{{ item.answer }}"
        extract: boxed
        ```
    """

    type: Literal["math"]
    extract: ExtractSpec | None = Field(
        "auto",
        description="How the final answer is found in the input. Default `auto` (boxed, <answer>, "
        "answer statements, bold, the final sentence, a bare answer; policy `last`); "
        "`none` compares the whole input.",
    )
    tolerance: MathTolerance = Field(default_factory=MathTolerance)
    approx_digits: int = Field(
        6, ge=0, le=50,
        description="Significant digits a decimal needs to match a non-terminating exact value "
        "(3.14159 vs pi) or a longer decimal it correctly rounds; 0 disables the rule.",
    )
    percent: Literal["either", "value", "strip"] = Field(
        "either", description="How `50%` compares: as 50 or 1/2 (either), as 1/2 (value), as 50 (strip)."
    )
    choices: bool = Field(True, description="Compare multiple-choice letters ((B), B, \\text{(B)}).")
    text: bool = Field(True, description="Compare text answers (case-folded) when the reference is text.")
    timeout: float = Field(5.0, gt=0, le=600, description="Hard time limit per pair (seconds) for sympy work.")

    cost: ClassVar[str] = "heavy"

    def make_scorer(self) -> LeafScorer:
        return _MathScorer(self)


class _MathScorer:
    def __init__(self, cfg: MathConfig) -> None:
        from graders.mathparse.check import MathChecker
        from graders.mathparse.compare import Options

        self.checker = MathChecker(
            Options(
                rel_tol=cfg.tolerance.rel,
                abs_tol=cfg.tolerance.abs,
                approx_digits=cfg.approx_digits,
                percent=cfg.percent,
                choices=cfg.choices,
                text=cfg.text,
            ),
            timeout_s=cfg.timeout,
        )
        self.warmed = False

    def __call__(self, inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
        if not self.warmed:  # first batch: one sympy worker starts importing while the fast path runs
            self.warmed = True
            try:
                self.checker.warm()
            except Exception:  # noqa: BLE001 - workers start again on first use
                pass
        n = len(inputs)
        scores = np.zeros(n)
        errors: dict[int, tuple[str, str]] = {}
        notes: dict[int, str] = {}
        pairs: list[tuple[str, str]] = []
        where: list[int] = []
        boxed_refs: dict[str, str] = {}
        for i, (a, r) in enumerate(zip(inputs, refs, strict=True)):
            if r is None:
                errors[i] = ("missing_reference", "the math grader needs a reference")
                continue
            if "\\boxed" in r or "\\fbox" in r or r.endswith((".", "。")) or len(r) > _LONG_REF:
                got = boxed_refs.get(r)
                if got is None:
                    got = boxed_refs[r] = _reference_answer(r)
                r = got
            pairs.append((a, r))
            where.append(i)
        for i, v in zip(where, self.checker.check(pairs), strict=True):
            if v.error is not None:
                errors[i] = (v.error, v.reason)
            else:
                scores[i] = 1.0 if v.equal else 0.0
            notes[i] = v.reason
        return LeafBatch(scores, errors=errors, notes=notes)


_LONG_REF = 200
_REF_MARKER = re.compile(r"(?i)final answer|answer is|####")


@functools.cache
def _auto():  # type: ignore[no-untyped-def]
    from graders.extract import compile_extractor

    return compile_extractor("auto")


def _reference_answer(ref: str) -> str:
    """A reference that is a whole worked solution (MATH's `solution` field) is
    graded on its final box: the last statement of boxes, as for answers. A
    reference that is only a box is unwrapped by the parser either way. A one-line
    sentence ("The number is 4.") gives the value it states, as an answer's would."""
    from graders.extract.boxed import boxed
    from graders.extract.sentence import PROSE, final_sentence

    found = boxed(ref)
    if found:
        return found[-1]
    if len(ref) > _LONG_REF and _REF_MARKER.search(ref) is not None:
        # a worked solution that states its answer ("Final Answer: The final answer is $28\\%$.")
        got = _auto()(ref)
        if got:
            return got[-1]
    if PROSE.search(ref) is not None and "\n" not in ref.strip():
        # a one-line reference written as a sentence ("The number is 4.") is read as an
        # answer in a sentence is: the value it states
        return final_sentence(ref) or ref
    return ref
