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


_MARKER_WORDS = st.sampled_from([
    "the", "The", "THE", "final", "Final", "correct", "answer", "Answer", "answers", "is", "IS", "was", "would be",
    ":", " ", "  ", "\t", "$", "(", "\\", "[", "**", "bathe", "not", "wrong", "isn't", "my", "old", "x", "2", "答案",
    "是", "ı", "ſ", "\n", "finalanswer", "suppose",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_MARKER_WORDS, max_size=10).map("".join))
def test_marker_and_rejection_gates_agree_with_the_patterns(window: str) -> None:
    from graders.extract import more_markers as mm

    body = window + "\\boxed{7}"
    bs = len(window)
    for lo in (0, max(0, bs - 7)):
        got = mm._marker_before(body, lo, bs)
        want = mm._MARKER_BEFORE.search(body, lo, bs)
        assert (got.span() if got else None) == (want.span() if want else None)
    for start in range(len(window) + 1):
        lo = max(0, start - mm._BEFORE, window.rfind("\n", max(0, start - mm._BEFORE), start) + 1)
        assert mm._rejected(window, start) == (mm._REJECTED_BEFORE.search(window, lo, start) is not None)
    assert mm.disowned(window) == _disowned_plain(window)


def _disowned_plain(text: str) -> bool:
    from graders.extract import more_markers as mm

    tail_start = max(0, len(text) - 80)
    if mm._DISOWN_GATE.search(text, tail_start) is None:
        return False
    last = -1
    for m in mm._LAST_VALUE.finditer(text, tail_start):
        last = m.end()
    if last < 0:
        return False
    tail = text[last:]
    return len(tail.strip()) > 2 and mm._DISOWNED.search(tail) is not None


_LEADS = st.sampled_from([
    "", "The final answer is ", "the answer is: ", "So the answer is ", "Therefore, the final answer is ",
    "Final Answer: ", "FINAL ANSWER: ", "Hence answer is ", "thus the answer is\t", "Answer: ", "Not the answer: ",
    "Wrong answer: ", "Suppose the answer is ", "e.g. ", "about ", "43 or ", "The answer is not ", "If the answer is ",
])
_WRAPS = st.sampled_from([("", ""), ("$", "$"), ("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", ""), ("", "$")])
_CONTENTS = st.sampled_from([
    "7", "7\\sqrt{3}", "\\frac{1}{2}", "x = 5", "3 or 4", "\\text{no}", "42, 43", "\\boxed{5}", "\\fbox{5}", "-2",
    "(1, 2)", "\\{1,2\\}", "A", "\\pi", "wrong", "\\neq 5", "x^{2}", " 5 ", "10%", "{5}", "\\approx 3",
])
_ENDS = st.sampled_from(["", ".", ". ", "</answer>", ".</answer>", "\n", " . \n", ". No.", " or 6.", " (a guess)", "?",
                         ". Wait, actually 6.", ", I think.", " is wrong.", "}."])


@settings(max_examples=3000, deadline=None)
@given(st.booleans(), _LEADS, _WRAPS, _CONTENTS, _ENDS, st.sampled_from(["", "  ", "\n"]))
def test_fast_path_for_plain_answer_regions_equals_the_general_path(tag: bool, lead: str, wrap: tuple[str, str],
                                                                      content: str, end: str, pad: str) -> None:
    from graders.extract import auto as A

    body = f"{pad}{'<answer>' if tag else ''}{lead}{wrap[0]}\\boxed{{{content}}}{wrap[1]}{end}"
    if tag and "</answer>" not in end:
        body += "</answer>"
    for text in (body, f"<think>reasoning, 41 or 42</think>{body}", f"...</think>\n\n{body}"):
        fn = A.make_auto(frozenset(A.STEPS), A.DEFAULT_MAX_BARE_LENGTH, True)
        fast = fn(text)
        A._FAST = False
        try:
            slow = fn(text)
        finally:
            A._FAST = True
        assert fast == slow, (text, fast, slow)
