"""`graders convert` and `graders run-openai` end to end (in-process CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import graders
from graders.cli import main

G = {"type": "multi", "name": "extract_score", "calculate_output": "0.7 * email + 0.3 * name",
     "graders": {"name": {"type": "text_similarity", "name": "n", "input": "{{ sample.output_json.name }}",
                          "reference": "{{ item.name }}", "evaluation_metric": "fuzzy_match"},
                 "email": {"type": "string_check", "name": "e", "input": "{{ sample.output_json.email }}",
                           "reference": "{{ item.email }}", "operation": "eq"}}}


def test_convert_json_to_yaml_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "g.json"
    src.write_text(json.dumps(G))
    out_yaml = tmp_path / "g.yaml"
    assert main(["convert", str(src), "-o", str(out_yaml)]) == 0
    data = yaml.safe_load(out_yaml.read_text())
    assert data["grader"]["type"] == "multi" and data["grader"]["calculate_output"] == G["calculate_output"]
    assert main(["validate", str(out_yaml)]) == 0
    capsys.readouterr()
    assert main(["convert", str(out_yaml)]) == 0
    assert json.loads(capsys.readouterr().out) == G


def test_convert_yaml_with_python_source_is_a_literal_block(tmp_path: Path) -> None:
    src = tmp_path / "p.json"
    src.write_text(json.dumps({"type": "python", "name": "p", "source": "def grade(sample, item):\n    return 1.0\n"}))
    out = tmp_path / "p.yaml"
    assert main(["convert", str(src), "-o", str(out)]) == 0
    text = out.read_text()
    assert "source: |" in text
    assert graders.load(out).spec.grader.source == "def grade(sample, item):\n    return 1.0\n"  # type: ignore[attr-defined]


def test_convert_reports_located_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bad.json"
    src.write_text(json.dumps({**G, "graders": {**G["graders"], "email": {**G["graders"]["email"], "operation": "contains"}}}))
    assert main(["convert", str(src)]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and "graders.email.operation" in err and "contains" in err


def test_convert_refuses_what_openai_cannot_express(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "g.yaml"
    src.write_text("grader:\n  type: gate\n  graders:\n    fmt: {type: regex, pattern: x}\n    ok: {type: string_check, reference: a, operation: eq}\n")
    assert main(["convert", str(src)]) == 2
    assert "gate" in capsys.readouterr().err


def test_run_openai_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "g.json"
    src.write_text(json.dumps(G))
    item = tmp_path / "item.json"
    item.write_text(json.dumps({"name": "Ada", "email": "a@x"}))
    assert main(["run-openai", str(src), "--sample", '{"name": "Ada", "email": "b@x"}', "--item", str(item)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reward"] == pytest.approx(0.3)
    assert out["sub_rewards"] == {"name": 1.0, "email": 0.0}
    assert set(out) == {"reward", "sub_rewards", "metadata", "model_grader_token_usage_per_model"}
    assert set(out["metadata"]) == {"name", "type", "errors", "execution_time", "scores", "token_usage",
                                    "sampled_model_name"}
    assert main(["run-openai", str(src), "--sample-json", '{"output_json": {"name": "Ada", "email": "a@x"}}',
                 "--item", '{"name": "Ada", "email": "a@x"}']) == 0
    assert json.loads(capsys.readouterr().out)["reward"] == pytest.approx(1.0)


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_example_yaml_is_the_conversion_of_the_json(tmp_path: Path) -> None:
    out = tmp_path / "conv.yaml"
    assert main(["convert", str(EXAMPLES / "openai_rft.json"), "-o", str(out)]) == 0
    assert yaml.safe_load(out.read_text()) == yaml.safe_load((EXAMPLES / "openai_rft.yaml").read_text())


def test_graders_test_runs_the_openai_json_and_its_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(EXAMPLES / "openai_rft.json"), str(EXAMPLES / "openai_rft.yaml")]) == 0
    assert "2 passed, 0 failed" in capsys.readouterr().out


def test_example_round_trips_on_its_labelled_rows() -> None:
    rows = [json.loads(line) for line in (EXAMPLES / "openai_rft.labeled.jsonl").read_text().splitlines() if line.strip()]
    first = graders.from_openai(EXAMPLES / "openai_rft.json")
    again = graders.from_openai(graders.to_openai(first))
    samples, items = [r["sample"] for r in rows], [r["item"] for r in rows]
    assert again.score(samples, items).scores.tolist() == first.score(samples, items).scores.tolist()
    assert first.score(samples, items).scores.tolist() == pytest.approx([r["expected"] for r in rows], abs=1e-6)
