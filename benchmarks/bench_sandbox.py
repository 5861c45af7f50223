"""Sandboxed program runs vs plain `subprocess.run` of the same programs (what peers do).

    python benchmarks/bench_sandbox.py                 # table on stdout
    python benchmarks/bench_sandbox.py --n 200 --json out.json

Scenarios (each: graders' sandbox and the plain peer, same program, same machine, one run):

1. trivial: `print(input())` on one stdin case. Latency: median of `--n` serial
   runs; throughput: `--n` runs through a pool of `--workers` threads.
   Peer: `subprocess.run([python, "-c", program], input=...)`.
2. suite: HumanEval/0's canonical solution against its `check(candidate)`
   (7 asserts: graders runs each as its own test, with per-test time limits).
   Peer: one `python -c program+test+check(entry)` (human-eval's way, with no
   per-test results and no isolation).
3. stdio suite: a 3-case stdin/stdout problem (graders: one sandbox per row,
   one fork per case; peer: one process per case).
4. python grader: `grade(sample, item)` over `--n` rows (graders: rows split
   over the workers, source imported once per sandbox, one fork per row;
   peer: one `python -c` per row importing the source).
5. bwrap alone: `bwrap ... /bin/true` and the bare interpreter start, for the
   cost breakdown.

The figures depend on load: the machine is shared; `uptime` is printed first
and last. Wall-clock figures under load mostly measure the queue for the CPU,
so each scenario also reports CPU milliseconds per run (the grader's own plus
every process of the run, from `getrusage`), and the rate 2 idle cores would
sustain at that CPU cost (`cores x 1000 / cpu_ms`): a load-independent estimate.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graders.kinds.code import CodeConfig, build_job, limits_for  # noqa: E402
from graders.sandbox import Limits, capabilities, default_sandbox  # noqa: E402
from graders.sandbox.pool import SandboxPool  # noqa: E402
from graders.sandbox.python_grade import run_grades  # noqa: E402
from graders.sandbox.testspec import parse_tests  # noqa: E402

TRIVIAL = "print(input())\n"
HE0_PROGRAM = (
    "from typing import List\n\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n"
    "    for idx, elem in enumerate(numbers):\n        for idx2, elem2 in enumerate(numbers):\n"
    "            if idx != idx2:\n                distance = abs(elem - elem2)\n"
    "                if distance < threshold:\n                    return True\n\n    return False\n"
)


def he0_test() -> str:
    for line in (ROOT / "tests" / "data" / "code" / "humaneval.labeled.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["id"] == "HumanEval/0/canonical":
            return str(row["item"]["tests"])
    raise SystemExit("HumanEval/0 not found in tests/data/code")


STDIO = "n = int(input())\nprint(sum(range(n + 1)))\n"
STDIO_CASES = [("10\n", "55\n"), ("100\n", "5050\n"), ("0\n", "0\n")]
GRADER = "def grade(sample, item):\n    return float(sample['output_text'].strip() == str(item['answer']))\n"


def _cpu() -> float:
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


CPU_MS: dict[str, float] = {}


def timed(fn: Any, n: int, key: str = "") -> tuple[float, list[float]]:
    lat = []
    c0 = _cpu()
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t0)
    if key:
        CPU_MS[key] = (_cpu() - c0) / n * 1000
    return statistics.median(lat) * 1000, lat


def throughput(fn: Any, n: int, workers: int) -> float:
    t0 = time.perf_counter()
    with ThreadPoolExecutor(workers) as ex:
        list(ex.map(lambda _: fn(), range(n)))
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    caps = capabilities()
    if not caps.available:
        raise SystemExit(caps.reason)
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print(caps.describe())
    py = caps.interpreter or sys.executable
    sbx = default_sandbox()
    pool = SandboxPool(args.workers)
    lim = Limits(wall_s=10, total_s=30)
    out: dict[str, Any] = {"n": args.n, "workers": args.workers, "interpreter": py}

    # 5. the parts
    bw = sbx.argv(caps, 0, [])
    cut = bw.index("--")
    true_cmd = bw[: cut + 1] + ["/bin/true"]
    out["bwrap_true_ms"], _ = timed(lambda: subprocess.run(true_cmd, check=True), args.n)
    out["python_bare_ms"], _ = timed(lambda: subprocess.run([py, "-S", "-I", "-c", "pass"], check=True), args.n)

    # 1. trivial
    job = {"mode": "stdio", "program": TRIVIAL, "cases": [b"hi\n"]}

    def sandboxed() -> None:
        r = sbx.run(job, lim)
        assert r["units"][0]["stdout"] == "hi\n", r

    def plain() -> None:
        r = subprocess.run([py, "-c", TRIVIAL], input=b"hi\n", capture_output=True, timeout=10)
        assert r.stdout == b"hi\n"

    sb_ms, _ = timed(sandboxed, args.n, "trivial/sandbox")
    pl_ms, _ = timed(plain, args.n, "trivial/plain")
    out["trivial"] = {"sandbox_ms": sb_ms, "plain_ms": pl_ms, "overhead_ms": sb_ms - pl_ms,
                      "sandbox_per_s": throughput(sandboxed, args.n, args.workers),
                      "plain_per_s": throughput(plain, args.n, args.workers)}
    # through the pool's map (what the code kind does)
    t0 = time.perf_counter()
    pool.map([(job, lim)] * args.n)
    out["trivial"]["pool_map_per_s"] = args.n / (time.perf_counter() - t0)

    # 2. typical assert suite (HumanEval/0)
    test = he0_test()
    cfg = CodeConfig(type="code")
    plan = parse_tests(test, "has_close_elements")
    he_job = build_job(cfg, HE0_PROGRAM, plan)
    he_lim = limits_for(cfg, len(plan))

    def suite_sbx() -> None:
        r = sbx.run(he_job, he_lim)
        assert all("kind" not in u for u in r["units"]), r

    def suite_plain() -> None:
        r = subprocess.run([py, "-c", HE0_PROGRAM + "\n" + test + "\ncheck(has_close_elements)\n"],
                           capture_output=True, timeout=10)
        assert r.returncode == 0

    a, _ = timed(suite_sbx, args.n, "suite/sandbox")
    b, _ = timed(suite_plain, args.n, "suite/plain")
    out["suite"] = {"tests": len(plan), "sandbox_ms": a, "plain_ms": b, "overhead_ms": a - b,
                    "sandbox_per_s": throughput(suite_sbx, args.n, args.workers),
                    "plain_per_s": throughput(suite_plain, args.n, args.workers)}

    # 3. stdin/stdout suite
    st_job = {"mode": "stdio", "program": STDIO, "cases": [i.encode() for i, _ in STDIO_CASES]}

    def stdio_sbx() -> None:
        r = sbx.run(st_job, lim)
        assert [u["stdout"] for u in r["units"]] == [o for _, o in STDIO_CASES], r

    def stdio_plain() -> None:
        for i, o in STDIO_CASES:
            r = subprocess.run([py, "-c", STDIO], input=i.encode(), capture_output=True, timeout=10)
            assert r.stdout.decode() == o

    a, _ = timed(stdio_sbx, args.n, "stdio_suite/sandbox")
    b, _ = timed(stdio_plain, args.n, "stdio_suite/plain")
    out["stdio_suite"] = {"cases": len(STDIO_CASES), "sandbox_ms": a, "plain_ms": b, "overhead_ms": a - b,
                          "sandbox_per_s": throughput(stdio_sbx, args.n, args.workers),
                          "plain_per_s": throughput(stdio_plain, args.n, args.workers)}

    # 4. python grader rows
    rows = [({"output_text": str(i % 7)}, {"answer": i % 5}) for i in range(args.n)]
    t0 = time.perf_counter()
    c0 = _cpu()
    res = run_grades(GRADER, rows, timeout=10, pool=pool)
    assert all(r.value is not None for r in res)
    g_sbx = args.n / (time.perf_counter() - t0)
    CPU_MS["python_grader/sandbox"] = (_cpu() - c0) / args.n * 1000

    def grade_plain(row: tuple[Any, Any]) -> None:
        prog = GRADER + f"\nimport json\nprint(grade(json.loads({json.dumps(json.dumps(row[0]))}), " \
                        f"json.loads({json.dumps(json.dumps(row[1]))})))\n"
        subprocess.run([py, "-c", prog], capture_output=True, timeout=10, check=True)

    t0 = time.perf_counter()
    c0 = _cpu()
    with ThreadPoolExecutor(args.workers) as ex:
        list(ex.map(grade_plain, rows))
    g_plain = args.n / (time.perf_counter() - t0)
    CPU_MS["python_grader/plain"] = (_cpu() - c0) / args.n * 1000
    out["python_grader"] = {"sandbox_rows_per_s": g_sbx, "plain_rows_per_s": g_plain}
    pool.close()

    print(f"\nbwrap /bin/true: {out['bwrap_true_ms']:.1f} ms; bare `python -S -I`: {out['python_bare_ms']:.1f} ms "
          f"(medians of {args.n})")
    print(f"{'scenario':<22}{'sandbox ms':>11}{'plain ms':>10}{'overhead':>10}{'sandbox/s':>11}{'plain/s':>9}")
    for key in ("trivial", "suite", "stdio_suite"):
        d = out[key]
        print(f"{key:<22}{d['sandbox_ms']:>11.1f}{d['plain_ms']:>10.1f}{d['overhead_ms']:>+10.1f}"
              f"{d['sandbox_per_s']:>11.1f}{d['plain_per_s']:>9.1f}")
    print(f"{'trivial via pool.map':<22}{'':>31}{out['trivial']['pool_map_per_s']:>11.1f}")
    print(f"{'python grader rows':<22}{'':>31}{g_sbx:>11.1f}{g_plain:>9.1f}")
    cores = len(os.sched_getaffinity(0))
    print(f"\nCPU per run (grader + all processes of the run) and the rate {cores} idle cores would sustain:")
    print(f"{'scenario':<22}{'sandbox cpu ms':>15}{'plain cpu ms':>13}{'sandbox/s idle':>16}{'plain/s idle':>14}")
    for key in ("trivial", "suite", "stdio_suite", "python_grader"):
        a, b = CPU_MS[f"{key}/sandbox"], CPU_MS[f"{key}/plain"]
        print(f"{key:<22}{a:>15.1f}{b:>13.1f}{cores * 1000 / a:>16.1f}{cores * 1000 / b:>14.1f}")
    out["cpu_ms"] = CPU_MS
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
