"""Acceptance: the judge example runs end to end through the CLI against the local server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "judge_explanation.yaml"
ROWS = ROOT / "examples" / "judge_explanation.rows.jsonl"


@pytest.fixture
def server_proc(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    proc = subprocess.Popen([sys.executable, "-m", "graders.testing.fake_server", "--port", "0", "--latency", "0.01"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        url = proc.stdout.readline().strip()  # type: ignore[union-attr]
        assert url.startswith("http://127.0.0.1:")
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["GRADERS_CACHE_DIR"] = str(tmp_path / "cache")
    return env


def test_example_scores_through_the_cli(server_proc: tuple[subprocess.Popen[str], str], tmp_path: Path) -> None:
    proc, url = server_proc
    out = tmp_path / "scores.jsonl"
    cmd = [sys.executable, "-m", "graders", "score", str(EXAMPLE), "--input", str(ROWS), "--base-url", url, "-o", str(out)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=_env(tmp_path), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    inputs = [json.loads(line) for line in ROWS.read_text().splitlines()]
    assert len(rows) == len(inputs) == 32
    for row in rows:
        assert row["status"] == "scored" and row["errors"] == []
        if row["components"]["correct"] == 0.0:  # gated: the judge never ran
            assert row["score"] == 0.0 and row["components"]["explained.quality"] is None
        else:
            assert 0.5 <= row["score"] <= 1.0 and row["components"]["explained.quality"] is not None
    summary = res.stderr
    assert "judge_calls 24" in summary and "judge_rows_skipped 8" in summary and "rows_gated 8" in summary
    assert "judge usage" in summary and "estimated_cost_usd" in summary

    # Re-run: the cache answers everything, the server sees nothing new.
    res2 = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=_env(tmp_path), cwd=tmp_path)
    assert res2.returncode == 0 and "judge_calls 0" in res2.stderr and "judge_cache_hits 24" in res2.stderr
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=10)
    assert "served 24 requests" in err


def test_example_labels_pass_graders_test(server_proc: tuple[subprocess.Popen[str], str], tmp_path: Path) -> None:
    _, url = server_proc
    cmd = [sys.executable, "-m", "graders", "test", str(EXAMPLE), "--base-url", url, "--no-cache"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=_env(tmp_path), cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "PASSED" in res.stdout + res.stderr


def test_explain_shows_the_judge_reply(server_proc: tuple[subprocess.Popen[str], str], tmp_path: Path) -> None:
    _, url = server_proc
    cmd = [sys.executable, "-m", "graders", "explain", str(EXAMPLE), "--input", str(ROWS), "--row", "0",
           "--base-url", url, "--json"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=_env(tmp_path), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    tree = json.loads(res.stdout)
    judge = tree["children"][1]["children"][0]
    assert judge["status"] == "scored" and '"result"' in judge["reply"]
    assert "UNTRUSTED sample.output_text" in judge["input"]
