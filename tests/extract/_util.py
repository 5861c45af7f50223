"""Helpers shared by the extractor tests."""

from __future__ import annotations

import time
from contextlib import contextmanager

from graders.extract import compile_extractor


def run(spec, text: str) -> tuple[str, ...]:
    return compile_extractor(spec)(text)


@contextmanager
def within(seconds: float):
    """Assert the block finishes within `seconds` of wall time."""
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.3f}s (bound {seconds}s)"
