"""Shared fixtures and builders for the judge tests (tests/judge and tests/kinds/test_*_model.py).

Every test runs against `graders.testing.fake_server` on 127.0.0.1 with its own
cache directory; nothing reaches the network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import graders
from graders.judge import configure_judges, reset_judges
from graders.testing.fake_server import FakeJudgeServer, JudgeRequest

FAST = {"timeout": 2.0, "retry_backoff": 0.01}


@pytest.fixture
def judge_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An isolated judge setup: own cache dir, no OpenAI env, no overrides."""
    monkeypatch.setenv("GRADERS_CACHE_DIR", str(tmp_path / "cache"))
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
                "GRADERS_JUDGE_TRANSPORT"):
        monkeypatch.delenv(var, raising=False)
    reset_judges()
    yield tmp_path
    reset_judges()


@pytest.fixture
def server(judge_env: Path) -> Iterator[FakeJudgeServer]:
    """A fresh fake judge server, set as the endpoint of every judge (configure_judges)."""
    srv = FakeJudgeServer().start()
    configure_judges(base_url=srv.base_url)
    try:
        yield srv
    finally:
        srv.stop()


def score_node(**kw: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "type": "score_model",
        "model": "gpt-4.1-mini",
        "range": [0, 10],
        "input": [
            {"role": "developer", "content": "Score the answer 0-10."},
            {"role": "user", "content": "Question: {{ item.q }}\nAnswer: {{ sample.output_text }}"},
        ],
        **FAST,
    }
    node.update(kw)
    return node


def label_node(**kw: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "type": "label_model",
        "model": "gpt-4.1-mini-2025-04-14",
        "labels": ["polite", "neutral", "rude"],
        "passing_labels": ["polite", "neutral"],
        "input": [
            {"role": "system", "content": "Classify the tone of the reply."},
            {"role": "user", "content": "{{ sample.output_text }}"},
        ],
        **FAST,
    }
    node.update(kw)
    return node


def grader(node: dict[str, Any]) -> graders.Grader:
    return graders.from_dict({"grader": node})


def result_json(value: Any) -> str:
    return json.dumps({"steps": [], "result": value})


def label_json(value: str) -> str:
    return json.dumps({"steps": [], "label": value})


def sample_number(req: JudgeRequest) -> float:
    """Judge script: the score is the number written in the sample ('row 7' -> 7 % 11)."""
    digits = "".join(ch for ch in req.sample if ch.isdigit())
    return float(int(digits) % 11) if digits else 0.0


def echo_judge(req: JudgeRequest) -> str:
    return result_json(sample_number(req))


def kinds(result: Any, row: int) -> list[str]:
    return [e.kind for e in result.errors[row]]
