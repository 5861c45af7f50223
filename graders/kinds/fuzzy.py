"""`fuzzy`: rapidfuzz similarity, computed pairwise over the batch in C (`cpdist`).

Bounded by length, since rapidfuzz cannot be interrupted: `ratio` on two
200 KB texts is fast, but `partial_ratio` grows with the square of the shorter
text (measured: 1,000 vs 1,000 chars 0.27 s, 2,000 0.99 s, 5,000 21.7 s,
196 KB over 150 s). So an input longer than `max_chars`, or, for the
`partial_*` scorers and `WRatio` (which uses partial matching), a pair whose
shorter side exceeds `partial_max_chars`, is a `too_long` error for that row
(never a silent truncation).
"""

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


DEFAULT_MAX_CHARS = 20_000
DEFAULT_PARTIAL_MAX_CHARS = 1_000
# Scorers whose cost grows with the square of the shorter input.
PARTIAL_SCORERS = frozenset({"partial_ratio", "partial_token_sort_ratio", "partial_token_set_ratio",
                             "partial_token_ratio", "WRatio"})


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
        max_chars: longest input or reference compared (characters); longer is
            a `too_long` error for that row.
        partial_max_chars: for partial scorers and WRatio, the longest the
            shorter of the two may be.

    Two inputs that the processor reduces to nothing (e.g. "+" and "-") are
    compared as written instead: rapidfuzz would call them identical. An empty
    answer is "not applicable" (no answer), never a match.
    """

    type: Literal["fuzzy"]
    scorer: Scorer = "ratio"
    threshold: float | None = Field(None, ge=0, le=1)
    processor: Literal["default", "none"] = "default"
    max_chars: int = Field(DEFAULT_MAX_CHARS, ge=1, le=1_000_000)
    partial_max_chars: int = Field(DEFAULT_PARTIAL_MAX_CHARS, ge=1, le=100_000)

    def make_scorer(self) -> LeafScorer:
        from rapidfuzz import process, utils

        fn, top = resolve_scorer(self.scorer)
        proc = utils.default_process if self.processor == "default" else None
        threshold = self.threshold
        max_chars = self.max_chars
        short_max = self.partial_max_chars if self.scorer in PARTIAL_SCORERS else max_chars

        def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
            refs_s = [r or "" for r in refs]
            errors: dict[int, tuple[str, str]] = {}
            if not inputs:
                return score_ok(inputs, refs_s)
            long_a, long_b = max(map(len, inputs)), max(map(len, refs_s))
            if long_a <= max_chars and long_b <= max_chars and min(long_a, long_b) <= short_max:
                return score_ok(inputs, refs_s)  # no row can be over a bound: skip the per-row check
            for i, (x, r) in enumerate(zip(inputs, refs_s, strict=True)):
                if len(x) > max_chars or len(r) > max_chars:
                    errors[i] = ("too_long", f"fuzzy compares at most {max_chars} characters per side "
                                             f"(max_chars); got {len(x)} and {len(r)}")
                elif min(len(x), len(r)) > short_max:
                    errors[i] = ("too_long", f"{self.scorer} compares a shorter side of at most {short_max} "
                                             f"characters (partial_max_chars); got {min(len(x), len(r))}")
            if errors:
                keep = [i for i in range(len(inputs)) if i not in errors]
                sub = score_ok([inputs[i] for i in keep], [refs_s[i] for i in keep])
                out = np.zeros(len(inputs))
                out[keep] = sub.scores
                return LeafBatch(out, not_applicable={keep[k] for k in sub.not_applicable}, errors=errors)
            return score_ok(inputs, refs_s)

        def score_ok(inputs: Sequence[str], refs_s: list[str]) -> LeafBatch:
            n = len(inputs)
            if n == 0:
                return LeafBatch(np.zeros(0))
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
