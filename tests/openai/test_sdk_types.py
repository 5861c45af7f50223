"""Graders written with openai-python's own types import as the same JSON does.

Users of the SDK build graders as its models (`StringCheckGrader(...)`, `ScoreModelGrader(...)`) or
its TypedDict params (plain dicts); both reach `graders.from_openai` / `run_openai`. Expected rewards
follow the documented semantics (eq is case-sensitive equality; a multi computes calculate_output).
"""

from __future__ import annotations

import json

import pytest

import graders
from graders.judge import configure_judges
from graders.testing.fake_server import FakeJudgeServer

types = pytest.importorskip("openai.types.graders")  # absent from the oldest openai the low-pin CI installs


def test_sdk_models_import_and_score() -> None:
    check = types.StringCheckGrader(type="string_check", name="label", input="{{ sample.output_text }}",
                                    reference="{{ item.label }}", operation="eq")
    sim = types.TextSimilarityGrader(type="text_similarity", name="sim", input="{{ sample.output_text }}",
                                     reference="{{ item.label }}", evaluation_metric="rouge_1")
    assert graders.run_openai(check, "approved", {"label": "approved"})["reward"] == 1.0
    assert graders.run_openai(check, "Approved", {"label": "approved"})["reward"] == 0.0
    assert graders.run_openai(sim, "approved", {"label": "approved"})["reward"] == pytest.approx(1.0)
    multi = {"type": "multi", "name": "m", "calculate_output": "0.25 * label + 0.75 * sim",
             "graders": {"label": check.model_dump(), "sim": sim.model_dump()}}  # the TypedDict form: dicts
    out = graders.run_openai(multi, "Approved", {"label": "approved"})
    # eq is case-sensitive; rouge-score's tokenizer lower-cases, so ROUGE-1 is 1
    assert out["sub_rewards"] == {"label": 0.0, "sim": 1.0} and out["reward"] == 0.75


def test_sdk_score_model_reaches_the_judge_as_written(server: FakeJudgeServer) -> None:
    configure_judges(cache=False)
    server.judge = lambda req: json.dumps({"result": 7, "steps": []})
    judge = types.ScoreModelGrader(
        type="score_model", name="rubric", model="o4-mini-2025-04-16", range=[0, 10],
        sampling_params={"seed": 3, "max_completions_tokens": 512, "reasoning_effort": "low"},
        input=[{"role": "developer", "content": "Score 0-10."},
               {"role": "user", "content": [{"type": "input_text", "text": "Answer: {{ sample.output_text }}"}]}])
    out = graders.run_openai(judge, "42", {})
    assert out["reward"] == 7.0
    (body,) = server.bodies.values()
    assert body["model"] == "o4-mini-2025-04-16" and body["seed"] == 3 and body["max_completion_tokens"] == 512
    assert body["messages"][0] == {"role": "developer", "content": "Score 0-10."}
