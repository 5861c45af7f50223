"""The verifiers adapters without verifiers installed: the call shapes its Rubric and v1 Task use.

The real library drives them in tests/integrations/trainers/test_verifiers.py.
"""

from __future__ import annotations

import asyncio
import inspect
import pickle
from typing import Any

import pytest

import graders
from graders.errors import ConfigError
from graders.integrations.verifiers import (
    completion_text,
    rubric_funcs,
    task_hooks,
    task_item,
    task_reward,
)

# A format gate: rows without <answer>...</answer> at the end never run `correct`.
GATED = {"name": "gsm8k", "grader": {"type": "gate", "otherwise": 0.0, "graders": {
    "format": {"type": "regex", "pattern": r"(?s)<answer>.*</answer>\s*$"},
    "correct": {"type": "numeric", "reference": "{{ item.answer }}",
                "extract": [{"type": "xml_tag", "tag": "answer"}, "auto"]}}}}


def _call(fn: Any, **objects: Any) -> Any:
    """What the legacy Rubric does: pass the names the function declares (all of them with **kwargs)."""
    sig = inspect.signature(fn)
    if not any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values()):
        objects = {k: v for k, v in objects.items() if k in sig.parameters}
    return asyncio.run(fn(**objects))


def test_completion_text_of_strings_messages_and_content_parts() -> None:
    assert completion_text("<answer>4</answer>") == "<answer>4</answer>"
    msgs = [{"role": "assistant", "content": "thinking"}, {"role": "tool", "content": "ok", "tool_call_id": "1"},
            {"role": "assistant", "content": [{"type": "text", "text": "<answer>"}, {"type": "image_url"},
                                              {"type": "text", "text": "4</answer>"}]}]
    assert completion_text(msgs) == "<answer>4</answer>"
    assert completion_text([{"role": "user", "content": "hi"}]) == "hi"  # no assistant message: the last one
    assert completion_text([]) == "" and completion_text(None) == ""

    class Msg:  # a pydantic-style message object (legacy and v1 messages are models)
        def __init__(self, role: str, content: Any) -> None:
            self.role, self.content = role, content

    assert completion_text([Msg("assistant", "a"), Msg("user", "b")]) == "a"


def test_rubric_funcs_shape_names_and_weights() -> None:
    g = graders.from_dict(GATED)
    funcs, weights = rubric_funcs(g, weight=2.0)
    names = [f.__name__ for f in funcs]
    assert names == ["gsm8k", "gsm8k/format", "gsm8k/correct", "gsm8k/error", "gsm8k/no_answer"]
    assert weights == [2.0, 0.0, 0.0, 0.0, 0.0]
    plural = {"states", "prompts", "completions", "answers", "tasks", "infos"}
    for f in funcs:  # the Rubric's per-rollout test: no plural names, no list return
        sig = inspect.signature(f)
        assert not set(sig.parameters) & plural
        assert sig.return_annotation in (float, "float")
        assert inspect.iscoroutinefunction(type(f).__call__)
    only, w = rubric_funcs(g, components=False, name="math")
    assert [f.__name__ for f in only] == ["math"] and w == [1.0]


def test_rubric_funcs_score_share_one_record_and_keep_every_key() -> None:
    g = graders.from_dict(GATED)
    funcs, weights = rubric_funcs(g)
    rows = [("<answer>72</answer>", "72"), ("<answer>71</answer>", "72"), ("72", "72"),
            ([{"role": "assistant", "content": "<answer>72</answer>"}], "72")]
    table = []
    for completion, answer in rows:
        state: dict[str, Any] = {"prompt": "q", "completion": completion, "answer": answer}
        got = {f.__name__: _call(f, completion=completion, answer=answer, info={}, prompt="q", state=state,
                                 task=None, parser=object()) for f in funcs}
        table.append(got)
        rec = state["graders"]["gsm8k"]
        assert rec["score"] == got["gsm8k"] and rec["status"] in ("scored", "not_applicable")
    assert [r["gsm8k"] for r in table] == [1.0, 0.0, 0.0, 1.0]
    assert [r["gsm8k/correct"] for r in table] == [1.0, 0.0, 0.0, 1.0]  # gated row: 0.0, not a missing key
    assert [r["gsm8k/format"] for r in table] == [1.0, 1.0, 0.0, 1.0]
    assert all(set(r) == set(table[0]) for r in table)
    reward = sum(w * table[0][f.__name__] for f, w in zip(funcs, weights, strict=True))
    assert reward == 1.0  # components are metrics (weight 0): the reward is the total once


def test_rubric_record_is_reused_for_the_same_rollout_only() -> None:
    calls: list[int] = []
    g = graders.from_dict(GATED)
    real = g.ascore

    async def counting(samples: Any, items: Any = None, **kw: Any) -> Any:
        calls.append(len(samples))
        return await real(samples, items, **kw)

    g.ascore = counting  # type: ignore[method-assign]
    funcs, _ = rubric_funcs(g, coalesce=False)
    state: dict[str, Any] = {}
    for f in funcs:
        _call(f, completion="<answer>72</answer>", answer="72", info={}, prompt="q", state=state)
    assert calls == [1]  # one scoring for the five functions of a rollout
    assert _call(funcs[0], completion="<answer>5</answer>", answer="72", info={}, prompt="q", state=state) == 0.0
    assert calls == [1, 1]  # the completion changed: scored again
    # another grader of the same name on the same state (a RubricGroup): its own scoring
    other = graders.from_dict({"name": "gsm8k", "grader": {"type": "exact", "reference": "<answer>5</answer>"}})
    assert state["graders"]["gsm8k"]["score"] == 0.0
    assert _call(rubric_funcs(other)[0][0], completion="<answer>5</answer>", answer="72", state=state) == 1.0


def test_rubric_item_from_answer_info_and_columns() -> None:
    g = graders.from_dict({"name": "t", "grader": {"type": "exact", "reference": "{{ item.gold }}-{{ item.split }}"}})
    funcs, _ = rubric_funcs(g, components=False)
    # `gold` comes from info, `split` is a dataset column the Rubric passes through **kwargs
    out = _call(funcs[0], completion="7-test", answer="x", info={"gold": 7}, prompt=[{"role": "user", "content": "q"}],
                state={}, task=None, parser=object(), split="test")
    assert out == 1.0


def test_errors_are_a_defined_score_recorded_never_raised() -> None:
    g = graders.from_dict({"name": "t", "grader": {"type": "numeric", "reference": "{{ item.missing }}"}})
    funcs, _ = rubric_funcs(g)
    state: dict[str, Any] = {}
    got = {f.__name__: _call(f, completion="4", answer="4", info={}, prompt="q", state=state) for f in funcs}
    assert got == {"t": 0.0, "t/error": 1.0, "t/no_answer": 0.0}
    rec = state["graders"]["t"]
    assert rec["status"] == "error" and rec["errors"][0]["kind"] == "missing_field"

    class Boom:  # a grader that raises: the adapter records it and scores 0.0
        name = "boom"
        needs: tuple[str, ...] = ()
        plan = g.plan

        def score(self, *a: Any, **k: Any) -> Any:
            raise RuntimeError("judge down")

        async def ascore(self, *a: Any, **k: Any) -> Any:
            raise RuntimeError("judge down")

    bfuncs, _ = rubric_funcs(Boom(), coalesce=False)  # type: ignore[arg-type]
    st: dict[str, Any] = {}
    assert [_call(f, completion="4", answer="4", state=st) for f in bfuncs] == [0.0, 1.0, 0.0]
    assert "judge down" in st["graders"]["boom"]["errors"][0]["message"]
    # a malformed call (no state at all) still yields a float
    assert _call(bfuncs[0], completion=None) == 0.0


# Kimi's group length reward: needs the whole group of one prompt's rollouts.
GROUP = {"name": "gl", "grader": {"type": "formula", "expression": "correct + concise", "graders": {
    "correct": {"type": "regex", "pattern": r"\b4\b"},
    "concise": {"type": "group_length", "unit": "chars", "group_size": 4,
                "correct": {"type": "regex", "pattern": r"\b4\b"}}}}}


def test_group_graders_get_group_functions_scored_as_one_group() -> None:
    g = graders.from_dict(GROUP)
    funcs, weights = rubric_funcs(g)
    names = [f.__name__ for f in funcs]
    assert names == ["gl", "gl/correct", "gl/concise", "gl/concise.correct", "gl/error", "gl/no_answer"]
    plural = {"states", "prompts", "completions", "answers", "tasks", "infos"}
    assert all(set(inspect.signature(f).parameters) & plural for f in funcs)  # the Rubric's group test
    texts = ["4", "it is 4", "the answer is 4", "5 is it"]
    states: list[dict[str, Any]] = [{} for _ in texts]
    completions = [[{"role": "assistant", "content": t}] for t in texts]
    objects = {"completions": completions, "answers": ["4"] * 4, "infos": [{}] * 4, "prompts": ["q"] * 4,
               "states": states, "tasks": [None] * 4, "parser": object()}
    got = {f.__name__: _call(f, **objects) for f in funcs}
    want = g.score(texts, [{"answer": "4", "prompt": "q"}] * 4, groups=[0] * 4)
    assert got["gl"] == pytest.approx(want.scores.tolist())
    assert got["gl"][0] == 1.5 and got["gl"][3] == 0.0  # shortest correct: 1 + 0.5; wrong: 0
    assert got["gl/concise"] == pytest.approx(want.components["concise"].tolist())
    assert all(st["graders"]["gl"]["status"] == "scored" for st in states)
    # three of four rollouts: an incomplete group is an error on its rows, never a reward from part of it
    part = {k: v[:3] if isinstance(v, list) else v for k, v in objects.items()}
    part["states"] = [{} for _ in range(3)]
    assert _call(funcs[names.index("gl/error")], **part) == [1.0, 1.0, 1.0]
    assert part["states"][0]["graders"]["gl"]["errors"][0]["kind"] == "incomplete_group"


def test_graders_needing_what_a_hook_never_gets_are_refused_at_build_time() -> None:
    g = graders.from_dict(GROUP)
    with pytest.raises(ConfigError, match="group"):
        task_reward(g)  # a v1 hook sees one trace
    sc = graders.from_dict({"grader": {"type": "self_correction", "alpha": 2.0,
                                       "grader": {"type": "exact", "reference": "a"}}})
    with pytest.raises(ConfigError, match="attempts"):
        rubric_funcs(sc)


def test_picklable_and_rebuilt_lazily() -> None:
    g = graders.from_dict(GATED)
    funcs, _ = rubric_funcs(g)
    _call(funcs[0], completion="<answer>72</answer>", answer="72", state={})  # builds the coalescer
    back = pickle.loads(pickle.dumps(funcs))
    assert [f.__name__ for f in back] == [f.__name__ for f in funcs]
    assert back[0].core.scorer._coalescer is None
    assert _call(back[2], completion="<answer>72</answer>", answer="72", state={}) == 1.0
    reward, metrics = pickle.loads(pickle.dumps(task_hooks(g)))
    assert reward.__name__ == "gsm8k" and metrics.__name__ == "gsm8k/metrics"


class _Trace:
    """The parts of a v1 Trace the hooks read: `last_reply` and the `info` scratch dict."""

    def __init__(self, reply: str) -> None:
        self.last_reply = reply
        self.info: dict[str, Any] = {}


def test_v1_hooks_marks_values_and_shared_record() -> None:
    g = graders.from_dict(GATED)
    reward, metrics = task_hooks(g, weight=0.5, priority=3)
    # the marks @vf.reward / @vf.metric set, so Task.hooks() discovers them as class attributes
    assert reward.reward is True and reward._vf_weight == 0.5 and reward.reward_priority == 3
    assert metrics.metric is True and not hasattr(metrics, "reward") and not hasattr(reward, "metric")
    assert list(inspect.signature(reward).parameters) == ["task", "trace"]
    rows = [("<answer>72</answer>", 1.0), ("<answer>7</answer>", 0.0), ("72", 0.0)]
    for reply, want in rows:
        tr = _Trace(reply)
        m = asyncio.run(metrics({"answer": "72", "prompt": "q"}, tr))
        assert list(m) == ["gsm8k/format", "gsm8k/correct", "gsm8k/error", "gsm8k/no_answer"]
        assert m["gsm8k/correct"] == want
        assert asyncio.run(reward({"answer": "72"}, tr)) == want
        assert tr.info["graders"]["gsm8k"]["score"] == want


def test_v1_task_item_from_pydantic_data() -> None:
    pydantic = pytest.importorskip("pydantic")

    class Data(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="allow")
        prompt: str | None = None
        answer: str
        unset: str | None = None

    assert task_item(Data(answer="4", prompt="q", level=3)) == {"answer": "4", "prompt": "q", "level": 3}
    assert task_item({"answer": 4}) == {"answer": 4} and task_item(None) == {}
