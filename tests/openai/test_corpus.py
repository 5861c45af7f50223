"""Outside-in corpus: OpenAI grader configs as other people wrote them, run as OpenAI would run them.

`tests/data/openai_configs/corpus.jsonl` (built by `build_corpus.py` beside it) holds configs from the
graders guide, the API reference, openai-python's types and tests, Azure's docs and public projects,
each with its `source`, samples and the reward derived from OpenAI's documented semantics (`why`),
or the load error expected. Every run goes through `graders.run_openai` (the run endpoint's
response); judges answer from the local fake server with the scripted `judge` reply, and the
request that reaches it is checked where the case gives `request`. Runs without a judge also go
through the CLI (`graders run-openai G.json`).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

import graders
from graders.cli import main as cli_main
from graders.errors import ConfigError
from graders.judge import configure_judges
from graders.testing.fake_server import FakeJudgeServer
from tests.openai.test_conformance import _needs

CORPUS = Path(__file__).parents[1] / "data" / "openai_configs" / "corpus.jsonl"
CASES = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
RUNS = [c for c in CASES if "runs" in c]
JUDGED = [c for c in RUNS if any("judge" in r or "embeddings" in r for r in c["runs"])]  # need the fake server
PLAIN = [c for c in RUNS if c not in JUDGED]


def _raised(out: dict[str, Any]) -> set[str]:
    return {k for k, v in out["metadata"]["errors"].items() if v is True}


def _check(out: dict[str, Any], run: dict[str, Any], where: str) -> None:
    if run.get("approx"):
        assert out["reward"] == pytest.approx(run["reward"], abs=1e-9), where
    else:
        assert out["reward"] == run["reward"], where
    if "sub_rewards" in run:
        assert out["sub_rewards"] == pytest.approx(run["sub_rewards"]), where
    assert _raised(out) == set(run.get("flags", [])), (where, out["metadata"]["errors"])


def test_corpus_is_sourced_and_broad() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)) and len(CASES) >= 30
    for c in CASES:
        assert c["source"]["url"] and c["source"]["what"] and c["why"], c["id"]
        assert ("runs" in c) != ("error" in c), c["id"]
    types = {c["grader"].get("type") for c in CASES}
    children = {g["type"] for c in CASES if c["grader"].get("type") == "multi" and isinstance(c["grader"]["graders"], dict)
                for g in c["grader"]["graders"].values()}
    assert {"string_check", "text_similarity", "score_model", "label_model", "python", "multi"} <= types
    assert {"string_check", "text_similarity", "score_model", "python"} <= children
    metrics = {c["grader"]["evaluation_metric"] for c in CASES if c["grader"].get("type") == "text_similarity"}
    assert metrics >= {"fuzzy_match", "bleu", "gleu", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5", "rouge_l"}


@pytest.mark.parametrize("case", PLAIN, ids=lambda c: c["id"])
def test_plain_config_scores_as_documented(case: dict[str, Any]) -> None:
    _needs(case)
    for i, run in enumerate(case["runs"]):
        _check(graders.run_openai(case["grader"], run["sample"], run["item"]), run, f"{case['id']} run {i}")


@pytest.mark.parametrize("case", PLAIN, ids=lambda c: c["id"])
def test_plain_config_through_the_cli(case: dict[str, Any], tmp_path: Path) -> None:
    _needs(case)
    path = tmp_path / "grader.json"
    path.write_text(json.dumps(case["grader"], indent=2), encoding="utf-8")
    run = case["runs"][0]
    sample = ["--sample-json", json.dumps(run["sample"])] if isinstance(run["sample"], dict) \
        else ["--sample", run["sample"]]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = cli_main(["run-openai", str(path), *sample, "--item", json.dumps(run["item"])])
    assert rc == 0
    _check(json.loads(buf.getvalue()), run, case["id"])
    assert cli_main(["validate", str(path)]) == 0


@pytest.mark.parametrize("case", PLAIN, ids=lambda c: c["id"])
def test_plain_config_round_trips(case: dict[str, Any]) -> None:
    """from_openai -> to_openai -> from_openai scores every run the same."""
    _needs(case)
    first = graders.from_openai(case["grader"])
    again = graders.from_openai(json.loads(json.dumps(graders.to_openai(first))))
    for run in case["runs"]:
        a, b = (graders.run_openai(g, run["sample"], run["item"]) for g in (first, again))
        assert (a["reward"], a["sub_rewards"], a["metadata"]["errors"]) == \
            (b["reward"], b["sub_rewards"], b["metadata"]["errors"])


@pytest.mark.parametrize("case", JUDGED, ids=lambda c: c["id"])
def test_judged_config_exports_what_it_imported(case: dict[str, Any]) -> None:
    """to_openai keeps model, messages, range and sampling params: a second import sends the same request."""
    first = graders.from_openai(case["grader"])
    exported = graders.to_openai(first)
    assert graders.to_openai(graders.from_openai(json.loads(json.dumps(exported)))) == exported
    grader = first.spec.grader
    if getattr(grader, "sampling_params", None) is not None:
        assert exported.get("sampling_params", {}) == grader.sampling_params.model_dump(mode="json", exclude_none=True)


def _texts(body: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for m in body["messages"]:
        c = m["content"]
        out.extend([c] if isinstance(c, str) else [p["text"] for p in c if p.get("type") == "text"])
    return out


@pytest.mark.parametrize("case", JUDGED, ids=lambda c: c["id"])
def test_judged_config_against_the_fake_server(case: dict[str, Any], server: FakeJudgeServer) -> None:
    _needs(case)
    configure_judges(cache=False)
    for i, run in enumerate(case["runs"]):
        server.reset_counters()
        if "judge" in run:
            reply = json.dumps(run["judge"])
            server.judge = lambda req, reply=reply: reply
        out = graders.run_openai(case["grader"], run["sample"], run["item"])
        _check(out, run, f"{case['id']} run {i}")
        if i == 0 and "request" in case:
            (body,) = server.bodies.values()
            want = dict(case["request"])
            if "messages" in want:
                assert body["messages"] == want.pop("messages")
            if "texts" in want:
                assert _texts(body) == want.pop("texts")
            if "image_urls" in want:
                parts = [p for m in body["messages"] if isinstance(m["content"], list) for p in m["content"]]
                assert [p["image_url"]["url"] for p in parts if p.get("type") == "image_url"] == want.pop("image_urls")
            for key, value in want.items():
                assert body.get(key) == value, (key, body.get(key))
            assert "UNTRUSTED" not in json.dumps(body)  # OpenAI's text, as written


@pytest.mark.parametrize("case", [c for c in CASES if "error" in c], ids=lambda c: c["id"])
def test_invalid_config_is_refused_where_it_is_wrong(case: dict[str, Any], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ConfigError) as exc:
        graders.from_openai(case["grader"])
    assert case["error"] in str(exc.value)
    assert any(i.path.endswith(case["error_path"]) for i in exc.value.issues), [i.path for i in exc.value.issues]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(case["grader"], indent=2), encoding="utf-8")
    assert cli_main(["validate", str(path)]) != 0
    err = capsys.readouterr().err
    assert f"{path}:" in err and case["error_path"] in err and "Traceback" not in err
