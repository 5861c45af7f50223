"""verifiers (PrimeIntellect-ai) adapters: legacy `Rubric` reward functions and v1 Task hooks.

Legacy `vf.Rubric(funcs=..., weights=...)` (verifiers <= 0.3, `verifiers.legacy`) calls each
reward function once per rollout with only the names it declares (`prompt`, `completion`,
`answer`, `state`, `info`, ...; `**kwargs` receives them all plus the dataset's extra
columns), awaits it if it is a coroutine, and records `state["metrics"][func.__name__]`;
the reward is the weighted sum. `score_group` gathers a group's rollouts concurrently, so
each call here goes through the coalescing scorer and the group is scored as one batch.
`rubric_funcs(g)` returns the total (weight 1) and, as metrics (weight 0, as
`Rubric.add_metric` does), one function per component plus `<name>/error` and
`<name>/no_answer` (0/1 per rollout: their means are rates). A grader that `needs: group`
(group_length) gets group functions instead (plural names: `score_group` calls them once with
the group's rollouts, scored as one group; `score_rollout` refuses them, as it does any).

v1 (`verifiers.v1`, the only API of verifiers 0.4): `Task.score(trace)` invokes every
`@vf.metric` and then every `@vf.reward` hook concurrently with what it declares (`task`,
`trace`), and needs each to be awaitable. `task_reward(g)` is a reward hook returning the
total (recorded under its name with its weight); `task_metrics(g)` a metric hook returning
`{<name>/<component>: value, <name>/error, <name>/no_answer}` (recorded, not summed).
Both carry the marks `@vf.reward` / `@vf.metric` set, so they are used as class attributes:

    class MathTask(vf.Task[MathData, vf.State]):
        correct, grader_metrics = task_hooks(g)   # or only: correct = task_reward(g)

The sample is the text of the last assistant message (legacy: of the completion, a string
or a list of chat messages; v1: `trace.last_reply`). The item is `{**columns, **info,
"answer": answer, "prompt": prompt}` (legacy) or the task data's fields (v1), so gold
answers read `{{ item.answer }}`.

verifiers has no "not applicable" value for a reward (legacy does `float(result)`; v1
records `float(value)`), so a row that was not scored (a NaN from `on_error: skip`) gets
0.0, and a gated component 0.0: every row has every key. Nothing raises into the rubric
(which would log and score 0.0 without saying why): an exception scores 0.0. What happened
is recorded per rollout under `state["graders"][name]` (legacy) or
`trace.info["graders"][name]` (v1): score, status, components (null where a node did not
run) and errors. That record is also how the functions of one rollout share one scoring.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from graders._types import ERROR, NOT_APPLICABLE, STATUS_NAMES
from graders.coalesce import DEFAULT_MAX_BATCH, DEFAULT_WINDOW_MS
from graders.integrations._common import LazyScorer, refuse_needs
from graders.result import ScoreResult

RECORD_KEY = "graders"
_PLAIN = (str, int, float, bool, type(None), list, dict, tuple)
# Names the legacy Rubric passes that are not dataset columns.
_LEGACY_OBJECTS = {"prompt", "completion", "answer", "state", "info", "task", "parser"}


def _get(obj: Any, key: str) -> Any:
    """A field of a chat message or content part: a dict, or a pydantic message (legacy or v1)."""
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def content_text(content: Any) -> str:
    """A message's content as text: a string, or the text parts of a content-part list."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list | tuple):
        parts = [_get(p, "text") if not isinstance(p, str) else p for p in content]
        return "".join(p for p in parts if isinstance(p, str))
    return str(content)


def completion_text(completion: Any) -> str:
    """The text to grade: a string as is; for a message list, the last assistant message's text."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list | tuple):
        for msg in reversed(completion):
            if _get(msg, "role") == "assistant":
                return content_text(_get(msg, "content"))
        return content_text(_get(completion[-1], "content")) if completion else ""
    if completion is None:
        return ""
    return content_text(_get(completion, "content")) if _get(completion, "role") else str(completion)


def _plain(v: Any) -> Any:
    """A JSON-ish value for the item (pydantic messages become dicts)."""
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    dump = getattr(v, "model_dump", None)
    return dump() if callable(dump) else v


def _fingerprint(grader_digest: str, text: str, item: Mapping[str, Any]) -> str:
    """Whether a recorded scoring is of this grader on this same rollout (a state can be edited
    and re-scored; two graders of one name in a RubricGroup must not share a record)."""
    h = hashlib.blake2b(grader_digest.encode(), digest_size=8)
    h.update(text.encode("utf-8", "surrogatepass"))
    h.update(repr(item.get("answer")).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _grader_digest(grader: Any) -> str:
    spec = getattr(grader, "spec", None)
    try:
        data = spec.model_dump(mode="json", exclude_unset=True)  # type: ignore[union-attr]
    except Exception:
        data = repr(grader)
    return hashlib.blake2b(json.dumps(data, sort_keys=True, default=str).encode(), digest_size=8).hexdigest()


class _Core:
    """Grader, name and keys shared by a set of hooks; pickles as its grader and settings."""

    def __init__(self, grader: Any, *, name: str | None, coalesce: bool, window_ms: float, max_batch: int,
                 group: bool = False) -> None:
        refuse_needs(grader, {"group"} if group else set(),
                     "a verifiers group reward function" if group else "a verifiers reward hook (one rollout per call)")
        self.grader = grader
        self.scorer = LazyScorer(grader, coalesce=coalesce, window_ms=window_ms, max_batch=max_batch)
        self.label = name or grader.name
        self.keys = self.scorer.keys
        self.digest = _grader_digest(grader)

    def record(self, res: ScoreResult, fp: str, i: int = 0) -> dict[str, Any]:
        """Row i of `res` as a plain JSON record (stored in the rollout's state / trace.info)."""
        score = float(res.scores[i])
        comps: dict[str, float | None] = {}
        for k in self.keys:
            col = res.components.get(k)
            v = None if col is None else float(col[i])
            comps[k] = None if v is None or v != v else v
        st = int(res.status[i])
        return {"score": score if score == score else None, "status": STATUS_NAMES.get(st, str(st)),
                "components": comps, "errors": [e.to_dict() for e in res.errors[i]], "fingerprint": fp}

    def error_record(self, e: BaseException, fp: str) -> dict[str, Any]:
        return {"score": 0.0, "status": "error", "components": dict.fromkeys(self.keys),
                "errors": [{"kind": "exception", "grader": "<adapter>", "message": f"{type(e).__name__}: {e}"}],
                "fingerprint": fp}

    def cached(self, store: Any, fp: str) -> dict[str, Any] | None:
        records = store.get(RECORD_KEY) if store is not None else None
        if isinstance(records, dict):
            rec = records.get(self.label)
            if isinstance(rec, dict) and rec.get("fingerprint") == fp:
                return rec
        return None

    def keep(self, store: Any, rec: dict[str, Any]) -> None:
        if store is None:
            return
        try:
            records = store.get(RECORD_KEY)
            if not isinstance(records, dict):
                records = {}
                store[RECORD_KEY] = records
            records[self.label] = rec
        except Exception:  # a read-only store: the record is just not kept
            pass

    async def scored(self, store: Any, text: str, item: dict[str, Any]) -> dict[str, Any]:
        """This rollout's record: reused from `store` when the same rollout was scored already."""
        fp = _fingerprint(self.digest, text, item)
        rec = self.cached(store, fp)
        if rec is not None:
            return rec
        try:
            res = await self.scorer.ascore_rows([{"output_text": text}], [item])
            rec = self.record(res, fp)
        except Exception as e:  # never into the rubric: a defined score and the reason
            rec = self.error_record(e, fp)
        self.keep(store, rec)
        return rec

    async def scored_group(self, stores: list[Any], texts: list[str], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One group's records (one prompt's rollouts, as `Rubric.score_group` passes them): reused
        when every rollout was scored already, else the whole group as one batch and one group."""
        fps = [_fingerprint(self.digest, t, it) for t, it in zip(texts, items, strict=True)]
        recs = [self.cached(st, fp) for st, fp in zip(stores, fps, strict=True)]
        if all(r is not None for r in recs):
            return recs  # type: ignore[return-value]
        try:
            res = await self.grader.ascore([{"output_text": t} for t in texts], items, groups=[0] * len(texts))
            out = [self.record(res, fp, i) for i, fp in enumerate(fps)]
        except Exception as e:
            out = [self.error_record(e, fp) for fp in fps]
        for st, rec in zip(stores, out, strict=True):
            self.keep(st, rec)
        return out

    def metric_names(self) -> list[str]:
        return [f"{self.label}/{k}" for k in self.keys] + [f"{self.label}/error", f"{self.label}/no_answer"]

    @staticmethod
    def value(rec: dict[str, Any], key: str | None) -> float:
        """The total (key None), a component (0.0 where it did not run), or an `error`/`no_answer` flag."""
        if key is None:
            v = rec.get("score")
        elif key == "/error":
            return 1.0 if rec.get("status") == STATUS_NAMES[ERROR] else 0.0
        elif key == "/no_answer":
            return 1.0 if rec.get("status") == STATUS_NAMES[NOT_APPLICABLE] else 0.0
        else:
            v = (rec.get("components") or {}).get(key)
        return 0.0 if v is None or v != v else float(v)


# -- legacy Rubric -----------------------------------------------------------------------------
def legacy_item(answer: Any, info: Any, prompt: Any, columns: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {k: _plain(v) for k, v in columns.items() if k not in _LEGACY_OBJECTS
                            and isinstance(v, _PLAIN)}
    if isinstance(info, Mapping):
        item.update((k, _plain(v)) for k, v in info.items())
    item["answer"] = _plain(answer)
    if prompt is not None:
        item["prompt"] = _plain(prompt)
    return item


class RubricFunc:
    """One legacy reward function: the total (`key=None`), a component path, `/error` or `/no_answer`.

    A callable object (picklable), `async`, declaring the names the Rubric passes; no plural
    names and no list return, so the Rubric treats it as a per-rollout function.
    """

    def __init__(self, core: _Core, key: str | None) -> None:
        self.core = core
        self.key = key
        if key is None:
            self.__name__ = core.label
        elif key.startswith("/"):
            self.__name__ = f"{core.label}{key}"
        else:
            self.__name__ = f"{core.label}/{key}"

    async def __call__(self, completion: Any = None, answer: Any = None, info: Any = None, prompt: Any = None,
                       state: Any = None, **columns: Any) -> float:
        try:
            text = completion_text(completion)
            item = legacy_item(answer, info, prompt, columns)
            rec = await self.core.scored(state if isinstance(state, dict) else None, text, item)
            return self.core.value(rec, self.key)
        except Exception:  # a malformed rollout: 0.0, as the Rubric would, and no traceback in its log
            return 0.0

    def __repr__(self) -> str:
        return f"<verifiers reward {self.__name__}>"


class RubricGroupFunc(RubricFunc):
    """The group form, for graders that `needs: group` (group_length, ...): plural names, so the
    Rubric calls it once per group in `score_group` with the group's rollouts, scored as one group."""

    async def __call__(self, completions: Any = None, answers: Any = None, infos: Any = None,  # type: ignore[override]
                       prompts: Any = None, states: Any = None) -> list[float]:
        n = len(completions or ())
        try:
            def at(xs: Any, i: int) -> Any:
                return xs[i] if xs is not None and i < len(xs) else None

            texts = [completion_text(c) for c in completions]
            items = [legacy_item(at(answers, i), at(infos, i), at(prompts, i), {}) for i in range(n)]
            stores = [s if isinstance(s, dict) else None for s in (states or [None] * n)]
            recs = await self.core.scored_group(stores, texts, items)
            return [self.core.value(r, self.key) for r in recs]
        except Exception:
            return [0.0] * n


def rubric_funcs(grader: Any, *, name: str | None = None, weight: float = 1.0, components: bool = True,
                 coalesce: bool = True, window_ms: float = DEFAULT_WINDOW_MS,
                 max_batch: int = DEFAULT_MAX_BATCH) -> tuple[list[RubricFunc], list[float]]:
    """`(funcs, weights)` for `vf.Rubric(funcs=funcs, weights=weights)`: the total with `weight`,
    then (with `components`) each component and the error/no-answer flags as weight-0 metrics.

    A grader that `needs: group` gets group functions (one call per rollout group, which
    `Rubric.score_group` makes and `score_rollout` refuses); one that needs attempts is refused."""
    group = "group" in set(getattr(grader, "needs", ()) or ())
    core = _Core(grader, name=name, coalesce=coalesce, window_ms=window_ms, max_batch=max_batch, group=group)
    cls = RubricGroupFunc if group else RubricFunc
    funcs = [cls(core, None)]
    if components:
        funcs += [cls(core, k) for k in core.keys] + [cls(core, "/error"), cls(core, "/no_answer")]
    return funcs, [float(weight)] + [0.0] * (len(funcs) - 1)


def verifiers_rubric(grader: Any, *, parser: Any = None, **kwargs: Any) -> Any:
    """A legacy `vf.Rubric` holding `rubric_funcs(grader, **kwargs)` (needs verifiers <= 0.3)."""
    try:
        from verifiers.legacy.rubrics.rubric import Rubric
    except ImportError:
        try:
            from verifiers import Rubric  # type: ignore[attr-defined,no-redef]  # verifiers < 0.3
        except ImportError as e:
            raise ImportError("verifiers_rubric needs verifiers with the legacy Rubric (<= 0.3.x); for "
                              "verifiers 0.4 (v1 only) use task_reward / task_metrics") from e
    funcs, weights = rubric_funcs(grader, **kwargs)
    return Rubric(funcs=funcs, weights=weights, parser=parser)


# -- v1 Task hooks -----------------------------------------------------------------------------
def task_item(task: Any) -> dict[str, Any]:
    """The task data's fields as the item: those the dataset row set (pydantic), or a mapping."""
    dump = getattr(task, "model_dump", None)
    if callable(dump):
        return dump(mode="json", exclude_unset=True)  # type: ignore[no-any-return]
    if isinstance(task, Mapping):
        return {k: _plain(v) for k, v in task.items()}
    return {}


def _trace_text(trace: Any) -> str:
    reply = getattr(trace, "last_reply", None)
    if isinstance(reply, str):
        return reply
    return completion_text(_get(trace, "completion"))


def _trace_store(trace: Any) -> Any:
    info = getattr(trace, "info", None)
    return info if isinstance(info, dict) else None


class TaskReward:
    """A v1 `@vf.reward` hook (the marks set as the decorator sets them): the grader's total."""

    reward = True

    def __init__(self, core: _Core, weight: float, priority: int) -> None:
        self.core = core
        self.__name__ = core.label
        self._vf_weight = float(weight)
        self.reward_priority = priority

    async def __call__(self, task: Any, trace: Any) -> float:
        try:
            rec = await self.core.scored(_trace_store(trace), _trace_text(trace), task_item(task))
            return self.core.value(rec, None)
        except Exception:
            return 0.0

    def __repr__(self) -> str:
        return f"<verifiers v1 reward {self.__name__} weight={self._vf_weight:g}>"


class TaskMetrics:
    """A v1 `@vf.metric` hook: `{<name>/<component>, <name>/error, <name>/no_answer}`, every key every time."""

    metric = True

    def __init__(self, core: _Core, priority: int) -> None:
        self.core = core
        self.__name__ = f"{core.label}/metrics"
        self.metric_priority = priority

    async def __call__(self, task: Any, trace: Any) -> dict[str, float]:
        names = self.core.metric_names()
        keys: list[str | None] = [*self.core.keys, "/error", "/no_answer"]
        try:
            rec = await self.core.scored(_trace_store(trace), _trace_text(trace), task_item(task))
        except Exception:
            rec = {"status": "error"}
        return {n: self.core.value(rec, k) for n, k in zip(names, keys, strict=True)}

    def __repr__(self) -> str:
        return f"<verifiers v1 metrics {self.__name__}>"


def task_reward(grader: Any, *, name: str | None = None, weight: float = 1.0, priority: int = 0,
                coalesce: bool = True, window_ms: float = DEFAULT_WINDOW_MS,
                max_batch: int = DEFAULT_MAX_BATCH) -> TaskReward:
    """A verifiers v1 reward hook for `grader` (a class attribute of a `vf.Task`)."""
    return TaskReward(_Core(grader, name=name, coalesce=coalesce, window_ms=window_ms, max_batch=max_batch),
                      weight, priority)


def task_metrics(grader: Any, *, name: str | None = None, priority: int = 0, coalesce: bool = True,
                 window_ms: float = DEFAULT_WINDOW_MS, max_batch: int = DEFAULT_MAX_BATCH) -> TaskMetrics:
    """A verifiers v1 metric hook recording `grader`'s components and error/no-answer flags."""
    return TaskMetrics(_Core(grader, name=name, coalesce=coalesce, window_ms=window_ms, max_batch=max_batch),
                       priority)


def task_hooks(grader: Any, *, name: str | None = None, weight: float = 1.0, priority: int = 0,
               coalesce: bool = True, window_ms: float = DEFAULT_WINDOW_MS,
               max_batch: int = DEFAULT_MAX_BATCH) -> tuple[TaskReward, TaskMetrics]:
    """`(reward, metrics)` sharing one scorer: v1 runs metric hooks first, so the metrics hook
    scores the rollout and the reward hook reads its record from `trace.info`."""
    core = _Core(grader, name=name, coalesce=coalesce, window_ms=window_ms, max_batch=max_batch)
    return TaskReward(core, weight, priority), TaskMetrics(core, priority)
