"""Gather concurrent per-sample score calls into batches for the batch plan.

verl's reward loop, OpenRLHF's executor and the reward server ask for one
sample at a time, from many threads or coroutines at once. A 1-row `score()`
pays the whole per-call overhead (0.2-0.4 ms) for ~20 us of work; scoring the
same rows as one batch also shares extraction, dedupe and the pair cache.

Blocking callers (`score()`, `score_rows()`: verl's and OpenRLHF's threads)
use flat combining, no worker thread: a caller appends its rows to a queue;
the one that finds no batch being gathered becomes the leader, waits for the
others, scores everything queued on its own thread and hands each caller its
own rows. That saves the hand-off to a worker thread and back: two thread
switches per row, which on a busy machine cost more than the row. The callers
are woken as a chain (a pre-acquired lock per caller; the leader releases the
first, each woken caller the next): woken all at once, every one of them would
wake twice (on its lock, then on the GIL held by the leader) and preempt the
leader while it holds the GIL; the chain costs one wake-up per row. The leader
waits until as many rows have come in since the last batch was handed back as
that batch held (a per-sample caller calls again at once; any thread counts, so
callers taking turns on a pool's threads do too): `window_ms` after it arrived,
then quarter windows while callers keep arriving (up to MAX_WINDOWS windows),
and not at all once they are all in or `max_batch` rows are queued; rows not in
by then are not waited for again. So batches stay whole (no split into two
cohorts that never merge), and a lone sequential caller pays no window. A
leader that waits for nobody yields the GIL once first (so callers ready to
run can queue).
Callers arriving while a batch is scored queue for the next one (`leaders`
batches at once, default 1); rows past `max_batch` go to the next in line, who
leads them.

Why not hand each wake-up on only when the woken thread next blocks (so that
the next caller finds the GIL free and wakes once, not twice)? Measured with
both cores free (tried with a watchdog for callers that stop calling): 1.2
instead of 2.1 voluntary switches per row and ~5% less CPU, but no more rows
per second: each row still waits for one thread to wake on the other core.

Future-based callers (`submit()`, `ascore()`: coroutines, the reward server)
cannot lead without blocking their event loop: `workers` background threads
take every waiting request, with the same window rules, and resolve each
caller's future.

If a batch raises as a whole (a row with `on_error: raise`), each request is
scored alone, so the exception reaches only the caller whose row caused it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
import time
from _thread import allocate_lock as _allocate_lock
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from graders.result import ScoreResult

DEFAULT_WINDOW_MS = 2.0
# A gathering leader extends its window while callers keep arriving, up to this many windows.
MAX_WINDOWS = 4
DEFAULT_MAX_BATCH = 1024
# Batches scored at once: while one batch waits on the worker-process pool (regex, math
# and sandboxed kinds run there), the next can be scored.
DEFAULT_WORKERS = 2
# Leader batches (blocking callers) scored at once. One: callers that arrive while a batch
# is scored wait for it and join the next, so batches stay whole (two concurrent leaders
# split the callers into cohorts that never merge).
DEFAULT_LEADERS = 1


class CoalescerClosed(RuntimeError):
    """submit() after close()."""


class _Request:
    __slots__ = ("samples", "items", "future", "fmt")

    def __init__(self, samples: list[Any], items: list[Any], future: concurrent.futures.Future[Any],
                 fmt: Callable[[ScoreResult], list[Any]] | None = None) -> None:
        self.samples = samples
        self.items = items
        self.future = future
        self.fmt = fmt


class _Slot:
    """One blocking caller's request: its rows, a lock the leader releases, and the outcome.

    No __slots__: the outcome fields start as class attributes, so a caller sets only four."""

    result: Any = None
    exc: BaseException | None = None
    lead = False  # released to lead, not with an outcome
    next: _Slot | None = None  # the caller woken after this one

    def __init__(self, samples: list[Any], items: list[Any], fmt: Callable[[ScoreResult], list[Any]] | None) -> None:
        self.samples = samples
        self.items = items
        self.fmt = fmt
        self.lock = lock = _allocate_lock()
        lock.acquire()  # released once: result, exception, or "you lead now"


def _wait(slot: _Slot) -> BaseException | None:
    """Sleep until the leader hands `slot` its outcome (or the lead), then wake the next in its chain.

    An interrupt (KeyboardInterrupt in the main thread) is held, and returned, until the
    outcome arrives: the callers after this one are woken through it (and a caller named
    leader must lead), so it must not leave early."""
    held: BaseException | None = None
    while True:
        try:
            slot.lock.acquire()
            break
        except BaseException as exc:  # noqa: BLE001 - raised by the caller once the chain has moved on
            held = exc
    if slot.next is not None:
        slot.next.lock.release()
    return held


# This process's id, updated in a forked child (os.getpid() is a system call: too dear per row).
_PID = [os.getpid()]
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _PID.__setitem__(0, os.getpid()))


class Coalescer:
    """Score per-sample calls from many threads or coroutines as shared batches.

    Thread-safe; the worker thread starts on the first request (and again in a
    forked child). Pickles as its configuration: a fresh one is built where it lands.
    """

    def __init__(self, grader: Any, *, window_ms: float = DEFAULT_WINDOW_MS, max_batch: int = DEFAULT_MAX_BATCH,
                 workers: int = DEFAULT_WORKERS, leaders: int = DEFAULT_LEADERS) -> None:
        if window_ms < 0 or max_batch < 1 or workers < 1 or leaders < 1:
            raise ValueError("window_ms must be >= 0, max_batch, workers and leaders >= 1")
        self.grader = grader
        self.window_s = window_ms / 1000.0
        self.max_batch = max_batch
        self.workers = workers
        self.leaders = leaders
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
        self._pid = _PID[0]
        self._concurrency = 1  # rows waiting + being scored when the last batch was taken
        self._inflight = 0  # rows taken by a worker and not yet handed back
        self._want = 1  # pending rows at which submit() wakes the gathering worker
        # Blocking callers (score()): flat combining, no worker thread. One caller at a time
        # gathers the queue and scores it on its own thread; the others sleep on their slot.
        self._mu = threading.Lock()
        self._arrived = threading.Condition(self._mu)  # the gathering leader waits here
        self._queue: deque[_Slot] = deque()
        self._queue_rows = 0
        self._leading = False  # a leader is gathering (or has been named)
        self._scoring = 0  # leader batches being scored now (at most `leaders`)
        self._last_caller = 0  # thread id of the last blocking caller
        # Rows handed back by leader batches and not yet matched by rows coming in since: a
        # gathering leader waits for them (a per-sample caller comes straight back with its
        # next sample), within its window.
        self._owed = 0
        self.batches = 0
        self.rows = 0

    # -- pickling: configuration only ----------------------------------------
    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.grader, self.window_s * 1000.0, self.max_batch, self.workers, self.leaders))

    # -- public API -----------------------------------------------------------
    def submit(self, samples: Sequence[Any], items: Sequence[Any] | None = None,
               fmt: Callable[[ScoreResult], list[Any]] | None = None) -> concurrent.futures.Future[Any]:
        """Queue rows; the future resolves to a ScoreResult for exactly these rows (with `fmt`:
        their entries of `fmt(batch result)`, as in score_rows)."""
        samples = list(samples)
        items = [{}] * len(samples) if items is None else list(items)
        if len(items) != len(samples):
            raise ValueError(f"samples and items differ in length: {len(samples)} samples, {len(items)} items")
        fut: concurrent.futures.Future[Any] = concurrent.futures.Future()
        if not samples:
            empty = self.grader.score([], [])
            fut.set_result(empty if fmt is None else fmt(empty))
            return fut
        with self._cond:
            if self._pid != _PID[0]:  # forked: the parent's thread and queue are not ours
                self._init_runtime()
            if self._closed:
                raise CoalescerClosed("this Coalescer is closed")
            self._pending.append(_Request(samples, items, fut, fmt))
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
        """Blocking: these rows, scored in a shared batch (a ScoreResult of numpy views into it)."""
        return self._call(samples, items, None)  # type: ignore[no-any-return]

    def score_rows(self, samples: Sequence[Any], items: Sequence[Any] | None,
                   fmt: Callable[[ScoreResult], list[Any]]) -> list[Any]:
        """Blocking: these rows' entries of `fmt(batch result)`.

        `fmt` turns a whole batch's ScoreResult into one output per row; the leader calls it
        once per batch (vectorised: one tolist() per column instead of numpy scalars per
        row), so a per-sample adapter gets its row ready-made. Callers passing equal `fmt`s
        (e.g. the same bound method) share that one call. `fmt` must not depend on which
        rows share the batch."""
        return self._call(samples, items, fmt)  # type: ignore[no-any-return]

    def _call(self, samples: Sequence[Any], items: Sequence[Any] | None,
              fmt: Callable[[ScoreResult], list[Any]] | None) -> Any:
        """score() / score_rows().

        Flat combining: the caller that finds no batch being gathered becomes the leader,
        waits (within its window, and only for the threads of the last batch) for the
        others, scores everything queued on its own thread and wakes the callers, one
        after the other. No hand-off to a worker thread and back."""
        if type(samples) is not list:
            samples = list(samples)
        n = len(samples)
        if items is None:
            items = [{}] * n
        elif type(items) is not list:
            items = list(items)
        if len(items) != n:
            raise ValueError(f"samples and items differ in length: {n} samples, {len(items)} items")
        if not n:
            empty = self.grader.score([], [])
            return empty if fmt is None else fmt(empty)
        return self._join(samples, items, fmt, n)

    def score_row(self, sample: Any, item: Any, fmt: Callable[[ScoreResult], list[Any]]) -> Any:
        """Blocking: one row's entry of `fmt(batch result)` (score_rows for a per-sample caller)."""
        return self._join([sample], [item], fmt, 1)[0]

    def _join(self, samples: list[Any], items: list[Any], fmt: Callable[[ScoreResult], list[Any]] | None,
              n: int) -> Any:
        """_call, once the rows are checked: n >= 1 rows, two lists of that length."""
        me = threading.get_ident()
        slot = _Slot(samples, items, fmt)
        with self._mu:
            if self._pid != _PID[0]:  # forked: the parent's threads, queue and leader are not ours
                with self._cond:
                    self._init_runtime()
                return self._join(samples, items, fmt, n)
            if self._closed:
                raise CoalescerClosed("this Coalescer is closed")
            alone = me == self._last_caller  # the same thread twice in a row: maybe a lone caller
            self._last_caller = me
            owed = self._owed = max(0, self._owed - n)
            self._queue.append(slot)
            self._queue_rows += n
            lead = not self._leading and self._scoring < self.leaders
            if lead:
                self._leading = True
            elif not owed or self._queue_rows >= self.max_batch:  # the gathering leader has all it waits for
                self._arrived.notify()
        held: BaseException | None = None
        if not lead:
            held = _wait(slot)
            if not slot.lead:
                if held is not None:
                    raise held
                if slot.exc is not None:
                    raise slot.exc
                return slot.result
            alone = False  # named leader: others are queued
        held = self._lead(alone, slot) or held
        if held is not None:
            raise held
        if slot.exc is not None:
            raise slot.exc
        return slot.result

    def _lead(self, alone: bool, own: _Slot) -> BaseException | None:
        """Gather the queue (the leader's own slot is at its head), score it, wake the others.

        An interrupt while gathering ends the gathering; the batch is still scored and its
        callers woken (nobody else would lead them), and the interrupt is returned."""
        held: BaseException | None = None
        # Let callers that are ready to run queue up first: under the GIL nobody else runs while
        # the leader works, so a leader expecting nobody would never see the others arrive.
        # Not needed when it waits for callers of the last batch (waiting lets them run), nor
        # for a thread calling again right after itself (a lone sequential caller).
        if not alone and not self._owed:
            try:
                time.sleep(0)
            except BaseException as exc:  # noqa: BLE001 - returned to the caller once the batch is scored
                held = exc
        with self._mu:
            if self._owed and self._queue_rows < self.max_batch and not self._closed and held is None:
                # Wait for the callers of the last batch to come back with their next rows:
                # window_ms, then quarter windows while callers are still arriving (the queue
                # grew in the last one), up to MAX_WINDOWS windows in all. Rows not in by then
                # are not waited for again.
                start = time.monotonic()
                seen = self._queue_rows
                deadline = start + self.window_s
                while self._owed and self._queue_rows < self.max_batch and not self._closed:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        if self._queue_rows == seen or deadline - start >= MAX_WINDOWS * self.window_s - 1e-9:
                            self._owed = 0
                            break
                        seen = self._queue_rows
                        deadline += self.window_s / 4
                        continue
                    try:
                        self._arrived.wait(left)  # re-acquires _mu even when interrupted
                    except BaseException as exc:  # noqa: BLE001 - returned once the batch is scored
                        held = exc
                        break
            batch: list[_Slot] = []
            rows = 0
            q = self._queue
            while q and (not batch or rows + len(q[0].samples) <= self.max_batch):
                slot = q.popleft()
                batch.append(slot)
                rows += len(slot.samples)
            self._queue_rows -= rows
            self.batches += 1
            self.rows += rows
            self._scoring += 1
            self._leading = False
            self._promote()  # rows past max_batch, with a scoring slot free: the next in line leads
        try:
            self._score_slots(batch)
        finally:
            with self._mu:
                self._owed += rows  # its callers come back with their next rows: the next leader waits for them
                self._scoring -= 1
                self._promote()  # callers that queued while every scoring slot was busy
            # Wake the callers as a chain: the leader wakes the first, each woken caller the next
            # (`_wait`). Waking all of them here would make every one of them contend for the
            # GIL at once (each wakes twice: on its lock, then on the GIL) and preempt the
            # leader, which holds the GIL, once per caller.
            nxt: _Slot | None = None
            for slot in reversed(batch):
                if slot.result is None and slot.exc is None:  # the leader itself failed: never strand a caller
                    slot.exc = RuntimeError("graders Coalescer: the batch leader stopped before scoring this row")
                if slot is not own:
                    slot.next = nxt
                    nxt = slot
            if nxt is not None:
                nxt.lock.release()
        return held

    def _promote(self) -> None:
        """Name the head of the queue leader if nobody gathers and a scoring slot is free (holds _mu)."""
        if self._queue and not self._leading and self._scoring < self.leaders:
            self._leading = True
            head = self._queue[0]
            head.lead = True
            head.lock.release()

    def _score_slots(self, batch: list[_Slot]) -> None:
        if len(batch) == 1:
            self._score_alone(batch[0])
            return
        samples: list[Any] = []
        items: list[Any] = []
        for slot in batch:
            samples += slot.samples
            items += slot.items
        try:
            res = self.grader.score(samples, items)
        except BaseException:  # noqa: BLE001 - find the request that raised: each alone
            for slot in batch:
                self._score_alone(slot)
            return
        formatted: dict[Callable[[ScoreResult], list[Any]], list[Any]] = {}  # by equality: bound methods
        last: Any = None  # the previous slot's fmt and its rows: usually the very same object
        rows: list[Any] = []
        start = 0
        for slot in batch:
            stop = start + len(slot.samples)
            fmt = slot.fmt
            if fmt is None:
                slot.result = slice_result(res, start, stop)
            else:
                try:
                    if fmt is not last:
                        got = formatted.get(fmt)
                        rows = formatted[fmt] = fmt(res) if got is None else got
                        last = fmt
                    slot.result = rows[start:stop]
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    slot.exc = exc
                    last = None
            start = stop

    def _score_alone(self, slot: _Slot) -> None:
        try:
            res = self.grader.score(slot.samples, slot.items)
            slot.result = res if slot.fmt is None else slot.fmt(res)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            slot.exc = exc

    async def ascore(self, samples: Sequence[Any], items: Sequence[Any] | None = None) -> ScoreResult:
        """Awaitable: never blocks the event loop."""
        return await asyncio.wrap_future(self.submit(samples, items))  # type: ignore[no-any-return]

    async def ascore_rows(self, samples: Sequence[Any], items: Sequence[Any] | None,
                          fmt: Callable[[ScoreResult], list[Any]]) -> list[Any]:
        """Awaitable score_rows(): `fmt` runs once per batch on the worker thread."""
        return await asyncio.wrap_future(self.submit(samples, items, fmt))  # type: ignore[no-any-return]

    def close(self, timeout: float | None = 10.0) -> None:
        """Score what is queued, then stop the thread. Later submits raise CoalescerClosed."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            self._gather.notify_all()
            threads = list(self._threads)
        with self._mu:  # a gathering leader stops waiting; queued callers are still scored
            self._arrived.notify_all()
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
                    alone = self.grader.score(r.samples, r.items)
                    r.future.set_result(alone if r.fmt is None else r.fmt(alone))
                except BaseException as one:  # noqa: BLE001
                    r.future.set_exception(one)
            return
        formatted: dict[Callable[[ScoreResult], list[Any]], list[Any]] = {}  # by equality: bound methods
        start = 0
        for r in live:
            stop = start + len(r.samples)
            if r.fmt is None:
                r.future.set_result(slice_result(res, start, stop))
            else:
                try:
                    rows = formatted.get(r.fmt)
                    if rows is None:
                        rows = formatted[r.fmt] = r.fmt(res)
                    r.future.set_result(rows[start:stop])
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    r.future.set_exception(exc)
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


def _rebuild(grader: Any, window_ms: float, max_batch: int, workers: int = 1,
             leaders: int = DEFAULT_LEADERS) -> Coalescer:
    return Coalescer(grader, window_ms=window_ms, max_batch=max_batch, workers=workers, leaders=leaders)


__all__ = ["Coalescer", "CoalescerClosed", "slice_result"]
