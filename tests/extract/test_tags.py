from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.extract import compile_extractor

from ._util import within

xml_answer = compile_extractor("xml_tag")
strip_think = compile_extractor("strip_think")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<answer>42</answer>", ("42",)),
        ("<think>..</think>\n<answer>\n 7 \n</answer>", ("7",)),
        ("<ANSWER>x</Answer>", ("x",)),
        ('<answer id="1">5</answer>', ("5",)),
        ("<answer>1</answer> and <answer>2</answer>", ("1", "2")),
        ("<answer>a <answer>b</answer>", ("b",)),
        ("<answer>42", ()),  # truncated: never closed
        ("<answer></answer>", ()),
        ("<answer/> 5", ()),
        ("<answers>5</answers>", ()),
        ("no tags", ()),
    ],
)
def test_xml_tag(text, expected):
    assert xml_answer(text) == expected


def test_xml_tag_custom_tag_and_key():
    ex = compile_extractor({"type": "xml_tag", "tag": "final"})
    assert ex("<final>3</final><answer>4</answer>") == ("3",)
    assert ex.key != xml_answer.key
    assert compile_extractor({"type": "xml_tag", "tag": "answer"}).key == xml_answer.key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<think>reasoning</think>The answer is 4", ("The answer is 4",)),
        ("reasoning only closes</think>\n42", ("42",)),  # <think> was in the prompt
        ("<think>a</think>b</think> c ", ("c",)),  # the LAST close counts
        ("no thinking at all", ("no thinking at all",)),
        ("<think>truncated reasoning \\boxed{4}", ()),  # never closed: no answer
        ("<think>a</think> b <think> again", ()),  # re-opened: no answer
        ("<think>a</think>   ", ()),
        ("", ()),
    ],
)
def test_strip_think(text, expected):
    assert strip_think(text) == expected


def test_strip_think_custom_tag():
    ex = compile_extractor({"type": "strip_think", "tag": "reasoning"})
    assert ex("<reasoning>x</reasoning> 5") == ("5",)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="<>/answerthink 12\n", max_size=60))
def test_never_raise(text):
    for ex in (xml_answer, strip_think):
        for c in ex(text):
            assert c and c == c.strip()


class TestHostile:
    def test_many_open_tags(self):
        with within(1.0):
            assert xml_answer("<answer " * 500_000) == ()

    def test_long_attribute_runs(self):
        with within(1.0):
            assert xml_answer(("<answer " + "a" * 10_000) * 300) == ()

    def test_many_pairs(self):
        with within(1.0):
            assert len(xml_answer("<answer>1</answer>" * 100_000)) == 100_000

    def test_big_think(self):
        with within(0.5):
            assert strip_think("<think>" + "x" * 5_000_000 + "</think> 9") == ("9",)


@pytest.mark.parametrize(("text", "want"), [
    ("<THINK>\\boxed{42}</THINK>41", ("41",)),
    ("<Think>so 42</Think> The answer is 41.", ("The answer is 41.",)),
    ("<THINK> still thinking \\boxed{42}", ()),  # an upper-case block never closed: no answer
    ("done </think> 41 <THINK> more", ()),  # re-opened in another case
    ("no tags at all: 41", ("no tags at all: 41",)),
])
def test_strip_think_any_case(text: str, want: tuple[str, ...]) -> None:
    from graders.extract.tags import make_strip_think

    assert make_strip_think("think")(text) == want


def test_upper_case_think_block_is_not_the_answer_under_the_default_math_config() -> None:
    import graders

    g = graders.from_dict({"grader": {"type": "math", "reference": "{{ item.gold }}"}})
    res = g.score(["<THINK>\\boxed{42}</THINK>41", "<think>\\boxed{42}</think>41"], [{"gold": "42"}] * 2)
    assert res.scores.tolist() == [0.0, 0.0]
