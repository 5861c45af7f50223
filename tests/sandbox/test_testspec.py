"""Test-form parsing, output comparison and the `fenced` extractor (no sandbox needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.extract import compile_extractor
from graders.sandbox.testspec import TestsInvalid, outputs_match, parse_tests

HUMANEVAL_STYLE = (
    "METADATA = {'author': 'jt'}\n\n\ndef check(candidate):\n"
    "    assert candidate(1) == 2\n    x = 3\n    assert candidate(x) == 4\n"
    "    for i in range(3):\n        assert candidate(i) == i + 1\n"
)


def test_check_candidate_is_split_per_assert_statement() -> None:
    plan = parse_tests(HUMANEVAL_STYLE, "inc")
    assert plan.mode == "tests" and len(plan) == 3
    assert plan.units[1] == ("x = 3", "assert candidate(x) == 4")
    assert plan.units[2][1].startswith("for i in range(3):")
    assert plan.entry_point == "inc"


def test_check_with_another_parameter_name_is_bound() -> None:
    plan = parse_tests("def check(fn):\n    assert fn(1) == 2\n", "inc")
    assert plan.units[0][0] == "fn = candidate"


def test_check_needs_an_entry_point() -> None:
    with pytest.raises(TestsInvalid, match="entry_point"):
        parse_tests(HUMANEVAL_STYLE)


def test_case_forms() -> None:
    a = parse_tests([{"input": "1\n", "output": "2\n"}])
    b = parse_tests('{"inputs": ["1\\n"], "outputs": ["2\\n"]}')
    c = parse_tests({"input": ["1\n"], "output": ["2\n"]})
    d = parse_tests('[{"stdin": "1\\n", "expected_output": "2\\n"}]')
    assert a.cases == b.cases == c.cases == d.cases == (("1\n", "2\n"),)
    assert parse_tests(["assert f(1) == 1", "assert f(2) == 2"]).units == (("", "assert f(1) == 1"), ("", "assert f(2) == 2"))


@pytest.mark.parametrize("bad", [[], "", [{"input": "x"}], {"inputs": ["a"], "outputs": []}, ["assert (("], 42,
                                 "def check(c)\n  pass"])
def test_unusable_tests(bad: object) -> None:
    with pytest.raises(TestsInvalid):
        parse_tests(bad, "f")


def test_pytest_functions_and_top_level_asserts() -> None:
    plan = parse_tests("import math\ndef test_a():\n    assert 1\n@staticmethod\ndef helper():\n    pass\ndef test_b():\n    pass\n")
    assert [u[1] for u in plan.units] == ["test_a()", "test_b()"]
    plan = parse_tests("import math\nassert f(1) == 1\ny = 2\nassert f(y) == 2\n")
    assert plan.prelude == "import math"
    assert plan.units == (("", "assert f(1) == 1"), ("y = 2", "assert f(y) == 2"))


@given(st.lists(st.text(alphabet="ab 1\t", max_size=8), max_size=5), st.text(alphabet=" \t", max_size=3),
       st.integers(0, 3))
def test_trailing_whitespace_and_blank_lines_never_matter(lines: list[str], pad: str, blanks: int) -> None:
    expected = "\n".join(lines)
    got = "\n".join(line + pad for line in lines) + "\n" * blanks
    assert outputs_match(got, expected)
    assert outputs_match(got, expected, "tokens")


@given(st.text(alphabet="ab\n ", max_size=12), st.text(alphabet="ab\n ", max_size=12))
def test_lines_rule_implies_tokens_rule(a: str, b: str) -> None:
    if outputs_match(a, b):
        assert outputs_match(a, b, "tokens")
    if outputs_match(a, b, "exact"):
        assert outputs_match(a, b)


def test_leading_space_and_inner_space_matter_under_lines() -> None:
    assert not outputs_match(" 1", "1")
    assert not outputs_match("1  2", "1 2")
    assert outputs_match("1  2", "1 2", "tokens")


FENCED = compile_extractor("fenced")


@pytest.mark.parametrize("text, want", [
    ("```python\na = 1\n```\nthen\n```python\nb = 2\n```", ("b = 2",)),
    ("```py\n    x = 1\n    print(x)\n```", ("x = 1\nprint(x)",)),
    ("```js\nx\n```\n```\nplain\n```", ("plain",)),
    ("```js\nx\n```", ()),
    ("```python\nunclosed", ()),
    ("no code", ()),
    ("````python\ncode with ``` inside\n````", ("code with ``` inside",)),
    ("~~~python\nt = 1\n~~~", ("t = 1",)),
    ("```python\n\n```", ()),
])
def test_fenced_extractor(text: str, want: tuple[str, ...]) -> None:
    assert FENCED(text) == want


def test_fenced_options() -> None:
    text = "```cpp\nint main(){}\n```\n```python\np = 1\n```"
    assert compile_extractor({"type": "fenced", "language": "cpp"})(text) == ("int main(){}",)
    assert compile_extractor({"type": "fenced", "language": "any", "which": "first"})(text) == ("int main(){}",)
    assert compile_extractor({"type": "fenced", "which": "first"})(text) == ("p = 1",)


@given(st.text(max_size=300))
def test_fenced_never_raises_and_gives_at_most_one_block(text: str) -> None:
    assert len(FENCED(text)) <= 1
