"""The reward server's ASGI app (Starlette): OpenRLHF's /get_reward, /score, /health.

Every request's rows go to the grader's Coalescer as one request, so concurrent
requests (32 OpenRLHF engines posting one sample each) are scored as shared
batches. Bounds: request body size (413), rows per request (413), requests
scoring at once (others wait; 503 once `max_queue` are waiting). Bad JSON or a
wrong shape is a 400/422 naming the problem; a grader exception is a 500 for
that request only. Nothing a client sends reaches `eval`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graders._types import STATUS_NAMES
from graders.coalesce import Coalescer
from graders.errors import ConfigError
from graders.integrations._common import component_keys
from graders.integrations.openrlhf import OpenRLHFReward
from graders.serve import (
    DEFAULT_MAX_BODY,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_QUEUE,
    DEFAULT_MAX_ROWS,
)


class HTTPProblem(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _num(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


class _Served:
    """One grader behind the server: its coalescer, fixed component keys and OpenRLHF shell."""

    def __init__(self, grader: Any, *, window_ms: float, max_batch: int, tokenizer: Any = None) -> None:
        self.grader = grader
        self.keys = component_keys(grader)
        self.coalescer = Coalescer(grader, window_ms=window_ms, max_batch=max_batch)
        self.openrlhf: OpenRLHFReward | None = None
        self.no_openrlhf = ""
        try:
            self.openrlhf = OpenRLHFReward(grader, tokenizer=tokenizer, as_lists=True, coalesce=False)
        except ConfigError as exc:  # needs: group / attempts: served on /score only
            self.no_openrlhf = str(exc)


def build_app(graders: dict[str, Any], *, max_body: int = DEFAULT_MAX_BODY, max_rows: int = DEFAULT_MAX_ROWS,
              max_concurrency: int = DEFAULT_MAX_CONCURRENCY, max_queue: int = DEFAULT_MAX_QUEUE,
              window_ms: float = 2.0, max_batch: int = 1024, tokenizer: Any = None) -> Starlette:
    """A Starlette app serving `graders` (name -> Grader); the first is the default."""
    if not graders:
        raise ValueError("no graders to serve")
    served = {name: _Served(g, window_ms=window_ms, max_batch=max_batch, tokenizer=tokenizer)
              for name, g in graders.items()}
    default = next(iter(served))
    state = {"in_flight": 0, "waiting": 0, "requests": 0, "rows": 0}
    sem = asyncio.Semaphore(max_concurrency)

    def pick(request: Request) -> _Served:
        name = request.path_params.get("name", default)
        if name not in served:
            raise HTTPProblem(404, f"no grader named {name!r}; serving: {', '.join(served)}")
        return served[name]

    async def read_json(request: Request) -> Any:
        length = request.headers.get("content-length")
        if length is not None:
            try:
                if int(length) > max_body:
                    raise HTTPProblem(413, f"request body of {length} bytes exceeds the limit of {max_body} bytes")
            except ValueError:
                raise HTTPProblem(400, "bad Content-Length header") from None
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body:
                raise HTTPProblem(413, f"request body exceeds the limit of {max_body} bytes")
        try:
            return json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise HTTPProblem(400, f"request body is not valid JSON: {exc}") from None

    def check_rows(n: int) -> None:
        if n > max_rows:
            raise HTTPProblem(413, f"{n} rows exceed the limit of {max_rows} rows per request")

    async def scored(s: _Served, samples: list[Any], items: list[Any], fmt: Any = None) -> Any:
        """The rows' ScoreResult, or with `fmt` their entries of fmt(batch result): the coalescer
        formats each batch once (OpenRLHF rows), not each request."""
        if state["waiting"] >= max_queue:
            raise HTTPProblem(503, "server busy: too many requests waiting")
        state["waiting"] += 1
        try:
            await sem.acquire()
        finally:
            state["waiting"] -= 1
        state["in_flight"] += 1
        try:
            if fmt is not None:
                return await s.coalescer.ascore_rows(samples, items, fmt)
            return await s.coalescer.ascore(samples, items)
        finally:
            state["in_flight"] -= 1
            sem.release()
            state["requests"] += 1
            state["rows"] += len(samples)

    async def get_reward(request: Request) -> Response:
        s = pick(request)
        if s.openrlhf is None:
            raise HTTPProblem(422, f"/get_reward scores one sample at a time: {s.no_openrlhf}; use /score")
        body = await read_json(request)
        if not isinstance(body, dict):
            raise HTTPProblem(422, "expected a JSON object {query, prompts, labels}")
        queries, prompts, labels = body.get("query"), body.get("prompts"), body.get("labels")
        if not isinstance(queries, list) or not all(isinstance(q, str) for q in queries):
            raise HTTPProblem(422, "`query` must be a list of strings (prompt + response)")
        if prompts is None:
            prompts = [""] * len(queries)
        if not isinstance(prompts, list) or not all(isinstance(p, str) for p in prompts):
            raise HTTPProblem(422, "`prompts` must be a list of strings")
        if labels is not None and not isinstance(labels, list):
            raise HTTPProblem(422, "`labels` must be a list")
        check_rows(len(queries))
        try:
            responses, items = s.openrlhf.inputs(queries, prompts, labels)
        except ValueError as exc:
            raise HTTPProblem(422, str(exc)) from None
        rows = await scored(s, responses, items, s.openrlhf.rows)
        return JSONResponse(s.openrlhf.output_rows(rows))

    async def score(request: Request) -> Response:
        s = pick(request)
        body = await read_json(request)
        rows = body.get("rows") if isinstance(body, dict) else body
        if not isinstance(rows, list):
            raise HTTPProblem(422, "expected {\"rows\": [{\"item\": {...}, \"sample\": ...}, ...]} or a list of rows")
        check_rows(len(rows))
        samples: list[Any] = []
        items: list[Any] = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or "sample" not in row:
                raise HTTPProblem(422, f"row {i}: expected an object with `sample` (and `item`)")
            samples.append(row["sample"])
            items.append(row.get("item") or {})
        res = await scored(s, samples, items)
        out = [{"score": _num(res.scores[i]),
                "components": {k: (_num(res.components[k][i]) if k in res.components else None) for k in s.keys},
                "status": STATUS_NAMES[int(res.status[i])],
                "errors": [e.to_dict() for e in res.errors[i]]} for i in range(len(res))]
        return JSONResponse({"grader": s.grader.name, "rows": out})

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "graders": list(served), "default": default,
                             "in_flight": state["in_flight"], "waiting": state["waiting"],
                             "requests": state["requests"], "rows": state["rows"]})

    async def problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPProblem)
        return JSONResponse({"error": exc.message}, status_code=exc.status)

    async def crashed(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": f"{type(exc).__name__}: {exc}"}, status_code=500)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        for s in served.values():  # uvicorn has drained in-flight requests by now
            await asyncio.to_thread(s.coalescer.close)

    routes = [
        Route("/health", health, methods=["GET"]),
        Route("/get_reward", get_reward, methods=["POST"]),
        Route("/get_reward/{name}", get_reward, methods=["POST"]),
        Route("/score", score, methods=["POST"]),
        Route("/score/{name}", score, methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPProblem: problem, Exception: crashed},
                    lifespan=lifespan)
    app.state.served = served
    return app
