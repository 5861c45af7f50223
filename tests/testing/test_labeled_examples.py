"""The labeled-example format: JSONL files, inline `tests:`, the G.labeled.jsonl convention."""

from __future__ import annotations

import json

import pytest

import graders
from graders.errors import ConfigError
from graders.testing.examples import collect, convention_paths, read_jsonl
from graders.testing.spec import Example

from .labeled_helpers import EXACT, row, write


def test_example_expected_forms():
    assert Example(sample="x", expected=True).expected == "pass"
    assert Example(sample="x", expected=False).expected == "fail"
    assert Example(sample="x", expected="PASS").expected == "pass"
    assert Example(sample="x", expected=0.25).expected == 0.25
    with pytest.raises(ValueError, match="number, 'pass' or 'fail'"):
        Example(sample="x", expected="good")
    with pytest.raises(ValueError, match="finite"):
        Example(sample="x", expected=float("nan"))
    with pytest.raises(ValueError):
        Example(sample="x", expected="pass", tolerance=-1)


def test_read_jsonl_ids_comments_and_blank_lines(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text("\n".join([
        json.dumps(row("4", "4", "pass")),
        "",
        "// a comment",
        json.dumps(row("5", "6", "fail", id="wrong-five", tags=["t"], note="n", tolerance=0.1)),
    ]) + "\n")
    rows = read_jsonl(p)
    assert [r.id for r in rows] == ["x.jsonl:1", "wrong-five"]
    assert rows[0].where.endswith("x.jsonl:1") and rows[1].where.endswith("x.jsonl:4")
    assert rows[1].example.tags == ["t"] and rows[1].example.tolerance == 0.1


def test_read_jsonl_reports_every_bad_line_with_its_number(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text("\n".join([
        json.dumps(row("4", "4", "pass")),
        "{not json",
        json.dumps({"sample": "x"}),  # no expected
        json.dumps({"sample": "x", "expected": "pass", "score": 1}),  # unknown key
        json.dumps([1, 2]),
    ]) + "\n")
    with pytest.raises(ConfigError) as ei:
        read_jsonl(p)
    msg = str(ei.value)
    assert "bad.jsonl:2: not valid JSON" in msg
    assert "bad.jsonl:3" in msg and "expected" in msg
    assert "bad.jsonl:4" in msg and "unknown key" in msg
    assert "bad.jsonl:5: expected a JSON object" in msg
    assert len(ei.value.issues) == 4


def test_sources_inline_files_convention_and_extra(tmp_path):
    (tmp_path / "more.jsonl").write_text(json.dumps(row("1", "1", "pass")) + "\n")
    (tmp_path / "extra.jsonl").write_text(json.dumps(row("2", "2", "pass")) + "\n")
    text = EXACT + """\
tests:
  files: [more.jsonl, g.labeled.jsonl]
  examples:
    - {item: {answer: a}, sample: a, expected: pass, id: inline-a}
"""
    g = write(tmp_path, text, [row("3", "3", "pass"), row("3", "4", "fail")])
    grader = graders.load(g)
    examples, sources = collect(g, grader.spec.tests, [tmp_path / "extra.jsonl"])
    # g.labeled.jsonl is listed in tests.files and is the convention file: read once.
    assert [e.id for e in examples] == ["inline-a", "more.jsonl:1", "g.labeled.jsonl:1", "g.labeled.jsonl:2", "extra.jsonl:1"]
    assert len(sources) == 4


def test_convention_names(tmp_path):
    assert [p.name for p in convention_paths(tmp_path / "math.yaml")] == ["math.labeled.jsonl"]
    assert [p.name for p in convention_paths(tmp_path / "math.grader.yml")] == [
        "math.grader.labeled.jsonl", "math.labeled.jsonl"]


def test_duplicate_ids_are_made_unique(tmp_path):
    g = write(tmp_path, EXACT, [row("1", "1", "pass", id="same"), row("1", "2", "fail", id="same")])
    examples, _ = collect(g, None)
    assert [e.id for e in examples] == ["same", "same#2"]


def test_inline_tests_validate_in_the_grader_file(tmp_path):
    g = write(tmp_path, EXACT + "tests:\n  examples:\n    - {sample: a, expected: maybe}\n")
    with pytest.raises(ConfigError, match="tests.examples"):
        graders.load(g)
