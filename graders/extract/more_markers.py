"""More final-answer statements, and markers that take an answer back (used by `auto`).

`statement_spans` is `answer_line.answer_spans` plus these forms, and minus the
statements whose marker is negated:

- GPT-3's GSM8K format, an `A:` line that ends the completion with one value
  (`A: 1000`, `A: $9,500`), unless the completion ran on into a new `Q:`; a
  list of options ("A: 3 B: 4") is not one value;
- a marker with a parenthetical before its verb: "Therefore, the answer
  (arabic numerals) is: 20" (Kojima et al.'s zero-shot-CoT trigger), "The
  final answer (in cm) is 12", "Answer (rounded): 3";
- a marker opening its line, then a dash: "Final Answer - 25", "Answer — 7";
- a marker negated or called wrong by the words right before it states
  nothing: "Wrong answer: 42", "Incorrect answer: 7", "This is not the final
  answer: 42", "Previous answer: 5", 错误答案：42, 这不是最终答案：42,
  假设答案是 21 (a supposition). A later marker still counts: "Wrong answer: 7;
  corrected final answer: 42" states 42.

`rejected_box` applies the same words to a box they stand before
("假设答案是 \\boxed{21}", "Wrong answer: \\boxed{7}"), and `retracted` tells
a final empty box after a correction ("\\boxed{42} that was wrong, actually
\\boxed{}"): the model took its answer back and gave none.

Each rule reads one line or a bounded window (linear time); the common case
costs a few `str.find` calls.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ._core import unwrap
from .answer_line import _add, _conditional, _Finder, _merge, _value_below, answer_spans
from .boxed import box_spans
from .final import _CORRECTION

Span = tuple[int, int, str]

# ---------------------------------------------------------------- the A: line
_A_LINE = re.compile(r"[ \t>]*(?:\*\*)?A(?:\*\*)?[ \t]*[:：][ \t]*(?:\*\*[ \t]*)?(?=\S)")
_OTHER_OPTION = re.compile(r"(?<![A-Za-z])\(?[B-J]\)?[ \t]*[:)]")
_VALUE_CHAR = re.compile(r"[\d$\\]")
_OPTION_LINE = re.compile(r"(?m)^[ \t>*]*\(?[B-J]\)?(?:\*\*)?[ \t]*[:：)]")

# ------------------------------------------- "the answer (arabic numerals) is"
_PAREN_MARK = re.compile(
    r"(?<![A-Za-z_])answer[ \t]*\([^()\n]{1,40}\)[ \t]*(?:\*\*[ \t]*)?(?:is\b[ \t]*:?|:)[ \t]*(?:\*\*[ \t]*)?",
    re.IGNORECASE,
)
# ------------------------------------------------------ "Final Answer - 25"
_DASH_MARK = re.compile(
    r"[ \t>#*]*(?:the[ \t]+)?(?:final[ \t]+|correct[ \t]+)?answer[ \t]*(?:\*\*)?"
    r"(?:[ \t]+-|[ \t]*[–—])[ \t]*(?:\*\*[ \t]*)?(?=[-+\u2212$\\(\[0-9])",
    re.IGNORECASE,
)

# ------------------------------- "Answer = 25", "Final answer → 25", "The answer should be 25"
_VALUE_AHEAD = r"(?=[-+\u2212$\\(\[0-9])"
_EQ_MARK = re.compile(
    r"(?<![A-Za-z_])answer[ \t]*(?:\*\*[ \t]*)?(?:=>|->|→|⇒|⟹|=(?!=))[ \t]*(?:\*\*[ \t]*)?" + _VALUE_AHEAD
    + r"|(?<![A-Za-z_])answer[ \t]+(?:should|must)[ \t]+be[ \t]*:?[ \t]*" + _VALUE_AHEAD,
    re.IGNORECASE,
)
_THE_FINAL = re.compile(r"(?:the|final|my|our)[ \t]+\Z", re.IGNORECASE)
# "Ans: 25", "Ans. 25" opening a line; "Result: 25", "Final result: 25" as the text's last
# line, with a value alone after them ("Solution:" is left out: few-shot formats open each
# worked solution with it)
_ANS_LABEL = re.compile(r"[ \t>#*]*ans(?:\.|[ \t]*(?:\*\*)?[ \t]*[:：])[ \t]*(?:\*\*[ \t]*)?" + _VALUE_AHEAD, re.IGNORECASE)
_LAST_LABEL = re.compile(
    r"[ \t>#*]*(?:final[ \t]+)?result[ \t]*(?:\*\*)?[ \t]*[:：=][ \t]*(?:\*\*[ \t]*)?", re.IGNORECASE
)
# a completion that ran on into a new problem (few-shot formats): its last line answers that one
_NEW_PROBLEM = re.compile(r"(?m)^[ \t>#*]*(?:Q|Problem|Question)(?:\*\*)?[ \t]*[:：]")
_LONE = re.compile(
    r"(?:[-+\u2212]?(?:\\?\$)?\d[\d,]*(?:\.\d+)?(?:/\d+)?%?(?:[ \t]+[A-Za-z]+){0,2}"
    r"|\$[^$\n]{1,200}\$|\\\(.{1,200}?\\\)|\\boxed\{.{1,200}\}|\([^()\n]{1,60}\))[ \t]*\.?[ \t*]*"
)

# `<final_answer>25</final_answer>`, `<result>25</result>`, `[ANSWER]25[/ANSWER]`: other answer tags
_TAG = re.compile(
    r"<(final_answer|final-answer|finalanswer|final|result|final_result)(?:[ \t][^<>\n]{0,60})?>"
    r"(?P<v>[^<>]{1,200}?)</\1[ \t]*>"
    r"|\[(answer|final answer|final_answer)\](?P<w>[^\[\]]{1,200}?)\[/\3\]",
    re.IGNORECASE,
)


def _tag_spans(text: str) -> list[Span]:
    out: list[Span] = []
    low_gate = text.lower()
    if "final" not in low_gate and "result" not in low_gate and "[answer]" not in low_gate:
        return out
    for m in _TAG.finditer(text):
        raw = m.group("v") if m.group("v") is not None else m.group("w")
        value = unwrap(raw)
        if value:
            out.append((m.start(), m.end(), value))
    return out


# --------------------------------------------------------- negated markers
_REJECTED_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:wrong|incorrect|false|erroneous|mistaken|rejected|discarded|previous|earlier|old"
    r"|(?:not|isn['’]t)(?:[ \t]+(?:the|a|my|our))?(?:[ \t]+(?:final|correct|real|actual|right))?)"
    r"[ \t]*(?:\*\*)?[ \t]*\Z"
    r"|(?:错误|錯誤|不正确|不正確|不对|不對|不是|并非|並非|非|假设|假設|假如|如果|若|暂定|暫定|初步|草稿)的?"
    r"[ \t]*(?:的[ \t]*)?(?:最终|最終|正确|正確)?[ \t]*\Z",
    re.IGNORECASE,
)
_BEFORE = 40


def _rejected(text: str, start: int) -> bool:
    """Whether the words right before a marker starting at `start` (on its line) take it back."""
    lo = max(0, start - _BEFORE, text.rfind("\n", max(0, start - _BEFORE), start) + 1)
    before = text[lo:start]
    # _REJECTED_BEFORE ends at `start`: in ASCII text its last word must end the window
    if before.isascii() and not before.rstrip(" \t*").lower().endswith(_REJECTED_ENDINGS):
        return False
    return _REJECTED_BEFORE.search(text, lo, start) is not None


# The words _REJECTED_BEFORE can end with (its ASCII alternatives).
_REJECTED_ENDINGS = (
    "wrong", "incorrect", "false", "erroneous", "mistaken", "rejected", "discarded", "previous", "earlier", "old",
    "not", "isn't", "the", "a", "my", "our", "final", "correct", "real", "actual", "right",
)  # fmt: skip


def statement_spans(text: str) -> list[Span]:
    """(start, end, value) of each final-answer statement, in order (see the module doc)."""
    spans = answer_spans(text)
    extra = _extra(text)
    if extra:  # these win an overlap: "Final Answer - 25" is not the value "- 25"
        spans = _merge(extra, spans) if spans else extra
    if "<" in text or "[" in text:
        tags = _tag_spans(text)
        if tags:  # a statement inside the tag wins ("<result>The answer is 25</result>")
            spans = _merge(spans, tags) if spans else tags
    if spans:  # one bounded look-back per statement
        spans = [s for s in spans if not _rejected(text, s[0])]
    while len(spans) > 1 and spans[-1][2].strip(" \t.!。！*").lower() in _JUDGEMENT:
        spans = spans[:-1]  # "The answer is 42. This answer is correct.": a judgement, not a new answer
    return spans


_JUDGEMENT = frozenset(
    "correct right verified confirmed checked 对 对的 是对的 正确 正确的 是正确的 没错 對 對的 正確 正確的".split()
    + ["indeed correct", "definitely correct", "correct indeed"]
)


def _line_start(text: str, at: int, reach: int = 200) -> int:
    """The start of the line holding `at`, looked for at most `reach` characters back (a
    longer line starts at `at - reach` for these rules: linear time on a huge one-line text)."""
    return text.rfind("\n", max(0, at - reach), at) + 1 or max(0, at - reach)


def _line_end(text: str, at: int, reach: int = 4000) -> int:
    end = text.find("\n", at, at + reach)
    return end if end >= 0 else min(len(text), at + reach)


def _extra(text: str) -> list[Span]:
    out: list[Span] = []
    finder: _Finder | None = None
    if "answer" in text or "Answer" in text or "ANSWER" in text:
        finder = _Finder(text)  # (lowers the text once)
        low = finder.low if finder.low is not None else text.lower()
        if "answer (" in low or "answer(" in low:
            done_to = -1  # one statement per line, as answer_line reads them
            for m in _PAREN_MARK.finditer(text):
                if m.start() < done_to or _conditional(text, _line_start(text, m.start(), 40), m.start()):
                    continue
                end = done_to = _line_end(text, m.end())
                if text[m.end() : end].strip():
                    _add(finder, m.end(), end, out, start=m.start())
                else:
                    _value_below(finder, end, out)
        if "-" in text or "–" in text or "—" in text:
            pos = 0
            while (at := low.find("answer", pos)) >= 0:
                pos = at + 6
                line_start = low.rfind("\n", max(0, at - 40), at) + 1
                if line_start == 0 and at > 40:
                    continue  # not a marker opening its line
                m = _DASH_MARK.match(text, line_start)
                if m is not None and m.end() > at:
                    _add(finder, m.end(), _line_end(text, m.end()), out, start=line_start)
        if "=" in text or "→" in text or ">" in text or "should" in low or "must" in low:
            fences: list[int] = []  # the code fences, found once when needed
            fences_done = "```" not in text
            done_to = -1
            for m in _EQ_MARK.finditer(text):
                if m.start() < done_to:
                    continue
                line_start = _line_start(text, m.start(), 40)
                if _conditional(text, line_start, m.start()) or _rejected(text, m.start()):
                    continue
                if text[m.start()] == "a" and "=" in m.group() and not _THE_FINAL.search(text, line_start, m.start()):
                    continue  # `answer = 0`: a variable in code, not a statement
                if not fences_done:
                    fences, fences_done = _fence_positions(text), True
                if fences and bisect_left(fences, m.start()) % 2 == 1:
                    continue  # inside a code block
                done_to = _line_end(text, m.end())
                _add(finder, m.end(), done_to, out, start=m.start())
    if "ans" in text or "Ans" in text or "ANS" in text:
        pos = 0
        while (at := text.find("ns", pos)) >= 0:
            pos = at + 2
            line_start = text.rfind("\n", max(0, at - 12), at) + 1
            if line_start == 0 and at > 12:
                continue  # "Ans" opens its line: a few characters back at most
            m = _ANS_LABEL.match(text, line_start)
            if m is not None and m.end() > at:
                end = _line_end(text, m.end(), 400)
                if _LONE.fullmatch(text, m.end(), end):
                    finder = finder or _Finder(text)
                    _add(finder, m.end(), end, out, start=line_start)
    last = _last_label(text)
    if last is not None:
        out.append(last)
    a_line = _a_line(text)
    if a_line is not None:
        out.append(a_line)
    out.sort(key=lambda s: s[0])
    return out


_FENCE = re.compile(r"```")


def _fence_positions(text: str) -> list[int]:
    return [m.start() for m in _FENCE.finditer(text)]


def _last_label(text: str) -> Span | None:
    """A "Result: 25" / "Final result: 25" / "Solution: 25" line ending the text, as a span."""
    end = len(text.rstrip())
    start = text.rfind("\n", 0, end) + 1
    if end - start > 200:
        return None
    m = _LAST_LABEL.match(text, start, end)
    if m is None or not _LONE.fullmatch(text, m.end(), end) or _NEW_PROBLEM.search(text, 0, start):
        return None
    out: list[Span] = []
    _add(_Finder(text), m.end(), end, out, start=start)
    return out[-1] if out else None


def _a_line(text: str) -> Span | None:
    """The `A: value` line that ends the text, as a span, or None."""
    end = len(text.rstrip())
    start = text.rfind("\n", 0, end) + 1
    if end - start > 160 or "A" not in text[start : start + 8]:
        return None
    m = _A_LINE.match(text, start, end)
    if m is None:
        return None
    rest = text[m.end() : end]
    if not _VALUE_CHAR.search(rest) or _OTHER_OPTION.search(rest) or _NEW_PROBLEM.search(text, 0, start):
        return None  # a list of options, or the answer to a question the model went on to ask
    if _OPTION_LINE.search(text, max(0, start - 2000), start):
        return None  # "A: 5" below "B: 6", "C: 7": one option of a list
    out: list[Span] = []
    _add(_Finder(text), m.end(), end, out, start=start)
    return out[-1] if out else None


# -------------------------------------------------------------------- boxes
_BOX = re.compile(r"\\(?:boxed|fbox)[ \t]*\{")
_EMPTY_BOX = re.compile(r"\\(?:boxed|fbox)[ \t]*\{[ \t]*\}")
# "answer is", "answer:", 答案是 between the negating words and the box
_MARKER_BEFORE = re.compile(
    r"(?:(?:the[ \t]+)?(?:final[ \t]+|correct[ \t]+)?answer[ \t]*(?:is|was|would be|:)"
    r"|(?:最终|最終)?答案[ \t]*(?:是|为|為|[:：]))[ \t]*[$(\\\[]*[ \t]*\Z",
    re.IGNORECASE,
)


def _marker_before(body: str, lo: int, bs: int) -> re.Match[str] | None:
    """_MARKER_BEFORE.search(body, lo, bs), searched only from where it can start.

    The match ends at `bs`, so in ASCII text the window ends with "is", "was", "be" or ":",
    and its "answer" is the window's last one (nothing but those words and spaces may
    follow it); the match starts there or at the "final" / "correct" and "the" before it."""
    window = body[lo:bs]
    if not window.isascii():
        return _MARKER_BEFORE.search(body, lo, bs)
    low = window.lower()
    if not low.rstrip(" \t$(\\[").endswith(("is", "was", "be", ":")):
        return None
    p = low.rfind("answer")
    if p < 0:
        return None
    for words in (("final", "correct"), ("the",)):
        j = p
        while j > 0 and low[j - 1] in " \t":
            j -= 1
        if j < p:  # the pattern needs a space between the words
            for w in words:
                if low.endswith(w, 0, j):
                    p = j - len(w)
                    break
    return _MARKER_BEFORE.search(body, lo + p, bs)


def without_rejected_boxes(body: str) -> str:
    """`body` with every box introduced by a negated or supposed marker blanked
    ("Wrong answer: \\boxed{7}", "假设答案是 \\boxed{21}"); positions hold."""
    pos = 0
    while True:  # cheap gate: a marker in the window before some box
        at = body.find("\\boxed", pos)
        if at < 0:
            return body
        window = body[max(0, at - 60) : at]
        if "nswer" in window or "NSWER" in window or "答案" in window:
            break
        pos = at + 6
    drop = []
    for _, _, bs, be in box_spans(body):
        lo = max(0, bs - 60)
        mark = _marker_before(body, lo, bs)
        if mark is not None and (_rejected(body, mark.start()) or _conditional(body, lo, mark.start())):
            drop.append((bs, be))
    for bs, be in reversed(drop):
        body = body[:bs] + " " * (be - bs) + body[be:]
    return body


def retracted(body: str) -> bool:
    """Whether the text's last box is empty and follows a correction of an earlier box
    ("\\boxed{42} that was wrong, actually \\boxed{}"): the answer was taken back."""
    last = max(body.rfind("\\boxed"), body.rfind("\\fbox"))
    if last < 0 or _EMPTY_BOX.match(body, last) is None:
        return False
    before = _BOX.search(body, max(0, last - 400), last)
    if before is None:
        return False
    prev = before.start()
    while (nxt := _BOX.search(body, prev + 1, last)) is not None:
        prev = nxt.start()
    return _CORRECTION.search(body, prev, last) is not None


def rejected_statement(text: str) -> bool:
    """Whether `text` holds an answer statement whose marker is taken back ("Wrong answer: 42"):
    such a text is not a bare answer either."""
    return any(_rejected(text, s[0]) for s in answer_spans(text))


# "First we calculate 5, then 10, finally 15": a sentence that lists values and calls the last final
_FINALLY_VALUE = re.compile(
    r"(?:[,;]|(?<![A-Za-z])(?:and|then))[ \t]*(?:and[ \t]+|then[ \t]+)?"
    r"(?:finally|lastly|at last|in the end|ultimately)[ \t]*,?[ \t]*"
    r"(?:(?:we|I)[ \t]+(?:get|have|obtain|find|arrive at)[ \t]+|(?:it|this)[ \t]+(?:is|gives)[ \t]+|to[ \t]+get[ \t]+)?"
    r"(?P<v>[-+\u2212]?\$?\d[\d,]*(?:\.\d+)?(?:/\d+)?%?(?:[ \t]+[^\W\d_]+){0,3}|\$[^$]{1,80}\$|\\\(.{1,80}?\\\))"
    r"[ \t]*[.!]?[ \t]*\Z",
    re.IGNORECASE,
)
_EARLIER_VALUE = re.compile(r"\d|\$")
_SENTENCE_END = re.compile(r"(?<!\d)[.!?](?=\s)|[。！？\n]")


def finally_value(value: str) -> str | None:
    """The value a listing sentence calls final ("First 2/3, finally 7/8" -> 7/8), or None.
    `value` is a candidate, or the tail of a text (its last sentence is read)."""
    if len(value) > 300:
        value = value[-300:]
    low = value.lower()
    if "final" not in low and "last" not in low and "ultimately" not in low and "in the end" not in low:
        return None
    m = _FINALLY_VALUE.search(value)
    if m is None:
        return None
    start = 0  # the listing sentence: from the last sentence end before "finally"
    for end in _SENTENCE_END.finditer(value, 0, m.start()):
        start = end.end()
    if not _EARLIER_VALUE.search(value, start, m.start()):
        return None  # only a listing of values has a last one to pick
    return unwrap(m.group("v"))


# A closing clause that calls the answer just given wrong ("最少取出 21 个，这个答案不对。",
# "The answer is 42, but this answer is wrong.", "42. That's incorrect."): no answer is left.
_DISOWNED = re.compile(
    r"(?:(?:\A|[\s,;:.!，；：。！])(?:but[ \t]+|however,?[ \t]+|though[ \t]+)?"
    r"(?:(?:this|that|the|my)[ \t]+(?:answer|result|value)[ \t]+(?:is|was)"
    r"|(?:this|that|it)(?:['’]s|[ \t]+is|[ \t]+was))[ \t]+(?:(?:probably|actually|definitely)[ \t]+)?"
    r"(?:wrong|incorrect|not[ \t]+(?:right|correct))(?![A-Za-z])"
    r"|(?:这个|这|該|该|此|那个)?(?:答案|结果|結果)?(?:是)?(?:不对|不對|错的|錯的|错误|錯誤|不正确|不正確)的?)"
    r"[ \t]*[.!。！]?[ \t]*\Z",
    re.IGNORECASE,
)
_LAST_VALUE = re.compile(r"[\d}$]")
_DISOWN_GATE = re.compile(r"wrong|incorrect|not[ \t]+(?:right|correct)|不对|不對|错|錯|不正确|不正確", re.IGNORECASE)


def disowned(text: str) -> bool:
    """Whether the words after the text's last value only call the answer wrong."""
    tail_start = max(0, len(text) - 80)
    end = text[tail_start:]
    if end.isascii() and "not" not in (low := end.lower()) and "wrong" not in low and "incorrect" not in low:
        return False  # what _DISOWN_GATE needs, in ASCII text
    if _DISOWN_GATE.search(text, tail_start) is None:
        return False
    last = -1
    for m in _LAST_VALUE.finditer(text, tail_start):
        last = m.end()
    if last < 0:
        return False
    tail = text[last:]
    return len(tail.strip()) > 2 and _DISOWNED.search(tail) is not None


# "每个盒子放 5 个，所以需要 4 个盒子。": in a CJK sentence the clause after 所以/因此 ("so",
# "therefore") is the conclusion; the clause before it is a premise (its 5 is not the answer).
_CJK_SO = re.compile(r"(?:所以|因此|因而|于是|於是|故而)")


def conclusion(body: str) -> str:
    """The conclusion clause of a one-line CJK text (after its last 所以/因此), else `body`."""
    if body.isascii():
        return body
    last = None
    for m in _CJK_SO.finditer(body):
        last = m
    if last is None or last.start() == 0 or not any(c.isdigit() for c in body[last.end() :]):
        return body
    return body[last.end() :].lstrip(" \t，,：:")
