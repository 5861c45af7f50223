"""The compiled judge node: render -> dedupe -> cache -> call concurrently -> parse -> reduce.

One `JudgeNode._run` handles the rows its parent gives it (a `gate` in front
passes only the rows that passed the cheap checks, so gated rows cost no
call). Per batch it:

1. renders each row's messages (a missing field is that row's `missing_field`);
2. keys each request by SHA-256 of (model, messages, sampling params, n,
   extra_body) and sends each distinct request once (GRPO groups repeat);
3. reads replies from the disk cache, runs the rest through
   `graders.judge.runner` on the process's judge event loop (a daemon
   thread, so score() works from any thread), stores new replies;
4. parses every choice (`graders.judge.parse`), clips scores into `range`
   (counted as `judge_scores_clipped`), reduces the `n` choices;
5. scatters verdicts to rows; an unusable reply is an error on the row (with
   its on_error value), never a silent 0.

Counters (in `result.counters`): judge_rows, judge_requests (distinct),
judge_deduped, judge_cache_hits, judge_calls (HTTP attempts), judge_retries,
judge_rows_skipped (rows a parent kept from the judge: calls saved),
judge_scores_clipped, and one counter per error kind (judge_timeout...).
Token usage and the estimated cost go to `result.usage`.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from typing import Any

import numpy as np

from graders._types import ERROR, SCORED
from graders.judge.cache import ResponseCache, request_key
from graders.judge.config import JudgeConfig
from graders.judge.parse import Parsed, parse_label, parse_score
from graders.judge.prompt import PromptPlan
from graders.plan import BatchContext, Compiler, NodeOut, PlanNode
from graders.templates import MODEL_ERROR_KINDS, TemplateMissing

TRACE_MAX_CHARS = 4000


def _clip_text(s: str, n: int = TRACE_MAX_CHARS) -> str:
    return s if len(s) <= n else s[: n // 2] + f" ...[{len(s) - n} chars]... " + s[-n // 2 :]


def merge_usage(dst: dict[str, Any], src: dict[str, Any]) -> None:
    for k, v in src.items():
        if isinstance(v, dict):
            merge_usage(dst.setdefault(k, {}), v)
        elif isinstance(v, int | float) and not isinstance(v, bool):
            dst[k] = dst.get(k, 0) + v
        elif isinstance(v, str) and isinstance(dst.get(k), str) and dst[k]:
            dst[k] = ",".join(sorted(set(dst[k].split(",")) | set(v.split(","))))
        else:
            dst[k] = v


class JudgeNode(PlanNode):
    """A `score_model` or `label_model` judge compiled for batch execution."""

    def __init__(self, config: JudgeConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path)
        self.cfg = config
        self.kind = config.type_name()
        self.mode = config.judge_mode
        self.clip_range = config.range
        self.range = None  # scored rows are clipped here; an error row keeps its on_error value
        if self.mode == "score":
            lo, hi = config.range if config.range is not None else (0.0, 1.0)
            self.clip_range = (lo, hi)
            self.labels: list[str] = []
            self.passing: set[str] = set()
            self.prompt = PromptPlan(config, "score", lo=lo, hi=hi)
            # `scale`: raw judge score, or mapped onto [0, 1]; `auto` maps it when a
            # combinator reads it (path != ""), so no judge scale leaks into a sum.
            scale = getattr(config, "scale", "auto")
            self.unit = hi > lo and (scale == "unit" or (scale == "auto" and path != ""))
        else:
            self.unit = False
            self.labels = list(config.labels)  # type: ignore[attr-defined]
            self.passing = set(config.passing_labels)  # type: ignore[attr-defined]
            self.prompt = PromptPlan(config, "label", labels=self.labels)
        self.reducer = config.reducer or ("mean" if self.mode == "score" else "majority")
        base: dict[str, Any] = {"model": config.model}
        base.update(config.sampling_params.api_params())
        if config.n > 1:
            base["n"] = config.n
        if config.extra_body:
            base.update(config.extra_body)
        self.base_body = base

    def describe(self) -> str:
        c = self.cfg
        parts = [self.kind, f"model={c.model}"]
        if self.mode == "score":
            parts.append(f"range={list(self.clip_range)}")  # type: ignore[arg-type]
            parts.append("scale=unit (range mapped onto [0, 1])" if self.unit else "scale=raw")
        else:
            parts.append(f"labels={self.labels} passing={sorted(self.passing)}")
        if c.n > 1:
            parts.append(f"n={c.n} reducer={self.reducer}")
        parts.append(f"concurrency={c.concurrency}")
        parts.append("dedupe+cache" if c.cache else "dedupe")
        return " ".join(parts)

    # -- execution -------------------------------------------------------------
    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        from graders.judge.runner import (
            Failure,
            Reply,
            RunSettings,
            RunStats,
            run_blocking,
            run_requests,
        )
        from graders.judge.settings import resolve_api_key, resolve_base_url, resolve_cache

        cfg = self.cfg
        m = len(rows)
        values = np.zeros(m)
        status = np.full(m, SCORED, dtype=np.int8)
        row_list = rows.tolist()
        bodies: dict[str, dict[str, Any]] = {}
        members: dict[str, list[int]] = {}
        traced_key: str | None = None
        for j, r in enumerate(row_list):
            try:
                msgs = self.prompt.render(ctx.samples[r], ctx.items[r])
            except TemplateMissing as exc:
                if exc.kind in MODEL_ERROR_KINDS:  # the model's wrong answer: 0, no judge call
                    ctx.count(exc.kind)
                    continue
                values[j] = self.fail_value(ctx, r, exc.kind, str(exc))
                status[j] = ERROR
                continue
            body = {**self.base_body, "messages": msgs}
            key = request_key(body)
            if key not in bodies:
                bodies[key] = body
                members[key] = [j]
            else:
                members[key].append(j)
            if j == 0:
                traced_key = key

        results: dict[str, Any] = {}
        cache_dir = resolve_cache(cfg.cache, cfg.cache_dir)
        cache = ResponseCache(cache_dir) if cache_dir else None
        if cache is not None:
            for k, v in cache.get_many(list(bodies)).items():
                try:
                    results[k] = Reply.from_json(v)
                except (KeyError, TypeError, ValueError):
                    continue
        n_cached = len(results)
        todo = {k: b for k, b in bodies.items() if k not in results}
        stats = RunStats()
        if todo:
            base_url = resolve_base_url(cfg.base_url)
            settings = RunSettings(
                base_url=base_url,
                api_key=resolve_api_key(cfg.api_key, cfg.api_key_env, base_url),
                model=cfg.model,
                concurrency=cfg.concurrency,
                requests_per_minute=cfg.requests_per_minute,
                tokens_per_minute=cfg.tokens_per_minute,
                timeout=cfg.timeout,
                max_retries=cfg.max_retries,
                retry_backoff=cfg.retry_backoff,
                deadline=cfg.deadline,
                response_format_mode=cfg.response_format,
                response_format=None if cfg.response_format == "text" else self.prompt.response_format,
                reply_tokens=cfg.sampling_params.max_completions_tokens or 512,
            )
            fresh = run_blocking(lambda: run_requests(todo, settings, stats))
            results.update(fresh)
            if cache is not None:  # what the judge decided, not what the transport broke
                cache.put_many({k: r.to_json() for k, r in fresh.items() if isinstance(r, Reply) and self._final(r)})
        if cache is not None and cache.errors:
            ctx.count("judge_cache_errors", len(cache.errors))

        # Verdict per distinct request, then scatter to rows.
        n_clipped_rows = 0
        usage = _Usage()
        verdicts: dict[str, tuple[float | None, tuple[str, str] | None, str, bool]] = {}
        for key, res in results.items():
            if isinstance(res, Failure):
                verdicts[key] = (None, (res.kind, res.message), "", False)
                continue
            if not res.from_cache:
                usage.add(res)
            verdicts[key] = self._verdict(res)
        for key, idxs in members.items():
            value, err, _note, clipped = verdicts[key]
            if err is not None:
                for j in idxs:
                    values[j] = self.fail_value(ctx, row_list[j], err[0], err[1])
                    status[j] = ERROR
                ctx.count(err[0], len(idxs))
            else:
                values[idxs] = value
                if clipped:
                    n_clipped_rows += len(idxs)

        n_rendered = sum(len(v) for v in members.values())
        ctx.count("judge_rows", m)
        ctx.count("judge_requests", len(bodies))
        ctx.count("judge_deduped", n_rendered - len(bodies))
        ctx.count("judge_cache_hits", n_cached)
        ctx.count("judge_calls", stats.calls)
        for name, v in (("judge_retries", stats.retries), ("judge_http_429", stats.rate_limited),
                        ("judge_http_5xx", stats.server_errors), ("judge_attempt_timeouts", stats.timeouts),
                        ("judge_connection_errors", stats.connection_errors), ("judge_bad_bodies", stats.bad_bodies)):
            if v:
                ctx.count(name, v)
        if n_clipped_rows:
            ctx.count("judge_scores_clipped", n_clipped_rows)
        skipped = self._rows_skipped(ctx, m)
        if skipped:
            ctx.count("judge_rows_skipped", skipped)
        merge_usage(ctx.usage, usage.report(cfg, n_cached))
        if stats.events:
            ctx.usage.setdefault("events", [])
            for e in stats.events:
                if e not in ctx.usage["events"]:
                    ctx.usage["events"].append(e)
        if ctx.trace is not None and m:
            self._trace(ctx, rows, traced_key, results, verdicts)
        return NodeOut(values, status)

    @staticmethod
    def _rows_skipped(ctx: BatchContext, m: int) -> int:
        bad = sum(1 for errs in ctx.errors.values() if any(e.grader == "<input>" for e in errs))
        return max(0, ctx.n - bad - m)

    def _final(self, reply: Any) -> bool:
        """True when every choice is a usable verdict or a refusal (worth caching)."""
        for text, finish, refusal in reply.choices:
            p = parse_score(text, finish, refusal) if self.mode == "score" else parse_label(text, self.labels, finish, refusal)
            if p.error is not None and p.error[0] != "judge_refusal":
                return False
        return bool(reply.choices)

    def _verdict(self, reply: Any) -> tuple[float | None, tuple[str, str] | None, str, bool]:
        """(value, error, note, clipped) for one reply: parse each choice, clip, reduce."""
        parsed: list[Parsed] = []
        for text, finish, refusal in reply.choices:
            if self.mode == "score":
                parsed.append(parse_score(text, finish, refusal))
            else:
                parsed.append(parse_label(text, self.labels, finish, refusal))
        good = [p for p in parsed if p.error is None]
        if not good:
            if not parsed:
                return None, ("judge_bad_response", "the reply has no choices"), "", False
            return None, parsed[0].error, "", False
        notes = []
        clipped = False
        if self.cfg.n > 1 and len(parsed) < self.cfg.n:
            notes.append(f"the endpoint returned {len(parsed)} of n={self.cfg.n} samples")
        if len(good) < len(parsed):
            notes.append(f"{len(parsed) - len(good)} of {len(parsed)} samples unusable")
        if self.mode == "score":
            lo, hi = self.clip_range  # type: ignore[misc]
            raw = [float(p.value) for p in good]  # type: ignore[arg-type]
            vals = [min(hi, max(lo, v)) for v in raw]
            if vals != raw:
                clipped = True
                outside = [v for v in raw if v < lo or v > hi]
                notes.append(f"judge score {outside[0]:g} outside range [{lo:g}, {hi:g}]: clipped")
            value = _reduce(vals, self.reducer)
            if self.unit:
                unit = (value - lo) / (hi - lo)
                notes.append(f"judge score {value:g} on [{lo:g}, {hi:g}] -> {unit:.4g} on [0, 1]")
                value = unit
        else:
            chosen = [str(p.value) for p in good]
            if self.reducer == "majority":
                counts = Counter(chosen)
                top = max(counts.values())
                label = next(lab for lab in self.labels if counts.get(lab) == top)  # ties: order of `labels`
                value = 1.0 if label in self.passing else 0.0
                notes.append(f"label {label!r}" + (f" ({top}/{len(chosen)})" if len(chosen) > 1 else ""))
            else:
                value = _reduce([1.0 if c in self.passing else 0.0 for c in chosen], self.reducer)
                notes.append(f"labels {chosen}")
            if self.clip_range is not None:
                value = min(self.clip_range[1], max(self.clip_range[0], value))
        notes.append(f"read by {good[0].how}")
        return value, None, "; ".join(notes), clipped

    def _trace(self, ctx: BatchContext, rows: np.ndarray, key: str | None, results: dict[str, Any],
               verdicts: dict[str, Any]) -> None:
        node = ctx.trace.setdefault(self.path, {})  # type: ignore[union-attr]
        r = int(rows[0])
        try:
            msgs = self.prompt.render(ctx.samples[r], ctx.items[r])
        except TemplateMissing:
            return
        shown = msgs[1:] if self.prompt.system is not None else msgs  # graders' system message: same for every row
        node["input"] = _clip_text(json.dumps(shown, ensure_ascii=False))
        if key is None or key not in results:
            return
        res = results[key]
        texts = getattr(res, "choices", None)
        if texts is not None:
            raw = [c[0] if c[0] is not None else f"<refusal: {c[2]}>" if c[2] else "<no content>" for c in texts]
            node["reply"] = _clip_text(raw[0]) if len(raw) == 1 else [_clip_text(t) for t in raw]
            node["finish_reason"] = texts[0][1] if texts else None
            note = verdicts[key][2]
            src = "from cache" if res.from_cache else f"{res.attempts} attempt(s)"
            node["note"] = f"reply: {_clip_text(raw[0] if raw else '', 300)!r}; {note}; {src}".replace("; ;", ";")


def _reduce(vals: list[float], reducer: str) -> float:
    if len(vals) == 1:
        return vals[0]
    if reducer == "median":
        return float(statistics.median(vals))
    if reducer == "majority":
        counts = Counter(vals)
        top = max(counts.values())
        return min(v for v, c in counts.items() if c == top)  # ties: the lower score
    return float(sum(vals) / len(vals))


class _Usage:
    """Token usage of fresh replies (cache hits cost nothing), priced as the configured model."""

    FIELDS = ("requests", "prompt_tokens", "completion_tokens", "total_tokens", "cached_prompt_tokens")

    def __init__(self) -> None:
        self.totals = dict.fromkeys(self.FIELDS, 0)

    def add(self, reply: Any) -> None:
        u = reply.usage
        t = self.totals
        t["requests"] += 1
        t["prompt_tokens"] += u.get("prompt_tokens", 0)
        t["completion_tokens"] += u.get("completion_tokens", 0)
        t["total_tokens"] += u.get("total_tokens", 0) or u.get("prompt_tokens", 0) + u.get("completion_tokens", 0)
        t["cached_prompt_tokens"] += u.get("cached_tokens", 0)

    def report(self, cfg: JudgeConfig, cache_hits: int) -> dict[str, Any]:
        from graders.judge.pricing import cost_usd, price_for
        from graders.judge.settings import overrides

        t = self.totals
        out: dict[str, Any] = {**t, "cache_hits": cache_hits, "estimated_cost_usd": 0.0}
        cfg_price = (cfg.prices.input, cfg.prices.output, cfg.prices.cached_input) if cfg.prices else None
        price = price_for(cfg.model, overrides().prices, cfg_price)
        entry: dict[str, Any] = {**t, "cache_hits": cache_hits}
        if price is not None:
            cost = cost_usd(price, t["prompt_tokens"], t["completion_tokens"], t["cached_prompt_tokens"])
            out["estimated_cost_usd"] = entry["estimated_cost_usd"] = cost
        elif t["requests"]:
            out["unpriced_models"] = cfg.model
        out["by_model"] = {cfg.model: entry}
        return out
