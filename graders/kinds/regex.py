"""`regex`: 1 when the pattern matches the input (search or fullmatch), with a time bound.

Patterns come from configs and the text from a policy, so matching uses the
`regex` module's per-call timeout: a catastrophic pattern on a hostile input is
an error for that row (kind `regex_timeout`), not a hung training step.
The `regex` engine checks its clock periodically, not continuously: measured
here, `(a|aa)+$` on 40 characters with `timeout: 0.1` stops after ~0.24 s, so
treat the bound as "a small multiple of `timeout`". It needs no signals, so it
holds in threads, asyncio loops and worker processes alike.
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

        def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
            out = np.zeros(len(inputs))
            errors: dict[int, tuple[str, str]] = {}
            for i, text in enumerate(inputs):
                try:
                    out[i] = match(text, timeout=timeout) is not None
                except TimeoutError:
                    errors[i] = ("regex_timeout", f"pattern took longer than {timeout}s on this input")
            return LeafBatch(out, errors=errors)

        return score
