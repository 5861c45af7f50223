from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.extract import compile_extractor

from ._util import within

boxed = compile_extractor("boxed")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"so the answer is \boxed{42}.", ("42",)),
        (r"\boxed{\frac{1}{2}}", (r"\frac{1}{2}",)),
        (r"$\boxed{\dfrac{\sqrt{3}}{2}}$", (r"\dfrac{\sqrt{3}}{2}",)),
        (r"\[ \boxed{x^{2}+1} \]", ("x^{2}+1",)),
        (r"\fbox{7}", ("7",)),
        (r"\boxed {  8 }", ("8",)),
        (r"\boxed 5", ("5",)),
        (r"\boxed 5.", ("5",)),
        (r"\boxed 3.25, done", ("3.25",)),
        (r"\boxed\pi", (r"\pi",)),
        (r"$\boxed5$", ("5",)),
        (r"\boxed{\{1,2\}}", (r"\{1,2\}",)),
        (r"\boxed{a\\}b", ("a\\\\",)),  # "\\" is a pair, the "}" after it closes
        (r"\boxed{\boxed{4}}", ("4",)),
        (r"\boxed{ \boxed{4} }", ("4",)),
        (r"\boxed{\boxed{1} \boxed{2}}", (r"\boxed{1} \boxed{2}",)),
        (r"\boxed{$42$}", ("42",)),
        (r"\boxed{}", ()),
        (r"\boxed{   }", ()),
        (r"\boxed", ()),
        (r"\boxed{42", ()),  # never closed
        (r"\boxed{ x \boxed{3}", ("3",)),  # the closed inner box of an unclosed one
        (r"\boxedfoo{3}", ()),  # another command
        (r"\\boxed{7}", ("7",)),  # a doubled backslash still boxes
        (r"{{{{\boxed{1}", ("1",)),
        (r"\boxed{1}}}}}", ("1",)),
        (r"\boxed{{{1}}}", ("{{1}}",)),
        # answers of one statement are one candidate; statements are candidates in order
        # "then" between answers is a succession (inspect_ai, nanochat, sieval, olympiad suites: the later counts)
        (r"\boxed{a} then \fbox{b} then \boxed{c}", ("a", "b", "c")),
        (r"\boxed{41} ... \boxed{42}", ("41, 42",)),
        (r"\boxed{41} or \boxed{42}", ("41, 42",)),  # a hedge: one multi-valued candidate
        (r"\boxed{42} and again \boxed{42}", ("42",)),
        (r"\boxed{3}. Wait, that step is wrong. \boxed{5}", ("3", "5")),  # a correction
        (r"\boxed{3}, no wait, \boxed{5}", ("3", "5")),  # a correction word splits
        (r"\boxed{5} ways.\n\nAlternatively, there are \boxed{10} ways.", ("5, 10",)),
        (r"\boxed{\frac12} = \boxed{0.5}", (r"\frac12", "0.5")),  # one value written twice
        ("no box here", ()),
        ("", ()),
        (r"\text{use \boxed{}} final \boxed{9}", ("9",)),
    ],
)
def test_table(text, expected):
    assert boxed(text) == expected


def test_policy_and_description():
    assert boxed.policy == "last"
    assert "boxed" in boxed.describe()


# Brace-balanced content without backslashes: the box must give it back exactly.
_balanced = st.recursive(
    st.text(
        alphabet=st.characters(blacklist_characters="{}\\", blacklist_categories=("Cs",)),
        max_size=8,
    ),
    lambda inner: st.builds(lambda a, b, c: a + "{" + b + "}" + c, inner, inner, inner),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None)
@given(prefix=st.text(alphabet="ab {$ \n", max_size=20), body=_balanced)
def test_recovers_balanced_content(prefix, body):
    result = boxed(f"{prefix}\\boxed{{{body}}} done")
    if body.strip().strip("$").strip():
        assert result[-1] == _unwrapped(body)
    else:
        assert result == () or result[-1] != ""


def _unwrapped(body: str) -> str:
    from graders.extract._core import unwrap

    return unwrap(body, bold=False)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="\\boxedfx{}$ 12", max_size=60))
def test_never_raises_and_candidates_are_clean(text):
    for c in boxed(text):
        assert c and c == c.strip()


class TestHostile:
    def test_5mb_with_100k_unbalanced_braces(self):
        text = "\\boxed{" + ("x{" + "a" * 48) * 100_000
        with within(2.5):
            assert boxed(text) == ()

    def test_100k_nested_unclosed_boxes(self):
        with within(2.5):
            assert boxed("\\boxed{" * 100_000 + "1") == ()

    def test_nested_closed_boxes(self):
        with within(2.5):
            assert boxed("\\boxed{" * 30_000 + "7" + "}" * 30_000) == ("7",)

    def test_5mb_of_open_braces(self):
        with within(2.5):
            assert boxed("\\boxed{" + "{" * 5_000_000) == ()

    def test_many_boxes(self):
        with within(2.5):
            assert boxed("\\boxed{1}" * 30_000) == ("1",)
        with within(5.0):
            assert len(boxed("".join(f"\\boxed{{{i}}}. " for i in range(30_000)))) == 30_000
        with within(5.0):  # one statement of 30,000 different boxes: at most 16 kept
            (hedge,) = boxed("".join(f"\\boxed{{{i}}}" for i in range(30_000)))
            assert hedge.count(",") == 15

    def test_flat_groups(self):
        with within(5.0):
            assert boxed("\\boxed{" + "{}" * 1_000_000 + "}") == ("{}" * 1_000_000,)

    def test_backslashes(self):
        with within(5.0):
            assert boxed("\\boxed{" + "\\" * 300_000) == ()

    def test_typical_text_is_fast(self):
        para = (
            r"We have $x^2 + 2x + 1 = (x+1)^2$, so $\frac{a}{b} = \sqrt{\frac{3}{4}}$ and "
            r"therefore \[ \sum_{k=1}^{n} k = \frac{n(n+1)}{2}. \] "
        )
        text = (para * 30)[:3000] + r" Hence $\boxed{\dfrac{15}{2}}$."
        assert boxed(text) == (r"\dfrac{15}{2}",)
        with within(2.5):  # 10k calls: ~6 us each on a laptop
            for _ in range(10_000):
                boxed(text)


def _full_path(text: str) -> tuple[str, ...]:
    """The general path alone: every box by the brace scan, grouped into statements."""
    from graders.extract._core import unwrap
    from graders.extract.boxed import _scan
    from graders.extract.final import statements

    spans = [(start, end, unwrap(text[a:b], bold=False)) for a, b, start, end in _scan(text)]
    return statements(text, [s for s in spans if s[2]])


_BOX_PIECES = st.sampled_from(
    ["\\boxed{", "\\boxed", "\\fbox{", "\\boxedx{", "\\\\boxed{", "}", "{", "\\", "$", " ", "42", "x",
     "\\frac{1}{2}", ". Wait, ", " or ", "\\boxed{7}", "\\boxed{ 8 }", "\\boxed{$9$}", "\\boxed{\\pi}", "\n\n",
     "\\sqrt{3}", "\\{", "\\}", "\\,", "{5}", "\\\\", "\\text{ cm}", "\\boxed{\\frac{3}{4}}", "\\boxed{\\(5\\)}",
     "\\boxed{\\frac{1}{\\sqrt{2}}}", "\\boxed{\\$4\\%}", "\\boxed{\\fbox{2}}", "\\boxed{\\boxed{3}}", "\\boxedx",
     "\\boxed{\\{1, 2\\}}", "\\boxed{\\}", "\\boxed{a\\\\b}", "\\boxed{\\\\}", "\\boxed{{\\frac12}}",
     "{\\}", "{\\{}", "{a\\\\}"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_BOX_PIECES, max_size=12).map("".join), st.text(alphabet="ab .", max_size=20))
def test_fast_path_is_the_full_path(body, prose):
    # boxed()'s and answer_spans()' shortcut for one flat box is what the brace scan gives
    from graders.extract.boxed import answer_spans
    from graders.extract.boxed import boxed as boxed_fn
    from graders.extract.final import statements

    for text in (body, prose + body, body + prose):
        assert boxed_fn(text) == _full_path(text), text
        assert statements(text, answer_spans(text)) == _full_path(text), text


@pytest.mark.parametrize(
    "text",
    ["\\boxed{\\frac{\\}{2}}", "\\boxed{{\\{}}", "\\boxed{{a\\\\}b}", "\\boxed{\\\\{}", "\\boxed{\\\\}}", "\\boxed{\\{1,2\\}}",
     "\\boxed{\\frac{1}{\\sqrt{2}}}", "\\boxed{\\sqrt{2}}", "\\boxed{5\\,\\text{cm}}", "\\boxed{\\frac{23}{35}}.</answer>"],
)
def test_box_spans_shortcut_on_escapes(text):
    from graders.extract.boxed import _scan, box_spans

    assert box_spans(text) == _scan(text)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_BOX_PIECES, max_size=12).map("".join), st.text(alphabet="ab .\\{}", max_size=20))
def test_box_spans_shortcut_is_the_scan(body, prose):
    # box_spans()' shortcut (no box, or one flat box) gives the brace scan's spans, empty boxes too
    from graders.extract.boxed import _scan, box_spans

    for text in (body, prose + body, body + prose, "\\boxed{}" + prose, prose + "\\boxed{ }"):
        assert box_spans(text) == _scan(text), text
