"""`score_model`: OpenAI-compatible config, load-time validation, clipping, parse errors, usage, gating."""

from __future__ import annotations

import json

import numpy as np
import pytest

import graders
from graders.errors import ConfigError
from graders.testing.fake_server import FakeJudgeServer, JudgeRequest
from tests.judge import support
from tests.judge.support import echo_judge, grader, kinds, result_json, score_node

judge_env = support.judge_env  # fixtures
server = support.server

# OpenAI's held-out acceptance config D (research/openai-graders-and-evaluators.md).
OPENAI_D = {
    "type": "score_model", "name": "rubric_judge", "model": "o4-mini-2025-04-16", "range": [0, 10],
    "sampling_params": {"seed": 7, "max_completions_tokens": 4096, "reasoning_effort": "low"},
    "input": [
        {"role": "developer", "content": "Score 0-10 how well the answer matches the reference. Put the score in result."},
        {"role": "user", "content": "Reference: {{ item.reference_answer }}\nAnswer: {{ sample.output_text }}"},
    ],
}
ITEM = {"reference_answer": "Paris"}


def _error(node: dict) -> str:
    with pytest.raises(ConfigError) as ei:
        graders.from_dict({"grader": node})
    return str(ei.value)


# -- validation at load time ---------------------------------------------------------------
def test_openai_config_d_loads() -> None:
    g = graders.from_dict({"grader": OPENAI_D})
    assert "score_model model=o4-mini-2025-04-16 range=[0.0, 10.0]" in g.explain_plan()


@pytest.mark.parametrize("model", ["o4-mini-2025-04-16", "o3", "o1-2024-12-17", "gpt-5-mini", "gpt-5", "openai/o3-mini"])
def test_temperature_is_refused_for_reasoning_models(model: str) -> None:
    node = {**OPENAI_D, "model": model, "sampling_params": {"temperature": 0.2}}
    assert "temperature cannot be set for reasoning model" in _error(node)


@pytest.mark.parametrize("model", ["gpt-4o-2024-08-06", "gpt-4.1-mini-2025-04-14", "llama-3.1-70b"])
def test_reasoning_effort_is_refused_for_other_models(model: str) -> None:
    node = {**OPENAI_D, "model": model, "sampling_params": {"reasoning_effort": "low"}}
    assert "reasoning_effort is only for reasoning models" in _error(node)


def test_reasoning_flag_overrides_the_name_rule() -> None:
    graders.from_dict({"grader": {**OPENAI_D, "model": "my-r1", "reasoning": True}})
    graders.from_dict({"grader": {**OPENAI_D, "model": "o3", "reasoning": False,
                                  "sampling_params": {"temperature": 0.0}}})
    graders.from_dict({"grader": {**OPENAI_D, "model": "gpt-oss-120b", "sampling_params": {
        "temperature": 0.5, "reasoning_effort": "high"}}})


@pytest.mark.parametrize("rng", [[10, 0], [5, 5]])
def test_range_must_be_ordered(rng: list[int]) -> None:
    assert "min < max" in _error({**OPENAI_D, "range": rng})


@pytest.mark.parametrize("content, word", [
    ("{{ answer }}", "must start with 'sample.' or 'item.'"),
    ("{{ items.x }}", "must start with 'sample.' or 'item.'"),
    ("{{ sample.output_text ", "unbalanced"),
])
def test_unknown_template_variables(content: str, word: str) -> None:
    node = {**OPENAI_D, "input": [{"role": "user", "content": content}]}
    assert word in _error(node)


def test_unknown_variable_in_a_content_part() -> None:
    node = {**OPENAI_D, "input": [{"role": "user", "content": [{"type": "input_text", "text": "{{ row.x }}"}]}]}
    assert "must start with" in _error(node)


def test_other_field_checks() -> None:
    assert "max_completions_tokens" in _error({**OPENAI_D, "sampling_params": {"max_completions_tokens": 0}})
    assert "reasoning_effort" in _error({**OPENAI_D, "sampling_params": {"reasoning_effort": "extreme"}})
    assert "input" in _error({**OPENAI_D, "input": []})
    assert "role" in _error({**OPENAI_D, "input": [{"role": "tool", "content": "x"}]})
    assert "extra" in _error({**OPENAI_D, "temperature": 0}).lower()
    assert "n" in _error({**OPENAI_D, "n": 0})
    assert "api_key or api_key_env" in _error({**OPENAI_D, "api_key": "a", "api_key_env": "B"})
    assert "extra_body may not set" in _error({**OPENAI_D, "extra_body": {"model": "x"}})


def test_both_spellings_of_max_tokens() -> None:
    g = graders.from_dict({"grader": {**OPENAI_D, "sampling_params": {"max_completion_tokens": 9}}})
    assert g.spec.grader.sampling_params.max_completions_tokens == 9  # type: ignore[attr-defined]


def test_error_points_at_the_yaml_line() -> None:
    text = "grader:\n  type: score_model\n  model: o3\n  sampling_params: {temperature: 0.5}\n  input:\n    - {role: user, content: hi}\n"
    with pytest.raises(ConfigError) as ei:
        graders.from_yaml(text, filename="j.yaml")
    assert "j.yaml:2" in str(ei.value)


# -- scoring -------------------------------------------------------------------------------
def test_clipped_and_unparseable_replies(server: FakeJudgeServer) -> None:
    replies = {"a": result_json(12), "b": result_json("high"), "c": result_json(-3), "d": result_json(7.5)}
    server.judge = lambda req: replies[req.sample]
    g = graders.from_dict({"grader": OPENAI_D})
    r = g.score(["a", "b", "c", "d"], [ITEM] * 4)
    assert r.scores.tolist() == [10.0, 0.0, 0.0, 7.5]
    assert r.status.tolist() == [0, 2, 0, 0]  # "high" is an error row, not a quiet zero
    assert kinds(r, 1) == ["judge_parse_error"] and "'high'" in r.errors[1][0].message
    assert r.counters["judge_scores_clipped"] == 2 and r.counters["judge_parse_error"] == 1


def test_error_value_is_not_clipped_into_the_range(server: FakeJudgeServer) -> None:
    server.judge = lambda req: "unreadable"
    g = grader(score_node(range=[1, 5]))
    r = g.score(["x"], [{"q": "q"}])
    assert r.scores.tolist() == [0.0] and r.status.tolist() == [2]


def test_usage_and_cost_are_reported(server: FakeJudgeServer) -> None:
    from graders.testing.fake_server import Reply

    server.judge = lambda req: Reply(text=result_json(5), prompt_tokens=1000, completion_tokens=100)
    g = grader(score_node(model="gpt-4.1-mini-2025-04-14"))
    r = g.score(["a", "b", "a"], [{"q": "q"}] * 3)
    u = r.usage
    assert (u["requests"], u["prompt_tokens"], u["completion_tokens"], u["total_tokens"]) == (2, 2000, 200, 2200)
    assert u["estimated_cost_usd"] == pytest.approx((2000 * 0.40 + 200 * 1.60) / 1e6)
    assert u["by_model"]["gpt-4.1-mini-2025-04-14"]["requests"] == 2
    r2 = grader(score_node(model="local-judge", prices={"input": 1.0, "output": 2.0}, cache=False)).score(["a"], [{"q": "q"}])
    assert r2.usage["estimated_cost_usd"] == pytest.approx((1000 * 1 + 100 * 2) / 1e6)
    r3 = grader(score_node(model="local-judge", cache=False)).score(["a"], [{"q": "q"}])
    assert r3.usage["unpriced_models"] == "local-judge" and r3.usage["estimated_cost_usd"] == 0


def test_usage_of_two_judges_adds_up(server: FakeJudgeServer) -> None:
    server.judge = lambda req: result_json(1)
    node = {"type": "weighted", "graders": {"a": score_node(range=[0, 1]), "b": score_node(range=[0, 1], model="gpt-4o")}}
    r = grader(node).score(["x"], [{"q": "q"}])
    assert r.usage["requests"] == 2 and set(r.usage["by_model"]) == {"gpt-4.1-mini", "gpt-4o"}


def test_gate_in_front_skips_the_judge_for_failed_rows(server: FakeJudgeServer) -> None:
    server.judge = echo_judge
    node = {"type": "gate", "graders": {
        "has_answer": {"type": "regex", "pattern": r"ANSWER"},
        "quality": score_node(),
    }}
    samples = [f"row {i}" + (" ANSWER" if i % 3 == 0 else "") for i in range(30)]
    r = grader(node).score(samples, [{"q": "q"}] * 30)
    assert server.total_attempts == 10
    assert r.counters["judge_rows"] == 10 and r.counters["judge_rows_skipped"] == 20 and r.counters["rows_gated"] == 20
    assert np.isnan(r.components["quality"][1]) and r.scores[1] == 0.0 and r.scores[3] == pytest.approx(0.3)  # inside a combinator: range [0, 10] mapped onto [0, 1]


def test_explain_keeps_the_raw_reply(server: FakeJudgeServer) -> None:
    server.judge = lambda req: "The answer is decent, maybe a seven."
    tree = grader(score_node()).explain("my answer", {"q": "q"})
    assert tree["status"] == "error" and tree["reply"] == "The answer is decent, maybe a seven."
    assert tree["errors"][0]["kind"] == "judge_parse_error"
    assert "UNTRUSTED sample.output_text" in tree["input"]


def test_on_error_raise(server: FakeJudgeServer) -> None:
    server.judge = lambda req: "?"
    with pytest.raises(graders.ScoringError, match="judge_parse_error"):
        grader(score_node(on_error="raise")).score(["x"], [{"q": "q"}])


def test_majority_ties_go_low(server: FakeJudgeServer) -> None:
    server.judge = lambda req: result_json([3, 8, 8, 3][req.index])
    r = grader(score_node(n=4, reducer="majority")).score(["x"], [{"q": "q"}])
    assert r.scores.tolist() == [3.0]


def test_sample_fields_reach_the_judge(server: FakeJudgeServer) -> None:
    def judge(req: JudgeRequest) -> str:
        return result_json(json.loads(req.sample)["n"])
    server.judge = judge
    node = score_node(input=[{"role": "user", "content": "{{ sample.output_json }}"}])
    r = grader(node).score(['{"n": 4}'], [{}])
    assert r.scores.tolist() == [4.0]


# -- a judge's scale never leaks into a combinator (issue 9, item 11) ---------------------------
def test_range_1_5_inside_weighted_is_mapped_onto_unit_scale(server: FakeJudgeServer) -> None:
    server.judge = lambda req: json.dumps({"steps": [], "result": 4})
    judge = score_node(range=[1, 5])
    w = graders.from_dict({"grader": {"type": "weighted", "graders": {
        "j": judge, "e": {"type": "exact", "reference": "x"}}}})
    r = w.score(["x"], [{"q": "q"}])
    assert r.scores.tolist() == [pytest.approx((0.75 + 1.0) / 2)]
    assert r.components["j"].tolist() == [0.75]
    tree = w.explain("x", {"q": "q"})
    note = tree["children"][0]["note"]
    assert "judge score 4 on [1, 5] -> 0.75" in note
    assert "scale=unit" in w.explain_plan()
    # top level: OpenAI's semantics, the clipped score on `range`
    assert grader(judge).score(["x"], [{"q": "q"}]).scores.tolist() == [4.0]


def test_scale_switch_is_explicit_both_ways(server: FakeJudgeServer) -> None:
    server.judge = lambda req: json.dumps({"steps": [], "result": 4})
    raw_inside = graders.from_dict({"grader": {"type": "max", "graders": {"j": score_node(range=[1, 5], scale="raw")}}})
    assert raw_inside.score(["x"], [{"q": "q"}]).scores.tolist() == [4.0]
    unit_top = grader(score_node(range=[1, 5], scale="unit"))
    assert unit_top.score(["x"], [{"q": "q"}]).scores.tolist() == [0.75]
    with pytest.raises(ConfigError):
        grader(score_node(scale="percent"))
