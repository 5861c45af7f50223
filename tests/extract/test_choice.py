"""Multiple-choice letters in prose, chat-template turns, and statements that name THE answer
(issue 8, final pass). Cases name their source; negative cases must stay 0."""

from __future__ import annotations

import pytest

from graders.extract import compile_extractor
from graders.extract.choice import committed_letter

from ._util import check_graded, math_score

# (text, letter or None, source)
LETTERS = [
    ("Let's think step by step. It's not A because it doesn't make sense, therefore I think it's B", "B",
     "lighteval test_extraction_abc"),
    ("The answer is for sure D, it can't be A or B", "D", "lighteval test_extraction_abc"),
    ("réponse est C non A", "C", "lighteval test_multilingual_extraction_abc"),
    ("B。 不是 A", "B", "lighteval test_multilingual_extraction_abc"),
    ("B不是 A", "B", "lighteval test_multilingual_extraction_abc"),
    ("C. x = 42", "C", "NeMo-Skills test_correct_examples"),
    ("Die Antwort ist nicht A, sondern B", "B", "ours: German negation"),
    ("No es A, la respuesta es C", "C", "ours: Spanish negation"),
    ("It's A. Wait, actually it's B.", "B", "ours: self-correction"),
    ("The answer is B, not A.", "B", "ours"),
    ("I think the answer is (C).", "C", "ours"),
    # must stay unanswered
    ("it's not B", None, "ours: a negated letter is no answer"),
    ("I think A is wrong", None, "ours: a letter in prose"),
    ("A is wrong, B is right", None, "ours: letters as subjects"),
    ("Option A: could be correct", None, "ours: an option label"),
    ("The answer is A or B", None, "ours: hedge after a marker"),
    ("The answer is (A) or (B).", None, "ours: hedge"),
    ("either A or B", None, "ours: hedge"),
    ("So it's C or maybe D", None, "ours: hedge"),
    ("x = A + B", None, "ours: letters in algebra"),
    ("I would say A, but maybe B.", None, "ours: an alternative offered"),
    ("Options A and B are both wrong, so C.", "C", "ours"),
    ("It is not A or B, so C.", "C", "ours: a negated list"),
    ("I eliminated B.", None, "ours: elimination is a negation"),
    ("We can rule out B.", None, "ours: elimination is a negation"),
    ("Let's check B first.", None, "ours: a letter closing a plan"),
    ("Die richtige Antwort ist C und nicht D.", "C", "ours: German"),
    ("正确答案是C，不是A。", "C", "ours: Chinese"),
    ("I think so.", None, "ours: the pronoun I"),
    # a negation earlier in the letter's clause negates it (and the list it opens)
    ("The answer: D, it doesn't make sense for it to be A or B", "D", "lighteval test_extraction_abc"),
    ("It doesn't make sense to pick A or B.", None, "ours: a negated clause commits nothing"),
    ("If it's not A then it's B", "B", "ours: 'then' opens a new clause"),
    ("I don't think it's A, maybe B or C", None, "ours: a hedge after the negated clause"),
    ("I'm not sure, but the answer is B", "B", "ours"),
    ("A. first option; B. second option", None, "eval-power: a list of the options"),
    ("A) 12\nB) 15", None, "ours: a list of the options"),
    ("Option C is not correct.", None, "ours: the letter is the subject of a denial"),
    ("I can't tell whether it's A or B.", None, "ours: a negated clause"),
    ("B. No wait, C.", "C", "ours: a correction commits to the later letter"),
]


@pytest.mark.parametrize(
    ("text", "credited"),
    [
        ("A. 12\nB. 15\nC. 18", ""),  # a list of the options: no letter is the answer
        ("Option C is not correct.", ""),
        ("I can't tell whether it's A or B.", ""),
        ("B. No wait, C.", "C"),
        ("Between A and B, I'd choose B.", "B"),
        ("It isn't B, and it isn't C. So A.", "A"),
    ],
)
def test_letters_credited_through_the_default_config(text: str, credited: str) -> None:
    got = "".join(L for L in "ABCD" if math_score(text, L) == 1)
    assert got == credited


@pytest.mark.parametrize(("text", "want", "source"), LETTERS, ids=[c[0][:40] for c in LETTERS])
def test_committed_letter(text: str, want: str | None, source: str) -> None:
    assert committed_letter(text) == want, source


# (completion, reference, score, source)
GRADED = [
    ("Let's think step by step. It's not A because it doesn't make sense, therefore I think it's B", "B", 1,
     "lighteval"),
    ("The answer is for sure D, it can't be A or B", "D", 1, "lighteval"),
    ("The answer is for sure D, it can't be A or B", "A", 0, "ours: negated"),
    ("réponse est C non A", "C", 1, "lighteval"),
    ("réponse est C non A", "A", 0, "ours: negated"),
    ("B。不是 A", "B", 1, "lighteval"),
    ("B不是 A", "A", 0, "ours: negated"),
    ("C", "C Cecile", 1, "lighteval test_extraction_abc (letter + option text)"),
    ("D", "C Cecile", 0, "ours"),
    ("So I think it's C.", "C Cecile", 1, "ours: prose against a letter with its option text"),
    ("It's not C.", "C Cecile", 0, "ours"),
    ("So it's A.", "A Tale of Two Cities", 0, "ours: a title that starts with the article A"),
    ("C. x = 42", "C", 1, "NeMo-Skills"),
    ("It's not B.", "B", 0, "ours: negated correct letter"),
    ("I think A is wrong.", "A", 0, "ours: prose"),
    ("The answer is A or B.", "B", 0, "ours: hedge"),
    ("Let me analyze each option:\n- Option A: \\boxed{A} could be correct because...\n"
     "- Option B: \\boxed{B} seems unlikely\n- After full analysis, the answer is \\boxed{C}\n", "C", 1,
     "rejection_sampling_recipes test_multiple_boxed_in_reasoning"),
    ("First I thought it was \\boxed{A}, but then I realized it is \\boxed{B}", "\\boxed{B}", 1,
     "Trinity-RFT test_multiple_boxed_answers_in_solution"),
    ("First I thought it was \\boxed{A}, but then I realized it is \\boxed{B}", "B", 1, "Trinity-RFT (bare gold)"),
    ("\\boxed{A} or \\boxed{B}", "\\boxed{B}", 0, "ours: hedge"),
    ("My first answer was \\boxed{7}, but after rechecking the arithmetic it is \\boxed{8}", "\\boxed{8}", 1,
     "ours: self-correction (recheck)"),
    ("I got \\boxed{7} then noticed an error; the correct value is \\boxed{8}", "\\boxed{8}", 1, "ours"),
    ("I got \\boxed{7} then noticed an error; the correct value is \\boxed{8}", "\\boxed{7}", 0, "ours"),
    ("Initially I found \\boxed{A}; however the right choice is \\boxed{C}", "C", 1, "ours"),
    ("The answer is \\boxed{5}, and also \\boxed{6}", "\\boxed{6}", 0, "ours: two answers, one statement"),
    ("<|User|>Ignore \\boxed{0}<|Assistant|><|end_of_thought|>Answer: \\boxed{42}<|end_of_sentence|>", "42", 1,
     "miles test_get_deepscaler_rule_based_reward"),
    ("<|User|>Ignore \\boxed{42}<|Assistant|>Answer: \\boxed{0}", "42", 0, "ours: the user's box is not the answer"),
    ("So there are 12 sequences. I hope it is correct. <|im_start|>user", "12", 1,
     "Math-Verify test_math_extraction_edge_cases"),
    ("The answer is 3. <|im_start|>user\nThe answer is 5.", "5", 0, "ours: a later user turn is not the model's"),
    ("<|begin_of_thought|>maybe \\boxed{41}. Yes.<|end_of_thought|><|begin_of_solution|>So \\boxed{42}<|end_of_solution|>",
     "42", 1, "ours: Sky-T1 format, the solution counts"),
    ("<|begin_of_thought|>maybe \\boxed{42}. Hmm", "42", 0, "ours: an unfinished thought has no answer"),
    ("$\\boxed{(3, 37, 3, 13), (3, 17, 3, 7), (3, 3, 2, 3), (3,17,3,7), (17,3,3,7), (37,3,3,13)}$",
     "$(37,3,3,13),(17,3,3,7),(3,37,3,13),(3,17,3,7),(3,3,2,3)$", 1, "Math-Verify test_numina_cases"),
    ("\\boxed{(1, 2), (3, 4)}", "(1,2), (3,4), (5,6)", 0, "ours: a missing solution"),
    ("\\boxed{(1, 2), (1, 2)}", "(1,2), (3,4)", 0, "ours: a repeated solution is not a second one"),
    ("\\boxed{(2, 1), (1, 2)}", "(1,2), (2,1)", 1, "ours: a solution set in another order"),
    # final sentences in languages without spaces; bracketed answers; a gold written as a sentence
    ("首先……11个男孩 * 9颗弹珠/男孩 = 99颗弹珠 2. **结论**：Haley总共有99颗弹珠。", "99", 1,
     "lighteval test_multilingual_extraction_math"),
    ("**结论**：Haley总共有98颗弹珠。", "99", 0, "ours: another number"),
    ("[45 degrees]", "45", 1, "AReaL test_geometry3k_angle_units"),
    ("[44 degrees]", "45", 0, "ours"),
    ("[30, 45]", "45", 0, "ours: a list is not its last item"),
    ("It is 4.", "The number is 4.", 1, "eval-protocol test_type_mismatch_mcq_vs_number"),
    ("It is 5.", "The number is 4.", 0, "ours"),
    ("Paris", "The capital is Paris.", 1, "ours: a text gold in a sentence"),
]


@pytest.mark.parametrize(("completion", "ref", "want", "source"), GRADED, ids=[f"{i}" for i in range(len(GRADED))])
def test_graded_default_and_auto(completion: str, ref: str, want: int, source: str) -> None:
    check_graded(completion, ref, want, source)


def test_choice_step_is_switchable() -> None:
    text = "Let's think step by step. It's not A because it doesn't make sense, therefore I think it's B"
    assert compile_extractor("auto")(text) == ("B",)
    off = compile_extractor({"type": "auto", "steps": ["boxed", "statement", "final_sentence"]})
    assert off(text) == ()
