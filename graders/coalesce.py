"""Gather concurrent per-sample score calls into batches for the batch plan.

verl's reward loop, OpenRLHF's executor and the reward server ask for one
sample at a time, from many threads or coroutines at once. A 1-row `score()`
pays the whole per-call overhead (0.2-0.4 ms) for ~20 us of work; scoring the
same rows as one batch also shares extraction, dedupe and the pair cache.

A `Coalescer` owns one background thread. Callers `submit()` a request (one
or more rows) and get a future; the thread takes every waiting request,
scores them as one batch and hands each caller its own rows. It waits for more
rows at most `window_ms` after the first one arrived, and not at all once as
many rows are waiting as were outstanding when the last batch was taken
(steady-state concurrency, less rows another worker is scoring) or `max_batch`
rows are waiting, so a lone sequential caller pays no window.

If a batch raises as a whole (a row with `on_error: raise`), each request is
scored alone, so the exception reaches only the caller whose row caused it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from graders.result import ScoreResult

DEFAULT_WINDOW_MS = 2.0
DEFAULT_MAX_BATCH = 1024
# Batches scored at once: while one batch waits on the worker-process pool (regex, math
# and sandboxed kinds run there), the next can be scored.
DEFAULT_WORKERS = 2


class CoalescerClosed(RuntimeError):
    """submit() after close()."""


class _Request:
    __slots__ = ("samples", "items", "future")

    def __init__(self, samples: list[Any], items: list[Any], future: concurrent.futures.Future[ScoreResult]) -> None:
        self.samples = samples
        self.items = items
        self.future = future


class Coalescer:
    """Score per-sample calls from many threads or coroutines as shared batches.

    Thread-safe; the worker thread starts on the first request (and again in a
    forked child). Pickles as its configuration: a fresh one is built where it lands.
    """

    def __init__(self, grader: Any, *, window_ms: float = DEFAULT_WINDOW_MS, max_batch: int = DEFAULT_MAX_BATCH,
                 workers: int = DEFAULT_WORKERS) -> None:
        if window_ms < 0 or max_batch < 1 or workers < 1:
            raise ValueError("window_ms must be >= 0, max_batch and workers >= 1")
        self.grader = grader
        self.window_s = window_ms / 1000.0
        self.max_batch = max_batch
        self.workers = workers
        self._init_runtime()

    def _init_runtime(self) -> None:
        self._cond = threading.Condition()  # idle workers wait here for any work
        self._gather = threading.Condition(self._cond._lock)  # type: ignore[attr-defined]  # the gathering worker
        self._idle = 0
        self._gathering = False
        self._pending: deque[_Request] = deque()
        self._pending_rows = 0
        self._closed = False
        self._threads: list[threading.Thread] = []
        self._pid = os.getpid()
        self._concurrency = 1  # rows waiting + being scored when the last batch was taken
        self._inflight = 0  # rows taken by a worker and not yet handed back
        self._want = 1  # pending rows at which submit() wakes the gathering worker
        self.batches = 0
        self.rows = 0

    # -- pickling: configuration only ----------------------------------------
    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.grader, self.window_s * 1000.0, self.max_batch, self.workers))

    # -- public API -----------------------------------------------------------
    def submit(self, samples: Sequence[Any], items: Sequence[Any] | None = None) -> concurrent.futures.Future[ScoreResult]:
        """Queue rows; the future resolves to a ScoreResult for exactly these rows."""
        samples = list(samples)
        items = [{}] * len(samples) if items is None else list(items)
        if len(items) != len(samples):
            raise ValueError(f"samples and items differ in length: {len(samples)} samples, {len(items)} items")
        fut: concurrent.futures.Future[ScoreResult] = concurrent.futures.Future()
        if not samples:
            fut.set_result(self.grader.score([], []))
            return fut
        with self._cond:
            if os.getpid() != self._pid:  # forked: the parent's thread and queue are not ours
                self._init_runtime()
            if self._closed:
                raise CoalescerClosed("this Coalescer is closed")
            self._pending.append(_Request(samples, items, fut))
            self._pending_rows += len(samples)
            if not self._threads:
                for k in range(self.workers):
                    t = threading.Thread(target=self._loop, name=f"graders-coalescer-{k}", daemon=True)
                    t.start()
                    self._threads.append(t)
            # Wake a worker only when it has what it waits for: an idle one when no batch is
            # being gathered, the gathering one once its batch is full.
            if not self._gathering:
                if self._idle:
                    self._cond.notify()
            elif self._pending_rows >= self._want:
                self._gather.notify()
        return fut

    def score(self, samples: Sequence[Any], items: Sequence[Any] | None = None) -> ScoreResult:
        """Blocking: these rows, scored in a shared batch."""
        return self.submit(samples, items).result()

    async def ascore(self, samples: Sequence[Any], items: Sequence[Any] | None = None) -> ScoreResult:
        """Awaitable: never blocks the event loop."""
        return await asyncio.wrap_future(self.submit(samples, items))

    def close(self, timeout: float | None = 10.0) -> None:
        """Score what is queued, then stop the thread. Later submits raise CoalescerClosed."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            self._gather.notify_all()
            threads = list(self._threads)
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(timeout)

    def __enter__(self) -> Coalescer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- the worker ------------------------------------------------------------
    def _take(self) -> list[_Request] | None:
        """Wait for work; return the next batch of requests (None: closed and drained)."""
        with self._cond:
            while not self._pending or self._gathering:
                if self._closed and not self._pending:
                    return None
                self._idle += 1
                try:
                    self._cond.wait()
                finally:
                    self._idle -= 1
            self._gathering = True
            # Steady state: as many rows as were outstanding last time, less those another
            # worker is scoring now (their callers cannot submit again until it finishes).
            target = min(self.max_batch, max(1, self._concurrency - self._inflight))
            self._want = target
            deadline = time.monotonic() + self.window_s
            while self._pending_rows < target and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._gather.wait(left)
            self._gathering = False
            batch: list[_Request] = []
            rows = 0
            while self._pending and (not batch or rows + len(self._pending[0].samples) <= self.max_batch):
                req = self._pending.popleft()
                batch.append(req)
                rows += len(req.samples)
            self._concurrency = max(1, rows + self._inflight)
            self._pending_rows -= rows
            self._inflight += rows
            if self._pending and self._idle:  # rows beyond max_batch, or that came meanwhile
                self._cond.notify()
            return batch

    def _loop(self) -> None:
        while True:
            batch = self._take()
            if batch is None:
                return
            try:
                self._run(batch)
            finally:
                with self._cond:
                    self._inflight -= sum(len(r.samples) for r in batch)

    def _run(self, batch: list[_Request]) -> None:
        live = [r for r in batch if r.future.set_running_or_notify_cancel()]
        if not live:
            return
        samples: list[Any] = []
        items: list[Any] = []
        for r in live:
            samples.extend(r.samples)
            items.extend(r.items)
        self.batches += 1
        self.rows += len(samples)
        try:
            res = self.grader.score(samples, items)
        except BaseException as exc:  # noqa: BLE001 - handed to the callers, never lost
            if len(live) == 1:
                live[0].future.set_exception(exc)
                return
            for r in live:  # find the request that raised: each alone
                try:
                    r.future.set_result(self.grader.score(r.samples, r.items))
                except BaseException as one:  # noqa: BLE001
                    r.future.set_exception(one)
            return
        start = 0
        for r in live:
            stop = start + len(r.samples)
            r.future.set_result(slice_result(res, start, stop))
            start = stop


def slice_result(res: ScoreResult, start: int, stop: int) -> ScoreResult:
    """Rows [start, stop) of a batch result: numpy views into the batch's arrays (read them,
    do not write them: neighbouring callers share the buffers). Components that ran
    nowhere in the batch are absent."""
    if start == 0 and stop == len(res):
        return res
    return ScoreResult(
        res.scores[start:stop],
        {k: v[start:stop] for k, v in res.components.items()},
        res.status[start:stop],
        res.errors[start:stop],
        {},
        {},
        res.elapsed_s,
    )


def _rebuild(grader: Any, window_ms: float, max_batch: int, workers: int = 1) -> Coalescer:
    return Coalescer(grader, window_ms=window_ms, max_batch=max_batch, workers=workers)


__all__ = ["Coalescer", "CoalescerClosed", "slice_result"]
