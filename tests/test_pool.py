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


# -- workers die with their parent (issue 9, item 5) ------------------------------------------
_PARENT = """
import sys, threading, time
import graders.pool as gp
gp.USE_PDEATHSIG = {pdeathsig}
pool = gp.WorkerPool(max_workers=1, timeout_s=600)
def run():
    pool.map(time.sleep, [300])
threading.Thread(target=run, daemon=True).start()  # spawned from a thread that stays alive
while True:
    w = pool._workers[0]
    if w is not None and w.chunk is not None:
        print(w.proc.pid, flush=True)
        break
    time.sleep(0.02)
time.sleep(300)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")
@pytest.mark.parametrize(("sig", "pdeathsig"), [("SIGKILL", True), ("SIGTERM", True), ("SIGKILL", False)])
def test_worker_dies_with_its_parent(sig: str, pdeathsig: bool) -> None:
    """SIGKILL/SIGTERM the parent while its worker computes: the worker is gone within seconds
    (by PR_SET_PDEATHSIG, and with it off, by the worker's parent watchdog)."""
    import signal
    import subprocess
    import sys

    parent = subprocess.Popen([sys.executable, "-c", _PARENT.format(pdeathsig=pdeathsig)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        assert _alive(worker)
        parent.send_signal(getattr(signal, sig))
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker)
    finally:
        parent.kill()
        parent.wait()


def test_workers_spawned_from_a_short_lived_thread_survive_it() -> None:
    """PR_SET_PDEATHSIG follows the spawning thread: workers are spawned from a long-lived one."""
    p = WorkerPool(max_workers=1, timeout_s=5.0)
    try:
        t = threading.Thread(target=lambda: p.map(abs, [-1]))
        t.start()
        t.join()
        time.sleep(0.5)
        assert p.alive_workers() == 1
        assert [r.value for r in p.map(abs, [-2])] == [2]
        assert p.stats["crashes"] == 0
    finally:
        p.close()
