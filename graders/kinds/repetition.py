"""`repetition`: sequence-level n-gram repetition penalty (Yeo et al., arXiv 2502.03373, App. C.2).

score = (1 - distinct n-grams / all n-grams) x `max_penalty` (max_penalty <= 0),
0 when the text has fewer than `ngram` units. A text that never repeats an
n-gram scores 0; one n-gram repeated forever approaches `max_penalty`.

Words are the lowercased text split on whitespace, as in the paper's own code
(eddycmu/demystify-long-cot, `text.lower().split()`) and open-r1, so "The
answer" and "the answer" are the same n-gram; chars and token ids compare
exactly. Defaults follow TRL and open-r1: `ngram: 3`, `max_penalty: -1`; units
default to words (open-r1; TRL counts token ids: `unit: tokens`). The paper's
own runs used a dense per-token variant (n = 40, -0.05 per repeated token),
which a sequence-level reward cannot express.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, FiniteFloat

from graders._types import SCORED
from graders.plan import BatchContext, Compiler, NodeOut, PlanNode
from graders.registry import grader_kind
from graders.shaping.base import MeasureConfig, MeasureNode
from graders.shaping.units import Unit, repetition


@grader_kind
class RepetitionConfig(MeasureConfig):
    """A penalty in [max_penalty, 0] for repeated n-grams.

    Args:
        ngram: n-gram size (default 3).
        max_penalty: the penalty when every n-gram is a repeat (<= 0, default -1).
        unit: words (default: the lowercased text split on whitespace), chars or tokens.
    """

    type: Literal["repetition"]
    unit: Unit = Field("words", description="What an n-gram is made of: words (default; lowercased, split on "
                       "whitespace, as open-r1 and the paper's code), chars or tokens.")
    ngram: int = Field(3, ge=1, description="n-gram size.")
    max_penalty: FiniteFloat = Field(-1.0, le=0, description="Penalty when all n-grams repeat (<= 0).")

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _RepetitionNode(self, path, compiler)


class _RepetitionNode(MeasureNode):
    def __init__(self, config: RepetitionConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path, compiler)
        self.n = config.ngram
        self.max_penalty = config.max_penalty

    def describe(self) -> str:
        return f"repetition ngram={self.n} max_penalty={self.max_penalty:g} {self.describe_unit()}"

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        n = self.n
        if self.unit == "tokens":
            seqs, errors = self.sequences(ctx, rows)
            fractions = []
            for j, seq in enumerate(seqs):
                try:
                    fractions.append(repetition(seq, n))
                except TypeError:  # ids that cannot be compared (nested lists): this row only
                    fractions.append(0.0)
                    errors[j] = ("bad_completion_ids", "sample.completion_ids must be a flat list of token ids")
        else:
            texts, errors = self.texts(ctx, rows)
            # Each distinct text once (repeated completions in a group are common). Words are
            # lowercased first, as the paper's code and open-r1 do ("The" and "the" repeat).
            if self.unit == "words":
                by_text = {t: repetition(t.lower().split(), n) for t in dict.fromkeys(texts)}
            else:
                by_text = {t: repetition(t, n) for t in dict.fromkeys(texts)}
            fractions = list(map(by_text.__getitem__, texts))
        values = np.asarray(fractions, dtype=np.float64) * self.max_penalty
        values[values == 0.0] = 0.0  # no -0.0 in results
        status = np.full(len(rows), SCORED, dtype=np.int8)
        self.apply_errors(ctx, rows, values, status, errors)
        return NodeOut(values, status)
