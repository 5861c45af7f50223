"""OpenAI's python grader contract, run in the sandbox: `grade(sample, item) -> float`.

`run_grade(source, sample, item)` is the one-row entry point (the OpenAI
import maps `type: python` graders onto the `python` kind, which calls
`run_grades` for a batch). The source is checked here with `ast.parse`
(parsing, never executing): size under `MAX_SOURCE_BYTES`, no syntax error,
a top-level `def grade` taking two arguments. It runs only inside the sandbox,
with the grader's site-packages visible read-only (OpenAI's image has numpy,
sympy, rapidfuzz, ...; here whatever the grader's environment has).

A raised exception, a non-number (bool, str, None, ...), a non-finite value, a
time or memory overrun: each is a `python_grader_runtime_error` carrying the
message, never a silent 0.
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .core import Limits

__all__ = ["MAX_SOURCE_BYTES", "GradeOutcome", "check_source", "run_grade", "run_grades"]

#: OpenAI's limit on a python grader's source.
MAX_SOURCE_BYTES = 256 * 1024
#: OpenAI's limits: 2 minutes, 2 GB.
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MEMORY_MB = 2048
#: Largest file a grader may write (OpenAI allows 1 GB of disk; the sandbox's /tmp is in memory).
FSIZE_MB = 256
#: Largest sample + item JSON handed to one grade() call.
MAX_ROW_BYTES = 32 << 20


@dataclass(frozen=True)
class GradeOutcome:
    """One grade() call: `value`, or `error_kind` + `message` (value is None)."""

    value: float | None
    error_kind: str | None = None
    message: str = ""


class SourceInvalid(ValueError):
    """The grader source is unusable; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def check_source(source: str) -> None:
    """Validate a grader source without running it. Raises SourceInvalid."""
    size = len(source.encode("utf-8", "surrogatepass"))
    if size > MAX_SOURCE_BYTES:
        raise SourceInvalid(f"source is {size} bytes; the limit is {MAX_SOURCE_BYTES} (256 kB)")
    try:
        tree = ast.parse(source, filename="<grader>")
    except SyntaxError as exc:
        raise SourceInvalid(f"syntax error: {exc.msg} (source line {exc.lineno})", exc.lineno) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SourceInvalid(f"source does not parse: {exc}") from None
    fn = next((st for st in tree.body if isinstance(st, ast.FunctionDef) and st.name == "grade"), None)
    if fn is None:
        raise SourceInvalid("source must define a top-level function grade(sample, item)")
    a = fn.args
    positional = len(a.posonlyargs) + len(a.args)
    required = positional - len(a.defaults)
    if a.vararg is None and positional < 2 or required > 2:
        raise SourceInvalid(f"grade must take exactly two arguments (sample, item) (source line {fn.lineno})",
                            fn.lineno)


#: Rows per sandbox: the source is imported once per sandbox, then each row runs in a fork.
ROWS_PER_SANDBOX = 64


def _row(sample: Any, item: Any) -> list[str]:
    return [json.dumps(sample, ensure_ascii=False, default=str), json.dumps(item, ensure_ascii=False, default=str)]


def _outcome(res: dict[str, Any]) -> GradeOutcome:
    if "value" in res and isinstance(res["value"], (int, float)):
        v = float(res["value"])
        if not math.isfinite(v):
            return GradeOutcome(None, "python_grader_runtime_error", f"grade() returned {v}, not a finite number")
        return GradeOutcome(v)
    err = res.get("error") or {}
    kind = err.get("kind", "runtime_error")
    msg = str(err.get("message", "grade() returned nothing"))
    if kind not in ("runtime_error", "non_number"):
        msg = f"{kind}: {msg}"
    return GradeOutcome(None, "python_grader_runtime_error", msg)


def _job_outcomes(res: dict[str, Any], n: int) -> list[GradeOutcome]:
    if res.get("sandbox_error"):
        kind = res.get("kind", "sandbox_refused")
        if kind == "sandbox_refused":
            return [GradeOutcome(None, "sandbox_refused", str(res["sandbox_error"]))] * n
        return [GradeOutcome(None, "python_grader_runtime_error", f"{kind}: {res['sandbox_error']}")] * n
    if res.get("compile"):
        return [GradeOutcome(None, "python_grader_runtime_error", str(res["compile"].get("message", "")))] * n
    rows = res.get("rows") or []
    return [_outcome(rows[k]) if k < len(rows) and isinstance(rows[k], dict)
            else GradeOutcome(None, "python_grader_runtime_error", "no result") for k in range(n)]


def run_grades(source: str, rows: Sequence[tuple[Any, Any]], *, timeout: float = DEFAULT_TIMEOUT_S,
               memory_mb: int = DEFAULT_MEMORY_MB, pool: Any = None) -> list[GradeOutcome]:
    """Run `grade(sample, item)` for every (sample, item) row, in sandboxes.

    Rows are split over the pool's workers (at most `ROWS_PER_SANDBOX` per
    sandbox). Inside a sandbox the source is imported once by a zygote process;
    each row runs in a fresh fork of it, and between two rows every other
    process is killed and /tmp is emptied, so a row sees neither the files nor
    the processes of another. The zygote is non-dumpable (no ptrace from rows).
    """
    from .pool import shared_sandbox_pool

    check_source(source)
    pool = pool or shared_sandbox_pool()
    n = len(rows)
    if n == 0:
        return []
    out: list[GradeOutcome | None] = [None] * n
    payload: list[tuple[int, list[str]]] = []
    for i, (sample, item) in enumerate(rows):
        row = _row(sample, item)
        if len(row[0]) + len(row[1]) > MAX_ROW_BYTES:
            out[i] = GradeOutcome(None, "python_grader_runtime_error", "sample + item exceed 32 MB")
        else:
            payload.append((i, row))
    k = max(1, min(len(payload), max(pool.workers, -(-len(payload) // ROWS_PER_SANDBOX))))
    chunks = [payload[j::k] for j in range(k)]
    jobs = []
    for chunk in chunks:
        lim = Limits(wall_s=timeout, cpu_s=timeout, total_s=timeout * len(chunk) + 10.0, memory_mb=memory_mb,
                     nproc=64, fsize_mb=FSIZE_MB)
        jobs.append(({"mode": "grade", "program": source, "filename": "grader.py",
                      "rows": [r for _, r in chunk]}, lim))
    results = pool.map(jobs, site_packages=True) if payload else []
    for chunk, res in zip(chunks, results, strict=True):
        for (i, _), o in zip(chunk, _job_outcomes(res, len(chunk)), strict=True):
            out[i] = o
    return [o if o is not None else GradeOutcome(None, "python_grader_runtime_error", "no result") for o in out]


def run_grade(source: str, sample: Any, item: Any, *, timeout: float = DEFAULT_TIMEOUT_S,
              memory_mb: int = DEFAULT_MEMORY_MB) -> GradeOutcome:
    """One grade() call in the sandbox (for the OpenAI run endpoint and tests)."""
    return run_grades(source, [(sample, item)], timeout=timeout, memory_mb=memory_mb)[0]
