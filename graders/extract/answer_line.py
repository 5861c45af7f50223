"""`answer_line`: final-answer statements written in prose.

Recognized (case-insensitive), one candidate per statement, in order:

- `#### X` at the start of a line (GSM8K), unless it is a markdown heading: a
  value starting with a letter counts only when it is one letter (`#### C`),
  so `#### Step 2: ...` and `#### Solution` are not answers;
- `The answer is X`, `The final answer is X`, `The correct answer is X`,
  `answer: X`, `Final answer: X`, `**Final Answer:** X`, `**Answer**: X`, and
  the Minerva form `Final Answer: The final answer is X. I hope it is correct.`
  (stacked markers count once);
- `Answer:` / `Final Answer` / `**Final Answer**` / `## Final Answer` alone on
  its line: the value is the next non-empty line (a `$$`/`\\[` display block is
  taken whole). A marker with nothing after it on its line works the same way.

The value is the rest of the line, cut at the end of the sentence (a `.` followed
by whitespace), with a trailing period, a trailing "I hope it is correct", and
wrappers around the whole value (`$..$`, `\\(..\\)`, `**..**`) removed. If the
value holds a `\\boxed{}`, the box contents are the candidates instead.

A statement of the `answer is` form is ignored when it is conditional or
negated: the word just before it is one of `whether if unless suppose assume
assuming when why how what` ("check whether the answer is 5"), or the value
starts with `not` ("the answer is not 5").

Only lines that contain `answer` or `####` are examined (found with `str.find`
on the lowered text), each once, with regexes that never scan past their line
(or, for a display block below an `Answer:` line, past a bounded window), so the
time is linear in the text.
"""

from __future__ import annotations

import re

from ._core import Built, Kind, register, unwrap
from .boxed import boxed

_ANSWER = re.compile(r"answer", re.IGNORECASE)
_BLANK = re.compile(r"\s*")
_NOT = re.compile(r"\s*not\b", re.IGNORECASE)

_BOLD = r"(?:\*\*|__)"
# A statement marker, anchored at the word "answer"; stacked markers ("Final
# Answer: The final answer is") are one marker. Whitespace runs never sit next to
# an optional run of the same class, so a failed attempt costs time linear in the
# whitespace it looked at.
_MARK = re.compile(
    rf"answer\b[ \t]*(?:{_BOLD}[ \t]*)?(?P<form>is\b[ \t]*:?|:)[ \t]*"
    rf"(?:\b(?:the[ \t]+)?(?:(?:final|correct)[ \t]+)?answer\b[ \t]*(?:{_BOLD}[ \t]*)?"
    rf"(?:is\b[ \t]*:?|:)[ \t]*)*",
    re.IGNORECASE,
)
# What may stand before "answer" in a marker, matched backwards from it.
_MARK_PREFIX = re.compile(
    rf"(?:{_BOLD}[ \t]*)?\b(?:the[ \t]+)?(?:(?:final|correct)[ \t]+)?\Z", re.IGNORECASE
)
_GSM8K = re.compile(r"[ \t]*####[ \t]*")
# "#### Step 2: ..." is a markdown heading, not a GSM8K answer: a value that starts
# with a letter counts only when it is a single letter ("#### C").
_HEADING = re.compile(r"[^\W\d_](?!\s*\Z)")
_OWN_LINE = re.compile(
    rf"[ \t]*(?:#{{1,6}}[ \t]*)?(?:{_BOLD}[ \t]*)?(?:final[ \t]+)?answer[ \t]*"
    rf"(?:{_BOLD}[ \t]*)?(?::[ \t]*)?(?:{_BOLD}[ \t]*)?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"\.(?=\s)")
_HOPE = "i hope it is correct"
_MAX_BLOCK = 4000  # longest display block taken as a value below an "Answer:" line
_NON_SPACE = re.compile(r"\S")
_PREV_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z]+)[ \t]+(?:the[ \t]+)?\Z", re.IGNORECASE)
_CONDITIONAL = frozenset(
    "whether if unless suppose supposing assume assuming when whenever why how what".split()
)


class _Finder:
    """Case-insensitive search for the word "answer": `str.find` on the lowered text
    (C speed) when lowering keeps every position, else a regex (rare: texts with
    characters such as "İ" whose lowercase is longer)."""

    __slots__ = ("text", "low", "clear_to")

    def __init__(self, text: str) -> None:
        low = text.lower()
        self.text = text
        self.low = low if len(low) == len(text) else None
        # closer -> a position up to which the text (from the last search on) is
        # known not to hold it; scans only move forward, so this keeps the search
        # for display-block closers linear overall
        self.clear_to: dict[str, int] = {}

    def answer(self, pos: int, end: int) -> int:
        if self.low is not None:
            return self.low.find("answer", pos, end)
        m = _ANSWER.search(self.text, pos, end)
        return -1 if m is None else m.start()


def answer_line(text: str) -> tuple[str, ...]:
    out: list[str] = []
    n = len(text)
    finder = _Finder(text)
    pos = 0
    next_answer = next_hashes = -2  # -2: not searched yet; -1: none left
    while pos < n:
        if next_answer != -1 and next_answer < pos:
            next_answer = finder.answer(pos, n)
        if next_hashes != -1 and next_hashes < pos:
            next_hashes = text.find("####", pos)
        hits = [h for h in (next_answer, next_hashes) if h >= 0]
        if not hits:
            break
        hit = min(hits)
        start = text.rfind("\n", 0, hit) + 1
        end = text.find("\n", hit)
        if end < 0:
            end = n
        pos = _parse_line(finder, start, end, out) + 1
    return tuple(out)


def _parse_line(finder: _Finder, start: int, end: int, out: list[str]) -> int:
    """Add the statements of text[start:end] to out; return where the scan goes on
    (the end of this line, or of the next line when it was used as the value)."""
    text = finder.text
    if _OWN_LINE.fullmatch(text, start, end):
        return _value_below(finder, end, out)
    gsm8k = _GSM8K.match(text, start, end)
    if gsm8k is not None:
        rest = text[gsm8k.end() : end].strip()
        if not rest:
            return _value_below(finder, end, out)
        if not _HEADING.match(rest):
            _add(rest, out)
            return end
    marks = _marks(finder, start, end)
    resume = end
    for i, (mark_start, mark_end, is_form) in enumerate(marks):
        if is_form and _conditional(text, start, mark_start):
            continue
        stop = marks[i + 1][0] if i + 1 < len(marks) else end
        if _BLANK.fullmatch(text, mark_end, stop):
            if stop == end:
                resume = _value_below(finder, end, out)
            continue
        if _NOT.match(text, mark_end, stop):
            continue
        _add(text[mark_end:stop], out)
    return resume


def _marks(finder: _Finder, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(start, end, is the "answer is" form) of each marker in text[start:end]."""
    text = finder.text
    found: list[tuple[int, int, bool]] = []
    pos = start
    while True:
        at = finder.answer(pos, end)
        if at < 0:
            return found
        mark = _MARK.match(text, at, end)
        if mark is None or (at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")):
            pos = at + 6
            continue
        prefix = _MARK_PREFIX.search(text, max(pos, at - 40), at)
        found.append((prefix.start() if prefix else at, mark.end(), mark["form"][0] in "iI"))
        pos = mark.end()


def _conditional(text: str, start: int, at: int) -> bool:
    m = _PREV_WORD.search(text, max(start, at - 40), at)
    return m is not None and m.group(1).lower() in _CONDITIONAL


def _value_below(finder: _Finder, end: int, out: list[str]) -> int:
    """Use the next non-empty line after `end` as the value, unless it is itself a
    statement (then it is parsed on its own). Returns where the scan goes on."""
    text = finder.text
    m = _NON_SPACE.search(text, end)
    if m is None:
        return len(text)
    start = text.rfind("\n", 0, m.start()) + 1
    stop = text.find("\n", m.start())
    if stop < 0:
        stop = len(text)
    if finder.answer(start, stop) >= 0 or text.find("####", start, stop) >= 0:
        return end  # the next line has its own statement: parse it normally
    line = text[start:stop]
    opener = line.strip()
    if opener in ("$$", "\\["):  # a display block: take it whole
        closer = "$$" if opener == "$$" else "\\]"
        at = text.find(opener, start) + 2
        close = text.find(closer, max(at, finder.clear_to.get(closer, 0)), at + _MAX_BLOCK)
        if close < 0:
            finder.clear_to[closer] = at + _MAX_BLOCK
            return stop
        block_end = text.find("\n", close)
        block_end = len(text) if block_end < 0 else block_end
        _add(text[start : close + 2], out, whole=True)
        return block_end
    _add(line, out)
    return stop


def _add(rest: str, out: list[str], whole: bool = False) -> None:
    if "\\boxed" in rest or "\\fbox" in rest:
        out.extend(boxed(rest))
        return
    if not whole:
        cut = _SENTENCE_END.search(rest)
        if cut is not None:
            rest = rest[: cut.start()]
        hope = rest.lower().rfind(_HOPE)
        if hope >= 0 and not rest[hope + len(_HOPE) :].strip(" \t.!"):
            rest = rest[:hope].rstrip(" \t.,")
    rest = rest.strip()
    for bold in ("**", "__"):  # the closing half of a bold marker ("**Answer:** 7")
        if rest.startswith(bold) and rest.count(bold) % 2 == 1:
            rest = rest[2:].lstrip()
    value = unwrap(rest.rstrip("."))
    value = unwrap(value.rstrip("."))
    if value:
        out.append(value)


register(
    Kind(
        name="answer_line",
        build=lambda options: Built(answer_line, (), "answer_line"),
        summary="final-answer statements: 'The answer is X', 'Final answer: X', '#### X'",
    )
)
