"""verl `custom_reward_function` adapter (naive/dapo managers and the batch manager).

verl calls `compute_score(data_source, solution_str, ground_truth, extra_info)`
per sample, or with plural names (`data_sources`, `solution_strs`,
`ground_truths`, `extra_infos`) from its batch reward manager. The item a
grader sees is `{"ground_truth": ..., "data_source": ..., **extra_info}`, so
reference templates read `{{ item.ground_truth }}`. The return value is a dict
with `score` plus one key per component, which verl logs as reward_extra_info.

Point verl at a module that builds the grader once:

    # my_reward.py
    import graders
    from graders.integrations.verl import verl_compute_score
    compute_score = verl_compute_score(graders.load("grader.yaml"))
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from graders.api import Grader


def _item(data_source: Any, ground_truth: Any, extra_info: Any) -> dict[str, Any]:
    item: dict[str, Any] = dict(extra_info) if isinstance(extra_info, dict) else {}
    item["ground_truth"] = ground_truth
    item["data_source"] = data_source
    return item


def _row(res: Any, i: int) -> dict[str, Any]:
    score = float(res.scores[i])
    out: dict[str, Any] = {"score": 0.0 if math.isnan(score) else score}
    for comp, vals in res.components.items():
        v = float(vals[i])
        out[comp] = 0.0 if math.isnan(v) else v
    out["grader_status"] = int(res.status[i])
    return out


def verl_compute_score(grader: Grader) -> Callable[..., Any]:
    """A `compute_score` for verl: a dict per sample, or a list of dicts for the batch manager."""

    def compute_score(data_source: Any = None, solution_str: Any = None, ground_truth: Any = None,
                      extra_info: Any = None, *, data_sources: Any = None, solution_strs: Any = None,
                      ground_truths: Any = None, extra_infos: Any = None, **_: Any) -> Any:
        if solution_strs is not None:
            n = len(solution_strs)
            sources = data_sources if data_sources is not None else [None] * n
            truths = ground_truths if ground_truths is not None else [None] * n
            extras = extra_infos if extra_infos is not None else [None] * n
            items = [_item(sources[i], truths[i], extras[i]) for i in range(n)]
            res = grader.score(list(solution_strs), items)
            return [_row(res, i) for i in range(n)]
        res = grader.score([solution_str], [_item(data_source, ground_truth, extra_info)])
        return _row(res, 0)

    return compute_score
