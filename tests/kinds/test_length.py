"""`length`: each shape against values computed by hand from its formula, at and around the limits."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import graders
from graders.errors import ScoringError


def _chars(n: int) -> str:
    return "a" * n


# -- overlong (DAPO Eq. 13) -------------------------------------------------------------------
OVERLONG = {"type": "length", "shape": "overlong", "max_length": 10, "buffer": 4, "unit": "chars"}


@pytest.mark.parametrize(("length", "want"), [
    (0, 0.0),        # empty completion
    (1, 0.0),        # one unit
    (6, 0.0),        # exactly at max_length - buffer: no penalty yet
    (7, -0.25),      # one past it: (6 - 7) / 4
    (8, -0.5),
    (9, -0.75),
    (10, -1.0),      # exactly at max_length
    (11, -1.0),      # one past max_length
    (500, -1.0),
])
def test_overlong_by_hand(length: int, want: float) -> None:
    g = graders.from_dict(OVERLONG)
    assert g.score([_chars(length)]).scores[0] == pytest.approx(want, abs=1e-12)


def test_overlong_zero_buffer_is_a_cliff_and_full_buffer_starts_at_zero() -> None:
    cliff = graders.from_dict({**OVERLONG, "buffer": 0})
    assert cliff.score([_chars(10), _chars(11)]).scores.tolist() == [0.0, -1.0]
    ramp = graders.from_dict({**OVERLONG, "buffer": 10})
    assert ramp.score([_chars(0), _chars(1), _chars(5), _chars(10)]).scores.tolist() == pytest.approx([0.0, -0.1, -0.5, -1.0])


def test_overlong_in_words_counts_whitespace_separated_words() -> None:
    g = graders.from_dict({**OVERLONG, "unit": "words"})
    texts = ["one two  three\nfour\tfive six", " ".join(["w"] * 7), " ".join(["w"] * 10), " ".join(["w"] * 11), "   "]
    assert g.score(texts).scores.tolist() == pytest.approx([0.0, -0.25, -1.0, -1.0, 0.0])


# -- tokens: completion_ids, a local tokenizer, or an error ----------------------------------------
def test_tokens_come_from_completion_ids() -> None:
    g = graders.from_dict({**OVERLONG, "unit": "tokens"})
    rows = [{"output_text": "irrelevant", "completion_ids": list(range(n))} for n in (0, 1, 6, 7, 10, 11)]
    assert g.score(rows).scores.tolist() == pytest.approx([0, 0, 0, -0.25, -1, -1])
    arr = {"output_text": "x", "completion_ids": np.arange(8)}
    assert g.score([arr]).scores.tolist() == [-0.5]


def test_tokens_missing_is_a_row_error_naming_the_data() -> None:
    g = graders.from_dict({**OVERLONG, "unit": "tokens"})
    res = g.score(["no ids here", {"output_text": "x", "completion_ids": [1, 2]}])
    assert res.status.tolist() == [2, 0]
    assert res.errors[0][0].kind == "missing_tokens"
    assert "sample.completion_ids" in res.errors[0][0].message
    assert res.scores.tolist() == [0.0, 0.0]
    raising = graders.from_dict({**OVERLONG, "unit": "tokens", "on_error": "raise"})
    with pytest.raises(ScoringError, match="missing_tokens"):
        raising.score(["no ids"])


def _wordlevel_tokenizer(where: Path) -> Path:
    tokenizers = pytest.importorskip("tokenizers")
    vocab = {"[UNK]": 0, "the": 1, "answer": 2, "is": 3, ",": 4, "42": 5}
    tok = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = tokenizers.pre_tokenizers.Whitespace()
    where.mkdir(parents=True, exist_ok=True)
    tok.save(str(where / "tokenizer.json"))
    return where


def test_local_tokenizer_file_or_directory(tmp_path: Path) -> None:
    d = _wordlevel_tokenizer(tmp_path / "tok")
    for name in (str(d), str(d / "tokenizer.json")):
        g = graders.from_dict({**OVERLONG, "unit": "tokens", "tokenizer": name})
        # Whitespace pre-tokenizer: "the answer is, 42" -> the / answer / is / , / 42 = 5 tokens
        texts = ["the answer is, 42", "the " * 7, "", "42"]
        assert g.score(texts).scores.tolist() == pytest.approx([0.0, -0.25, 0.0, 0.0])


def test_completion_ids_take_precedence_over_the_tokenizer(tmp_path: Path) -> None:
    d = _wordlevel_tokenizer(tmp_path / "tok")
    g = graders.from_dict({**OVERLONG, "unit": "tokens", "tokenizer": str(d)})
    row = {"output_text": "the answer", "completion_ids": list(range(9))}  # 2 by the tokenizer, 9 by ids
    assert g.score([row, "the answer"]).scores.tolist() == pytest.approx([-0.75, 0.0])


def test_tokenizer_not_local_is_a_load_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(graders.ConfigError, match="never downloads"):
        graders.from_dict({**OVERLONG, "unit": "tokens", "tokenizer": "nobody/no-such-model"})
    with pytest.raises(graders.ConfigError, match="no tokenizer.json"):
        graders.from_dict({**OVERLONG, "unit": "tokens", "tokenizer": str(tmp_path)})


def test_input_other_than_the_completion_needs_a_tokenizer() -> None:
    g = graders.from_dict({**OVERLONG, "unit": "tokens", "input": "{{ sample.reasoning }}"})
    res = g.score([{"output_text": "x", "reasoning": "abc", "completion_ids": [1]}])
    assert res.errors[0][0].kind == "missing_tokens" and "tokenizer" in res.errors[0][0].message


# -- cosine (Yeo et al.) ----------------------------------------------------------------------------
COSINE = {"type": "length", "shape": "cosine", "max_length": 10, "unit": "chars",
          "correct": {"type": "exact", "reference": "{{ item.answer }}", "input": "{{ sample.answer }}"}}


def _rows(length: int, right: bool) -> tuple[dict, dict]:
    return {"output_text": _chars(length), "answer": "42" if right else "41"}, {"answer": "42"}


@pytest.mark.parametrize(("length", "right", "want"), [
    # at L = M the curve's end b; `exceed` only past M (DESIGN: "the reward past max_length")
    (0, True, 2.0), (5, True, 1.5), (9, True, 1.0 + 0.5 * (1.0 + math.cos(0.9 * math.pi))), (10, True, 1.0),
    (11, True, -10.0),
    (0, False, -10.0), (5, False, -5.0), (9, False, -5.0 * (1.0 + math.cos(0.9 * math.pi))), (10, False, 0.0),
    (11, False, -10.0),
    (1, True, 1.0 + 0.5 * (1.0 + math.cos(math.pi / 10))),
    (1, False, -5.0 * (1.0 + math.cos(math.pi / 10))),
])
def test_cosine_paper_defaults_by_hand(length: int, right: bool, want: float) -> None:
    g = graders.from_dict(COSINE)
    s, it = _rows(length, right)
    assert g.score([s], [it]).scores[0] == pytest.approx(want, abs=1e-12)


def test_cosine_trl_ranges_and_components() -> None:
    g = graders.from_dict({**COSINE, "correct_range": [1.0, 0.5], "wrong_range": [-1.0, -0.5], "exceed": -1.0})
    rows = [_rows(5, True), _rows(5, False), _rows(12, True)]
    res = g.score([s for s, _ in rows], [i for _, i in rows])
    assert res.scores.tolist() == pytest.approx([0.75, -0.75, -1.0])
    assert res.components["correct"].tolist() == [1.0, 0.0, 1.0]


def test_cosine_child_without_answer_is_wrong_and_child_error_marks_the_row() -> None:
    g = graders.from_dict({**COSINE, "correct": {"type": "exact", "reference": "{{ item.answer }}", "extract": "boxed"}})
    res = g.score(["no box", "\\boxed{42}"], [{"answer": "42"}, {}])
    assert res.scores[0] == pytest.approx(0.0 + 0.5 * -10 * (1 + math.cos(math.pi * 0.6)))
    assert res.status.tolist() == [0, 2]
    assert res.errors[1][0].kind == "missing_field"


# -- target ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("length", "tolerance", "want"), [
    (10, 0, 1.0), (5, 0, 0.5), (15, 0, 0.5), (0, 0, 0.0), (20, 0, 0.0), (25, 0, 0.0),
    (12, 2, 1.0), (8, 2, 1.0), (13, 2, 0.9), (7, 2, 0.9), (0, 2, 0.2),
])
def test_target_by_hand(length: int, tolerance: int, want: float) -> None:
    g = graders.from_dict({"type": "length", "shape": "target", "target": 10, "tolerance": tolerance, "unit": "words"})
    assert g.score([" ".join(["w"] * length)]).scores[0] == pytest.approx(want)


# -- load-time checks -----------------------------------------------------------------------------
@pytest.mark.parametrize(("node", "message"), [
    ({"shape": "overlong", "max_length": 10}, "needs buffer"),
    ({"shape": "overlong", "max_length": 10, "buffer": 11}, "must not exceed"),
    ({"shape": "overlong", "max_length": 10, "buffer": 2, "target": 5}, "do not apply to shape: overlong"),
    ({"shape": "cosine", "max_length": 10}, "needs correct"),
    ({"shape": "target"}, "needs target"),
    ({"shape": "target", "target": 0}, "greater than 0"),
    ({"shape": "wiggly"}, "overlong"),
    ({"shape": "overlong", "max_length": 10, "buffer": 2, "unit": "bytes"}, "chars"),
])
def test_bad_configs_fail_at_load(node: dict, message: str) -> None:
    with pytest.raises(graders.ConfigError, match=message):
        graders.from_dict({"type": "length", "unit": "chars", **node})


def test_explain_plan_names_shape_and_unit() -> None:
    g = graders.from_dict({**OVERLONG, "unit": "tokens"})
    assert "overlong max_length=10 buffer=4 unit=tokens from sample.completion_ids" in g.explain_plan()


def test_extract_measures_only_what_it_finds() -> None:
    g = graders.from_dict({**OVERLONG, "unit": "words", "max_length": 3, "buffer": 1, "extract": "strip_think"})
    texts = ["<think>a b c d e f g h</think> one two three four", "<think>never closed", "x y"]
    res = g.score(texts)
    # after </think>: 4 words -> past max_length 3; unclosed think: nothing to measure (not applicable)
    assert res.scores.tolist() == [-1.0, 0.0, 0.0]
    assert res.status.tolist() == [0, 1, 0]
    ids = graders.from_dict({**OVERLONG, "unit": "tokens", "extract": "strip_think"})
    res = ids.score([{"output_text": "<think>a</think> b", "completion_ids": [1, 2, 3]}])
    assert res.errors[0][0].kind == "missing_tokens" and "extract" in res.errors[0][0].message


@pytest.mark.parametrize(("key", "value"), [("correct_range", [math.nan, 1.0]), ("wrong_range", [-math.inf, 0.0]),
                                            ("exceed", -math.inf), ("threshold", math.nan)])
def test_non_finite_cosine_parameters_are_refused_at_load(key: str, value: object) -> None:
    # YAML's .nan / -.inf used to load and turn every reward into NaN.
    node = {"type": "length", "shape": "cosine", "max_length": 10, "unit": "chars",
            "correct": {"type": "exact", "reference": "A"}, key: value}
    with pytest.raises(graders.ConfigError, match=f"{key}.*finite"):
        graders.from_dict({"grader": node})
