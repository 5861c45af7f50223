"""`label_model`: labels and passing_labels (OpenAI semantics), validation, parsing, reducers."""

from __future__ import annotations

import pytest

import graders
from graders.errors import ConfigError
from graders.testing.fake_server import FakeJudgeServer
from tests.judge import support
from tests.judge.support import grader, kinds, label_json, label_node

judge_env = support.judge_env  # fixtures
server = support.server

# OpenAI's held-out acceptance config E.
OPENAI_E = {
    "type": "label_model", "name": "tone", "model": "gpt-4.1-mini-2025-04-14",
    "labels": ["polite", "neutral", "rude"], "passing_labels": ["polite", "neutral"],
    "input": [{"role": "system", "content": "Classify the tone of the reply."},
              {"role": "user", "content": "{{ sample.output_text }}"}],
}


def _error(node: dict) -> str:
    with pytest.raises(ConfigError) as ei:
        graders.from_dict({"grader": node})
    return str(ei.value)


def test_passing_labels_must_be_labels() -> None:
    msg = _error({**OPENAI_E, "passing_labels": ["polite", "angry"]})
    assert "passing_labels ['angry'] are not in labels" in msg


def test_label_set_checks() -> None:
    assert "repeated" in _error({**OPENAI_E, "labels": ["a", "a", "b"], "passing_labels": ["a"]})
    assert "labels" in _error({**OPENAI_E, "labels": ["only"], "passing_labels": ["only"]})
    assert "passing_labels" in _error({**OPENAI_E, "passing_labels": []})
    assert "non-empty" in _error({**OPENAI_E, "labels": ["a", " "], "passing_labels": ["a"]})


def test_image_parts_are_accepted() -> None:
    """openai-python's LabelModelGrader.Input content: text, output text, input images and input audio."""
    node = {**OPENAI_E, "input": [{"role": "user", "content": [
        {"type": "input_text", "text": "{{ sample.output_text }}"},
        {"type": "input_image", "image_url": "{{ item.url }}"}]}]}
    graders.from_dict({"grader": node})


def test_reasoning_rules_apply() -> None:
    assert "temperature" in _error({**OPENAI_E, "model": "o3-mini", "sampling_params": {"temperature": 0.7}})


def test_rude_fails_polite_passes(server: FakeJudgeServer) -> None:
    verdicts = {"thanks!": "polite", "ok": "neutral", "go away": "rude"}
    server.judge = lambda req: label_json(verdicts[req.sample])
    g = graders.from_dict({"grader": OPENAI_E})
    r = g.score(["thanks!", "ok", "go away"], [{}] * 3)
    assert r.scores.tolist() == [1.0, 1.0, 0.0] and r.status.tolist() == [0, 0, 0]
    (body,) = list(server.bodies.values())[:1]
    assert body["response_format"]["json_schema"]["schema"]["properties"]["label"]["enum"] == OPENAI_E["labels"]
    assert 'exactly one of these labels: ["polite", "neutral", "rude"]' in body["messages"][0]["content"]


def test_unknown_label_and_unparseable_reply(server: FakeJudgeServer) -> None:
    server.judge = lambda req: {"a": label_json("angry"), "b": "hmm, hard to say", "c": "Neutral."}[req.sample]
    r = grader(label_node()).score(["a", "b", "c"], [{}] * 3)
    assert kinds(r, 0) == ["judge_invalid_label"] and "'angry'" in r.errors[0][0].message
    assert kinds(r, 1) == ["judge_parse_error"]
    assert r.scores.tolist() == [0.0, 0.0, 1.0] and r.status.tolist() == [2, 2, 0]


def test_majority_and_mean_over_samples(server: FakeJudgeServer) -> None:
    votes = ["rude", "polite", "rude", "neutral", "polite"]
    server.judge = lambda req: label_json(votes[req.index])
    r = grader(label_node(n=5)).score(["x"], [{}])  # polite 2, rude 2, neutral 1: tie -> listed first
    assert r.scores.tolist() == [1.0]
    r = grader(label_node(n=5, reducer="mean", cache=False)).score(["x"], [{}])
    assert r.scores.tolist() == [pytest.approx(0.6)]
    r = grader(label_node(n=3, cache=False)).score(["x"], [{}])  # rude, polite, rude
    assert r.scores.tolist() == [0.0]


def test_explain_names_the_label(server: FakeJudgeServer) -> None:
    server.judge = lambda req: label_json("rude")
    tree = grader(label_node()).explain("whatever", {})
    assert tree["score"] == 0.0 and "label 'rude'" in tree["note"]
