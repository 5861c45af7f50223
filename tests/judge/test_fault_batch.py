"""Acceptance: 2,000 rows under injected faults (10% 429, 5% 500, 5% slow beyond the timeout).

Every row ends scored with its own value or with a specific error; none is
lost or duplicated; re-running the batch with the cache on sends nothing for
the rows already scored.
"""

from __future__ import annotations

import numpy as np

from graders.testing.fake_server import FakeJudgeServer, Faults, JudgeRequest
from tests.judge.support import echo_judge, grader, score_node

N = 2000
JUDGE_ERRORS = {"judge_rate_limited", "judge_server_error", "judge_timeout"}


def _batch() -> tuple[list[str], list[dict[str, str]], np.ndarray]:
    samples = [f"row {i}" for i in range(N)]
    return samples, [{"q": f"q{i}"} for i in range(N)], np.array([i % 11 for i in range(N)], dtype=float)


def test_2000_rows_under_faults_then_free_rerun(server: FakeJudgeServer) -> None:
    server.judge = echo_judge
    server.latency = 0.002
    server.faults = Faults(rate_429=0.10, rate_500=0.05, rate_slow=0.05, slow_s=1.0, retry_after=0.02, seed=11)
    g = grader(score_node(timeout=0.25, max_retries=3, retry_backoff=0.01, concurrency=64))
    samples, items, want = _batch()

    r1 = g.score(samples, items)
    assert len(r1) == N and len(r1.errors) == N
    scored = r1.status == 0
    errored = r1.status == 2
    assert (scored | errored).all()  # nothing lost: every row has a verdict
    np.testing.assert_array_equal(r1.scores[scored], want[scored])  # each row got its own judgment
    for i in np.flatnonzero(errored):
        assert len(r1.errors[i]) == 1 and r1.errors[i][0].kind in JUDGE_ERRORS, r1.errors[i]
    for i in np.flatnonzero(scored):
        assert r1.errors[i] == []
    c = r1.counters
    assert c["judge_requests"] == N and c["judge_http_429"] > 100 and c["judge_http_5xx"] > 50
    assert c["judge_attempt_timeouts"] > 50 and c["judge_retries"] > 200
    assert scored.sum() >= N - 10  # 4 attempts each: a row fails only if all four draw a fault

    # Every request reached the server; each of the scored ones was judged and answered.
    assert len(server.attempts) == N
    judged_once = dict(server.judged)
    attempts_once = dict(server.attempts)

    r2 = g.score(samples, items)
    assert r2.counters["judge_cache_hits"] == int(scored.sum())
    assert r2.counters["judge_requests"] == N
    # No row scored in the first run reached the server again.
    sent_again = [k for k, v in server.attempts.items() if v != attempts_once[k]]
    rows_again = {int(JudgeRequest(server.bodies[k]).sample.split()[1]) for k in sent_again}
    assert rows_again <= set(np.flatnonzero(errored).tolist())
    assert all(server.judged[k] == judged_once.get(k, 0) for k in server.judged
               if int(JudgeRequest(server.bodies[k]).sample.split()[1]) in set(np.flatnonzero(scored).tolist()))
    assert r2.counters["judge_calls"] >= int(errored.sum())
    assert r2.counters.get("judge_calls", 0) < 3 * max(1, int(errored.sum())) + 5
    scored2 = r2.status == 0
    assert scored2[scored].all()
    np.testing.assert_array_equal(r2.scores[scored2], want[scored2])


def test_deadline_under_faults_loses_no_row(server: FakeJudgeServer) -> None:
    server.judge = echo_judge
    server.faults = faults = Faults(rate_slow=0.3, slow_s=3.0, seed=2)
    g = grader(score_node(timeout=10, deadline=1.0, cache=False, concurrency=300))
    samples, items, want = _batch()
    samples, items, want = samples[:300], items[:300], want[:300]
    r = g.score(samples, items)
    n_slow = sum(faults.draw(k, 1) == "slow" for k in server.attempts)
    assert 50 < n_slow < 130
    scored = r.status == 0
    assert (scored | (r.status == 2)).all()
    assert scored.sum() == 300 - n_slow  # exactly the slow requests were cut at the deadline
    np.testing.assert_array_equal(r.scores[scored], want[scored])
    assert all(r.errors[i][0].kind == "judge_timeout" for i in np.flatnonzero(~scored))
    assert r.counters["judge_timeout"] == n_slow
