"""Final sentences and stated values (`graders.extract.sentence`, `auto`'s fallbacks), issue 8.

Each family has the form models write and the adversarial forms the same rule must refuse:
intermediate values, hedges, distractor numbers in the final sentence, negations. Sources
are named; "ours" are written here to break the rule.
"""

from __future__ import annotations

import pytest

from graders.extract import compile_extractor
from graders.extract.sentence import final_sentence, sentence_value

from ._util import check_graded

auto = compile_extractor("auto")

STEPS = "Step 1: adding 29 and 16 gives 45.\nStep 2: subtracting, we get 16.\n"


# (completion, reference, credited, source)
GRADED = [
    # numbers in words, a Unicode minus, a factorial (realistic set, prose style)
    (STEPS + "So, the farmer sold seventy-two cupcakes this week.", "72", 1, "realistic heldout-0565"),
    (STEPS + "Altogether the class raised two hours.", "2", 1, "realistic heldout-0067"),
    (STEPS + "Altogether the class raised \u22123 degrees.", "-3", 1, "realistic heldout-0236"),
    (STEPS + "Altogether the class raised \u22123 degrees.", "3", 0, "ours: the sign is part of the value"),
    (STEPS + "Altogether the class raised 7! arrangements.", "5040", 1, "realistic heldout-0529"),
    (STEPS + "Altogether the class raised 7! arrangements.", "7", 0, "ours: 7! is not 7"),
    ("So the answer is 7!", "7", 0, "ours: a factorial closing the text"),
    (STEPS + "So each one gets a share.", "1", 0, "ours: the pronoun 'one'"),
    (STEPS + "In step two we add them.", "2", 0, "ours: a number in words naming a step"),
    # negations and explanations after the value
    (STEPS + "So the total is not 10.", "10", 0, "ours: a denied value"),
    ("We compared both. Therefore it isn't $5$.", "5", 0, "ours: a denied math value"),
    ("So she has 10 apples, which is 2 more than Tom.", "2", 0, "ours: a relative clause"),
    ("I think the answer is probably around five", "5", 0, "POLARIS test_unparseable_output"),
    (STEPS + "So he sold more than twenty apples.", "20", 0, "ours: a bound is not the value"),
    (STEPS + "So over the three days she earned 21 dollars.", "21", 1, "ours: 'over' the preposition"),
    (STEPS + "So she has at least 7 left.", "7", 0, "ours: a bound"),
    (STEPS + "So she probably has 7 left.", "7", 0, "ours: a guess"),
    ("So she has 10 apples, which is 2 more than Tom.", "10", 1, "ours"),
    ("It is 1 and all odd prime numbers.", "1", 0, "ours: one part of a list"),
    (STEPS + "So the smallest non-negative value is 4.", "4", 1, "ours: 'non-' is no negation"),
    (STEPS + "So the sum never exceeds 10.", "10", 0, "ours: a bound"),
    ("1 \\text{ and all odd prime numbers}", "1", 0, "sieval test_imo_bench: words in \\text are the answer"),
    # a correction inside the final sentence: what follows it
    ("First try [30], second try [45].", "45", 1, "AReaL test_geometry3k_multiple_brackets"),
    ("First try [30], second try [45].", "30", 0, "ours: the first try"),
    ("First try [30], second try [45] or [50].", "45", 0, "ours: a hedge after the correction"),
    ("The sum is 12, wait, no, 14.", "14", 1, "ours"),
    ("The sum is 12, wait, no, 14.", "12", 0, "ours"),
    # math closed before a capitalised word ends a sentence (no full stop)
    ("Then $x = 7$ and $y = 8.8 - 2.8 = 6$ So, the ordered pair $(x, y)$ that solves the system is $(7, 6)$.",
     "(7,6)", 1, "Math-Verify test_math_extraction_edge_cases"),
    ("Let's solve for $y$: $y = 6$ So, the pair is $(7, 6)$.", "6", 0, "ours: an intermediate value"),
    # a text that stops without a full stop may have been cut off: no answer, even when short
    # (lighteval's test_multilingual_extraction_math credits this one; tests/data/equivalence's
    # no_answer rows are the same form, judged false)
    ("La réduction est de 100 * 0,30 = 30 $. Le coût final est donc de 100 - 30 = 70", "70", 0,
     "lighteval test_multilingual_extraction_math"),
    ("The side is 7, so the perimeter is 28. The area would be 49. i.e. 4 * 7 = 28", "28", 0,
     "tests/data/equivalence no_answer-013 (shortened)"),
    # a sentence of math spans only: a list, which matches only a reference with those parts
    (STEPS + "Thus $a = 3$ and $b = 5$.", "a=3, b=5", 1, "ours"),
    (STEPS + "Thus $a = 3$ and $b = 5$.", "3", 0, "ours: one part of the list"),
    (STEPS + "So $x=2$ or $x=3$.", "2", 0, "ours: a hedge"),
    (STEPS + "We try $a = 3$ and $b = 5$.", "a=3, b=5", 0, "ours: a plan states nothing"),
    (STEPS + "So x = 4, y = 2.", "(4, 2)", 1, "ours: assignments are one list"),
    (STEPS + "So x = 4, y = 2.", "2", 0, "ours: not the last assignment alone"),
    (STEPS + "It equals 0.75 when rounded.", "0.75", 1, "ours: 'when' is no unit"),
    ("Answer: 42 (since 6*7=42).", "42", 1, "ours: a reason in parentheses"),
    # a denied value and the one that replaces it
    ("The answer is not 10 but 12.", "12", 1, "ours"),
    ("The answer is not 10 but 12.", "10", 0, "ours: the denied value"),
    (STEPS + "So the total isn't 10, it's 12.", "12", 1, "ours"),
    ("The answer is not 10 but maybe 12.", "12", 0, "ours: a guess replaces it"),
    (STEPS + "It is not 10 but 12 or 13.", "12", 0, "ours: a hedge replaces it"),
    # a display environment after the verb is the value, kept whole
    ("Therefore, the expression is: \\begin{align*}x(x(1+x)+2*x)-3*(x*x-x+2)&=x^3+3x-6\\end{align*}",
     "x^3+3x-6", 1, "Math_reasoning_rl test_math_grader"),
    ("Therefore, the expression is: \\begin{align*}x(x(1+x)+2*x)-3*(x*x-x+2)&=x^3+3x-6\\end{align*}",
     "x^3+3x-5", 0, "ours"),
    ("Let us check.\n\\begin{align*}\na &= 1\n\\end{align*}", "1", 0, "ours: a block with no statement"),
    # a text that opens with its option letter and explains it in words (eval-power flexible choice)
    ("B. flammable\n1. It can burn.\n2. This is a chemical change.", "B", 1, "eval-power test_flexible_choice_extraction"),
    ("B. flammable\n1. It can burn.\n2. This is a chemical change.", "A", 0, "ours"),
    ("A. Setup\nB. Solve\nSo it is done.", "A", 0, "ours: a list of options commits to none"),
    ("A. first option; B. second option", "B", 0, "eval-power test_flexible_choice_extraction"),
    ("B. flammable\nSo the answer is 5.", "B", 0, "ours: a later explicit answer wins"),
    # other languages' verbs
    ("Réponse: Janeth aura encore 220 $ à payer d'ici 12 mois.", "220", 1,
     "lighteval test_multilingual_extraction_math"),
    ("Réponse: Janeth aura encore 220 $ à payer d'ici 12 mois.", "12", 0, "ours: the distractor number"),
    ("Tom hatte 3 Äpfel. Also hat Tom noch 15 Äpfel.", "15", 1, "ours: German"),
    ("Ana tenía 3. Por lo tanto, Ana tiene 12 manzanas.", "12", 1, "ours: Spanish"),
    ("Janeth n'aura pas 220 $.", "220", 0, "ours: a French negation"),
    ("Calculamos. Por lo tanto, el resultado no es 15.", "15", 0, "ours: a Spanish negation"),
    ("Calculons. Donc il reste probablement 15 pommes.", "15", 0, "ours: a French guess"),
    ("Calculamos. Portanto, ela tem 15 maçãs.", "15", 1, "ours: a unit word with accents"),
    ("not it's not 10 it's 1,000.99m²", "1000.99", 1, "Math-Verify test_number_extraction"),
    ("not it's not 10 it's 1,000.99m²", "10", 0, "ours: the denied value"),
    # a value called wrong, a value under a condition, values offered with "or", an unsure claim
    (STEPS + "So x = 10 is not a solution.", "10", 0, "ours"),
    (STEPS + "So 10 is not the answer.", "10", 0, "ours"),
    (STEPS + "We get 10, but that is impossible.", "10", 0, "ours"),
    (STEPS + "The result would be 12 if we ignored the discount.", "12", 0, "ours: a counterfactual"),
    (STEPS + "Without the discount, it would be 12.", "12", 0, "ours: a counterfactual"),
    (STEPS + "So x is 12 or x is 13.", "13", 0, "ours: a hedge"),
    (STEPS + "I am not sure it is 12.", "12", 0, "ours: 'not sure' is no correction"),
    (STEPS + "So she has 7 apples left after giving 3 away.", "7", 1, "ours"),
    # a denied alternative after the value
    ("Step 1.\nSo the answer is 15, not 12.", "15", 1, "ours"),
    ("Step 1.\nSo the answer is 15, not 12.", "12", 0, "ours"),
    # a letter that the final sentence calls correct (the `choice` step reads it)
    ("Let me compare the options.\nOption C is correct.", "C", 1, "ours"),
    ("Let me compare the options.\nOption C is correct.", "A", 0, "ours"),
    ("Let me compare the options.\nBoth A and C are wrong; the answer is B.", "B", 1, "ours"),
]


@pytest.mark.parametrize(("completion", "ref", "want", "source"), GRADED, ids=[f"{i}" for i in range(len(GRADED))])
def test_graded_default_and_auto(completion: str, ref: str, want: int, source: str) -> None:
    check_graded(completion, ref, want, source)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There are 7! arrangements.", ("7! arrangements",)),
        ("So the answer is 42! Great job.", None),  # an exclamation before a capital: a sentence end
        ("Final Answer: The largest $n$ is 34.", ("34",)),  # Math-Verify additional_cases: Minerva prose
        ("Final Answer: the value of $f(2)$ is $\\frac{1}{2}$.", ("\\frac{1}{2}",)),
        ("The answer is therefore 8", ("8",)),  # sieval test_agieval
        ("Scratch \\boxed{9}\nFinal: \\boxed{2} and \\boxed{3}", ("9", "2, 3")),  # sieval test_matharena
        ("Scratch \\boxed{9}\nFinal: \\boxed{2} or \\boxed{3}", ("9", "2, 3")),  # still one hedged statement
        ("\\boxed{30}, second try \\boxed{45}", ("30", "45")),  # an attempt is a correction
        ("**Step 3**: add them\n**Step 4**: done", ()),  # an unfinished label states nothing
    ],
)
def test_forms(text: str, expected: tuple[str, ...] | None) -> None:
    got = auto(text)
    if expected is None:
        assert got != ("42",)
    else:
        assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The answer is 5.</s>", ("5",)),
        ("So x is 5. <eos>", ("5",)),
        ("So x is 5.<end_of_turn>", ("5",)),
        # the user's box is not the model's answer
        ("<start_of_turn>user\nIs it \\boxed{0}?<end_of_turn>\n<start_of_turn>model\nIt is 5.<end_of_turn>", ("5",)),
        ("[INST] Is it \\boxed{1}? [/INST] The answer is 7.</s>", ("7",)),
        ("The answer is 7.</s><s>[INST] and \\boxed{0}?</s>", ("7",)),  # the next turn ends the reply
    ],
)
def test_end_of_sequence_and_turn_tokens(text: str, expected: tuple[str, ...]) -> None:
    assert auto(text) == expected


def test_an_unfinished_sentence_states_nothing() -> None:
    assert final_sentence("We add them. The total is 3 + 4 = 7") is None
    assert final_sentence("We add them. The total is 3 + 4 = 7.") == "7"


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("it's 42", "42"),
        ("the number is not 10", None),
        ("First try [30], second try [45]", "45"),
        ("It is 5, actually", "5"),  # nothing follows the correction word
        ("So each one gets a share", "share"),
    ],
)
def test_sentence_value(sentence: str, value: str | None) -> None:
    assert sentence_value(sentence) == value
