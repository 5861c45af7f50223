"""`graders serve` end to end: a real uvicorn process on 127.0.0.1, spoken to over HTTP."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[2]
TAGGED = """
name: tagged
grader:
  type: gate
  otherwise: 0.0
  graders:
    format: {type: regex, pattern: "(?s)<answer>.*</answer>\\\\s*$"}
    correct: {type: numeric, reference: "{{ item.label }}", extract: [{type: xml_tag, tag: answer}, auto]}
"""
EXACT = "name: exact-match\ngrader: {type: exact, reference: '{{ item.answer }}'}\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("serve")
    (d / "tagged.yaml").write_text(TAGGED)
    (d / "exact.yaml").write_text(EXACT)
    port_file = d / "port"
    proc = subprocess.Popen([sys.executable, "-m", "graders", "serve", str(d / "tagged.yaml"), str(d / "exact.yaml"),
                             str(ROOT / "examples" / "group_length.yaml"),
                             "--port", "0", "--port-file", str(port_file), "--max-body-mb", "0.05",
                             "--max-rows", "500"], stderr=subprocess.PIPE, text=True)
    for _ in range(300):
        if port_file.exists() and port_file.read_text():
            break
        time.sleep(0.05)
    port = int(port_file.read_text())
    for _ in range(200):  # until uvicorn answers
        try:
            if request(port, "GET", "/health")[0] == 200:
                break
        except OSError:
            time.sleep(0.05)
    yield port, proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def request(port: int, method: str, path: str, body: object = None, raw: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, object]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    resp = conn.getresponse()
    payload = resp.read()
    conn.close()
    try:
        return resp.status, json.loads(payload)
    except ValueError:
        return resp.status, payload


def test_health_lists_graders(server) -> None:
    port, _ = server
    status, body = request(port, "GET", "/health")
    assert status == 200 and body["graders"] == ["tagged", "exact-match", "group-length"]
    assert body["default"] == "tagged"


def test_group_grader_is_served_on_score_only(server) -> None:
    port, _ = server
    item = {"question": "q", "answer": "72"}
    rows = [{"item": item, "sample": s} for s in ("\\boxed{72}", "so it is \\boxed{72}", "a b c d \\boxed{72}",
                                                  "\\boxed{71}")]
    status, body = request(port, "POST", "/score/group-length", {"rows": rows})
    assert status == 200 and body["rows"][0]["score"] == 1.5  # shortest correct answer of the group
    status, body = request(port, "POST", "/get_reward/group-length", {"query": ["x"], "prompts": [""]})
    assert status == 422 and "group" in body["error"]


def test_get_reward_openrlhf_protocol_strips_special_tokens(server) -> None:
    port, _ = server
    prompt = "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n"
    status, body = request(port, "POST", "/get_reward", {
        "query": [prompt + "<answer>4</answer><|im_end|>", prompt + "<answer>5</answer><|endoftext|>", prompt + "4"],
        "prompts": [prompt] * 3, "labels": ["4", "4", "4"]})
    assert status == 200
    assert body["rewards"] == [1.0, 0.0, 0.0] and body["scores"] == body["rewards"]
    assert body["extra_logs"]["format"] == [1.0, 1.0, 0.0] and body["extra_logs"]["correct"] == [1.0, 0.0, 0.0]


def test_score_rows_by_name(server) -> None:
    port, _ = server
    status, body = request(port, "POST", "/score/exact-match", {"rows": [
        {"item": {"answer": "Paris"}, "sample": {"output_text": "Paris"}},
        {"item": {"answer": "Paris"}, "sample": "Lyon"},
        {"item": {}, "sample": "x"}]})
    assert status == 200 and body["grader"] == "exact-match"
    rows = body["rows"]
    assert [r["score"] for r in rows] == [1.0, 0.0, 0.0]
    assert rows[2]["status"] == "error" and rows[2]["errors"][0]["kind"] == "missing_field"
    status, body = request(port, "POST", "/score", [{"item": {"label": "3"}, "sample": "x"}])
    assert status == 200 and body["rows"][0]["components"] == {"format": 0.0, "correct": None}
    assert request(port, "POST", "/score/nope", {"rows": []})[0] == 404


@pytest.mark.parametrize("raw,code", [
    (b"{not json", 400), (b'{"query": "a string"}', 422), (b'{"query": ["a"], "prompts": ["a", "b"]}', 422),
    (b"[1, 2]", 422), (b'{"query": [1]}', 422)])
def test_malformed_get_reward_is_a_4xx(server, raw: bytes, code: int) -> None:
    port, proc = server
    status, body = request(port, "POST", "/get_reward", raw=raw)
    assert status == code and "error" in body
    assert proc.poll() is None


def test_oversized_requests_are_413_and_the_server_lives_on(server) -> None:
    port, proc = server
    big = {"query": ["x" * 1000] * 100, "prompts": [""] * 100}  # ~100 kB > 0.05 MB
    assert request(port, "POST", "/get_reward", big)[0] == 413
    many = {"rows": [{"item": {"answer": "a"}, "sample": "a"}] * 501}
    many_raw = json.dumps(many).encode()
    assert len(many_raw) < 0.05 * 2**20
    assert request(port, "POST", "/score/exact-match", raw=many_raw)[0] == 413
    # chunked upload with no Content-Length: still bounded
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/get_reward", body=iter([b'{"query": ["' + b"y" * 30000, b"y" * 30000 + b'"]}']),
                 headers={"Content-Type": "application/json"}, encode_chunked=True)
    assert conn.getresponse().status == 413
    conn.close()
    assert proc.poll() is None and request(port, "GET", "/health")[0] == 200


def test_concurrent_clients_get_their_own_rows(server) -> None:
    port, _ = server

    def client(c: int) -> None:
        for k in range(10):
            n = [c * 1000 + k * 10 + j for j in range(5)]
            rows = [{"item": {"label": str(v)}, "sample": f"<answer>{v if v % 3 else v + 1}</answer>"} for v in n]
            status, body = request(port, "POST", "/score", {"rows": rows})
            assert status == 200
            assert [r["score"] for r in body["rows"]] == [1.0 if v % 3 else 0.0 for v in n]

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(client, range(16)))


def test_concurrent_get_reward_clients_get_their_own_rows_and_logs(server) -> None:
    # /get_reward requests share coalesced batches, formatted once per batch: each response must
    # hold exactly its own rows, rewards and extra_logs alike, in its own order.
    port, _ = server

    def client(c: int) -> None:
        for k in range(8):
            n = [c * 1000 + k * 10 + j for j in range(1 + (c + k) % 3)]
            queries = [f"<answer>{v if v % 3 else v + 1}</answer><|im_end|>" if v % 5 else str(v) for v in n]
            status, body = request(port, "POST", "/get_reward",
                                   {"query": queries, "prompts": [""] * len(n), "labels": [str(v) for v in n]})
            assert status == 200
            want_format = [1.0 if v % 5 else 0.0 for v in n]
            want = [1.0 if v % 5 and v % 3 else 0.0 for v in n]
            assert body["rewards"] == want and body["extra_logs"]["format"] == want_format, (c, k)
            assert body["extra_logs"]["correct"] == want

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(client, range(16)))


def test_sigterm_is_a_graceful_shutdown(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(EXACT)
    port_file = tmp_path / "port"
    proc = subprocess.Popen([sys.executable, "-m", "graders", "serve", str(tmp_path / "g.yaml"), "--port", "0",
                             "--port-file", str(port_file)], stderr=subprocess.PIPE, text=True)
    for _ in range(300):
        if port_file.exists() and port_file.read_text():
            break
        time.sleep(0.05)
    port = int(port_file.read_text())
    for _ in range(200):
        try:
            request(port, "GET", "/health")
            break
        except OSError:
            time.sleep(0.05)
    assert request(port, "POST", "/score", {"rows": [{"item": {"answer": "a"}, "sample": "a"}]})[1]["rows"][0]["score"] == 1.0
    os.kill(proc.pid, signal.SIGTERM)
    # uvicorn drains, runs the lifespan shutdown (closes the coalescers), then re-raises the signal
    assert proc.wait(30) in (0, -signal.SIGTERM)
    assert "Traceback" not in proc.stderr.read()
