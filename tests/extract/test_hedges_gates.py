"""The cheap gates in front of the hedge rules must never change what the rules say."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graders.extract import boxed, hedges

_PIECES = st.sampled_from([
    " ", "\t", "\n", ".", "$", "}", ")", "]", "!", "</answer>", "<answer>", "or", " or 43", "No.", " Wait, 43.",
    "?", "+", "-ish", ",", " 43", "(a guess)", "wrong", "约", "，", "\\neq", "is not", "\\lor 5", "&", "/", "|",
    "'", '"', "*", "=", ":", ";", "\\", "e.g.", "<", "I hope it is correct.", "Answer: 43", "и", "ø",
])
_TAILS = st.lists(_PIECES, max_size=8).map("".join)
_HEADS = st.sampled_from(["The answer is ", "Maybe 43 or ", "not ", "", "e.g. ", "So $x = ", "Final: "])


@settings(max_examples=600, deadline=None)
@given(_HEADS, st.sampled_from(["42", "\\frac{1}{2}", "A"]), _TAILS)
def test_gates_agree_with_the_full_rules(head: str, value: str, tail: str) -> None:
    body = f"{head}\\boxed{{{value}}}{tail}"
    start = len(head)
    end = start + len(f"\\boxed{{{value}}}")
    if not hedges._may_deny_after(body, end):
        assert hedges._DENIED_AFTER.match(body, end, end + hedges._AFTER) is None
    if hedges.inert_tail(body, end):
        assert hedges.taken_back(body, end) is False
        assert hedges.retraction(body, end) is None
        window = body[end : end + hedges._AFTER]
        stop = hedges._SENTENCE_END.search(window)
        rest = window[: stop.start()] if stop is not None else window
        assert hedges._OFFER.search(rest) is None
    assert hedges.alternative_after(body, end) == _alternative_after_ungated(body, end)


def _alternative_after_ungated(body: str, end: int):
    window = body[end : end + hedges._AFTER]
    stop = hedges._SENTENCE_END.search(window)
    rest = window[: stop.start()] if stop is not None else window
    explains = hedges._EXPLAINS.search(rest)
    if explains is not None:
        rest = rest[: explains.start()]
    offer = hedges._OFFER.search(rest)
    if offer is None or hedges._RESTATES.match(rest, offer.end()):
        return None
    if hedges._BOUND.match(rest, offer.end()):
        return (end + offer.start(), end + len(rest), rest[offer.start() :].strip())
    if not hedges._VALUE_CHAR.search(rest):
        return None
    value = rest.strip(" \t,;:()")
    return (end + rest.find(value[:1]), end + len(rest), value) if value else None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["\\boxed{1}", "\\boxed{2}", "x", " ", "\\fbox{3}", "{", "}"]), max_size=6).map("".join))
def test_answer_spans_memo_returns_what_a_fresh_scan_gives(text: str) -> None:
    first = boxed.answer_spans(text)
    first.append((0, 0, "mutated by a caller"))  # a caller's list is its own
    again = boxed.answer_spans(text)
    boxed._remember(None, ())  # type: ignore[arg-type]
    assert again == boxed.answer_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['"answer": "5"', "'Answer': 7", '"final_answer":', "nswer", '"', "'", ":", " ", "}",
                                 "{", "answer", "x", "\n", "```"]), max_size=8).map("".join))
def test_json_gate_only_skips_texts_the_field_pattern_cannot_match(text: str) -> None:
    from graders.extract import json_answer as ja

    if "nswer\"" not in text and "nswer'" not in text:
        assert ja._FIELD.search(text) is None


@given(st.text(max_size=60))
def test_markup_gate_is_the_plain_test(text: str) -> None:
    from graders.extract.auto import _has_markup

    plain = "<|" in text or (not text.isascii() and "<｜" in text) or text[-24:].rstrip().endswith(
        ("</s>", "<eos>", "<end_of_turn>", "[/INST]"))
    assert _has_markup(text) == plain


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["\\boxed{", "\\fbox{", "}", "{", "\\frac{1}{2}", "\\{", "\\}", "\\\\", "x", " ", "\\sqrt",
                                 "2", "\\boxed 7"]), max_size=8).map("".join))
def test_cut_off_box_shortcut_agrees_with_the_scan(text: str) -> None:
    cmd = max(text.rfind("\\boxed"), text.rfind("\\fbox"))
    scan = cmd >= 0 and not any(bs == 0 for _, _, bs, _ in boxed.box_spans(text[cmd:]))
    assert hedges.cut_off_box(text) == scan
