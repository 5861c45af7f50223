"""graders.extract.hedges: the words around a final answer (denied or quoted boxes, an
alternative offered after the box, a retraction after the answer, a box cut off)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.extract.hedges import alternative_after, cut_off_box, denied_or_quoted, retraction

from ._util import run, within


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a denied or quoted box is no answer; what else the text commits to still counts
        (r"The answer is not \boxed{42}.", ()),
        (r"It isn't \boxed{42}.", ()),
        (r"$x \neq \boxed{42}$", ()),
        (r"Format: e.g. \boxed{42}", ()),
        (r"The answer is not \boxed{41}; it is \boxed{42}.", ("42",)),
        (r"i.e. \boxed{42}", ("42",)),
        (r"It looks like \boxed{42}.", ("42",)),
        # an alternative offered after the last box joins it: one hedged candidate
        (r"\boxed{42} or 43", ("42, or 43",)),
        (r"\boxed{42} (or 43)", ("42, or 43",)),
        (r"\boxed{42}, though 43 is also possible.", ("42, though 43 is also possible",)),
        (r"\boxed{A} or B", ("A, or B",)),
        (r"\boxed{42} or so", ()),  # an approximation: the box is doubted
        (r"\boxed{5} ways to choose either the red or the blue ball.", ("5",)),
        (r"\boxed{42}, which is the number of ways to pick 2 or 3 items.", ("42",)),
        (r"\boxed{\frac{1}{3}} or approximately 0.333", (r"\frac{1}{3}",)),
        # a final sentence that only retracts the answer is a new statement
        (r"The answer is \boxed{42}. Wait, actually it's 43.", ("42", "43")),
        ("The answer is 42. No wait, 43.", ("42", "43")),
        ("The answer is A. No, B.", ("A", "B")),
        (r"\boxed{42}. Let me verify: 6 \times 7 = 42. Correct.", ("42",)),
        ("The answer is 42. Actually, let me verify: 40 + 2 = 42.", ("42",)),
        # the words right around the box: a value offered before it, a denial, a bound, a question
        (r"43 or \boxed{42}", ("43 or, 42",)),
        (r"The answer is $43$ or $\boxed{42}$.", ("43$ or, 42",)),
        (r"Not 43 but \boxed{42}.", ("42",)),
        (r"\boxed{42} is wrong.", ()),
        (r"\boxed{42} (a guess)", ()),
        (r"\boxed{42}, not 43.", ("42",)),
        (r"At least \boxed{42}.", ()),
        (r"$x > \boxed{42}$", ()),
        (r"Bobby adds up to $\boxed{5.0}$ hours.", ("5.0",)),
        (r"<answer>\boxed{7}</answer>", ("7",)),
        (r"Is it \boxed{42}?", ()),
        (r"\boxed{42}. No.", ()),
        (r"\boxed{42}. That's wrong.", ()),
        # a box cut off mid-answer: no answer, even after closed ones
        (r"The answer is \boxed{42", ()),
        (r"\boxed{41}. Wait, it is \boxed{4", ()),
        (r"The answer is \boxed", ()),
        (r"\boxed{42}}", ("42",)),
    ],
)
def test_auto(text, want):
    assert run("auto", text) == want


def test_parts():
    text = r"So it is not \boxed{4} but \boxed{5} (or 6). Wait, actually it's 7."
    assert denied_or_quoted(text, text.index(r"\boxed{4}"))
    assert not denied_or_quoted(text, text.index(r"\boxed{5}"))
    span = alternative_after(text, text.index("(or"))
    assert span is not None and span[2] == "or 6"
    fix = retraction(text, text.index("(or"))
    assert fix is not None and fix[2] == "7" and text[fix[0] : fix[1]] == "7"
    assert cut_off_box(r"\boxed{1} \fbox{2") and not cut_off_box(r"\boxed{1} \fbox{2}")
    assert not cut_off_box(r"Put it in \boxed{}.") and not cut_off_box("no box")


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("\\boxed{}() or not e.g. Wait, it's 42A.\n$")), max_size=80
    )
)
def test_never_raise(text):
    for at in (0, len(text) // 2, len(text)):
        denied_or_quoted(text, at)
        alternative_after(text, at)
        retraction(text, at)
    cut_off_box(text)
    assert isinstance(run("auto", text), tuple)


def test_bounded_on_long_text():
    long = "not e.g. " * 100_000 + r"\boxed{42}" + " or" * 100_000 + " 43"
    with within(2.0):
        run("auto", long)
        retraction(long, 0)
        cut_off_box(long + r"\boxed{")
