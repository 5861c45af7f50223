"""TRL `GRPOTrainer(reward_funcs=[...])` adapter.

TRL calls a reward function with keyword arguments: `prompts`, `completions`
(strings, or message lists for conversational datasets), `completion_ids`,
`trainer_state`, `log_extra`, `log_metric`, and every dataset column as a list.
The columns (and the prompt) become the grader's `item`; `None` in the
returned list means "this reward does not apply" (TRL turns it into NaN and
drops it), which is what a row whose score is NaN (`on_error: skip`) becomes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from graders.api import Grader

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


def trl_reward(grader: Grader, *, name: str | None = None, log_components: bool = True) -> Callable[..., list[float | None]]:
    """A TRL reward function scoring each call's completions as one batch.

    Component means are sent to TRL's `log_metric` as `<name>/<component>`.
    """
    label = name or grader.name

    def reward(completions: list[Any], prompts: list[Any] | None = None, **kwargs: Any) -> list[float | None]:
        items = items_from_columns(len(completions), prompts, kwargs)
        res = grader.score(completions, items)
        log_metric = kwargs.get("log_metric")
        if log_components and callable(log_metric):
            for comp, vals in res.components.items():
                finite = [float(v) for v in vals if not math.isnan(v)]
                if finite:
                    log_metric(f"{label}/{comp}", sum(finite) / len(finite))
            log_metric(f"{label}/errors", float(res.n_error))
        return [None if math.isnan(x) else float(x) for x in res.scores.tolist()]

    reward.__name__ = label.replace("-", "_")
    reward.__qualname__ = reward.__name__
    return reward
