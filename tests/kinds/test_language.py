"""`language`: the share of the reasoning's words in the target language, counted by hand."""

from __future__ import annotations

import pytest

import graders

EN = "We add the two numbers together and then check the result."  # 11 words
FR = "Nous ajoutons les deux nombres puis nous vérifions le résultat final."  # 11 words
ZH = "所以答案是四十二。"  # 8 Han characters = 8 words


def _score(node: dict, texts: list[str]) -> graders.ScoreResult:
    return graders.from_dict({"type": "language", **node}).score(texts)


def test_pure_and_mixed_reasoning_by_hand() -> None:
    texts = [
        f"<think>{EN}</think><answer>42</answer>",                 # 11/11
        f"<think>{EN} {ZH}</think>",                               # 11/19 English
        f"<think>{EN}\n{FR}</think>",                              # 11/22
        f"<think>{FR}</think>",                                    # 0/11
    ]
    res = _score({"language": "en"}, texts)
    assert res.scores.tolist() == pytest.approx([1.0, 11 / 19, 0.5, 0.0])
    assert res.status.tolist() == [0, 0, 0, 0]
    zh = _score({"language": "zh"}, texts[:2])
    assert zh.scores.tolist() == pytest.approx([0.0, 8 / 19])
    fr = _score({"language": "fr"}, texts[2:])
    assert fr.scores.tolist() == pytest.approx([0.5, 1.0])


def test_what_the_reasoning_is() -> None:
    no_think = f"{EN} {ZH}"
    unclosed = f"<think>{EN} {ZH}"
    outside = f"<think>{EN}</think> {ZH}"
    res = _score({"language": "en"}, [no_think, unclosed, outside])
    assert res.scores.tolist() == pytest.approx([11 / 19, 11 / 19, 1.0])
    every = _score({"language": "en", "reasoning": "all"}, [outside])
    assert every.scores.tolist() == pytest.approx([11 / 19])


def test_numbers_and_formulas_are_not_words_and_nothing_to_judge_is_not_applicable() -> None:
    res = _score({"language": "en"}, ["<think>12 + 30 = 42</think>", "", "<think></think> ok", f"<think>{EN} 1+1=2 $$x^2$$</think>"])
    assert res.status.tolist() == [1, 1, 1, 0]
    # "x" in the formula is a one-letter Latin word inside an English chunk: 12 words, all English
    assert res.scores.tolist() == pytest.approx([0.0, 0.0, 0.0, 1.0])


def test_one_word_and_script_only_decisions() -> None:
    # Korean: Hangul is used by no other candidate, so no language identification is needed.
    ko = _score({"language": "ko"}, ["<think>답은 사십이 입니다 because</think>"])
    assert ko.scores.tolist() == pytest.approx([3 / 4])
    one = _score({"language": "en"}, ["<think>Hello</think>", "<think>答</think>"])
    assert one.scores[1] == 0.0


def test_config_checks() -> None:
    with pytest.raises(graders.ConfigError, match="unknown language 'english'"):
        graders.from_dict({"type": "language", "language": "english"})
    with pytest.raises(graders.ConfigError, match="takes no reference"):
        graders.from_dict({"type": "language", "language": "en", "reference": "{{ item.a }}"})
    with pytest.raises(graders.ConfigError, match="unknown codes"):
        graders.from_dict({"type": "language", "language": "en", "languages": ["xx"]})


def test_restricting_candidates() -> None:
    # With only en and fr as candidates the French sentence is still French, the English one English.
    res = _score({"language": "en", "languages": ["en", "fr"]}, [f"<think>{EN}\n{FR}</think>"])
    assert res.scores.tolist() == pytest.approx([0.5])


def test_reasoning_longer_than_max_chars_is_a_bounded_row_error() -> None:
    # 10 MB of reasoning took 11 s to identify; the bound makes it a row error, others unaffected.
    long = "<think>" + (EN + " ") * 20 + "</think>"
    res = _score({"language": "en", "max_chars": 1000}, [f"<think>{EN}</think>", long])
    assert res.scores.tolist() == [1.0, 0.0]
    assert res.errors[0] == [] and [e.kind for e in res.errors[1]] == ["input_too_long"]
    res = _score({"language": "en"}, ["word " * 100_000])  # 500k chars: past the default 400k
    assert [e.kind for e in res.errors[0]] == ["input_too_long"]
