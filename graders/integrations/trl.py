"""TRL `GRPOTrainer(reward_funcs=[...])` adapter.

TRL calls a reward function with keyword arguments: `prompts`, `completions`
(strings, or message lists for conversational datasets), `completion_ids`,
`trainer_state`, `log_extra`, `log_metric`, and every dataset column as a list.
The columns (and the prompt) become the grader's `item`. Each call is one
batch (`grader.score()`); `async_=True` gives an async callable, which TRL runs
concurrently with other async reward functions.

`None` in the returned list means "this reward does not apply" (TRL turns it
into NaN and leaves the row out of this function's mean; a row every function
skips gets zero advantage). A row gets None when:
- `applies_to` says so: a mapping `{column: value or [values]}` (e.g.
  `{"task": "gsm8k"}` on a mixed-task dataset) or a callable `item -> bool`;
  such rows are not scored at all;
- `none_when_missing=True` and the row lacks an item field the grader reads
  (its only errors are `missing_field` on `item.*`);
- its score is NaN (a node with `on_error: skip` failed).

Logging, beside TRL's own `rewards/<name>/mean`: `rewards/<name>/<component>/mean`
(over rows where the node ran), `rewards/<name>/<component>/ran`, and rates (not
counts) `rewards/<name>/error_rate`, `/no_answer_rate`, `/skipped_rate`.

The callable is a picklable object (TRL's async GRPO sends reward functions to
spawned workers): it pickles as its grader's config.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from graders._types import ERROR, NOT_APPLICABLE
from graders.integrations._common import component_keys, refuse_needs
from graders.result import ScoreResult

# Keyword arguments TRL passes that are not dataset columns.
_NOT_COLUMNS = {"prompts", "completions", "completion_ids", "trainer_state", "log_extra", "log_metric", "environments"}


def items_from_columns(n: int, prompts: list[Any] | None, columns: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [{} for _ in range(n)]
    for key, values in columns.items():
        if key in _NOT_COLUMNS or not isinstance(values, list | tuple) or len(values) != n:
            continue
        for i in range(n):
            items[i][key] = values[i]
    if prompts is not None and len(prompts) == n:
        for i in range(n):
            items[i]["prompt"] = prompts[i]
    return items


def _applies(rule: Mapping[str, Any] | Callable[[dict[str, Any]], bool] | None) -> Callable[[dict[str, Any]], bool] | None:
    if rule is None or callable(rule):
        return rule  # type: ignore[return-value]
    allowed = {k: (set(v) if isinstance(v, list | tuple | set | frozenset) else {v}) for k, v in rule.items()}

    def check(item: dict[str, Any]) -> bool:
        for k, ok in allowed.items():
            v = item.get(k)
            try:
                if v not in ok:
                    return False
            except TypeError:  # unhashable column value
                return False
        return True

    return check


def _only_missing_item_fields(errors: list[Any]) -> bool:
    return bool(errors) and all(e.kind == "missing_field" and "item." in e.message for e in errors)


class TRLReward:
    """A TRL reward function scoring each call's completions as one batch."""

    def __init__(self, grader: Any, *, name: str | None = None, log_components: bool = True,
                 applies_to: Mapping[str, Any] | Callable[[dict[str, Any]], bool] | None = None,
                 none_when_missing: bool = False) -> None:
        self.grader = grader
        self.label = name or grader.name
        self.__name__ = self.label.replace("-", "_").replace(" ", "_")
        self.log_components = log_components
        self.applies_to = applies_to
        self.none_when_missing = none_when_missing
        self.keys = component_keys(grader)
        refuse_needs(grader, {"group"}, "a TRL reward function")
        self.grouped = "group" in set(getattr(grader, "needs", ()) or ())

    def _groups(self, prompts: list[Any] | None, rows: list[int]) -> list[Any] | None:
        """Group ids for `needs: group` graders: the prompt each completion answers."""
        if not self.grouped or prompts is None:
            return None
        return [json.dumps(prompts[i], sort_keys=True, default=str) if not isinstance(prompts[i], str) else prompts[i]
                for i in rows]

    # TRL's metric names use get_callable_name(): our __name__.
    def _prepare(self, completions: list[Any], prompts: list[Any] | None, kwargs: dict[str, Any]) -> tuple[list[dict[str, Any]], list[int]]:
        completions = list(completions)
        items = items_from_columns(len(completions), None if prompts is None else list(prompts), kwargs)
        check = _applies(self.applies_to)
        rows = [i for i in range(len(items)) if check is None or check(items[i])]
        return items, rows

    def _finish(self, n: int, rows: list[int], res: ScoreResult | None, kwargs: dict[str, Any]) -> list[float | None]:
        out: list[float | None] = [None] * n
        if res is not None:
            for j, i in enumerate(rows):
                x = float(res.scores[j])
                if math.isnan(x) or (self.none_when_missing and _only_missing_item_fields(res.errors[j])):
                    continue
                out[i] = x
        log_metric = kwargs.get("log_metric")
        if self.log_components and callable(log_metric) and n:
            base = f"rewards/{self.__name__}"
            if res is not None and len(res):
                for comp in self.keys:
                    col = res.components.get(comp)
                    ran = np.zeros(len(res), dtype=bool) if col is None else ~np.isnan(col)
                    log_metric(f"{base}/{comp}/ran", float(ran.mean()))
                    if ran.any():
                        log_metric(f"{base}/{comp}/mean", float(col[ran].mean()))  # type: ignore[index]
                log_metric(f"{base}/error_rate", float((res.status == ERROR).mean()))
                log_metric(f"{base}/no_answer_rate", float((res.status == NOT_APPLICABLE).mean()))
            log_metric(f"{base}/skipped_rate", sum(v is None for v in out) / n)
        return out

    def __call__(self, completions: list[Any], prompts: list[Any] | None = None, **kwargs: Any) -> list[float | None]:
        items, rows = self._prepare(completions, prompts, kwargs)
        completions = list(completions)
        groups = self._groups(None if prompts is None else list(prompts), rows)
        extra = {"groups": groups} if groups is not None else {}
        res = self.grader.score([completions[i] for i in rows], [items[i] for i in rows], **extra) if rows else None
        return self._finish(len(items), rows, res, kwargs)

    def __repr__(self) -> str:
        return f"<TRL reward {self.__name__} ({self.grader!r})>"


class AsyncTRLReward(TRLReward):
    """The same, as an async callable: TRL gathers async reward functions concurrently."""

    async def __call__(self, completions: list[Any], prompts: list[Any] | None = None,  # type: ignore[override]
                       **kwargs: Any) -> list[float | None]:
        items, rows = self._prepare(completions, prompts, kwargs)
        completions = list(completions)
        groups = self._groups(None if prompts is None else list(prompts), rows)
        extra = {"groups": groups} if groups is not None else {}
        res = await self.grader.ascore([completions[i] for i in rows], [items[i] for i in rows], **extra) if rows else None
        return self._finish(len(items), rows, res, kwargs)


def trl_reward(grader: Any, *, name: str | None = None, log_components: bool = True, async_: bool = False,
               applies_to: Mapping[str, Any] | Callable[[dict[str, Any]], bool] | None = None,
               none_when_missing: bool = False) -> TRLReward:
    """A TRL reward function for `grader` (see the module docstring for None rows and logging)."""
    cls = AsyncTRLReward if async_ else TRLReward
    return cls(grader, name=name, log_components=log_components, applies_to=applies_to,
               none_when_missing=none_when_missing)
