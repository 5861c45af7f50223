"""Small shared types: row statuses, per-row errors, and what a leaf scorer returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

# Row / node status codes (int8 arrays in results).
SCORED = 0  # the node produced a score
NOT_APPLICABLE = 1  # no answer to grade (extraction found nothing, no first_of child applied)
ERROR = 2  # something failed; the value follows the failing node's on_error policy
NOT_RUN = 3  # the node was skipped for this row (a gate failed, a product was already 0)

STATUS_NAMES = {SCORED: "scored", NOT_APPLICABLE: "not_applicable", ERROR: "error", NOT_RUN: "not_run"}


@dataclass(frozen=True, slots=True)
class RowError:
    """A structured per-row error: what kind, which node (tree path), and what happened."""

    kind: str
    grader: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "grader": self.grader, "message": self.message}


@dataclass(slots=True)
class LeafBatch:
    """What a leaf scorer returns for N (input, reference) pairs.

    `errors[i] = (kind, message)` marks item i as an error; `not_applicable` holds
    items with nothing to grade; `notes[i]` is free text shown by `explain`
    (e.g. how a number was parsed).
    """

    scores: np.ndarray
    errors: dict[int, tuple[str, str]] = field(default_factory=dict)
    not_applicable: set[int] = field(default_factory=set)
    notes: dict[int, str] = field(default_factory=dict)

    @classmethod
    def from_scores(cls, scores: Sequence[float]) -> LeafBatch:
        return cls(np.asarray(scores, dtype=np.float64))


class LeafScorer(Protocol):
    """Batch in, array out: score N (input, reference) pairs at once.

    Inputs are already rendered and extracted; `refs[i]` is None when the
    grader has no reference. Called with deduplicated pairs only.
    """

    def __call__(self, inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch: ...
