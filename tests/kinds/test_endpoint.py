"""`endpoint`: POST {sample, item, trace_id} to a local HTTP server on 127.0.0.1, reply {"score": x}."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import graders
from graders.errors import ConfigError


class RewardServer:
    """Scores by the sample text: 'fail-once' fails its first attempt with 503, 'bad' replies junk,
    'slow' never answers in time, 'deny' gets 403; otherwise score = len(output_text) / 10."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.attempts: Counter[str] = Counter()
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                body = json.loads(raw)
                text = body["sample"]["output_text"]
                with outer.lock:
                    outer.bodies.append(body)
                    outer.headers.append({k.lower(): v for k, v in self.headers.items()})
                    outer.attempts[text] += 1
                    n = outer.attempts[text]
                if text == "fail-once" and n == 1:
                    return self._send(503, b"busy")
                if text == "deny":
                    return self._send(403, b"no")
                if text == "bad":
                    return self._send(200, b'{"reward": 1}')
                if text == "slow":
                    threading.Event().wait(1.0)
                self._send(200, json.dumps({"score": len(text) / 10}).encode())

            def _send(self, code: int, data: bytes) -> None:
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/score"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def reward_server() -> Iterator[RewardServer]:
    srv = RewardServer()
    yield srv
    srv.stop()


def _grader(url: str, **kw: Any) -> graders.Grader:
    return graders.from_dict({"grader": {"type": "endpoint", "url": url, "timeout": 0.5, "max_retries": 1,
                                         "retry_backoff": 0.01, **kw}})


def test_scores_rows_in_order_and_sends_the_payload(reward_server: RewardServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REWARD_KEY", "s3cret")
    g = _grader(reward_server.url, api_key_env="REWARD_KEY", headers={"x-team": "rl"})
    res = g.score(["abc", "abcdef", "abc"], [{"q": 1}, {"q": 2}, {"q": 1}])
    assert res.scores.tolist() == pytest.approx([0.3, 0.6, 0.3])
    assert len(reward_server.bodies) == 2  # identical (sample, item) rows are sent once
    body = next(b for b in reward_server.bodies if b["item"] == {"q": 2})
    assert body["sample"] == {"output_text": "abcdef"}
    assert isinstance(body["trace_id"], str) and body["trace_id"]
    assert reward_server.headers[0]["authorization"] == "Bearer s3cret"
    assert reward_server.headers[0]["x-team"] == "rl"


def test_per_row_errors_never_break_the_batch(reward_server: RewardServer) -> None:
    g = _grader(reward_server.url)
    res = g.score(["fail-once", "bad", "deny", "slow", "ok"])
    assert res.scores[0] == pytest.approx(0.9)  # retried after a 503
    kinds = [[e.kind for e in errs] for errs in res.errors]
    assert kinds == [[], ["endpoint_bad_response"], ["endpoint_http_error"], ["endpoint_unresponsive"], []]
    assert res.scores[1:4].tolist() == [0.0, 0.0, 0.0]
    assert res.scores[4] == pytest.approx(0.2)


def test_unreachable_endpoint_is_unresponsive_reward_error() -> None:
    out = graders.run_openai({"type": "endpoint", "name": "azure", "url": "http://127.0.0.1:9/score", "timeout": 0.3,
                              "max_retries": 0}, "hello", {})
    assert out["reward"] == 0.0
    assert out["metadata"]["errors"]["unresponsive_reward_error"] is True


def test_openai_import_and_round_trip(reward_server: RewardServer) -> None:
    cfg = {"type": "endpoint", "name": "azure_reward", "url": reward_server.url}
    out = graders.run_openai(cfg, "abcd", {"x": 1})
    assert out["reward"] == pytest.approx(0.4)
    assert reward_server.bodies[-1]["sample"]["output_text"] == "abcd"
    assert graders.to_openai(graders.from_openai(cfg)) == cfg


def test_bad_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="url"):
        graders.from_dict({"grader": {"type": "endpoint", "url": "ftp://x"}})
