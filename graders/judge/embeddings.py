"""Embeddings for `text_similarity` with `evaluation_metric: cosine`, over the judges' machinery.

Per batch of (input, reference) pairs: every distinct non-empty text is embedded
once; embeddings already in the judges' disk cache (`graders.judge.cache`,
keyed by model and text) are not requested again; the rest go to
`POST {base_url}/embeddings` in requests of `batch_size` texts, `concurrency`
at a time, on the judges' event loop and openai client (`graders.judge.runner`:
same endpoint and key resolution, lean transport for http://, retries with
backoff and `Retry-After` on 429, 408, 409, 5xx, timeouts and connection errors).

The score is the cosine of the two vectors, clipped into [0, 1] (OpenAI's
documented range). An empty input or reference scores 0 without a request
(OpenAI's endpoint refuses empty strings). A text whose request finally fails
makes its rows errors (`embedding_rate_limited`, `embedding_server_error`,
`embedding_timeout`, `embedding_request_error`, ...), never a silent 0.
"""

from __future__ import annotations

import asyncio
import base64
import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from graders._types import LeafBatch, LeafScorer


@dataclass(frozen=True)
class EmbeddingSettings:
    model: str
    base_url: str | None = None
    api_key_env: str | None = None
    concurrency: int = 8
    batch_size: int = 256
    timeout: float = 60.0
    max_retries: int = 4
    retry_backoff: float = 0.5
    cache: bool = True
    cache_dir: str | None = None


@dataclass
class _Fail:
    kind: str
    message: str


def cosine_scorer(s: EmbeddingSettings) -> LeafScorer:
    """A LeafScorer: cosine similarity of the embeddings of each (input, reference) pair."""

    def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
        refs_s = [r or "" for r in refs]
        texts = list(dict.fromkeys(t for t in (*inputs, *refs_s) if t.strip()))
        vecs = embed(texts, s)
        n = len(inputs)
        out = np.zeros(n)
        errors: dict[int, tuple[str, str]] = {}
        for i, (a, b) in enumerate(zip(inputs, refs_s, strict=True)):
            if not a.strip() or not b.strip():
                continue  # nothing to compare: 0
            va, vb = vecs[a], vecs[b]
            bad = va if isinstance(va, _Fail) else vb if isinstance(vb, _Fail) else None
            if bad is not None:
                errors[i] = (bad.kind, bad.message)
                continue
            na, nb = float(np.linalg.norm(va)), float(np.linalg.norm(vb))
            out[i] = float(np.dot(va, vb)) / (na * nb) if na > 0 and nb > 0 else 0.0
        return LeafBatch(np.clip(out, 0.0, 1.0), errors=errors)

    return score


def embed(texts: list[str], s: EmbeddingSettings) -> dict[str, Any]:
    """text -> np.ndarray (or _Fail) for every text, from the disk cache or the endpoint."""
    from graders.judge.cache import ResponseCache, request_key
    from graders.judge.settings import resolve_cache

    if not texts:
        return {}
    keys = {t: request_key({"embedding": True, "model": s.model, "input": t}) for t in texts}
    out: dict[str, Any] = {}
    cache_dir = resolve_cache(s.cache, s.cache_dir)
    cache = ResponseCache(cache_dir) if cache_dir else None
    if cache is not None:
        hits = cache.get_many(list(keys.values()))
        for t, k in keys.items():
            v = hits.get(k)
            if isinstance(v, dict) and isinstance(v.get("embedding"), list):
                out[t] = np.asarray(v["embedding"], dtype=np.float64)
    todo = [t for t in texts if t not in out]
    if todo:
        from graders.judge.runner import run_blocking

        fresh = run_blocking(lambda: _request_all(todo, s))
        out.update(fresh)
        if cache is not None:
            cache.put_many({keys[t]: {"embedding": v.tolist()} for t, v in fresh.items()
                            if not isinstance(v, _Fail)})
    return out


async def _request_all(texts: list[str], s: EmbeddingSettings) -> dict[str, Any]:
    from graders.judge.runner import RunSettings, _client_for
    from graders.judge.settings import resolve_api_key, resolve_base_url

    base_url = resolve_base_url(s.base_url)
    rs = RunSettings(base_url=base_url, api_key=resolve_api_key(None, s.api_key_env, base_url), model=s.model,
                     timeout=s.timeout)
    client = await _client_for(rs)
    sem = asyncio.Semaphore(s.concurrency)
    chunks = [texts[i : i + s.batch_size] for i in range(0, len(texts), s.batch_size)]
    results = await asyncio.gather(*(_one(client, base_url + "/embeddings", c, s, sem) for c in chunks))
    out: dict[str, Any] = {}
    for chunk, res in zip(chunks, results, strict=True):
        for t, v in zip(chunk, res, strict=True):
            out[t] = v
    return out


async def _one(client: Any, url: str, chunk: list[str], s: EmbeddingSettings, sem: asyncio.Semaphore) -> list[Any]:
    import openai

    from graders.judge.runner import _backoff, parse_retry_after
    from graders.judge.transport import bounded
    from graders.judge.transport import http as httpx2

    body = {"model": s.model, "input": [_sendable(t) for t in chunk], "encoding_format": "float"}
    attempt = 0
    split = False
    while True:
        delay: float | None = None
        async with sem:
            attempt += 1
            try:
                resp = await bounded(client.post(url, body=body, cast_to=httpx2.Response,
                                                 options={"timeout": s.timeout, "max_retries": 0}), s.timeout + 1.0)
                return _parse(resp.content, len(chunk))
            except openai.APIStatusError as exc:
                code = exc.status_code
                last = f"HTTP {code}: {getattr(exc, 'message', exc)}"[:300]
                if code == 429:
                    kind = "embedding_rate_limited"
                elif code >= 500 or code in (408, 409):
                    kind = "embedding_server_error"
                elif len(chunk) > 1 and code in (400, 413, 422):
                    split = True  # one bad text (too long for the model, ...) must not fail the others
                else:
                    return [_Fail("embedding_request_error", last)] * len(chunk)
                delay = parse_retry_after(getattr(exc.response, "headers", None))
            except (openai.APITimeoutError, asyncio.TimeoutError, TimeoutError):
                kind, last = "embedding_timeout", f"no reply within the {s.timeout:g}s request timeout"
            except openai.APIConnectionError as exc:
                kind, last = "embedding_connection_error", f"connection error: {exc.__cause__ or exc}"[:300]
            except (ValueError, KeyError, TypeError, struct.error) as exc:
                kind, last = "embedding_bad_response", f"unreadable embeddings reply: {exc}"[:300]
        if split:  # halve outside the semaphore: a bad text costs ~2 log2(batch_size) extra requests
            mid = len(chunk) // 2
            left, right = await asyncio.gather(_one(client, url, chunk[:mid], s, sem),
                                               _one(client, url, chunk[mid:], s, sem))
            return left + right
        if attempt > s.max_retries:
            return [_Fail(kind, f"{last} (gave up after {attempt} attempts)")] * len(chunk)
        await asyncio.sleep(delay if delay is not None else _backoff(s.retry_backoff, attempt - 1))


def _sendable(text: str) -> str:
    """Lone surrogates (invalid in UTF-8, so in any JSON body an endpoint accepts) become U+FFFD:
    one such completion failed every text of its request."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


def _parse(raw: bytes, n: int) -> list[np.ndarray]:
    data = json.loads(raw)["data"]
    if not isinstance(data, list) or len(data) != n:
        raise ValueError(f"expected {n} embeddings, got {len(data) if isinstance(data, list) else type(data).__name__}")
    out: list[Any] = [None] * n
    for d in data:
        emb = d["embedding"]
        if isinstance(emb, str):  # base64 float32, when a server sends it regardless
            b = base64.b64decode(emb)
            vec = np.asarray(struct.unpack(f"<{len(b) // 4}f", b), dtype=np.float64)
        else:
            vec = np.asarray(emb, dtype=np.float64)
        if vec.ndim != 1 or not np.all(np.isfinite(vec)):
            raise ValueError("an embedding is not a finite vector")
        out[int(d["index"])] = vec
    if any(v is None for v in out):
        raise ValueError("embeddings reply is missing indices")
    return out
