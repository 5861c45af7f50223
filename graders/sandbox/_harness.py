"""The in-sandbox supervisor: runs as PID 1 of the sandbox's PID namespace.

This file is never imported by the grader. Its source is handed to a fresh
`python3 -S -I -B -c` inside bubblewrap. It reads one job (a `marshal`ed dict,
written by the trusted grader) from stdin, runs the model's program in forked
children (each under rlimits, its stdio on pipes), and writes one JSON result
to stdout. Only the standard library's built-in modules plus `os` and
`resource` are imported, so start-up stays near the bare interpreter's.

Why PID 1: the kernel drops signals that other processes of the namespace send
to its init unless init installed a handler, so `kill -9 -1` or
`os.kill(os.getppid(), 9)` from the program cannot take the supervisor down;
and when PID 1 exits, the kernel kills everything left in the namespace
(double-forked daemons included). Between two units the supervisor kills every
other process of the namespace (`kill(-1, SIGKILL)`) and reaps them.

Modes:

- `stdio`: one child per case; the case's input on stdin; the supervisor
  returns what the child wrote (bytes, capped) with its exit status. The
  expected outputs never enter the sandbox: the grader compares.
- `tests`: one child runs the program, then the test units in order, each
  reporting on a private pipe; a unit that hangs, crashes or exits ends that
  child and the next unit runs in a fresh child (the program re-run first).
- `grade`: one child runs the user's `grade(sample, item)`.
"""

# ruff: noqa: UP031  (percent formatting: the harness keeps to the oldest syntax the sandbox interpreter may have)
import _signal as signal  # `signal` would import `enum`: ~5 ms of CPU per run
import io
import marshal
import posix as os  # `os` (stat, posixpath, _collections_abc): ~2 ms per run; posix has all we use
import resource
import select
import sys
import time


def _fdopen(fd, *args, **kwargs):
    return open(fd, *args, **kwargs)  # io.open: `os.fdopen` lives in os.py

_CHUNK = 65536
_ESC = {i: "\\u%04x" % i for i in range(32)}
_ESC[ord('"')] = '\\"'
_ESC[ord("\\")] = "\\\\"
_ESC[127] = "\\u007f"


def _json(v):
    """A minimal JSON encoder (the `json` module would import `re`: ~10 ms per run)."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if v == v and v not in (float("inf"), float("-inf")) else "null"
    if isinstance(v, str):
        return '"' + v.translate(_ESC) + '"'
    if isinstance(v, dict):
        return "{" + ",".join(_json(str(k)) + ":" + _json(x) for k, x in v.items()) + "}"
    return "[" + ",".join(_json(x) for x in v) + "]"


def _describe(exc):
    """`Type: message (line N)` for an exception, without importing traceback."""
    name = type(exc).__name__
    try:
        msg = str(exc)
    except BaseException:  # noqa: BLE001 - a hostile __str__
        msg = "<unprintable>"
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _FILENAME[0]:
            line = tb.tb_lineno
        tb = tb.tb_next
    text = name + (": " + msg if msg else "")
    if line is not None:
        text += " (line %d)" % line
    return text[:2000]


_FILENAME = ["main.py"]


def _classify(exc):
    if isinstance(exc, MemoryError):
        return "memory_limit"
    if isinstance(exc, OSError) and exc.errno == 27:  # EFBIG: RLIMIT_FSIZE
        return "output_limit"
    if isinstance(exc, AssertionError):
        return "wrong_answer"
    return "runtime_error"


# ------------------------------------------------------------------ child side


def _limit_self(lim):
    cpu = max(1, int(lim["cpu_s"] + 0.999))
    pairs = (
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_AS, lim["memory_mb"] << 20, lim["memory_mb"] << 20),
        (resource.RLIMIT_FSIZE, lim["fsize_mb"] << 20, lim["fsize_mb"] << 20),
        (resource.RLIMIT_NPROC, lim["nproc"], lim["nproc"]),
        (resource.RLIMIT_NOFILE, lim["nofile"], lim["nofile"]),
        (resource.RLIMIT_CORE, 0, 0),
    )
    for which, soft, hard in pairs:
        if lim["memory_mb"] <= 0 and which == resource.RLIMIT_AS:
            continue
        try:
            resource.setrlimit(which, (soft, hard))
        except (ValueError, OSError):
            pass


def _fresh_stdio():
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8", errors="replace")
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8", errors="backslashreplace")
    sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8", errors="backslashreplace", line_buffering=True)
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr


def _fresh_main(path):
    mod = type(sys)("__main__")  # a new module object without importing `types`
    mod.__file__ = path
    mod.__builtins__ = __builtins__
    sys.modules["__main__"] = mod
    sys.argv = [path]
    return mod.__dict__


def _flush():
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except BaseException:  # noqa: BLE001
            pass


def _spawn(job, stdin_data, body, ctl=False):
    """Fork a child with stdin from a file, stdout/stderr (and a control pipe) on pipes."""
    in_path = "/tmp/.stdin"
    with open(in_path, "wb") as f:
        f.write(stdin_data)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    ctl_r = ctl_w = -1
    if ctl:
        ctl_r, ctl_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 70
        try:
            os.setsid()
            fd = os.open(in_path, os.O_RDONLY)
            os.dup2(fd, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            if ctl:
                os.dup2(ctl_w, 3)
            os.closerange(4 if ctl else 3, 1 << 16)
            os.unlink(in_path)
            for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGXFSZ):
                signal.signal(s, signal.SIG_DFL)
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past RLIMIT_FSIZE raises EFBIG
            _limit_self(job["limits"])
            _fresh_stdio()
            code = body()
        except BaseException:  # noqa: BLE001
            code = 70
        _flush()
        os._exit(code)
    for fd in (out_w, err_w, ctl_w):
        if fd >= 0:
            os.close(fd)
    return pid, out_r, err_r, ctl_r


def _kill_rest():
    """Kill every process of the namespace but this one, and reap them all."""
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    while True:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            continue


def _take(buf, data, fd, out_r, err_r, out_cap):
    """Append what was read from `fd` to its buffer within the caps (stdout
    `out_cap`, stderr 8 KiB, control pipe whole); True when stdout went over."""
    if fd == out_r:
        if len(buf) + len(data) > out_cap:
            buf += data[: out_cap - len(buf)]
            return True
        buf += data
    elif fd == err_r:
        if len(buf) < 8192:
            buf += data[: 8192 - len(buf)]
    else:
        buf += data
    return False


def _ctl_lines(buf, pos, on_ctl):
    """Hand each complete control line from `pos` on to `on_ctl`; returns where the next one starts."""
    while True:
        nl = buf.find(b"\n", pos)
        if nl < 0:
            return pos
        on_ctl(bytes(buf[pos:nl]))
        pos = nl + 1


def _supervise(pid, out_r, err_r, ctl_r, deadline_fn, out_cap, on_ctl=None):
    """Wait for the child, reading its pipes; returns (status, out, err, ended_by).

    `ended_by` is None (exited), "time" (a deadline passed) or "output" (too much output).
    """
    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    fds = {out_r: bytearray(), err_r: bytearray()}
    if ctl_r >= 0:
        fds[ctl_r] = bytearray()
    for fd in fds:
        poller.register(fd, select.POLLIN | select.POLLHUP)
    open_fds = set(fds)
    ended_by = None
    exited = False
    ctl_pos = 0
    while not exited:
        wait = deadline_fn() - time.monotonic()
        if wait <= 0:
            ended_by = "time"
            break
        for fd, _ev in poller.poll(max(1, int(wait * 1000) + 1)):
            if fd == pidfd:
                exited = True
                continue
            try:
                data = os.read(fd, _CHUNK)
            except OSError:
                data = b""
            if not data:
                poller.unregister(fd)
                open_fds.discard(fd)
                continue
            if _take(fds[fd], data, fd, out_r, err_r, out_cap):
                ended_by = "output"
                exited = True
                break
            if fd == ctl_r and on_ctl is not None:
                ctl_pos = _ctl_lines(fds[fd], ctl_pos, on_ctl)
    if ended_by is not None:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    _, status = os.waitpid(pid, 0)
    _kill_rest()  # daemons, grandchildren: nothing outlives the unit
    # Drain what is left in the pipes (every writer is dead now).
    for fd in list(open_fds):
        while True:
            try:
                data = os.read(fd, _CHUNK)
            except OSError:
                break
            if not data:
                break
            if _take(fds[fd], data, fd, out_r, err_r, out_cap):
                ended_by = ended_by or "output"
                break
    if ctl_r >= 0 and on_ctl is not None:
        _ctl_lines(fds[ctl_r], ctl_pos, on_ctl)
    for fd in fds:
        os.close(fd)
    os.close(pidfd)
    return status, bytes(fds[out_r]), bytes(fds[err_r]), ended_by


def _status_kind(status, ended_by):
    """Failure kind from how the child ended (None when it exited normally with code 0)."""
    if ended_by == "time":
        return "time_limit"
    if ended_by == "output":
        return "output_limit"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return "time_limit"
        if sig == signal.SIGXFSZ:
            return "output_limit"
        return "runtime_error"
    code = os.WEXITSTATUS(status)
    if code == 0:
        return None
    if code == 86:
        return "memory_limit"
    if code == 87:
        return "output_limit"
    return "runtime_error"


def _status_text(status, ended_by, lim):
    if ended_by == "time":
        return "killed: time limit"
    if ended_by == "output":
        return "killed: more than %d bytes of output" % lim["output_bytes"]
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        names = {9: "SIGKILL", 11: "SIGSEGV", 6: "SIGABRT", 24: "SIGXCPU (CPU time limit)", 25: "SIGXFSZ (file size limit)"}
        return "killed by signal %d %s" % (sig, names.get(sig, ""))
    return "exit code %d" % os.WEXITSTATUS(status)


def _tail(b, n=1500):
    s = b.decode("utf-8", "replace")
    return s if len(s) <= n else "..." + s[-n:]


# ------------------------------------------------------------------ python program bodies


def _run_python(code, path):
    """Run compiled module code as __main__; exit code 0 ok, 1 error, 86 memory, 87 file size."""
    ns = _fresh_main(path)
    try:
        exec(code, ns)  # noqa: S102 - this IS the sandboxed program
    except SystemExit as e:
        _flush()
        c = e.code
        if c is None:
            return 0
        if isinstance(c, int):
            return c & 0xFF
        try:
            sys.stderr.write(str(c) + "\n")
        except BaseException:  # noqa: BLE001
            pass
        return 1
    except BaseException as e:  # noqa: BLE001
        kind = _classify(e)
        try:
            sys.stderr.write(_describe(e) + "\n")
        except BaseException:  # noqa: BLE001
            pass
        return 86 if kind == "memory_limit" else 87 if kind == "output_limit" else 1
    return 0


# ------------------------------------------------------------------ modes


def _compile_python(job):
    try:
        return compile(job["program"], _FILENAME[0], "exec", dont_inherit=True), None
    except (SyntaxError, ValueError, OverflowError, MemoryError, RecursionError) as e:
        if isinstance(e, SyntaxError):
            msg = "%s: %s (line %s)" % (type(e).__name__, e.msg, e.lineno)
        else:
            msg = "%s: %s" % (type(e).__name__, e)
        return None, msg[:2000]


def _compile_native(job, lim):
    """Compile C/C++ with the system compiler inside the sandbox, under the build limits."""
    with open("/tmp/" + job["filename"], "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(job["program"])
    argv = list(job["compile"])
    blim = dict(lim)
    blim.update(job.get("compile_limits") or {})
    sub = dict(job)
    sub["limits"] = blim

    def body():
        os.execv(argv[0], argv)

    pid, out_r, err_r, ctl_r = _spawn(sub, b"", body)
    deadline = time.monotonic() + blim["wall_s"]
    status, out, err, ended_by = _supervise(pid, out_r, err_r, ctl_r, lambda: deadline, 1 << 20)
    kind = _status_kind(status, ended_by)
    if kind is None:
        return None
    if kind == "runtime_error":
        return "syntax_error", "compile error: " + _tail(err + out)
    return kind, "compiler: " + _status_text(status, ended_by, blim)


def mode_stdio(job):
    lim = job["limits"]
    t_end = time.monotonic() + lim["total_s"]
    res = {"units": []}
    if job.get("compile"):
        failed = _compile_native(job, lim)
        if failed is not None:
            res["compile"] = {"kind": failed[0], "message": failed[1]}
            return res
        argv = list(job["run"])

        def body():
            os.execv(argv[0], argv)
    else:
        code, err = _compile_python(job)
        if code is None:
            res["compile"] = {"kind": "syntax_error", "message": err}
            return res

        def body():
            return _run_python(code, "/tmp/" + _FILENAME[0])

    for data in job["cases"]:
        if time.monotonic() >= t_end:
            res["units"].append({"kind": "time_limit", "message": "total time limit reached before this case", "ms": 0.0})
            continue
        t0 = time.monotonic()
        deadline = min(t_end, t0 + lim["wall_s"])
        pid, out_r, err_r, ctl_r = _spawn(job, data, body)
        status, out, err, ended_by = _supervise(pid, out_r, err_r, ctl_r, lambda d=deadline: d, lim["output_bytes"])
        kind = _status_kind(status, ended_by)
        unit = {"ms": (time.monotonic() - t0) * 1000.0, "stdout": out.decode("latin-1")}
        if kind is not None:
            unit["kind"] = kind
            unit["message"] = _status_text(status, ended_by, lim) + ("; " + _tail(err) if err else "")
        res["units"].append(unit)
        if kind is not None and job.get("fail_fast"):
            break
    while len(res["units"]) < len(job["cases"]):
        res["units"].append({"kind": "skipped", "message": "not run: an earlier case failed", "ms": 0.0})
    return res


def _plain_guard(value, depth=0, budget=[0]):  # noqa: B006 - a per-process counter
    """Refuse results whose equality the program defined (the always-equal hack)."""
    if depth == 0:
        budget[0] = 0
    budget[0] += 1
    if budget[0] > 10000 or depth > 50:
        return
    t = type(value)
    for cls in t.__mro__:
        for name in ("__eq__", "__ne__"):
            fn = cls.__dict__.get(name)
            co = getattr(fn, "__code__", None)
            if co is not None and not co.co_filename.startswith(_STDLIB):
                raise _Rigged("the function returned a %s object whose %s is defined by the program; "
                              "results must be plain values" % (t.__name__, name))
    if t in (list, tuple, set, frozenset):
        for x in value:
            _plain_guard(x, depth + 1)
    elif t is dict:
        for k, x in value.items():
            _plain_guard(k, depth + 1)
            _plain_guard(x, depth + 1)


_STDLIB = (sys.base_prefix or "/usr") + "/"


class _Rigged(Exception):
    pass


def _wrap(fn):
    def candidate(*args, **kwargs):
        out = fn(*args, **kwargs)
        _plain_guard(out)
        return out

    candidate.__name__ = getattr(fn, "__name__", "candidate")
    candidate.__wrapped__ = fn
    return candidate


def mode_tests(job):
    lim = job["limits"]
    t_end = time.monotonic() + lim["total_s"]
    units = job["units"]
    n = len(units)
    res = {"units": [None] * n}
    code, err = _compile_python(job)
    if code is None:
        res["compile"] = {"kind": "syntax_error", "message": err}
        return res
    prelude_src = job.get("prelude") or ""
    entry = job.get("entry_point")
    fail_fast = bool(job.get("fail_fast"))
    start = 0
    while start < n:
        if fail_fast and any(u is not None and "kind" in u for u in res["units"]):
            _skip_rest(res["units"])
            break
        if time.monotonic() >= t_end:
            for i in range(start, n):
                res["units"][i] = {"kind": "time_limit", "message": "total time limit reached before this test", "ms": 0.0}
            break
        first = start

        def body(first=first):
            out = _fdopen(3, "w", buffering=1, encoding="utf-8", errors="backslashreplace")

            def say(*parts):
                out.write(" ".join(str(p).replace("\n", " ") for p in parts) + "\n")

            say("L")  # loading the program
            rc = 0
            ns = _fresh_main("/tmp/" + _FILENAME[0])
            try:
                exec(code, ns)  # noqa: S102 - the sandboxed program
            except BaseException as e:  # noqa: BLE001 - SystemExit too: a program must not quit before its tests
                say("P", _classify(e), _describe(e))
                return 1
            if entry:
                fn = ns.get(entry)
                if fn is None or not callable(fn):
                    say("P", "runtime_error", "the program defines no function %r" % entry)
                    return 1
                ns[entry] = _wrap(fn)
                ns["candidate"] = ns[entry]
            if prelude_src:
                _FILENAME[0] = "<tests>"
                try:
                    exec(compile(prelude_src, "<tests>", "exec", dont_inherit=True), ns)  # noqa: S102
                except BaseException as e:  # noqa: BLE001
                    say("P", "runtime_error", "test setup failed: " + _describe(e))
                    return 1
            for i in range(first, n):
                setup, test = units[i]
                say("S", i)
                t0 = time.perf_counter()
                try:
                    if setup:
                        exec(compile(setup, "<tests>", "exec", dont_inherit=True), ns)  # noqa: S102
                    exec(compile(test, "<tests>", "exec", dont_inherit=True), ns)  # noqa: S102
                except _Rigged as e:
                    say("E", i, "wrong_answer", (time.perf_counter() - t0) * 1000.0, str(e))
                    if fail_fast:
                        return rc
                    continue
                except BaseException as e:  # noqa: BLE001
                    say("E", i, _classify(e), (time.perf_counter() - t0) * 1000.0, _describe(e))
                    if fail_fast:
                        return rc
                    continue
                say("E", i, "ok", (time.perf_counter() - t0) * 1000.0, "")
            return rc

        state = {"cur": None, "t0": time.monotonic(), "load": None}

        def on_ctl(line, state=state, first=first):
            parts = line.decode("utf-8", "replace").split(" ", 4)
            tag = parts[0]
            if tag == "L":
                state["t0"] = time.monotonic()
            elif tag == "P" and len(parts) >= 2:
                state["load"] = (parts[1], " ".join(parts[2:]))
            elif tag == "S" and len(parts) >= 2 and parts[1].isdigit():
                i = int(parts[1])
                if first <= i < n:
                    state["cur"] = i
                    state["t0"] = time.monotonic()
            elif tag == "E" and len(parts) >= 4 and parts[1].isdigit():
                i = int(parts[1])
                if first <= i < n and res["units"][i] is None:
                    kind = parts[2]
                    try:
                        ms = float(parts[3])
                    except ValueError:
                        ms = 0.0
                    u = {"ms": ms}
                    if kind != "ok":
                        u["kind"] = kind if kind in _KINDS else "runtime_error"
                        u["message"] = parts[4] if len(parts) > 4 else ""
                    res["units"][i] = u
                    state["cur"] = None
                    state["t0"] = time.monotonic()

        def deadline(state=state):
            return min(t_end, state["t0"] + lim["wall_s"])

        # One process runs every test: its CPU rlimit is the row's budget (RLIMIT_CPU counts the
        # whole process); each test is bounded by its wall-clock deadline.
        sub = dict(job)
        sub["limits"] = dict(lim, cpu_s=max(lim["cpu_s"], lim["total_s"]))
        pid, out_r, err_r, ctl_r = _spawn(sub, b"", body, ctl=True)
        status, out, errb, ended_by = _supervise(pid, out_r, err_r, ctl_r, deadline, lim["output_bytes"], on_ctl)
        if state["load"] is not None:
            kind, msg = state["load"]
            for i in range(first, n):
                if res["units"][i] is None:
                    res["units"][i] = {"kind": kind if kind in _KINDS else "runtime_error",
                                       "message": "the program failed before the tests: " + msg, "ms": 0.0}
            break
        if fail_fast and any(u is not None and "kind" in u for u in res["units"]):
            _skip_rest(res["units"])
            break
        # Where did it stop? The first unit without a result gets the blame.
        nxt = first
        while nxt < n and res["units"][nxt] is not None:
            nxt += 1
        if nxt >= n:
            break
        kind = _status_kind(status, ended_by) or "runtime_error"
        msg = _status_text(status, ended_by, lim)
        if state["cur"] is None and ended_by is None and kind == "runtime_error":
            msg = "the program exited before its tests (" + msg + ")"
        elif ended_by is None and kind == "runtime_error":
            msg = "the program exited during this test (" + msg + ")"
        elif state["cur"] is None and ended_by == "time":
            msg = "loading the program took too long"
        if errb:
            msg += "; " + _tail(errb, 500)
        if state["cur"] is None:  # died while loading: every remaining unit fails the same way
            for i in range(nxt, n):
                res["units"][i] = {"kind": kind, "message": msg, "ms": 0.0}
            break
        res["units"][nxt] = {"kind": kind, "message": msg, "ms": (time.monotonic() - state["t0"]) * 1000.0}
        start = nxt + 1
    return res


def _skip_rest(units):
    for i, u in enumerate(units):
        if u is None:
            units[i] = {"kind": "skipped", "message": "not run: an earlier test failed", "ms": 0.0}


_KINDS = ("wrong_answer", "runtime_error", "time_limit", "memory_limit", "output_limit", "syntax_error")


def _wipe(path):
    """Remove everything under `path` (the rows of one sandbox must not see each other's files)."""
    try:
        entries = list(os.scandir(path))
    except OSError:
        return
    try:
        dev = os.stat(path).st_dev
    except OSError:
        return
    for e in entries:
        try:
            if e.is_dir(follow_symlinks=False):
                if e.stat(follow_symlinks=False).st_dev != dev:
                    continue  # a read-only bind (a venv under the host's /tmp), not row data
                _wipe(e.path)
                os.rmdir(e.path)
            else:
                os.unlink(e.path)
        except OSError:
            pass


def _no_ptrace():
    """Make this process (and its forks) non-dumpable: no ptrace, no /proc/PID/mem from siblings."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
    except BaseException:  # noqa: BLE001
        pass


def mode_grade(job):
    """`grade(sample, item)` over job["rows"]: a zygote child imports the source once and
    forks one grandchild per row; between rows it kills every other process and wipes /tmp."""
    lim = job["limits"]
    rows = job["rows"]
    n = len(rows)
    res = {"rows": [None] * n}
    code, err = _compile_python(job)
    if code is None:
        res["compile"] = {"kind": "syntax_error", "message": err}
        return res
    t_end = time.monotonic() + lim["total_s"]
    start = 0
    while start < n:
        first = start

        def zygote(first=first):
            import json

            _no_ptrace()
            ctl = _fdopen(3, "w", buffering=1, encoding="utf-8", errors="backslashreplace")
            ns = _fresh_main("/tmp/grader.py")
            try:
                exec(code, ns)  # noqa: S102 - the user's grader source, module level
                fn = ns.get("grade")
                if not callable(fn):
                    raise NameError("the source defines no function grade(sample, item)")
            except BaseException as e:  # noqa: BLE001
                ctl.write("P %s %s\n" % (_classify(e), _describe(e).replace("\n", " ")))
                return 1
            for i in range(first, n):
                ctl.write("S %d\n" % i)
                r, w = os.pipe()
                pid = os.fork()
                if pid == 0:  # one row
                    code_ = 1
                    try:
                        os.close(r)
                        os.close(3)
                        out = _fdopen(w, "w", encoding="utf-8", errors="backslashreplace")
                        try:
                            value = fn(json.loads(rows[i][0]), json.loads(rows[i][1]))
                            if isinstance(value, bool) or not isinstance(value, (int, float)):
                                out.write("X non_number grade() returned %s, not a number\n" % type(value).__name__)
                            else:
                                out.write("V %r\n" % float(value))
                            code_ = 0
                        except BaseException as e:  # noqa: BLE001
                            out.write("X %s %s\n" % (_classify(e), _describe(e).replace("\n", " ")))
                        out.flush()
                    except BaseException:  # noqa: BLE001
                        pass
                    _flush()
                    os._exit(code_)
                os.close(w)
                data = b""
                while len(data) < 65536 and b"\n" not in data:  # one line; a daemon may hold the pipe
                    chunk = os.read(r, 65536)
                    if not chunk:
                        break
                    data += chunk
                os.close(r)
                _, row_status = os.waitpid(pid, 0)
                try:
                    os.kill(-1, signal.SIGKILL)  # the row's leftovers (daemons); not us, not PID 1
                except OSError:
                    pass
                while True:
                    try:
                        os.waitpid(-1, 0)
                    except ChildProcessError:
                        break
                    except InterruptedError:
                        continue
                _wipe("/tmp")
                _wipe("/dev/shm")
                line = data.split(b"\n", 1)[0].decode("utf-8", "replace")
                if not line:
                    if os.WIFSIGNALED(row_status) and os.WTERMSIG(row_status) == signal.SIGXCPU:
                        # The CPU rlimit can fire before the wall deadline: the same time limit.
                        line = "X time_limit grade() did not return: time limit (CPU)"
                    else:
                        line = "X runtime_error grade() did not return (the process exited)"
                ctl.write("R %d %s\n" % (i, line.replace("\n", " ")))
            return 0

        state = {"cur": None, "t0": time.monotonic(), "load": None}

        def on_ctl(line, state=state, first=first):
            text = line.decode("utf-8", "replace")
            parts = text.split(" ", 2)
            if parts[0] == "P":
                state["load"] = (parts[1] if len(parts) > 1 else "runtime_error", parts[2] if len(parts) > 2 else "")
            elif parts[0] == "S" and len(parts) > 1 and parts[1].isdigit():
                i = int(parts[1])
                if first <= i < n:
                    state["cur"] = i
                    state["t0"] = time.monotonic()
            elif parts[0] == "R" and len(parts) > 2 and parts[1].isdigit():
                i = int(parts[1])
                if first <= i < n and res["rows"][i] is None and i == state["cur"]:
                    body = parts[2]
                    if body.startswith("V "):
                        try:
                            v = float(body[2:])
                        except ValueError:
                            v = float("nan")
                        if v == v and v not in (float("inf"), float("-inf")):
                            res["rows"][i] = {"value": v}
                        else:
                            res["rows"][i] = {"error": {"kind": "non_number",
                                                        "message": "grade() returned %s, not a finite number" % body[2:]}}
                    else:
                        bits = body.split(" ", 2)
                        res["rows"][i] = {"error": {"kind": bits[1] if len(bits) > 1 else "runtime_error",
                                                    "message": bits[2] if len(bits) > 2 else ""}}
                    state["cur"] = None

        def deadline(state=state):
            return min(t_end, state["t0"] + lim["wall_s"])

        pid, out_r, err_r, ctl_r = _spawn(job, b"", zygote, ctl=True)
        status, out, errb, ended_by = _supervise(pid, out_r, err_r, ctl_r, deadline, lim["output_bytes"], on_ctl)
        nxt = first
        while nxt < n and res["rows"][nxt] is not None:
            nxt += 1
        if nxt >= n:
            break
        if state["load"] is not None:
            kind, msg = state["load"]
            for i in range(nxt, n):
                res["rows"][i] = {"error": {"kind": kind, "message": "loading the grader failed: " + msg}}
            break
        kind = _status_kind(status, ended_by) or "runtime_error"
        msg = _status_text(status, ended_by, lim)
        if errb:
            msg += "; " + _tail(errb, 500)
        if state["cur"] is None:
            if ended_by == "time" or time.monotonic() >= t_end:
                for i in range(nxt, n):
                    res["rows"][i] = {"error": {"kind": "time_limit", "message": "grade() not run: time limit"}}
                break
            msg = "the grader process ended between rows (" + msg + ")"
        res["rows"][nxt] = {"error": {"kind": kind, "message": "grade() did not return: " + msg}}
        _wipe("/tmp")
        _wipe("/dev/shm")
        start = nxt + 1
    return res


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    data = sys.stdin.buffer.read()
    job = marshal.loads(data)
    del data
    _FILENAME[0] = job.get("filename", "main.py")
    for p in job.get("sys_path", ()):
        if p not in sys.path:
            sys.path.append(p)
    os.chdir("/tmp")
    mode = job["mode"]
    try:
        res = {"stdio": mode_stdio, "tests": mode_tests, "grade": mode_grade}[mode](job)
    except BaseException as e:  # noqa: BLE001 - the supervisor itself failed
        res = {"harness_error": "%s: %s" % (type(e).__name__, e)}
    res["harness"] = 1
    os.write(1, _json(res).encode("utf-8", "backslashreplace"))


main()
