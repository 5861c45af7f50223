"""Runs one batch of judge requests concurrently through the openai async client.

Batches run on one event loop per process, on a daemon thread (`run_blocking`
submits to it and waits), so `score()` works from plain threads, trainer
worker threads and async code alike, and openai clients with their
keep-alive connections live across batches (one per endpoint and key).

- Concurrency: at most `concurrency` requests in flight (a semaphore held per
  attempt, not while backing off).
- Rate limits: optional requests/tokens per minute, shared process-wide per
  (endpoint, model) (see `graders.judge.limits`).
- Retries (the client's own are switched off so that every attempt is counted
  and bounded here): 429, 408, 409, 5xx, timeouts, connection errors and
  unreadable bodies are retried up to `max_retries` times. The wait is
  exponential with jitter, `retry_backoff * 2**attempt * U(0.5, 1)` capped at
  `MAX_BACKOFF_S`; when the server sends `retry-after-ms` or `Retry-After`
  (seconds or an HTTP date), that wait is used instead (capped at
  `MAX_RETRY_AFTER_S`). 400/401/403/404/422 are not retried.
- Structured output: in `auto` mode a request asks for a JSON-schema response
  format; if the endpoint answers 400/422 about `response_format`, the batch
  (and later batches for that endpoint and model, in this process) continue
  without it and the request is re-sent at once, not counted as a retry.
- Timeouts: `timeout` bounds each attempt; `deadline` bounds the whole batch,
  after which unfinished requests end as `judge_timeout` and the rest of the
  batch is returned.

Requests go through `AsyncOpenAI.post("/chat/completions", cast_to=<http>.Response)`
(the client's documented way to call an endpoint with a raw body): the client
builds the request, authenticates and maps HTTP errors to its exceptions,
while the reply JSON is read here. Going through `chat.completions.create`
instead would add ~0.75 ms of CPU per request for parameter transforms and
response models that a judge does not need.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

MAX_BACKOFF_S = 30.0
MAX_RETRY_AFTER_S = 120.0
DEFAULT_REPLY_TOKENS = 512  # reserved per choice for tokens-per-minute when max tokens is unset

_RETRY_STATUS = {408, 409, 429}
_no_structured: set[tuple[str, str]] = set()  # (base_url, model) pairs that refused json_schema
_no_structured_lock = threading.Lock()

T = TypeVar("T")


@dataclass
class Reply:
    """An HTTP 200 reply: per choice (text, finish_reason, refusal), token usage, model."""

    choices: list[tuple[str | None, str | None, str | None]]
    usage: dict[str, int]
    model: str = ""
    attempts: int = 1
    from_cache: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"choices": [list(c) for c in self.choices], "usage": self.usage, "model": self.model}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Reply:
        return cls([tuple(c) for c in d["choices"]], dict(d.get("usage") or {}), d.get("model", ""),  # type: ignore[misc]
                   attempts=0, from_cache=True)


@dataclass
class Failure:
    kind: str
    message: str
    attempts: int = 0


@dataclass
class RunSettings:
    base_url: str
    api_key: str
    model: str
    concurrency: int = 64
    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None
    timeout: float = 60.0
    max_retries: int = 4
    retry_backoff: float = 0.5
    deadline: float | None = None
    response_format_mode: str = "auto"  # auto | json_schema | text
    response_format: dict[str, Any] | None = None
    reply_tokens: int = DEFAULT_REPLY_TOKENS


@dataclass
class RunStats:
    calls: int = 0  # HTTP attempts sent
    retries: int = 0
    rate_limited: int = 0  # 429 answers
    server_errors: int = 0  # 5xx answers
    timeouts: int = 0  # attempts that timed out
    connection_errors: int = 0
    bad_bodies: int = 0
    deadline_cut: int = 0  # requests unfinished at the batch deadline
    structured_output: bool | None = None  # whether json_schema was used (None: not asked)
    events: list[str] = field(default_factory=list)


class _State:
    __slots__ = ("attempts", "last")

    def __init__(self) -> None:
        self.attempts = 0
        self.last = ""


class _JudgeLoop:
    """One event loop on a daemon thread per process, where every judge batch runs.

    Keeping one loop lets the openai clients (and their keep-alive connections,
    TLS sessions included) live across batches: a training loop that scores a
    batch per step does not reconnect at every step. Re-created after a fork.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.pid = os.getpid()
        self.clients: OrderedDict[tuple[str, str, bool], Any] = OrderedDict()
        self.thread = threading.Thread(target=self._serve, name="graders-judge-loop", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()


_loop: _JudgeLoop | None = None
_loop_lock = threading.Lock()


def _judge_loop() -> _JudgeLoop:
    global _loop
    with _loop_lock:
        if _loop is None or _loop.pid != os.getpid() or not _loop.thread.is_alive():
            _loop = _JudgeLoop()
        return _loop


def run_blocking(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a judge coroutine on the process's judge loop and wait for it (from any thread).

    Works from plain threads, trainer worker threads and from code already
    inside a running event loop (score() called from async code blocks that
    caller, as any sync call does; use `ascore` there).
    """
    jl = _judge_loop()
    if threading.current_thread() is jl.thread:
        raise RuntimeError("run_blocking() called from the judge loop itself")
    fut = asyncio.run_coroutine_threadsafe(factory(), jl.loop)
    try:
        return fut.result()
    except BaseException:
        fut.cancel()
        raise


def parse_retry_after(headers: Any) -> float | None:
    """Seconds to wait from `retry-after-ms` or `Retry-After` (seconds or HTTP date)."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    ra = headers.get("retry-after")
    if not ra:
        return None
    try:
        return max(0.0, float(ra))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(ra)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _backoff(base: float, attempt: int) -> float:
    return min(MAX_BACKOFF_S, base * (2 ** attempt)) * (0.5 + random.random() / 2)


def _estimate_tokens(body: dict[str, Any], reply_tokens: int) -> int:
    chars = 0
    for m in body.get("messages", ()):
        c = m.get("content")
        if isinstance(c, str):
            chars += len(c)
        elif isinstance(c, list):
            chars += sum(len(p.get("text", "")) for p in c if isinstance(p, dict))
    n = int(body.get("n") or 1)
    out = body.get("max_completion_tokens") or reply_tokens
    return chars // 4 + 8 * len(body.get("messages", ())) + int(out) * n


def clean_text(s: Any) -> Any:
    """A string with lone surrogates replaced by U+FFFD (JSON can carry them; UTF-8 cannot)."""
    if isinstance(s, str):
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s


def _read_reply(raw: bytes) -> Reply:
    data = json.loads(raw)
    if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
        raise ValueError("the reply has no `choices` list")
    choices = []
    for ch in data["choices"]:
        msg = ch.get("message") or {}
        content = msg.get("content")
        if isinstance(content, list):  # content parts, from some servers
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        refusal = msg.get("refusal")
        choices.append((clean_text(content) if isinstance(content, str) else None, clean_text(ch.get("finish_reason")),
                        clean_text(refusal) if isinstance(refusal, str) and refusal else None))
    usage_in = data.get("usage") or {}
    usage = {k: int(usage_in.get(k) or 0) for k in ("prompt_tokens", "completion_tokens", "total_tokens")}
    details = usage_in.get("prompt_tokens_details") or {}
    usage["cached_tokens"] = int(details.get("cached_tokens") or 0) if isinstance(details, dict) else 0
    return Reply(choices, usage, clean_text(str(data.get("model") or "")))


def _is_format_refusal(exc: Any) -> bool:
    text = f"{getattr(exc, 'message', '')} {getattr(exc, 'body', '')}".lower()
    return any(w in text for w in ("response_format", "json_schema", "structured output", "response format"))


MAX_CLIENTS = 16  # distinct (endpoint, key) clients kept open on the judge loop


def _make_client(s: RunSettings, lean: bool) -> Any:
    import openai

    from graders.judge.transport import LeanTransport
    from graders.judge.transport import http as httpx2

    if lean:
        http_client = httpx2.AsyncClient(transport=LeanTransport(), timeout=s.timeout)
    else:
        limits = httpx2.Limits(max_connections=1024, max_keepalive_connections=256)
        http_client = openai.DefaultAsyncHttpxClient(limits=limits, timeout=s.timeout)
    return openai.AsyncOpenAI(base_url=s.base_url, api_key=s.api_key, max_retries=0, timeout=s.timeout,
                              http_client=http_client)


async def _client_for(s: RunSettings) -> Any:
    """A client kept on the judge loop per (endpoint, key, transport); oldest closed past MAX_CLIENTS."""
    from graders.judge.transport import use_lean_transport

    lean = use_lean_transport(s.base_url)
    clients = _judge_loop().clients
    key = (s.base_url, s.api_key, lean)
    client = clients.get(key)
    if client is None:
        client = clients[key] = _make_client(s, lean)
        while len(clients) > MAX_CLIENTS:
            _, old = clients.popitem(last=False)
            await old.close()
    else:
        clients.move_to_end(key)
    return client


async def run_requests(bodies: dict[str, dict[str, Any]], s: RunSettings,
                       stats: RunStats) -> dict[str, Reply | Failure]:
    """Send each body once; return a Reply or a Failure for every key."""
    import openai

    from graders.judge.limits import limiter_for
    from graders.judge.transport import bounded
    from graders.judge.transport import http as httpx2

    results: dict[str, Reply | Failure] = {}
    if not bodies:
        return results
    t0 = time.monotonic()
    sem = asyncio.Semaphore(s.concurrency)
    limiter = limiter_for(s.base_url, s.model, s.requests_per_minute, s.tokens_per_minute)
    states = {k: _State() for k in bodies}
    fmt_key = (s.base_url, s.model)
    structured = {"on": s.response_format is not None and (
        s.response_format_mode == "json_schema" or (s.response_format_mode == "auto" and fmt_key not in _no_structured))}
    stats.structured_output = structured["on"] if s.response_format is not None else None
    client = await _client_for(s)
    url = s.base_url + "/chat/completions"  # absolute: the client skips merging it with base_url

    async def one(key: str, body: dict[str, Any]) -> Reply | Failure:
        st = states[key]
        retries = 0
        est = _estimate_tokens(body, s.reply_tokens)
        while True:
            if limiter is not None:
                wait = limiter.reserve(est)
                if wait > 0:
                    await asyncio.sleep(wait)
            send = dict(body)
            used_format = structured["on"]
            if used_format:
                send["response_format"] = s.response_format
            delay: float | None = None
            async with sem:
                st.attempts += 1
                stats.calls += 1
                try:
                    resp = await bounded(
                        client.post(url, body=send, cast_to=httpx2.Response,
                                    options={"timeout": s.timeout, "max_retries": 0}),
                        s.timeout + 1.0)
                    raw = resp.content
                except openai.APIStatusError as exc:
                    code = exc.status_code
                    st.last = f"HTTP {code}: {getattr(exc, 'message', exc)}"[:300]
                    if code in (400, 422) and used_format and s.response_format_mode == "auto" and _is_format_refusal(exc):
                        if structured["on"]:
                            structured["on"] = False
                            stats.structured_output = False
                            stats.events.append(f"endpoint refused the json_schema response format ({st.last}); "
                                                "continuing with plain-text replies")
                            with _no_structured_lock:
                                _no_structured.add(fmt_key)
                        continue
                    if code == 429:
                        stats.rate_limited += 1
                        kind = "judge_rate_limited"
                    elif code >= 500:
                        stats.server_errors += 1
                        kind = "judge_server_error"
                    elif code in _RETRY_STATUS:
                        kind = "judge_server_error"
                    elif code in (401, 403):
                        return Failure("judge_auth_error", st.last, st.attempts)
                    else:
                        return Failure("judge_request_error", st.last, st.attempts)
                    delay = parse_retry_after(getattr(exc.response, "headers", None))
                except (openai.APITimeoutError, asyncio.TimeoutError, TimeoutError):
                    stats.timeouts += 1
                    kind = "judge_timeout"
                    st.last = f"no reply within the {s.timeout:g}s request timeout"
                except openai.APIConnectionError as exc:
                    stats.connection_errors += 1
                    kind = "judge_connection_error"
                    st.last = f"connection error: {exc.__cause__ or exc}"[:300]
                else:
                    try:
                        reply = _read_reply(raw)
                    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
                        stats.bad_bodies += 1
                        kind = "judge_bad_response"
                        st.last = f"unreadable reply body ({exc}): {raw[:80]!r}"
                    else:
                        reply.attempts = st.attempts
                        if limiter is not None and reply.usage.get("total_tokens"):
                            limiter.settle(est, reply.usage["total_tokens"])
                        return reply
            if retries >= s.max_retries:
                tried = f"{st.attempts} attempt{'s' if st.attempts != 1 else ''}"
                return Failure(kind, f"{st.last} (gave up after {tried})", st.attempts)
            wait = min(delay, MAX_RETRY_AFTER_S) if delay is not None else _backoff(s.retry_backoff, retries)
            retries += 1
            stats.retries += 1
            await asyncio.sleep(wait)

    tasks = {asyncio.ensure_future(one(k, b)): k for k, b in bodies.items()}
    try:
        remaining = None if s.deadline is None else max(0.0, s.deadline - (time.monotonic() - t0))
        done, pending = await asyncio.wait(tasks, timeout=remaining)
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        for t, k in tasks.items():
            if t in done and not t.cancelled() and t.exception() is None:
                results[k] = t.result()
            elif t in done and not t.cancelled():
                exc = t.exception()
                results[k] = Failure("judge_error", f"{type(exc).__name__}: {exc}", states[k].attempts)
            else:
                st = states[k]
                stats.deadline_cut += 1
                why = f"; last: {st.last}" if st.last else ""
                results[k] = Failure(
                    "judge_timeout",
                    f"the batch deadline of {s.deadline:g}s passed before the judge answered "
                    f"({st.attempts} attempt{'s' if st.attempts != 1 else ''}{why})", st.attempts)
    finally:  # cancelled from outside (KeyboardInterrupt in the caller): stop every request
        for t in tasks:
            if not t.done():
                t.cancel()
    return results
