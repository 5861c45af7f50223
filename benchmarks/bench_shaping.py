"""Shaping cost: the R1-style reward with and without its shaping kinds, on the GRPO batch.

`examples/r1_shaped.yaml` is a format gate, then `correct + overlong + repetition`
(`math` correctness, DAPO's soft overlong punishment in words, the word-trigram
repetition penalty). The baseline is the same file with the two shaping
children removed (`expression: correct`). Both score the same GRPO-shaped batch
(benchmarks/grpo_batch.py: 256 prompts x 16 completions of 500-3,000
characters), each run with a freshly compiled grader (no cross-batch cache),
alternating which goes first. Acceptance (issue 10): shaped throughput at
least 50% of the baseline's.

    python benchmarks/bench_shaping.py [--repeat 7] [--simple-format] [--tokens] [--mix math]

`--simple-format` swaps the strict format regex (one think block, one answer
block: a tempered-dot pattern that costs ~0.3 s on this batch) for the plain
`<think>.*</think>\\s*<answer>.*</answer>` one, making the baseline cheaper and
the ratio stricter. `--tokens` measures as TRL calls it: every sample carries
`completion_ids` (made before timing: one id per word piece of a whitespace and
punctuation split, so ~1.3x the word count) and both penalties use
`unit: tokens` (baseline and shaped both get the same sample dicts). `--mix math`
uses the math answer mix of bench_math.py. Also printed: the shaping nodes alone.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from grpo_batch import make_batch  # noqa: E402

import graders  # noqa: E402

SIMPLE_FORMAT = r"(?s)^\s*<think>.*</think>\s*<answer>.*</answer>\s*$"


def trees(simple_format: bool, tokens: bool) -> tuple[dict, dict, dict]:
    shaped = yaml.safe_load((ROOT / "examples" / "r1_shaped.yaml").read_text())
    shaped.pop("tests", None)
    if simple_format:
        shaped["grader"]["graders"]["format"]["pattern"] = SIMPLE_FORMAT
    if tokens:
        for key in ("overlong", "repetition"):
            shaped["grader"]["graders"]["reward"]["graders"][key]["unit"] = "tokens"
    base = copy.deepcopy(shaped)
    reward = base["grader"]["graders"]["reward"]
    reward["expression"] = "correct"
    reward["graders"] = {"correct": reward["graders"]["correct"]}
    kids = shaped["grader"]["graders"]["reward"]["graders"]
    alone = {"grader": {"type": "formula", "expression": "overlong + repetition",
                        "graders": {"overlong": kids["overlong"], "repetition": kids["repetition"]}}}
    return base, shaped, alone


_PIECE = re.compile(r"\w+|[^\w\s]")


def with_ids(samples: list[str]) -> list[dict]:
    """TRL-like samples: the text plus token ids (a deterministic stand-in for a tokenizer)."""
    vocab: dict[str, int] = {}
    return [{"output_text": t, "completion_ids": [vocab.setdefault(p, len(vocab)) for p in _PIECE.findall(t)]}
            for t in samples]


def timed(tree: dict, samples: list, items: list[dict]) -> tuple[float, object]:
    g = graders.from_dict(tree)  # fresh: nothing cached across batches
    t0 = time.perf_counter()
    res = g.score(samples, items)
    return time.perf_counter() - t0, res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--simple-format", action="store_true")
    ap.add_argument("--tokens", action="store_true")
    ap.add_argument("--mix", choices=["integers", "math"], default="integers")
    args = ap.parse_args()
    batch = make_batch(mix=args.mix)
    n = len(batch.samples)
    samples = with_ids(batch.samples) if args.tokens else batch.samples
    base, shaped, alone = trees(args.simple_format, args.tokens)
    timed(base, samples, batch.items)  # warm-up: imports, worker pool, process-wide parse caches
    timed(shaped, samples, batch.items)
    tb, ts, ta = [], [], []
    for r in range(args.repeat):
        order = [("b", base), ("s", shaped)] if r % 2 == 0 else [("s", shaped), ("b", base)]
        for tag, tree in order:
            t, res = timed(tree, samples, batch.items)
            (tb if tag == "b" else ts).append(t)
        ta.append(timed(alone, samples, batch.items)[0])
    _, res = timed(shaped, samples, batch.items)
    mb, ms, ma = statistics.median(tb), statistics.median(ts), statistics.median(ta)
    print(f"batch: {n} completions ({len(batch.samples) // batch.group_size} prompts x {batch.group_size}), "
          f"mean {sum(map(len, batch.samples)) / n:.0f} chars, answers: {args.mix}; format regex: "
          f"{'simple' if args.simple_format else 'strict (example file)'}; units: {'tokens (completion_ids)' if args.tokens else 'words'}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'':<42}{'median s':>10}{'completions/s':>16}")
    print(f"{'baseline: gate(format) -> correct':<42}{mb:>10.4f}{n / mb:>16,.0f}")
    print(f"{'shaped: gate -> correct+overlong+repetition':<42}{ms:>10.4f}{n / ms:>16,.0f}")
    print(f"{'shaping nodes alone (overlong+repetition)':<42}{ma:>10.4f}{n / ma:>16,.0f}")
    ratio = mb / ms
    print(f"shaped speed / baseline speed: {ratio:.2f} (acceptance: >= 0.50)  runs: base {[round(x, 3) for x in tb]}, "
          f"shaped {[round(x, 3) for x in ts]}")
    comp = res.components
    print(f"mean components on the batch: overlong {comp['reward.overlong'][~(comp['reward.overlong'] != comp['reward.overlong'])].mean():.4f}, "
          f"repetition {comp['reward.repetition'][~(comp['reward.repetition'] != comp['reward.repetition'])].mean():.4f}")


if __name__ == "__main__":
    main()
