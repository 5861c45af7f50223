"""The `math` kind with its DEFAULT config (no `extract:` line) vs math-verify, one process.

Issue 8, acceptance 3. Two batches from benchmarks/grpo_batch.py (256 prompts x
16 completions, 500-3,000 chars of reasoning, `<think>` + `<answer>` + a final
`\\boxed{}`):

- `math` mix: answers ~60% integers, ~30% fractions/surds, ~10% expressions,
  sets, intervals (the same as bench_math.py);
- `symbolic` mix: the same, with 10% of the pairs replaced by pairs that need
  symbolic work: expanded vs factored polynomials, surd forms
  (`\\sqrt{a^2 b}` vs `a\\sqrt{b}`, `\\frac{1}{\\sqrt b}` vs `\\frac{\\sqrt b}{b}`),
  trig identities (`2\\sin x\\cos x` vs `\\sin 2x`, `\\cos^2 x - \\sin^2 x` vs
  `\\cos 2x`), with fresh random coefficients.

graders: the worker pool is started and warmed on a first batch (another seed),
then each timed run uses a fresh grader (cold caches) on a batch of its own seed,
which no scorer has seen (median of `--runs`, default 7). The default config is
also timed against an explicit `extract: boxed` (issue 8 item 1: the default must
be as fast). math-verify: called the way TRL's accuracy reward calls it, gold in
`$...$`, one completion at a time, on `--mv-batches` (default 2) of the default
config's batches, spread over the runs (median). The runs are interleaved
(graders default, graders boxed, [math-verify], next seed, ...) so that every
scorer sees the same machine state on a shared machine. Each figure is given as wall time and as this
process's CPU time per row (`time.process_time`; sympy pool workers not counted:
they matter only for the symbolic mix); the ratios are math-verify's median over
graders' median, wall and CPU.

    python benchmarks/bench_math_default.py            # needs the [bench] extra
    python benchmarks/bench_math_default.py --prompts 64 --no-math-verify
    python benchmarks/bench_math_default.py --runs 11 --mv-batches 3 --mix math
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_math import math_verify_scorer  # noqa: E402
from grpo_batch import Batch, make_batch  # noqa: E402

import graders  # noqa: E402
from graders.result import ScoreResult  # noqa: E402

DEFAULT = {"name": "math-default", "grader": {"type": "math", "reference": "{{ item.answer }}"}}
BOXED = {"name": "math-boxed", "grader": {"type": "math", "reference": "{{ item.answer }}", "extract": "boxed"}}


def _symbolic_pair(rng: random.Random) -> tuple[str, str]:
    """(reference, an equivalent answer that needs symbolic work)."""
    a, b = rng.randint(2, 40), rng.randint(2, 40)
    k = rng.choice([2, 3, 5, 6, 7, 10, 11, 13])
    kind = rng.randrange(5)
    if kind == 0:
        return f"(x+{a})(x-{b})", f"x^2+{a - b}x-{a * b}".replace("+-", "-")
    if kind == 1:
        return f"{a}\\sqrt{{{k}}}", f"\\sqrt{{{a * a * k}}}"
    if kind == 2:
        return f"\\frac{{{a}}}{{\\sqrt{{{k}}}}}", f"\\frac{{{a}\\sqrt{{{k}}}}}{{{k}}}"
    if kind == 3:
        return f"{a}\\sin({b}x)", f"{2 * a}\\sin({b}x/2)\\cos({b}x/2)".replace(f"{b}x/2", f"\\frac{{{b}x}}{{2}}")
    return f"{a}\\cos({2 * b}x)", f"{a}(\\cos^2({b}x)-\\sin^2({b}x))"


def symbolic_mix(batch: Batch, share: float, seed: int) -> Batch:
    """`batch` with `share` of its prompts turned into symbolic pairs (whole groups, so
    a GRPO group keeps its shape: most completions equivalent, some wrong)."""
    rng = random.Random(seed)
    samples, items = list(batch.samples), list(batch.items)
    g = batch.group_size
    prompts = list(range(len(samples) // g))
    for p in rng.sample(prompts, round(share * len(prompts))):
        ref, good = _symbolic_pair(rng)
        wrong = _symbolic_pair(rng)[1]
        item = {"question": f"Symbolic problem {p}", "answer": ref}
        for i in range(p * g, (p + 1) * g):
            ans = good if rng.random() < 0.7 else wrong
            head = samples[i][: samples[i].rfind("\\boxed{")]
            samples[i] = head + f"\\boxed{{{ans}}}.</answer>"
            items[i] = item
    return Batch(samples, items, g)


def time_graders(spec: dict, batch: Batch) -> tuple[float, float, ScoreResult]:
    """(wall s, CPU s) of one fresh grader on `batch`: the batch is unseen (its pairs are in
    no cache, the pool's verdict cache included) and the parse cache starts cold."""
    from graders.mathparse import check

    check._CACHE.data.clear()  # the process-wide parse cache: cold means cold
    g = graders.from_dict(spec)
    t, c = time.perf_counter(), time.process_time()
    r = g.score(batch.samples, batch.items)
    return time.perf_counter() - t, time.process_time() - c, r


def time_math_verify(mv: Callable[[str, str], float], batch: Batch) -> tuple[float, float, list[float]]:
    t, c = time.perf_counter(), time.process_time()
    scores = [mv(s, it["answer"]) for s, it in zip(batch.samples, batch.items, strict=True)]
    return time.perf_counter() - t, time.process_time() - c, scores


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--prompts", type=int, default=256)
    ap.add_argument("--runs", type=int, default=7, help="timed batches per graders config (median)")
    ap.add_argument("--mv-batches", type=int, default=2, help="batches math-verify scores (median)")
    ap.add_argument("--mix", nargs="+", choices=("math", "symbolic"), default=["math", "symbolic"])
    ap.add_argument("--share", type=float, default=0.10, help="share of symbolic pairs in the second mix")
    ap.add_argument("--no-math-verify", action="store_true")
    args = ap.parse_args()

    # warm the worker pool on a batch the timed runs never see
    warm = make_batch(n_prompts=32, mix="math", seed=99)
    t = time.perf_counter()
    graders.from_dict(DEFAULT).score(warm.samples, warm.items)
    graders.from_dict(DEFAULT).score(*_pair(symbolic_mix(warm, 0.5, seed=98)))
    warm_s = time.perf_counter() - t

    def plain(seed: int) -> Batch:
        return make_batch(n_prompts=args.prompts, mix="math", seed=seed)

    def symbolic(seed: int) -> Batch:
        return symbolic_mix(plain(seed), args.share, seed=seed + 1)

    cpu = "unknown"
    if os.path.exists("/proc/cpuinfo"):
        cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), cpu)
    print(f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load before: {os.getloadavg()[0]:.1f}; {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC; "
          f"median of {args.runs} graders runs, {0 if args.no_math_verify else args.mv_batches} math-verify batches")
    print(f"pool start + warm-up (not timed below): {warm_s:.2f} s")
    print(f"{'batch':10} {'scorer':28} {'wall s':>7} {'rows/s':>9} {'cpu us/row':>10} "
          f"{'x wall':>7} {'x cpu':>7}  {'credited':>8}")
    mixes = {"math": ("math", plain), "symbolic": (f"symb {args.share:.0%}", symbolic)}
    mv = None if args.no_math_verify else math_verify_scorer()
    for name, make in (mixes[m] for m in args.mix):
        # distinct seeds: every timed batch is one its scorer has never seen
        default_batches = [make(1000 + 10 * r) for r in range(args.runs)]
        boxed_batches = [make(2000 + 10 * r) for r in range(args.runs)]
        n = len(default_batches[0].samples)
        runs: dict[str, list[tuple[float, float]]] = {"default": [], "boxed": [], "mv": []}
        first: dict[str, ScoreResult] = {}
        mv_scores: list[float] = []
        mv_rounds = {round(i * args.runs / args.mv_batches) for i in range(min(args.mv_batches, args.runs))}
        for r in range(args.runs):  # interleaved: every scorer sees the same machine state
            for label, spec, batches in (("default", DEFAULT, default_batches), ("boxed", BOXED, boxed_batches)):
                w, c, res = time_graders(spec, batches[r])
                runs[label].append((w, c))
                first.setdefault(label, res)
            if mv is not None and r in mv_rounds:
                w, c, sc = time_math_verify(mv, default_batches[r])
                runs["mv"].append((w, c))
                mv_scores = mv_scores or sc
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items() if v}
        for key, label in (("default", "graders default (no extract)"), ("boxed", "graders extract: boxed")):
            w, c = med[key]
            rw, rc = (med["mv"][0] / w, med["mv"][1] / c) if "mv" in med else (float("nan"), float("nan"))
            print(f"{name:10} {label:28} {w:7.3f} {n / w:9,.0f} {c / n * 1e6:10.1f} {rw:6.0f}x {rc:6.0f}x  "
                  f"{np.mean(first[key].scores == 1.0):8.1%}")
        if "mv" in med:
            w, c = med["mv"]
            print(f"{name:10} {'math-verify (1 process)':28} {w:7.3f} {n / w:9,.0f} {c / n * 1e6:10.1f} "
                  f"{'1':>6}x {'1':>6}x  {np.mean(mv_scores):8.1%}")
            agree = float(np.mean(np.asarray(mv_scores) == (first["default"].scores == 1.0)))
            print(f"{name:10} verdicts equal to math-verify on {agree:.1%} of rows (its first batch); "
                  f"graders errors: {first['default'].n_error}")
        spread = ", ".join(f"{n / w:,.0f}" for w, _ in runs["default"])
        print(f"{name:10} graders default, every run (rows/s, wall): {spread}")
        if runs["mv"]:
            print(f"{name:10} math-verify, every run (rows/s, wall): " + ", ".join(f"{n / w:,.0f}" for w, _ in runs["mv"]))
    print(f"load after: {os.getloadavg()[0]:.1f}")


def _pair(batch: Batch) -> tuple[list[str], list[dict[str, str]]]:
    return batch.samples, batch.items


if __name__ == "__main__":
    main()
