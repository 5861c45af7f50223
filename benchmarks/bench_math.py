"""Answer-equivalence throughput: graders' `math` kind vs math-verify, one run, same batch.

The batch is benchmarks/grpo_batch.py with `mix="math"` (256 prompts x 16
completions, 500-3,000 chars of reasoning, answers ~60% integers, ~30%
fractions/LaTeX, ~10% expressions, sets or intervals; fixed seed).

- graders: `score()` on the whole batch with a fresh grader (cold caches); the
  worker pool is started once per process, as in a trainer, and its start-up is
  reported separately ("first call").
- math-verify: single process, the way TRL's accuracy reward calls it:
  `verify(parse(gold), parse(completion, LatexExtractionConfig(boxed first)))`,
  gold wrapped in `$...$` (math-verify mis-parses raw LaTeX golds otherwise).
- Slowest 1%: per-item latency, each item scored alone (graders: cache off).

    python benchmarks/bench_math.py              # needs the [bench] extra (math-verify)
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grpo_batch import make_batch  # noqa: E402

import graders  # noqa: E402
from graders.plan import OptFlags  # noqa: E402

GRADER = {"name": "bench-math", "grader": {"type": "math", "reference": "{{ item.answer }}", "extract": "boxed"}}


def math_verify_scorer():  # noqa: ANN201
    import logging

    logging.disable(logging.CRITICAL)
    from latex2sympy2_extended import NormalizationConfig
    from math_verify import LatexExtractionConfig, parse, verify

    cfg = [LatexExtractionConfig(
        normalization_config=NormalizationConfig(nits=False, malformed_operators=False, basic_latex=True,
                                                 equations=True, boxed="all", units=True),
        boxed_match_priority=0, try_extract_without_anchor=False)]

    def score(completion: str, reference: str) -> float:
        try:
            gold = parse("$" + reference + "$", extraction_mode="first_match")
            answer = parse(completion, extraction_config=cfg, extraction_mode="first_match")
            return float(bool(gold) and verify(gold, answer))
        except Exception:
            return 0.0

    return score


def pct(xs: list[float], q: float) -> float:
    return float(np.quantile(np.asarray(xs), q))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--prompts", type=int, default=256)
    ap.add_argument("--latency-sample", type=int, default=1024, help="items timed one by one for the tail latency")
    args = ap.parse_args()
    batch = make_batch(n_prompts=args.prompts, mix="math")
    n = len(batch.samples)
    refs = [it["answer"] for it in batch.items]

    # graders: first call (starts the worker pool), then cold-cache runs with a fresh grader each.
    t = time.perf_counter()
    graders.from_dict(GRADER).score(batch.samples, batch.items)
    first_call = time.perf_counter() - t
    from graders.mathparse import check

    runs = []
    for _ in range(3):
        check._CACHE.data.clear()  # the process-wide parse cache: cold means cold
        g = graders.from_dict(GRADER)
        t = time.perf_counter()
        res = g.score(batch.samples, batch.items)
        runs.append(time.perf_counter() - t)
    g_s = statistics.median(runs)

    rng = np.random.default_rng(0)
    sample_idx = sorted(rng.choice(n, size=min(args.latency_sample, n), replace=False).tolist())
    g_lat = []
    g1 = graders.from_dict(GRADER, opt=OptFlags(cache=False))
    for i in sample_idx:
        check._CACHE.data.clear()
        t = time.perf_counter()
        g1.score([batch.samples[i]], [batch.items[i]])
        g_lat.append(time.perf_counter() - t)

    mv = math_verify_scorer()
    mv_scores, mv_lat = [], []
    t0 = time.perf_counter()
    for s, r in zip(batch.samples, refs, strict=True):
        t = time.perf_counter()
        mv_scores.append(mv(s, r))
        mv_lat.append(time.perf_counter() - t)
    mv_s = time.perf_counter() - t0

    agree = float(np.mean(np.asarray(mv_scores) == (res.scores == 1.0)))
    cpu = "unknown"
    if os.path.exists("/proc/cpuinfo"):
        cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), cpu)
    print(f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"batch: {n} completions, answers ~60% integers / 30% fractions, LaTeX / 10% expressions, sets, intervals")
    print(f"graders first call (starts worker pool): {first_call:.3f} s")
    print(f"{'':26} {'seconds':>8} {'completions/s':>14} {'p50 item':>10} {'p99 item':>10} {'max item':>10}")
    print(f"{'graders math, cold cache':26} {g_s:8.3f} {n / g_s:14,.0f} {pct(g_lat, .5) * 1e3:8.2f}ms "
          f"{pct(g_lat, .99) * 1e3:8.2f}ms {max(g_lat) * 1e3:8.2f}ms")
    print(f"{'math-verify, 1 process':26} {mv_s:8.3f} {n / mv_s:14,.0f} {pct(mv_lat, .5) * 1e3:8.2f}ms "
          f"{pct(mv_lat, .99) * 1e3:8.2f}ms {max(mv_lat) * 1e3:8.2f}ms")
    print(f"throughput ratio graders / math-verify: {mv_s / g_s:.0f}x")
    print(f"verdicts equal on {agree:.1%} of rows; graders scored 1.0 on {float(np.mean(res.scores == 1.0)):.1%}, "
          f"math-verify on {float(np.mean(mv_scores)):.1%}; graders errors: {res.n_error}")


if __name__ == "__main__":
    main()
