"""`auto`: a fixed, documented order of extractors for when the format is unknown.

1. `strip_think`: only the text after the last `</think>` is looked at (an
   unclosed `<think>` means no answer), so drafts inside the reasoning never count;
2. `boxed`: `\\boxed{...}` / `\\fbox{...}` contents, if any;
3. `xml_tag` with tag `answer`: `<answer>...</answer>` contents, if any;
4. `answer_line`: "The answer is X", "Final answer: X", "#### X", ...;
5. the whole remaining text, if it is a bare answer: one line of at most
   `max_bare_length` characters (default 50);
6. otherwise no answer.

The first step that yields candidates wins; its candidates (all of them, so the
policy still sees "\\boxed{41} ... \\boxed{42}") are the result.

`<answer>` comes before the prose statements because a tag is an explicit
delimiter, while "the answer is" also turns up inside reasoning; and a prose
statement inside `<answer>The answer is 42</answer>` would otherwise drag the
closing tag into the value.

There is deliberately no "last number" fallback: on a long reasoning without a
final-answer marker the last number is whatever came last ("Step 3", a
checked intermediate), and a grader that credits it pays the policy for
stopping anywhere near a right number (prime-environments PR 689; hazards.md,
reward hacking). Ask for `last_number` by name if that is really wanted.
The bare-answer step does pay a completion that is only "42"; gate on format
(a `regex` or `length` grader) if shown work is required.
"""

from __future__ import annotations

from ._core import Built, Kind, SpecError, register
from .answer_line import answer_line
from .boxed import boxed
from .tags import make_strip_think, make_xml_tag

DEFAULT_MAX_BARE_LENGTH = 50

_strip_think = make_strip_think("think")
_answer_tag = make_xml_tag("answer")


def make_auto(max_bare: int):
    def auto(text: str) -> tuple[str, ...]:
        region = _strip_think(text)
        if not region:
            return ()
        body = region[0]
        for step in (boxed, _answer_tag, answer_line):
            found = step(body)
            if found:
                return found
        if len(body) <= max_bare and "\n" not in body and "\r" not in body:
            return (body,)
        return ()

    return auto


def _build(options) -> Built:
    max_bare = options.get("max_bare_length", DEFAULT_MAX_BARE_LENGTH)
    if isinstance(max_bare, bool) or not isinstance(max_bare, int) or not 0 <= max_bare <= 10_000:
        raise SpecError(
            f"max_bare_length must be an integer in [0, 10000], got {max_bare!r}",
            ".max_bare_length",
        )
    return Built(
        make_auto(max_bare),
        (("max_bare_length", max_bare),),
        f"auto (boxed, <answer>, answer line, bare answer <= {max_bare} chars)",
    )


register(
    Kind(
        name="auto",
        build=_build,
        summary="strip_think, then boxed, <answer>, answer_line, or a short bare answer",
        options=("max_bare_length",),
        option_schema={"max_bare_length": {"type": "integer", "minimum": 0, "maximum": 10000}},
    )
)
