"""`string_check`: OpenAI's string grader (eq, ne, like, ilike), byte-for-byte semantics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import field_validator

from graders._types import LeafBatch, LeafScorer
from graders.nodes import LeafConfig
from graders.registry import grader_kind

_OPS = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "like": lambda a, b: b in a,
    "ilike": lambda a, b: b.lower() in a.lower(),
}


@grader_kind
class StringCheckConfig(LeafConfig):
    """1 when `operation` holds between input and reference, else 0.

    Args:
        operation: eq (case-sensitive equal), ne (not equal), like (reference
            contained in input, case-sensitive), ilike (contained, case-insensitive).

    Example:
        ```yaml
        type: string_check
        input: "{{ sample.output_text }}"
        reference: "{{ item.label }}"
        operation: eq
        ```
    """

    type: Literal["string_check"]
    operation: Literal["eq", "ne", "like", "ilike"]

    @field_validator("operation", mode="before")
    @classmethod
    def _hint(cls, v: object) -> object:
        if v == "neq":
            raise ValueError("operation 'neq' is spelled 'ne' (OpenAI's schema uses 'ne')")
        return v

    def make_scorer(self) -> LeafScorer:
        op = _OPS[self.operation]

        def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
            return LeafBatch(np.fromiter((op(a, b or "") for a, b in zip(inputs, refs, strict=True)),
                                         dtype=np.float64, count=len(inputs)))

        return score
