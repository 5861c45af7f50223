"""Fallback forms of the fourth external pass (issue 8): a derivation's last line `= 15`, a
sentence that lists values and calls the last one final ("First we calculate 5, then 10,
finally 15."), and a choice committed with "finalize" after a hedge. Sources of the forms:
shabnam311/GSV_Math (test_equals_sign_last_line), an llm_finetuning repo's
test_extract_fallback_last_number, NovaSky-AI/SkyThought's get_multiple_choice_answer test.
Neighbours that must not change are checked beside each."""

from __future__ import annotations

import pytest

from ._util import check_graded, run


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("x + 5 = 20\n= 15", ("15",)),
        ("Total cost: 3 * 4 + 2\n= 14", ("14",)),
        ("We simplify:\n= $\\frac{3}{4}$", ("\\frac{3}{4}",)),
    ],
)
def test_last_line_continues_the_chain(text, want):
    assert run("auto", text) == want


def test_a_chain_line_that_is_not_a_value_is_no_answer():
    assert run("auto", "x + 5 = 20\n= 15 + x") == ()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("First we calculate 5, then 10, finally 15.", ("15",)),
        ("First 2/3, finally 7/8", ("7/8",)),
        ("We get 3, then 6, and lastly 12.", ("12",)),
        ("Step values are 1, 2 and in the end we get $\\frac{1}{2}$.", ("\\frac{1}{2}",)),
        ("So we get 5, then 10, finally 15 apples.", ("15 apples",)),
    ],
)
def test_the_value_a_listing_sentence_calls_final(text, want):
    assert run("auto", text) == want


@pytest.mark.parametrize(
    "text",
    [
        "First we calculate 5, then 10, finally maybe 15.",  # no value right after "finally"
        "Finally 15 apples remain after we give 5 away.",  # not a listing that ends on the value
    ],
)
def test_finally_does_not_pick_a_value_it_does_not_end_on(text):
    assert run("auto", text) != ("15",)


def test_listing_graded():
    check_graded("First we calculate 5, then 10, finally 15.", "15", 1, "llm_finetuning fallback")
    check_graded("First we calculate 5, then 10, finally 15.", "10", 0, "llm_finetuning fallback")


@pytest.mark.parametrize(
    ("text", "ref", "want"),
    [
        ("B is correct. Or maybe C. Actually let's finalize B", "B", 1),
        ("B is correct. Or maybe C. Actually let's finalize B", "C", 0),
        ("I'll settle on D.", "D", 1),
        ("Let's finalize B or C.", "B", 0),  # a hedge in the final sentence
        ("Let's not finalize B yet.", "B", 0),
    ],
)
def test_a_choice_finalized(text, ref, want):
    check_graded(text, ref, want, "SkyThought get_multiple_choice_answer")


@pytest.mark.parametrize(
    ("text", "ref", "want"),
    [
        ("因此，最少需要 21 个。", "21", 1),  # "the minimum needed is 21": the answer of a minimum question
        ("利用手感区分形状、按形状选取，最少需要取出 21 个。", "21", 1),
        ("所以最多能放 5 个。", "5", 1),
        ("至少需要 21 个。", "21", 0),  # "at least 21": a bound
        ("最少取出 21 个，这个答案不对。", "21", 0),  # "... this answer is wrong"
        ("The answer is 42, but this answer is wrong.", "42", 0),
        ("So the total is 42. That's incorrect.", "42", 0),
        ("The answer is 42. It's not correct to round it.", "42", 1),
        ("The other approach was wrong, so the answer is 42.", "42", 1),
    ],
)
def test_chinese_minimum_and_disowned_answers(text, ref, want):
    check_graded(text, ref, want, "zh candy grader suite forms and their neighbours")


@pytest.mark.parametrize(
    ("text", "ref", "want"),
    [
        ("每个盒子放 5 个，所以需要 4 个盒子。", "4", 1),  # the clause after 所以 is the conclusion
        ("每个盒子最多放 5 个，所以需要 4 个盒子。", "5", 0),
        ("因为 6*7=42，所以是 42。", "42", 1),
        ("答案是 42，所以小明有 42 个。", "42", 1),
        ("The answer is 42. This answer is correct.", "42", 1),  # a judgement, not a new answer
        ("答案是 21 个。这个答案是对的。", "21", 1),
        ("The answer is 42. This answer is wrong.", "42", 0),
    ],
)
def test_conclusion_clause_and_judgements(text, ref, want):
    check_graded(text, ref, want, "Chinese conclusions; a judgement after the answer")
