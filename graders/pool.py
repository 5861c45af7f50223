"""A process pool with a hard per-item time limit, safe to call from any thread.

`WorkerPool(max_workers, timeout_s).map(fn, items)` runs `fn(item)` for every
item in worker processes and returns one `Result` per item, in order:
`Result(ok=True, value=...)`, or `Result(ok=False, error_kind=..., message=...)`
with error_kind one of

- `timeout`: the item ran past `timeout_s`; its worker was killed (SIGKILL)
  and replaced, and the other items went on;
- `crashed`: the worker died on the item (segfault, out-of-memory kill);
- `memory`: the item raised MemoryError (workers can run under an address-space
  limit, `memory_limit_mb`);
- `error`: the item raised an exception (the message says which);
- `worker_failed`: workers could not start (an import failed three times).

Design:

- Workers are plain subprocesses (`python -c ...`; the parent's `sys.path`
  entries are appended after the interpreter's own, so a user script named
  like a standard module cannot shadow it), talking pickles over their
  stdin/stdout pipes. Nothing relies
  on `fork`, `signal.alarm` or the main thread, so `map` works from any
  thread, from inside a running asyncio loop (it blocks that thread while it
  waits, like any synchronous call; use `loop.run_in_executor` to keep the
  loop responsive) and inside Ray actors, and the user's `__main__` module is
  never re-imported (no `if __name__ == "__main__"` guard needed).
- `fn` must be importable by name (a module-level function): it is pickled by
  reference. Items and results must be picklable.
- The parent dispatches small chunks to idle workers and gets one message
  per finished item, so it always knows which item a worker is on and when
  that item started. A reader thread per worker feeds one queue; the parent
  waits on the queue until the nearest deadline.
- Workers start lazily (first `map`, or `warm()`), import `preload` modules
  once, are reused across calls, and are shut down at interpreter exit. A
  worker dies with its parent, even mid-item and even when the parent is
  killed with SIGKILL: on Linux the kernel sends it SIGKILL
  (`prctl(PR_SET_PDEATHSIG)`; workers are spawned from one long-lived thread,
  because the kernel ties that signal to the spawning thread), and everywhere
  a watchdog thread in the worker exits when its parent process changes; an
  idle worker also exits when its stdin closes. After a `fork`, the child
  process gets fresh workers of its own.
- One `map` runs at a time per pool (a lock); other callers wait.
"""

from __future__ import annotations

import atexit
import collections
import importlib
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Result", "WorkerPool", "shared_pool"]

_PROTO = pickle.HIGHEST_PROTOCOL
_BOOT = (
    "import sys, pickle\n"
    "cfg = pickle.load(sys.stdin.buffer)\n"
    "sys.path.extend(p for p in cfg['path'] if p not in sys.path)\n"
    "from graders.pool import _worker_main\n"
    "_worker_main(cfg)\n"
)


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one item."""

    ok: bool
    value: Any = None
    error_kind: str | None = None
    message: str = ""


# --------------------------------------------------------------------------- worker side


def _die_with_parent(parent: int, pdeathsig: bool) -> None:  # pragma: no cover - runs in the subprocess
    """Exit when the parent process goes away, even while an item is computing."""
    if pdeathsig and sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError, ValueError):
            pass
    if os.getppid() != parent:  # the parent died before we were watching
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.25)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="graders-pool-watchdog", daemon=True).start()


def _worker_main(cfg: dict[str, Any]) -> None:  # pragma: no cover - runs in the subprocess
    _die_with_parent(cfg.get("parent", os.getppid()), cfg.get("pdeathsig", True))
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, never into the protocol
    inp = sys.stdin.buffer
    try:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ImportError, ValueError, AttributeError):
        pass
    limit = cfg.get("memory_limit_mb")
    if limit:
        try:
            import resource

            nbytes = int(limit) * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (nbytes, nbytes))
        except (ImportError, ValueError, OSError):
            pass

    def send(msg: tuple) -> None:
        try:
            data = pickle.dumps(msg, protocol=_PROTO)
        except Exception as e:  # noqa: BLE001 - an unpicklable result is that item's error
            data = pickle.dumps(("err", msg[1], "error", f"result not picklable: {e}"), protocol=_PROTO)
        out.write(data)
        out.flush()

    for mod in cfg.get("preload", ()):
        try:
            importlib.import_module(mod)
        except Exception as e:  # noqa: BLE001
            send(("fatal", f"cannot import {mod}: {type(e).__name__}: {e}"))
            return
    send(("ready", os.getpid()))
    while True:
        try:
            msg = pickle.load(inp)
        except (EOFError, OSError):
            return
        except Exception as e:  # noqa: BLE001 - e.g. the task's function cannot be imported
            send(("fatal", f"cannot read task: {type(e).__name__}: {e}"))
            return
        if msg[0] == "stop":
            return
        _, fn, chunk = msg
        for idx, item in chunk:
            try:
                value = fn(item)
            except MemoryError:
                send(("err", idx, "memory", "out of memory"))
                continue
            except BaseException as e:  # noqa: BLE001 - any failure is reported for that item
                send(("err", idx, "error", f"{type(e).__name__}: {e}"[:2000]))
                continue
            send(("ok", idx, value))


# --------------------------------------------------------------------------- parent side


class _Worker:
    __slots__ = ("proc", "gen", "ready", "started", "chunk", "pos", "item_start", "reader")

    def __init__(self, proc: subprocess.Popen, gen: int) -> None:
        self.proc = proc
        self.gen = gen
        self.ready = False
        self.started = time.monotonic()
        self.chunk: list[int] | None = None
        self.pos = 0
        self.item_start = 0.0
        self.reader: threading.Thread | None = None


def _reader(proc: subprocess.Popen, wid: int, gen: int, q: queue.Queue) -> None:
    f = proc.stdout
    assert f is not None
    try:
        while True:
            q.put((wid, gen, pickle.load(f)))
    except Exception:  # noqa: BLE001 - EOF or a broken pipe: the worker is gone
        q.put((wid, gen, ("eof",)))


class WorkerPool:
    """See the module docstring."""

    def __init__(
        self,
        max_workers: int | None = None,
        timeout_s: float = 5.0,
        *,
        preload: Sequence[str] = (),
        memory_limit_mb: int | None = None,
        chunk_size: int = 16,
        start_timeout_s: float = 120.0,
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.max_workers = max(1, int(max_workers or os.cpu_count() or 1))
        self.timeout_s = float(timeout_s)
        self.preload = tuple(preload)
        self.memory_limit_mb = memory_limit_mb
        self.chunk_size = max(1, int(chunk_size))
        self.start_timeout_s = float(start_timeout_s)
        self._lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._workers: list[_Worker | None] = [None] * self.max_workers
        self._q: queue.Queue = queue.Queue()
        self._gen = 0
        self._pid = os.getpid()
        self._start_failures = 0
        self._fatal: str | None = None
        self._closed = False
        self.stats = {"started": 0, "killed": 0, "timeouts": 0, "crashes": 0}
        _POOLS.add(self)

    # ----------------------------------------------------------------- lifecycle
    def _spawn(self, wid: int) -> _Worker:
        self._gen += 1
        cfg = {
            "path": list(sys.path),
            "preload": self.preload,
            "memory_limit_mb": self.memory_limit_mb,
            "parent": os.getpid(),
            "pdeathsig": USE_PDEATHSIG,
        }
        kwargs: dict[str, Any] = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True
        elif os.name == "nt":  # pragma: no cover
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        proc = _popen([sys.executable, "-c", _BOOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                      stderr=None, close_fds=True, **kwargs)
        assert proc.stdin is not None
        proc.stdin.write(pickle.dumps(cfg, protocol=_PROTO))
        proc.stdin.flush()
        w = _Worker(proc, self._gen)
        t = threading.Thread(target=_reader, args=(proc, wid, w.gen, self._q), daemon=True,
                             name=f"graders-pool-reader-{wid}")
        t.start()
        w.reader = t
        self._workers[wid] = w
        self.stats["started"] += 1
        return w

    def _check_fork(self) -> None:
        if os.getpid() != self._pid:  # forked: the inherited workers belong to the parent
            self._pid = os.getpid()
            self._workers = [None] * self.max_workers
            self._q = queue.Queue()
            self._lock = threading.Lock()

    def warm(self, count: int | None = None) -> None:
        """Start `count` workers (default: all) now; returns at once, they import in the background."""
        with self._state_lock:
            self._check_fork()
            if self._closed:
                return
            want = self.max_workers if count is None else max(0, min(count, self.max_workers))
            for wid in range(self.max_workers):
                if want <= 0:
                    break
                w = self._workers[wid]
                if w is None or w.proc.poll() is not None:
                    self._spawn(wid)
                want -= 1

    def _kill(self, wid: int) -> None:
        w = self._workers[wid]
        self._workers[wid] = None
        if w is None:
            return
        self.stats["killed"] += 1
        _terminate(w.proc, 0.0)

    def shutdown(self) -> None:
        """Stop every worker (idempotent). The pool restarts workers if used again."""
        with self._state_lock:
            if os.getpid() != self._pid:
                return
            for wid, w in enumerate(self._workers):
                if w is None:
                    continue
                self._workers[wid] = None
                try:
                    assert w.proc.stdin is not None
                    w.proc.stdin.write(pickle.dumps(("stop",), protocol=_PROTO))
                    w.proc.stdin.close()
                except (OSError, ValueError):
                    pass
                _terminate(w.proc, 0.5)

    def close(self) -> None:
        self._closed = True
        self.shutdown()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def alive_workers(self) -> int:
        return sum(1 for w in self._workers if w is not None and w.proc.poll() is None)

    # ----------------------------------------------------------------- map
    def map(
        self, fn: Callable[[Any], Any], items: Iterable[Any], *, timeout_s: float | None = None
    ) -> list[Result]:
        """Run fn over items; one Result per item, in order. Never raises for an item's failure."""
        items = list(items)
        n = len(items)
        if n == 0:
            return []
        if self._closed:
            raise RuntimeError("pool is closed")
        limit = float(timeout_s) if timeout_s is not None else self.timeout_s
        with self._state_lock:
            self._check_fork()
        with self._lock:
            self._fatal = None  # workers that failed to start in an earlier call get another chance
            self._start_failures = 0
            return self._map(fn, items, limit)

    def _map(self, fn: Callable[[Any], Any], items: list[Any], limit: float) -> list[Result]:
        n = len(items)
        results: list[Result | None] = [None] * n
        remaining = n
        per = max(1, min(self.chunk_size, -(-n // (self.max_workers * 4))))
        pending: collections.deque[list[int]] = collections.deque(
            list(range(i, min(i + per, n))) for i in range(0, n, per)
        )
        q = self._q
        with self._state_lock:
            for wid in range(self.max_workers):
                w = self._workers[wid]
                if w is None or w.proc.poll() is not None:
                    if w is not None:
                        self._workers[wid] = None
                    if self._fatal is None:
                        self._spawn(wid)
                elif w.chunk is not None:  # left over from an interrupted call
                    self._kill(wid)
                    self._spawn(wid)

        def finish(idx: int, res: Result) -> None:
            nonlocal remaining
            if results[idx] is None:
                results[idx] = res
                remaining -= 1

        def requeue_rest(w: _Worker, skip_current: bool) -> None:
            assert w.chunk is not None
            rest = w.chunk[w.pos + (1 if skip_current else 0) :]
            rest = [i for i in rest if results[i] is None]
            if rest:
                pending.appendleft(rest)
            w.chunk = None

        def replace(wid: int) -> None:
            with self._state_lock:
                self._kill(wid)
                if self._fatal is None and (pending or remaining):
                    self._spawn(wid)

        while remaining > 0:
            if self._fatal is not None:
                for i in range(n):
                    if results[i] is None:
                        finish(i, Result(False, None, "worker_failed", self._fatal))
                break
            now = time.monotonic()
            # 1. Dispatch chunks to idle, ready workers.
            for wid, w in enumerate(self._workers):
                if w is None or not w.ready or w.chunk is not None or not pending:
                    continue
                chunk = pending.popleft()
                try:
                    assert w.proc.stdin is not None
                    w.proc.stdin.write(
                        pickle.dumps(("run", fn, [(i, items[i]) for i in chunk]), protocol=_PROTO)
                    )
                    w.proc.stdin.flush()
                except (OSError, ValueError):
                    pending.appendleft(chunk)
                    replace(wid)
                    continue
                except (pickle.PicklingError, TypeError, AttributeError) as e:
                    # Find the unpicklable items; send the others again one by one.
                    for i in chunk:
                        try:
                            pickle.dumps(items[i], protocol=_PROTO)
                        except Exception:  # noqa: BLE001
                            finish(i, Result(False, None, "error", f"cannot send item: {e}"))
                            continue
                        if len(chunk) > 1:
                            pending.append([i])
                        else:
                            finish(i, Result(False, None, "error", f"cannot send task: {e}"))
                    continue
                w.chunk = chunk
                w.pos = 0
                w.item_start = time.monotonic()
            # 2. Wait for a message or the nearest deadline.
            deadline = now + 0.5
            for w in self._workers:
                if w is None:
                    continue
                if w.chunk is not None:
                    deadline = min(deadline, w.item_start + limit)
                elif not w.ready:
                    deadline = min(deadline, w.started + self.start_timeout_s)
            wait = max(0.0, deadline - time.monotonic())
            try:
                wid, gen, msg = q.get(timeout=wait) if wait > 0 else q.get_nowait()
            except queue.Empty:
                msg = None
            # 3. Handle the message (ignore messages from replaced workers).
            while msg is not None:
                w = self._workers[wid]
                if w is not None and w.gen == gen:
                    self._handle(wid, w, msg, finish, requeue_rest, replace, results)
                try:
                    wid, gen, msg = q.get_nowait()
                except queue.Empty:
                    msg = None
            # 4. Enforce deadlines.
            now = time.monotonic()
            for wid, w in enumerate(self._workers):
                if w is None:
                    continue
                if w.chunk is not None and now - w.item_start > limit:
                    idx = w.chunk[w.pos]
                    self.stats["timeouts"] += 1
                    finish(idx, Result(False, None, "timeout", f"exceeded the {limit:g}s time limit"))
                    requeue_rest(w, skip_current=True)
                    replace(wid)
                elif not w.ready and now - w.started > self.start_timeout_s:
                    self._start_failed(f"a worker did not start within {self.start_timeout_s:g}s")
                    replace(wid)
        out = [r if r is not None else Result(False, None, "error", "lost") for r in results]
        return out

    def _start_failed(self, message: str) -> None:
        self._start_failures += 1
        if self._start_failures >= 3:
            self._fatal = message

    def _handle(self, wid, w, msg, finish, requeue_rest, replace, results) -> None:  # type: ignore[no-untyped-def]
        kind = msg[0]
        if kind == "ready":
            w.ready = True
            self._start_failures = 0
            return
        if kind in ("ok", "err"):
            idx = msg[1]
            if kind == "ok":
                finish(idx, Result(True, msg[2]))
            else:
                finish(idx, Result(False, None, msg[2], msg[3]))
            if w.chunk is not None:
                w.pos += 1
                w.item_start = time.monotonic()
                if w.pos >= len(w.chunk):
                    w.chunk = None
            return
        if kind == "fatal":
            if not w.ready:  # a preload import failed
                self._start_failed(msg[1])
            elif w.chunk is not None:  # the task itself cannot be unpickled: fail its items
                for i in w.chunk[w.pos :]:
                    finish(i, Result(False, None, "error", msg[1]))
                w.chunk = None
            replace(wid)
            return
        if kind == "eof":
            if not w.ready:
                self._start_failed("a worker exited during start-up")
            elif w.chunk is not None:
                idx = w.chunk[w.pos]
                self.stats["crashes"] += 1
                code = w.proc.poll()
                finish(idx, Result(False, None, "crashed", f"worker died (exit code {code})"))
                requeue_rest(w, skip_current=True)
            replace(wid)


# Linux delivers PR_SET_PDEATHSIG when the *thread* that spawned the worker exits, so
# workers are spawned from the main thread or from one long-lived spawner thread.
USE_PDEATHSIG = True
_SPAWN_Q: queue.Queue | None = None
_SPAWN_LOCK = threading.Lock()


def _spawner_loop(q: queue.Queue) -> None:
    while True:
        args, kwargs, box, done = q.get()
        try:
            box.append(subprocess.Popen(args, **kwargs))
        except BaseException as e:  # noqa: BLE001 - handed back to the caller
            box.append(e)
        done.set()


def _popen(args: list[str], **kwargs: Any) -> subprocess.Popen:
    global _SPAWN_Q
    if threading.current_thread() is threading.main_thread() or not sys.platform.startswith("linux"):
        return subprocess.Popen(args, **kwargs)
    with _SPAWN_LOCK:
        if _SPAWN_Q is None or os.getpid() != _SPAWN_PID[0]:
            _SPAWN_Q = queue.Queue()
            _SPAWN_PID[0] = os.getpid()
            threading.Thread(target=_spawner_loop, args=(_SPAWN_Q,), daemon=True, name="graders-pool-spawner").start()
        q = _SPAWN_Q
    box: list[Any] = []
    done = threading.Event()
    q.put((args, kwargs, box, done))
    done.wait()
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]  # type: ignore[no-any-return]


_SPAWN_PID = [0]


def _terminate(proc: subprocess.Popen, grace: float) -> None:
    if grace > 0:
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    if proc.poll() is None:
        try:
            proc.kill()
        except OSError:
            pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover
        pass
    for f in (proc.stdin, proc.stdout):
        try:
            if f is not None:
                f.close()
        except OSError:
            pass


_POOLS: weakref.WeakSet[WorkerPool] = weakref.WeakSet()
_SHARED: dict[str, WorkerPool] = {}
_SHARED_LOCK = threading.Lock()


def shared_pool(name: str, **kwargs: Any) -> WorkerPool:
    """A process-wide pool registered under `name` (created on first use with `kwargs`)."""
    with _SHARED_LOCK:
        pool = _SHARED.get(name)
        if pool is None or pool._closed:
            pool = WorkerPool(**kwargs)
            _SHARED[name] = pool
        return pool


@atexit.register
def _shutdown_all() -> None:  # pragma: no cover - exercised at interpreter exit
    for pool in list(_POOLS):
        try:
            pool.shutdown()
        except Exception:  # noqa: BLE001
            pass
