from __future__ import annotations

import math

import graders
from graders.integrations.openrlhf import openrlhf_reward_func
from graders.integrations.trl import trl_reward
from graders.integrations.verl import verl_compute_score

TREE = {"type": "weighted", "graders": {
    "correct": {"type": "numeric", "reference": "{{ item.answer }}", "extract": "boxed"},
    "short": {"type": "regex", "pattern": r"^.{0,40}$", "dotall": True}}}


def test_trl_reward_batches_columns_and_logs_components() -> None:
    g = graders.from_dict({"name": "math-reward", "grader": TREE})
    logged: dict[str, float] = {}
    fn = trl_reward(g)
    out = fn(completions=["\\boxed{4}", [{"role": "assistant", "content": "\\boxed{5}"}]], prompts=["2+2?", "2+2?"],
             answer=["4", "4"], completion_ids=[[1], [2]], log_metric=lambda k, v: logged.__setitem__(k, v))
    assert out == [1.0, 0.5]
    assert fn.__name__ == "math_reward"
    assert logged["math-reward/correct"] == 0.5 and logged["math-reward/errors"] == 0.0


def test_trl_reward_returns_none_for_skipped_rows() -> None:
    g = graders.from_dict({"type": "exact", "reference": "{{ item.answer }}", "on_error": "skip"})
    assert trl_reward(g)(completions=["4", "5"], answer=["4", "4"]) == [1.0, 0.0]
    out = trl_reward(g)(completions=["4", "4"], other=["x", "y"])
    assert out == [None, None]


def test_verl_single_and_batch() -> None:
    tree = {**TREE, "graders": {**TREE["graders"], "correct": {**TREE["graders"]["correct"], "reference": "{{ item.ground_truth }}"}}}
    fn = verl_compute_score(graders.from_dict({"grader": tree}))
    one = fn("gsm8k", "\\boxed{4}", "4", {"split": "train"})
    assert one["score"] == 1.0 and one["correct"] == 1.0 and one["grader_status"] == 0
    many = fn(data_sources=["a", "a"], solution_strs=["\\boxed{4}", "no"], ground_truths=["4", "4"], extra_infos=[None, None])
    assert [r["score"] for r in many] == [1.0, 0.5]


def test_openrlhf_strips_prompt_and_returns_logs() -> None:
    tree = {**TREE, "graders": {**TREE["graders"], "correct": {**TREE["graders"]["correct"], "reference": "{{ item.label }}"}}}
    fn = openrlhf_reward_func(graders.from_dict({"grader": tree}))
    out = fn(queries=["Q: 2+2? A: \\boxed{4}"], prompts=["Q: 2+2? A: "], labels=["4"])
    rewards = out["rewards"]
    assert [float(x) for x in rewards] == [1.0]
    assert not math.isnan(float(out["scores"][0]))
    assert set(out["extra_logs"]) == {"correct", "short"}
