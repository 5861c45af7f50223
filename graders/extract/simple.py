"""`identity` (alias `none`) and `last_line`.

`identity`: the whole text, stripped, as one candidate (for graders whose input
already is the answer, such as a JSON field).

`last_line`: the last non-empty line, stripped (short-answer formats where the
model ends with the answer alone on a line).

Both give no answer for blank text.
"""

from __future__ import annotations

from ._core import Built, Kind, clean, register


def identity(text: str) -> tuple[str, ...]:
    value = clean(text)
    return (value,) if value is not None else ()


def last_line(text: str) -> tuple[str, ...]:
    body = text.rstrip()
    if not body:
        return ()
    start = max(body.rfind("\n"), body.rfind("\r")) + 1
    value = clean(body[start:])
    return (value,) if value is not None else ()


register(
    Kind(
        name="identity",
        aliases=("none",),
        build=lambda options: Built(identity, (), "identity (the whole text)"),
        summary="the whole text as the answer",
    )
)
register(
    Kind(
        name="last_line",
        build=lambda options: Built(last_line, (), "last_line"),
        summary="the last non-empty line",
    )
)
