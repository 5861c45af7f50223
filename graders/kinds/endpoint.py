"""`endpoint`: a user-hosted HTTP reward service (Azure Foundry's endpoint grader).

```yaml
grader:
  type: endpoint
  url: https://rewards.example.com/score
  api_key_env: REWARD_API_KEY     # sent as Authorization: Bearer <key>
  timeout: 30
```

Each row is one `POST url` with the JSON body `{"sample": {...}, "item":
{...}, "trace_id": "<id>"}`; the service replies `{"score": <number>}`.
Requests run concurrently on the judge event loop (at most `concurrency` in
flight, optional `rate_limit` per minute), each attempt bounded by `timeout`;
429, 408 and 5xx replies, timeouts and connection errors are retried
`max_retries` times with exponential backoff. A row whose endpoint never
answers is `endpoint_unresponsive` (OpenAI's `unresponsive_reward_error`); a
4xx reply is `endpoint_http_error`; a reply without a numeric `score` is
`endpoint_bad_response`. Each is an error on that row alone (its value is
`on_error`'s), never a silent 0. Identical (sample, item) rows are sent once.
`trace_id` is a hash of the request, so a retry and a re-run carry the same id.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import os
import random
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator

from graders._types import ERROR, SCORED
from graders.nodes import NodeConfig
from graders.plan import NodeOut, PlanNode
from graders.registry import grader_kind
from graders.templates import OUTPUT_JSON_KEY

if TYPE_CHECKING:
    from graders.plan import BatchContext, Compiler

MAX_REPLY_BYTES = 1 << 20
_RETRY = {408, 409, 425, 429}


@grader_kind
class EndpointConfig(NodeConfig):
    """Scores each row by POSTing `{sample, item, trace_id}` to `url`, which replies `{"score": x}`.

    Args:
        url: the service's http(s) URL.
        headers: extra request headers (values are sent as written).
        api_key_env: environment variable whose value is sent as `Authorization: Bearer ...`.
        timeout: seconds per attempt.
        max_retries: retries on 429/408/5xx, timeouts and connection errors.
        concurrency: requests in flight at once.
        rate_limit: requests per minute (None: unlimited).
        pass_threshold: Evals-style pass mark (kept, not applied).
    """

    type: Literal["endpoint"]
    url: str = Field(..., description="http(s) URL receiving POST {sample, item, trace_id}.")
    headers: dict[str, str] | None = Field(None, description="Extra request headers.")
    api_key_env: str | None = Field(None, description="Env var holding a bearer token for Authorization.")
    timeout: float = Field(30.0, gt=0, le=3600, description="Seconds per attempt.")
    max_retries: int = Field(3, ge=0, le=20, description="Retries on 429/408/5xx, timeouts, connection errors.")
    retry_backoff: float = Field(0.5, gt=0, le=60, description="First backoff in seconds (doubles, with jitter).")
    concurrency: int = Field(32, ge=1, le=4096, description="Requests in flight at once.")
    rate_limit: float | None = Field(None, gt=0, description="Requests per minute (None: unlimited).")
    pass_threshold: float | None = Field(None, description="Evals pass mark (kept for compatibility).")

    cost: ClassVar[str] = "remote"
    deterministic: ClassVar[bool] = False

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"url must start with http:// or https://, got {v!r}")
        return v

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return EndpointNode(self, path)


class EndpointNode(PlanNode):
    kind = "endpoint"

    def __init__(self, config: EndpointConfig, path: str) -> None:
        super().__init__(config, path)
        self.cfg = config

    def describe(self) -> str:
        c = self.cfg
        return f"endpoint POST {c.url} concurrency={c.concurrency} timeout={c.timeout:g}s retries={c.max_retries}"

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        from graders.judge.runner import run_blocking

        m = len(rows)
        values = np.zeros(m)
        status = np.full(m, SCORED, dtype=np.int8)
        row_list = rows.tolist()
        bodies: dict[str, bytes] = {}
        which: list[str] = []
        for r in row_list:
            sample = {k: v for k, v in ctx.sample(r).items() if k != OUTPUT_JSON_KEY}
            payload = {"sample": sample, "item": ctx.items[r]}
            raw = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
            key = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]
            if key not in bodies:
                payload["trace_id"] = key
                bodies[key] = json.dumps(payload, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass")
            which.append(key)
        outcomes = run_blocking(lambda: _post_all(self.cfg, bodies)) if bodies else {}
        ctx.count("endpoint_requests", len(bodies))
        for j, r in enumerate(row_list):
            value, err = outcomes[which[j]]
            if err is None:
                values[j] = value
            else:
                values[j] = self.fail_value(ctx, r, err[0], err[1])
                status[j] = ERROR
        return NodeOut(values, status)


async def _post_all(cfg: EndpointConfig, bodies: dict[str, bytes]) -> dict[str, tuple[float, tuple[str, str] | None]]:
    from graders.judge.transport import http

    headers = {"content-type": "application/json", **(cfg.headers or {})}
    if cfg.api_key_env:
        key = os.environ.get(cfg.api_key_env)
        if key:
            headers["authorization"] = f"Bearer {key}"
    sem = asyncio.Semaphore(cfg.concurrency)
    interval = 60.0 / cfg.rate_limit if cfg.rate_limit else 0.0
    gate = {"next": 0.0}
    lock = asyncio.Lock()
    loop = asyncio.get_running_loop()

    async def pace() -> None:
        if not interval:
            return
        async with lock:
            now = loop.time()
            wait = max(0.0, gate["next"] - now)
            gate["next"] = max(now, gate["next"]) + interval
        if wait:
            await asyncio.sleep(wait)

    async def one(client: Any, body: bytes) -> tuple[float, tuple[str, str] | None]:
        last = "no attempt"
        for attempt in range(cfg.max_retries + 1):
            if attempt:
                await asyncio.sleep(min(30.0, cfg.retry_backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.0)))
            await pace()
            async with sem:
                try:
                    resp = await asyncio.wait_for(client.post(cfg.url, content=body, headers=headers), cfg.timeout)
                except (TimeoutError, asyncio.TimeoutError):
                    last = f"no reply within {cfg.timeout:g}s"
                    continue
                except Exception as exc:  # connection refused, reset, DNS: retried
                    last = f"{type(exc).__name__}: {exc}"[:300]
                    continue
            code = resp.status_code
            if code in _RETRY or code >= 500:
                last = f"HTTP {code}"
                continue
            if code >= 400:
                return 0.0, ("endpoint_http_error", f"HTTP {code}: {resp.text[:200]}")
            return _read_score(resp.content)
        return 0.0, ("endpoint_unresponsive", f"{cfg.url}: {last} after {cfg.max_retries + 1} attempt(s)")

    async with http.AsyncClient(timeout=cfg.timeout) as client:
        keys = list(bodies)
        results = await asyncio.gather(*(one(client, bodies[k]) for k in keys))
    return dict(zip(keys, results, strict=True))


def _read_score(raw: bytes) -> tuple[float, tuple[str, str] | None]:
    if len(raw) > MAX_REPLY_BYTES:
        return 0.0, ("endpoint_bad_response", f"reply of {len(raw)} bytes; expected {{\"score\": number}}")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return 0.0, ("endpoint_bad_response", f"reply is not JSON: {raw[:120]!r}")
    score = data.get("score") if isinstance(data, dict) else None
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        return 0.0, ("endpoint_bad_response", f"reply has no finite numeric `score`: {raw[:120]!r}")
    return float(score), None
