"""A cgroup per sandboxed run, where the machine lets us make one (cgroup v1 memory + pids).

Why: rlimits are per process. A cgroup bounds the whole run: its memory
(every process, and the pages of its `/tmp` tmpfs, which no rlimit covers) and
its process count, and tells us afterwards whether the kernel's OOM killer
fired (so a SIGKILL from it reads as `memory_limit`, not `runtime_error`).

Used when the grader can write the v1 `memory` and `pids` hierarchies under
its own cgroups (root on this kind of machine). cgroup v2 is used only when
`GRADERS_SANDBOX_CGROUP` names a delegated v2 directory whose
`cgroup.subtree_control` has `memory` and `pids`. Elsewhere nothing is done
and `Capabilities.cgroup` says so.

The run joins its cgroups before bubblewrap starts: the command line is
prefixed by `/bin/sh -c 'echo $$ > A/cgroup.procs; ...; exec "$@"'` (the shell
runs as the grader's user, then execs setpriv/bwrap in place, so every process
of the run inherits the cgroups).
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path

__all__ = ["CgroupRun", "Cgroups"]

_counter = itertools.count()
_WRAP = 'for f in "$1" "$2"; do [ -z "$f" ] || echo $$ > "$f" || exit 97; done; shift 2; exec "$@"'


def _own_v1_path(controller: str) -> str | None:
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, ctrls, path = line.split(":", 2)
            if controller in ctrls.split(","):
                return path
    except (OSError, ValueError):
        return None
    return None


class CgroupRun:
    """The cgroups of one run: `prefix()` for the command line, `finish()` after it."""

    def __init__(self, dirs: list[Path], version: int) -> None:
        self.dirs = dirs
        self.version = version

    def prefix(self) -> list[str]:
        procs = [str(d / "cgroup.procs") for d in self.dirs] + ["", ""]
        return ["/bin/sh", "-c", _WRAP, "sbx", procs[0], procs[1]]

    def oom_killed(self) -> bool:
        for d in self.dirs:
            for name, key in (("memory.oom_control", "oom_kill "), ("memory.events", "oom_kill ")):
                try:
                    text = (d / name).read_text()
                except OSError:
                    continue
                for line in text.splitlines():
                    if line.startswith(key) and line.split()[1] != "0":
                        return True
        return False

    def finish(self) -> bool:
        """Whether the OOM killer fired; removes the cgroups (retrying while processes exit)."""
        oom = self.oom_killed()
        for d in self.dirs:
            for _ in range(100):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.002)
        self.dirs = []
        return oom


class Cgroups:
    """Detects what this machine allows and makes one `CgroupRun` per sandboxed run."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = 0
        self.bases: list[Path] = []
        self.reason = ""
        self._detect()

    def _detect(self) -> None:
        env = os.environ.get("GRADERS_SANDBOX_CGROUP")
        if env:
            base = Path(env)
            try:
                ctl = (base / "cgroup.subtree_control").read_text().split()
            except OSError as exc:
                self.reason = f"GRADERS_SANDBOX_CGROUP={env} is not a cgroup v2 directory: {exc}"
                return
            if {"memory", "pids"} <= set(ctl) and os.access(base, os.W_OK):
                self.version, self.bases = 2, [base]
            else:
                self.reason = f"{env}: memory and pids must be in cgroup.subtree_control, and writable"
            return
        root = Path("/sys/fs/cgroup")
        bases = []
        for ctrl in ("memory", "pids"):
            own = _own_v1_path(ctrl)
            d = root / ctrl
            if own is None or not (d / "cgroup.procs").exists():
                self.reason = f"no cgroup v1 `{ctrl}` hierarchy (set GRADERS_SANDBOX_CGROUP for a delegated v2 one)"
                return
            base = d / own.lstrip("/") / "graders-sandbox"
            try:
                base.mkdir(exist_ok=True)
                probe = base / f"probe-{os.getpid()}"
                probe.mkdir()
                probe.rmdir()
            except OSError as exc:
                self.reason = f"cannot create cgroups under {base.parent}: {exc.strerror}"
                return
            bases.append(base)
        self.version, self.bases = 1, bases

    @property
    def available(self) -> bool:
        return self.version > 0

    def new_run(self, memory_bytes: int, pids: int) -> CgroupRun | None:
        if not self.available:
            return None
        name = f"r{os.getpid()}-{next(_counter)}"
        dirs = []
        try:
            for base in self.bases:
                d = base / name
                d.mkdir()
                dirs.append(d)
                if self.version == 2:
                    (d / "memory.max").write_text(str(memory_bytes))
                    (d / "memory.swap.max").write_text("0") if (d / "memory.swap.max").exists() else None
                    (d / "pids.max").write_text(str(pids))
                elif (d / "memory.limit_in_bytes").exists():
                    (d / "memory.limit_in_bytes").write_text(str(memory_bytes))
                else:
                    (d / "pids.max").write_text(str(pids))
        except OSError:
            CgroupRun(dirs, self.version).finish()
            return None
        return CgroupRun(dirs, self.version)
