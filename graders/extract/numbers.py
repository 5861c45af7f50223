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

Found from the end. The definition is a reverse match (the `regex` module's
`(?r)`) of the number that ends at the last ASCII digit. The common case, the
last run of digits with nothing before it that could extend it (a space, a
letter, `{`), takes one stdlib `re` match: over a reversed copy of the last
`_TAIL` characters when the run lies there, else backtracking from the end. Otherwise
the same pattern written backwards (same alternatives in the same order, same
greed, the sign's lookbehind as a lookahead) is matched forwards over a reversed
copy of the last `_WINDOW` characters, so the same number; when that match comes
near the cut (a number longer than the window, or one the cut could change), the
reverse search runs over the whole text instead.

This extractor is deliberately *not* a fallback of `auto`: in long reasoning the
last number is often an intermediate ("Step 3"), see the module doc of
`graders.extract.auto`.
"""

from __future__ import annotations

import re

import regex

from ._core import Built, Kind, register

_LAST_NUMBER = regex.compile(
    r"(?r)"
    r"(?:(?<![0-9A-Za-z])[-+\u2212])?"
    r"(?:[0-9]+/[0-9]+|(?:[0-9]+(?:,[0-9]{3})*)?\.[0-9]+|[0-9]+(?:,[0-9]{3})*)"
    r"(?:[eE][-+]?[0-9]+)?"
)


_LAST_DIGIT = regex.compile(r"(?r)[0-9]")

# `_LAST_NUMBER` backwards, for a forward match over reversed text: skip the non-digits,
# then exponent, mantissa (alternatives in the same order), sign.
_REVERSED = re.compile(
    r"[^0-9]*("
    r"(?:[0-9]+[-+]?[eE])?"
    r"(?:[0-9]+/[0-9]+|[0-9]+\.(?:(?:[0-9]{3},)*[0-9]+)?|(?:[0-9]{3},)*[0-9]+)"
    r"(?:[-+\u2212](?![0-9A-Za-z]))?"
    r")"
)
_WINDOW = 128  # characters of tail reversed and matched
_MARGIN = 8  # a match ending this close to the cut may read past it: search the whole text


# The last run of digits (the rightmost digit preceded by a non-digit, found by
# backtracking from the end: no copy of the text) and a percent sign right after it.
# Unless the character before the run is one of `_JOINS`, the number is the run alone:
# no exponent, fraction, decimal point, thousands group or sign can extend it.
_LAST_RUN = re.compile(r".*(?<![0-9])([0-9]+)(\\?%)?", re.DOTALL)
_JOINS = frozenset("eE+-\u2212/.,")


# The same over a reversed copy of the last `_TAIL` characters (cheaper than the
# backtracking when the number ends near the end, as answers do): the run, the character
# before it, and the text after it reversed.
_TAIL = 32
_LAST_RUN_REVERSED = re.compile(r"[^0-9]*([0-9]+)(.?)", re.DOTALL)


def last_number(text: str, *, _window: int = _WINDOW) -> tuple[str, ...]:
    tail = text[-1 : -_TAIL - 1 : -1]
    m = _LAST_RUN_REVERSED.match(tail)
    if m is not None:
        run, before = m.groups()
        if before and before not in _JOINS:  # ("": the run may go on before the copy)
            value = run[::-1]
            k = m.start(1)  # the text after the number, reversed, is tail[:k]
            if k and (tail[k - 1] == "%" or k > 1 and tail[k - 1] == "\\" and tail[k - 2] == "%"):
                value += "%"
            return (value,)
    return _last_number_run(text, _window)


_SCAN = 64  # characters `_LAST_RUN` backtracks over at most (each step costs ~20x the regex module's scan)


def _last_number_run(text: str, window: int) -> tuple[str, ...]:
    # A match starts at or after `start` and its lookbehind sees the character before
    # `start`; no match there (no run that starts after it) leaves it to the full search.
    start = len(text) - _SCAN
    m = _LAST_RUN.match(text, start) if start > 0 else _LAST_RUN.match(text)
    if m is None:
        return _last_number_search(text) if start > 0 else ()
    s = m.start(1)
    if s and text[s - 1] in _JOINS:
        return _last_number_tail(text, window)
    run, pct = m.group(1, 2)
    return (run + "%",) if pct else (run,)


def _last_number_tail(text: str, window: int) -> tuple[str, ...]:
    """`_REVERSED` over the reversed last `window` characters (the whole-text search
    when the number may reach past them)."""
    tail = text[-1 : -window - 1 : -1]
    m = _REVERSED.match(tail)
    if m is None or not (len(text) <= window or m.end() <= window - _MARGIN):
        return _last_number_search(text)
    value = m.group(1)[::-1]
    k = m.start(1)  # the text after the number, reversed, is tail[:k]
    if k and (tail[k - 1] == "%" or k > 1 and tail[k - 1] == "\\" and tail[k - 2] == "%"):
        value += "%"
    return (value,)


def _last_number_search(text: str) -> tuple[str, ...]:
    """The definition: the reverse search over the whole text."""
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
