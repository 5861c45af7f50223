"""`graders test --html`: a self-contained page with plots, checked in headless Chromium."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .labeled_helpers import CAPITAL_ROWS, EXACT, TOY, cli, row, write

HOSTILE = row("Oslo", "<script>window.__pwned=1</script><img src=x onerror=alert(1)>", "pass", id="xss",
              note="<b>note</b>")
PLOTS = {"confusion", "histogram", "calibration", "scatter", "tags", "slowest"}


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _need_chromium() -> str:
    path = _chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; CI must install it (apt-get install -y chromium)")
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    return path


def _run_chromium(*args: str) -> subprocess.CompletedProcess[str]:
    exe = _need_chromium()
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
           "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + os.environ.get("TMPDIR", "/tmp") +
           f"/graders-chromium-{os.getpid()}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def _report(tmp_path: Path, *extra: str) -> Path:
    g = write(tmp_path, TOY.replace("toy-math", "toy"), [
        row("4", "<think>2+2</think><answer>4</answer>", "pass", tags=["easy"]),
        row("4", "<think>2+2</think><answer>5</answer>", "fail", tags=["easy"]),
        row("4", "<answer>4</answer>", 0.0, tags=["format"]),
        row("9", "<think>3*3</think><answer>9</answer>", 1.0, tags=["easy"]),
        row("9", "<think>3*3</think><answer>6</answer>", 0.5, tags=["hard"], note="wrong partial label"),
        row("9", "<think>x</think><answer>9.0</answer>", "pass", tags=["hard"]),
    ])
    out = tmp_path / "report.html"
    rc, stdout, stderr = cli("test", g, "--html", out, "--probes", *extra)
    assert rc == 1, stdout + stderr  # one wrong label
    return out


def test_html_is_self_contained_and_escapes_completions(tmp_path):
    g = write(tmp_path, EXACT, CAPITAL_ROWS + [HOSTILE])
    out = tmp_path / "r.html"
    rc, _, _ = cli("test", g, "--html", out)
    assert rc == 1
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # no external resources: the only URL is the SVG namespace
    assert set(re.findall(r"https?://[^\s\"'<>)]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert html.escape("<script>window.__pwned=1</script>") in page
    assert "&lt;b&gt;note&lt;/b&gt;" in page
    assert page.count("<figure class=\"plot\"") >= 4


def test_html_plots_render_in_headless_chromium(tmp_path):
    out = _report(tmp_path)
    proc = _run_chromium("--virtual-time-budget=5000", "--dump-dom", out.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = re.search(r'<html[^>]*data-check="([^"]*)"', proc.stdout)
    assert m, "the page's check script did not run:\n" + proc.stdout[:500]
    check = json.loads(html.unescape(m.group(1)))
    assert check["errors"] == [], check
    kinds = set(re.findall(r'data-plot="([a-z]+)"', proc.stdout))
    assert PLOTS <= kinds, kinds
    assert check["plots"] >= len(PLOTS)
    assert check["sized"] == check["plots"], check  # every plot laid out at a real size
    assert check["drawn"] == check["plots"], check  # and has visible marks
    assert check["tables"] >= 4
    assert "Disagreements (1)" in proc.stdout and "wrong partial label" in proc.stdout


def test_html_screenshot(tmp_path):
    out = _report(tmp_path)
    shot = tmp_path / "shot.png"
    proc = _run_chromium("--window-size=1280,2000", f"--screenshot={shot}", out.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 30_000  # a blank page compresses to a few kB; plots do not


def test_histogram_bars_at_the_threshold_sit_right_of_the_line_and_the_label_fits() -> None:
    """Issue 9 item 13: with threshold 1.0, passing scores of 1.0 are drawn right of the dashed
    line (not in a bin ending there), and the threshold label stays inside the figure."""
    from types import SimpleNamespace

    import numpy as np

    from graders.testing.html import histogram_plot

    run = SimpleNamespace(scores=np.array([1.0, 1.0, 0.0, 0.5]),
                          labels=SimpleNamespace(label_pass=np.array([True, True, False, False])),
                          pass_threshold=1.0)
    svg = histogram_plot(run)  # type: ignore[arg-type]
    line_x = float(re.search(r'<line x1="([\d.]+)" x2="[\d.]+" y1="[\d.]+" y2="[\d.]+" stroke="#333"', svg).group(1))
    green = [float(x) for x in re.findall(r'<rect x="([\d.]+)"[^>]*><title>labeled pass, score in', svg)]
    assert green and min(green) >= line_x - 0.5
    label = re.search(r'<text x="[\d.]+" y="[\d.]+" text-anchor="(\w+)" class="tick">threshold 1<', svg)
    assert label is not None and label.group(1) == "end"
