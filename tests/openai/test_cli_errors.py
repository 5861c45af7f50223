"""Malformed OpenAI grader files through the CLI: every command names file:line:column, the JSON path
and what was expected, exits non-zero, and never prints a traceback.

The configs are the mistakes people publish (`operation: "contains"`, `string_similarity`, python graders
with `input`, `rouge-l`, a `tool` role, a multi in a multi, a formula naming a key that is not there) and
files that are not JSON, not UTF-8, or not an object.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graders.cli import main as cli_main

SC = {"type": "string_check", "name": "c", "input": "a", "reference": "a", "operation": "eq"}
MSG = [{"role": "user", "content": "{{ sample.output_text }}"}]
# id -> (grader, the JSON key the error points at (its line), the path named, what the message says)
BAD = {
    "op_contains": ({**SC, "operation": "contains"}, '"operation"', "operation", "must be one of eq, ne, like, ilike"),
    "missing_reference": ({k: v for k, v in SC.items() if k != "reference"}, "{", "reference", "needs `reference`"),
    "passing_labels": ({"type": "label_model", "name": "t", "model": "gpt-4.1-mini-2025-04-14", "input": MSG,
                        "labels": ["polite", "rude"], "passing_labels": ["angry"]},
                       '"passing_labels"', "passing_labels", "not in labels"),
    "temperature_o4": ({"type": "score_model", "name": "s", "model": "o4-mini-2025-04-16", "input": MSG,
                        "sampling_params": {"temperature": 0.2}},
                       '"temperature"', "sampling_params.temperature", "accept only 1"),
    "effort_gpt4o": ({"type": "score_model", "name": "s", "model": "gpt-4o-2024-08-06", "input": MSG,
                      "sampling_params": {"reasoning_effort": "low"}},
                     '"reasoning_effort"', "sampling_params.reasoning_effort", "not a reasoning model"),
    "multi_in_multi": ({"type": "multi", "name": "m", "calculate_output": "a", "graders": {
                        "a": {"type": "multi", "name": "i", "calculate_output": "b", "graders": {"b": SC}}}},
                       '"a": {', "graders.a", "cannot contain another multi"),
    "unknown_key": ({"type": "multi", "name": "m", "calculate_output": "correctness * 2", "graders": {"correct": SC}},
                    '"calculate_output"', "calculate_output", "unknown name 'correctness'"),
    "unbalanced": ({"type": "multi", "name": "m", "calculate_output": "0.5 * correct)", "graders": {"correct": SC}},
                   '"calculate_output"', "calculate_output", "unmatched ')'"),
    "range_reversed": ({"type": "score_model", "name": "s", "model": "gpt-4o-2024-08-06", "input": MSG,
                        "range": [10, 0]}, '"range"', "range", "min < max"),
    "part_text": ({"type": "score_model", "name": "s", "model": "gpt-4o-2024-08-06",
                   "input": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]},
                  '"type": "text"', "input[0].content[0].type", "expected input_text, output_text"),
    "rouge_dash": ({"type": "text_similarity", "name": "t", "input": "a", "reference": "b",
                    "evaluation_metric": "rouge-l"}, '"evaluation_metric"', "evaluation_metric",
                   "(got \"rouge-l\"); did you mean 'rouge_l'?"),
    "namespace": ({**SC, "input": "{{ output_text }}"}, '"input"', "input", "must start with 'sample.' or 'item.'"),
    "no_grade": ({"type": "python", "name": "p", "source": "def score(sample, item):\n    return 1.0"},
                 '"source"', "source", "grade(sample, item)"),
    "role_tool": ({"type": "score_model", "name": "s", "model": "gpt-4o-2024-08-06",
                   "input": [{"role": "tool", "content": "x"}]}, '"role"', "input[0].role", "role must be one of"),
    "python_input": ({"type": "multi", "name": "m", "calculate_output": "q", "graders": {
                      "q": {"type": "python", "name": "q", "input": "{{ sample.output_text }}",
                            "source": "def grade(sample, item):\n    return 1.0"}}},
                     '"input"', "graders.q.input", "unknown field 'input'"),
    "listed_spaces": ({"type": "multi", "name": "m", "calculate_output": "a",
                       "graders": [{**SC, "name": "my check"}]}, '"my check"', "graders[0].name", "identifier"),
    "rft_job_body": ({"model": "o4-mini-2025-04-16", "method": {"type": "reinforcement", "reinforcement": {
                      "grader": {**SC, "operation": "contains"}}}}, '"operation"', "operation", "must be one of eq"),
    "eval_two_criteria": ({"name": "e", "testing_criteria": [SC, {**SC, "name": "d"}]}, '"testing_criteria"',
                          "testing_criteria", "2 testing criteria ['c', 'd']"),
}
COMMANDS = (["validate"], ["run-openai", "--sample", "x"], ["convert"], ["score", "--input", "rows.jsonl"])


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _run(cmd: list[str], path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    argv = [cmd[0], str(path), *cmd[1:]]
    if cmd[0] == "score":
        (path.parent / "rows.jsonl").write_text('{"sample": {"output_text": "a"}, "item": {}}\n')
        argv = [cmd[0], str(path), "--input", str(path.parent / "rows.jsonl"), "--output", str(path.parent / "o.jsonl")]
    rc = cli_main(argv)
    out = capsys.readouterr()
    return rc, out.err + out.out


@pytest.mark.parametrize("name", sorted(BAD))
@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c[0])
def test_bad_config_is_located(name: str, cmd: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grader, needle, path, what = BAD[name]
    text = json.dumps(grader, indent=2)
    file = tmp_path / f"{name}.json"
    file.write_text(text, encoding="utf-8")
    rc, out = _run(cmd, file, capsys)
    assert rc != 0
    line = _line_of(text, needle)
    assert f"{file}:{line}:" in out and f" at {path}: " in out and what in out, out
    assert "Traceback" not in out


@pytest.mark.parametrize(("raw", "where", "what"), [
    (b'{\n  "type": "string_check",\n  "name": "x"\n  "input": "a"\n}\n', ":4:3:", "not valid JSON: Expecting ','"),
    (b"", ":1:1:", "not valid JSON"),
    (b'{"type": "string_check",\n "name": "\xe9"}', ":2:11:", "not valid UTF-8 (byte 0xe9)"),
])
@pytest.mark.parametrize("cmd", COMMANDS[:3], ids=lambda c: c[0])
def test_unreadable_file_is_located(raw: bytes, where: str, what: str, cmd: list[str], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "g.json"
    file.write_bytes(raw)
    rc, out = _run(cmd, file, capsys)
    assert rc != 0 and f"{file}{where}" in out and what in out, out


def test_a_bad_file_prints_no_traceback_from_the_real_process(tmp_path: Path) -> None:
    file = tmp_path / "op.json"
    file.write_text(json.dumps(BAD["op_contains"][0], indent=2), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "graders", "run-openai", str(file), "--sample", "x"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert f"{file}:6:16 at operation: operation must be one of eq, ne, like, ilike" in proc.stderr
