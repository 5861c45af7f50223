"""The `math` kind's reference side (issue 8): a reference that is a whole worked solution
stating its answer in prose (Math-Verify's test_latex_notation_math gold: "... Final Answer:
The final answer is $28\\%$. I hope it is correct.") is read at that answer, as an answer
would be; short references are parsed as written. Default config and `extract: auto` agree."""

from __future__ import annotations

import pytest

import graders

SOLUTION = (
    "Let's assume the stock's value at the beginning of Monday is $100$. After losing $10\\%$ of its "
    "value on Monday, the stock's value becomes $100 - 10 = 90$. On Tuesday it loses $20\\%$ of that, "
    "so it is worth $90 - 18 = 72$. The overall percent loss in value is $100\\% - 72\\% = 28\\%$. "
    "Final Answer: The final answer is $28\\%$. I hope it is correct. Note: the solution above "
    "is one way to see it; the answer is"
)


@pytest.mark.parametrize("extract", [None, "auto"])
@pytest.mark.parametrize(("answer", "expected"), [(r"\boxed{28\%}", 1.0), ("28", 1.0), (r"\boxed{72\%}", 0.0),
                                                  ("100", 0.0)])
def test_a_worked_solution_reference_is_read_at_its_stated_answer(extract: str | None, answer: str, expected: float) -> None:
    spec = {"type": "math", "reference": "{{ item.gold }}"}
    if extract:
        spec["extract"] = extract
    g = graders.from_dict({"grader": spec})
    assert g.score([answer], [{"gold": SOLUTION}]).scores[0] == expected


def test_a_long_reference_without_an_answer_marker_is_parsed_as_written() -> None:
    g = graders.from_dict({"grader": {"type": "math", "reference": "{{ item.gold }}"}})
    long_expr = " + ".join(f"x^{{{k}}}" for k in range(1, 40))
    assert len(long_expr) > 200
    res = g.score([rf"\boxed{{{long_expr}}}", r"\boxed{x}"], [{"gold": long_expr}, {"gold": long_expr}])
    assert list(res.scores) == [1.0, 0.0]
