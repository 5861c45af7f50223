"""`answer_line`: final-answer statements written in prose.

Recognized (case-insensitive), one candidate per statement, in order:

- `#### X` anywhere on a line (GSM8K: `#### 18 apples`, `#### $1,234`,
  `#### (A)`, `... so 18. #### 18`), unless it opens the line as a markdown
  heading: a value starting with a letter counts only when it is one letter
  (`#### C`) or a parenthesised letter, so `#### Step 2: ...` and
  `#### Solution` are not answers;
- `The answer is X`, `The final answer is X`, `The correct answer is X`,
  `answer: X`, `Final answer: X`, `**Final Answer:** X`, `**Answer**: X`, and
  the Minerva form `Final Answer: The final answer is X. I hope it is correct.`
  (stacked markers count once);
- `Answer:` / `Final Answer` / `**Final Answer**` / `## Final Answer` alone on
  its line: the value is the next non-empty line (a `$$`/`\\[` display block is
  taken whole). A marker with nothing after it on its line works the same way;
- `Answer $ 9 $` / `**Answer** 9`: the word opening its line, directly followed
  by a value (math, a digit, a sign or a bracket);
- the markers of other languages, followed by a colon (`:` or `：`) or the
  language's "is": 答案 / 最终答案 / 答 (是, 为), 答え (は), 정답 / 답 (은, 는),
  Ответ, Відповідь, Réponse (est), Antwort (ist), Respuesta (es), Resposta (é),
  Risposta (è), Antwoord, Svar, Vastaus, Odpowiedź, Odpověď, Απάντηση, الإجابة,
  الجواب, תשובה, उत्तर, Jawaban (adalah), Cevap, Đáp án, คำตอบ, Jibu, উত্তর,
  సమాధానం (MGSM's prefixes), Jawapan, Sagot, Válasz, Răspuns, پاسخ (with or without
  a "final" qualifier: Réponse finale, Respuesta final, 最终答案).

The value is the rest of the line, cut at the end of the sentence (a `.` followed
by whitespace, `。`), with a trailing period, a trailing "I hope it is correct",
trailing reasons (`, since ...`, `, because ...`, `, which ...`), a leading
`either`, and wrappers around the whole value (`$..$`, `\\(..\\)`, `**..**`,
an unmatched closing `**`) removed. If the value holds a `\\boxed{}`, the box
contents are the candidates instead. Statements are grouped like boxes
(`graders.extract.final`): "Answer: 3" and "Answer: 4" on consecutive lines
are one hedged candidate, "The answer is 41. Wait, the answer is 42." two.

A statement of the `answer is` form is ignored when it is conditional or
negated: the word just before it is one of `whether if unless suppose assume
assuming when why how what` ("check whether the answer is 5"), or the value
starts with `not` ("the answer is not 5").

Only lines that contain `answer`, `####` or another language's marker are
examined (found with `str.find` on the lowered text; the markers of other
languages with one precompiled search, only when the text holds one), each once, with regexes that never scan past their line
(or, for a display block below an `Answer:` line, past a bounded window), so the
time is linear in the text.
"""

from __future__ import annotations

import re

from ._core import Built, Kind, register, unwrap
from .boxed import answer_spans as box_answer_spans
from .final import statements
from .sentence import CJK_BOUND_AFTER, PROSE, PROVISIONAL_WORDS, sentence_value

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
# "Answer $ 9 $", "**Answer** 9": the word opening its line, then whitespace and a
# value (checked in code, so no whitespace run meets another optional one).
_LEAD = re.compile(
    rf"[ \t]*(?:#{{1,6}}[ \t]*)?(?:{_BOLD}[ \t]*)?(?:final[ \t]+)?answer(?:{_BOLD})?",
    re.IGNORECASE,
)
_VALUE_START = frozenset("$\\([0123456789+-\u2212")
_WS = re.compile(r"[ \t]*")
_GSM8K = re.compile(r"[ \t]*####+[ \t]*")  # ("##### 42": more hashes, the same marker)
# "#### Step 2: ..." is a markdown heading, not a GSM8K answer: a value that starts
# with a letter counts only when it is a single letter ("#### C").
_HEADING = re.compile(r"[^\W\d_](?!\s*\Z)")
_OWN_LINE = re.compile(
    rf"[ \t]*(?:#{{1,6}}[ \t]*)?(?:{_BOLD}[ \t]*)?(?:final[ \t]+)?answer[ \t]*"
    rf"(?:{_BOLD}[ \t]*)?(?::[ \t]*)?(?:{_BOLD}[ \t]*)?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"\.(?=\s|$)|[。！？]")
_MAX_TRIM = 1000  # reasons are only looked for in a value's first characters
_MAX_VALUE = 100_000  # a sentence end is only looked for in a value's first characters
# Sentence endings glued to a value in Korean and Japanese ("5입니다", "5です").
_GLUED_END = re.compile(r"(?:입니다|이다|이에요|예요|です|である|となります|になります)\s*\Z")
# Reasons after a value ("42, since ...", "5 because ..."): the keyword after a
# space (a lookbehind, so no whitespace run is scanned twice).
_REASON = re.compile(
    r"(?<=[ \t])(?:since|because|as|which|so that|given that|where|due to)\b"
    r"|[ \t]\((?=(?:since|because|as|from|using|by|which|i\.e\.|e\.g\.)\b)"  # "42 (since 6*7=42)"
    r"|[ \t]*,[ \t]*(?=(?:not|rather than|instead of)\b)"  # "15, not 12"
    r"|[，,](?=[ \t]*(?:因为|由于|所以))",
    re.IGNORECASE,
)
_CJK_COUNT = re.compile(r"([-+]?\d[\d,]*(?:\.\d+)?)(?!" + CJK_BOUND_AFTER.pattern + r")\s*[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]{1,4}")
# "The answer is either 3 ...", "The answer is therefore 8": a leading adverb is not the value
_EITHER = re.compile(r"(?:either|therefore|thus|hence|so|then|finally|clearly|simply|indeed)[ \t]+", re.IGNORECASE)
_HOPE = "i hope it is correct"
_MAX_BLOCK = 4000  # longest display block taken as a value below an "Answer:" line
_NON_SPACE = re.compile(r"\S")
_INLINE_MATH = re.compile(r"\$[^$]{1,200}\$")  # a math span in a sentence reads as a word ("The largest $n$ is 34")
_CONDITIONAL = frozenset(
    "whether if unless suppose supposing assume assuming when whenever why how what".split()
    # a restatement of someone else's claim ("We are told the answer is 42", "the key says that ...")
    + "told says said claims claimed states stated supposedly allegedly".split()
)

# Other languages. Latin/Cyrillic/Greek markers need a word boundary before them;
# CJK markers do not (no spaces). A marker counts with a colon or the language's
# "is" (checked in code after the match: `_other_languages`).
_ML = re.compile(
    r"(?<![^\W\d_])(?:final(?:e|a)?[ \t]+)?(?:ответ|відповідь|απάντηση|réponse|reponse|antwort|"
    r"antwoord|respuesta|resposta|risposta|svar|vastaus|odpowied[źz]|odpov[ěe]ď|jawaban(?:nya)?|"
    r"cevap|đáp[ \t]án|câu[ \t]trả[ \t]lời|الإجابة|الجواب|תשובה|उत्तर|คำตอบ"
    # MGSM's other answer prefixes (Swahili, Bengali, Telugu) and more languages models answer in
    r"|jibu|jawapan|sagot|válasz|răspuns|raspuns|svaret|پاسخ|উত্তর|సమాధానం|பதில்|ഉത്തരം|ಉತ್ತರ|જવાબ|ਜਵਾਬ)"
    r"|最终答案|最終答案|答案|答え|正解|정답|답|答",
    re.IGNORECASE,
)
_ML_QUALIFIER = re.compile(
    r"(?:final|finale|finala|finał|finalna|finalny|definitiva|finalmente|correcta|correcte)(?![^\W\d_])",
    re.IGNORECASE,
)
_ML_IS = re.compile(r"(?:est|ist|es|é|è|adalah|ialah|is|это|—)(?![^\W\d_])", re.IGNORECASE)
_ML_GLUED = ("是", "为", "為", "は", "은", "는")
# Cheap gates (on the lowered text) before the search: any one of these in the text.
_ML_ASCII_STEMS = ("antw", "respu", "respos", "rispos", "ponse", "svar", "vastaus",
                   "odpo", "jawa", "cevap", "jibu", "sagot")

Span = tuple[int, int, str]


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

    def other_language(self) -> bool:
        """Whether the text may hold another language's marker (cheap gate)."""
        if not self.text.isascii():
            return True
        low = self.low if self.low is not None else self.text.lower()
        return any(stem in low for stem in _ML_ASCII_STEMS)


def answer_line(text: str) -> tuple[str, ...]:
    return statements(text, answer_spans(text))


def answer_spans(text: str) -> list[Span]:
    """(start, end, value) of each final-answer statement, in order."""
    out: list[Span] = []
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
    if finder.other_language():
        other = _other_languages(finder)
        if other:
            out = _merge(out, other)
    return out


def _merge(first: list[Span], second: list[Span]) -> list[Span]:
    """Both lists in text order; a span of `second` overlapping one of `first` is dropped.
    Each list is in text order with disjoint spans, so one sweep does it."""
    taken = sorted((a, b) for a, b, _ in first)
    extra: list[Span] = []
    i = 0
    for span in sorted(second):
        while i < len(taken) and taken[i][1] <= span[0]:
            i += 1
        if i < len(taken) and taken[i][0] < span[1]:
            continue  # overlaps taken[i]
        extra.append(span)
    return sorted(first + extra, key=lambda s: s[0])


def _other_languages(finder: _Finder) -> list[Span]:
    text = finder.text
    out: list[Span] = []
    pos = 0
    while True:
        m = _ML.search(text, pos)
        if m is None:
            return out
        pos = m.end()
        if text.startswith("】", m.end()) and m.start() > 0 and text[m.start() - 1] == "【":
            at = _bracketed(text, m.end() + 1)  # "【答案】C", GAOKAO-Bench's label
        else:
            at = _separator(text, m.end(), m.group() == "答")
        if at < 0:
            continue
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        if _BLANK.fullmatch(text, at, end):
            pos = _value_below(finder, end, out) + 1
            continue
        before = len(out)
        _add(finder, at, end, out, start=m.start())
        # the rest of the line after the value's sentence may hold another marker ("错误答案：7。正确答案：42")
        pos = out[-1][1] if len(out) > before and at < out[-1][1] < end else end + 1


def _bracketed(text: str, i: int) -> int:
    """Where the value starts after a bracketed label `【答案】` ending at i (a colon may follow)."""
    j = _WS.match(text, i).end()  # type: ignore[union-attr]
    if j < len(text) and text[j] in ":：":
        j = _WS.match(text, j + 1).end()  # type: ignore[union-attr]
    return j


def _separator(text: str, i: int, colon_only: bool) -> int:
    """Where the value starts after a marker ending at i, or -1 if no separator follows."""
    j = _WS.match(text, i).end()  # type: ignore[union-attr]
    q = _ML_QUALIFIER.match(text, j) if j > i else None
    if q is not None:
        j = _WS.match(text, q.end()).end()  # type: ignore[union-attr]
    if text.startswith(("**", "__"), j):
        j = _WS.match(text, j + 2).end()  # type: ignore[union-attr]
    if j < len(text) and text[j] in ":：":
        j += 1
    elif colon_only:
        return -1
    elif text.startswith(_ML_GLUED, j):
        j += 1
    elif j > i and (c := _ML_IS.match(text, j)) is not None:
        j = c.end()
    else:
        return -1
    j = _WS.match(text, j).end()  # type: ignore[union-attr]
    if text.startswith(("**", "__"), j):
        j = _WS.match(text, j + 2).end()  # type: ignore[union-attr]
    return j


def _parse_line(finder: _Finder, start: int, end: int, out: list[Span]) -> int:
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
            _add(finder, gsm8k.end(), end, out, start=start)
            return end
    hashes = text.find("####", start, end)
    if hashes > start and _BLANK.fullmatch(text, start, hashes) is None:  # "... 18. #### 18"
        value_start = _GSM8K.match(text, hashes, end).end()  # type: ignore[union-attr]
        if not _BLANK.fullmatch(text, value_start, end):
            _add(finder, value_start, end, out, start=hashes)
            return end
    lead = _LEAD.match(text, start, end)
    if lead is not None:
        at = _WS.match(text, lead.end(), end).end()  # type: ignore[union-attr]
        if at > lead.end() and at < end and text[at] in _VALUE_START:
            if text[at:end].strip() in ("$$", "\\["):  # "Answer $$" and a display block below
                return _block(finder, at, out)
            _add(finder, at, end, out, start=start)
            return end
    marks = _marks(finder, start, end)
    resume = end
    for i, (mark_start, mark_end, is_form) in enumerate(marks):
        if is_form and _conditional(text, start, mark_start) or _provisional(text, start, mark_start):
            continue
        stop = marks[i + 1][0] if i + 1 < len(marks) else end
        if _BLANK.fullmatch(text, mark_end, stop):
            if stop == end:
                resume = _value_below(finder, end, out)
            continue
        if _NOT.match(text, mark_end, stop):  # "the answer is not 5": nothing, unless it goes on
            denied = clean_value(text[mark_end:stop])[0]
            replaced = sentence_value(denied) if len(denied) <= _MAX_TRIM else None  # "... not 10 but 12"
            if replaced and _NOT.match(replaced) is None and replaced[:1].isdigit():
                out.append((mark_start, stop, replaced))
            continue
        _add(finder, mark_end, stop, out, start=mark_start)
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
        after = _WS.match(text, at + 6, end).end()  # type: ignore[union-attr]
        if after < end and text[after] not in "*_iI:":  # cheap reject: no marker can follow
            pos = at + 6
            continue
        mark = _MARK.match(text, at, end)
        if mark is None or (at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")):
            pos = at + 6
            continue
        found.append((_prefix_start(text, max(pos, at - 40), at), mark.end(), mark["form"][0] in "iI"))
        pos = mark.end()


def _prefix_start(text: str, lo: int, at: int) -> int:
    """Where a marker anchored at "answer" (at `at`) starts: before "**", "the",
    "final" / "correct" standing right before it."""
    i = at
    for words in (("final", "correct"), ("the",), ("**", "__")):
        j = i
        while j > lo and text[j - 1] in " \t":
            j -= 1
        for w in words:
            if j - len(w) >= lo and text[j - len(w) : j].lower() == w and (
                w[0] in "*_" or j - len(w) == 0 or not text[j - len(w) - 1].isalnum()
            ):
                i = j - len(w)
                break
    return i


def _conditional(text: str, start: int, at: int) -> bool:
    """Whether the word before a marker at `at` (skipping "the") makes it conditional."""
    words = text[max(start, at - 40) : at].split()
    if words and words[-1].lower() == "the":
        words.pop()
    if len(words) > 1 and words[-1].lower() == "that":  # "we are told that the answer is 42"
        words.pop()
    return bool(words) and words[-1].lower() in _CONDITIONAL


def _provisional(text: str, start: int, at: int) -> bool:
    """Whether the word before a marker at `at` calls the answer provisional ("Draft answer:")."""
    words = text[max(start, at - 40) : at].split()
    return bool(words) and words[-1].lower().strip("*_") in PROVISIONAL_WORDS


def _value_below(finder: _Finder, end: int, out: list[Span]) -> int:
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
    if text[start:stop].strip() in ("$$", "\\["):  # a display block: take it whole
        return _block(finder, text.find("\\[" if "\\[" in text[start:stop] else "$$", start), out)
    _add(finder, start, stop, out)
    return stop


def _block(finder: _Finder, at: int, out: list[Span]) -> int:
    """The display block opening at `at` (`$$` or `\\[`) as a value; returns where
    the scan goes on."""
    text = finder.text
    closer = "$$" if text.startswith("$$", at) else "\\]"
    body = at + 2
    stop = text.find("\n", at)
    stop = len(text) if stop < 0 else stop
    close = text.find(closer, max(body, finder.clear_to.get(closer, 0)), body + _MAX_BLOCK)
    if close < 0:
        finder.clear_to[closer] = body + _MAX_BLOCK
        return stop
    block_end = text.find("\n", close)
    block_end = len(text) if block_end < 0 else block_end
    _add(finder, at, close + 2, out, whole=True)
    return block_end


# Two words in a row (a sentence, not a value such as "3 red and 2 blue" or "x = 5"), in a value
# that opens with a subject or sets a named quantity: "We ordered 14 pizzas", "Skyler's investment
# = $240" (not "about 42", "alrededor de 42", "42 below zero": there the words qualify the number).
_TWO_WORDS = re.compile(r"(?<![A-Za-z\\])[A-Za-z][A-Za-z'’]+[ \t]+[A-Za-z][A-Za-z'’]+")
_SUBJECT = re.compile(
    r"(?:we|i|he|she|they|you|it|there|this|that)[ \t]|[A-Za-z][A-Za-z'’ \t]{2,60}=[ \t]*[-$\d]", re.IGNORECASE
)
# A closing affirmation after the value: "the final answer is 5, obviously".
_AFFIRMED = re.compile(
    r"[ \t]*,[ \t]*(?:obviously|clearly|of course|certainly|definitely|surely|for sure|no doubt)[ \t.!]*\Z",
    re.IGNORECASE,
)


def _add(finder: _Finder, at: int, stop: int, out: list[Span], *, start: int | None = None,
         whole: bool = False) -> None:
    """The value text[at:stop] of a statement that starts at `start` (default `at`)."""
    text = finder.text
    start = at if start is None else start
    rest = text[at:stop]
    if "\\boxed" in rest or "\\fbox" in rest:
        for a, b, value in box_answer_spans(rest):
            out.append((at + a, at + b, value))
        return
    value, used = clean_value(rest, whole=whole)
    if value and len(value) <= _MAX_TRIM and (value.count(" ") > 1 or not value.isascii()) and (
        PROSE.search(_INLINE_MATH.sub("math", value) if "$" in value else value) is not None
        or (_SUBJECT.match(value) is not None and _TWO_WORDS.search(value) is not None)
    ):  # "Final Answer: she has 3 left", "The largest $n$ is 34", "Answer:\nWe ordered 14 pizzas.",
        # "Answer:\nSkyler's investment = $240": what it states
        value = sentence_value(value) or value
    if value:
        out.append((start, at + used, value))


def clean_value(rest: str, *, whole: bool = False) -> tuple[str, int]:
    """A statement's value without the prose around it (see the module doc), and
    how much of `rest` the value's sentence took."""
    if not whole:
        cut = _SENTENCE_END.search(rest, 0, _MAX_VALUE)
        if cut is not None:
            rest = rest[: cut.start()]
        used = len(rest)
        hope = rest.lower().rfind(_HOPE)
        if hope >= 0 and not rest[hope + len(_HOPE) :].strip(" \t.!"):
            rest = rest[:hope].rstrip(" \t.,")
        if "," in rest and (affirmed := _AFFIRMED.search(rest)) is not None and affirmed.start() > 0:
            rest = rest[: affirmed.start()]
        reason = _REASON.search(rest, 0, _MAX_TRIM)
        if reason is not None and reason.start() > 0:
            rest = rest[: reason.start()].rstrip(" \t,;-")
        if not rest.isascii():
            glued = _GLUED_END.search(rest, max(0, len(rest) - 20))
            if glued is not None:
                rest = rest[: glued.start()]
    else:
        used = len(rest)
    rest = rest.strip()
    if rest[:1] == "}":  # "\\text{Answer: } 6-5i": the marker's \\text closes before the value
        rest = rest[1:].lstrip()
    for bold in ("**", "__"):  # the closing half of a bold marker ("**Answer:** 7", "**Answer: 7**")
        if rest.count(bold) % 2 == 1:
            if rest.startswith(bold):
                rest = rest[2:].lstrip()
            elif rest.endswith(bold):
                rest = rest[:-2].rstrip()
    if not rest.isascii():
        counted = _CJK_COUNT.fullmatch(rest)
        if counted is not None:  # "3页", "300分钟": a number and a counter word
            from graders.mathparse.worded import worded_number  # (lazy: mathparse imports extract)

            if worded_number(rest) is not None:  # not "2 万" (20000), "21 个左右" (about 21)
                rest = counted.group(1)
    either = _EITHER.match(rest)
    if either is not None:
        rest = rest[either.end() :]
    value = unwrap(rest.rstrip("."))
    return unwrap(value.rstrip(".")), used


register(
    Kind(
        name="answer_line",
        build=lambda options: Built(answer_line, (), "answer_line"),
        summary="final-answer statements: 'The answer is X', 'Final answer: X', '#### X', 答案：X, ...",
    )
)
