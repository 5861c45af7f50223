from __future__ import annotations

import pytest

from graders.errors import ConfigError
from graders.extract import compile_extractor

auto = compile_extractor("auto")

LONG_REASONING = (
    "Step 1: compute the sum of the first terms, which gives 10. "
    "Step 2: multiply by 4 to get 40. Step 3: we check the parity of each term "
    "and find nothing else to do."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"work... \boxed{42}", ("42",)),
        (r"The answer is 41 but \boxed{42}", ("42",)),  # boxed first
        ("<answer>7</answer>", ("7",)),
        ("<answer>The answer is 7</answer>", ("The answer is 7",)),  # tag before prose
        ("<answer>\\boxed{7}</answer>", ("7",)),
        ("lots of thinking\nThe answer is 12.", ("12",)),
        ("work\n#### 5", ("5",)),
        ("  42  ", ("42",)),  # a bare short answer
        ("x = 3", ("x = 3",)),
        ("12\n13", ()),  # not one line
        (LONG_REASONING, ()),  # never the last number of long reasoning
        ("<think>\\boxed{1} maybe</think>\\boxed{2}", ("2",)),  # drafts in <think> ignored
        ("<think>The answer is 4", ()),  # unfinished reasoning
        ("reasoning</think>\n\n9", ("9",)),
        (r"\boxed{41} or \boxed{42}", ("41", "42")),  # the policy decides
        ("", ()),
    ],
)
def test_order(text, expected):
    assert auto(text) == expected


def test_policy_default_and_option():
    assert auto.policy == "all_must_agree"
    short = compile_extractor({"type": "auto", "max_bare_length": 3, "multiple": "last"})
    assert short("abcd") == () and short("abc") == ("abc",)
    assert short.policy == "last"
    with pytest.raises(ConfigError, match="max_bare_length"):
        compile_extractor({"type": "auto", "max_bare_length": -1})


def test_describe_mentions_the_order():
    text = auto.describe()
    assert "boxed" in text and "answer" in text
