"""Hostile programs: each ends in bounded time, with the right failure kind, touching nothing outside.

Every case runs through the public entry points (`run_tests` for the `code`
kind, `run_grade` for the `python` kind), i.e. in a fresh sandbox, and checks
afterwards that the grader process (and a canary process of the grader's user)
is alive, that no sandbox process is left, and that no file appeared outside
the sandbox.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from graders.kinds.code import run_tests
from graders.sandbox import Limits, capabilities
from graders.sandbox.pool import SandboxPool
from graders.sandbox.python_grade import run_grade

pytestmark = pytest.mark.usefixtures("sandbox")

REPO = Path(__file__).resolve().parents[2]
TOKEN = uuid.uuid4().hex[:12]
#: Paths a hostile program tries to create; none may exist on the host afterwards.
OUTSIDE = [f"/tmp/pwned-{TOKEN}", str(REPO / f"pwned-{TOKEN}"), f"/usr/pwned-{TOKEN}", f"/root/pwned-{TOKEN}"]
WRITE_OUTSIDE = "".join(
    f"try:\n    open({p!r}, 'w').write('x')\nexcept OSError:\n    pass\n" for p in OUTSIDE
)

# name -> (program, expected kind of its one stdin/stdout test; None = passes)
HOSTILE: dict[str, tuple[str, str | None]] = {
    "infinite_loop": ("while True:\n    pass\n", "time_limit"),
    "fork_bomb": ("import os\nwhile True:\n    os.fork()\n", "runtime_error"),
    "fork_bomb_sleepers": ("import os, time\nfor _ in range(10000):\n    try:\n        os.fork()\n"
                           "    except OSError:\n        time.sleep(100)\n", "time_limit"),
    "memory_bomb": ("x = bytearray(8 * 1024**3)\n", "memory_limit"),
    "memory_creep": ("a = []\nwhile True:\n    a.append(bytearray(10**7))\n", "memory_limit"),
    "write_1gb": ("f = open('/tmp/big', 'wb')\nfor _ in range(1024):\n    f.write(b'0' * 2**20)\n", "output_limit"),
    "stdout_100mb": ("import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 10**6)\n", "output_limit"),
    "socket_internet": ("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\n", "runtime_error"),
    "socket_dns": ("import socket\nsocket.getaddrinfo('pypi.org', 443)\n", "runtime_error"),
    "read_home": ("import os\nprint(os.listdir('/root'))\n", "runtime_error"),
    "read_etc": ("print(open('/etc/passwd').read())\n", "runtime_error"),
    "read_repo": (f"print(open({str(REPO / 'README.md')!r}).read())\n", "runtime_error"),
    "read_host_tmp": ("import os\nprint(sorted(os.listdir('/tmp')))\n", "wrong_answer"),  # sees only its own tmp
    "kill_parent": ("import os\nos.kill(os.getppid(), 9)\nprint('ok')\n", None),  # PID 1 ignores it
    "kill_everything": ("import os, signal\nif os.fork() == 0:\n    import time\n    time.sleep(5)\n"
                        "os.kill(-1, signal.SIGKILL)\nprint('ok')\n", None),
    "kill_via_shell": ("import os\nos.system('kill -9 -1')\nprint('ok')\n", "runtime_error"),
    "os_exit_unflushed": ("print('ok')\nimport os\nos._exit(0)\n", "wrong_answer"),
    "raise_limits": ("import resource\nresource.setrlimit(resource.RLIMIT_CPU, (10**6, 10**6))\n", "runtime_error"),
    "raise_memory_limit": ("import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))\n", "runtime_error"),
    "sleep_past_wall": ("import time\ntime.sleep(60)\n", "time_limit"),
    "daemon_outlives": ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
                        "        time.sleep(60)\n    os._exit(0)\nprint('ok')\n", None),
    "write_outside": (WRITE_OUTSIDE + "print('ok')\n", None),
    "syntax_error": ("print('ok'\n", "syntax_error"),
}

CASES = [{"input": "", "output": "ok"}]


@pytest.fixture(autouse=True)
def _own_uids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sandboxes of this test process run under uids no other process uses (other pytest runs on
    the machine start sandboxes too), so "no sandbox process is left" can be checked by uid."""
    import graders.sandbox.core as core

    monkeypatch.setattr(core, "UID_BASE", 100_000 + (os.getpid() % 20_000) * 64)


def _sandbox_processes() -> list[int]:
    """Pids of live processes running under one of this test process's sandbox uids."""
    import graders.sandbox.core as core

    uids = {str(core.UID_BASE + i) for i in range(64)}
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = (d / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:") and line.split()[1] in uids:
                out.append(int(d.name))
    return out


@pytest.fixture
def canary():
    """A process of the grader's own user that must survive every case."""
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    yield p
    p.kill()
    p.wait()


def _after(canary: subprocess.Popen) -> None:
    assert canary.poll() is None, "a process of the grader's user was killed"
    for p in OUTSIDE:
        assert not os.path.exists(p), f"the sandbox created {p} on the host"
    if capabilities().uid_switch:
        deadline = time.monotonic() + 2
        while _sandbox_processes() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _sandbox_processes() == [], "a sandboxed process outlived its run"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_code_kind_hostile_program(name: str, canary: subprocess.Popen) -> None:
    program, kind = HOSTILE[name]
    t0 = time.monotonic()
    report = run_tests(program, CASES, timeout=1.0, memory_mb=256)
    elapsed = time.monotonic() - t0
    assert "error" not in report, report
    (test,) = report["tests"]
    assert test["kind"] == kind, test
    assert test["ok"] is (kind is None)
    assert elapsed < 10, f"{name} took {elapsed:.1f}s"
    _after(canary)


ASSERT_HOSTILE: dict[str, tuple[str, str]] = {
    "exit_in_test": ("def f(x):\n    import os\n    os._exit(0)\n", "runtime_error"),
    "sys_exit_at_load": ("import sys\nsys.exit(0)\ndef f(x):\n    return x\n", "runtime_error"),
    "always_equal": ("class A:\n    def __eq__(self, o):\n        return True\ndef f(x):\n    return A()\n",
                     "wrong_answer"),
    "always_equal_lambda": ("class A(int):\n    __eq__ = lambda s, o: True\ndef f(x):\n    return [A(1)]\n",
                            "wrong_answer"),
    "hang_in_test": ("def f(x):\n    while True:\n        pass\n", "time_limit"),
    "kill_all_in_test": ("def f(x):\n    import os\n    os.kill(-1, 9)\n    os.kill(os.getpid(), 9)\n", "runtime_error"),
    "memory_in_test": ("def f(x):\n    return bytearray(8 * 1024**3)\n", "memory_limit"),
}


@pytest.mark.parametrize("name", sorted(ASSERT_HOSTILE))
def test_assert_tests_hostile_program(name: str, canary: subprocess.Popen) -> None:
    program, kind = ASSERT_HOSTILE[name]
    tests = ["assert f(1) == [1]", "assert f(2) == 2"]
    report = run_tests(program, tests, entry_point="f", timeout=1.0, memory_mb=256)
    assert "error" not in report, report
    assert report["passed"] == 0, report
    assert report["tests"][0]["kind"] == kind, report
    _after(canary)


def test_a_failing_test_does_not_stop_the_next() -> None:
    program = "def f(x):\n    if x == 1:\n        while True:\n            pass\n    if x == 2:\n        import os\n        os._exit(3)\n    return x\n"
    report = run_tests(program, ["assert f(1) == 1", "assert f(2) == 2", "assert f(3) == 3", "assert f(4) == 5"],
                       entry_point="f", timeout=0.5)
    assert [t["kind"] for t in report["tests"]] == ["time_limit", "runtime_error", None, "wrong_answer"]
    assert report["score"] == 0.25


GRADE_HOSTILE: dict[str, tuple[str, str]] = {
    "infinite_loop": ("def grade(sample, item):\n    while True:\n        pass\n", "time_limit"),
    "fork_bomb": ("import os\ndef grade(sample, item):\n    while True:\n        os.fork()\n", "BlockingIOError"),
    "memory_bomb": ("def grade(sample, item):\n    return len(bytearray(8 * 1024**3))\n", "memory_limit"),
    "write_1gb": ("def grade(sample, item):\n    f = open('/tmp/big', 'wb')\n    for _ in range(1100):\n"
                  "        f.write(b'0' * 2**20)\n    return 1.0\n", "File too large"),
    "stdout_100mb": ("import sys\ndef grade(sample, item):\n    for _ in range(100):\n"
                     "        sys.stdout.write('x' * 10**6)\n    return 1.0\n", "output"),
    "socket": ("import socket\ndef grade(sample, item):\n    socket.create_connection(('1.1.1.1', 80), timeout=2)\n"
               "    return 1.0\n", "Network is unreachable"),
    "read_etc": ("def grade(sample, item):\n    return float(len(open('/etc/passwd').read()))\n", "FileNotFoundError"),
    "read_home": ("import os\ndef grade(sample, item):\n    return float(len(os.listdir('/root')))\n", "FileNotFoundError"),
    "kill_parent": ("import os\ndef grade(sample, item):\n    os.kill(os.getppid(), 9)\n    try:\n"
                    "        os.kill(-1, 9)\n    except ProcessLookupError:\n        pass\n"
                    "    return 'x'\n", "SIGKILL"),  # its parent is the sandbox's zygote: the row fails, not the run
    "os_exit": ("import os\ndef grade(sample, item):\n    os._exit(0)\n", "did not return"),
    "raise_limits": ("import resource\ndef grade(sample, item):\n"
                     "    resource.setrlimit(resource.RLIMIT_CPU, (10**6, 10**6))\n    return 1.0\n",
                     "not allowed to raise"),
    "sleep": ("import time\ndef grade(sample, item):\n    time.sleep(60)\n    return 1.0\n", "time_limit"),
    "daemon": ("import os, time\ndef grade(sample, item):\n    if os.fork() == 0:\n        os.setsid()\n"
               "        if os.fork() == 0:\n            time.sleep(60)\n        os._exit(0)\n    return 'no'\n",
               "not a number"),
    "write_outside": ("def grade(sample, item):\n" + "".join(
        f"    try:\n        open({p!r}, 'w').write('x')\n    except OSError:\n        pass\n" for p in OUTSIDE)
        + "    return None\n", "NoneType"),
}


@pytest.mark.parametrize("name", sorted(GRADE_HOSTILE))
def test_python_kind_hostile_grader(name: str, canary: subprocess.Popen) -> None:
    source, needle = GRADE_HOSTILE[name]
    t0 = time.monotonic()
    out = run_grade(source, {"output_text": "x"}, {}, timeout=1.0, memory_mb=512)
    assert time.monotonic() - t0 < 10
    assert out.value is None
    assert out.error_kind == "python_grader_runtime_error", out
    assert needle in out.message, out
    _after(canary)


def test_python_rows_sharing_a_sandbox_are_isolated(canary: subprocess.Popen) -> None:
    """Rows of one sandbox run in forks of one zygote: no files, processes or state carry over."""
    from graders.sandbox.python_grade import run_grades

    source = ("import os, time\nSEEN = []\n"
              "def grade(sample, item):\n"
              "    t = sample['output_text']\n"
              "    SEEN.append(t)\n"
              "    found = os.path.exists('/tmp/secret')\n"
              "    if t == 'write':\n"
              "        open('/tmp/secret', 'w').write('x')\n"
              "        if os.fork() == 0:\n"
              "            os.setsid()\n"
              "            time.sleep(30)\n"
              "    if t == 'kill':\n"
              "        os.kill(os.getppid(), 9)\n"
              "    return float(len(SEEN)) + (10.0 if found else 0.0)\n")
    pool = SandboxPool(1)
    outs = run_grades(source, [({"output_text": t}, {}) for t in ("write", "read", "kill", "read")], timeout=5,
                      pool=pool)
    pool.close()
    assert [o.value for o in outs] == [1.0, 1.0, None, 1.0]
    assert "SIGKILL" in outs[2].message
    _after(canary)


def test_rows_do_not_see_each_other(canary: subprocess.Popen) -> None:
    writer = "import time\nopen('/tmp/secret', 'w').write('s3cret')\ntime.sleep(1.5)\nprint('ok')\n"
    reader = "import os, time\ntime.sleep(0.5)\nprint(sorted(os.listdir('/tmp')), os.path.exists('/tmp/secret'))\n"
    pool = SandboxPool(2)
    lim = Limits(wall_s=5, total_s=10)
    a, b = pool.map([({"mode": "stdio", "program": writer, "cases": [b""]}, lim),
                     ({"mode": "stdio", "program": reader, "cases": [b""]}, lim)])
    pool.close()
    assert a["units"][0]["stdout"] == "ok\n"
    assert b["units"][0]["stdout"] == "[] False\n"
    _after(canary)


def test_environment_is_cleared() -> None:
    os.environ["GRADERS_TEST_SECRET"] = "hunter2"
    try:
        report = run_tests("import os\nprint(os.environ.get('GRADERS_TEST_SECRET', 'none'))\n",
                           [{"input": "", "output": "none"}])
    finally:
        del os.environ["GRADERS_TEST_SECRET"]
    assert report["score"] == 1.0, report


def test_no_model_or_user_code_runs_in_the_grader_process() -> None:
    """Static check: outside the in-sandbox supervisor, the sandbox path has no eval/exec/compile of
    program text; the only `exec` is the boot line handed to the sandboxed interpreter."""
    import re

    root = REPO / "graders"
    files = [*sorted((root / "sandbox").glob("*.py")), root / "kinds" / "code.py", root / "kinds" / "python.py",
             root / "extract" / "fenced.py"]
    banned = re.compile(r"(?<!def )\b(eval|exec|compile|__import__)\s*\(")
    for path in files:
        if path.name == "_harness.py":
            continue  # runs only inside bubblewrap (its source is never imported by the grader)
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if banned.search(line):
                assert "_BOOT = " in line or "compile(sys.stdin.read()" in line, f"{path.name}:{n}: {line.strip()}"
    import graders.sandbox as sbx_pkg

    assert "graders.sandbox._harness" not in sys.modules
    assert sbx_pkg.capabilities().available


def test_program_pid_and_view_are_the_sandbox_s() -> None:
    prog = ("import os\nprint(os.getpid() > 1, os.getppid(), len([p for p in os.listdir('/proc') if p.isdigit()]) <= 3,"
            " os.getuid(), os.path.exists('/etc'))\n")
    rep = run_tests(prog, [{"input": "", "output": "True 1 True 65534 False"}])
    assert rep["score"] == 1.0, rep


AGGREGATE = {
    # many files, each under the file-size limit: only the cgroup's memory limit (tmpfs pages) stops it
    "fill_tmpfs": ("for i in range(200):\n    with open('/tmp/f%d' % i, 'wb') as f:\n        for _ in range(60):\n"
                   "            f.write(b'0' * 2**20)\nprint('ok')\n"),
    # many processes, each under its address-space limit
    "fork_memory": ("import os, time\npids = []\nfor _ in range(30):\n    pid = os.fork()\n    if pid == 0:\n"
                    "        x = bytearray(400 * 2**20)\n        time.sleep(3)\n        os._exit(0)\n    pids.append(pid)\n"
                    "print('ok' if all(os.waitpid(p, 0)[1] == 0 for p in pids) else 'some were killed')\n"),
}


@pytest.mark.parametrize("name", sorted(AGGREGATE))
def test_aggregate_memory_is_bounded_by_the_cgroup(name: str, canary: subprocess.Popen) -> None:
    if not capabilities().cgroup:
        pytest.skip("no cgroup on this machine: /tmp and memory are bounded per file / per process only")
    t0 = time.monotonic()
    report = run_tests(AGGREGATE[name], CASES, timeout=10.0, memory_mb=512)
    assert time.monotonic() - t0 < 20
    (test,) = report["tests"]
    assert not test["ok"]
    assert test["kind"] in ("memory_limit", "wrong_answer"), test  # an OOM-killed child leaves the output short
    _after(canary)


def test_pool_works_after_fork() -> None:
    pool = SandboxPool(2)
    job = ({"mode": "stdio", "program": "print(input())", "cases": [b"x\n"]}, Limits())
    assert pool.map([job, job])[0]["units"][0]["stdout"] == "x\n"
    pid = os.fork()
    if pid == 0:  # the child uses the inherited pool: it must not hang on the parent's dead threads
        ok = False
        try:
            ok = pool.map([job, job])[1]["units"][0]["stdout"] == "x\n"
        finally:
            os._exit(0 if ok else 1)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the pool hung in a forked child")
    assert os.WEXITSTATUS(status) == 0
    pool.close()
