"""OpenRLHF `--reward.remote_url file.py` adapter (and the response extraction `graders serve` uses).

OpenRLHF 0.11's SingleTurnAgentExecutor calls `reward_func(queries, prompts,
labels)` with ONE sample at a time, each in its own thread
(`asyncio.to_thread`). `queries` is prompt + response decoded *with* special
tokens, so the response is the query minus its prompt, minus trailing special
tokens (`<|im_end|>`, `<|endoftext|>`, `</s>`, `<|eot_id|>`, ... and every
special token of `tokenizer` when it is passed): a correct answer followed by
`<|im_end|>` still passes a `</answer>\\s*$` gate. The item is
`{"label": ..., "prompt": ...}`. Calls go through a Coalescer, so concurrent
samples are scored as one batch.

It returns `{"rewards", "scores", "extra_logs"}`: torch tensors (OpenRLHF's own
example form) or, with `as_lists=True`, plain lists (JSON, for the HTTP path).
`extra_logs` has the same keys for every sample (OpenRLHF concatenates them
across samples): each component (0.0 where a gate stopped it),
`grader/error` and `grader/no_answer`.

    # reward.py  (--reward.remote_url reward.py)
    import graders
    from graders.integrations.openrlhf import openrlhf_reward_func
    reward_func = openrlhf_reward_func(graders.load("grader.yaml"))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graders.coalesce import DEFAULT_MAX_BATCH, DEFAULT_WINDOW_MS
from graders.integrations._common import (
    LazyScorer,
    refuse_needs,
    rows_extras,
    special_tokens,
    strip_trailing_special,
)
from graders.result import ScoreResult


def response_of(query: str, prompt: str, tokens: tuple[str, ...]) -> str:
    """The response inside an OpenRLHF query: after the prompt, without trailing special tokens."""
    if query.startswith(prompt):
        body = query[len(prompt):]
    else:  # a BOS token or a decode that normalised the prompt: cut after its first occurrence
        at = query.find(prompt) if prompt else -1
        body = query[at + len(prompt):] if at >= 0 else query
    return strip_trailing_special(body, tokens)


class OpenRLHFReward:
    """`reward_func(queries, prompts, labels, **kwargs)` for OpenRLHF; picklable, threads built lazily."""

    __name__ = "reward_func"

    def __init__(self, grader: Any, *, tokenizer: Any = None, extra_special_tokens: Iterable[str] = (),
                 as_lists: bool = False, coalesce: bool = True, window_ms: float = DEFAULT_WINDOW_MS,
                 max_batch: int = DEFAULT_MAX_BATCH, ran_flags: bool = False) -> None:
        refuse_needs(grader, set(), "OpenRLHF's per-sample reward_func")
        self.scorer = LazyScorer(grader, coalesce=coalesce, window_ms=window_ms, max_batch=max_batch)
        self.tokens = special_tokens(tokenizer, extra_special_tokens)
        self.as_lists = as_lists
        self.ran_flags = ran_flags

    def inputs(self, queries: list[str], prompts: list[str], labels: list[Any] | None) -> tuple[list[str], list[dict[str, Any]]]:
        n = len(queries)
        if len(prompts) != n or (labels is not None and len(labels) != n):
            raise ValueError(f"queries, prompts and labels differ in length: {n}, {len(prompts)}, "
                             f"{'-' if labels is None else len(labels)}")
        labels = labels if labels is not None else [None] * n
        responses = [response_of(q, p, self.tokens) for q, p in zip(queries, prompts, strict=True)]
        items = [{"label": lab, "prompt": p} for lab, p in zip(labels, prompts, strict=True)]
        return responses, items

    def rows(self, res: ScoreResult) -> list[tuple[float, dict[str, float]]]:
        """(reward, extra_logs entries) per row of a batch, vectorised: the coalescer calls it once
        per batch and hands each per-sample caller its rows."""
        extras = rows_extras(res, self.scorer.keys, ran_flags=self.ran_flags)
        return [(s if s == s else 0.0, ex) for s, ex in zip(res.scores.tolist(), extras, strict=True)]

    def output(self, res: ScoreResult) -> dict[str, Any]:
        """The reward_func return for a whole ScoreResult."""
        return self.output_rows(self.rows(res))

    def output_rows(self, rows: list[tuple[float, dict[str, float]]]) -> dict[str, Any]:
        rewards = [r for r, _ in rows]
        keys = list(rows[0][1]) if rows else []
        logs = {k: [ex[k] for _, ex in rows] for k in keys}
        if self.as_lists:
            return {"rewards": rewards, "scores": list(rewards), "extra_logs": logs}
        try:
            import torch
        except ImportError:
            return {"rewards": rewards, "scores": list(rewards), "extra_logs": logs}
        t = torch.tensor(rewards, dtype=torch.float32)
        return {"rewards": t, "scores": t.clone(),
                "extra_logs": {k: torch.tensor(v, dtype=torch.float32) for k, v in logs.items()}}

    def __call__(self, queries: list[str], prompts: list[str], labels: list[Any] | None = None, **_: Any) -> dict[str, Any]:
        responses, items = self.inputs(list(queries), list(prompts), None if labels is None else list(labels))
        return self.output_rows(self.scorer.format_rows(responses, items, self.rows))

    async def acall(self, queries: list[str], prompts: list[str], labels: list[Any] | None = None, **_: Any) -> dict[str, Any]:
        """The same, awaitable (for an asyncio caller such as the reward server)."""
        responses, items = self.inputs(list(queries), list(prompts), None if labels is None else list(labels))
        return self.output_rows(await self.scorer.aformat_rows(responses, items, self.rows))


def openrlhf_reward_func(grader: Any, **options: Any) -> OpenRLHFReward:
    """The `reward_func` for an OpenRLHF reward file; options as in OpenRLHFReward."""
    return OpenRLHFReward(grader, **options)
