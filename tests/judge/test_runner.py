"""Batch execution against the local server: retries, Retry-After, timeouts, deadline, limits, dedupe."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter

import numpy as np
import pytest

from graders.judge import configure_judges, limits
from graders.judge.runner import parse_retry_after
from graders.testing.fake_server import FakeJudgeServer, Faults, JudgeRequest, Reply
from tests.judge.support import echo_judge, grader, kinds, result_json, sample_number, score_node

ITEMS = [{"q": "q"}]


def _rows(n: int) -> tuple[list[str], list[dict[str, str]]]:
    return [f"row {i}" for i in range(n)], [{"q": "q"}] * n


def _fail_first(status: int, headers: dict[str, str] | None = None, times: int = 1):  # noqa: ANN202
    def judge(req: JudgeRequest) -> Reply | str:
        if req.attempt <= times:
            return Reply(text="scripted failure", status=status, headers=headers or {})
        return echo_judge(req)
    return judge


def test_429_retry_after_is_honoured(server: FakeJudgeServer) -> None:
    server.judge = _fail_first(429, {"retry-after-ms": "400"})
    samples, items = _rows(5)
    t = time.perf_counter()
    r = grader(score_node(retry_backoff=5.0)).score(samples, items)  # backoff would be far longer
    dt = time.perf_counter() - t
    assert r.n_scored == 5 and r.scores.tolist() == [0, 1, 2, 3, 4]
    assert 0.4 <= dt < 3.0
    assert r.counters["judge_http_429"] == 5 and r.counters["judge_retries"] == 5
    assert server.total_attempts == 10


def test_retry_after_seconds_header(server: FakeJudgeServer) -> None:
    server.judge = _fail_first(429, {"Retry-After": "1"})
    t = time.perf_counter()
    r = grader(score_node(retry_backoff=0.01)).score(["row 3"], ITEMS)
    assert r.scores.tolist() == [3.0] and time.perf_counter() - t >= 1.0


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after-ms": "250"}) == 0.25
    assert parse_retry_after({"retry-after": "2"}) == 2.0
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0  # a past date
    assert parse_retry_after({}) is None and parse_retry_after({"retry-after": "soon"}) is None


def test_500_is_retried_then_succeeds(server: FakeJudgeServer) -> None:
    server.judge = _fail_first(500, times=2)
    r = grader(score_node()).score(["row 7"], ITEMS)
    assert r.scores.tolist() == [7.0] and r.counters["judge_http_5xx"] == 2


def test_persistent_500_gives_a_server_error_after_max_retries(server: FakeJudgeServer) -> None:
    server.judge = _fail_first(503, times=99)
    r = grader(score_node(max_retries=2)).score(["row 7"], ITEMS)
    assert r.status.tolist() == [2] and kinds(r, 0) == ["judge_server_error"]
    assert "HTTP 503" in r.errors[0][0].message and "3 attempts" in r.errors[0][0].message
    assert server.total_attempts == 3 and r.scores.tolist() == [0.0]


def test_client_errors_are_not_retried(server: FakeJudgeServer) -> None:
    server.judge = _fail_first(404, times=99)
    r = grader(score_node()).score(["row 1"], ITEMS)
    assert kinds(r, 0) == ["judge_request_error"] and server.total_attempts == 1


def test_slow_reply_times_out_and_is_retried(server: FakeJudgeServer) -> None:
    def judge(req: JudgeRequest) -> Reply:
        return Reply(text=echo_judge(req), delay=1.5 if req.attempt == 1 else 0.0)
    server.judge = judge
    t = time.perf_counter()
    r = grader(score_node(timeout=0.3)).score(["row 4"], ITEMS)
    assert r.scores.tolist() == [4.0] and r.counters["judge_attempt_timeouts"] == 1
    assert time.perf_counter() - t < 1.4


def test_always_slow_gives_judge_timeout(server: FakeJudgeServer) -> None:
    server.judge = lambda req: Reply(text=echo_judge(req), delay=2.0)
    r = grader(score_node(timeout=0.2, max_retries=1)).score(["row 4"], ITEMS)
    assert kinds(r, 0) == ["judge_timeout"] and "0.2s request timeout" in r.errors[0][0].message


def test_batch_deadline_returns_the_rest(server: FakeJudgeServer) -> None:
    def judge(req: JudgeRequest) -> Reply:
        slow = sample_number(req) % 2 == 1
        return Reply(text=echo_judge(req), delay=5.0 if slow else 0.0)
    server.judge = judge
    samples, items = _rows(10)
    t = time.perf_counter()
    r = grader(score_node(timeout=30, deadline=0.6)).score(samples, items)
    assert time.perf_counter() - t < 2.5
    for i in range(10):
        if i % 2:
            assert r.status[i] == 2 and kinds(r, i) == ["judge_timeout"]
            assert "deadline of 0.6s" in r.errors[i][0].message
        else:
            assert r.status[i] == 0 and r.scores[i] == i
    assert r.counters["judge_timeout"] == 5


def test_malformed_refusal_truncated_and_bad_body(server: FakeJudgeServer) -> None:
    replies = {
        1: Reply(text='{"steps": [], "result": 7'),
        2: Reply(text=None, refusal="I can't grade this."),
        3: Reply(text='{"steps": [{"description": "long', finish_reason="length"),
        4: Reply(text="no number here"),
        5: Reply(text=result_json(5)),
    }
    server.judge = lambda req: replies[int(sample_number(req))]
    samples, items = _rows(6)
    r = grader(score_node()).score(samples[1:], items[1:])
    assert [kinds(r, i) for i in range(5)] == [
        ["judge_parse_error"], ["judge_refusal"], ["judge_truncated"], ["judge_parse_error"], []]
    assert r.scores.tolist() == [0, 0, 0, 0, 5]  # on_error: zero, but every zero is flagged
    assert r.status.tolist() == [2, 2, 2, 2, 0]
    assert "result\": 7" in r.errors[0][0].message  # the raw reply travels with the error


def test_unreadable_http_body_is_retried_then_reported(server: FakeJudgeServer) -> None:
    server.faults = Faults(rate_bad_body=1.0)
    r = grader(score_node(max_retries=1)).score(["row 1"], ITEMS)
    assert kinds(r, 0) == ["judge_bad_response"] and r.counters["judge_bad_bodies"] == 2


def test_skip_policy_gives_nan(server: FakeJudgeServer) -> None:
    server.judge = lambda req: "no idea"
    r = grader(score_node(on_error="skip")).score(["row 1"], ITEMS)
    assert np.isnan(r.scores[0]) and kinds(r, 0) == ["judge_parse_error"]


def test_concurrency_limit(server: FakeJudgeServer) -> None:
    server.latency = 0.05
    server.judge = echo_judge
    samples, items = _rows(64)
    r = grader(score_node(concurrency=8)).score(samples, items)
    assert r.n_scored == 64 and server.max_in_flight == 8


def test_requests_per_minute_limit(server: FakeJudgeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "BURST_S", 0.05)  # no opening burst: 1 request, then 20 per second
    server.judge = echo_judge
    samples, items = _rows(12)
    t = time.perf_counter()
    r = grader(score_node(requests_per_minute=1200)).score(samples, items)
    assert r.n_scored == 12 and time.perf_counter() - t >= 0.5


def test_token_bucket_accounting() -> None:
    lim = limits.RateLimiter(None, 6000)  # 100 tokens/s, burst 600
    assert lim.reserve(500) == 0.0
    wait = lim.reserve(300)  # 200 over: 2 s
    assert 1.9 < wait <= 2.0
    lim.settle(300, 100)  # the reply used 200 fewer tokens than reserved: the debt is repaid
    assert lim.reserve(0) < 0.1


def test_identical_requests_are_sent_once(server: FakeJudgeServer) -> None:
    server.judge = echo_judge
    samples = [f"row {i % 5}" for i in range(40)]
    r = grader(score_node()).score(samples, [{"q": "q"}] * 40)
    assert server.total_attempts == 5
    assert r.counters["judge_requests"] == 5 and r.counters["judge_deduped"] == 35
    assert r.scores.tolist() == [i % 5 for i in range(40)]


def test_structured_output_fallback(judge_env: object) -> None:
    with FakeJudgeServer(echo_judge, structured_outputs=False) as srv:
        configure_judges(base_url=srv.base_url)
        samples, items = _rows(6)
        r = grader(score_node(cache=False)).score(samples, items)
        assert r.n_scored == 6 and r.scores.tolist() == [0, 1, 2, 3, 4, 5]
        assert srv.statuses["400"] >= 1 and "json_schema" in " ".join(r.usage["events"])
        srv.reset_counters()  # later batches remember: no json_schema at all
        grader(score_node(cache=False)).score(samples, items)
        assert "400" not in srv.statuses and all("response_format" not in b for b in srv.bodies.values())
        r = grader(score_node(cache=False, model="other", response_format="json_schema")).score(["row 1"], ITEMS)
        assert kinds(r, 0) == ["judge_request_error"]


def test_text_mode_never_sends_a_schema(server: FakeJudgeServer) -> None:
    grader(score_node(response_format="text")).score(["row 1"], ITEMS)
    assert all("response_format" not in b for b in server.bodies.values())


def test_n_samples_and_reducers(server: FakeJudgeServer) -> None:
    votes = [2.0, 4.0, 4.0, 9.0, 11.0]  # 11 is clipped to 10
    server.judge = lambda req: result_json(votes[req.index])
    for reducer, want in (("mean", 5.8), ("median", 4.0), ("majority", 4.0)):
        r = grader(score_node(n=5, reducer=reducer, cache=False)).score(["row 1"], ITEMS)
        assert r.scores[0] == pytest.approx(want), reducer
        assert r.counters["judge_scores_clipped"] == 1
    assert all(b["n"] == 5 for b in server.bodies.values())


def test_some_unusable_samples_are_dropped_from_the_reduction(server: FakeJudgeServer) -> None:
    server.judge = lambda req: ["garbage", result_json(6), result_json(8)][req.index]
    r = grader(score_node(n=3)).score(["row 1"], ITEMS)
    assert r.scores[0] == 7.0 and r.status[0] == 0


def test_score_from_a_thread_and_from_a_running_loop(server: FakeJudgeServer) -> None:
    server.judge = echo_judge
    g = grader(score_node(cache=False))
    out: dict[str, float] = {}

    def work(name: str, sample: str) -> None:
        out[name] = float(g.score([sample], ITEMS).scores[0])

    threads = [threading.Thread(target=work, args=(f"t{i}", f"row {i}")) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {"t0": 0.0, "t1": 1.0, "t2": 2.0, "t3": 3.0}

    async def inside() -> tuple[float, float]:
        sync = g.score(["row 5"], ITEMS).scores[0]  # blocks this loop, but works
        asy = (await g.ascore(["row 6"], ITEMS)).scores[0]
        return float(sync), float(asy)

    assert asyncio.run(inside()) == (5.0, 6.0)


def test_faults_are_reproducible(judge_env: object) -> None:
    f = Faults(rate_429=0.3, rate_500=0.2, seed=5)
    draws = Counter(f.draw(f"key{i}", 1) for i in range(2000))
    assert 500 < draws["429"] < 700 and 320 < draws["500"] < 480
    assert [f.draw("k", a) for a in range(1, 20)] == [Faults(rate_429=0.3, rate_500=0.2, seed=5).draw("k", a)
                                                      for a in range(1, 20)]


@pytest.fixture
def httpx_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADERS_JUDGE_TRANSPORT", "httpx")


def test_default_openai_transport_handles_the_same_faults(server: FakeJudgeServer, httpx_transport: None) -> None:
    """https endpoints use the openai client's own transport: retries, Retry-After and timeouts hold there too."""
    calls: Counter[str] = Counter()

    def judge(req: JudgeRequest) -> Reply | str:
        calls[req.sample] += 1
        if req.sample == "row 1" and req.attempt == 1:
            return Reply(text="busy", status=429, headers={"retry-after-ms": "200"})
        if req.sample == "row 2" and req.attempt == 1:
            return Reply(text="oops", status=500)
        if req.sample == "row 3":
            return Reply(text=echo_judge(req), delay=2.0)
        return echo_judge(req)

    server.judge = judge
    samples, items = _rows(5)
    r = grader(score_node(timeout=0.3, max_retries=1)).score(samples, items)
    assert r.status.tolist() == [0, 0, 0, 2, 0] and r.scores.tolist() == [0, 1, 2, 0, 4]
    assert kinds(r, 3) == ["judge_timeout"] and calls["row 3"] == 2
    assert r.counters["judge_http_429"] == 1 and r.counters["judge_http_5xx"] == 1
