"""`code`: run the model's program against the item's tests in the sandbox.

```yaml
grader:
  type: code
  tests: "{{ item.test }}"              # {input, output} cases, test code, or a list of asserts
  entry_point: "{{ item.entry_point }}" # HumanEval's check(candidate); optional otherwise
  scoring: fraction                     # or: all
  timeout: 5                            # seconds per test
  memory_mb: 512
```

The program is the last ```` ```python ```` block of the completion (else the
last untagged block: `extract: fenced`), or what `extract:` says. Each row
runs in its own sandbox (`graders.sandbox`): one interpreter start per row,
every test of the row in children of it. Test forms and the output comparison
are described in `graders.sandbox.testspec`.

Per row, the score is the fraction of tests passed (`scoring: fraction`) or
1/0 (`all`). What went wrong is kept apart per test: `wrong_answer`,
`runtime_error`, `time_limit`, `memory_limit`, `output_limit`, and for the
whole program `syntax_error`: these are the program's failures, so the row is
scored (0 for those tests) and `explain` shows each test's result; the batch's
`counters` count them (`code.wrong_answer`, ...). Failures that are not the
program's (the sandbox is unavailable or refused to start: `sandbox_refused`;
the item's tests are unusable: `invalid_tests`) are row errors, handled by
`on_error`.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from graders._types import LeafBatch, LeafScorer
from graders.extract import ExtractSpec
from graders.nodes import LeafConfig
from graders.plan import LeafNode
from graders.registry import grader_kind
from graders.templates import Template

if TYPE_CHECKING:
    from graders.plan import BatchContext, Compiler, PlanNode

#: Failure kinds a test can end with (besides passing).
FAILURE_KINDS = ("wrong_answer", "runtime_error", "time_limit", "memory_limit", "output_limit", "syntax_error",
                 "skipped")

#: How each language is compiled and run inside the sandbox. Adding a language is one
#: entry here (compile argv or None, run argv, file name, fence tag), provided its
#: toolchain lives under /usr (the sandbox mounts only /usr read-only).
LANGUAGES: dict[str, dict[str, Any]] = {
    "python": {"filename": "main.py", "compile": None, "run": None, "fence": "python"},
    "cpp": {"filename": "main.cpp", "fence": "cpp",
            "compile": ["/usr/bin/g++", "-O2", "-std=c++17", "-pipe", "-o", "/tmp/main", "/tmp/main.cpp"],
            "run": ["/tmp/main"]},
}
#: Limits for compiling (g++ with <bits/stdc++.h> needs ~1 GB of address space and a few processes).
COMPILE_LIMITS = {"wall_s": 30.0, "cpu_s": 30.0, "memory_mb": 2048, "nproc": 32, "fsize_mb": 256}
#: Wall-clock slack per test over its CPU `timeout` (see limits_for).
WALL_FACTOR = 2.0
#: The default total time for a row: every test may use its `timeout`, up to this many seconds.
MAX_TOTAL_S = 120.0

_tls = threading.local()


class _TestsRef:
    """The `reference` column of a code leaf: tests + entry point, rendered together as JSON.

    Quacks like `graders.templates.Template` for `BatchContext.rendered`.
    """

    def __init__(self, tests: str, entry_point: str | None, language: str) -> None:
        self.tests = Template.parse(tests)
        self.entry = Template.parse(entry_point) if entry_point else None
        self.language = Template.parse(language)
        self.source = f"code-tests:{tests}|{entry_point or ''}|{language}"
        self.key = self.source
        self.is_output_text = False
        tpls = [self.tests, self.language] + ([self.entry] if self.entry else [])
        self.item_only = all(t.item_only for t in tpls)

    def render(self, sample: dict[str, Any], item: Any) -> str:
        tests = self.tests.render(sample, item)
        entry = self.entry.render(sample, item) if self.entry is not None else None
        language = self.language.render(sample, item).strip().lower()
        return json.dumps([tests, entry, language], ensure_ascii=False)


@grader_kind
class CodeConfig(LeafConfig):
    """Runs the program in the completion against the item's tests, in the sandbox.

    Args:
        tests: template to the item's tests: a list of `{input, output}` cases, a
            mapping of `inputs`/`outputs` lists, test code (asserts, `check(candidate)`,
            `test_*` functions) or a list of assert strings.
        entry_point: template to the function the tests call (HumanEval's
            `entry_point`); needed for `check(candidate)`.
        language: python (default) or cpp (the system g++, compiled in the sandbox), or a
            template giving one of them per row (`"{{ item.language }}"`).
        scoring: fraction of tests passed, or all (1 only when every test passes).
        compare: stdin/stdout rule: lines (trailing spaces and blank lines ignored),
            tokens (whitespace-separated tokens equal), exact.
        timeout: CPU seconds per test (a stdin/stdout case; for assert tests, which share one
            process, the wall clock); the wall clock may run to 2 x timeout + 0.5 s.
        total_timeout: seconds for all tests of a row (default: timeout x tests + 5, at most 120).
        memory_mb: memory per process (address space).
    """

    type: Literal["code"]
    tests: str = Field("{{ item.tests }}", description="Template to the item's tests.")
    entry_point: str | None = Field(None, description="Template to the tested function's name.")
    language: str = Field("python", description="python | cpp, or a template to one of them per row.")
    scoring: Literal["fraction", "all"] = "fraction"
    compare: Literal["lines", "tokens", "exact"] = "lines"
    timeout: float = Field(5.0, gt=0, le=300, description="Seconds per test.")
    total_timeout: float | None = Field(None, gt=0, le=3600, description="Seconds for all tests of a row.")
    memory_mb: int = Field(512, ge=32, le=65536)
    extract: ExtractSpec | None = Field(
        "fenced", description="How to find the program: default the last fenced block (`fenced`)."
    )

    requires_reference: ClassVar[bool] = False
    deterministic: ClassVar[bool] = False  # time limits depend on machine load: never cached
    cost: ClassVar[str] = "heavy"

    @field_validator("tests", "entry_point")
    @classmethod
    def _template_ok(cls, v: str | None) -> str | None:
        if v is not None:
            Template.parse(v)
        return v

    @field_validator("language")
    @classmethod
    def _language_ok(cls, v: str) -> str:
        if "{{" in v:
            Template.parse(v)
        elif v not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)} or a template, got {v!r}")
        return v

    @model_validator(mode="after")
    def _fence_language(self) -> CodeConfig:
        if self.reference is not None:
            raise ValueError("a `code` grader takes its tests from `tests:`, not `reference:`")
        if self.extract == "fenced" and self.language != "python":
            lang = LANGUAGES[self.language]["fence"] if self.language in LANGUAGES else "any"
            object.__setattr__(self, "extract", {"type": "fenced", "language": lang})
        return self

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return CodeNode(self, path, compiler)

    def make_scorer(self) -> LeafScorer:
        return _make_scorer(self)


class CodeNode(LeafNode):
    """A leaf whose reference column is the item's tests; counts failure kinds per batch."""

    def __init__(self, config: CodeConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path, compiler)
        self.ref_tpl = _TestsRef(config.tests, config.entry_point, config.language)  # type: ignore[assignment]

    def _score_pairs(self, order: list[Any], ctx: BatchContext) -> Any:
        _tls.counts = Counter()
        out = super()._score_pairs(order, ctx)
        for kind, k in _tls.counts.items():
            ctx.count(f"code.{kind}", k)
        _tls.counts = None
        return out


def limits_for(cfg: CodeConfig, n_tests: int) -> Any:
    from graders.sandbox import Limits

    total = cfg.total_timeout or min(MAX_TOTAL_S, cfg.timeout * max(1, n_tests) + 5.0)
    # stdout kept per test: 16 MB, less when there are many tests (a row's result stays <= 64 MB)
    out = max(1 << 20, min(16 << 20, (64 << 20) // max(1, n_tests)))
    # CPU time is the limit that means something on a busy machine; the wall clock gets slack
    # (2x + 0.5 s) so that waiting for a core is not a time limit, while a sleeping or blocked
    # program still ends.
    wall = cfg.timeout * WALL_FACTOR + 0.5
    total = max(total, wall + 1.0)
    return Limits(wall_s=wall, cpu_s=cfg.timeout, total_s=total, memory_mb=cfg.memory_mb, output_bytes=out)


def build_job(cfg: CodeConfig, program: str, plan: Any, language: str = "python") -> dict[str, Any]:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (known: {', '.join(LANGUAGES)})")
    lang = LANGUAGES[language]
    job: dict[str, Any] = {"mode": plan.mode, "program": program, "filename": lang["filename"],
                           "fail_fast": cfg.scoring == "all"}
    if plan.mode == "stdio":
        job["cases"] = [inp.encode("utf-8", "surrogateescape") for inp, _ in plan.cases]
        if lang["compile"]:
            job["compile"] = lang["compile"]
            job["run"] = lang["run"]
            job["compile_limits"] = COMPILE_LIMITS
    else:
        if language != "python":
            raise ValueError(f"assert-style tests need language: python (got {language}); "
                             "use {input, output} cases for other languages")
        job["units"] = [list(u) for u in plan.units]
        job["prelude"] = plan.prelude
        job["entry_point"] = plan.entry_point
    return job


def judge(cfg: CodeConfig, plan: Any, res: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """Per-test results [{label, ok, kind, message, ms}] from a sandbox result.

    Returns (tests, infra_error): infra_error is set when the run itself failed.
    """
    from graders.sandbox.testspec import outputs_match

    n = len(plan)
    labels = plan.labels or tuple(str(i) for i in range(n))
    if res.get("sandbox_error"):
        kind = res.get("kind", "sandbox_refused")
        if kind == "sandbox_refused":
            return [], str(res["sandbox_error"])
        return [{"label": labels[i], "ok": False, "kind": kind, "message": str(res["sandbox_error"]), "ms": 0.0}
                for i in range(n)], None
    comp = res.get("compile")
    if comp:
        return [{"label": labels[i], "ok": False, "kind": comp.get("kind", "syntax_error"),
                 "message": comp.get("message", ""), "ms": 0.0} for i in range(n)], None
    units = res.get("units") or []
    out = []
    for i in range(n):
        u = units[i] if i < len(units) and isinstance(units[i], dict) else {"kind": "runtime_error", "message": "no result"}
        t = {"label": labels[i], "ok": False, "kind": u.get("kind"), "message": u.get("message", ""),
             "ms": float(u.get("ms", 0.0) or 0.0)}
        if t["kind"] is None:
            if plan.mode == "stdio":
                got = u.get("stdout", "").encode("latin-1", "replace").decode("utf-8", "replace")
                expected = plan.cases[i][1]
                if outputs_match(got, expected, cfg.compare):
                    t["ok"] = True
                else:
                    t["kind"] = "wrong_answer"
                    t["message"] = f"expected {_short(expected)}, got {_short(got)}"
            else:
                t["ok"] = True
        elif t["kind"] not in FAILURE_KINDS:
            t["kind"] = "runtime_error"
        out.append(t)
    return out, None


def _short(s: str, n: int = 60) -> str:
    s = s.strip()
    return repr(s if len(s) <= n else s[:n] + "...")


def summarize(tests: list[dict[str, Any]]) -> str:
    passed = sum(t["ok"] for t in tests)
    parts = [f"passed {passed}/{len(tests)}"]
    for t in tests:
        if not t["ok"]:
            parts.append(f"{t['label']}: {t['kind']}" + (f" ({t['message'][:200]})" if t["message"] else ""))
            if len(parts) > 8:
                parts.append("...")
                break
    return "; ".join(parts)


def _make_scorer(cfg: CodeConfig) -> LeafScorer:
    from graders.sandbox.testspec import TestsInvalid, parse_tests

    def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
        from graders.sandbox.pool import shared_sandbox_pool

        n = len(inputs)
        scores = np.zeros(n)
        errors: dict[int, tuple[str, str]] = {}
        notes: dict[int, str] = {}
        counts: Counter[str] | None = getattr(_tls, "counts", None)
        if counts is None:
            counts = Counter()
        jobs, where, plans = [], [], []
        for i, (program, ref) in enumerate(zip(inputs, refs, strict=True)):
            try:
                tests, entry, language = json.loads(ref or '[null, null, "python"]')
                if entry in ("", "null", "None"):
                    entry = None
                plan = parse_tests(tests, entry)
                job = build_job(cfg, program, plan, language)
            except TestsInvalid as exc:
                errors[i] = ("invalid_tests", str(exc))
                continue
            except ValueError as exc:
                errors[i] = ("invalid_tests", str(exc))
                continue
            jobs.append((job, limits_for(cfg, len(plan))))
            where.append(i)
            plans.append(plan)
        results = shared_sandbox_pool().map(jobs) if jobs else []
        for i, plan, res in zip(where, plans, results, strict=True):
            tests, infra = judge(cfg, plan, res)
            if infra is not None:
                errors[i] = ("sandbox_refused", infra)
                counts["sandbox_refused"] += 1
                continue
            passed = sum(t["ok"] for t in tests)
            total = len(tests)
            if cfg.scoring == "all":
                scores[i] = 1.0 if passed == total else 0.0
            else:
                scores[i] = passed / total if total else 0.0
            counts["tests_passed"] += passed
            for t in tests:
                if not t["ok"]:
                    counts[t["kind"]] += 1
            notes[i] = summarize(tests)
        return LeafBatch(scores, errors=errors, notes=notes)

    return score


def run_tests(program: str, tests: Any, *, entry_point: str | None = None, **options: Any) -> dict[str, Any]:
    """Run one program against tests in the sandbox; the full per-test report.

    `options` are `code` config fields (language, timeout, memory_mb, compare, ...).
    Returns {"score", "passed", "total", "tests": [{label, ok, kind, message, ms}]}
    or {"error": {"kind", "message"}} when the tests are unusable or the sandbox refused.
    """
    from graders.sandbox.pool import shared_sandbox_pool
    from graders.sandbox.testspec import TestsInvalid, parse_tests

    cfg = CodeConfig(type="code", **options)
    try:
        plan = parse_tests(tests, entry_point)
        job = build_job(cfg, program, plan, cfg.language)
    except (TestsInvalid, ValueError) as exc:
        return {"error": {"kind": "invalid_tests", "message": str(exc)}}
    res = shared_sandbox_pool().map([(job, limits_for(cfg, len(plan)))])[0]
    out, infra = judge(cfg, plan, res)
    if infra is not None:
        return {"error": {"kind": "sandbox_refused", "message": infra}}
    passed = sum(t["ok"] for t in out)
    total = len(out)
    score = (passed / total if total else 0.0) if cfg.scoring == "fraction" else float(passed == total)
    return {"score": score, "passed": passed, "total": total, "tests": out}
