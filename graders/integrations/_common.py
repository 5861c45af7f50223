"""What every trainer adapter shares: fixed component keys, special tokens, lazy coalescing.

Trainers aggregate per-sample extras by key (verl's reward loop builds one
array per key from the first sample's keys; OpenRLHF concatenates `extra_logs`
tensors), so every row must carry the same keys whatever the gates did: a node
that did not run on a row reports 0.0, and whether it ran is available as
`<component>/ran` when asked for.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from graders._types import ERROR, NOT_APPLICABLE
from graders.coalesce import DEFAULT_MAX_BATCH, DEFAULT_WINDOW_MS, Coalescer
from graders.result import ScoreResult

# End-of-turn / end-of-text markers of common chat templates (Qwen/ChatML, GPT-2/Qwen base,
# Llama 2/Mistral, Llama 3, Phi-3, Gemma, DeepSeek). A tokenizer passed in adds its own.
DEFAULT_SPECIAL_TOKENS: tuple[str, ...] = (
    "<|im_end|>", "<|endoftext|>", "</s>", "<|eot_id|>", "<|end_of_text|>", "<|eom_id|>", "<|end|>",
    "<end_of_turn>", "<eos>", "<|end▁of▁sentence|>", "<pad>", "<|pad|>",
)


def refuse_needs(grader: Any, available: set[str], where: str) -> None:
    """ConfigError at build time for a grader needing data this trainer never passes (group, attempts)."""
    needs = set(getattr(grader, "needs", ()) or ())
    missing = sorted(needs - available)
    if missing:
        from graders.errors import ConfigError

        at = getattr(grader, "needs_at", {})
        detail = "; ".join(f"`{m}` (needed by {', '.join(at.get(m, ()) or ['?'])})" for m in missing)
        raise ConfigError(f"grader {getattr(grader, 'name', '?')!r} needs data {where} does not provide: {detail}")


def component_keys(grader: Any) -> list[str]:
    """Every node path below the root, in tree order: the keys each row reports."""
    out: list[str] = []

    def walk(node: Any) -> None:
        for _, child in node.children:
            if child.path:
                out.append(child.path)
            walk(child)

    walk(grader.plan)
    return out


def _finite(x: float, default: float = 0.0) -> float:
    x = float(x)
    return default if math.isnan(x) else x


def row_extras(res: ScoreResult, i: int, keys: Sequence[str], *, ran_flags: bool = False) -> dict[str, float]:
    """Component values of row i under fixed keys (0.0 where the node did not run)."""
    out: dict[str, float] = {}
    for k in keys:
        col = res.components.get(k)
        v = float("nan") if col is None else float(col[i])
        out[k] = 0.0 if math.isnan(v) else v
        if ran_flags:
            out[f"{k}/ran"] = 0.0 if math.isnan(v) else 1.0
    st = int(res.status[i])
    out["grader/error"] = 1.0 if st == ERROR else 0.0
    out["grader/no_answer"] = 1.0 if st == NOT_APPLICABLE else 0.0
    return out


def rows_extras(res: ScoreResult, keys: Sequence[str], *, ran_flags: bool = False) -> list[dict[str, float]]:
    """row_extras for every row at once (one tolist() per column: no numpy scalar per value)."""
    n = len(res)
    cols: list[tuple[str, list[float] | None]] = []
    for k in keys:
        col = res.components.get(k)
        cols.append((k, None if col is None else col.tolist()))
    status = res.status.tolist()
    out: list[dict[str, float]] = []
    for i in range(n):
        d: dict[str, float] = {}
        for k, vals in cols:
            v = math.nan if vals is None else vals[i]
            ran = v == v  # not NaN
            d[k] = v if ran else 0.0
            if ran_flags:
                d[f"{k}/ran"] = 1.0 if ran else 0.0
        st = status[i]
        d["grader/error"] = 1.0 if st == ERROR else 0.0
        d["grader/no_answer"] = 1.0 if st == NOT_APPLICABLE else 0.0
        out.append(d)
    return out


def special_tokens(tokenizer: Any = None, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """Tokens to strip from the end of a decoded response, longest first."""
    toks = set(DEFAULT_SPECIAL_TOKENS) | set(extra)
    if tokenizer is not None:
        for attr in ("all_special_tokens", "additional_special_tokens"):
            toks.update(t for t in (getattr(tokenizer, attr, None) or ()) if isinstance(t, str))
        for attr in ("eos_token", "pad_token", "bos_token"):
            t = getattr(tokenizer, attr, None)
            if isinstance(t, str):
                toks.add(t)
        decoder = getattr(tokenizer, "added_tokens_decoder", None)
        if isinstance(decoder, dict):
            toks.update(str(getattr(t, "content", t)) for t in decoder.values() if getattr(t, "special", False))
    toks.discard("")
    return tuple(sorted(toks, key=len, reverse=True))


def strip_trailing_special(text: str, tokens: Sequence[str]) -> str:
    """Remove special tokens (and whitespace between them) from the end: `42</answer><|im_end|>` -> `42</answer>`.

    Text before the last special token is kept as it is, whitespace included."""
    out = text
    while True:
        stripped = out.rstrip()
        for t in tokens:
            if stripped.endswith(t):
                out = stripped[: -len(t)]
                break
        else:
            return out


class LazyScorer:
    """A grader plus, built on first use in the process that calls it, a Coalescer.

    Pickles as (grader, settings): adapters sent to Ray workers, spawned
    processes or TRL's async GRPO workers rebuild their threads where they land.
    """

    def __init__(self, grader: Any, *, coalesce: bool = True, window_ms: float = DEFAULT_WINDOW_MS,
                 max_batch: int = DEFAULT_MAX_BATCH) -> None:
        self.grader = grader
        self.coalesce = coalesce
        self.window_ms = window_ms
        self.max_batch = max_batch
        self.keys = component_keys(grader)
        self._coalescer: Coalescer | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_coalescer"] = None
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    @property
    def coalescer(self) -> Coalescer:
        c = self._coalescer
        if c is None:
            with self._lock:
                c = self._coalescer
                if c is None:
                    c = self._coalescer = Coalescer(self.grader, window_ms=self.window_ms, max_batch=self.max_batch)
        return c

    def score_rows(self, samples: list[Any], items: list[Any]) -> ScoreResult:
        """Few rows (a per-sample caller): through the coalescer; a batch: directly."""
        if self.coalesce and len(samples) < self.max_batch:
            return self.coalescer.score(samples, items)
        return self.grader.score(samples, items)

    def format_rows(self, samples: list[Any], items: list[Any], fmt: Any) -> list[Any]:
        """`fmt(result)` for these rows; per-sample callers share one batch and one fmt call."""
        if self.coalesce and len(samples) < self.max_batch:
            return (self._coalescer or self.coalescer).score_rows(samples, items, fmt)
        return fmt(self.grader.score(samples, items))  # type: ignore[no-any-return]

    def format_one(self, sample: Any, item: Any, fmt: Any) -> Any:
        """`fmt(result)[0]` for one row (a per-sample caller's hot path: format_rows, less the checks)."""
        c = self._coalescer
        if c is None:
            if not self.coalesce or self.max_batch <= 1:
                return fmt(self.grader.score([sample], [item]))[0]
            c = self.coalescer
        return c.score_row(sample, item, fmt)

    async def ascore_rows(self, samples: list[Any], items: list[Any]) -> ScoreResult:
        if self.coalesce and len(samples) < self.max_batch:
            return await self.coalescer.ascore(samples, items)
        return await self.grader.ascore(samples, items)

    async def aformat_rows(self, samples: list[Any], items: list[Any], fmt: Any) -> list[Any]:
        """format_rows, awaitable: coalesced calls share one batch and one fmt call."""
        if self.coalesce and len(samples) < self.max_batch:
            return await self.coalescer.ascore_rows(samples, items, fmt)
        return fmt(await self.grader.ascore(samples, items))  # type: ignore[no-any-return]
