"""`graders test` on 10,000 labeled rows with a rule-based grader: wall time end to end.

Run:  .venv/bin/python benchmarks/bench_test_command.py [--rows 10000] [--repeat 3] [--check 5]

Each measurement is a fresh `python -m graders test ...` process (interpreter
start, imports, reading the JSONL, scoring in one batch, metrics, explaining
the shown disagreements, writing the reports), timed from outside. Variants:
the plain summary, + JUnit, + HTML (which also times rows one by one to find the
slowest), + the hack probes. The grader is the DESIGN.md GSM8K-style reward:
a format regex and a numeric check on the `<answer>` tag, combined by a formula.
With --check S the script exits 1 when a variant's median exceeds S seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRADER = """\
name: gsm8k-reward
grader:
  type: formula
  expression: "0.1 * format + 0.9 * format * correct"
  graders:
    format:
      type: regex
      pattern: "(?s)<think>.*</think>\\\\s*<answer>.*</answer>"
    correct:
      type: numeric
      reference: "{{ item.answer }}"
      extract: {type: xml_tag, tag: answer}
tests:
  thresholds: {agreement: 0.9, f1: 0.9}
"""


def make_rows(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        a, b = rng.randint(1, 999), rng.randint(1, 999)
        answer = a + b
        kind = rng.random()
        think = f"<think>{a} plus {b}: add the units, carry, then the tens and hundreds.</think>"
        if kind < 0.45:
            out, expected = f"{think}\n<answer>{answer}</answer>", "pass"
        elif kind < 0.75:
            out, expected = f"{think}\n<answer>{answer + rng.choice([-10, -1, 1, 2, 100])}</answer>", "fail"
        elif kind < 0.85:
            out, expected = f"The answer is {answer}.", 0.0  # no format: numeric label
        elif kind < 0.95:
            out, expected = f"{think}\n<answer>{answer}.0</answer>", 1.0
        else:  # deliberately mislabeled rows, so there are disagreements to explain
            out, expected = f"{think}\n<answer>{answer + 1}</answer>", "pass"
        rows.append({"item": {"question": f"What is {a} + {b}?", "answer": str(answer)},
                     "sample": {"output_text": out}, "expected": expected,
                     "tags": [rng.choice(["easy", "medium", "hard"])], "id": f"row-{i}"})
    return rows


def run_once(cmd: list[str]) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return time.perf_counter() - t0, proc.returncode, proc.stdout + proc.stderr


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--check", type=float, default=None, metavar="S", help="exit 1 if a median exceeds S seconds")
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "gsm8k.yaml").write_text(GRADER, encoding="utf-8")
        with open(d / "gsm8k.labeled.jsonl", "w", encoding="utf-8") as fh:
            for r in make_rows(args.rows):
                fh.write(json.dumps(r) + "\n")
        base = [sys.executable, "-m", "graders", "test", str(d / "gsm8k.yaml")]
        variants = {
            "summary": base,
            "+ junit": base + ["--junit", str(d / "r.xml")],
            "+ junit + html": base + ["--junit", str(d / "r.xml"), "--html", str(d / "r.html")],
            "+ probes": base + ["--probes"],
        }
        print(f"graders test on {args.rows:,} labeled rows (rule-based formula grader), "
              f"median of {args.repeat} fresh processes")
        worst = 0.0
        env_note = ""
        for name, cmd in variants.items():
            times = []
            rc = 0
            out = ""
            for _ in range(args.repeat):
                t, rc, out = run_once(cmd)
                times.append(t)
            if rc not in (0, 1):
                print(out[-3000:])
                print(f"{name}: graders test exited {rc}")
                return 2
            med = statistics.median(times)
            worst = max(worst, med)
            line = next((s for s in out.splitlines() if s.strip().startswith("scored in")), "").strip()
            print(f"  {name:<16} median {med:6.2f} s  (min {min(times):.2f}, max {max(times):.2f})  exit {rc}  [{line}]")
        sizes = {p.name: p.stat().st_size for p in d.iterdir() if p.suffix in (".xml", ".html")}
        if sizes:
            env_note = ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(sizes.items()))
            print(f"  reports: {env_note}")
        print(f"  (run from {root})")
        if args.check is not None and worst > args.check:
            print(f"FAILED: slowest median {worst:.2f} s > {args.check:g} s")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
