"""verl `custom_reward_function` adapter (reward loop, remote manager, legacy batch manager).

verl 0.9's reward loop calls `compute_score(data_source, solution_str,
ground_truth, extra_info)` once per sample: in a thread pool for a plain
function, awaited for an `async def` one (`asynchronous=True`), or in a Ray
actor for the `remote` manager (which pickles the function: ours pickles as
its config and rebuilds its threads in the actor). Per-sample calls go
through a Coalescer, so concurrent samples are scored as one batch. Only the
legacy batch manager passes plural names (`data_sources`, `solution_strs`,
`ground_truths`, `extra_infos`); those calls are scored directly.

The grader's item is `{"ground_truth": ..., "data_source": ..., **extra_info}`:
verl writes the dataset's answer to `reward_model.ground_truth` and passes it
as `ground_truth` (in its GSM8K preprocessing `extra_info.answer` is the whole
worked solution), so references read `{{ item.ground_truth }}`. numpy values
(parquet columns) become plain Python values.

The return is a dict: `score`, then one key per component (0.0 where a gate
stopped the node), `grader/error` and `grader/no_answer` (0/1), the same keys
on every sample, which verl's reward loop requires to build reward_extra_info.

    # my_reward.py  (custom_reward_function.path=my_reward.py, name=compute_score)
    import graders
    from graders.integrations.verl import verl_compute_score
    compute_score = verl_compute_score(graders.load("grader.yaml"))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graders.coalesce import DEFAULT_MAX_BATCH, DEFAULT_WINDOW_MS
from graders.integrations._common import LazyScorer, _finite, refuse_needs, row_extras, rows_extras
from graders.result import ScoreResult


def _plain(v: Any) -> Any:
    if type(v).__module__ == "numpy":
        return v.tolist() if hasattr(v, "tolist") else v
    return v


# Values _plain leaves alone, checked in C (`issuperset(map(type, ...))`): a per-sample call
# builds its item without a Python-level call per value.
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def _item(data_source: Any, ground_truth: Any, extra_info: Any) -> dict[str, Any]:
    if isinstance(extra_info, dict):
        if _PLAIN_TYPES.issuperset(map(type, extra_info.values())):
            item: dict[str, Any] = dict(extra_info)
        else:
            item = {k: _plain(v) for k, v in extra_info.items()}
    else:
        item = {}
    item["ground_truth"] = ground_truth if type(ground_truth) in _PLAIN_TYPES else _plain(ground_truth)
    item["data_source"] = data_source if type(data_source) in _PLAIN_TYPES else _plain(data_source)
    return item


class _Verl:
    """State shared by the sync and async forms; pickles as its grader and settings."""

    def __init__(self, scorer: LazyScorer, ran_flags: bool) -> None:
        self.scorer = scorer
        self.ran_flags = ran_flags

    def row(self, res: ScoreResult, i: int) -> dict[str, Any]:
        out: dict[str, Any] = {"score": _finite(res.scores[i])}
        out.update(row_extras(res, i, self.scorer.keys, ran_flags=self.ran_flags))
        return out

    def rows(self, res: ScoreResult) -> list[dict[str, Any]]:
        """`row` for every row of a batch, vectorised (the coalescer calls it once per batch)."""
        extras = rows_extras(res, self.scorer.keys, ran_flags=self.ran_flags)
        out = []
        for s, ex in zip(res.scores.tolist(), extras, strict=True):
            d: dict[str, Any] = {"score": s if s == s else 0.0}
            d.update(ex)
            out.append(d)
        return out

    def batch(self, data_sources: Any, solution_strs: Any, ground_truths: Any, extra_infos: Any) -> list[dict[str, Any]]:
        n = len(solution_strs)
        sources = data_sources if data_sources is not None else [None] * n
        truths = ground_truths if ground_truths is not None else [None] * n
        extras = extra_infos if extra_infos is not None else [None] * n
        items = [_item(sources[i], truths[i], extras[i]) for i in range(n)]
        return self.rows(self.scorer.grader.score([str(s) for s in solution_strs], items))


def verl_compute_score(grader: Any, *, asynchronous: bool = False, coalesce: bool = True,
                       window_ms: float = DEFAULT_WINDOW_MS, max_batch: int = DEFAULT_MAX_BATCH,
                       ran_flags: bool = False) -> Callable[..., Any]:
    """A `compute_score` for verl: a dict per sample (or a list of dicts for the legacy batch manager).

    `asynchronous=True` returns an `async def` (verl awaits it on its event loop instead of
    using a thread). `ran_flags=True` adds `<component>/ran` (1.0/0.0) per component.
    """
    refuse_needs(grader, set(), "verl's per-sample compute_score")
    state = _Verl(LazyScorer(grader, coalesce=coalesce, window_ms=window_ms, max_batch=max_batch), ran_flags)

    if asynchronous:
        async def compute_score_async(data_source: Any = None, solution_str: Any = None, ground_truth: Any = None,
                                      extra_info: Any = None, *, data_sources: Any = None, solution_strs: Any = None,
                                      ground_truths: Any = None, extra_infos: Any = None, **_: Any) -> Any:
            if solution_strs is not None:
                return state.batch(data_sources, solution_strs, ground_truths, extra_infos)
            rows = await state.scorer.aformat_rows([str(solution_str)], [_item(data_source, ground_truth, extra_info)],
                                                   state.rows)
            return rows[0]

        compute_score_async.state = state  # type: ignore[attr-defined]
        return compute_score_async

    return VerlComputeScore(state)


class VerlComputeScore:
    """The synchronous `compute_score` (a picklable callable object; verl calls it in its thread pool)."""

    __name__ = "compute_score"

    def __init__(self, state: _Verl) -> None:
        self.state = state
        self._fmt = state.rows  # one bound method for every call: the coalescer formats each batch once

    def __getstate__(self) -> dict[str, Any]:
        return {"state": self.state}

    def __setstate__(self, d: dict[str, Any]) -> None:
        self.__init__(d["state"])  # type: ignore[misc]

    def __call__(self, data_source: Any = None, solution_str: Any = None, ground_truth: Any = None,
                 extra_info: Any = None, *, data_sources: Any = None, solution_strs: Any = None,
                 ground_truths: Any = None, extra_infos: Any = None, **_: Any) -> Any:
        state = self.state
        if solution_strs is not None:
            return state.batch(data_sources, solution_strs, ground_truths, extra_infos)
        text = solution_str if type(solution_str) is str else str(solution_str)
        return state.scorer.format_one(text, _item(data_source, ground_truth, extra_info), self._fmt)
