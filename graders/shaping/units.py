"""Counting units of a completion (chars, words, tokens) and n-gram repetition.

Chosen for speed on a batch of long completions: `len()` for characters,
`str.split()` (any run of whitespace) for words, `len(ids)` for token ids;
n-grams are tuples in a set. Nothing is re-done per row that can be done once.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import Any, Literal

import numpy as np

Unit = Literal["chars", "words", "tokens"]


def count(texts: Sequence[str], unit: Unit) -> np.ndarray:
    """Length of each text in chars or words (tokens are counted by the caller from ids)."""
    if unit == "chars":
        return np.fromiter(map(len, texts), dtype=np.float64, count=len(texts))
    if unit == "words":
        return np.fromiter(map(len, map(str.split, texts)), dtype=np.float64, count=len(texts))
    raise ValueError(f"count() takes chars or words, not {unit!r}")


def repetition(seq: Sequence[Any], n: int) -> float:
    """1 - distinct n-grams / all n-grams of `seq`; 0 when it has fewer than n units."""
    total = len(seq) - n + 1
    if total < 1:
        return 0.0
    if n == 1:
        distinct = len(set(seq))
    elif type(seq) is str:
        distinct = len({seq[i:i + n] for i in range(total)})
    else:  # islice: no copies of the sequence; zip stops at the shortest
        distinct = len(set(zip(seq, *(islice(seq, i, None) for i in range(1, n)), strict=False)))
    return 1.0 - distinct / total
