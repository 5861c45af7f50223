"""graders.pool: per-item hard time limits, recovery, and use from threads and asyncio.

The task functions are builtins (`time.sleep`, `math.factorial`, `os._exit`,
`int`, `abs`), which pickle by reference, so workers never import this file.
"""

from __future__ import annotations

import asyncio
import math
import os
import threading
import time

import pytest

from graders.pool import Result, WorkerPool


@pytest.fixture(scope="module")
def pool():
    p = WorkerPool(max_workers=2, timeout_s=1.0)
    p.warm()
    yield p
    p.close()


def test_map_in_order(pool: WorkerPool) -> None:
    out = pool.map(abs, [-3, 2, -1, 0, -7] * 10)
    assert [r.value for r in out] == [3, 2, 1, 0, 7] * 10
    assert all(r.ok for r in out)


def test_empty(pool: WorkerPool) -> None:
    assert pool.map(abs, []) == []


def test_item_exception_is_that_items_error(pool: WorkerPool) -> None:
    out = pool.map(int, ["1", "x", "3"])
    assert out[0] == Result(True, 1)
    assert not out[1].ok and out[1].error_kind == "error" and "ValueError" in out[1].message
    assert out[2] == Result(True, 3)


def test_timeout_kills_and_recovers(pool: WorkerPool) -> None:
    before = pool.stats["killed"]
    t0 = time.monotonic()
    # math.factorial(10**8) runs for minutes in C code: only a kill stops it.
    out = pool.map(math.factorial, [5, 10**8, 6, 7, 10**8, 3], timeout_s=0.5)
    elapsed = time.monotonic() - t0
    assert [r.error_kind for r in out] == [None, "timeout", None, None, "timeout", None]
    assert [r.value for r in out if r.ok] == [120, 720, 5040, 6]
    assert pool.stats["killed"] >= before + 2
    assert elapsed < 30
    # The pool is usable again right after.
    assert [r.value for r in pool.map(abs, [-1, -2])] == [1, 2]


def test_crash_is_reported_and_others_complete(pool: WorkerPool) -> None:
    out = pool.map(os._exit, [3], timeout_s=5)
    assert out[0].error_kind == "crashed"
    assert [r.value for r in pool.map(abs, [-5] * 8)] == [5] * 8


def test_from_a_thread(pool: WorkerPool) -> None:
    box: dict[str, list[Result]] = {}

    def run() -> None:
        box["out"] = pool.map(math.factorial, [4, 10**8, 5], timeout_s=0.5)

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    assert not t.is_alive()
    assert [r.error_kind for r in box["out"]] == [None, "timeout", None]
    assert box["out"][0].value == 24


def test_concurrent_threads_share_the_pool(pool: WorkerPool) -> None:
    results: list[list[int]] = [[] for _ in range(4)]

    def run(k: int) -> None:
        results[k] = [r.value for r in pool.map(abs, [-k] * 20)]

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [[k] * 20 for k in range(4)]


def test_inside_a_running_asyncio_loop(pool: WorkerPool) -> None:
    async def main() -> tuple[list[Result], list[Result]]:
        direct = pool.map(math.factorial, [3, 10**8], timeout_s=0.5)  # blocking call inside the loop
        loop = asyncio.get_running_loop()
        offloaded = await loop.run_in_executor(None, lambda: pool.map(abs, [-9, -8]))
        return direct, offloaded

    direct, offloaded = asyncio.run(main())
    assert direct[0].value == 6 and direct[1].error_kind == "timeout"
    assert [r.value for r in offloaded] == [9, 8]


def test_timeout_while_other_items_run_in_parallel() -> None:
    with WorkerPool(max_workers=2, timeout_s=0.5) as p:
        out = p.map(time.sleep, [0.05] * 10 + [30] + [0.05] * 10)
        kinds = [r.error_kind for r in out]
        assert kinds.count("timeout") == 1 and kinds[10] == "timeout"
        assert sum(r.ok for r in out) == 20


def test_close_and_lazy_restart() -> None:
    p = WorkerPool(max_workers=1, timeout_s=5)
    assert p.alive_workers() == 0  # lazy
    assert p.map(abs, [-1])[0].value == 1
    assert p.alive_workers() == 1
    p.shutdown()
    assert p.alive_workers() == 0
    assert p.map(abs, [-2])[0].value == 2  # restarts on demand
    p.close()
    with pytest.raises(RuntimeError):
        p.map(abs, [1])


def test_broken_preload_fails_items_not_the_caller() -> None:
    with WorkerPool(max_workers=1, timeout_s=5, preload=("graders_no_such_module_xyz",)) as p:
        out = p.map(abs, [1, 2])
        assert [r.error_kind for r in out] == ["worker_failed", "worker_failed"]
        assert "graders_no_such_module_xyz" in out[0].message


def test_unpicklable_item_is_an_error() -> None:
    with WorkerPool(max_workers=1, timeout_s=5) as p:
        out = p.map(abs, [1, threading.Lock(), 3])
        assert out[0].value == 1 and out[2].value == 3
        assert out[1].error_kind == "error"
