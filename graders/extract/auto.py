"""`auto`: every common way of stating a final answer, in a fixed, documented order.

The default extractor of `math` and `numeric`. First, unless `think: false`,
only the text after the last `</think>` is read (an unclosed `<think>` means no
answer, unless the text ends with a closed `<answer>` tag after it), so drafts
inside the reasoning never count. Then the steps, in this
order; each can be switched off with `steps:` (the order is fixed):

1. `boxed`: every `\\boxed{...}` / `\\fbox{...}` / `\\boxed 7` (see `boxed`);
2. `answer_tag`: the contents of every `<answer>...</answer>`; a statement
   inside a tag ("<answer>The answer is 7</answer>") gives its value;
3. `statement`: final-answer statements in prose: "The answer is X",
   "Final answer: X", Minerva's "Final Answer: The final answer is X. I hope it
   is correct.", "Answer $ 9 $", GSM8K `#### X` anywhere on a line, and the
   markers of other languages (答案, Ответ, Réponse, Antwort, Respuesta, ...;
   see `answer_line`);
4. `bold`: a bold value in the last line (`**7**`, `The total is **42**.`);
5. `final_sentence`: the value stated in the final sentence, when the text ends
   with one ("So the total is (6, 8).", "So now she has 42 apples in total.",
   "Therefore $x = -2$ is the only solution.", "Hence the result is $$x=3$$");
6. `value_line`: the last line, when it holds a value alone: a number (with a
   unit word: `42 apples`) or one math span (`$\\frac{3}{4}$`), as models
   write after their reasoning ("First compute 6*7.\\n42");
7. `bare`: the whole text, if it is one line of at most `max_bare_length`
   characters (default 300) that is not prose (no run of three words once a
   trailing reason such as "because ..." is cut, no question mark): a bare
   answer such as `42`, `$x = 5$`, `42 because 6*7=42` or a long LaTeX value;
8. `choice`: the option letter the last line commits to ("It's not A ...,
   therefore I think it's B", "B。不是 A"; rules in `graders.extract.choice`).
   A lone letter can only ever match a reference that is that letter. (And
   when the final sentence states only words, a text that opens with its
   option letter, "B. flammable\n1. It can burn.\n2. This is a chemical
   change.", commits to that letter.)

Chat-template text comes first: special tokens (`<|...|>`, `<｜...｜>`; and
`</s>`, `<eos>`, `<end_of_turn>`, `[INST]` in a text that ends with one) are
markup, and when turns are marked only the last assistant turn counts, up to
the next turn (a user turn's `\\boxed{0}` is not the model's answer); a
`<|begin_of_thought|> ... <|end_of_thought|>` section is read like `<think>`.

Steps 1-3 are *explicit* answers. When there are boxes, the candidates are the
boxes plus the explicit answers written after the last box (an "Answer: 5"
below a box is a later commitment; one before it is not read); likewise for
tags when there is no box. Steps 4-8 are fallbacks, used only when no explicit
answer was found, and the first that finds a value wins. Answers are grouped
into statements (`graders.extract.final`): several different answers in one
statement are one hedged candidate.

The final sentence and the value it states are defined in
`graders.extract.sentence`: the sentence must be finished (a completion cut
off mid-sentence has no answer), a question, a condition or a plan ("Then we
need to ...") states nothing, and a sentence's value is what follows its verb
("is", "=", "has", ...), its only math span, or its only number (never a
"Step 3").

There is deliberately no "last number anywhere" step: on a long reasoning
without a final statement the last number is whatever came last ("Step 3", a
checked intermediate), and a grader that credits it pays the policy for
stopping anywhere near a right number (prime-environments PR 689; hazards.md,
reward hacking). Ask for `last_number` by name if that is really wanted. The
bare and final-sentence steps do pay a completion that is only "42" or "So it
is 42."; gate on format (a `regex` or `length` grader) if shown work is required.

Cost: the common case (a box near the end) is a few `str.find`/`rfind` calls
and one anchored regex match; the later steps run only when the earlier found
nothing, and each is one bounded scan.
"""

from __future__ import annotations

import re

from ._core import Built, Kind, SpecError, register, unwrap
from .answer_line import _SUBJECT, _TWO_WORDS, clean_value
from .boxed import answer_spans as box_spans
from .choice import committed_letter, has_letter
from .final import statements
from .hedges import (
    alternative_after,
    alternative_before,
    cut_off_box,
    inert_tail,
    retraction,
    taken_back,
    without_denied_boxes,
)
from .json_answer import json_answer
from .more_markers import (
    conclusion,
    disowned,
    finally_value,
    rejected_statement,
    retracted,
    statement_spans,
    without_rejected_boxes,
)
from .sentence import CONCLUDES, INNER_BOUNDARY, PROSE, final_sentence, is_claim, stated_value
from .tags import make_strip_think, make_tag_spans

DEFAULT_MAX_BARE_LENGTH = 300
MAX_CHOICE_LINE = 500
_TEXT_COMMAND = re.compile(r"\\(?:text|textbf|textit|mathrm|mbox)\{[^{}]*\}")
# "B. flammable": a line that opens with an option letter and a mark
_OPENING = re.compile(r"[ \t]*(?:\*\*)?\(?[A-J]\)?(?:\*\*)?[.)](?:[ \t]|\n|\Z)")
_LINE_OPTION = re.compile(r"(?m)^[ \t]*(?:\*\*)?\(?[A-J]\)?(?:\*\*)?[.)](?:[ \t]|$)")
_VALUE_CHAR = re.compile(r"[\d$\\]")
# "[45 degrees]": a single value in square brackets (a prompt's answer box), not a list
_ONE_BRACKETED = re.compile(r"\[[^\[\],;]+\]")
STEPS = ("boxed", "answer_tag", "statement", "bold", "final_sentence", "value_line", "bare", "choice")

_strip_think = make_strip_think("think")
_answer_tags = make_tag_spans("answer")

Span = tuple[int, int, str]
_TAIL_NOISE = " \t\r\n.,;:!$}])\\*_"

# ------------------------------------------------------------ chat-template tokens
# `<|im_start|>`, `<|Assistant|>`, DeepSeek's fullwidth `<｜Assistant｜>`: markup, not content.
# Llama 2 / Mistral `[INST] ... [/INST]`, Gemma `<start_of_turn>model`, `</s>` / `<eos>`: the same.
_SPECIAL = re.compile(r"<[|｜][^<>|｜\n]{1,40}[|｜]>|</?s>|<eos>|<bos>|<pad>|<(?:start|end)_of_turn>|\[/?INST\]|<eo[ae]>")
_ASSISTANT = re.compile(
    r"<[|｜]assistant[|｜]>|<\|im_start\|>[ \t]*assistant(?![A-Za-z])"
    r"|<\|start_header_id\|>[ \t]*assistant[ \t]*<\|end_header_id\|>"
    r"|<start_of_turn>[ \t]*model(?![A-Za-z])|\[/INST\]",
    re.IGNORECASE,
)
# Without `<|`, a text is read as chat markup when it ENDS with an end-of-sequence token: a
# scan of the whole text per marker would cost more than the rest of the common case.
# GAOKAO-Bench's `<eoe>` / `<eoa>` (end of explanation / of answer) close its `【解析】` and `【答案】` parts.
_EOS_END = ("</s>", "<eos>", "<end_of_turn>", "[/INST]", "<eoa>")


def _has_markup(text: str) -> bool:
    """Whether `text` may hold chat-template tokens (cheap: `str.isascii` is O(1))."""
    # "|" first: a one-character search is a memchr, "<|" a slower two-character scan
    if ("|" in text and "<|" in text) or (not text.isascii() and "<｜" in text):
        return True
    return text[-24:].rstrip().endswith(_EOS_END)


_TURN = re.compile(
    r"<[|｜](?:im_start|user|system|start_header_id)[|｜]>|<start_of_turn>|\[INST\]", re.IGNORECASE
)


def _chat_reply(text: str) -> str:
    """The text of the last assistant turn (when turns are marked), up to the next turn
    (a completion that runs on into "<|im_start|>user"), special tokens removed: a user
    turn's `\\boxed{0}` is not the model's answer."""
    start = 0
    for m in _ASSISTANT.finditer(text):
        start = m.end()
    reply = text[start:]
    for m in _TURN.finditer(reply):
        if reply[: m.start()].strip():
            reply = reply[: m.start()]
            break
    # Sky-T1 / OpenThoughts: <|begin_of_thought|> drafts <|end_of_thought|> <|begin_of_solution|> ...
    # read like <think>: only the text after the thought counts; an unclosed thought has no answer
    end = reply.rfind("<|end_of_thought|>")
    if end >= 0:
        reply = reply[end:]
    elif "<|begin_of_thought|>" in reply:
        return ""
    return _SPECIAL.sub(" ", reply)


# --------------------------------------------------------------------------- bold
# A bold delimiter stands outside its operands: `x**2 + y**2` and `sin(x)**2` are powers (Python,
# sympy), `v__x__` a name; the opening `**` is not glued to an operand before it, the closing
# one not to an operand after it.
_BOLD_SPAN = re.compile(r"(?<![\w)\]])(?:\*\*([^*\n]{1,80})\*\*|__([^_\n]{1,80})__)(?![\w(])")
_LABEL_END = re.compile(r"[:：]\s*\Z")
_WRAPPED = re.compile(r"\$\$[^$]+\$\$|\$[^$]+\$|\\\[.+\\\]|\\\(.+\\\)", re.DOTALL)
_LONE_VALUE = re.compile(
    r"[-+\u2212]?(?:\\?\$)?\d[\d,]*(?:\.\d+)?(?:/\d+)?%?(?:[ \t]+[A-Za-z]+)?\.?"
    r"|\$\$[^$]+\$\$|\$[^$]+\$|\\\[.+?\\\]|\\\(.+?\\\)"
    # a LaTeX fraction or root written without delimiters ("After simplifying we get\n\\frac{1}{2}")
    r"|[-+\u2212]?\\(?:d|t)?frac\{[^{}\n]{1,40}\}\{[^{}\n]{1,40}\}\.?|[-+\u2212]?\d*\\sqrt\{[^{}\n]{1,40}\}\.?"
)

# ---------------------------------------------------------------------- the steps


def _explicit(body: str, steps: frozenset[str]) -> list[Span]:
    spans = box_spans(body) if "boxed" in steps else []
    if spans:  # an alternative offered before or after the last box makes it a hedge
        later = _after(body, spans[-1][1], steps, tags=True)
        offered = alternative_after(body, spans[-1][1]) if not later else None
        before = alternative_before(body, spans[-1][0], spans[-2][1] if len(spans) > 1 else 0)
        if before is not None:
            spans = [*spans[:-1], before, spans[-1]]
        return spans + ([offered] if offered else []) + later
    if "answer_tag" in steps:
        tags = _answer_tags(body)
        if tags:
            out: list[Span] = []
            for a, b, content in tags:
                inner = statement_spans(content) if "statement" in steps else []
                if inner:
                    out.extend((a + x, a + y, v) for x, y, v in inner)
                elif len(content) > 40 and (stated := final_sentence(content)):
                    out.append((a, b, stated))  # "<answer> 40 hours x $10 + ... = $460. </answer>": its last sentence
                else:
                    out.append((a, b, unwrap(content)))
            return out + _after(body, tags[-1][1], steps, tags=False)
    if "statement" in steps:
        return statement_spans(body)
    return []


def _after(body: str, end: int, steps: frozenset[str], *, tags: bool) -> list[Span]:
    """Explicit answers written after position `end` (a later commitment)."""
    tail = body[end:]
    # the usual tail is "$.", "}.</answer>", ". I hope it is correct.": nothing to read
    if len(tail.replace("</answer>", "").strip(_TAIL_NOISE)) < 4 or len(tail) < 4:
        return []
    found: list[Span] = []
    if tags and "answer_tag" in steps and "<" in tail:
        found = [(end + a, end + b, v) for a, b, v in _answer_tags(tail)]
    if "statement" in steps and not found:
        found = [(end + a, end + b, v) for a, b, v in statement_spans(tail)]
    return found


def _bold(body: str) -> str | None:
    last = body.rstrip()
    line = last[last.rfind("\n") + 1 :]
    if "**" not in line and "__" not in line:
        return None
    values = []
    for m in _BOLD_SPAN.finditer(line):
        value = (m.group(1) or m.group(2)).strip()
        if line[m.end() : m.end() + 1] in (":", "："):  # "**Step 2**: ..." is a label
            continue
        if value and not _LABEL_END.search(value):
            values.append((m.start(), m.end(), clean_value(value)[0]))
    values = [v for v in values if v[2]]
    if not values:
        return None
    return statements(line, values)[-1]


def _opening_letter(body: str) -> str | None:
    """The option letter a text opens with ("B. flammable", "(C). 42") when it is the only line
    that opens with one (not a list of options) and the opening commits to it."""
    m = _OPENING.match(body)
    if m is None or len(_LINE_OPTION.findall(body, 0, 20_000)) != 1:
        return None
    line = body[: body.find("\n")] if "\n" in body else body
    return committed_letter(line) if len(line) <= MAX_CHOICE_LINE else None


def _value_line(body: str) -> str | None:
    """The last line, when it is a value alone: a number (and a unit word) or one math span."""
    line = body[body.rstrip().rfind("\n") + 1 :].strip()
    if len(line) > 200 or not line:
        return None
    if line[0] == "=":  # "x + 5 = 20\n= 15": the last value of the derivation's chain
        line = line[1:].strip()
    if _LONE_VALUE.fullmatch(line) is None:
        return None
    return unwrap(line.rstrip(".")) or None


def _bare(body: str) -> str | None:
    if body.endswith("?") or INNER_BOUNDARY.search(body) is not None:  # a question; several sentences
        return None
    if _WRAPPED.fullmatch(body):  # one math span is a value, whatever it says
        return unwrap(body) or None
    value = clean_value(body)[0]  # trailing reasons and a final period go
    if len(value) > 2 and value[0] == value[-1] and value[0] in "'\"`":
        value = value[1:-1].strip()  # "'4/7'": a quoted value
    if not value:
        return None
    words = _TEXT_COMMAND.sub(" ", value) if "\\" in value else value  # `1 \text{ and all primes}` is math
    if (PROSE.search(words) is not None or (_SUBJECT.match(value) and _TWO_WORDS.search(value))
            or CONCLUDES.search(value) is not None):  # "First 64, therefore 36"
        # a sentence ("She earns 18 dollars"): the value it states; words: as they are
        if not is_claim(value):
            return None
        return stated_value(value) or value
    return value


# The commonest answer region after `</think>`, whole: one simple box, at most a plain
# lead-in before it and closing marks after it (`<answer>The final answer is \boxed{7}.</answer>`).
# Nothing around such a box can deny, hedge, retract or take it back, so every rule of the
# general path leaves it as it is: the fast path reads it directly (same result, tested against
# the general path by hypothesis).
_PLAIN_BODY = re.compile(
    r"[ \t\n]*(?:<answer>[ \t\n]*)?"
    r"(?:(?:(?:so|thus|therefore|hence),?[ \t]+)?(?:the[ \t]+)?(?:final[ \t]+)?answer[ \t]+is:?[ \t]*"
    r"|final[ \t]+answer:[ \t]*)?"
    r"(?:\$\$?|\\\[|\\\()?[ \t\n]*"
    r"\\boxed\{(?:[^{}\\$\n]|\\[A-Za-z]+(?![A-Za-z])|\{[^{}\\$\n]*\})+\}"
    r"[ \t\n]*(?:\$\$?|\\\]|\\\))?[ \t]*\.?[ \t\n]*(?:</answer>)?[ \t\n]*",
    re.IGNORECASE,
)
MAX_PLAIN_BODY = 200
_FAST = True  # tests switch the fast path off to compare it with the general path

_ANSWER_OPEN = re.compile(r"<answer(?:\s[^<>]*)?>", re.IGNORECASE)
_THINK_OPEN = re.compile(r"<think(?:\s[^<>]*)?>", re.IGNORECASE)


def _answer_ending_open_thought(text: str) -> str | None:
    """The closing answer tag of `<think> ... <answer>5</answer>`, a thought never closed: a
    text that ENDS with a closed answer tag has committed to it (the model forgot `</think>`).
    A truncated thought, or one that goes on after the tag, still has no answer."""
    end = len(text.rstrip())
    if end < 9 or text[end - 9 : end].lower() != "</answer>":
        return None
    base = max(0, end - 20_000)
    start = -1
    for m in _ANSWER_OPEN.finditer(text, base, end):
        start = m.start()
    if start < 0 or _THINK_OPEN.search(text, start, end):
        return None
    return text[start:end]


def make_auto(steps: frozenset[str], max_bare: int, think: bool):
    fast = steps == frozenset(STEPS)  # the fast path is checked against the default steps only
    def auto(text: str) -> tuple[str, ...]:
        found = _find(text)
        if found and disowned(text):
            return ()  # "最少取出 21 个，这个答案不对。", "42. That's incorrect.": taken back
        if found and len(found[-1]) > 12 and (last := finally_value(found[-1])) is not None:
            found = found[:-1] + (last,)  # "First we get 5, then 10, finally 15."
        if found and found[-1][:1] == "[" and _ONE_BRACKETED.fullmatch(found[-1]):
            return found[:-1] + (found[-1][1:-1].strip(),)
        return found

    def _find(text: str) -> tuple[str, ...]:
        if _has_markup(text):
            text = _chat_reply(text)
        if think:
            region = _strip_think(text)
            if region:
                body = region[0]
            else:
                body = _answer_ending_open_thought(text) if "answer_tag" in steps else None
                if body is None:
                    return ()
        else:
            body = text.strip()
            if not body:
                return ()
        if (fast and len(body) <= MAX_PLAIN_BODY and _FAST and _PLAIN_BODY.fullmatch(body) is not None
                and body.count("\\boxed") == 1 and "\\fbox" not in body):
            spans = box_spans(body)
            if len(spans) == 1:
                return statements(body, spans)
        denied = False
        if "boxed" in steps and "box" in body:
            if cut_off_box(body):
                return ()  # "The answer is \\boxed{42": cut off mid-answer
            kept = without_denied_boxes(body)  # "The answer is not \\boxed{42}", "e.g. \\boxed{5}"
            denied, body = kept is not body, kept
            body = without_rejected_boxes(body)  # "Wrong answer: \\boxed{7}", "假设答案是 \\boxed{21}"
            if retracted(body):
                return ()  # "\\boxed{42} that was wrong, actually \\boxed{}": taken back
        if "statement" in steps:  # the answer field of a JSON object that ends the text
            stated = json_answer(body)
            if stated is not None:
                return (stated,) if stated else ()
        spans = _explicit(body, steps)
        if spans:
            if inert_tail(body, spans[-1][1]):  # "}.</answer>": nothing can follow the answer
                return statements(body, spans)
            if taken_back(body, spans[-1][1]):
                return ()  # "\\boxed{42}. No.": the answer taken back, none given
            fix = retraction(body, spans[-1][1])  # "... 42. Wait, actually it's 43."
            return statements(body, spans + [fix] if fix else spans)
        if "bold" in steps:
            value = _bold(body)
            if value:
                return (value,)
        if "final_sentence" in steps:
            value = final_sentence(body)
            if value:
                value = finally_value(body) or value  # "So we get 5, then 10, finally 15 apples."
                if "choice" in steps and not _VALUE_CHAR.search(value):
                    letter = _opening_letter(body)  # "B. flammable\n1. It can burn.\n2. ... change."
                    if letter:
                        return (letter,)
                return (value,)
        if "value_line" in steps and "\n" in body:
            value = _value_line(body)
            if value:
                return (value,)
        if "bare" in steps and len(body) <= max_bare and "\n" not in body and "\r" not in body and not denied:
            value = None if rejected_statement(body) else _bare(conclusion(body))  # not "Wrong answer: 42"
            if value:
                return (value,)
        if "choice" in steps:
            line = body[body.rstrip().rfind("\n") + 1 :].strip()
            if _LINE_OPTION.match(line) and len(_LINE_OPTION.findall(body, 0, 20_000)) > 1:
                return ()  # "A. 12\nB. 15\nC. 18": the last line is one option of a list
            if len(line) <= MAX_CHOICE_LINE and has_letter(line):
                letter = committed_letter(line)
                if letter:
                    return (letter,)
        return ()

    return auto


def _build(options) -> Built:
    max_bare = options.get("max_bare_length", DEFAULT_MAX_BARE_LENGTH)
    if isinstance(max_bare, bool) or not isinstance(max_bare, int) or not 0 <= max_bare <= 10_000:
        raise SpecError(
            f"max_bare_length must be an integer in [0, 10000], got {max_bare!r}",
            ".max_bare_length",
        )
    steps = options.get("steps", list(STEPS))
    if not isinstance(steps, list | tuple) or not steps:
        raise SpecError(f"steps must be a non-empty list of: {', '.join(STEPS)}", ".steps")
    for i, step in enumerate(steps):
        if step not in STEPS:
            raise SpecError(f"unknown step {step!r}; steps are: {', '.join(STEPS)}", f".steps[{i}]")
    if len(set(steps)) != len(steps):
        raise SpecError("steps lists a step twice", ".steps")
    think = options.get("think", True)
    if not isinstance(think, bool):
        raise SpecError(f"think must be true or false, got {think!r}", ".think")
    chosen = tuple(s for s in STEPS if s in steps)  # the order is fixed
    described = ", ".join(s if s != "bare" else f"bare <= {max_bare} chars" for s in chosen)
    return Built(
        make_auto(frozenset(chosen), max_bare, think),
        (("max_bare_length", max_bare), ("steps", chosen), ("think", think)),
        f"auto ({'after </think>: ' if think else ''}{described})",
    )


register(
    Kind(
        name="auto",
        build=_build,
        summary="every common final-answer form: boxed, <answer>, answer statements (#### and other "
        "languages too), bold, the final sentence, a short bare answer",
        options=("max_bare_length", "steps", "think"),
        option_schema={
            "max_bare_length": {"type": "integer", "minimum": 0, "maximum": 10000},
            "steps": {
                "type": "array",
                "items": {"enum": list(STEPS)},
                "minItems": 1,
                "uniqueItems": True,
                "description": "the steps to use (their order is fixed); default: all",
            },
            "think": {"type": "boolean", "description": "read only the text after the last </think>"},
        },
    )
)
