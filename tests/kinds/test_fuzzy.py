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


# -- length bound (issue 9, item 4) ----------------------------------------------------------
def test_partial_ratio_on_long_texts_is_a_too_long_error_in_bounded_time() -> None:
    import random
    import time

    rnd = random.Random(0)
    a = "".join(rnd.choice("abcdefgh ") for _ in range(5000))  # unbounded: ~20 s for this one pair
    b = "".join(rnd.choice("abcdefgh ") for _ in range(5000))
    big = "lorem ipsum " * 16_500  # ~196 KB
    g = graders.from_dict({"type": "fuzzy", "scorer": "partial_ratio", "reference": "{{ item.ref }}"})
    t0 = time.perf_counter()
    res = g.score([a, big, "the answer is 42"], [{"ref": b}, {"ref": big}, {"ref": "answer is 42"}])
    assert time.perf_counter() - t0 < 5
    assert res.status.tolist() == [2, 2, 0]
    assert [e[0].kind for e in res.errors[:2]] == ["too_long", "too_long"]
    assert "partial_max_chars" in res.errors[0][0].message and "max_chars" in res.errors[1][0].message
    assert res.scores[2] == 1.0


def test_length_limits_are_configurable_and_short_vs_long_partial_still_works() -> None:
    g = graders.from_dict({"type": "fuzzy", "scorer": "partial_ratio", "reference": "{{ item.ref }}",
                           "max_chars": 300_000})
    long_text = "x " * 100_000 + "the answer is 42"
    res = g.score([long_text], [{"ref": "answer is 42"}])
    assert res.status.tolist() == [0] and res.scores[0] == 1.0
    with pytest.raises(graders.ConfigError):
        graders.from_dict({"type": "fuzzy", "reference": "x", "max_chars": 0})
