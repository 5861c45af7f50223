"""verifiers' own scoring code driving our adapters: the legacy Rubric and the v1 Task hooks.

Legacy (verifiers <= 0.3.x): `Rubric.score_group` (how an Environment scores a rollout group:
functions in order, each gathered over the group's states) and `Rubric.score_rollout`, on
States built as `Environment.init_state` builds them, with pydantic AssistantMessage
completions, beside a plain reward function of the user's. v1 (0.3.x and 0.4): `Task.score`
on Traces holding a sampled assistant node, many traces gathered at once as `vf-replay`
re-scores saved traces. Each with a format gate that stops some rows.
"""

from __future__ import annotations

import asyncio
import json
import pickle
from typing import Any

import pytest

pytest.importorskip("verifiers")

import graders  # noqa: E402
from graders.integrations.verifiers import rubric_funcs, task_hooks, verifiers_rubric  # noqa: E402

GRADER = {"name": "gsm8k", "grader": {"type": "gate", "otherwise": 0.0, "graders": {
    "format": {"type": "regex", "pattern": r"(?s)<answer>.*</answer>\s*$"},
    "correct": {"type": "numeric", "reference": "{{ item.answer }}",
                "extract": [{"type": "xml_tag", "tag": "answer"}, "auto"]}}}}

# (reply, answer, expected total, did `correct` run)
ROWS = [
    ("48 + 24 = 72 <answer>72</answer>", "72", 1.0, True),
    ("<answer>70</answer>", "72", 0.0, True),
    ("The answer is 72.", "72", 0.0, False),          # stopped by the gate
    ("<answer>1,234</answer>\n", "1234", 1.0, True),
    ("<answer>5</answer>", "not a number", 0.0, True),  # unparseable gold: an error, scored 0
    ("<answer>3</answer>", "3", 1.0, True),
]
KEYS = ["gsm8k", "gsm8k/format", "gsm8k/correct", "gsm8k/error", "gsm8k/no_answer"]


def _legacy() -> Any:
    try:
        import verifiers.legacy as vf
    except ImportError:
        pytest.skip("this verifiers has no legacy Rubric (0.4+ is v1 only)")
    return vf


def _states(vf: Any) -> list[Any]:
    from verifiers.legacy.types import AssistantMessage, State

    states = []
    for i, (reply, answer, _, _) in enumerate(ROWS):
        inp = {"prompt": [{"role": "user", "content": f"Question {i}"}], "example_id": i, "answer": answer,
               "info": {"level": i % 2}}
        st = State(input=inp)
        st["task"] = dict(inp)
        st["completion"] = [AssistantMessage(content=reply)]
        st["trajectory"] = [{"reward": None, "advantage": None}]
        states.append(st)
    return states


def brevity(completion: Any) -> float:
    """A reward function of the user's, beside ours in the same Rubric."""
    return 1.0 if len(completion[-1].content) < 30 else 0.5


def test_legacy_rubric_score_group_with_a_gate() -> None:
    vf = _legacy()
    from verifiers.legacy.rubrics.rubric import Rubric

    g = graders.from_dict(GRADER)
    funcs, weights = rubric_funcs(g)
    rubric = Rubric(funcs=[*funcs, brevity], weights=[*weights, 0.1])
    assert not rubric.has_group_rewards  # ours are per-rollout functions
    states = _states(vf)
    asyncio.run(rubric.score_group(states))

    want = [r[2] for r in ROWS]
    brev = [1.0 if len(r[0]) < 30 else 0.5 for r in ROWS]
    assert [s["metrics"]["gsm8k"] for s in states] == want
    assert [s["reward"] for s in states] == pytest.approx([w + 0.1 * b for w, b in zip(want, brev, strict=True)])
    mean = sum(s["reward"] for s in states) / len(states)
    assert [s["advantage"] for s in states] == pytest.approx([s["reward"] - mean for s in states])
    for s, (_, _, total, ran) in zip(states, ROWS, strict=True):
        assert sorted(s["metrics"]) == sorted([*KEYS, "brevity"])  # the same keys on every rollout
        assert s["metrics"]["gsm8k/correct"] == total  # 0.0 where the gate stopped it
        rec = s["graders"]["gsm8k"]
        assert (rec["components"]["correct"] is not None) == ran
        assert s["trajectory"][0]["reward"] == s["reward"]
    # the unparseable gold is an error with its reason, not a silent 0
    err = states[4]
    assert err["metrics"]["gsm8k/error"] == 1.0 and err["graders"]["gsm8k"]["errors"]
    assert sum(s["metrics"]["gsm8k/error"] for s in states) == 1.0
    json.dumps([s["graders"] for s in states])  # the record is plain JSON (states are saved)
    # the group's concurrent calls went through one coalescer
    co = funcs[0].core.scorer._coalescer
    assert co is not None and co.rows == len(ROWS) and co.batches <= len(ROWS)


def test_legacy_score_rollout_and_the_rubric_helper() -> None:
    vf = _legacy()
    rubric = verifiers_rubric(graders.from_dict(GRADER), parser=vf.XMLParser(["answer"]))
    assert [getattr(f, "__name__", "") for f in rubric.funcs] == KEYS and rubric.weights == [1.0, 0, 0, 0, 0]
    rubric = pickle.loads(pickle.dumps(rubric.funcs))  # picklable (sent to workers), rebuilt lazily
    rubric = vf.Rubric(funcs=rubric, weights=[1.0, 0, 0, 0, 0])
    states = _states(vf)
    for s in states:
        asyncio.run(rubric.score_rollout(s))
    assert [s["reward"] for s in states] == [r[2] for r in ROWS]
    assert [s["metrics"]["gsm8k/format"] for s in states] == [0.0 if not r[3] else 1.0 for r in ROWS]


def test_v1_task_score_with_a_gate() -> None:
    try:
        import verifiers.v1 as vf
        from verifiers.v1.graph import MessageNode
        from verifiers.v1.trace import AgentInfo, Trace, TraceTask
    except ImportError:
        pytest.skip("this verifiers has no v1 API")

    g = graders.from_dict(GRADER)

    class MathData(vf.TaskData):
        answer: str

    class MathTask(vf.Task[MathData, vf.State]):
        correct, grader_metrics = task_hooks(g, weight=2.0)

        @vf.metric
        async def reply_chars(self, trace: Any) -> float:
            return float(len(trace.last_reply))

    traces, tasks = [], []
    for i, (reply, answer, _, _) in enumerate(ROWS):
        data = MathData(prompt=f"Question {i}", answer=answer)
        tr = Trace(task=TraceTask(type="MathTask", data=data), agent=AgentInfo(config=vf.AgentConfig()))
        tr.nodes.append(MessageNode(message=vf.UserMessage(content=f"Question {i}")))
        tr.nodes.append(MessageNode(parent=0, message=vf.AssistantMessage(content=reply), sampled=True))
        traces.append(tr)
        tasks.append(MathTask(data))

    async def score_all() -> None:
        await asyncio.gather(*(t.score(tr) for t, tr in zip(tasks, traces, strict=True)))

    asyncio.run(score_all())
    want = [r[2] for r in ROWS]
    assert [tr.rewards["gsm8k"].score for tr in traces] == want
    assert [tr.reward for tr in traces] == [2.0 * w for w in want]  # weight from task_hooks
    for tr, (_, _, total, ran) in zip(traces, ROWS, strict=True):
        assert sorted(tr.metrics) == sorted([k for k in KEYS if k != "gsm8k"] + ["reply_chars"])
        assert tr.metrics["gsm8k/correct"] == total
        assert (tr.info["graders"]["gsm8k"]["components"]["correct"] is not None) == ran
        assert list(tr.rewards) == ["gsm8k"]  # components are metrics: not summed into the reward
    assert traces[4].metrics["gsm8k/error"] == 1.0 and traces[4].info["graders"]["gsm8k"]["errors"]
    back = Trace.model_validate_json(traces[0].model_dump_json())  # the record survives the wire form
    assert back.info["graders"]["gsm8k"]["score"] == 1.0


def test_legacy_group_reward_for_a_group_grader() -> None:
    """A `needs: group` grader (Kimi's group length reward) as group functions: `score_group`
    passes the group's rollouts in one call; `score_rollout` refuses group functions itself."""
    _legacy()
    from verifiers.legacy.rubrics.rubric import Rubric
    from verifiers.legacy.types import AssistantMessage, State

    g = graders.from_dict({"name": "gl", "grader": {"type": "formula", "expression": "correct + concise",
                                                    "graders": {
        "correct": {"type": "numeric", "reference": "{{ item.answer }}"},
        "concise": {"type": "group_length", "unit": "chars", "group_size": 4,
                    "correct": {"type": "numeric", "reference": "{{ item.answer }}"}}}}})
    rubric = Rubric(*rubric_funcs(g))
    assert rubric.has_group_rewards
    replies = ["72", "It is 72", "I think that it is 71", "So the total is 72"]
    states = []
    for reply in replies:
        st = State(input={"prompt": [{"role": "user", "content": "q"}], "example_id": 0, "answer": "72"})
        st["completion"] = [AssistantMessage(content=reply)]
        st["trajectory"] = []
        states.append(st)
    asyncio.run(rubric.score_group(states))
    want = g.score(replies, [{"answer": "72"}] * 4, groups=[0] * 4)
    assert [s["reward"] for s in states] == pytest.approx(want.scores.tolist())
    assert states[0]["reward"] == 1.5 and states[2]["reward"] == -0.5  # shortest correct; longest, wrong
    assert [s["metrics"]["gl/concise"] for s in states] == pytest.approx(want.components["concise"].tolist())
    assert all(s["metrics"]["gl/error"] == 0.0 for s in states)
    with pytest.raises(AssertionError):
        asyncio.run(rubric.score_rollout(states[0]))
