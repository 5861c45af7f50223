"""A local OpenAI-compatible server: scripted chat judges, deterministic embeddings, injectable faults.

Used by the test suite, the judge benchmark and the judge example; it never
talks to the network (it binds to 127.0.0.1). Standard library only.

    from graders.testing.fake_server import FakeJudgeServer, Faults

    def judge(req):                       # req: a JudgeRequest
        return '{"steps": [], "result": 7}'

    with FakeJudgeServer(judge, latency=0.05, faults=Faults(rate_429=0.1, seed=1)) as srv:
        srv.base_url                      # "http://127.0.0.1:PORT/v1"
        ...
        srv.judged                        # Counter: request key -> judgments served (HTTP 200)
        srv.attempts                      # Counter: request key -> HTTP requests received

`POST /v1/embeddings` answers with `hashed_embedding(text)`: a deterministic
hashed bag of lower-cased words (signed, L2-normalised, `dimensions` long,
default 256), so texts sharing words have a higher cosine than texts that do
not. `encoding_format: base64` (what the openai client asks for) is honoured.

`GET /_stats` returns the totals as JSON (for a server run as a separate process).

A judge function receives a `JudgeRequest` and returns the reply text, or a
`Reply` for full control (refusal, finish_reason, usage, HTTP status). With
`n > 1` it is called once per choice (`req.index` tells which).

Faults are drawn per attempt from a hash of (seed, request body, attempt
number), so a run is reproducible whatever the order in which concurrent
requests arrive, and a retried request gets a fresh draw.

Command line (prints the base URL on its first stdout line, then serves until
interrupted):

    python -m graders.testing.fake_server --port 0 --script heuristic --latency 0.05 \\
        --rate-429 0.1 --rate-500 0.05 --rate-slow 0.05 --slow-s 5 --seed 0

`--script` is a built-in name (`heuristic`, `constant:<value>`, `first-label`,
`last-label`) or `path/to/file.py:function` / `package.module:function`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import importlib
import importlib.util
import json
import math
import re
import signal
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Markers graders puts around untrusted sample text (see graders.judge.prompt).
_UNTRUSTED = re.compile(r"<<<UNTRUSTED [^\n>]* id=([0-9a-f]+)>>>\n(.*?)\n<<<END UNTRUSTED id=\1>>>", re.S)


@dataclass
class Reply:
    """A scripted reply. `status` other than 200 sends an error body instead."""

    text: str | None = None
    finish_reason: str = "stop"
    refusal: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # extra seconds before answering
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass
class JudgeRequest:
    """What a judge script sees: the request body with conveniences."""

    body: dict[str, Any]
    index: int = 0  # choice index when n > 1
    attempt: int = 1  # how many times this exact request has arrived, this one included

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def text(self) -> str:
        """All message text, concatenated."""
        out = []
        for m in self.messages:
            c = m.get("content")
            if isinstance(c, str):
                out.append(c)
            elif isinstance(c, list):
                out.extend(p.get("text", "") for p in c if isinstance(p, dict))
        return "\n".join(out)

    @property
    def samples(self) -> list[str]:
        """The texts graders delimited as untrusted sample data, in order."""
        return [m.group(2) for m in _UNTRUSTED.finditer(self.text)]

    @property
    def sample(self) -> str:
        s = self.samples
        return s[0] if s else ""

    @property
    def schema(self) -> dict[str, Any] | None:
        rf = self.body.get("response_format") or {}
        js = rf.get("json_schema") if isinstance(rf, dict) else None
        return js.get("schema") if isinstance(js, dict) else None

    @property
    def labels(self) -> list[str] | None:
        """The label set, from the JSON schema or the system instruction."""
        sch = self.schema
        if sch:
            enum = sch.get("properties", {}).get("label", {}).get("enum")
            if enum:
                return list(enum)
        m = re.search(r"exactly one of these labels: (\[.*?\])", self.text)
        return list(json.loads(m.group(1))) if m else None

    @property
    def score_range(self) -> tuple[float, float] | None:
        m = re.search(r"a number from (-?[\d.eE+-]+) to (-?[\d.eE+-]+)", self.text)
        return (float(m.group(1)), float(m.group(2))) if m else None


JudgeFn = Callable[[JudgeRequest], "str | Reply | dict[str, Any]"]


@dataclass
class Faults:
    """Fault injection rates (each a probability per attempt) and their parameters."""

    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_slow: float = 0.0
    rate_malformed: float = 0.0  # 200 with a reply that is not valid JSON / has no score
    rate_refusal: float = 0.0
    rate_truncated: float = 0.0  # 200 with finish_reason "length" and the reply cut in half
    rate_bad_body: float = 0.0  # 200 whose HTTP body is not JSON at all
    retry_after: float | None = 0.05  # seconds sent with 429 (Retry-After and retry-after-ms); None: no header
    slow_s: float = 5.0  # how long a slow reply takes
    seed: int = 0

    def draw(self, key: str, attempt: int) -> str | None:
        h = hashlib.blake2b(f"{self.seed}|{key}|{attempt}".encode(), digest_size=8).digest()
        u = int.from_bytes(h, "big") / 2**64
        for name in ("429", "500", "slow", "malformed", "refusal", "truncated", "bad_body"):
            rate = getattr(self, f"rate_{name}")
            if u < rate:
                return name
            u -= rate
        return None


def request_key(body: dict[str, Any] | bytes) -> str:
    """A stable id of a request (what the counters are keyed by): a hash of the raw body bytes.

    A client re-sending the same request sends the same bytes; for a dict, its
    canonical JSON is hashed instead.
    """
    raw = body if isinstance(body, bytes) else json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.blake2b(raw, digest_size=12).hexdigest()


def _approx_tokens(text: str) -> int:
    return max(1, len(text) // 4)


_WORD = re.compile(r"\w+")
DEFAULT_EMBEDDING_DIMS = 256


def hashed_embedding(text: str, dims: int = DEFAULT_EMBEDDING_DIMS) -> list[float]:
    """A deterministic unit vector for `text`: a signed hashed bag of lower-cased words.

    Same words, same vector (order ignored); no shared words, cosine near 0.
    Text without words embeds as the vector of the token `<empty>`.
    """
    vec = [0.0] * dims
    words = _WORD.findall(text.lower()) or ["<empty>"]
    for w in words:
        h = int.from_bytes(hashlib.blake2b(w.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")
        vec[h % dims] += 1.0 if (h >> 63) & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]


def _embedding_inputs(raw: Any) -> list[str] | None:
    """The texts of an embeddings request's `input` (a string, strings, or token-id arrays)."""
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list) and raw:
        if all(isinstance(x, int) for x in raw):
            return [" ".join(map(str, raw))]
        out = []
        for x in raw:
            if isinstance(x, str):
                out.append(x)
            elif isinstance(x, list) and all(isinstance(t, int) for t in x):
                out.append(" ".join(map(str, x)))
            else:
                return None
        return out
    return None


class FakeJudgeServer:
    """A threaded OpenAI-compatible `/v1/chat/completions` server on 127.0.0.1.

    Args:
        judge: the scripted judge (see module docstring); default `heuristic`.
        latency: seconds every reply waits before answering (simulates the model).
        faults: fault injection rates.
        structured_outputs: when False, a request with a `json_schema` response format
            gets a 400 (an endpoint without structured outputs).
        api_key: when set, requests must carry `Authorization: Bearer <api_key>`.
        port: 0 picks a free port.
    """

    def __init__(
        self,
        judge: JudgeFn | None = None,
        *,
        latency: float = 0.0,
        faults: Faults | None = None,
        structured_outputs: bool = True,
        api_key: str | None = None,
        port: int = 0,
        host: str = "127.0.0.1",
    ) -> None:
        self.judge = judge or heuristic_judge
        self.latency = latency
        self.faults = faults or Faults()
        self.structured_outputs = structured_outputs
        self.api_key = api_key
        self._lock = threading.Lock()
        self.attempts: Counter[str] = Counter()
        self.judged: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.bodies: dict[str, dict[str, Any]] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self._server = _AsyncHTTP(self, host, port)
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._server.address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeJudgeServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever, name="fake-judge-server", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeJudgeServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def reset_counters(self) -> None:
        with self._lock:
            self.attempts.clear()
            self.judged.clear()
            self.statuses.clear()
            self.bodies.clear()
            self.max_in_flight = 0

    def stats(self) -> dict[str, Any]:
        """Totals (JSON-ready): what `GET /_stats` returns."""
        with self._lock:
            return {"attempts": sum(self.attempts.values()), "judged": sum(self.judged.values()),
                    "distinct_requests": len(self.attempts), "statuses": dict(self.statuses),
                    "max_in_flight": self.max_in_flight}

    @property
    def total_attempts(self) -> int:
        return sum(self.attempts.values())

    @property
    def total_judged(self) -> int:
        return sum(self.judged.values())

    # -- request handling --------------------------------------------------------
    def _admit(self, body: dict[str, Any], auth: str | None, raw: bytes | None) -> tuple[Any, ...]:
        """Check the key and count the attempt: (request key, attempt number), or a 401 reply."""
        if self.api_key is not None and auth != f"Bearer {self.api_key}":
            return self._count(_error(401, "invalid_api_key", "Incorrect API key provided."))
        key = request_key(raw if raw is not None else body)
        with self._lock:
            self.attempts[key] += 1
            attempt = self.attempts[key]
            self.bodies.setdefault(key, body)
        return key, attempt

    def handle(self, body: dict[str, Any], auth: str | None, raw: bytes | None = None) -> tuple[int, dict[str, str], bytes, float]:
        """(status, headers, payload, delay before sending)."""
        admitted = self._admit(body, auth, raw)
        if isinstance(admitted[0], int) and len(admitted) == 4:
            return admitted  # type: ignore[return-value]
        key, attempt = admitted  # type: ignore[misc]
        rf = body.get("response_format")
        if not self.structured_outputs and isinstance(rf, dict) and rf.get("type") == "json_schema":
            return self._count(_error(400, "invalid_request_error",
                                      "response_format of type 'json_schema' is not supported by this model",
                                      param="response_format"))
        fault = self.faults.draw(key, attempt)
        delay = self.latency
        if fault == "429":
            status, headers, payload, _ = _error(429, "rate_limit_exceeded", "Rate limit reached (injected).")
            ra = self.faults.retry_after
            if ra is not None:
                headers["retry-after-ms"] = str(int(ra * 1000))
                headers["Retry-After"] = str(max(0, round(ra)))
            return self._count((status, headers, payload, delay))
        if fault == "500":
            s, h, p, _ = _error(500, "server_error", "The server had an error (injected).")
            return self._count((s, h, p, delay))
        if fault == "slow":
            delay = self.faults.slow_s
        if fault == "bad_body":
            return self._count((200, {"Content-Type": "application/json"}, b"<html>502 Bad Gateway</html>", delay))

        n = int(body.get("n") or 1)
        choices = []
        prompt_tokens = _approx_tokens(JudgeRequest(body).text)
        completion_tokens = 0
        for i in range(n):
            reply = _as_reply(self.judge(JudgeRequest(body, i, attempt)))
            if reply.status != 200:
                s, h, p, _ = _error(reply.status, "scripted_error", reply.text or "scripted error")
                h.update(reply.headers)
                return self._count((s, h, p, delay + reply.delay))
            delay += reply.delay
            text, finish, refusal = reply.text, reply.finish_reason, reply.refusal
            if fault == "malformed":
                text = _MALFORMED[attempt % len(_MALFORMED)]
            elif fault == "refusal":
                text, refusal = None, "I'm sorry, but I can't help with that."
            elif fault == "truncated":
                text = (text or "")[: max(1, len(text or "") // 2)]
                finish = "length"
            if reply.prompt_tokens is not None:
                prompt_tokens = reply.prompt_tokens
            completion_tokens += reply.completion_tokens if reply.completion_tokens is not None else _approx_tokens(text or refusal or "")
            message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": refusal}
            choices.append({"index": i, "message": message, "finish_reason": finish, "logprobs": None})
        out = {
            "id": f"chatcmpl-{key[:12]}-{attempt}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": choices,
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }
        with self._lock:
            self.judged[key] += 1
        return self._count((200, {"Content-Type": "application/json"}, json.dumps(out).encode(), delay))

    def handle_embeddings(self, body: dict[str, Any], auth: str | None, raw: bytes | None = None) -> tuple[int, dict[str, str], bytes, float]:
        """`/v1/embeddings`: hashed bag-of-words vectors; 429/500 faults apply as for chat."""
        admitted = self._admit(body, auth, raw)
        if isinstance(admitted[0], int) and len(admitted) == 4:
            return admitted  # type: ignore[return-value]
        key, attempt = admitted  # type: ignore[misc]
        texts = _embedding_inputs(body.get("input"))
        if texts is None:
            return self._count(_error(400, "invalid_request_error",
                                      "input must be a non-empty string, array of strings or array of token arrays",
                                      param="input"))
        dims = body.get("dimensions", DEFAULT_EMBEDDING_DIMS)
        if not isinstance(dims, int) or isinstance(dims, bool) or not 1 <= dims <= 8192:
            return self._count(_error(400, "invalid_request_error", "dimensions must be an integer in [1, 8192]",
                                      param="dimensions"))
        fault = self.faults.draw(key, attempt)
        if fault in ("429", "500"):
            code = 429 if fault == "429" else 500
            s, h, p, _ = _error(code, "rate_limit_exceeded" if code == 429 else "server_error", f"injected {code}")
            return self._count((s, h, p, self.latency))
        b64 = body.get("encoding_format") == "base64"
        data = []
        for i, text in enumerate(texts):
            vec = hashed_embedding(text, dims)
            emb: Any = base64.b64encode(struct.pack(f"<{dims}f", *vec)).decode("ascii") if b64 else vec
            data.append({"object": "embedding", "index": i, "embedding": emb})
        tokens = sum(_approx_tokens(t) for t in texts)
        out = {"object": "list", "data": data, "model": body.get("model", "fake-embedding"),
               "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}
        with self._lock:
            self.judged[key] += 1
        return self._count((200, {"Content-Type": "application/json"}, json.dumps(out).encode(), self.latency))

    def _count(self, res: tuple[int, dict[str, str], bytes, float]) -> tuple[int, dict[str, str], bytes, float]:
        with self._lock:
            self.statuses[str(res[0])] += 1
        return res


_MALFORMED = ('{"steps": [], "result": 7', "I think this answer is quite good overall.", "```json\n{result: seven}\n```")


def _as_reply(r: Any) -> Reply:
    if isinstance(r, Reply):
        return r
    if isinstance(r, dict):
        return Reply(text=json.dumps(r))
    return Reply(text=str(r))


def _error(status: int, code: str, message: str, param: str | None = None) -> tuple[int, dict[str, str], bytes, float]:
    body = {"error": {"message": message, "type": code, "param": param, "code": code}}
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode(), 0.0


class _AsyncHTTP:
    """A minimal HTTP/1.1 keep-alive server on asyncio (one thread, thousands of connections)."""

    def __init__(self, owner: FakeJudgeServer, host: str, port: int) -> None:
        self.owner = owner
        self.loop = asyncio.new_event_loop()
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._conn, host, port, backlog=2048, limit=MAX_BODY))
        self.address = self.server.sockets[0].getsockname()
        self.writers: set[asyncio.StreamWriter] = set()

    def serve_forever(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
        finally:
            self.server.close()
            for w in list(self.writers):
                w.close()
            pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
            for t in pending:
                t.cancel()
            if pending:
                self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self.loop.run_until_complete(self.server.wait_closed())
            self.loop.close()

    def shutdown(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)

    async def _conn(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                parts = lines[0].split(" ")
                if len(parts) < 2:
                    return
                method, path = parts[0], parts[1]
                headers = {}
                for line in lines[1:]:
                    k, sep, v = line.partition(":")
                    if sep:
                        headers[k.strip().lower()] = v.strip()
                length = int(headers.get("content-length") or 0)
                if length > MAX_BODY:
                    return
                raw = await reader.readexactly(length) if length else b""
                owner = self.owner
                owner.in_flight += 1
                owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
                try:
                    status, out_headers, payload, delay = self._dispatch(method, path, headers, raw)
                    if delay > 0:
                        await asyncio.sleep(delay)
                finally:
                    owner.in_flight -= 1
                if writer.is_closing():
                    return
                reason = _REASONS.get(status, "Status")
                out = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(payload)}"]
                out += [f"{k}: {v}" for k, v in out_headers.items()]
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + payload)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        except asyncio.CancelledError:  # server shutdown: end the connection quietly
            return
        finally:
            self.writers.discard(writer)
            writer.close()

    def _dispatch(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, str], bytes, float]:
        owner = self.owner
        path = path.split("?", 1)[0].rstrip("/")
        if method == "GET" and path.endswith("/_stats"):  # counters, for scripts driving a server process
            return 200, {"Content-Type": "application/json"}, json.dumps(owner.stats()).encode(), 0.0
        if method == "GET" and path.endswith("/models"):
            body = {"object": "list", "data": [{"id": "fake-judge", "object": "model", "owned_by": "graders"},
                                               {"id": "fake-embedding", "object": "model", "owned_by": "graders"}]}
            return 200, {"Content-Type": "application/json"}, json.dumps(body).encode(), 0.0
        if method != "POST" or not (path.endswith("/chat/completions") or path.endswith("/embeddings")):
            return _error(404, "not_found", f"unknown path {method} {path}")
        try:
            body = json.loads(raw)
            if not isinstance(body, dict):
                raise ValueError("body must be an object")
        except ValueError as exc:
            return _error(400, "invalid_request_error", f"invalid JSON body: {exc}")
        if path.endswith("/embeddings"):
            return owner.handle_embeddings(body, headers.get("authorization"), raw)
        return owner.handle(body, headers.get("authorization"), raw)


MAX_BODY = 16 * 1024 * 1024
_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests",
            500: "Internal Server Error", 503: "Service Unavailable"}


# -- built-in judge scripts ------------------------------------------------------------
_REASONING_WORDS = re.compile(r"\b(because|since|therefore|so|thus|hence|which means|first|then)\b", re.I)


def _quality(text: str) -> float:
    """A deterministic toy rubric in [0, 1]: explained, reasoned, not padded."""
    words = text.split()
    if not words:
        return 0.0
    reasons = len(_REASONING_WORDS.findall(text))
    length = min(len(words), 60) / 60
    padding = 1.0 if len(words) < 400 else 0.5
    return round(min(1.0, 0.2 + 0.5 * length + 0.15 * min(reasons, 2)) * padding, 2)


def heuristic_judge(req: JudgeRequest) -> str:
    """Scores the delimited sample with a toy rubric (longer, reasoned answers score higher).

    For a label request it picks the first label when the quality is at least 0.5,
    else the last label. For a score request it scales quality to the range.
    """
    text = req.sample or req.text
    q = _quality(text)
    labels = req.labels
    if labels:
        label = labels[0] if q >= 0.5 else labels[-1]
        return json.dumps({"steps": [{"description": "tone and content", "conclusion": label}], "label": label})
    lo, hi = req.score_range or (0.0, 1.0)
    score = round(lo + q * (hi - lo), 2)
    return json.dumps({"steps": [{"description": "explanation quality", "conclusion": f"quality {q}"}], "result": score})


def _constant(value: str) -> JudgeFn:
    def judge(req: JudgeRequest) -> str:
        try:
            return json.dumps({"steps": [], "result": float(value)})
        except ValueError:
            return json.dumps({"steps": [], "label": value})
    return judge


def first_label_judge(req: JudgeRequest) -> str:
    labels = req.labels or ["pass"]
    return json.dumps({"steps": [], "label": labels[0]})


def last_label_judge(req: JudgeRequest) -> str:
    labels = req.labels or ["fail"]
    return json.dumps({"steps": [], "label": labels[-1]})


def load_script(spec: str) -> JudgeFn:
    """A built-in script name, `constant:<v>`, `file.py:function` or `module:function`."""
    builtins: dict[str, JudgeFn] = {"heuristic": heuristic_judge, "first-label": first_label_judge,
                                    "last-label": last_label_judge}
    if spec in builtins:
        return builtins[spec]
    if spec.startswith("constant:"):
        return _constant(spec.split(":", 1)[1])
    target, _, fn_name = spec.rpartition(":")
    if not target:
        raise ValueError(f"unknown script {spec!r}: use {sorted(builtins)}, constant:<v>, file.py:fn or module:fn")
    if target.endswith(".py"):
        mod_spec = importlib.util.spec_from_file_location("graders_fake_judge_script", target)
        if mod_spec is None or mod_spec.loader is None:
            raise ValueError(f"cannot load {target}")
        module = importlib.util.module_from_spec(mod_spec)
        mod_spec.loader.exec_module(module)
    else:
        module = importlib.import_module(target)
    fn = getattr(module, fn_name)
    return fn  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m graders.testing.fake_server",
                                description="Local OpenAI-compatible judge and embeddings server for tests and examples (127.0.0.1 only).")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--script", default="heuristic", help="heuristic | first-label | last-label | constant:<v> | file.py:fn | module:fn")
    p.add_argument("--latency", type=float, default=0.0, help="seconds per reply")
    p.add_argument("--no-structured-outputs", action="store_true", help="reject json_schema response formats with 400")
    p.add_argument("--api-key", default=None, help="require this bearer key")
    for name in ("429", "500", "slow", "malformed", "refusal", "truncated", "bad-body"):
        p.add_argument(f"--rate-{name}", type=float, default=0.0)
    p.add_argument("--retry-after", type=float, default=0.05)
    p.add_argument("--slow-s", type=float, default=5.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--port-file", help="also write the port number to this file")
    a = p.parse_args(argv)
    faults = Faults(rate_429=a.rate_429, rate_500=a.rate_500, rate_slow=a.rate_slow, rate_malformed=a.rate_malformed,
                    rate_refusal=a.rate_refusal, rate_truncated=a.rate_truncated, rate_bad_body=a.rate_bad_body,
                    retry_after=a.retry_after, slow_s=a.slow_s, seed=a.seed)
    srv = FakeJudgeServer(load_script(a.script), latency=a.latency, faults=faults,
                          structured_outputs=not a.no_structured_outputs, api_key=a.api_key, port=a.port)
    if a.port_file:
        with open(a.port_file, "w", encoding="utf-8") as fh:
            fh.write(str(srv.port))
    print(srv.base_url, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: srv._server.shutdown())
    try:
        srv._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        print(f"served {srv.total_attempts} requests ({dict(srv.statuses)})", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
