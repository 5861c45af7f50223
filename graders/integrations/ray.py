"""Ray: score a Ray Dataset over warm actors, or call a scorer actor (optional extra `graders[ray]`).

`score_dataset(ds, grader)` runs `ds.map_batches` over an actor pool
(`concurrency=N` actors): each actor receives the grader pickled as its config,
compiles it once and keeps it (and its pair cache) warm across batches. Rows
carry the sample in `sample_column` and the item either in one `item_column`
of dicts or as the remaining columns; the output adds `score`, `status` (0
scored, 1 no answer, 2 error) and one `<prefix><component>` column per
component (NaN where a gate stopped the node; the same columns in every batch).

`ScorerActor` (`scorer_actor(grader)`) is a Ray actor with `score(samples,
items)` (a batch) and `compute_score(...)` (verl's per-sample signature, through
a Coalescer: with `max_concurrency > 1` concurrent callers share batches), for
verl's `remote` reward manager pattern and NeMo-RL environments
(graders.integrations.nemo_rl).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.integrations._common import component_keys


def _column(values: Any) -> list[Any]:
    out = values.tolist() if hasattr(values, "tolist") else list(values)
    return out


class GraderBatchScorer:
    """The map_batches callable class: built once per actor, then called per batch (numpy format)."""

    def __init__(self, grader: Any, sample_column: str = "sample", item_column: str | None = "item",
                 prefix: str = "component/") -> None:
        self.grader = grader  # unpickled here: recompiled once per actor
        self.sample_column = sample_column
        self.item_column = item_column
        self.prefix = prefix
        self.keys = component_keys(grader)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        samples = _column(batch[self.sample_column])
        n = len(samples)
        if self.item_column is not None and self.item_column in batch:
            items = [it if isinstance(it, dict) else {} for it in _column(batch[self.item_column])]
        else:
            cols = {k: _column(v) for k, v in batch.items() if k != self.sample_column}
            items = [{k: v[i] for k, v in cols.items()} for i in range(n)]
        res = self.grader.score(samples, items)
        out = dict(batch)
        out["score"] = res.scores
        out["status"] = res.status.astype(np.int8)
        for k in self.keys:
            col = res.components.get(k)
            out[self.prefix + k] = np.full(n, np.nan) if col is None else col
        return out


def score_dataset(ds: Any, grader: Any, *, concurrency: int = 1, batch_size: int = 1024,
                  sample_column: str = "sample", item_column: str | None = "item",
                  prefix: str = "component/", num_cpus: float = 1) -> Any:
    """`ds` with score columns added, scored by `concurrency` warm actors (lazy, like every Ray Dataset op)."""
    return ds.map_batches(GraderBatchScorer, fn_constructor_args=(grader, sample_column, item_column, prefix),
                          concurrency=concurrency, batch_size=batch_size, batch_format="numpy", num_cpus=num_cpus)


class _Scorer:
    """A warm grader in an actor process (see scorer_actor)."""

    def __init__(self, grader: Any, window_ms: float = 2.0) -> None:
        from graders.integrations.verl import verl_compute_score

        self.grader = grader
        self.keys = component_keys(grader)
        self._verl = verl_compute_score(grader, window_ms=window_ms)

    def score(self, samples: list[Any], items: list[Any] | None = None) -> dict[str, Any]:
        """A batch: scores, status, components (NaN -> None where not run) and errors per row."""
        res = self.grader.score(samples, items)
        return {"scores": res.scores.tolist(), "status": res.status.tolist(),
                "components": {k: (res.components[k].tolist() if k in res.components else [float("nan")] * len(res))
                               for k in self.keys},
                "errors": [[e.to_dict() for e in errs] for errs in res.errors]}

    def compute_score(self, data_source: Any = None, solution_str: Any = None, ground_truth: Any = None,
                      extra_info: Any = None, **kwargs: Any) -> dict[str, Any]:
        """verl's per-sample signature (the dict verl_compute_score returns)."""
        return self._verl(data_source, solution_str, ground_truth, extra_info, **kwargs)  # type: ignore[no-any-return]

    def ping(self) -> str:
        return self.grader.name  # type: ignore[no-any-return]


def scorer_actor(grader: Any, *, max_concurrency: int = 64, num_cpus: float = 1, **options: Any) -> Any:
    """Start a ScorerActor (threaded: concurrent compute_score calls are coalesced into batches)."""
    import ray

    cls = ray.remote(_Scorer)
    return cls.options(max_concurrency=max_concurrency, num_cpus=num_cpus, **options).remote(grader)


__all__ = ["GraderBatchScorer", "score_dataset", "scorer_actor"]
