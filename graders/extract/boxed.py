"""`boxed`: the contents of every `\\boxed{...}` / `\\fbox{...}` in the text.

Rules:

- Braces nest (`\\boxed{\\frac{1}{2}}` gives `\\frac{1}{2}`); escaped braces `\\{`
  `\\}` and the pair `\\\\` do not count.
- Only outermost boxes are candidates; a box whose whole content is another box
  is unwrapped (`\\boxed{\\boxed{4}}` gives `4`). A box that never closes is not
  a candidate, but closed boxes inside it are.
- `\\boxed 5` / `\\boxed\\pi` (no braces) box one token: a control word or a
  run of characters up to whitespace, `$`, a brace or a backslash; trailing
  `.,;:` is dropped.
- The surrounding math mode (`$...$`, `\\[...\\]`) does not matter; a content
  wrapped whole in `$...$` is unwrapped.
- Empty boxes give nothing.
- Boxes are grouped into statements (`graders.extract.final`): one candidate
  per statement, so `\\boxed{41} or \\boxed{42}` is the single candidate
  `41, 42` (a hedge, worth nothing against one value under every policy),
  while `\\boxed{3}. Wait, that is wrong: ... \\boxed{5}` is two candidates
  and the default policy `last` takes `5`.

Time is linear in the text: a single left-to-right pass over brace/backslash
tokens starting at the first box, with runs of `{` or `}` handled as one token and
candidate text sliced only once, for the outermost boxes.
"""

from __future__ import annotations

import re

from ._core import Built, Kind, register, unwrap
from .final import statements

# One step of the scan: skip ordinary characters, then one token: a box command;
# an escape pair (or a lone backslash); a run of flat brace groups `{..}{..}` (no
# brace or backslash inside, so net zero and skipped whole); a run of "{"; a run
# of "}". Some alternative always matches at a "\\", "{" or "}", so the leading
# `[^\\{}]*` never backtracks except once at the very end: the scan is linear.
_STEP = re.compile(
    r"[^\\{}]*("
    r"\\{1,2}(?:boxed|fbox)(?![A-Za-z])"
    r"|\\[\\{}]?"
    r"|(?:\{[^{}\\]*\})+"
    r"|\{+"
    r"|\}+)"
)
_COMMAND = re.compile(r"\\(?:boxed|fbox)(?![A-Za-z])")
_SPACE = re.compile(r"\s*")
_BARE = re.compile(r"\\[A-Za-z]+|[^\s${}\\]+")


def box_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(content start, content end, box start, box end) of each candidate, in order."""
    one = _flat_box(text)
    if one is not None:  # the common case: none, or one flat box (what the scan gives)
        return [] if one is _NONE else [(one.start(1), one.end(1), one.start(), one.end())]
    return _scan(text)


def _scan(text: str) -> list[tuple[int, int, int, int]]:
    """box_spans by the brace scan (the general path)."""
    first = _COMMAND.search(text) if "\\" in text else None
    if first is None:
        return []
    i = first.start()
    out: list[tuple[int, int, int, int]] = []
    # open boxes: [len(out) when opened, content start, unmatched plain "{" inside, command start]
    stack: list[list[int]] = []
    step = _STEP.match
    n = len(text)
    pos = i
    while True:
        m = step(text, pos)
        if m is None:
            break
        s, e = m.span(1)
        c = text[s]
        pos = e
        if c == "{":
            if text[e - 1] == "}":  # flat groups: net zero
                continue
            if stack:
                stack[-1][2] += e - s
        elif c == "}":
            k = s  # position of the next "}" of the run to consume
            while k < e and stack:
                top = stack[-1]
                used = min(e - k, top[2])
                top[2] -= used
                k += used
                if k < e:  # this "}" closes the box on top
                    stack.pop()
                    _close(text, out, top[0], top[1], k, top[3])
                    k += 1
        elif text[e - 1] in "\\{}":  # an escape pair or a lone backslash
            continue
        else:  # \boxed or \fbox
            j = _SPACE.match(text, e).end()
            if j >= n:
                break
            if text[j] == "{":
                stack.append([len(out), j + 1, 0, s])
                pos = j + 1
                continue
            bare = _BARE.match(text, j)
            if bare is None:
                continue
            pos = b = bare.end()
            while b > j and text[b - 1] in ".,;:":
                b -= 1
            if b > j:
                out.append((j, b, s, pos))
    return out


def _close(
    text: str, out: list[tuple[int, int, int, int]], first: int, start: int, end: int, cmd: int
) -> None:
    """The box at text[cmd:end + 1] with content text[start:end] closed: it replaces
    the boxes inside it, and is unwrapped when its whole content is one box."""
    span = (start, end, cmd, end + 1)
    if len(out) == first + 1:
        a, b, bs, be = out[first]
        if (
            _SPACE.fullmatch(text, start, bs) is not None
            and _SPACE.fullmatch(text, be, end) is not None
        ):
            span = (a, b, cmd, end + 1)
    del out[first:]
    out.append(span)


# One `\\boxed{...}` whose content is simple: no box (the caller checks), brace groups at
# most one deep with nothing escaped inside (`\\frac{23}{35}`, `\\sqrt{2}`, `5\\,\\text{cm}`,
# `\\{1, 2\\}`); escapes pair up as in the scan (`\\{`, `\\\\`). Every position has one parse (a
# control word takes all its letters), so a failed match is linear too.
_SIMPLE_BOX = re.compile(r"\\boxed\{((?:[^{}\\]|\\[A-Za-z]+(?![A-Za-z])|\\[^A-Za-z]|\{[^{}\\]*\})*)\}")


class _NoBox:
    """`_flat_box`'s answer for a text with no box command."""


_NONE = _NoBox()


def _flat_box(text: str) -> re.Match[str] | _NoBox | None:
    """The fast path (most completions): the match of the text's only box command when it is
    one `\\boxed{...}` with simple content (`_SIMPLE_BOX`); `_NONE` when the text has no box
    command; None: take the brace scan.

    The box is usually near the end, so rfind finds it at once, and the earlier text is
    only scanned from its first backslash (a memchr); when that backslash is the box
    itself, only the text after it is scanned (for `\\fbox`)."""
    b = text.find("\\")
    if b < 0:
        return _NONE
    last = text.rfind("\\boxed")
    if last == b:
        alone = text.find("\\fbox", last + 6) < 0
    else:
        has_fbox = text.find("\\fbox", b) >= 0
        if last < 0 and not has_fbox:
            return _NONE
        alone = last >= 0 and not has_fbox and text.find("\\boxed", b, last) < 0
    return _SIMPLE_BOX.match(text, last) if alone else None


def _one_flat_box(text: str) -> tuple[int, int, str] | None:
    """(box start, box end, content) of the text's only box when it is one `\\boxed{...}`
    with simple content; content "" when the text has no box command (or the box is empty);
    None: take the full path."""
    m = _flat_box(text)
    if m is None:
        return None
    if m is _NONE:
        return _NO_BOX
    value = m.group(1).strip()  # type: ignore[union-attr]
    if value[:1] in ("$", "\\"):  # only then can unwrap(bold=False) remove a wrapper
        value = unwrap(value, bold=False)
    return (m.start(), m.end(), value)  # type: ignore[union-attr]


_NO_BOX = (0, 0, "")


def answer_spans(text: str) -> list[tuple[int, int, str]]:
    """(box start, box end, content) of each non-empty box, in order.

    `auto` asks this of the same text from several rules in a row: the last answer is kept
    (text and spans in one tuple, so threads never see half of it) and a copy returned."""
    memo = _memo
    if memo[0] is text:
        return list(memo[1])
    one = _one_flat_box(text)
    if one is not None:
        found = [one] if one[2] else []
    else:
        found = []
        for a, b, start, end in _scan(text):
            value = unwrap(text[a:b], bold=False)
            if value:
                found.append((start, end, value))
    _remember(text, tuple(found))
    return found


_memo: tuple[str | None, tuple[tuple[int, int, str], ...]] = (None, ())


def _remember(text: str, spans: tuple[tuple[int, int, str], ...]) -> None:
    global _memo
    _memo = (text, spans)


def boxed(text: str) -> tuple[str, ...]:
    one = _one_flat_box(text)
    if one is not None:  # (statements() of one answer is that answer)
        return (one[2],) if one[2] else ()
    return statements(text, answer_spans(text))


def _build(options) -> Built:
    return Built(boxed, (), "boxed")


register(
    Kind(
        name="boxed",
        build=_build,
        summary="contents of every \\boxed{...} / \\fbox{...} (nested braces; \\boxed 5)",
    )
)
