"""Reply parsing: the fallback order, and every way a reply can be unusable (never a silent 0)."""

from __future__ import annotations

import pytest

from graders.judge.parse import parse_label, parse_score

SCORE_CASES = [
    # (reply text, finish_reason, expected value, expected how / error kind)
    ('{"steps": [], "result": 7}', "stop", 7.0, "json"),
    ('{"result": 7.5, "steps": [{"description": "a", "conclusion": "b"}]}', "stop", 7.5, "json"),
    ('{"score": 4}', "stop", 4.0, "json"),
    ('{"Result": "6"}', "stop", 6.0, "json"),
    ("```json\n{\"result\": 3}\n```", "stop", 3.0, "json"),
    ("7", "stop", 7.0, "json"),
    ('Thinking first. {"result": 2} on reflection {"steps": [], "result": 9} done', "stop", 9.0, "json_in_text"),
    ("The answer explains each step.\nScore: 6", "stop", 6.0, "pattern"),
    ("**Score:** 8/10", "stop", 8.0, "pattern"),
    ("result = 0.25", "stop", 0.25, "pattern"),
    ("Step 1 gives score: 3, but overall\nFinal score: 5", "stop", 5.0, "pattern"),
    ('{"result": "high"}', "stop", None, "judge_parse_error"),
    ('{"result": true}', "stop", None, "judge_parse_error"),
    ('{"result": NaN}', "stop", None, "judge_parse_error"),
    ('{"steps": [], "result": 7', "stop", None, "judge_parse_error"),
    ("I think this answer is quite good overall.", "stop", None, "judge_parse_error"),
    ("It deserves a score of 7 out of 10", "stop", None, "judge_parse_error"),
    ("", "stop", None, "judge_parse_error"),
    ('{"steps": [], "result": 1', "length", None, "judge_truncated"),
    ("Score: 1", "length", None, "judge_truncated"),  # "10" cut to "1" must not count
    ("", "length", None, "judge_truncated"),
    ('{"steps": [], "result": 10}', "length", 10.0, "json"),  # complete JSON survives a length stop
]


@pytest.mark.parametrize("text, finish, value, how", SCORE_CASES)
def test_parse_score(text: str, finish: str, value: float | None, how: str) -> None:
    p = parse_score(text, finish)
    if value is None:
        assert p.value is None and p.error is not None
        assert p.error[0] == how
    else:
        assert p.error is None and p.value == value and p.how == how


def test_refusals() -> None:
    p = parse_score(None, "stop", "I can't help with that.")
    assert p.error is not None and p.error[0] == "judge_refusal" and "can't help" in p.error[1]
    assert parse_score('{"result": 5}', "content_filter").error[0] == "judge_refusal"  # type: ignore[index]
    assert parse_label(None, ["a", "b"], "stop", "no").error[0] == "judge_refusal"  # type: ignore[index]


def test_parse_error_message_quotes_the_reply() -> None:
    p = parse_score("The response is solid but lacks detail.", "stop")
    assert p.error is not None and "lacks detail" in p.error[1]


LABELS = ["polite", "neutral", "rude"]
LABEL_CASES = [
    ('{"steps": [], "label": "rude"}', "stop", "rude", "json"),
    ('{"label": "Rude"}', "stop", "rude", "json"),
    ('{"result": "neutral"}', "stop", "neutral", "json"),
    ('"polite"', "stop", "polite", "json"),
    ('Reasoning ... {"label": "neutral"}', "stop", "neutral", "json_in_text"),
    ("The tone is dismissive.\nLabel: rude", "stop", "rude", "pattern"),
    ("rude", "stop", "rude", "bare_label"),
    ("  Polite. ", "stop", "polite", "bare_label"),
    ('{"label": "angry"}', "stop", None, "judge_invalid_label"),
    ("Label: sarcastic", "stop", None, "judge_invalid_label"),
    ("I think it is polite but also a bit rude", "stop", None, "judge_parse_error"),
    ('{"label": "pol', "length", None, "judge_truncated"),
    ("", "stop", None, "judge_parse_error"),
]


@pytest.mark.parametrize("text, finish, value, how", LABEL_CASES)
def test_parse_label(text: str, finish: str, value: str | None, how: str) -> None:
    p = parse_label(text, LABELS, finish)
    if value is None:
        assert p.value is None and p.error is not None and p.error[0] == how
    else:
        assert p.error is None and p.value == value and p.how == how
