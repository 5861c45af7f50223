"""`python`: a user function `grade(sample, item) -> float`, run in the sandbox (OpenAI's contract).

```yaml
grader:
  type: python
  source: |
    def grade(sample, item):
        return float(sample["output_text"].strip() == item["answer"])
  timeout: 10       # seconds per call (OpenAI: 120)
  memory_mb: 1024   # (OpenAI: 2048)
```

`sample` is the row's sample as a dict (`output_text`, plus `output_json`,
`output_tools`, ... when the caller passed them) and `item` the dataset row,
both as plain JSON data. The source is validated at load time without running
it (size <= 256 kB, syntax, a top-level `def grade` with two arguments); each
row's call runs in its own sandbox (`graders.sandbox`), with the grader's
site-packages visible read-only. An exception, a non-number (bool included),
NaN/inf or a time/memory overrun is the row error `python_grader_runtime_error`
with its message (never a silent 0); `on_error` decides the row's value.
Identical (sample, item) rows in a batch are graded once.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import Field, field_validator

from graders._types import ERROR, SCORED
from graders.nodes import NodeConfig
from graders.plan import NodeOut, PlanNode
from graders.registry import grader_kind
from graders.templates import OUTPUT_JSON_KEY

if TYPE_CHECKING:
    from graders.plan import BatchContext, Compiler


@grader_kind
class PythonConfig(NodeConfig):
    """A user-written `grade(sample, item) -> float`, run in the sandbox.

    Args:
        source: Python source defining `grade(sample, item)` (at most 256 kB).
        timeout: seconds per call (wall and CPU; default 120, OpenAI's limit).
        memory_mb: address space per process (default 2048, OpenAI's limit).
        image_tag: accepted for OpenAI compatibility; the sandbox uses this
            environment's packages whatever the tag.
    """

    type: Literal["python"]
    source: str = Field(..., description="Python source defining grade(sample, item) -> float.")
    timeout: float = Field(120.0, gt=0, le=600, description="Seconds per grade() call.")
    memory_mb: int = Field(2048, ge=64, le=65536, description="Memory per process (address space).")
    image_tag: str | None = Field(None, description="OpenAI's image tag (accepted, not used).")

    @field_validator("source")
    @classmethod
    def _source_ok(cls, v: str) -> str:
        from graders.sandbox.python_grade import SourceInvalid, check_source

        try:
            check_source(v)
        except SourceInvalid as exc:
            raise ValueError(str(exc)) from None
        return v

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return PythonNode(self, path)


def _plain_sample(sample: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sample.items() if k != OUTPUT_JSON_KEY}


class PythonNode(PlanNode):
    """Grades distinct (sample, item) rows in parallel sandboxes."""

    kind = "python"

    def __init__(self, config: PythonConfig, path: str) -> None:
        super().__init__(config, path)
        self.cfg = config

    def describe(self) -> str:
        first = self.cfg.source.strip().splitlines()[0] if self.cfg.source.strip() else ""
        return (f"python grade(sample, item) [{len(self.cfg.source)} chars: {first[:40]!r}...] "
                f"timeout={self.cfg.timeout:g}s memory={self.cfg.memory_mb}MB sandboxed dedupe")

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        from graders.sandbox.python_grade import run_grades

        m = len(rows)
        values = np.zeros(m)
        status = np.zeros(m, dtype=np.int8)
        row_list = rows.tolist()
        keys: dict[str, int] = {}
        todo: list[tuple[Any, Any]] = []
        which: list[int] = []
        for r in row_list:
            sample = _plain_sample(ctx.sample(r))
            item = ctx.items[r]
            key = json.dumps([sample, item], sort_keys=True, default=str)
            idx = keys.get(key)
            if idx is None:
                idx = keys[key] = len(todo)
                todo.append((sample, item))
            which.append(idx)
        outcomes = run_grades(self.cfg.source, todo, timeout=self.cfg.timeout, memory_mb=self.cfg.memory_mb)
        ctx.count("python_calls", len(todo))
        for j, r in enumerate(row_list):
            o = outcomes[which[j]]
            if o.value is not None:
                values[j] = o.value
                status[j] = SCORED
            else:
                values[j] = self.fail_value(ctx, r, o.error_kind or "python_grader_runtime_error", o.message)
                status[j] = ERROR
        if ctx.trace is not None and m:
            o = outcomes[which[0]]
            node = ctx.trace.setdefault(self.path, {})
            node["note"] = (f"grade() returned {o.value!r}" if o.value is not None
                            else f"{o.error_kind}: {o.message}")
        return NodeOut(values, status)
