"""The reward server under load: 32 concurrent clients, 10,000 rows, checked by content.

Starts `graders serve` (uvicorn, one process) on 127.0.0.1 and runs 32 client
threads on keep-alive connections, each posting OpenRLHF-style `/get_reward`
requests (one sample per request by default, as OpenRLHF 0.11's executor
does). Row i asks about the number i and answers it right unless i % 3 == 0,
with an EOS token after the answer; each reply must carry exactly the reward
and components of its own row (a lost, duplicated or mixed-up row fails the
run). Reports request latency p50/p99 and rows/s.

    python benchmarks/bench_serve.py [--rows 10000] [--clients 32] [--rows-per-request 1]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GRADER = """
name: tagged
grader:
  type: gate
  otherwise: 0.0
  graders:
    format: {type: regex, pattern: "(?s)^<think>.*</think>\\\\s*<answer>.*</answer>\\\\s*$"}
    correct: {type: numeric, reference: "{{ item.label }}", extract: [{type: xml_tag, tag: answer}, auto]}
"""
PROMPT = "<|im_start|>user\nWhat is {i} + 0? Think, then answer.<|im_end|>\n<|im_start|>assistant\n"


def row(i: int) -> tuple[str, str, str, float, float]:
    """(query, prompt, label, expected reward, expected format)."""
    prompt = PROMPT.format(i=i)
    if i % 7 == 0:  # no format: the gate stops it
        return prompt + f"The answer is {i}.<|im_end|>", prompt, str(i), 0.0, 0.0
    ans = i if i % 3 else i + 1
    return prompt + f"<think>{i} + 0 = {ans}</think>\n<answer>{ans}</answer><|im_end|>", prompt, str(i), \
        (0.0 if i % 3 == 0 else 1.0), 1.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--rows-per-request", type=int, default=1)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    (tmp / "g.yaml").write_text(GRADER)
    port_file = tmp / "port"
    proc = subprocess.Popen([sys.executable, "-m", "graders", "serve", str(tmp / "g.yaml"), "--port", "0",
                             "--port-file", str(port_file)])
    try:
        for _ in range(600):
            if port_file.exists() and port_file.read_text():
                break
            time.sleep(0.05)
        port = int(port_file.read_text())
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/health")
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.05)
        chunks = [list(range(s, min(s + args.rows_per_request, args.rows)))
                  for s in range(0, args.rows, args.rows_per_request)]
        lock = threading.Lock()
        seen: dict[int, int] = {}
        latencies: list[float] = []
        errors: list[str] = []
        next_chunk = iter(chunks)

        def client() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            while True:
                with lock:
                    chunk = next(next_chunk, None)
                if chunk is None:
                    return
                rows = [row(i) for i in chunk]
                body = json.dumps({"query": [r[0] for r in rows], "prompts": [r[1] for r in rows],
                                   "labels": [r[2] for r in rows]}).encode()
                t0 = time.perf_counter()
                conn.request("POST", "/get_reward", body=body, headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                data = json.loads(resp.read())
                dt = time.perf_counter() - t0
                ok = resp.status == 200 and len(data["rewards"]) == len(rows) and all(
                    data["rewards"][k] == r[3] and data["extra_logs"]["format"][k] == r[4]
                    and data["extra_logs"]["correct"][k] == r[3] for k, r in enumerate(rows))
                with lock:
                    latencies.append(dt)
                    for i in chunk:
                        seen[i] = seen.get(i, 0) + 1
                    if not ok:
                        errors.append(f"rows {chunk[0]}..{chunk[-1]}: status {resp.status}: {str(data)[:200]}")

        t0 = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        lost = [i for i in range(args.rows) if i not in seen]
        dup = [i for i, k in seen.items() if k != 1]
        lat = sorted(latencies)
        p50 = statistics.median(lat) * 1000
        p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000
        print(f"# {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.2f} (server and clients on the same machine)")
        print(f"{args.rows} rows, {args.clients} clients, {args.rows_per_request} row(s)/request: "
              f"{args.rows / wall:.0f} rows/s, {len(lat) / wall:.0f} requests/s; latency p50 {p50:.1f} ms, "
              f"p99 {p99:.1f} ms; wall {wall:.1f} s")
        print(f"content check: {len(errors)} wrong replies, {len(lost)} lost rows, {len(dup)} duplicated rows")
        for e in errors[:5]:
            print("  ", e)
        if errors or lost or dup:
            sys.exit(1)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


if __name__ == "__main__":
    main()
