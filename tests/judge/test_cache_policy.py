"""The judge cache keeps what the judge decided (issue 9, items 7 and 8)."""

from __future__ import annotations

import json

from graders.testing.fake_server import FakeJudgeServer, Faults, JudgeRequest, Reply
from tests.judge.support import grader, label_node, score_node

ITEMS = [{"q": "q"}] * 3
ROWS = ["answer one", "answer two", "answer three"]


def test_lone_surrogate_in_a_reply_loses_nothing(server: FakeJudgeServer) -> None:
    def judge(req: JudgeRequest) -> str:
        return '{"steps": [{"description": "\ud800 odd", "conclusion": "ok \udfff"}], "result": 7} \ud83d'

    server.judge = judge
    g = grader(score_node())
    r = g.score(ROWS, ITEMS)
    assert r.status.tolist() == [0, 0, 0] and r.scores.tolist() == [7.0, 7.0, 7.0]
    assert r.counters.get("judge_cache_errors", 0) == 0
    attempts = server.total_attempts
    again = g.score(ROWS, ITEMS)  # served from the cache, surrogates and all
    assert again.scores.tolist() == [7.0, 7.0, 7.0] and server.total_attempts == attempts
    json.dumps(g.explain(ROWS[0], ITEMS[0]))


def test_malformed_and_truncated_replies_are_asked_again(server: FakeJudgeServer) -> None:
    g = grader(score_node(max_retries=0))
    for fault in ("malformed", "truncated"):
        server.faults = Faults(**{f"rate_{fault}": 1.0})
        rows = [f"{fault} {x}" for x in ROWS]
        bad = g.score(rows, ITEMS)
        assert bad.status.tolist() == [2, 2, 2]
        server.faults = Faults()  # the outage is over
        before = server.total_attempts
        good = g.score(rows, ITEMS)
        assert good.status.tolist() == [0, 0, 0], good.errors
        assert server.total_attempts == before + 3  # asked again, not served the broken replies
        cached = g.score(rows, ITEMS)
        assert cached.counters.get("judge_cache_hits") == 3 and server.total_attempts == before + 3


def test_refusals_are_decisions_and_are_cached(server: FakeJudgeServer) -> None:
    server.judge = lambda req: Reply(text=None, refusal="no")
    g = grader(label_node(max_retries=0))
    assert g.score(ROWS, ITEMS).status.tolist() == [2, 2, 2]
    before = server.total_attempts
    again = g.score(ROWS, ITEMS)
    assert server.total_attempts == before and again.counters.get("judge_cache_hits") == 3
