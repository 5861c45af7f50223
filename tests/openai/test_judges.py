"""Imported OpenAI judges (`score_model`, `label_model`) against the local fake OpenAI server.

Each test asserts the exact request that reaches the server: the config's messages as written
(no graders system message, no UNTRUSTED markers, `developer` kept), the model, and OpenAI's
sampling parameters mapped onto the Chat Completions names (`max_completions_tokens` ->
`max_completion_tokens`), with the `{result, steps}` contract in `response_format`.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

import graders
from graders.testing.fake_server import FakeJudgeServer, JudgeRequest, Reply

AZURE = "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/reinforcement-fine-tuning"
SDK = "https://github.com/openai/openai-python/blob/main/src/openai/types/graders/"
CITE = {
    "clip": (AZURE, "The output of the grader will be truncated to the given range, and default to 0 for all "
                    "non-numeric outputs."),
    "range": (SDK + "score_model_grader.py", "The range of the score. Defaults to `[0, 1]`."),
    "max_tokens": (SDK + "score_model_grader.py", "The maximum number of tokens the grader model may generate in "
                                                  "its response."),
    "labels": (SDK + "label_model_grader.py", "The labels that indicate a passing result. Must be a subset of labels."),
    "structured": (SDK + "label_model_grader.py", "The model to use for the evaluation. Must support structured outputs."),
}

D = {"type": "score_model", "name": "rubric_judge", "model": "o4-mini-2025-04-16", "range": [0, 10],
     "sampling_params": {"seed": 7, "max_completions_tokens": 4096, "reasoning_effort": "low"},
     "input": [{"role": "developer", "content": "Score 0-10 how well the answer matches the reference. Put the score in result."},
               {"role": "user", "content": "Reference: {{ item.reference_answer }}\nAnswer: {{ sample.output_text }}"}]}
E = {"type": "label_model", "name": "tone", "model": "gpt-4.1-mini-2025-04-14", "labels": ["polite", "neutral", "rude"],
     "passing_labels": ["polite", "neutral"],
     "input": [{"role": "system", "content": "Classify the tone of the reply."}, {"role": "user", "content": "{{ sample.output_text }}"}]}
I_BLEND = {"type": "multi", "name": "math_blend", "calculate_output": "sqrt(correct * (0.5 + 0.5 * style)) - 0.1 * abs(len_pen) ^ 2",
     "graders": {"correct": {"type": "python", "name": "c", "source": "def grade(sample, item):\n    return float(sample['output_text'].strip().endswith(str(item['answer'])))"},
                 "style": {"type": "score_model", "name": "s", "model": "gpt-4.1-mini-2025-04-14",
                           "input": [{"role": "user", "content": "Rate clarity 0-1: {{ sample.output_text }}"}]},
                 "len_pen": {"type": "python", "name": "l", "source": "def grade(sample, item):\n    return min(1.0, len(sample['output_text']) / 4000)"}}}


def _bodies(srv: FakeJudgeServer) -> list[dict[str, Any]]:
    return list(srv.bodies.values())


def _raised(out: dict[str, Any]) -> set[str]:
    return {k for k, v in out["metadata"]["errors"].items() if v is True}


def _scripted(replies: dict[str, Any]) -> Any:
    """A judge answering by the last message's text: reply text, or a Reply."""
    def judge(req: JudgeRequest) -> Any:
        last = req.messages[-1]["content"]
        text = last if isinstance(last, str) else " ".join(p.get("text", "") for p in last)
        for needle, reply in replies.items():
            if needle in text:
                return reply
        return json.dumps({"steps": [], "result": 0})
    return judge


def test_D_score_model_request_and_clipping(server: FakeJudgeServer) -> None:
    """cite: CITE['clip'], CITE['max_tokens']."""
    server.judge = _scripted({"forty-two": json.dumps({"steps": [], "result": 12}),
                              "dunno": json.dumps({"steps": [], "result": "high"})})
    out = graders.run_openai(D, "forty-two", {"reference_answer": "42"})
    assert out["reward"] == 10.0  # 12 clipped into range [0, 10]
    assert _raised(out) == set()
    (body,) = _bodies(server)
    assert body["model"] == "o4-mini-2025-04-16"
    assert body["messages"] == [
        {"role": "developer", "content": "Score 0-10 how well the answer matches the reference. Put the score in result."},
        {"role": "user", "content": "Reference: 42\nAnswer: forty-two"}]
    assert body["seed"] == 7 and body["max_completion_tokens"] == 4096 and body["reasoning_effort"] == "low"
    assert "temperature" not in body and "max_completions_tokens" not in body
    schema = body["response_format"]["json_schema"]["schema"]
    assert body["response_format"]["type"] == "json_schema"
    assert set(schema["required"]) == {"result", "steps"}
    assert "UNTRUSTED" not in json.dumps(body)
    md = out["metadata"]
    assert md["type"] == "score_model" and md["name"] == "rubric_judge"
    assert md["sampled_model_name"] == "o4-mini-2025-04-16"
    usage = out["model_grader_token_usage_per_model"]["o4-mini-2025-04-16"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    assert md["token_usage"] == usage

    bad = graders.run_openai(D, "dunno", {"reference_answer": "42"})
    assert bad["reward"] == 0.0  # non-numeric -> 0 with the parse flag
    assert _raised(bad) == {"model_grader_parse_error"}


def test_score_model_below_range_clipped_and_default_range(server: FakeJudgeServer) -> None:
    """cite: CITE['range'], CITE['clip']."""
    server.judge = _scripted({"low": json.dumps({"steps": [], "result": -3}), "mid": json.dumps({"steps": [], "result": 0.25})})
    g = {"type": "score_model", "name": "s", "model": "gpt-4.1-mini-2025-04-14", "sampling_params": {"temperature": 0},
         "input": [{"role": "user", "content": "{{ sample.output_text }}"}]}
    assert graders.run_openai(g, "low", {})["reward"] == 0.0
    assert graders.run_openai(g, "mid", {})["reward"] == 0.25
    assert all(b["temperature"] == 0 for b in _bodies(server))


def test_E_label_model_request_and_verdict(server: FakeJudgeServer) -> None:
    """cite: CITE['labels'], CITE['structured']."""
    server.judge = _scripted({"idiot": json.dumps({"steps": [], "label": "rude"}),
                              "thanks": json.dumps({"steps": [], "label": "polite"})})
    assert graders.run_openai(E, "you idiot", {})["reward"] == 0.0
    assert graders.run_openai(E, "thanks a lot", {})["reward"] == 1.0
    first = _bodies(server)[0]
    assert first["model"] == "gpt-4.1-mini-2025-04-14"
    assert first["messages"] == [{"role": "system", "content": "Classify the tone of the reply."},
                                 {"role": "user", "content": "you idiot"}]
    assert first["response_format"]["json_schema"]["schema"]["properties"]["label"]["enum"] == ["polite", "neutral", "rude"]


def test_refusal_sets_refusal_flag(server: FakeJudgeServer) -> None:
    server.judge = lambda req: Reply(text=None, refusal="I can't help with that.")
    out = graders.run_openai(E, "anything", {})
    assert out["reward"] == 0.0
    assert _raised(out) == {"model_grader_refusal_error"}


def test_I_multi_python_judge_power_unclamped(server: FakeJudgeServer) -> None:
    from tests.sandbox.support import require_sandbox

    require_sandbox()
    server.judge = _scripted({"Rate clarity": json.dumps({"steps": [], "result": 0.64})})
    text = "The answer is 12"
    out = graders.run_openai(I_BLEND, text, {"answer": 12})
    len_pen = len(text) / 4000
    assert out["reward"] == pytest.approx(math.sqrt(1.0 * (0.5 + 0.5 * 0.64)) - 0.1 * abs(len_pen) ** 2)
    assert out["sub_rewards"] == pytest.approx({"correct": 1.0, "style": 0.64, "len_pen": len_pen})
    long_wrong = "x" * 8000
    out = graders.run_openai(I_BLEND, long_wrong, {"answer": 12})
    assert out["reward"] == pytest.approx(-0.1)  # no clamping: the formula sets the range
    (body, *_rest) = _bodies(server)
    assert body["messages"] == [{"role": "user", "content": "Rate clarity 0-1: The answer is 12"}]


def test_multi_reads_raw_judge_score_on_its_range(server: FakeJudgeServer) -> None:
    """OpenAI's multi sees the clipped score on `range` (1..5 here), not a [0, 1] mapping."""
    server.judge = _scripted({"": json.dumps({"steps": [], "result": 4})})
    g = {"type": "multi", "name": "m", "calculate_output": "style / 5",
         "graders": {"style": {"type": "score_model", "name": "s", "model": "gpt-4.1-mini-2025-04-14", "range": [1, 5],
                               "input": [{"role": "user", "content": "Rate 1-5: {{ sample.output_text }}"}]}}}
    out = graders.run_openai(g, "some answer", {})
    assert out["sub_rewards"] == {"style": 4.0}
    assert out["reward"] == pytest.approx(0.8)


@pytest.mark.parametrize("cfg", [D, E], ids=["D", "E"])
def test_judge_round_trip(server: FakeJudgeServer, cfg: dict[str, Any]) -> None:
    server.judge = _scripted({"a": json.dumps({"steps": [], "result": 7, "label": "neutral"})})
    first = graders.from_openai(cfg)
    exported = graders.to_openai(first)
    assert exported == {**cfg}  # nothing lost, nothing added
    again = graders.from_openai(exported)
    a = graders.run_openai(first, "a reply", {"reference_answer": "x"})
    b = graders.run_openai(again, "a reply", {"reference_answer": "x"})
    assert a["reward"] == b["reward"]


def test_native_unit_scaled_judge_flattens_exactly(server: FakeJudgeServer) -> None:
    """A native weighted tree with a [1, 5] judge (read on [0, 1] inside it) exports to one exact multi."""
    server.judge = _scripted({"": json.dumps({"steps": [], "result": 4})})
    native = graders.from_dict({"name": "blend", "grader": {"type": "weighted", "weights": {"judge": 3, "exact": 1}, "graders": {
        "judge": {"type": "score_model", "model": "gpt-4.1-mini-2025-04-14", "range": [1, 5],
                  "input": [{"role": "user", "content": "Rate 1-5: {{ sample.output_text }}"}]},
        "exact": {"type": "string_check", "reference": "{{ item.a }}", "operation": "eq"}}}})
    exported = graders.to_openai(native)
    assert exported["type"] == "multi" and set(exported["graders"]) == {"judge", "exact"}
    imported = graders.from_openai(exported)
    rows = (["yes", "no"], [{"a": "yes"}, {"a": "yes"}])
    assert imported.score(*rows).scores.tolist() == pytest.approx(native.score(*rows).scores.tolist())
    assert native.score(*rows).scores.tolist() == pytest.approx([0.75 * 0.75 + 0.25, 0.75 * 0.75])
