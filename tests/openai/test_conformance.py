"""OpenAI grader JSON configs with expected rewards or errors, each citing the sentence it follows.

`cases/conformance.jsonl`: one case per line, `{id, grader, runs | error + error_path, cite, decision?,
needs?}`. A run is `{sample, item, reward, approx?, sub_rewards?, flags?}`; `sample` is the run
endpoint's `model_sample` string or a sample object. Every case runs through `graders.run_openai`
(the run endpoint's response) and round-trips: from_openai -> to_openai -> from_openai scores the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import graders
from graders.errors import ConfigError
from graders.registry import registered

CASES = [json.loads(line) for line in (Path(__file__).parent / "cases" / "conformance.jsonl").read_text().splitlines()
         if line.strip()]


def _needs(case: dict[str, Any]) -> None:
    """`needs: python` runs in the sandbox; `python+site_packages` also imports this environment's packages."""
    need = case.get("needs")
    if not need:
        return
    kind, _, extra = need.partition("+")
    if kind not in registered():
        pytest.skip(f"kind {kind!r} is not registered in this tree")
    from graders.sandbox import capabilities
    from tests.sandbox.support import require_sandbox

    require_sandbox()
    if extra == "site_packages" and not capabilities().site_packages:
        pytest.skip("this environment's site-packages are not readable from the sandbox")


def _check_run(out: dict[str, Any], run: dict[str, Any]) -> None:
    if run.get("approx"):
        assert out["reward"] == pytest.approx(run["reward"], abs=1e-9)
    else:
        assert out["reward"] == run["reward"]
    if "sub_rewards" in run:
        assert out["sub_rewards"] == pytest.approx(run["sub_rewards"])
    raised = {k for k, v in out["metadata"]["errors"].items() if v is True}
    assert raised == set(run.get("flags", [])), out["metadata"]["errors"]


def test_cases_cite_their_source() -> None:
    for case in CASES:
        cites = case["cite"] if isinstance(case["cite"], list) else [case["cite"]]
        assert cites and all(c["url"] and c["quote"] for c in cites), case["id"]
        assert ("runs" in case) != ("error" in case), case["id"]
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for letter in "ABCDEFGHJ":  # the research notes' configs (D, E, I also in test_judges.py)
        assert any(i.startswith(letter + "_") for i in ids), letter


@pytest.mark.parametrize("case", [c for c in CASES if "runs" in c], ids=lambda c: c["id"])
def test_run_matches_expected(case: dict[str, Any]) -> None:
    _needs(case)
    for run in case["runs"]:
        out = graders.run_openai(case["grader"], run["sample"], run["item"])
        _check_run(out, run)
        assert out["metadata"]["type"] == case["grader"]["type"]


@pytest.mark.parametrize("case", [c for c in CASES if "runs" in c], ids=lambda c: c["id"])
def test_round_trip_scores_the_same(case: dict[str, Any]) -> None:
    _needs(case)
    first = graders.from_openai(case["grader"])
    exported = graders.to_openai(first)
    again = graders.from_openai(json.loads(json.dumps(exported)))
    assert graders.to_openai(again) == exported  # a fixed point after one export
    for run in case["runs"]:
        a = graders.run_openai(first, run["sample"], run["item"])
        b = graders.run_openai(again, run["sample"], run["item"])
        assert b["reward"] == a["reward"] and b["sub_rewards"] == a["sub_rewards"]
        assert b["metadata"]["errors"] == a["metadata"]["errors"]


@pytest.mark.parametrize("case", [c for c in CASES if "error" in c], ids=lambda c: c["id"])
def test_invalid_config_fails_with_located_error(case: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as exc:
        graders.from_openai(case["grader"])
    msg = str(exc.value)
    assert case["error"] in msg
    paths = [i.path for i in exc.value.issues]
    assert any(p.endswith(case["error_path"]) for p in paths), (paths, msg)
