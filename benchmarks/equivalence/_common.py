"""What run.py and run_external.py share: feeding rows one by one to a
forked math-verify worker that is killed and restarted when a row hangs
(math-verify's own timeouts are best effort), and the percentage cell."""

from __future__ import annotations

import multiprocessing as mp
import queue
import time
from collections.abc import Callable


def run_rows_in_worker(
    worker: Callable[[mp.Queue, mp.Queue], None],
    jobs: list[tuple],
    row_timeout: float,
) -> tuple[list[tuple | None], float]:
    """Send `(i, *jobs[i])` to a forked `worker(inbox, outbox)` one at a time.

    The worker puts "ready" once its imports are done (not part of a row's
    time), then `(i, *answer)` per job, and returns on None.  Returns the
    answers without their index (None for a row that outlived `row_timeout`;
    the worker is then killed and a fresh one started) and the seconds spent.
    """
    ctx = mp.get_context("fork")
    answers: list[tuple | None] = [None] * len(jobs)

    def start():
        inbox, outbox = ctx.Queue(), ctx.Queue()
        proc = ctx.Process(target=worker, args=(inbox, outbox), daemon=True)
        proc.start()
        if outbox.get(timeout=300) != "ready":
            raise RuntimeError("math-verify worker failed to start")
        return proc, inbox, outbox

    proc, inbox, outbox = start()
    t0 = time.perf_counter()
    for i, job in enumerate(jobs):
        inbox.put((i, *job))
        try:
            answers[i] = tuple(outbox.get(timeout=row_timeout)[1:])
        except queue.Empty:
            proc.kill()
            proc.join()
            proc, inbox, outbox = start()
    inbox.put(None)
    proc.join(timeout=10)
    return answers, time.perf_counter() - t0


def pct(num: int, den: int) -> str:
    """`num/den` as a one-decimal percentage, "-" for an empty group."""
    return f"{100.0 * num / den:.1f}%" if den else "-"
