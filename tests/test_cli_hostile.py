"""`graders score` / `validate` on bad input: one output line per input line, clear errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graders.cli import main

GRADER = "grader: {type: exact, reference: '{{ item.a }}'}\n"


@pytest.fixture
def grader(tmp_path: Path) -> Path:
    g = tmp_path / "g.yaml"
    g.write_text(GRADER)
    return g


def _score(grader: Path, rows: Path, out: Path) -> tuple[int, list[dict]]:
    rc = main(["score", str(grader), "-i", str(rows), "-o", str(out), "-q"])
    return rc, [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]


def test_blank_and_non_utf8_lines_keep_every_row_in_place(grader: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    lines = [b'{"item": {"a": "1"}, "sample": "1"}', b"", b"   \t", b'{"item": {"a": "2"}, "sample": "\xff2"}',
             b'{"item": {"a": "3"}, "sample": "3"}', b'{"item": {"a": "4"}, "sample": "x"}']
    rows.write_bytes(b"\n".join(lines) + b"\n")
    rc, out = _score(grader, rows, tmp_path / "out.jsonl")
    assert rc == 0
    assert len(out) == len(lines)
    assert [r["status"] for r in out] == ["scored", "error", "error", "error", "scored", "scored"]
    assert [r["score"] for r in out] == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert "blank line" in out[1]["errors"][0]["message"]
    assert "UTF-8" in out[3]["errors"][0]["message"] and "line 4" in out[3]["errors"][0]["message"]


def test_bad_byte_on_line_3_of_10_keeps_the_other_nine(grader: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    body = [json.dumps({"item": {"a": str(i)}, "sample": str(i)}).encode() for i in range(10)]
    body[2] = b'{"item": {"a": "2"}, "sample": "\xc3\x28"}'
    rows.write_bytes(b"\n".join(body) + b"\n")
    rc, out = _score(grader, rows, tmp_path / "out.jsonl")
    assert rc == 0 and len(out) == 10
    assert [r["status"] for r in out].count("scored") == 9 and out[2]["status"] == "error"


def test_missing_input_and_unwritable_output_are_clear_errors(grader: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(grader), "-i", str(tmp_path / "nope.jsonl"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "cannot read input" in err and "Traceback" not in err
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"sample": "1"}\n')
    assert main(["score", str(grader), "-i", str(rows), "-o", str(tmp_path / "no" / "dir" / "o.jsonl"), "-q"]) == 2
    assert "cannot write output" in capsys.readouterr().err


def test_all_error_rows_and_json_arrays_exit_non_zero(grader: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text("not json\n{}\n")
    rc, out = _score(grader, rows, tmp_path / "o1.jsonl")
    assert rc == 1 and len(out) == 2
    assert "every row is an error" in capsys.readouterr().err
    arr = tmp_path / "rows.json"
    arr.write_text(json.dumps([{"item": {"a": "1"}, "sample": "1"}, {"item": {"a": "2"}, "sample": "2"}], indent=2))
    rc, out = _score(grader, arr, tmp_path / "o2.jsonl")
    assert rc == 1 and len(out) == len(arr.read_text().splitlines())
    assert "expected JSONL, one JSON object per line" in capsys.readouterr().err


@pytest.mark.parametrize(("content", "expect"), [
    (b"grader:\n  type: exact\n  reference: \"\xff\xfe\"\n", "not valid UTF-8"),
    (b"grader: {type: numeric, reference: '1', tolerance: {abs: " + b"9" * 5000 + b"}}\n", "too long"),
    (b'{"grader": {"type": "numeric", "reference": "1", "tolerance": {"abs": ' + b"9" * 5000 + b"}}}\n", "too long"),
    (b"grader:\n  ? !!python/name:os.system\n  : x\n  type: exact\n", "not allowed"),
    (b"grader:\n  !!python/tuple [1]: x\n", "not allowed"),
])
def test_bad_grader_files_are_config_errors_without_traceback(tmp_path: Path, content: bytes, expect: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    g = tmp_path / "g.yaml"
    g.write_bytes(content)
    assert main(["validate", str(g)]) == 1
    err = capsys.readouterr().err
    assert expect in err and str(g) in err and "Traceback" not in err


def test_validate_says_one_node(grader: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(grader)]) == 0
    assert "1 node)" in capsys.readouterr().out
