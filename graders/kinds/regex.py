"""`regex`: 1 when the pattern matches the input (search or fullmatch), with a time bound.

Patterns come from configs and the text from a policy, so a backtracking
blow-up must cost one row, not a training step. Two engines:

- the `regex` module with its per-call `timeout`, for any input. It checks its
  clock periodically, not continuously (measured here: `(a|aa)+$` on 40
  characters with `timeout: 0.1` stops after ~0.24 s), and it needs no signals,
  so the bound holds in threads, asyncio loops and worker processes. A timeout
  is an error for that row (kind `regex_timeout`). The price: ~4x slower than
  `re`, ~12x with the timeout armed.
- Python's `re`, unbounded but fast, used only when both hold: the pattern has
  no exponential construct (no quantifier over a group that itself repeats or
  branches, no backreference), and the input is at most `RE_INLINE_MAX_CHARS`.
  The remaining risk is polynomial backtracking on that short input: the worst
  case we could build for the format pattern of the examples (cubic, unanchored
  `<think>.*</think>\\s*<answer>.*</answer>` on 18 k adversarial chars: 2.8 s)
  scales to ~30 ms at 4,096 chars.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import regex
from pydantic import Field, field_validator

from graders._types import LeafBatch, LeafScorer
from graders.nodes import LeafConfig
from graders.registry import grader_kind

DEFAULT_TIMEOUT_S = 1.0
# Inputs up to this length may use Python's `re` when the pattern has no exponential construct.
RE_INLINE_MAX_CHARS = 4096


def exponential_risk(pattern: str, flags: int = 0) -> bool:
    """True when `re` could backtrack exponentially on this pattern (or `re` cannot parse it)."""
    import re

    try:
        parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
    except (re.error, AttributeError, RecursionError):
        return True
    c = re._constants  # type: ignore[attr-defined]
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)}

    def has_branch(items) -> bool:  # noqa: ANN001
        for op, av in items:
            if op is c.BRANCH:
                return True
            if op is c.SUBPATTERN and has_branch(av[-1]):
                return True
            if op in repeats and has_branch(av[2]):
                return True
        return False

    def walk(items, inside_repeat: bool) -> bool:  # noqa: ANN001
        for op, av in items:
            if op in (c.GROUPREF, c.GROUPREF_EXISTS):
                return True
            if op in repeats:
                lo, hi, body = av
                if inside_repeat and hi > 1:
                    return True  # a repeat inside a repeat: (a+)+, (\w+\s?)*
                unbounded = hi == c.MAXREPEAT or hi > 16
                if unbounded and has_branch(body):
                    return True  # a repeated alternation: (a|aa)+
                if walk(body, inside_repeat or unbounded):
                    return True
            elif op is c.SUBPATTERN:
                if walk(av[-1], inside_repeat):
                    return True
            elif op is c.BRANCH:
                for branch in av[1]:
                    if walk(branch, inside_repeat):
                        return True
            elif op in (c.ASSERT, c.ASSERT_NOT):
                if walk(av[1], False):  # a lookaround is matched on its own at each position
                    return True
            elif op is getattr(c, "ATOMIC_GROUP", None):
                if walk(av, inside_repeat):
                    return True
        return False

    return walk(parsed, False)


def _re_flags(cfg: RegexConfig) -> int:
    import re

    return (re.IGNORECASE if cfg.ignore_case else 0) | (re.MULTILINE if cfg.multiline else 0) | (re.DOTALL if cfg.dotall else 0)


@grader_kind
class RegexConfig(LeafConfig):
    """1 when `pattern` matches the input, else 0.

    Args:
        pattern: a regular expression (Python/`regex` syntax).
        mode: search (anywhere) or fullmatch (the whole input).
        ignore_case, multiline, dotall: flags.
        timeout: seconds allowed per input.

    Example:
        ```yaml
        type: regex
        pattern: "(?s)<think>.*</think>\\\\s*<answer>.*</answer>"
        ```
    """

    type: Literal["regex"]
    pattern: str
    mode: Literal["search", "fullmatch"] = "search"
    ignore_case: bool = False
    multiline: bool = False
    dotall: bool = False
    timeout: float = Field(DEFAULT_TIMEOUT_S, gt=0, le=60)

    requires_reference = False

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            regex.compile(v)
        except regex.error as exc:
            raise ValueError(f"pattern {v!r} does not compile: {exc}") from None
        return v

    def make_scorer(self) -> LeafScorer:
        flags = regex.V0
        if self.ignore_case:
            flags |= regex.IGNORECASE
        if self.multiline:
            flags |= regex.MULTILINE
        if self.dotall:
            flags |= regex.DOTALL
        compiled = regex.compile(self.pattern, flags)
        match = compiled.search if self.mode == "search" else compiled.fullmatch
        timeout = self.timeout
        fast = None
        if not exponential_risk(self.pattern, _re_flags(self)):
            import re

            fast_re = re.compile(self.pattern, _re_flags(self))
            fast = fast_re.search if self.mode == "search" else fast_re.fullmatch

        def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
            errors: dict[int, tuple[str, str]] = {}
            if fast is not None:
                out = np.fromiter((fast(t) is not None if len(t) <= RE_INLINE_MAX_CHARS else -1.0 for t in inputs),
                                  dtype=np.float64, count=len(inputs))
                slow = np.flatnonzero(out < 0).tolist()
            else:
                out = np.zeros(len(inputs))
                slow = range(len(inputs))
            for i in slow:
                try:
                    out[i] = match(inputs[i], timeout=timeout) is not None
                except TimeoutError:
                    out[i] = 0.0
                    errors[i] = ("regex_timeout", f"pattern took longer than {timeout}s on this input")
            return LeafBatch(out, errors=errors)

        return score
