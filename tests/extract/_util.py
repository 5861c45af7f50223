"""Helpers shared by the extractor tests."""

from __future__ import annotations

import time
from contextlib import contextmanager

import graders
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


def math_score(completion: str, ref: str, extract: str | None = None) -> float:
    """The score of a `math` grader (default config, or `extract`) for one completion."""
    spec: dict = {"type": "math", "input": "{{ sample.output_text }}", "reference": "{{ item.answer }}"}
    if extract is not None:
        spec["extract"] = extract
    g = graders.from_dict({"grader": spec})
    return float(g.score([completion], [{"answer": ref}]).scores[0])


def check_graded(completion: str, ref: str, want: int, source: str) -> None:
    """The default config and `extract: auto` both give `want`."""
    assert math_score(completion, ref) == want, source
    assert math_score(completion, ref, "auto") == want, source
