"""What score() returns: scores, components, per-row statuses and errors."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graders._types import ERROR, NOT_APPLICABLE, SCORED, STATUS_NAMES, RowError


@dataclass
class ScoreResult:
    """One batch's results, row-aligned with the inputs.

    Attributes:
        scores: float64, one per row (NaN where a node with `on_error: skip` failed).
        components: child path -> float64 per row (NaN where the node did not run).
        status: int8 per row: 0 scored, 1 not applicable (no answer), 2 error.
        errors: per row, the structured errors met (empty list when none).
        counters: work done (pairs scored, cache hits, rows gated, judge calls...).
        usage: LLM judge token usage and estimated cost, when judges ran.
    """

    scores: np.ndarray
    components: dict[str, np.ndarray]
    status: np.ndarray
    errors: list[list[RowError]]
    counters: dict[str, int] = field(default_factory=dict)
    usage: dict[str, Any] = field(default_factory=dict)
    elapsed_s: float = 0.0

    def __len__(self) -> int:
        return len(self.scores)

    @property
    def n_scored(self) -> int:
        return int((self.status == SCORED).sum())

    @property
    def n_not_applicable(self) -> int:
        return int((self.status == NOT_APPLICABLE).sum())

    @property
    def n_error(self) -> int:
        return int((self.status == ERROR).sum())

    def row(self, i: int) -> dict[str, Any]:
        """Row i in the DESIGN.md output shape (NaN written as null)."""
        return {
            "score": _num(self.scores[i]),
            "components": {k: _num(v[i]) for k, v in self.components.items()},
            "status": STATUS_NAMES[int(self.status[i])],
            "errors": [e.to_dict() for e in self.errors[i]],
        }

    def rows(self) -> list[dict[str, Any]]:
        return [self.row(i) for i in range(len(self))]


def _num(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x
