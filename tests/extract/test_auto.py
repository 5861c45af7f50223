"""`auto`: where models put their final answer, the fixed step order, the switches."""

from __future__ import annotations

import pytest

import graders
from graders.errors import ConfigError
from graders.extract import compile_extractor

from ._util import within

auto = compile_extractor("auto")

LONG_REASONING = (
    "Step 1: compute the sum of the first terms, which gives 10. "
    "Step 2: multiply by 4 to get 40. Step 3: we check the parity of each term "
    "and find nothing else to do"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # boxes: the statement the text ends on is the last candidate
        (r"work... \boxed{42}", ("42",)),
        (r"So we get $\boxed 7$ as the answer.", ("7",)),
        (r"\fbox{x+1}", ("x+1",)),
        (r"The answer is 41 but \boxed{42}", ("42",)),  # a statement before the box is not read
        (r"\boxed{3}. Wait, that step is wrong. Recomputing gives \boxed{5}.", ("3", "5")),
        (r"\boxed{3}" + "\n\nActually, the answer is 5.", ("3", "5")),  # a later statement
        (r"\boxed{41} or \boxed{42}", ("41, 42",)),  # a hedge is one candidate
        (r"So \boxed{3} and \boxed{4}.", ("3, 4",)),
        # tags
        ("<answer>7</answer>", ("7",)),
        ("<answer>The answer is 7</answer>", ("7",)),
        ("<answer>\\boxed{7}</answer>", ("7",)),
        ("<think>\\boxed{1} maybe</think>\\boxed{2}", ("2",)),  # drafts in <think> ignored
        ("<think>The answer is 4", ()),  # unfinished reasoning
        ("reasoning</think>\n\n9", ("9",)),
        # statements
        ("lots of thinking\nThe answer is 12.", ("12",)),
        ("work\n#### 5", ("5",)),
        ("work\n#### 18 apples", ("18 apples",)),
        ("work\n#### (A)", ("(A)",)),
        ("Reasoning.\nFinal Answer: The final answer is $34$. I hope it is correct.", ("34",)),
        ("Answer $ 9 $", ("9",)),
        ("计算得出。\n答案：42", ("42",)),
        ("Итак.\nОтвет: 5", ("5",)),
        ("The answer is either 3 or 4.", ("3 or 4",)),
        # bold in the last line
        ("Thus we have\n**7**", ("7",)),
        ("Adding up, the total is **42** apples.", ("42",)),
        ("**Step 3**: add them\n**Step 4**: done", ()),  # labels are no values
        # the final sentence
        ("So the total is (6, 8).", ("(6, 8)",)),
        ("Let me compute.\nHence the result is $$x=3$$", ("x=3",)),
        ("She had 40 and got 2 more. So now she has 42 apples in total.", ("42 apples",)),
        ("Two candidates. Therefore $x = -2$ is the only solution.", ("x = -2",)),
        ("Thus, x = 5 or x = -3.", ("x = 5 or x = -3",)),  # a list stays a list
        ("The solutions are $x=2$ and $x=-3$.", ("x=2, x=-3",)),
        ("So the answer is 12 apples, because 3*4 = 12.", ("12 apples",)),
        ("Then 40 km. So he drove 75 908 miles in total.", ("75 908",)),
        ("因此，水池中水将在300分钟内被放完。", ("300",)),
        ("The count is 19. I hope it is correct. <|im_start|>user", ("19",)),
        ("First compute 6*7.\n42", ("42",)),  # a value alone on the last line
        # what is never an answer
        (LONG_REASONING, ()),  # unfinished: never the last number of the reasoning
        ("If it is added we get 52.", ()),  # a condition
        ("Then we need to multiply by the other probability, which is $\\frac{3}{8}$.", ()),  # a plan
        ("Step 1: add.\nStep 2: so we have Step 3.", ()),
        ("What is 5?", ()),
        ("I hope this helps!", ()),
        ("odd $n$", ("odd $n$",)),  # a bare phrase, compared whole
        # bare answers
        ("  42  ", ("42",)),
        ("x = 3", ("x = 3",)),
        ("$x = 5$", ("x = 5",)),
        ("42 because geometry proves it", ("42",)),
        ("计划的比例为13/28", ("13/28",)),
        ("12\n13", ("13",)),
        ("", ()),
    ],
)
def test_forms(text, expected):
    assert auto(text) == expected


def test_policy_default_and_options():
    assert auto.policy == "last"
    short = compile_extractor({"type": "auto", "max_bare_length": 3, "multiple": "all_must_agree"})
    assert short("abcd") == () and short("abc") == ("abc",)
    assert short.policy == "all_must_agree"
    with pytest.raises(ConfigError, match="max_bare_length"):
        compile_extractor({"type": "auto", "max_bare_length": -1})


@pytest.mark.parametrize(
    ("steps", "text", "expected"),
    [
        (["boxed"], "The answer is 5.", ()),
        (["statement"], r"\boxed{4}. The answer is 5.", ("5",)),
        (["boxed", "statement"], "<answer>7</answer>", ()),
        (["answer_tag"], "<answer>7</answer>", ("7",)),
        (["bold"], "So\n**7**", ("7",)),
        (["final_sentence"], "So she has 42 apples.", ("42 apples",)),
        (["value_line"], "work\n42", ("42",)),
        (["bare"], "42", ("42",)),
        (["boxed", "answer_tag", "statement", "bold", "value_line", "bare"], "Work.\nSo she has 42 apples.", ()),
    ],
)
def test_each_step_can_be_switched(steps, text, expected):
    assert compile_extractor({"type": "auto", "steps": steps})(text) == expected


def test_think_switch():
    text = r"<think>So \boxed{1}. Hmm.</think> So \boxed{2}"
    assert auto(text) == ("2",)
    assert compile_extractor({"type": "auto", "think": False})(text) == ("1", "2")


@pytest.mark.parametrize(
    "bad",
    [{"steps": []}, {"steps": ["boxed", "boxed"]}, {"steps": ["last_number"]}, {"steps": "boxed"}, {"think": 1}],
)
def test_bad_options_fail_at_load(bad):
    with pytest.raises(ConfigError):
        compile_extractor({"type": "auto", **bad})


def test_pickles_with_its_options():
    import pickle

    ex = compile_extractor({"type": "auto", "steps": ["boxed", "bare"], "think": False})
    again = pickle.loads(pickle.dumps(ex))
    assert again == ex and again("Work.\nThe answer is 5.") == ()


def test_describe_mentions_the_order():
    text = auto.describe()
    assert text.index("boxed") < text.index("answer_tag") < text.index("statement") < text.index("bare")


class TestHostile:
    def test_long_prose_without_answer(self):
        with within(2.5):
            assert auto("we add the numbers and then " * 100_000) == ()

    def test_long_final_sentence(self):
        with within(2.5):
            auto("So the total is " + "1 and " * 200_000 + "2.")

    def test_many_math_spans_at_the_end(self):
        with within(2.5):
            auto("We get " + "$x$ and " * 50_000 + "$y$.")

    def test_many_special_tokens(self):
        with within(2.5):
            auto("The count is 19." + " <|im_start|>user" * 50_000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Python / sympy powers: `**` glued to operands on both sides is no bold delimiter
        ("arcsin(x) + arccos(x) + sin(x)**2 + cos(x)**2 + tan(x)", "arcsin(x) + arccos(x) + sin(x)**2 + cos(x)**2 + tan(x)"),
        ("x**2 + y**2", "x**2 + y**2"),
        ("The total is **42**.", "42"),
        ("(**42**)", "42"),
        ("So the answer is __12__", "12"),
    ],
)
def test_bold_is_not_a_power(text, expected):
    assert auto(text) == (expected,)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Work in progress: 10", "10"),
        ("Draft answer: 7", "7"),
        ("The tentative answer is 7.", "7"),
        ("The total so far is 12.", "12"),
        ("Preliminary result: 4", "4"),
        ("My rough estimate is 9.", "9"),
    ],
)
def test_a_provisional_value_commits_to_nothing(text, value):
    assert value not in auto(text)
    g = graders.from_dict({"grader": {"type": "math", "reference": "{{ item.gold }}"}})
    assert g.score([text], [{"gold": value}]).scores[0] == 0.0


def test_a_final_answer_after_a_provisional_one_counts():
    assert auto("Tentative answer: 7. Final answer: 8") == ("8",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two statements (the policy `last` then takes the later), not one hedged statement
        (r"first \boxed{12}; final \boxed{34}", ("12", "34")),
        (r"first \boxed{0}, finally \boxed{42}", ("0", "42")),
        (r"首先 \boxed{10} 最後 \boxed{42}", ("10", "42")),
        (r"\boxed{41} or finally \boxed{42}", ("41, 42",)),  # a hedge stays a hedge
    ],
)
def test_the_answer_called_final_supersedes_the_ones_before(text, expected):
    assert auto(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<think>10 - 5 = 5\n<answer>5</answer>", ("5",)),  # the model forgot </think>, then answered
        ("<THINK>x\n<Answer>5</ANSWER>\n", ("5",)),
        ("<think>10 - 5 = 5\n<answer>5</answer> wait, let me recheck", ()),  # the thought goes on
        ("<think>so the answer is 5", ()),  # truncated while thinking
        ("<think>x <answer>5</answer> <think>", ()),
    ],
)
def test_an_answer_tag_ending_an_unclosed_thought(text, expected):
    assert auto(text) == expected


def test_unclosed_thought_with_a_long_tail_is_bounded():
    with within(2.5):
        auto("<think>" + "<answer>1" * 200_000 + "</answer>")


def test_a_latex_thin_space_is_no_sentence_end():
    assert auto(r"11,\! 111,\! 111,\! 100") == (r"11,\! 111,\! 111,\! 100",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("The answer is _120°_.", ("120°",)), ("The answer is *42*.", ("42",)), ("Answer: 2*3*4", ("2*3*4",))],
)
def test_markdown_emphasis_around_the_answer_is_markup(text, expected):
    assert auto(text) == expected
