"""Many sandboxed runs at once, bounded by cores and config.

`SandboxPool(workers).map(jobs)` runs each `(job, limits)` in its own fresh
sandbox (a new bubblewrap, a new tmpfs, a new supervisor) on a thread pool and
returns the results in order. Threads are enough: each one only waits on its
`bwrap` child, and `subprocess.Popen` without `preexec_fn` uses `vfork`, so a
large grader process starts sandboxes cheaply. Each worker thread owns a slot
number, which picks the unprivileged uid its sandboxes run under (see
`graders.sandbox.core`), so concurrent runs never count against each other's
process limit.

Why a fresh sandbox per run rather than a forking server: rows must not see
each other's files or processes, and one sandbox per run gives that with no
clean-up logic to get wrong. Measured on this 2-core machine (benchmarks/
bench_sandbox.py), bubblewrap adds a few milliseconds to the interpreter's own
start; the interpreter is started once per run (the supervisor), and every
stdin/stdout case and the whole test list of a row run in children forked
from it, so a row pays one interpreter start, not one per test.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .core import Limits, Sandbox, SandboxUnavailable, default_sandbox

__all__ = ["SandboxPool", "default_workers", "shared_sandbox_pool"]


def default_workers() -> int:
    """`GRADERS_SANDBOX_WORKERS`, else the number of usable cores."""
    env = os.environ.get("GRADERS_SANDBOX_WORKERS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class SandboxPool:
    """Run sandboxed jobs concurrently, at most `workers` at a time."""

    def __init__(self, workers: int | None = None, sandbox: Sandbox | None = None) -> None:
        self.workers = max(1, int(workers or default_workers()))
        self.sandbox = sandbox or default_sandbox()
        self._slots: queue.SimpleQueue[int] = queue.SimpleQueue()
        for i in range(self.workers):
            self._slots.put(i)
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def _exec(self) -> ThreadPoolExecutor:
        if self._pid != os.getpid():  # forked (Ray, multiprocessing): the threads did not come along
            self._pid = os.getpid()
            self._lock = threading.Lock()
            self._executor = None
            self._slots = queue.SimpleQueue()
            for i in range(self.workers):
                self._slots.put(i)
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="graders-sandbox")
            return self._executor

    def _one(self, job: dict[str, Any], limits: Limits, site_packages: bool) -> dict[str, Any]:
        slot = self._slots.get()
        try:
            return self.sandbox.run(job, limits, slot=slot, site_packages=site_packages)
        except SandboxUnavailable as exc:
            return {"sandbox_error": str(exc), "kind": "sandbox_refused"}
        except Exception as exc:  # noqa: BLE001 - one run's failure must not lose the batch
            return {"sandbox_error": f"{type(exc).__name__}: {exc}", "kind": "sandbox_refused"}
        finally:
            self._slots.put(slot)

    def map(self, jobs: Sequence[tuple[dict[str, Any], Limits]], *, site_packages: bool = False) -> list[dict[str, Any]]:
        """One result per job, in order (see `Sandbox.run`). Never raises for one job's failure."""
        if not jobs:
            return []
        if len(jobs) == 1:
            return [self._one(jobs[0][0], jobs[0][1], site_packages)]
        ex = self._exec()
        futures = [ex.submit(self._one, job, lim, site_packages) for job, lim in jobs]
        return [f.result() for f in futures]

    def close(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None


_SHARED: SandboxPool | None = None
_SHARED_LOCK = threading.Lock()


def shared_sandbox_pool() -> SandboxPool:
    """The process-wide pool the `code` and `python` kinds use."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = SandboxPool()
        return _SHARED
