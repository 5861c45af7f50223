"""`fuzzy`: rapidfuzz similarity, computed pairwise over the batch in C (`cpdist`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from pydantic import Field

from graders._types import LeafBatch, LeafScorer
from graders.nodes import LeafConfig
from graders.registry import grader_kind

Scorer = Literal[
    "ratio", "partial_ratio", "token_sort_ratio", "token_set_ratio", "partial_token_sort_ratio",
    "partial_token_set_ratio", "token_ratio", "partial_token_ratio", "WRatio", "QRatio",
    "levenshtein", "indel", "jaro", "jaro_winkler", "damerau_levenshtein",
]


def resolve_scorer(name: str) -> tuple[Any, float]:
    """rapidfuzz scorer and the value it gives for identical strings (100 or 1)."""
    from rapidfuzz import distance, fuzz

    if hasattr(fuzz, name):
        return getattr(fuzz, name), 100.0
    metric = {"levenshtein": distance.Levenshtein, "indel": distance.Indel, "jaro": distance.Jaro,
              "jaro_winkler": distance.JaroWinkler, "damerau_levenshtein": distance.DamerauLevenshtein}[name]
    return metric.normalized_similarity, 1.0


@grader_kind
class FuzzyConfig(LeafConfig):
    """String similarity in [0, 1]; with `threshold`, 1 at or above it and 0 below.

    Args:
        scorer: a rapidfuzz scorer: ratio, partial_ratio, token_sort_ratio,
            token_set_ratio, WRatio, QRatio, levenshtein (normalized
            similarity), jaro_winkler, ...
        threshold: absent = continuous score; else pass/fail at this similarity (0-1).
        processor: `default` lowercases and strips non-alphanumerics before
            comparing; `none` compares as written.

    Two inputs that the processor reduces to nothing (e.g. "+" and "-") are
    compared as written instead: rapidfuzz would call them identical. An empty
    answer is "not applicable" (no answer), never a match.
    """

    type: Literal["fuzzy"]
    scorer: Scorer = "ratio"
    threshold: float | None = Field(None, ge=0, le=1)
    processor: Literal["default", "none"] = "default"

    def make_scorer(self) -> LeafScorer:
        from rapidfuzz import process, utils

        fn, top = resolve_scorer(self.scorer)
        proc = utils.default_process if self.processor == "default" else None
        threshold = self.threshold

        def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
            n = len(inputs)
            refs_s = [r or "" for r in refs]
            if proc is not None:
                a = [proc(x) for x in inputs]
                b = [proc(x) for x in refs_s]
                # Where processing erased everything, compare the raw strings instead.
                for i in range(n):
                    if not a[i] or not b[i]:
                        a[i], b[i] = inputs[i].strip(), refs_s[i].strip()
            else:
                a, b = list(inputs), refs_s
            sims = process.cpdist(a, b, scorer=fn, processor=None, dtype=np.float64, workers=1) / top
            na = {i for i in range(n) if not inputs[i].strip()}
            for i in na:
                sims[i] = 0.0
            if threshold is not None:
                sims = (sims >= threshold - 1e-12).astype(np.float64)
            return LeafBatch(np.asarray(sims, dtype=np.float64), not_applicable=na)

        return score
