"""The public API: load a grader once, score batches many times."""

from __future__ import annotations

import asyncio
import copy
import gc
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from graders._types import ERROR
from graders.config import load_file, load_text, validate
from graders.errors import BatchShapeError, ConfigError, ScoringError
from graders.plan import BatchContext, Compiler, OptFlags, PlanNode
from graders.result import ScoreResult


class Grader:
    """A compiled grader: `score()` runs its batch plan; nothing is re-parsed per call."""

    def __init__(self, spec: BaseModel, *, source: str | None = None, opt: OptFlags | None = None) -> None:
        self.spec = spec
        self.source = source
        self.name: str = getattr(spec, "name", None) or (Path(source).stem if source else "grader")
        self.opt = opt or OptFlags()
        compiler = Compiler(self.opt)
        self.plan: PlanNode = compiler.compile(spec.grader, "")  # type: ignore[attr-defined]
        # need -> tree paths of the nodes declaring it ("group", "attempts"; see README).
        self.needs_at: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in compiler.needs.items()}

    @property
    def needs(self) -> frozenset[str]:
        """Data the grader needs beyond single rows: {"group"} (every sample of one prompt in
        the same score() call) and/or {"attempts"} (each sample's earlier attempts)."""
        return frozenset(self.needs_at)

    def check_needs(self, available: Sequence[str] | frozenset[str], where: str = "this caller") -> None:
        """Raise ConfigError naming each need `available` lacks (for adapters, at wrap time)."""
        missing = sorted(self.needs - set(available))
        if missing:
            detail = "; ".join(f"`{m}` (needed by {', '.join(self.needs_at[m])})" for m in missing)
            raise ConfigError(f"grader {self.name!r} needs data {where} does not provide: {detail}")

    # -- scoring -------------------------------------------------------------
    def score(self, samples: Sequence[Any], items: Sequence[Any] | None = None, *,
              groups: Sequence[Any] | None = None) -> ScoreResult:
        """Score a batch. `samples`: strings or sample dicts; `items`: dataset rows (dicts);
        `groups`: optional group id per row (which rows are samples of one prompt)."""
        return self._score(samples, items, trace=False, groups=groups)[0]

    async def ascore(self, samples: Sequence[Any], items: Sequence[Any] | None = None, *,
                     groups: Sequence[Any] | None = None) -> ScoreResult:
        """score() for async training loops: runs in a worker thread, never blocking the loop."""
        return await asyncio.to_thread(self._score_one, samples, items, groups)

    def _score_one(self, samples: Sequence[Any], items: Sequence[Any] | None, groups: Sequence[Any] | None) -> ScoreResult:
        return self._score(samples, items, trace=False, groups=groups)[0]

    def explain(self, sample: Any, item: Any = None) -> dict[str, Any]:
        """The tree for one row: each node's input, extraction, reference, score, status, time."""
        result, ctx = self._score([sample], [item if item is not None else {}], trace=True)
        return _explain_tree(self.plan, ctx.trace or {}, result, key=self.name)

    def explain_plan(self) -> str:
        """The compiled plan as text (one line per node)."""
        return "\n".join(self.plan.explain_lines(0, self.name))

    def _score(self, samples: Sequence[Any], items: Sequence[Any] | None, *, trace: bool,
               groups: Sequence[Any] | None = None) -> tuple[ScoreResult, BatchContext]:
        t0 = time.perf_counter()
        samples = _as_list(samples, "samples", "a list (of strings or sample dicts)")
        n = len(samples)
        items = [{}] * n if items is None else _as_list(items, "items", "a list of dicts")
        if len(items) != n:
            raise BatchShapeError(f"samples and items differ in length: {n} samples, {len(items)} items")
        bad: dict[int, str] = {}
        texts: list[str]
        plain = set(map(type, samples)) <= {str}
        if plain:  # the common case: plain completions
            texts = list(samples)
            norm_samples: list[Any] = list(texts)  # dicts are made only if a template needs one
        else:
            texts, norm_samples = [""] * n, [None] * n
            no_text: set[int] = set()
            for i, s in enumerate(samples):
                if type(s) is str:
                    texts[i] = norm_samples[i] = s
                    continue
                sample, why = _normalize_sample(s)
                if why:
                    bad[i] = why
                    norm_samples[i] = {"output_text": ""}
                else:
                    norm_samples[i] = sample
                    text = sample.get("output_text")
                    if text is None:
                        no_text.add(i)
                        text = ""
                    texts[i] = text
        norm_items: list[Any] = list(items)
        if not set(map(type, norm_items)) <= {dict}:
            for i, it in enumerate(norm_items):
                if it is None:
                    norm_items[i] = {}
                elif not isinstance(it, dict):
                    bad.setdefault(i, f"item must be an object (dict), got {type(it).__name__}")
        ctx = BatchContext(texts, norm_samples, norm_items, opt=self.opt, trace=trace)
        if not plain and no_text:
            ctx.no_output_text = no_text
        if groups is not None:
            ctx.groups = _as_list(groups, "groups", "a list of group ids, one per row")
            if len(ctx.groups) != n:
                raise BatchShapeError(f"groups has {len(ctx.groups)} entries for {n} rows")
        rows = np.arange(n)
        if bad:
            for i, why in bad.items():
                ctx.add_error(i, "bad_row", "<input>", why)
            rows = np.array([i for i in range(n) if i not in bad], dtype=np.int64)
        ctx.root_rows = rows
        scores = np.zeros(n)
        status = np.full(n, ERROR, dtype=np.int8)
        if bad and self.plan.on_error == "raise":
            raise ScoringError(f"row {min(bad)}: {bad[min(bad)]}", ctx.errors.get(min(bad)))
        if bad and self.plan.on_error == "skip":
            scores[list(bad)] = np.nan
        errors: list[list[Any]] | None = None
        if len(rows):
            paused = self.opt.pause_gc and gc.isenabled()
            if paused:
                gc.disable()
            try:
                out = self.plan.run(ctx, rows)
                if paused:  # made while the collector is paused: no passes start in the middle of them
                    errors = [[] for _ in range(n)]
            finally:
                if not trace:
                    # Free the batch's memo columns (~10^4 tuples) before the collector is back:
                    # else its first pass walks them all (measured ~1 ms per 4,096 rows).
                    ctx.memo.clear()
                if paused:
                    gc.enable()
            scores[rows] = out.values
            status[rows] = out.status
        if errors is None:
            errors = [[] for _ in range(n)]  # cheaper than a lookup per row
        for i, errs in ctx.errors.items():
            errors[i] = errs
        result = ScoreResult(scores, ctx.components, status, errors, dict(ctx.counters), dict(ctx.usage),
                             time.perf_counter() - t0)
        return result, ctx

    def __repr__(self) -> str:
        return f"<Grader {self.name!r}>"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the config it was built from (Ray, multiprocessing, TRL's async GRPO):
        the receiver recompiles it; caches and locks are never shipped."""
        origin = getattr(self, "_origin", None)
        if origin is None:  # built from a spec object: its validated data, round-tripped
            origin = ("dict", self.spec.model_dump(mode="json", by_alias=True, exclude_unset=True), "<dict>")
        return (_rebuild_grader, (origin, self.source, self.name, self.opt))


def _as_list(values: Any, name: str, expected: str) -> list[Any]:
    """Lists and tuples as they are; numpy arrays, pandas Series and other iterables copied."""
    if isinstance(values, list | tuple):
        return values  # type: ignore[return-value]
    if isinstance(values, str | bytes | dict) or not hasattr(values, "__iter__"):
        raise BatchShapeError(f"{name} must be {expected}, got {type(values).__name__}")
    out = list(values)
    if out and type(out[0]).__module__ == "numpy":  # numpy scalars (np.str_) -> plain Python values
        out = [v.item() if hasattr(v, "item") else v for v in out]
    return out


def _normalize_sample(s: Any) -> tuple[dict[str, Any], str | None]:
    """Accept a sample dict, an OpenAI/TRL message list, or a chat message; else explain why not."""
    if isinstance(s, dict):
        if "output_text" in s:
            if not isinstance(s["output_text"], str):
                return {}, f"sample.output_text must be a string, got {type(s['output_text']).__name__}"
            return dict(s), None
        if isinstance(s.get("content"), str):  # a single chat message
            return {"output_text": s["content"], **{k: v for k, v in s.items() if k != "content"}}, None
        if "output_json" in s:
            d = dict(s)
            d.setdefault("output_text", json.dumps(s.get("output_json")))
            return d, None
        # No output_text (e.g. a row of attempts, or tool calls only): fine unless a template
        # reads it; then that leaf gets a `missing_field` error naming the path.
        return dict(s), None
    if isinstance(s, list) and s and all(isinstance(m, dict) for m in s):
        # TRL conversational completions: the last message's content.
        content = s[-1].get("content")
        if isinstance(content, str):
            return {"output_text": content, "messages": s}, None
        return {}, "the last message has no string `content`"
    if isinstance(s, bytes):
        return {}, "sample is bytes; decode it to str first"
    return {}, f"sample must be a string or an object with `output_text`, got {type(s).__name__}"


def _explain_tree(node: PlanNode, trace: dict[str, Any], result: ScoreResult, key: str) -> dict[str, Any]:
    from graders._types import STATUS_NAMES

    info = dict(trace.get(node.path, {}))
    st = info.pop("status", None)
    out: dict[str, Any] = {"key": key, "path": node.path or "<root>", "node": node.describe()}
    if st is None:
        out["status"] = "not_run"
    else:
        out["status"] = STATUS_NAMES[st]
        score = info.pop("score", None)
        out["score"] = None if score is None or score != score else score
    out.update(info)
    errs = [e.to_dict() for e in result.errors[0] if e.grader == (node.path or "<root>")]
    if errs:
        out["errors"] = errs
    if node.children:
        out["children"] = [_explain_tree(child, trace, result, k) for k, child in node.children]
    return out


# -- constructors ----------------------------------------------------------------
def load(path: str | Path, *, opt: OptFlags | None = None) -> Grader:
    """Load and compile a grader YAML (or JSON) file."""
    g = Grader(load_file(path), source=str(path), opt=opt)
    g._origin = ("yaml", Path(path).read_text(encoding="utf-8"), str(path))
    return g


def from_yaml(text: str, *, filename: str = "<string>", opt: OptFlags | None = None) -> Grader:
    g = Grader(load_text(text, filename=filename), source=None, opt=opt)
    g._origin = ("yaml", text, filename)
    return g


def from_dict(data: dict[str, Any], *, opt: OptFlags | None = None) -> Grader:
    """Build a grader from a dict: a whole file (`{grader: ...}`) or a bare node (`{type: ...}`)."""
    g = Grader(validate(data, filename="<dict>"), opt=opt)
    g._origin = ("dict", copy.deepcopy(data), "<dict>")
    return g


def _rebuild_grader(origin: tuple[str, Any, str], source: str | None, name: str, opt: OptFlags) -> Grader:
    kind, payload, filename = origin
    spec = load_text(payload, filename=filename) if kind == "yaml" else validate(payload, filename=filename)
    g = Grader(spec, source=source, opt=opt)
    g.name = name
    g._origin = origin
    return g


__all__ = ["Grader", "load", "from_yaml", "from_dict", "ConfigError"]
