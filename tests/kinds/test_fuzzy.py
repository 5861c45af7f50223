from __future__ import annotations

import pytest

import graders


def fuzzy(outputs: list[str], ref: str, **kw: object) -> list[float]:
    g = graders.from_dict({"type": "fuzzy", "reference": "{{ item.r }}", **kw})
    return g.score(outputs, [{"r": ref}] * len(outputs)).scores.tolist()


def test_continuous_scores_in_unit_interval() -> None:
    got = fuzzy(["Jon Doe", "John Doe", "Jane Roe", "zzz"], "John Doe")
    assert got[1] == 1.0
    assert 0.9 < got[0] < 1.0
    assert got[3] < got[2] < got[0]
    assert all(0 <= x <= 1 for x in got)


def test_threshold_makes_it_pass_fail() -> None:
    assert fuzzy(["Jon Doe", "Jane Roe"], "John Doe", threshold=0.9) == [1.0, 0.0]


@pytest.mark.parametrize("scorer", ["ratio", "partial_ratio", "token_sort_ratio", "token_set_ratio", "WRatio",
                                    "QRatio", "levenshtein", "jaro_winkler", "indel"])
def test_every_scorer_gives_one_on_identity_and_less_otherwise(scorer: str) -> None:
    got = fuzzy(["new york city", "boston"], "new york city", scorer=scorer)
    assert got[0] == pytest.approx(1.0)
    assert got[1] < 0.8


def test_token_set_ignores_order_and_duplicates() -> None:
    assert fuzzy(["city york new new"], "new york city", scorer="token_set_ratio") == [1.0]


def test_processor_does_not_turn_symbols_into_matches() -> None:
    # rapidfuzz's default processor maps both "+" and "-" to "" and would score 1.0
    assert fuzzy(["-"], "+") == [0.0]
    assert fuzzy(["+"], "+") == [1.0]


def test_empty_answer_is_not_applicable_not_a_match() -> None:
    g = graders.from_dict({"type": "fuzzy", "reference": "{{ item.r }}"})
    res = g.score(["", "   "], [{"r": ""}, {"r": "x"}])
    assert res.scores.tolist() == [0.0, 0.0]
    assert res.status.tolist() == [1, 1]


def test_unknown_scorer() -> None:
    with pytest.raises(graders.ConfigError, match="scorer"):
        graders.from_dict({"type": "fuzzy", "reference": "x", "scorer": "cosine"})
