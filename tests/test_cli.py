"""End-to-end through the CLI on the bundled examples."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graders.cli import main

ROOT = Path(__file__).resolve().parents[1]
# Examples with LLM judges need a judge endpoint: tests/judge/test_example_cli.py runs them
# against the local fake server.
EXAMPLES = sorted(
    p for p in (ROOT / "examples").glob("*.yaml")
    if Path(p.with_suffix("").as_posix() + ".labeled.jsonl").exists()
    and not re.search(r"type:\s*(score_model|label_model)", p.read_text())
)


def rows_of(grader: Path) -> Path:
    return Path(grader.with_suffix("").as_posix() + ".labeled.jsonl")


@pytest.mark.parametrize("grader", EXAMPLES, ids=lambda p: p.stem)
def test_validate_examples(grader: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(grader)]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


@pytest.mark.parametrize("grader", EXAMPLES, ids=lambda p: p.stem)
def test_score_examples_writes_one_line_per_row_in_order(grader: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scores.jsonl"
    assert main(["score", str(grader), "--input", str(rows_of(grader)), "--output", str(out)]) == 0
    n_in = sum(1 for line in rows_of(grader).read_text().splitlines() if line.strip())
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == n_in >= 30
    for row in lines:
        assert set(row) == {"score", "components", "status", "errors"}
    err = capsys.readouterr().err
    assert "rows in" in err and "component means" in err or "every score" in err or "distribution" in err


def test_score_keeps_bad_lines_in_place(tmp_path: Path) -> None:
    g = tmp_path / "g.yaml"
    g.write_text("grader: {type: exact, reference: '{{ item.a }}'}\n")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"item": {"a": "x"}, "sample": "x"}\n{not json\n{"item": {"a": "x"}, "sample": 7}\n{"item": {"a": "y"}, "sample": "y"}\n')
    out = tmp_path / "out.jsonl"
    assert main(["score", str(g), "-i", str(rows), "-o", str(out), "-q"]) == 0
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["score"] for r in got] == [1.0, 0.0, 0.0, 1.0]
    assert [r["status"] for r in got] == ["scored", "error", "error", "scored"]
    assert "line 2" in got[1]["errors"][0]["message"]


def test_validate_reports_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    g = tmp_path / "bad.yaml"
    g.write_text("grader:\n  type: regex\n  pattern: '('\n")
    assert main(["validate", str(g)]) == 1
    err = capsys.readouterr().err
    assert f"{g}:3:" in err and "grader.pattern" in err and "does not compile" in err


def test_explain_row_and_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grader = ROOT / "examples" / "gsm8k.yaml"
    assert main(["explain", str(grader), "--input", str(rows_of(grader)), "--row", "0"]) == 0
    out = capsys.readouterr().out
    assert "format:" in out and "extracted:" in out and "ms" in out
    assert main(["explain", str(grader)]) == 0
    assert "gate" in capsys.readouterr().out
    assert main(["explain", str(grader), "--input", str(rows_of(grader)), "--row", "100000"]) == 1


def test_schema_command_matches_checked_in_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    checked_in = (ROOT / "schemas" / "grader.schema.json").read_text()
    assert printed == checked_in, "schemas/grader.schema.json is stale: run `graders schema -o schemas/grader.schema.json`"


def test_module_entry_point_runs() -> None:
    proc = subprocess.run([sys.executable, "-m", "graders", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "validate" in proc.stdout


def test_lone_surrogates_in_rows_do_not_break_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    g = tmp_path / "g.yaml"
    g.write_text("grader: {type: numeric, reference: '{{ item.a }}'}\n")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"item": {"a": "\\ud800"}, "sample": "\\ud83d"}\n{"item": {"a": "1"}, "sample": "1"}\n')
    out = tmp_path / "out.jsonl"
    assert main(["score", str(g), "-i", str(rows), "-o", str(out), "-q"]) == 0
    got = [json.loads(line) for line in out.read_bytes().decode("utf-8").splitlines()]
    assert [r["score"] for r in got] == [0.0, 1.0]
    assert got[0]["errors"][0]["kind"] == "reference_parse_error"
    assert main(["explain", str(g), "-i", str(rows), "--row", "0"]) == 0
    assert "ud83d" in capsys.readouterr().out
