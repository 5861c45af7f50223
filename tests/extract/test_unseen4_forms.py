"""Answer forms found in the fifth external pass (tests/data/external_equivalence_unseen4)."""

from __future__ import annotations

import pytest

import graders
from graders.extract import compile_extractor

AUTO = compile_extractor("auto")
MATH = graders.from_dict({"grader": {"type": "math", "reference": "{{ item.gold }}"}})


@pytest.mark.parametrize(("text", "want"), [
    # GAOKAO-Bench: 【解析】 ... <eoe> 【答案】 ... <eoa>
    ("【解析】所以答案是选项A。 <eoe>\n【答案】A <eoa>", "A"),
    ("【解析】...<eoe>\n【答案】3<eoa>", "3"),
    ("【解析】... <eoe>\n【答案】: C <eoa>", "C"),
    ("<eoe>\n【答案】D. $\\frac{4}{5}$ <eoa>", "D"),
    ("【答案】：$\\frac{1}{2}$", "\\frac{1}{2}"),
    # a succession between two answers: the later one counts
    ("First try \\boxed{10}, then \\boxed{20}", "20"),
    ("\\boxed{\\frac{1}{2}} and later \\boxed{3}", "3"),
    ("我先得到 \\boxed{5}，然后 \\boxed{6}", "6"),
    # a closing affirmation, a sentence below the marker, a marker inside \text{}
    ("the final answer is 5, obviously", "5"),
    ("Answer:\nSkyler's investment = $240", "$240"),
    ("Calculation:\nx = 28/2\n\nAnswer:\nWe ordered 14 pizzas.", "14"),
    ("Thus:\n\n$$\n\\text{Answer: } 6-5i\n$$", "6-5i"),
    # the clause that concludes a final sentence; a value called the answer; a signed amount
    ("He had 3 apples, ate 1, so 2 remain.", "2"),
    ("We add 4 and 6, so the total is 10.", "10"),
    ("Looking at this, (C) is the answer.", "C"),
    ("So 42 is the final answer.", "42"),
    ("It was a net change of -$40.", "-$40"),
    ("Choice 2 is right.", "2"),
    ("So B is correct.", "B"),
    # sixth pass: a one-line sentence with a subject, a quoted value, a bare LaTeX fraction on the last line
    ("She earns 18 dollars", "18"),
    ("'4/7'", "4/7"),
    ("After simplifying we get\n\\frac{1}{2}", "\\frac{1}{2}"),
    ("</think> <answer> 40 hours x $10 / hour + 5 hours x 1.2 x $10/hour = $460. </answer>", "$460"),
    # seventh pass: more GSM8K hashes, a leading-dot decimal, a one-line conclusion
    ("##### 42", "42"),
    ("The probability is .5", ".5"),
    ("First 64, therefore 36", "36"),
    ("Kesimpulan: Jadi, 7 ditambah 9 sama dengan 16.", "16"),
    ("Итак, x равно 5.", "5"),
])
def test_forms_are_read(text: str, want: str) -> None:
    assert AUTO(text)[-1] == want


@pytest.mark.parametrize(("text", "gold"), [
    ("\\boxed{41} or \\boxed{42}", "42"),  # still a hedge
    ("\\boxed{10} and then \\boxed{42}", "\\{10,42\\}"),  # a succession is not a set of answers
    ("Réponse : à peu près 42", "42"),  # words that qualify the number are not a sentence to read
    ("Answer:\nalrededor de 42", "42"),
    ("The answer is 42 below zero.", "42"),
    ("【答案】41 或 42 <eoa>", "42"),
    ("He had 3 apples, ate 1, so 2 or 3 remain.", "3"),  # the premise's 3 is not the conclusion
    ("He had 3 apples, ate 1, so 2 or 3 remain.", "2"),
    ("Option A or B is the answer.", "B"),
    ("I do not think B is the answer.", "B"),
    ("It was a net change of -$40.", "40"),
    ("We checked the steps. Step 2 is correct.", "2"),  # a check of a step, not an answer
    ("I think A or B is correct.", "B"),
    ("She has 3 or 4 apples", "4"),
    ("He is not sure, maybe 5", "5"),
    ("First 64, therefore 36 or 37", "37"),
])
def test_still_no_credit(text: str, gold: str) -> None:
    assert MATH.score([text], [{"gold": gold}]).scores.tolist() == [0.0]
