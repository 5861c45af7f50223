"""Which option letter a text commits to ("therefore I think it's B", "B。不是 A").

Used only where the reference is a choice letter (the math comparer, and the
`auto` fallback that yields a lone letter, which can only ever match a letter).

A letter is a standalone capital `A`-`J` (no letter, digit, `\\`, `_`, `'`
either side). It is

- *negated* when a negation stands right before it ("not A", "can't be A",
  "isn't A", "non A", "nicht A", "no es A", "pas A", "不是 A", "非 A",
  "eliminate A", "rule out A", "except A") or earlier in its clause ("it
  doesn't make sense for it to be A"), or it
  continues a list whose previous letter is negated ("can't be A or B");
- *committed* when it is not negated and it follows an answer marker ("the
  answer is for sure D", "réponse est C", "答案是 B"; up to three filler words
  between), a copula or a choice verb ("it's B", "is B", "choose B", "option
  B"), opens a sentence followed by a mark or a negation ("C. x = 42",
  "B。", "C non A"), or closes the text after a conclusion word ("so C",
  "therefore C", "所以C"); or it continues a list whose previous
  letter is committed ("A or B": both committed, a hedge).

The answer is read in the last sentence holding a committed letter: the run of
letters after its last answer marker if there is one, else all its committed
letters; one distinct letter is the answer, several are a hedge (no answer), and
so is one next to another letter offered with "or"/"maybe"/"perhaps" ("I would
say A, but maybe B").
A letter in prose ("I think A is wrong") is none of these and never counts, and a
text that lists the options ("A. first option; B. second option") commits to none.
"""

from __future__ import annotations

import re

_LETTER = re.compile(r"(?<![A-Za-z0-9\\_'’{^])\(?([A-J])\)?(?![A-Za-z0-9_'’}^])")
_ANY_LETTER = re.compile(r"(?<![A-Za-z0-9\\_'’{])[A-J](?![A-Za-z0-9_'’}])")
_NEG = re.compile(
    r"(?:(?<![A-Za-z])(?:not|isn't|is not|can't be|cannot be|can not be|couldn't be|won't be|never|neither|nor"
    r"|non|nicht|kein|keine|pas|no es|no|n'est pas|ist nicht|ne|eliminat\w*|rul\w* out|exclud\w*|discard\w*"
    r"|reject\w*|except|besides|other than)(?:\s+(?:option|choice|answer))?"
    r"|不是|不|非|並非|并非)\s*\Z",
    re.IGNORECASE,
)
_MARKER = re.compile(
    r"(?:(?<![A-Za-z])(?:answer|answer is|answer would be|answer should be|final answer|correct answer|"
    r"correct option|correct choice|réponse|réponse est|respuesta|respuesta es|antwort|antwort ist|"
    r"risposta|risposta è|resposta|resposta é|ответ)\s*[:：]?"
    r"|答案\s*(?:是|为|為|[:：])?|选|選)"
    r"(?:\s+(?!not\b|non\b|nicht\b|no\b|pas\b)(?-i:[a-z]+)){0,3}?\s*(?:option\s+|choice\s+)?\(?\s*\Z",
    re.IGNORECASE,
)
_COPULA = re.compile(
    r"(?<![A-Za-z])(?:it's|it is|is|be|choose|chose|pick|picked|select|selected|go with|option|choice|say|guess|"
    r"finali[sz]e|finali[sz]ed|settle on|settled on|go for|opt for|stick with|lock in|commit to|"
    r"est|es|ist|è|é|是|为|為)\s*\(?\s*\Z",
    re.IGNORECASE,
)
_START = re.compile(r"(?:\A|[.!?。！？\n]|\*\*)\s*\(?\Z")
_AFTER_START = re.compile(
    r"\)?\s*(?:[.)。,，;；!！]|\Z|[\u3000-\u9fff]"
    r"|\s+(?:(?:and|und|et|y|e|but|aber|mais|pero|ma)\s+)?(?:not|non|nicht|no|pas|ne)(?![A-Za-z]))"
)
_LEAD = re.compile(r"\A\s*(?:(?-i:[a-z]+)\s+){0,3}\(?\Z")
_MATH_BEFORE = re.compile(r"[=+\-*/^<>×·]\s*\(?\Z")
_MATH_AFTER = re.compile(r"\)?\s*(?:[=+\-*/^<>×·:：]|\\)")
_CONCLUDE = re.compile(
    r"(?:(?<![A-Za-z])(?:so|thus|therefore|hence|then|donc|also|daher|por lo tanto|entonces|but|rather|instead|sondern|mais|sino"
    r"|wait,?|actually,?|no,|sorry,?|i mean,?)"  # a correction: "B. No wait, C."
    r"|所以|因此|而是|[:：→]|=>|->)"
    r"\s*\(?\Z",
    re.IGNORECASE,
)
_CLOSE = re.compile(r"\)?[\s.!。！*$}]*\Z")
_CONJ = re.compile(r"\)?\s*(?:,|;|；|/|、|&|\+|or|and|nor|oder|ou|o|y|et|und|或|和|或者)?\s*\(?", re.IGNORECASE)
_SENT_END = re.compile(r"[.!?](?=\s|\Z)|[。！？]|\n")
_ALTERNATIVE = re.compile(
    r"(?<![A-Za-z])(?:or|either|maybe|perhaps|possibly|probably|alternatively|oder|ou|o|vielleicht|peut-être|quizás"
    r"|tal vez)(?![A-Za-z])|或|也许|可能",
    re.IGNORECASE,
)
# A negation earlier in the letter's own clause ("it doesn't make sense for it to be A or B")
_CLAUSE_NEG = re.compile(
    r"(?<![A-Za-z])(?:not|never|cannot|nicht|niemals|pas|jamais|nunca)(?![A-Za-z])|n['’]t(?![A-Za-z])",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(
    r"[,;:.!?。，；：！？\n]|(?<![A-Za-z])(?:but|so|then|therefore|thus|hence|however|instead|rather|aber|sondern"
    r"|mais|pero|sino|donc|also|daher)(?![A-Za-z])",
    re.IGNORECASE,
)
# "A. first option; B. second option", "A) x\nB) y": a list of the options, which commits to none
_ENUMERATED = re.compile(r"(?:\A|[;；,\n])[ \t]*(?:\*\*)?\(?[A-J][.)](?:\*\*)?[ \t]")
# "Option C is not correct", "A is wrong": the letter is the subject of a denial
_NEG_AFTER = re.compile(
    r"\)?[ \t]+(?:is[ \t]+not|isn['’]t|is[ \t]+(?:wrong|incorrect|false|ruled out|eliminated)|can(?:not|['’]t)[ \t]+be)"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)
MAX_LETTERS = 40


def _clause_negated(text: str, at: int) -> bool:
    """Whether a negation stands earlier in the clause of the letter at `at` (a bounded look back)."""
    lo = max(0, at - 120)
    start = lo
    for m in _CLAUSE_START.finditer(text, lo, at):
        start = m.end()
    return _CLAUSE_NEG.search(text, start, at) is not None


def has_letter(text: str) -> bool:
    """Whether `text` has a standalone capital A-J at all (a cheap gate)."""
    return _ANY_LETTER.search(text) is not None


def committed_letter(text: str, *, lead: bool = False) -> str | None:
    """The option letter `text` commits to, or None (none, or a hedge). With `lead`,
    `text` is a value an answer marker introduced (an extracted statement), so its
    opening letter ("for sure D, ...") is read as following a marker."""
    found: list[tuple[int, str, bool, bool, bool, bool]] = []  # (start, letter, negated, committed, marker, in_list)
    prev_end, prev_neg, prev_com = 0, False, False
    for k, m in enumerate(_LETTER.finditer(text)):
        if k >= MAX_LETTERS:
            return None
        s = m.start()
        before = text[max(0, s - 40) : s]
        gap = text[prev_end:s]
        in_list = bool(found) and _CONJ.fullmatch(gap) is not None
        neg = (
            _NEG.search(before) is not None
            or (in_list and prev_neg)
            or _clause_negated(text, s)
            or _NEG_AFTER.match(text, m.end()) is not None
        )
        marker = com = False
        if not neg and not (_MATH_BEFORE.search(before) or _MATH_AFTER.match(text, m.end())):
            if _MARKER.search(before) or (
                lead and not found and _LEAD.match(before)
                and (_AFTER_START.match(text, m.end()) or _CLOSE.match(text, m.end()))
            ):
                marker = com = True
            elif in_list and prev_com:
                com = True
            elif _COPULA.search(before) or (
                not in_list and _CLOSE.match(text, m.end()) and _CONCLUDE.search(before)
            ):
                com = True
            elif _START.search(before) and _AFTER_START.match(text, m.end()):
                com = True
        found.append((s, m.group(1), neg, com, marker, in_list))
        prev_end, prev_neg, prev_com = m.end(), neg, com
    committed = [f for f in found if f[3]]
    if not committed or len(_ENUMERATED.findall(text)) > 1:
        return None
    last = committed[-1][0]
    ends = [e.end() for e in _SENT_END.finditer(text, 0, last)]
    start = ends[-1] if ends else 0
    sentence = [f for f in found if f[0] >= start]
    markers = [i for i, f in enumerate(sentence) if f[4]]
    if markers:
        run = [sentence[markers[-1]]]
        for f in sentence[markers[-1] + 1 :]:
            if not f[5]:
                break
            run.append(f)
        letters = {f[1] for f in run if f[3]}
    else:
        letters = {f[1] for f in sentence if f[3]}
    if len(letters) != 1:
        return None
    # "I would say A, but maybe B": a letter offered as an alternative makes a hedge
    others = {f[1] for f in sentence if not f[2]} - letters
    if others and _ALTERNATIVE.search(text, start):
        return None
    return letters.pop()
