"""The worker-process side of the `regex` kind's bounded engine (kept import-light: `regex` only)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import regex


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str, flags: int, mode: str) -> Callable[..., Any]:
    c = regex.compile(pattern, flags)
    return c.search if mode == "search" else c.fullmatch


def match_bounded(item: tuple[str, int, str, float, str]) -> int:
    """1/0 for a match, -1 when the `regex` engine's own timeout fired."""
    pattern, flags, mode, timeout, text = item
    try:
        return int(_compiled(pattern, flags, mode)(text, timeout=timeout) is not None)
    except TimeoutError:
        return -1
