from __future__ import annotations

import pytest

import graders


def test_search_and_fullmatch() -> None:
    fmt = r"(?s)<think>.*</think>\s*<answer>.*</answer>"
    g = graders.from_dict({"type": "regex", "pattern": fmt})
    gf = graders.from_dict({"type": "regex", "pattern": r"\d+", "mode": "fullmatch"})
    assert g.score(["<think>a</think> <answer>1</answer>", "<answer>1</answer>"]).scores.tolist() == [1, 0]
    assert gf.score(["123", "123a"]).scores.tolist() == [1, 0]


def test_flags() -> None:
    g = graders.from_dict({"type": "regex", "pattern": "^answer", "ignore_case": True, "multiline": True})
    assert g.score(["x\nANSWER: 3", "no"]).scores.tolist() == [1, 0]


def test_bad_pattern_is_a_config_error() -> None:
    with pytest.raises(graders.ConfigError, match="does not compile"):
        graders.from_dict({"type": "regex", "pattern": "(unclosed"})


def test_catastrophic_pattern_times_out_for_that_row_only() -> None:
    g = graders.from_dict({"type": "regex", "pattern": "(a|aa)+$", "timeout": 0.1})
    res = g.score(["a" * 40 + "!", "aaa"])
    assert res.status.tolist() == [2, 0]
    assert res.errors[0][0].kind == "regex_timeout"
    assert res.scores.tolist() == [0.0, 1.0]
