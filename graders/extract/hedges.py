"""What the words around a final answer say about it (used by `auto`).

A policy optimised against the reward writes whatever earns it; these rules keep
the words next to an explicit answer from being ignored:

- a box that is denied or quoted is no answer: `The answer is not \\boxed{42}`,
  `it isn't \\boxed{42}`, `x \\neq \\boxed{42}`, `e.g. \\boxed{42}`, `for example
  \\boxed{42}` (`denied_or_quoted`);
- an alternative offered in the rest of the last box's sentence makes it a hedge:
  `\\boxed{42} or 43`, `\\boxed{42} (or 43)`, `\\boxed{42}, though 43 is also
  possible`, `\\boxed{A} or B` (`alternative_after`); "or equivalently",
  "or approximately", "i.e." restate the value and are no alternative;
- a sentence that only retracts the answer and states another ends the text:
  "The answer is 42. Wait, actually it's 43.", "No, B.", "Scratch that: 43."
  (`retraction`): the later value is a new statement;
- a box left open at the end of the text (`The answer is \\boxed{42`) was cut off
  mid-answer: no answer (`cut_off_box`).

Every scan reads a bounded window next to the answer (linear time).
"""

from __future__ import annotations

import re

from .answer_line import clean_value
from .boxed import _SIMPLE_BOX, answer_spans, box_spans

Span = tuple[int, int, str]

_BEFORE = 60  # characters read before a box
_AFTER = 240  # characters read after the last box / answer

# What stands right before a box that denies it or quotes it as an example.
_DENIED_BEFORE = re.compile(
    r"(?:(?<![^\W\d_])(?:not|never|cannot|no longer|не|нет|nicht|pas|no es|no|não é|não|non è|non)|n['’]t|\\neq?|\\not=|≠|!="
    r"|不是|并非|並非|不)"
    r"[ \t]*(?:be[ \t]+|equal[ \t]+(?:to[ \t]+)?)?[$(]*[ \t]*\Z"
    r"|(?<![A-Za-z])(?:e\.g\.|for example|for instance|such as)[ \t]*,?[ \t]*(?:write[ \t]+)?[$(`]*[ \t]*\Z"
    r"|`[ \t]*\Z"  # `\boxed{42}` in inline code: quoted
    # an approximation, a bound or a guess is not the value: "About \boxed{42}", "$x > \boxed{42}$"
    r"|(?:(?<![A-Za-z])(?:about|approximately|approx\.?|roughly|around|nearly|almost|circa|ca\."
    r"|at least|at most|more than|less than|fewer than|greater than|over|under|около|примерно|приблизительно|environ"
    r"|à peu près|etwa|ungefähr|ca\.|rund|aproximadamente|cerca de|alrededor de|circa|quasi)|约|大约|大約|大概|至少|至多|約|약"
    r"|およそ|~|\\approx|\\sim|\\simeq|\\geq?|\\leq?|\\geqslant|\\leqslant|\\gt|\\lt"
    r"|[<>≈≥≤])[ \t]*(?:=[ \t]*)?[$(]*[ \t]*\Z",
    re.IGNORECASE,
)
# Another value offered right before the box, in its sentence: "43 or \boxed{42}", "Maybe 43, maybe
# \boxed{42}", "The answer is $43$ or $\boxed{42}$"
_OFFER_BEFORE = re.compile(
    r"[-+\u2212(]?\$?\d[^.!?\n;:]{0,80}?(?<![A-Za-z])(?:or|either|maybe|possibly|perhaps|probably|alternatively|ou|oder)"
    r"[ \t,]*[$(]*[ \t]*\Z",
    re.IGNORECASE,
)
# What follows a box in its sentence and denies, doubts, bounds or questions it: "\boxed{42} is wrong",
# "\boxed{42} (a guess)", "\boxed{42}ish", "\boxed{42}+", "Is it \boxed{42}?"
_DENIED_AFTER = re.compile(
    r"[ \t$]*(?:\?|\+|-?ish(?![A-Za-z])"
    r"|[ \t]*(?:[(,—–-]+[ \t]*)?(?:(?:it|this|that)(?:['’]s|[ \t]+is)[ \t]+|is[ \t]+|was[ \t]+|seems[ \t]+|may[ \t]+be[ \t]+)?"
    r"(?:(?:is|was|are|does|do)?(?:not|n['’]t)[ \t]+(?:sure|certain|correct|right|valid|true|final|the (?:right |correct |final )?answer|it)"
    r"|if|unless|assuming|provided|wrong|incorrect|false|invalid|a guess|an? (?:estimate|approximation|rough)|approx(?:\.|imately|imate)?"
    r"|rounded|roughly|or thereabouts|give or take|at least|at most|or more|or less|or fewer|or so"
    r"|just kidding|unsure|not sure|maybe|probably|perhaps|possibly|guess(?:ed)?|estimated?"
    r"|неверно|неправильно|примерно|faux|environ|falsch|ungefähr|incorrecto|aproximadamente|errado|sbagliato)(?![A-Za-z]))"
    r"|[ \t]*[（(]?(?:约|大约|左右|上下|以上|以下|多|余|是错的|不对|错误|错了|不正确)",
    re.IGNORECASE,
)
# The end of the box's sentence.
_SENTENCE_END = re.compile(r"(?<!\.)[.!?](?=\s|\Z)|[。！？]|\n[ \t]*\n")
# A word offering another value after the box ("or 43", "maybe 43", "43 is also possible").
_OFFER = re.compile(
    r"(?<![A-Za-z\\])(?:or|either|alternatively|otherwise|else|maybe|possibly|perhaps|probably|might|could"
    r"|also|ou|oder|o|vs\.?|versus|\\lor|\\vee|или|либо|oppure)(?![^\W\d_])|也可能|或者|或|还是|還是"
    # another value joined to the box: "\boxed{42}, 43", "\boxed{42}/43", "\boxed{42} and 43"
    r"|\A[ \t$]*(?:[,/|&]|\\[,;]|(?<![A-Za-z])and(?![A-Za-z]))[ \t]*(?=[$(\\]*[ \t]*[-+\u2212]?\d)",
    re.IGNORECASE,
)
# An alternative that restates the value ("or equivalently 0.5", "or approximately 0.33").
_RESTATES = re.compile(
    r"[ \t,(]*(?:equivalently|equally|approximately|approx\.?|about|roughly|in decimal|as a decimal"
    r"|in (?:simplest|lowest|exact|decimal|fraction(?:al)?) form|written as|expressed as|simplified|simply"
    r"|\\approx|≈|i\.e\.|that is)(?![A-Za-z])",
    re.IGNORECASE,
)
_VALUE_CHAR = re.compile(r"[\d$\\]|(?<![A-Za-z])\(?[A-J]\)?(?![A-Za-z])")
# "or so", "or more": a bound, not a value
_BOUND = re.compile(
    r"[ \t]*(?:so|more|less|fewer|greater|higher|lower|above|below|thereabouts)(?![A-Za-z])",
    re.IGNORECASE,
)
# Words that start an explanation after the answer ("\boxed{5}, which is the number of ways to pick 2 or 3")
_EXPLAINS = re.compile(
    r"(?<![A-Za-z])(?:which|that|because|since|where|when|as|if|for|given|from|with|by|using|of|in)(?![A-Za-z])",
    re.IGNORECASE,
)

# A sentence that only takes the answer back and states another: openers, then a value.
_OPENER = (
    r"(?:no|nope|wait|actually|oops|sorry|hmm|correction|scratch that|just kidding|never ?mind"
    r"|on second thought|i mean|i meant|make that|hold on|rather|нет|подождите|постойте|non|attendez|nein|moment|warte"
    r"|espera|espere|não|aspetta|不对|不對|不|等等|等一下|错了|錯了)"
)
_VALUE = (
    r"(?:\$[^$\n]{1,120}\$|\\\([^\n]{1,120}?\\\)|\*\*[^*\n]{1,60}\*\*|(?-i:\(?[A-J]\)?)"
    r"|[-+\u2212]?\d[\d,]*(?:\.\d+)?(?:/\d+)?%?)"
)
_RETRACTION = re.compile(
    r"(?:\A|(?<=[.!?;:。}$)])|\n)[ \t*>]*"
    rf"(?:{_OPENER}(?![A-Za-z])[ \t]*[,:;!.—–\-，、：！。]*[ \t]*)+"
    r"(?:(?:it|that|this)(?:['’]s|[ \t]+is|[ \t]+should[ \t]+be|[ \t]+must[ \t]+be|[ \t]+would[ \t]+be)[ \t]+"
    r"|the[ \t]+(?:final[ \t]+|correct[ \t]+)?answer[ \t]+(?:is|should[ \t]+be)[ \t]+|should[ \t]+be[ \t]+"
    r"|(?:应该|應該|应|應)?(?:是|为|為)[ \t]*|c['’]est[ \t]+|es[ \t]+|ist[ \t]+|это[ \t]+|é[ \t]+|è[ \t]+)?"
    rf"(?:actually[ \t]+)?({_VALUE})(?:[ \t]+is[ \t]+(?:right|correct|the (?:right |correct )?answer))?"
    r"[ \t]*[.!。]?[ \t]*\Z",
    re.IGNORECASE,
)


# How the text before a denied or quoted box can end (a cheap gate before the regex).
_ENDINGS = (
    "not", "never", "cannot", "longer", "n't", "n’t", "\\neq", "\\ne", "\\not=", "≠", "!=", " be", "equal", " to",
    "e.g.", "e.g.,", "example", "example,", "instance", "instance,", "such as", "write", "`",
    "about", "approximately", "approx", "approx.", "roughly", "around", "nearly", "almost", "circa", "ca.",
    "least", "most", "than", "over", "under", "~", "не", "нет", "nicht", "pas", "no es", "no", "não", "não é",
    "non", "non è", "不", "不是", "并非", "並非", "около", "примерно", "приблизительно", "environ", "près", "etwa",
    "ungefähr", "rund", "aproximadamente", "cerca de", "alrededor de", "circa", "quasi", "约", "大约", "大約", "大概",
    "至少", "至多", "約", "약", "およそ", "\\approx", "\\sim", "\\simeq", "\\ge", "\\geq", "\\le", "\\leq", "\\geqslant",
    "\\leqslant", "\\gt", "\\lt", "<", ">", "≈", "≥", "≤", "=",
)  # fmt: skip


def denied_or_quoted(body: str, start: int, end: int | None = None) -> bool:
    """Whether the box at body[start:end] is denied, doubted, bounded, questioned or quoted
    as an example by the words right before or after it."""
    if end is not None and _may_deny_after(body, end) and _DENIED_AFTER.match(body, end, end + _AFTER) is not None:
        return True
    before = body[max(0, start - _BEFORE) : start]
    if not before.rstrip(" \t$(").lower().endswith(_ENDINGS) or _TAG_END.search(before):
        return False  # ("<answer>\\boxed{7}": a tag, not a comparison)
    return _DENIED_BEFORE.search(before) is not None


_TAG_END = re.compile(r"</?[A-Za-z][^<>\n]{0,40}>[ \t$(]*\Z")
# Characters that cannot start _DENIED_AFTER once spaces and `$` are skipped (it starts with
# `?`, `+`, `-`, `(`, `,`, a dash, a word or a CJK mark): the usual `.</answer>` after a box
# is settled by one look.
_NOT_DENYING = frozenset(".<\n\r}])!;:*\\/|&=\"'0123456789")


def _may_deny_after(body: str, end: int) -> bool:
    rest = body[end : end + 8].lstrip(" \t$")
    if not rest:
        rest = body[end : end + _AFTER].lstrip(" \t$")
    return bool(rest) and rest[0] not in _NOT_DENYING


def inert_tail(body: str, end: int) -> bool:
    """Whether nothing but closing marks and `</answer>` follows `end` (`}.</answer>`, `$.`):
    then no alternative, retraction or taking back can follow the answer."""
    tail = body[end:]
    if len(tail) > 40:
        return False
    if "<" in tail:
        tail = tail.replace("</answer>", "")
    return not tail.strip(_INERT)


_INERT = " \t\r\n.$})]!"


def alternative_after(body: str, end: int) -> Span | None:
    """The alternative offered in the rest of the sentence of the answer ending at `end`,
    as a span (so that `graders.extract.final` joins it to the answer: a hedge)."""
    window = body[end : end + _AFTER]
    if len(window) <= 40 and inert_tail(window, 0):
        return None
    stop = _SENTENCE_END.search(window)
    rest = window[: stop.start()] if stop is not None else window
    explains = _EXPLAINS.search(rest)
    if explains is not None:
        rest = rest[: explains.start()]
    offer = _OFFER.search(rest)
    if offer is None or _RESTATES.match(rest, offer.end()):
        return None
    if _BOUND.match(rest, offer.end()):
        return (end + offer.start(), end + len(rest), rest[offer.start() :].strip())
    if not _VALUE_CHAR.search(rest):  # "\boxed{42}, or so it seems": no other value offered
        return None
    value = rest.strip(" \t,;:()")  # the words offering it: never one value, always a second part
    return (end + rest.find(value[:1]), end + len(rest), value) if value else None


def without_denied_boxes(body: str) -> str:
    """`body` with every denied or quoted box blanked (same length, so positions hold); `body`
    itself when there is none."""
    drop = [(bs, be) for bs, be, _ in answer_spans(body) if denied_or_quoted(body, bs, be)]
    if not drop:
        return body  # the same object: nothing was denied
    for bs, be in reversed(drop):
        body = body[:bs] + " " * (be - bs) + body[be:]
    return body


def alternative_before(body: str, start: int, prev_end: int) -> Span | None:
    """Another value offered right before the box starting at `start`, in its sentence and after
    the previous answer (ending at `prev_end`), as a span that `graders.extract.final` joins to it."""
    lo = max(prev_end, start - _BEFORE - 40)
    before = body[lo:start]
    if not before.rstrip(" \t$(,").lower().endswith(_OFFER_ENDINGS):
        return None
    cut = max(before.rfind(c) for c in ".!?\n;:")  # the box's sentence only
    m = _OFFER_BEFORE.search(before, cut + 1)
    if m is None:
        return None
    return (lo + m.start(), lo + len(before.rstrip(" \t$(")), before[m.start() :].strip(" \t$(,"))


_OFFER_ENDINGS = (
    "or",
    "either",
    "maybe",
    "possibly",
    "perhaps",
    "probably",
    "alternatively",
    "ou",
    "oder",
)


def retraction(body: str, end: int) -> Span | None:
    """The value of a final sentence after position `end` that only retracts the answer and
    states another ("Wait, actually it's 43.", "No, B."), as a span, or None."""
    tail_start = max(end, len(body) - _AFTER)
    m = _RETRACTION.search(body, tail_start)
    if m is None:
        return None
    value = clean_value(m.group(1))[0]
    return (m.start(1), m.end(1), value) if value else None


_FLAT_CLOSED = re.compile(r"\\boxed\{[^{}\\]*\}")


_TAKEN_BACK = re.compile(
    r"(?:\A|(?<=[.!?;:。}$)])|\n)[ \t*>]*(?:no|nope|wrong|that['’]?s (?:wrong|incorrect|not right|not it)"
    r"|that is (?:wrong|incorrect|not right)|just kidding|scratch that|never ?mind|not really|нет|неверно|non|nein"
    r"|falsch|不对|不對|错了|錯了|不是)"
    r"(?![A-Za-z])[ \t]*[.!。]*[ \t]*\Z",
    re.IGNORECASE,
)


def taken_back(body: str, end: int) -> bool:
    """Whether the text ends, after the answer ending at `end`, with a sentence that only
    takes it back ("\\boxed{42}. No.", "That's wrong.", "Just kidding.")."""
    return _TAKEN_BACK.search(body, max(end, len(body) - _AFTER)) is not None


def cut_off_box(body: str) -> bool:
    """Whether the text's last `\\boxed` / `\\fbox` never closes: the text was cut off
    mid-answer (`The answer is \\boxed{42`)."""
    cmd = max(body.rfind("\\boxed"), body.rfind("\\fbox"))
    if cmd < 0 or _FLAT_CLOSED.match(body, cmd) or _SIMPLE_BOX.match(body, cmd):
        return False  # (a simple box's match ends at its closing brace, as the scan's does)
    return not any(bs == 0 for _, _, bs, _ in box_spans(body[cmd:]))
