"""Engine throughput: a format-gate + numeric + fuzzy composite, compiled plan vs hand-written.

Two hand-written per-row functions, both what a practitioner writes in a
training loop, score the same GRPO-shaped batch (benchmarks/grpo_batch.py):

- `minimal`: one regex for the format, the last flat `\\boxed{...}` by regex,
  `float()`, rapidfuzz, 0.8/0.2 weights. It agrees with the grader on this
  batch but is a different reward in general: nested braces
  (`\\boxed{\\frac{1}{2}}`), several boxed answers, `1,000`, `$5` or `50%`
  break it.
- `same_reward`: the reward the grader defines, written plainly: brace-matched
  boxes, every boxed answer must agree, numbers with separators, currency,
  percent and fractions compared exactly. It is checked to agree with the
  grader on the batch and on `AGREEMENT_PROBES`, which the minimal one fails.

    python benchmarks/bench_engine.py [--repeat 5]

Reported: completions/s for graders with cold caches (a fresh grader per
repeat, so nothing is reused across batches), graders warm (the same batch
again: cross-batch cache hits), and the hand-written loop; and the ratio.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grpo_batch import make_batch  # noqa: E402

import graders  # noqa: E402

FORMAT = r"(?s)^\s*<think>.*</think>\s*<answer>.*</answer>\s*$"

GRADER = {
    "name": "bench-composite",
    "grader": {
        "type": "gate",
        "graders": {
            "format": {"type": "regex", "pattern": FORMAT},
            "reward": {
                "type": "weighted",
                "weights": {"correct": 0.8, "close": 0.2},
                "graders": {
                    "correct": {"type": "numeric", "reference": "{{ item.answer }}", "extract": "boxed",
                                "percent": "strip"},
                    "close": {"type": "fuzzy", "scorer": "ratio", "processor": "none",
                              "reference": "{{ item.answer }}", "extract": "boxed"},
                },
            },
        },
    },
}

_FORMAT_RE = re.compile(FORMAT)
_BOXED_RE = re.compile(r"\\boxed\{([^{}]*)\}")


def handwritten_reward(completion: str, answer: str) -> float:
    if not _FORMAT_RE.search(completion):
        return 0.0
    found = _BOXED_RE.findall(completion)
    if not found:
        return 0.0
    pred = found[-1].strip()
    try:
        correct = float(abs(float(pred.replace(",", "")) - float(answer)) <= 1e-9 * max(1.0, abs(float(answer))))
    except ValueError:
        correct = 0.0
    close = fuzz.ratio(pred, answer) / 100.0
    return 0.8 * correct + 0.2 * close


_NUM = re.compile(r"^[$€£]?\s*([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(%?)$")
_FRAC = re.compile(r"^([+-]?\d+)\s*/\s*(\d+)$|^\\[dt]?frac\{([+-]?\d+)\}\{(\d+)\}$")


def _all_boxed(text: str) -> list[str]:
    out, i = [], text.find("\\boxed")
    while i >= 0:
        j = i + len("\\boxed")
        if j < len(text) and text[j] == "{":
            depth, k = 0, j
            while k < len(text):
                if text[k] == "{":
                    depth += 1
                elif text[k] == "}":
                    depth -= 1
                    if depth == 0:
                        out.append(text[j + 1 : k].strip())
                        break
                k += 1
        i = text.find("\\boxed", j)
    return [b for b in out if b]


def _number(s: str) -> Fraction | None:
    m = _NUM.match(s.strip())
    if m:
        sign, whole, frac, pct = m.groups()
        v = Fraction(int(whole.replace(",", "") + (frac or "")), 10 ** len(frac or ""))
        return -v if sign == "-" else v
    m = _FRAC.match(s.strip())
    if m:
        p, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return Fraction(int(p), int(q)) if int(q) else None
    return None


def same_reward(completion: str, answer: str) -> float:
    if not _FORMAT_RE.search(completion):
        return 0.0
    boxes = list(dict.fromkeys(_all_boxed(completion)))
    if not boxes:
        return 0.0
    ref = _number(answer)
    worst = 1.0
    for pred in boxes:  # every distinct boxed answer must be right: the row gets the minimum
        v = _number(pred)
        correct = 1.0 if v is not None and ref is not None and v == ref else 0.0
        worst = min(worst, 0.8 * correct + 0.2 * fuzz.ratio(pred, answer) / 100.0)
    return worst


# Rows where the minimal function and the grader's reward part ways; `same_reward` must agree.
AGREEMENT_PROBES = [
    ("<think>x</think><answer>\\boxed{1,000}</answer>", "1000"),
    ("<think>x</think><answer>\\boxed{\\frac{1}{2}}</answer>", "1/2"),
    ("<think>x</think><answer>\\boxed{41} or \\boxed{42}</answer>", "42"),
    ("<think>x</think><answer>\\boxed{$42}</answer>", "42"),
    ("<think>x</think><answer>\\boxed{42} \\boxed{42}</answer>", "42"),
    ("no format \\boxed{42}", "42"),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    batch = make_batch()
    n = len(batch.samples)
    answers = [it["answer"] for it in batch.items]

    g = graders.from_dict(GRADER)
    probe = g.score([c for c, _ in AGREEMENT_PROBES], [{"answer": a} for _, a in AGREEMENT_PROBES]).scores
    probe_same = [same_reward(c, a) for c, a in AGREEMENT_PROBES]
    probe_min = [handwritten_reward(c, a) for c, a in AGREEMENT_PROBES]
    if not np.allclose(probe, probe_same):
        raise SystemExit(f"same_reward is not the grader's reward: {probe.tolist()} vs {probe_same}")

    times: dict[str, list[float]] = {"minimal": [], "same_reward": [], "cold": [], "warm": []}
    for _ in range(args.repeat):
        t = time.perf_counter()
        hand = [handwritten_reward(s, a) for s, a in zip(batch.samples, answers, strict=True)]
        times["minimal"].append(time.perf_counter() - t)
        t = time.perf_counter()
        same = [same_reward(s, a) for s, a in zip(batch.samples, answers, strict=True)]
        times["same_reward"].append(time.perf_counter() - t)

        g = graders.from_dict(GRADER)  # fresh: cold caches
        t = time.perf_counter()
        res = g.score(batch.samples, batch.items)
        times["cold"].append(time.perf_counter() - t)
        t = time.perf_counter()
        g.score(batch.samples, batch.items)
        times["warm"].append(time.perf_counter() - t)

    mismatch_min = int(np.sum(~np.isclose(res.scores, np.asarray(hand), atol=1e-9)))
    mismatch_same = int(np.sum(~np.isclose(res.scores, np.asarray(same), atol=1e-9)))
    med = {k: statistics.median(v) for k, v in times.items()}
    cpu = "unknown"
    if os.path.exists("/proc/cpuinfo"):
        cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), cpu)
    print(f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"batch: {n} completions (256 prompts x 16), mean {sum(map(len, batch.samples)) / n:.0f} chars; median of {args.repeat} runs")
    print(f"rows where graders disagrees with: minimal {mismatch_min}, same_reward {mismatch_same}; "
          f"probes where minimal disagrees: {int(np.sum(~np.isclose(probe, probe_min)))}/{len(probe)}")
    print(f"{'':34} {'seconds':>9} {'completions/s':>14}")
    for label, key in (("hand-written minimal", "minimal"), ("hand-written same_reward", "same_reward"),
                       ("graders, cold caches", "cold"), ("graders, warm (same batch again)", "warm")):
        print(f"{label:34} {med[key]:9.4f} {n / med[key]:14,.0f}")
    print(f"ratio graders cold vs same_reward: {med['same_reward'] / med['cold']:.2f}x; "
          f"vs minimal: {med['minimal'] / med['cold']:.2f}x")
    if mismatch_same:
        raise SystemExit("graders and same_reward disagree on the batch")


if __name__ == "__main__":
    main()
