"""Ray Data: the GRPO benchmark batch scored through map_batches over 1 and 2 warm actors.

Same grader and batch as benchmarks/bench_coalesce.py (4,096 GRPO-shaped rows,
benchmarks/grpo_batch.py). Checks that the scores equal `score()` row for row
and reports rows/s for 1 and 2 actors, beside `score()` in this process. Each
pass is one `map_batches` over a fresh actor pool (Ray Data does not keep
actors between executions), so its time includes starting the actors,
compiling the grader in each and Ray Data's scheduling; within a pass each
actor keeps its grader warm across batches. "After the first batch" counts the
rows that arrive after the first scored batch over the time since it arrived
(actors started and warm). Local Ray instance, 2 CPUs.

    python benchmarks/bench_ray.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_coalesce import GRADER  # noqa: E402
from grpo_batch import make_batch  # noqa: E402

import graders  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=256)
    args = ap.parse_args()
    import ray

    from graders.integrations.ray import score_dataset

    b = make_batch()
    rows = [{"id": i, "sample": s, "item": {"ground_truth": it["answer"], "question": it["question"]}}
            for i, (s, it) in enumerate(zip(b.samples, b.items, strict=True))]
    n = len(rows)
    g = graders.from_dict(GRADER)
    t0 = time.perf_counter()
    want = g.score([r["sample"] for r in rows], [r["item"] for r in rows]).scores
    local = n / (time.perf_counter() - t0)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    print(f"# {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f}; ray {ray.__version__}; {n} rows (GRPO batch, 256 prompts x 16)")
    print(f"score() in-process, cold grader: {local:.0f} rows/s")
    for actors in (1, 2):
        best = 0.0
        best_steady = 0.0
        for rep in range(args.repeat):
            t0 = time.perf_counter()
            got_rows: list[dict] = []
            t_first = None
            first_rows = 0
            for batch in score_dataset(ray.data.from_items(rows), g, concurrency=actors,
                                       batch_size=args.batch_size).iter_batches(batch_size=None,
                                                                               batch_format="numpy"):
                if t_first is None:
                    t_first, first_rows = time.perf_counter(), len(batch["id"])
                got_rows.extend({"id": int(i), "score": float(x)} for i, x in zip(batch["id"], batch["score"],
                                                                                 strict=True))
            dt = time.perf_counter() - t0
            got = np.array([r["score"] for r in sorted(got_rows, key=lambda r: r["id"])])
            assert len(got_rows) == n and np.array_equal(got, want), "Ray scores differ from score()"
            streaming = (n - first_rows) / max(time.perf_counter() - t0 - (t_first - t0), 1e-9)
            best, best_steady = max(best, n / dt), max(best_steady, streaming)
            print(f"  {actors} actor(s), pass {rep}: {n / dt:.0f} rows/s end to end ({dt:.1f} s, first batch "
                  f"after {t_first - t0:.1f} s); {streaming:.0f} rows/s after the first batch; "
                  f"scores == score(): yes")
        print(f"{actors} actor(s): best {best:.0f} rows/s end to end, {best_steady:.0f} rows/s after the first batch; "
              f"load {os.getloadavg()[0]:.2f}")
    ray.shutdown()


if __name__ == "__main__":
    main()
