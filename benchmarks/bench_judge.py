"""LLM-judge batching benchmark against the local OpenAI-compatible server.

    python benchmarks/bench_judge.py                  # all scenarios, table on stdout
    python benchmarks/bench_judge.py --json out.json  # also write the figures
    python benchmarks/bench_judge.py --only throughput --transport httpx   # the openai default transport

The server (`graders.judge.fake_server`) runs as a separate process on
127.0.0.1 and answers every request after `--latency` seconds (default 50 ms),
so the ideal time of a batch is rows / concurrency * latency. Scenarios:

1. throughput: 4,096 distinct judge rows at concurrency 64 (ideal 3.2 s);
   the acceptance bar is 1.25x the ideal. Median of `--repeat` runs, cache off.
2. rerun: the same batch again with the disk cache on (first run fills it):
   the second run sends nothing.
3. dedupe: GRPO-style groups (16 samples per prompt, 4 distinct answers each):
   each distinct request is sent once.
4. gate: `examples/judge_explanation.yaml` (math correctness gate in front of
   a rubric judge) on 1,024 rows; rows that fail the gate send no call
   (checked with the server's own counters).
5. faults: 2,000 rows with 10% 429, 5% 500 and 5% replies slower than the
   request timeout: every row scored or carrying a specific error.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import graders  # noqa: E402
from graders.judge import configure_judges, reset_judges  # noqa: E402


def start_server(*extra: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "graders.judge.fake_server", "--port", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    url = proc.stdout.readline().strip()  # type: ignore[union-attr]
    if not url.startswith("http://"):
        proc.kill()
        raise RuntimeError("the fake server did not start")
    return proc, url


def server_stats(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url + "/_stats", timeout=10) as resp:  # noqa: S310 (127.0.0.1 only)
        return json.loads(resp.read())


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def judge_node(concurrency: int, **kw: Any) -> dict[str, Any]:
    node = {
        "type": "score_model",
        "model": "gpt-4.1-mini-2025-04-14",
        "range": [0, 10],
        "concurrency": concurrency,
        "timeout": 30,
        "input": [
            {"role": "developer", "content": "Score 0-10 how well the answer explains its reasoning. "
                                             "Reward justified steps; padding earns nothing."},
            {"role": "user", "content": "Question: {{ item.question }}\nAnswer: {{ sample.output_text }}"},
        ],
    }
    node.update(kw)
    return node


def rows(n: int, distinct: int | None = None) -> tuple[list[str], list[dict[str, str]]]:
    distinct = distinct or n
    samples = [f"Answer {i % distinct}: first add the parts, because the total is their sum, so it is {i % distinct}."
               for i in range(n)]
    items = [{"question": f"Question {i % distinct}"} for i in range(n)]
    return samples, items


def bench_throughput(url: str, n: int, conc: int, latency: float, repeat: int) -> dict[str, Any]:
    configure_judges(base_url=url, cache=False)
    g = graders.from_dict({"grader": judge_node(conc)})
    g.score(*rows(conc))  # warm up: imports, connections
    samples, items = rows(n)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = g.score(samples, items)
        times.append(time.perf_counter() - t)
        assert r.n_scored == n, r.counters
    ideal = n / conc * latency
    med = statistics.median(times)
    return {"rows": n, "concurrency": conc, "latency_s": latency, "ideal_s": ideal, "median_s": med,
            "min_s": min(times), "runs_s": times, "ratio": med / ideal, "target_ratio": 1.25,
            "ok": med / ideal <= 1.25, "rows_per_s": n / med}


def bench_rerun(url: str, n: int, conc: int, cache_dir: str) -> dict[str, Any]:
    reset_judges()
    configure_judges(base_url=url, cache_dir=cache_dir)
    g = graders.from_dict({"grader": judge_node(conc)})
    samples, items = rows(n)
    before = server_stats(url)["attempts"]
    t = time.perf_counter()
    g.score(samples, items)
    first = time.perf_counter() - t
    mid = server_stats(url)["attempts"]
    t = time.perf_counter()
    r = g.score(samples, items)
    second = time.perf_counter() - t
    after = server_stats(url)["attempts"]
    return {"rows": n, "first_s": first, "rerun_s": second, "calls_first": mid - before,
            "calls_rerun": after - mid, "cache_hits": r.counters.get("judge_cache_hits", 0),
            "ok": after == mid and r.n_scored == n}


def bench_dedupe(url: str, conc: int, latency: float) -> dict[str, Any]:
    reset_judges()
    configure_judges(base_url=url, cache=False)
    g = graders.from_dict({"grader": judge_node(conc)})
    prompts, per_prompt, distinct_answers = 256, 16, 4
    samples, items = [], []
    for p in range(prompts):
        for k in range(per_prompt):
            samples.append(f"Answer {k % distinct_answers} to {p}: because so.")
            items.append({"question": f"Question {p}"})
    before = server_stats(url)["attempts"]
    t = time.perf_counter()
    r = g.score(samples, items)
    dt = time.perf_counter() - t
    calls = server_stats(url)["attempts"] - before
    distinct = prompts * distinct_answers
    return {"rows": len(samples), "distinct": distinct, "calls": calls, "seconds": dt,
            "ideal_s": distinct / conc * latency, "deduped": r.counters.get("judge_deduped", 0),
            "ok": calls == distinct}


def bench_gate(url: str, copies: int) -> dict[str, Any]:
    reset_judges()
    configure_judges(base_url=url, cache=False)
    g = graders.load(ROOT / "examples" / "judge_explanation.yaml")
    base = [json.loads(line) for line in (ROOT / "examples" / "judge_explanation.rows.jsonl").read_text().splitlines()]
    samples, items = [], []
    for c in range(copies):
        for row in base:
            samples.append(row["sample"]["output_text"] + f" (copy {c})")
            items.append(row["item"])
    before = server_stats(url)["attempts"]
    t = time.perf_counter()
    r = g.score(samples, items)
    dt = time.perf_counter() - t
    calls = server_stats(url)["attempts"] - before
    gated = r.counters.get("rows_gated", 0)
    judged = r.counters.get("judge_rows", 0)
    return {"rows": len(samples), "gated_rows": gated, "judged_rows": judged, "calls": calls,
            "calls_for_gated_rows": calls - judged, "skipped_counter": r.counters.get("judge_rows_skipped", 0),
            "seconds": dt, "ok": calls == judged and judged + gated == len(samples)}


def bench_faults(n: int, conc: int) -> dict[str, Any]:
    proc, url = start_server("--latency", "0.01", "--rate-429", "0.10", "--rate-500", "0.05", "--rate-slow", "0.05",
                             "--slow-s", "2.0", "--retry-after", "0.05", "--seed", "7")
    try:
        reset_judges()
        configure_judges(base_url=url, cache=False)
        g = graders.from_dict({"grader": judge_node(conc, timeout=0.5, max_retries=4, retry_backoff=0.05)})
        samples, items = rows(n)
        t = time.perf_counter()
        r = g.score(samples, items)
        dt = time.perf_counter() - t
        kinds: dict[str, int] = {}
        for errs in r.errors:
            for e in errs:
                kinds[e.kind] = kinds.get(e.kind, 0) + 1
        accounted = r.n_scored + sum(1 for errs in r.errors if errs)
        c = r.counters
        return {"rows": n, "seconds": dt, "scored": r.n_scored, "errors": kinds, "calls": c.get("judge_calls", 0),
                "retries": c.get("judge_retries", 0), "http_429": c.get("judge_http_429", 0),
                "http_5xx": c.get("judge_http_5xx", 0), "attempt_timeouts": c.get("judge_attempt_timeouts", 0),
                "ok": accounted == n and len(r) == n}
    finally:
        stop(proc)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=4096)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--latency", type=float, default=0.05)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--only", choices=["throughput", "rerun", "dedupe", "gate", "faults"], action="append")
    p.add_argument("--transport", choices=["auto", "httpx"], default="auto",
                   help="httpx: the openai client's default transport instead of the lean one (for comparison)")
    p.add_argument("--json", help="write the figures to this file")
    a = p.parse_args()
    os.environ["GRADERS_JUDGE_TRANSPORT"] = a.transport
    only = set(a.only or ["throughput", "rerun", "dedupe", "gate", "faults"])
    out: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
                           "transport": a.transport}
    proc, url = start_server("--latency", str(a.latency))
    try:
        with tempfile.TemporaryDirectory() as cache_dir:
            if "throughput" in only:
                out["throughput"] = bench_throughput(url, a.rows, a.concurrency, a.latency, a.repeat)
            if "rerun" in only:
                out["rerun"] = bench_rerun(url, a.rows, a.concurrency, cache_dir)
            if "dedupe" in only:
                out["dedupe"] = bench_dedupe(url, a.concurrency, a.latency)
            if "gate" in only:
                out["gate"] = bench_gate(url, 32)
    finally:
        stop(proc)
    if "faults" in only:
        out["faults"] = bench_faults(2000, a.concurrency)
    reset_judges()

    print(f"judge benchmark (cpus={out['machine']['cpus']}, latency {a.latency * 1000:.0f} ms per reply, "
          f"transport {a.transport})")
    if "throughput" in out:
        t = out["throughput"]
        print(f"  throughput  {t['rows']} rows @ concurrency {t['concurrency']}: median {t['median_s']:.3f}s "
              f"(min {t['min_s']:.3f}s) vs ideal {t['ideal_s']:.3f}s = {t['ratio']:.3f}x "
              f"(target <= {t['target_ratio']}x) {'OK' if t['ok'] else 'FAIL'}; {t['rows_per_s']:,.0f} rows/s")
    if "rerun" in out:
        r = out["rerun"]
        print(f"  rerun       first {r['first_s']:.3f}s ({r['calls_first']} calls), cached rerun {r['rerun_s']:.3f}s "
              f"({r['calls_rerun']} calls, {r['cache_hits']} cache hits) {'OK' if r['ok'] else 'FAIL'}")
    if "dedupe" in out:
        d = out["dedupe"]
        print(f"  dedupe      {d['rows']} rows, {d['distinct']} distinct: {d['calls']} calls in {d['seconds']:.3f}s "
              f"(ideal {d['ideal_s']:.3f}s) {'OK' if d['ok'] else 'FAIL'}")
    if "gate" in out:
        gt = out["gate"]
        print(f"  gate        {gt['rows']} rows: {gt['gated_rows']} gated, {gt['judged_rows']} judged, "
              f"{gt['calls']} calls ({gt['calls_for_gated_rows']} for gated rows) in {gt['seconds']:.3f}s "
              f"{'OK' if gt['ok'] else 'FAIL'}")
    if "faults" in out:
        f = out["faults"]
        print(f"  faults      {f['rows']} rows in {f['seconds']:.3f}s: scored {f['scored']}, errors {f['errors']}, "
              f"{f['calls']} calls ({f['http_429']} x 429, {f['http_5xx']} x 5xx, {f['attempt_timeouts']} timeouts, "
              f"{f['retries']} retries) {'OK' if f['ok'] else 'FAIL'}")
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0 if all(v.get("ok", True) for v in out.values() if isinstance(v, dict)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
