from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import graders
from graders.kinds.exact import make_normalizer


@pytest.mark.parametrize(
    ("normalize", "output", "ref", "want"),
    [
        (["whitespace"], "  Paris  ", "Paris", 1),
        (["whitespace"], "paris", "Paris", 0),
        (["case"], "PARIS", "paris", 1),
        (["case", "punctuation"], "Paris!", "paris", 1),
        (["case", "articles", "whitespace"], "The Eiffel Tower", "eiffel tower", 1),
        (["nfkc"], "ｐａｒｉｓ", "paris", 1),
        (["whitespace"], "New   York", "New York", 1),
        ([], "a  b", "a b", 0),
        (["case", "punctuation", "whitespace"], "(B)", "b", 1),
    ],
)
def test_normalizations(normalize: list[str], output: str, ref: str, want: int) -> None:
    g = graders.from_dict({"type": "exact", "reference": "{{ item.r }}", "normalize": normalize})
    assert g.score([output], [{"r": ref}]).scores.tolist() == [want]


def test_unknown_normalization_is_a_config_error() -> None:
    with pytest.raises(graders.ConfigError, match="normalize"):
        graders.from_dict({"type": "exact", "reference": "x", "normalize": ["stem"]})


@given(st.text(max_size=30), st.sets(st.sampled_from(["case", "whitespace", "punctuation", "articles", "nfkc"])))
def test_normalizer_is_idempotent(s: str, opts: set[str]) -> None:
    norm = make_normalizer(sorted(opts))
    once = norm(s)
    assert norm(once) == once or "nfkc" in opts or "articles" in opts
