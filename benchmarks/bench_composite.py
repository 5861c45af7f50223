"""The issue-9 composite (format regex + numeric + fuzzy in one formula), compiled vs hand-written.

    python benchmarks/bench_composite.py [--batches 8] [--repeat 3]

The grader is the composite from issue 9, on GRPO-shaped batches
(benchmarks/grpo_batch.py: 256 prompts x 16 completions, 500-3,000 chars).
Cold: every timed batch is one the grader has not seen (a new seed per batch),
so its cross-batch cache never hits; the grader itself is loaded once, as in a
training run. The peer is the same reward hand-written per row in plain
Python (three `in` tests, the last number by regex, the last flat `\\boxed{}`,
rapidfuzz): it is a simpler reward (no brace matching, no `1,000`, no
fractions), so it is the floor a practitioner's loop sets, not an equal.

Reported: rows/s for each (median over batches x repeats), the ratio, the
machine load (`os.getloadavg`), and CPU time per batch (`time.process_time`),
the steadier figure when other jobs share the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grpo_batch import make_batch  # noqa: E402

import graders  # noqa: E402

COMPOSITE = {
    "name": "issue9-composite",
    "grader": {
        "type": "formula",
        "expression": "0.2 * fmt + 0.6 * num + 0.2 * fz",
        "graders": {
            "fmt": {"type": "regex", "pattern": r"\\boxed\{|####|answer is", "mode": "search"},
            "num": {"type": "numeric", "reference": "{{ item.answer }}", "extract": "last_number",
                    "tolerance": {"rel": 1.0e-9}},
            "fz": {"type": "fuzzy", "reference": "{{ item.answer }}", "extract": "boxed", "scorer": "ratio"},
        },
    },
}

_NUM = re.compile(r"-?\d+(?:\.\d+)?")
_BOXED = re.compile(r"\\boxed\{([^{}]*)\}")


def handwritten(text: str, gold: str) -> float:
    fmt = 1.0 if ("\\boxed{" in text or "####" in text or "answer is" in text) else 0.0
    nums = _NUM.findall(text)
    num = 0.0
    if nums:
        g = float(gold)
        num = float(abs(float(nums[-1]) - g) <= 1e-9 * max(abs(g), 1e-300))
    boxed = _BOXED.findall(text)
    fz = fuzz.ratio(boxed[-1].lower(), gold.lower()) / 100.0 if boxed else 0.0
    return 0.2 * fmt + 0.6 * num + 0.2 * fz


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    g = graders.from_dict(COMPOSITE)
    g.score(["warm-up \\boxed{1}"], [{"answer": "1"}])
    batches = [make_batch(seed=1000 + i) for i in range(args.batches * args.repeat)]
    n = len(batches[0].samples)
    load0 = os.getloadavg()
    t_graders: list[float] = []
    t_hand: list[float] = []
    c_graders: list[float] = []  # process CPU time: steadier than wall time on a loaded machine
    c_hand: list[float] = []
    agree = 0
    for b in batches:  # interleaved, so load changes hit both alike
        answers = [it["answer"] for it in b.items]
        t, c = time.perf_counter(), time.process_time()
        hand = [handwritten(s, a) for s, a in zip(b.samples, answers, strict=True)]
        t_hand.append(time.perf_counter() - t)
        c_hand.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        res = g.score(b.samples, b.items)
        t_graders.append(time.perf_counter() - t)
        c_graders.append(time.process_time() - c)
        agree += sum(abs(x - y) < 1e-9 for x, y in zip(res.scores.tolist(), hand, strict=True))
    load1 = os.getloadavg()
    tg, th = statistics.median(t_graders), statistics.median(t_hand)
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus; load avg before {load0[0]:.2f}, after {load1[0]:.2f}")
    print(f"batch: {n} rows (256 prompts x 16), {len(batches)} distinct batches (cold), median")
    print(f"graders (compiled plan): {n / tg:>10,.0f} rows/s  ({tg * 1000:.1f} ms/batch; best {n / min(t_graders):,.0f})")
    print(f"hand-written loop:       {n / th:>10,.0f} rows/s  ({th * 1000:.1f} ms/batch)")
    print(f"ratio graders / hand-written: {th / tg:.2f}x")
    cg, ch = statistics.median(c_graders), statistics.median(c_hand)
    print(f"CPU time per batch: graders {cg * 1000:.1f} ms ({n / cg:,.0f} rows/s; best {n / min(c_graders):,.0f}), "
          f"hand-written {ch * 1000:.1f} ms ({n / ch:,.0f} rows/s)")
    print(f"rows where the two rewards agree: {agree}/{n * len(batches)}")


if __name__ == "__main__":
    main()
