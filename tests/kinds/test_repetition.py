"""`repetition`: (1 - distinct/all n-grams) x max_penalty, computed by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import graders
from graders.shaping.units import repetition


@pytest.mark.parametrize(("text", "want"), [
    ("", 0.0),                          # empty completion
    ("one", 0.0),                       # one word < ngram
    ("one two", 0.0),                   # fewer than ngram units
    ("one two three", 0.0),             # exactly one trigram: nothing repeated
    ("a b c a b c", -0.25),             # trigrams abc bca cab abc: 3 distinct of 4
    ("x x x x x", -2 / 3),              # xxx xxx xxx: 1 distinct of 3
    ("a  b\nc\ta b c", -0.25),          # any whitespace separates words
])
def test_word_trigrams_by_hand(text: str, want: float) -> None:
    g = graders.from_dict({"type": "repetition"})
    assert g.score([text]).scores[0] == pytest.approx(want)


def test_max_penalty_scales_and_ngram_changes_the_window() -> None:
    g = graders.from_dict({"type": "repetition", "max_penalty": -0.5, "ngram": 2})
    # bigrams ab ba ab ba ab: 2 distinct of 5 -> (1 - 2/5) * -0.5 = -0.3
    assert g.score(["a b a b a b"]).scores[0] == pytest.approx(-0.3)
    uni = graders.from_dict({"type": "repetition", "ngram": 1})
    assert uni.score(["a a b b"]).scores[0] == pytest.approx(-0.5)


def test_chars_and_tokens() -> None:
    chars = graders.from_dict({"type": "repetition", "unit": "chars", "ngram": 2})
    # "abab": ab ba ab -> 2 of 3
    assert chars.score(["abab", "a"]).scores.tolist() == pytest.approx([-1 / 3, 0.0])
    toks = graders.from_dict({"type": "repetition", "unit": "tokens", "ngram": 2})
    rows = [{"output_text": "x", "completion_ids": [1, 2, 1, 2, 1]}, {"output_text": "x", "completion_ids": [7]}]
    assert toks.score(rows).scores.tolist() == pytest.approx([-0.5, 0.0])
    res = toks.score(["plain"])
    assert res.errors[0][0].kind == "missing_tokens"
    nested = toks.score([{"output_text": "x", "completion_ids": [[1], [2], [1]]}, rows[0]])
    assert nested.status.tolist() == [2, 0] and nested.errors[0][0].kind == "bad_completion_ids"
    bad = toks.score([{"output_text": "x", "completion_ids": "1 2 3"}])
    assert bad.errors[0][0].kind == "bad_completion_ids"


def test_no_negative_zero_and_config_limits() -> None:
    g = graders.from_dict({"type": "repetition"})
    assert str(g.score(["a b c d"]).scores[0]) == "0.0"
    with pytest.raises(graders.ConfigError, match="less than or equal to 0"):
        graders.from_dict({"type": "repetition", "max_penalty": 0.5})
    with pytest.raises(graders.ConfigError, match="greater than or equal to 1"):
        graders.from_dict({"type": "repetition", "ngram": 0})


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=30), st.integers(1, 5))
def test_matches_a_counter_of_ngrams(words: list[str], n: int) -> None:
    grams = [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
    want = 0.0 if not grams else 1 - len(set(grams)) / len(grams)
    assert repetition(words, n) == pytest.approx(want)
    assert repetition("".join(words), n) == pytest.approx(want)  # one-letter words: chars agree


def test_non_finite_max_penalty_is_refused_at_load() -> None:
    # -inf used to load: 0 repeats x -inf = NaN for every row.
    with pytest.raises(graders.ConfigError, match="max_penalty.*finite"):
        graders.from_dict({"grader": {"type": "repetition", "max_penalty": float("-inf")}})
