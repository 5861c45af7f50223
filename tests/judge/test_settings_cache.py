"""Endpoint and key resolution (overrides > config > env), and the disk cache."""

from __future__ import annotations

from pathlib import Path

import pytest

import graders
from graders.judge import JudgeConfigError, configure_judges, overrides, reset_judges
from graders.judge.cache import FILE_NAME, ResponseCache, request_key
from graders.testing.fake_server import FakeJudgeServer
from tests.judge.support import echo_judge, grader, kinds, score_node

ITEMS = [{"q": "q"}]


def test_openai_env_vars_are_honoured(judge_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeJudgeServer(echo_judge, api_key="sk-env") as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
        r = grader(score_node()).score(["row 3"], ITEMS)
        assert r.scores.tolist() == [3.0] and srv.total_attempts == 1


def test_precedence_override_then_config_then_env(judge_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeJudgeServer(echo_judge, api_key="k1") as a, FakeJudgeServer(echo_judge, api_key="k2") as b:
        monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens there
        monkeypatch.setenv("OPENAI_API_KEY", "wrong")
        monkeypatch.setenv("JUDGE_KEY", "k1")
        node = score_node(base_url=a.base_url, api_key_env="JUDGE_KEY", cache=False)
        assert grader(node).score(["row 1"], ITEMS).n_scored == 1 and a.total_attempts == 1
        configure_judges(base_url=b.base_url, api_key="k2")  # what --base-url / --api-key set
        assert grader(node).score(["row 1"], ITEMS).n_scored == 1 and b.total_attempts == 1
        assert a.total_attempts == 1


def test_wrong_key_is_an_auth_error_per_row(judge_env: Path) -> None:
    with FakeJudgeServer(echo_judge, api_key="right") as srv:
        configure_judges(base_url=srv.base_url, api_key="wrong")
        r = grader(score_node()).score(["row 1", "row 2"], ITEMS * 2)
        assert kinds(r, 0) == ["judge_auth_error"] and srv.statuses["401"] == 2  # not retried


def test_missing_key_for_openai_fails_before_any_request(judge_env: Path) -> None:
    with pytest.raises(JudgeConfigError, match="OPENAI_API_KEY"):
        grader(score_node()).score(["row 1"], ITEMS)


def test_missing_named_key_env(judge_env: Path) -> None:
    with pytest.raises(JudgeConfigError, match="NOPE"):
        grader(score_node(base_url="http://127.0.0.1:9/v1", api_key_env="NOPE")).score(["row 1"], ITEMS)


def test_local_endpoint_needs_no_key(server: FakeJudgeServer) -> None:
    r = grader(score_node()).score(["row 1"], ITEMS)
    assert r.n_scored == 1


def test_configure_and_reset(judge_env: Path) -> None:
    configure_judges(base_url="http://127.0.0.1:1/v1", cache=False, prices={"m": {"input": 1, "output": 2}})
    configure_judges(api_key="x")
    o = overrides()
    assert (o.base_url, o.api_key, o.cache, o.prices["m"]["output"]) == ("http://127.0.0.1:1/v1", "x", False, 2)
    reset_judges()
    assert overrides().base_url is None


def test_cache_makes_a_rerun_free_and_lives_under_graders_cache_dir(server: FakeJudgeServer, judge_env: Path) -> None:
    server.judge = echo_judge
    g = grader(score_node())
    g.score(["row 1", "row 2"], ITEMS * 2)
    assert (judge_env / "cache" / "judge" / FILE_NAME).exists()
    r = g.score(["row 1", "row 2"], ITEMS * 2)
    assert server.total_attempts == 2 and r.counters["judge_cache_hits"] == 2 and r.counters["judge_calls"] == 0
    assert r.usage["cache_hits"] == 2 and r.usage["requests"] == 0 and r.usage["estimated_cost_usd"] == 0
    assert r.scores.tolist() == [1.0, 2.0]


def test_cache_key_covers_messages_model_and_params(server: FakeJudgeServer) -> None:
    server.judge = echo_judge
    grader(score_node()).score(["row 1"], ITEMS)
    grader(score_node(sampling_params={"seed": 1})).score(["row 1"], ITEMS)
    grader(score_node(model="gpt-4o")).score(["row 1"], ITEMS)
    grader(score_node()).score(["row 1"], [{"q": "other"}])
    grader(score_node(range=[0, 5])).score(["row 1"], ITEMS)  # the contract is in the system message
    assert server.total_attempts == 5
    grader(score_node(timeout=9, concurrency=3)).score(["row 1"], ITEMS)  # execution fields are not
    assert server.total_attempts == 5


def test_cache_opt_out(server: FakeJudgeServer, tmp_path: Path) -> None:
    server.judge = echo_judge
    grader(score_node(cache=False)).score(["row 1"], ITEMS)
    grader(score_node(cache=False)).score(["row 1"], ITEMS)
    assert server.total_attempts == 2
    configure_judges(cache=False)  # graders score --no-cache
    grader(score_node()).score(["row 1"], ITEMS)
    grader(score_node()).score(["row 1"], ITEMS)
    assert server.total_attempts == 4
    reset_judges()
    configure_judges(base_url=server.base_url, cache_dir=str(tmp_path / "elsewhere"))
    grader(score_node()).score(["row 1"], ITEMS)
    assert (tmp_path / "elsewhere" / FILE_NAME).exists()


def test_errors_are_not_cached(server: FakeJudgeServer) -> None:
    from graders.testing.fake_server import Faults

    server.faults = Faults(rate_500=1.0)
    g = grader(score_node(max_retries=0))
    assert kinds(g.score(["row 1"], ITEMS), 0) == ["judge_server_error"]
    server.faults = Faults()
    server.judge = echo_judge
    assert g.score(["row 1"], ITEMS).scores.tolist() == [1.0]


def test_unusable_cache_degrades_to_no_cache(server: FakeJudgeServer, tmp_path: Path) -> None:
    server.judge = echo_judge
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    r = grader(score_node(cache_dir=str(blocker / "sub"))).score(["row 1"], ITEMS)
    assert r.scores.tolist() == [1.0] and r.counters["judge_cache_errors"] >= 1


def test_cache_roundtrip(tmp_path: Path) -> None:
    c = ResponseCache(tmp_path)
    k = request_key({"model": "m", "messages": []})
    assert c.get_many([k]) == {}
    c.put_many({k: {"choices": [["x", "stop", None]], "usage": {}}})
    assert c.get_many([k, "missing"])[k]["choices"] == [["x", "stop", None]]
    assert len(c.get_many([str(i) for i in range(1200)] + [k])) == 1  # chunked IN queries


def test_loading_a_judge_does_not_import_openai() -> None:
    import subprocess
    import sys

    code = ("import sys, graders; graders.from_dict({'type': 'score_model', 'model': 'm', "
            "'input': [{'role': 'user', 'content': '{{ sample.output_text }}'}]});"
            "print(','.join(m for m in ('openai', 'httpx2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == ""
    assert graders  # noqa: B018
