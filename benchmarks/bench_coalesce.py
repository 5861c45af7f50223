"""Per-sample callers: 64 threads each calling the verl adapter one sample at a time.

verl 0.9's reward loop and OpenRLHF 0.11 call the reward function once per
sample from a thread pool. Without coalescing each call is a 1-row score();
with it (the default), concurrent calls are gathered into shared batches.
Same rows, same threads, a fresh grader per mode (no cache carried over); the
scores must be identical. The 64 threads are started before the clock and take
the next sample from a shared iterator (a long-lived pool's workers).

Fairness between the modes: one untimed warm-up run of each first (lazy imports
and compiled patterns land in neither figure), a garbage collection before every
run, and the order alternates within the pairs (uncoalesced first in even
repeats, coalesced first in odd ones) so that a drift of the machine favours
neither. Each repeat gives a paired ratio (wall) and a CPU ratio (process CPU
per row, which another process's load on the machine disturbs less).

    python benchmarks/bench_coalesce.py [--rows 4096] [--threads 64] [--repeat 5] [--window-ms 2]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grpo_batch import make_batch  # noqa: E402

import graders  # noqa: E402
from graders.coalesce import DEFAULT_WINDOW_MS  # noqa: E402
from graders.integrations.verl import verl_compute_score  # noqa: E402

GRADER = {"name": "gsm8k-style", "grader": {"type": "gate", "otherwise": 0.0, "graders": {
    "format": {"type": "regex", "pattern": r"(?s)^\s*<think>.*</think>\s*<answer>.*</answer>\s*$"},
    "correct": {"type": "numeric", "reference": "{{ item.ground_truth }}",
                "extract": [{"type": "xml_tag", "tag": "answer"}, "auto"]}}}}


def run(coalesce: bool, samples: list[str], truths: list[str], threads: int,
        window_ms: float = DEFAULT_WINDOW_MS) -> tuple[float, list[float], dict]:
    fn = verl_compute_score(graders.from_dict(GRADER), coalesce=coalesce, window_ms=window_ms)
    n = len(samples)

    todo = iter(range(n))  # shared: each thread takes the next sample, as a pool's workers do
    # The trainer's pool is long-lived: start all its threads before the clock (both modes), so
    # the figure is per-sample calls, not thread creation (which the GIL stretches).
    started = threading.Barrier(threads + 1)

    def worker(t: int) -> list[tuple[int, float]]:
        out = []
        started.wait()
        for i in todo:  # one sample per call, as verl's reward loop does (next() is atomic under the GIL)
            r = fn(data_source="bench", solution_str=samples[i], ground_truth=truths[i], extra_info={"index": i})
            out.append((i, r["score"]))
        return out

    with ThreadPoolExecutor(threads) as pool:
        futs = [pool.submit(worker, t) for t in range(threads)]
        t0, c0 = time.perf_counter(), time.process_time()
        started.wait()
        parts = [f.result() for f in futs]
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    scores = [0.0] * n
    for part in parts:
        for i, s in part:
            scores[i] = s
    c = fn.state.scorer._coalescer
    stats = {"batches": c.batches, "rows": c.rows} if c is not None else {}
    stats["cpu_us_per_row"] = cpu / n * 1e6
    return dt, scores, stats


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--window-ms", type=float, default=DEFAULT_WINDOW_MS, help="the coalescer's window")
    args = ap.parse_args()
    b = make_batch(n_prompts=max(1, args.rows // 16), group_size=16)
    samples, truths = b.samples[: args.rows], [it["answer"] for it in b.items[: args.rows]]
    n = len(samples)
    print(f"# {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}; {n} rows, {args.threads} threads, one sample per call")
    warm = min(n, 512)
    for coalesce in (False, True):  # untimed: imports and lazily built state count in neither mode
        run(coalesce, samples[:warm], truths[:warm], args.threads, args.window_ms)
    best: dict[bool, float] = {}
    ref: list[float] | None = None
    pairs: list[float] = []
    cpu_pairs: list[float] = []
    for rep in range(args.repeat):
        pair: dict[bool, float] = {}
        cpu: dict[bool, float] = {}
        for coalesce in ((False, True) if rep % 2 == 0 else (True, False)):
            gc.collect()
            dt, scores, stats = run(coalesce, samples, truths, args.threads, args.window_ms)
            if ref is None:
                ref = scores
            assert scores == ref, "coalesced scores differ from per-call scores"
            best[coalesce] = min(best.get(coalesce, float("inf")), dt)
            pair[coalesce] = dt
            cpu[coalesce] = stats["cpu_us_per_row"]
            extra = f", {stats['cpu_us_per_row']:.0f} us CPU/row"
            if "batches" in stats:
                extra += f", {stats['batches']} batches (mean {stats['rows'] / stats['batches']:.1f} rows)"
            print(f"  repeat {rep}: coalesce={coalesce!s:5}  {n / dt:9.0f} rows/s{extra}")
        pairs.append(pair[False] / pair[True])
        cpu_pairs.append(cpu[False] / cpu[True])
    off, on = n / best[False], n / best[True]
    print(f"per-call (no coalescing): {off:.0f} rows/s; coalesced: {on:.0f} rows/s; ratio {on / off:.1f}x "
          f"(best of {args.repeat}); paired ratios {', '.join(f'{r:.1f}x' for r in pairs)} "
          f"(median {_median(pairs):.1f}x); CPU per row ratios {', '.join(f'{r:.1f}x' for r in cpu_pairs)} "
          f"(median {_median(cpu_pairs):.1f}x); scores identical; load {os.getloadavg()[0]:.2f}")


def _median(xs: list[float]) -> float:
    s = sorted(xs)
    k = len(s) // 2
    return s[k] if len(s) % 2 else (s[k - 1] + s[k]) / 2


if __name__ == "__main__":
    main()
