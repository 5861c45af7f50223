"""`last_number`: the last number written in the text, as written.

A number is an optional sign (`-`, `+` or the Unicode minus `−`, only when not
glued to a preceding letter or digit, so the `-` of `3-5` is not a sign) and then
one of:

- a simple fraction `a/b` (`3/4`);
- an integer with optional `,` thousands groups and an optional decimal part
  (`1,234.5`, `42`, `0.25`), or a bare decimal `.5`;

followed by an optional exponent (`1.5e-3`) and an optional percent sign
(`50%`; LaTeX `50\\%` is given as `50%`). Only ASCII digits count (`int()`
accepts Arabic-Indic digits, we do not). One candidate.

Found from the end: a C-speed reverse search for the last digit, then
a reverse match (the `regex` module's `(?r)`) of the number that ends there.

This extractor is deliberately *not* a fallback of `auto`: in long reasoning the
last number is often an intermediate ("Step 3"), see the module doc of
`graders.extract.auto`.
"""

from __future__ import annotations

import regex

from ._core import Built, Kind, register

_LAST_NUMBER = regex.compile(
    r"(?r)"
    r"(?:(?<![0-9A-Za-z])[-+\u2212])?"
    r"(?:[0-9]+/[0-9]+|(?:[0-9]+(?:,[0-9]{3})*)?\.[0-9]+|[0-9]+(?:,[0-9]{3})*)"
    r"(?:[eE][-+]?[0-9]+)?"
)


_LAST_DIGIT = regex.compile(r"(?r)[0-9]")


def last_number(text: str) -> tuple[str, ...]:
    # The last ASCII digit: a reverse search from the end (no copy of the text).
    m = _LAST_DIGIT.search(text)
    if m is None:
        return ()
    end = m.end()
    m = _LAST_NUMBER.search(text, 0, end)  # matches right away, ending at `end`
    if m is None:  # cannot happen: a digit is a number
        return ()
    value = m.group()
    if text.startswith("%", end):
        value += "%"
    elif text.startswith("\\%", end):
        value += "%"
    return (value,)


register(
    Kind(
        name="last_number",
        build=lambda options: Built(last_number, (), "last_number"),
        summary="the last number in the text (sign, 1,234.5, 3/4, 1e-3, 50%)",
    )
)
