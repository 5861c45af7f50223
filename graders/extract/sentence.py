"""The value a sentence states, and the final sentence of a text.

Used by `auto` (its `final_sentence` step) and by `answer_line` (a statement
whose value is itself a sentence: "Final Answer: Jane started 3 hours ago").

`final_sentence(text)`: the text after the last sentence end (`.`, `!`, `?`
before whitespace, `。！？`, a line break, closed math before a capitalised
word: "$y = 6$ So, ...") before the end of the text; a `!` glued to a number
is a factorial ("7! ways"), a sentence end only before a capital. It must
be finished: the text ends with `.`, `!` or `。`, or with closed math (`$..$`,
`$$..$$`, `\\[..\\]`) after a verb, so a completion cut off mid-sentence has no
answer. A trailing "I hope it is correct." / "Hope this helps!" / chat-template
token (`<|im_start|>user`, `</s>`, `<eos>`) is skipped. A sentence that is a question, opens with
a condition (if, suppose, assume, whether, when, unless) or announces more work
(need to, next, let's, we will, should, must, try, check, verify) states nothing.

`sentence_value(sentence)`: nothing when the sentence calls its value wrong ("x = 10
is not a solution", "that is impossible"), puts it under a condition ("12 if
we ignored the discount") or offers values with "or" ("x is 12 or x is 13").
When the sentence holds a correction (wait,
actually, sorry, "second try", recompute, ..., or a denied value and its
replacement: "not 10 but 12", "isn't 10, it's 12"), only what follows the last
one ("First try [30], second try [45]" gives 45); an explanation after the
value is cut first (", which ...", "because ...", ", not 12", unless a
conclusion follows it: "..., because ..., therefore B"). Then, in order:

0. several values joined by or/and (`x = 5 or x = -3`, `3 or maybe 4`) or
   several assignments (`x = 4, y = 2`): the whole list, kept as written (a
   hedge stays a hedge);
1. after a verb of statement (is, are, was, equals, =, gives, get, has, have,
   makes, becomes, comes to, totals, remains, `:`, "it's"; the same verbs of
   French, Spanish, German, Italian, Portuguese; the last one first; fillers
   such as "the", "only", "still", "encore", "noch" skipped): a math
   span (with the spans joined to it by `,`/and/or: several values), a number
   and the word after it ("42 apples"), or a bracketed group ("(6, 8)");
2. the sentence's only math span ("Therefore $x = -2$ is the only solution.");
   several math spans only when the sentence is nothing else (after a lead-in
   such as "Then", joined by `,`/and/or): all of them, a list ("Then $x=2$,
   and $y=3$.");
3. after the last verb: at most three words (not a negation, not a lone
   capital, which is an option letter for `choice`);
4. the sentence's only number (a Unicode minus is a sign, `7!` a factorial;
   in words, "seventy-two", when there are no digits and it is not the
   pronoun "each one"), unless it names a part of the work ("Step 3", "case
   2"), a negation, a guess or a bound stands before it in its clause ("the
   total is not 10", "el resultado no es 15", "probably", "more than") or
   a list goes on after it ("1 and all odd primes"); a number glued to a CJK
   counter ("300分钟") is the number. A math span of step 2 must not be denied
   either.

Every scan is bounded: only the text's last `TAIL` characters are read.
"""

from __future__ import annotations

import re

TAIL = 1000

_PLEASANTRY = re.compile(
    r"(?:i hope (?:it|this|that) (?:is|was) (?:correct|right|helpful)|(?:i )?hope (?:this|that|it) helps"
    r"|let me know if[^.!?\n]*)[ \t]*[.!]*[ \t]*\Z",
    re.IGNORECASE,
)
_SPECIAL_TOKENS = re.compile(
    r"(?:\s*(?:<\|[A-Za-z_]{1,30}\|>|</?s>|<eos>|<(?:start|end)_of_turn>|\[/?INST\])[ \t]*[A-Za-z]{0,20})+\s*\Z"
)
# "7! ways": a "!" glued to a number is a factorial, a sentence end only before a capital ("42! Then")
_END = r"(?:[.?]|(?<![\d)}\\])!|(?<!\\)!(?=\s+[A-Z]))"  # `\!` is a LaTeX thin space, no end
# "... $y = 6$ So, the pair is $(7, 6)$.": math closed before a capitalised word ends a sentence too
_BOUNDARY = re.compile(rf"{_END}(?:\$\$|\\\])?(?=\s)|[。！？।]|\n|\$(?=[ \t]+[A-Z][a-z])")
INNER_BOUNDARY = re.compile(rf"{_END}(?=\s+\S)|[。！？।](?=\s*\S)")
_CONDITION = re.compile(
    r"[\s*_>#-]*(?:if|suppose|supposing|assume|assuming|whether|when|unless|without|ignoring)\b", re.IGNORECASE
)
# A sentence about what comes next states no result ("Then we need to multiply ...").
_PLAN = re.compile(
    r"(?<![A-Za-z])(?:need to|needs to|have to|has to|next|let's|let us|we will|we'll|i will|i'll|"
    r"going to|should|must|try|check|verify)(?![A-Za-z])",
    re.IGNORECASE,
)
_MATH = re.compile(
    # a display environment is kept whole ("\\begin{align*} ... &= x^3+3x-6 \\end{align*}": the comparer reads it)
    r"(\\begin\{(?:align|equation|gather|eqnarray|multline)\*?\}.{1,2000}?\\end\{(?:align|equation|gather|eqnarray|multline)\*?\})"
    r"|\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)|\$([^$]+?)\$",
    re.DOTALL,
)
_ENV_END = re.compile(r"\\end\{(?:align|equation|gather|eqnarray|multline)\*?\}\Z")
_VERB = re.compile(
    r"(?<![A-Za-z])(?:is|are|was|were|equals?|equal to|gives?|gave|get|gets|got|obtain|obtained"
    r"|has|have|had|makes?|made|becomes?|comes? to|totals|totaling|totalling|remains?)(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:it|that|this|there|here|what|which)['’]s(?![A-Za-z])"  # "it's 42"
    r"|=|:|：|(?<!不)是|为|為|等于|等於",
    re.IGNORECASE,
)
# The same verbs in the other languages models answer in (words that are not English words),
# found by word (a set lookup per word: one alternation of them all is slow to scan).
_FOREIGN_VERBS = frozenset(
    "est sont était sera aura auront ont obtient obtenons égale reste restent vaut coûte"
    " son será tiene tienen tendrá tendremos queda quedan obtenemos cuesta ist sind war wird hat haben"
    " hatte bleibt bleiben ergibt beträgt kostet sono avrà rimane rimangono costa são tem têm terá fica"
    " ficam resta custa é è"
    # Indonesian / Malay ("Jadi, 7 ditambah 9 sama dengan 16."), Russian, Turkish, Vietnamese
    " adalah ialah yaitu dengan равно равен равна составляет будет получаем eşittir bằng là".split()
)
_TOKEN = re.compile(r"[^\W\d_]+")


def _verbs(sentence: str) -> list[re.Match[str]]:
    """The verbs of statement in `sentence`, in order (see `_VERB`, `_FOREIGN_VERBS`)."""
    found = list(_VERB.finditer(sentence))
    foreign = [w for w in _TOKEN.finditer(sentence) if w.group().lower() in _FOREIGN_VERBS]
    if foreign:
        found = sorted(found + foreign, key=lambda m: m.start())
    return found
# What joins several values of one statement ("$x=2$ and $x=-3$", "3 or maybe 4").
_JOIN = re.compile(
    r"[ \t]*(?:,[ \t]*)?(?:(?:and|or|either|maybe|possibly|perhaps|probably)[ \t]+)*(?:,[ \t]*)?",
    re.IGNORECASE,
)
_SEVERAL = re.compile(r"(?<![A-Za-z])(?:or|and|either)(?![A-Za-z])", re.IGNORECASE)
_VAL = r"(?:[A-Za-z](?:_\w+|\(\w+\))?[ \t]*=[ \t]*)?[-+\u2212]?\d[\d,.]*"
_LIST = re.compile(
    rf"{_VAL}[ \t]*(?:,[ \t]*)?(?:(?:either|or|and|maybe|possibly|perhaps|probably)[ \t]+)+{_VAL}",
    re.IGNORECASE,
)
_ASSIGN = r"[A-Za-z](?:_\w+)?[ \t]*=[ \t]*[-+\u2212]?\d+(?:\.\d+)?(?:/\d+)?(?![\d.,]\d)"
_ASSIGNMENTS = re.compile(r"(?<![\w=])" + _ASSIGN + rf"(?:[ \t]*(?:,|;|,?[ \t]+and)[ \t]*{_ASSIGN})+(?![\w=])")
_LHS = re.compile(r"(?<![\w\\])[A-Za-z](?:_\w+|_\{\w+\}|\(\w+\))?[ \t]*\Z")
_ARTICLE = re.compile(
    r"(?:(?:a|an|the|about|exactly|only|just|still|also|now|then|in total|altogether"
    r"|encore|seulement|exactement|donc|alors|maintenant|au total|de|un|une|le|la|les"
    r"|noch|nur|genau|also|dann|insgesamt|ein|eine|einen|der|die|das"
    r"|todavía|aún|solo|sólo|exactamente|entonces|ahora|en total|el|los|las|uno|una"
    r"|ainda|apenas|exatamente|então|agora|um|uma|ancora|esattamente|quindi|dunque|ora)\s+)+",
    re.IGNORECASE,
)
_DIGITS = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.])|\d(?:,?\d)*(?:\.\d+)?|\.\d+"  # "5, actually": no comma; ".5"
_NUMBER_AND_WORD = re.compile(
    rf"[-+\u2212]?(?:\\?\$)?(?:{_DIGITS})(?:/\d+)?(?:%|!(?![A-Za-z0-9]))?"
    r"(?:\s+(?!(?:in|on|at|of|for|to|and|or|but|so|per|each|is|are|was|when|if|after|before|with|from|by|as"
    r"|than|since|because|which|that|rounded|approximately)\b)[^\W\d_](?:[^\W\d_]|-)*)?"
)
# (a sign before a currency sign keeps the number's sign: "a net change of -$40")
_NUMBER = re.compile(rf"(?<![A-Za-z0-9_.\u2212-])(?:[-+\u2212]\$?)?(?:{_DIGITS})(?:/\d+)?(?:%|!(?![A-Za-z0-9]))?")
# A number written in words ("seventy-two", "two hundred"): read when a sentence has no digits.
_UNIT_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    "|hundred|thousand|million|billion"
)
_NUMBER_WORDS = re.compile(
    rf"(?<![A-Za-z-])(?:minus\s+|negative\s+)?(?:{_UNIT_WORDS})(?:(?:-|\s+(?:and\s+)?)(?:{_UNIT_WORDS}))*(?![A-Za-z-])",
    re.IGNORECASE,
)
# "each one", "no one", "one of them": the pronoun, not the number
_PRONOUN_ONE = re.compile(
    r"(?:(?<![A-Za-z])(?:each|every|any|no|this|that|the|which|some|another|someone|anyone)\s+one(?![A-Za-z-])"
    r"|(?<![A-Za-z-])one\s+(?:of|another|by)(?![A-Za-z]))",
    re.IGNORECASE,
)
# A value that the sentence denies ("the total is not 10", "it isn't $5$") or only guesses at is
# never the value of its only number or math span.
_NEGATION = re.compile(
    r"(?<![A-Za-z])(?:not|never|no longer|cannot|isn['’]t|aren['’]t|wasn['’]t|doesn['’]t|don['’]t|can['’]t"
    r"|won['’]t|nicht|kein|keine|pas|jamais|nunca|non"
    # nor is a value offered as a guess or a bound ("probably around five", "over 20"); a rounded
    # value ("about 7") is read, as after a verb
    r"|probably|maybe|perhaps|possibly|at least|at most|more than|less than|up to|fewer than|greater than|nearly|almost|guess|guessing|(?:might|could)[ \t]+(?:well[ \t]+)?be[ \t]+(?=\Z)"
    r")(?![A-Za-z-])|不是|并非|並非"  # "non-negative" is no negation
    r"|(?<![^\W\d_])(?:no|não|nem|ni|nie|не|нет|ne|non è|n'est|n'a"  # "el resultado no es 15"
    r"|probablement|peut-être|vielleicht|wahrscheinlich|quizás|quizá|tal vez|probablemente|talvez"
    r"|provavelmente|forse|probabilmente|наверное|возможно)(?![^\W\d_-])|可能|也许|大概"
    r"|大约|大約|约|約|差不多|将近|將近|接近|近似|大致|至少|至多|超过|超過|不到|약|およそ|ほぼ",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;:，；：]|(?<![A-Za-z])(?:but|so|thus|hence|therefore)(?![A-Za-z])", re.IGNORECASE)
# What follows a value and only explains it ("10, which is 2 more than 8", "5 because ...")
_LETTER_ONLY = re.compile(r"[A-J]")
# A value the sentence calls wrong, a value under a condition that follows it, and values offered
# with "or": none of them is stated.
_DENIAL = re.compile(
    r"(?<![A-Za-z])(?:is|are|was|would be)[ \t]+(?:not|never)[ \t]+(?:a[ \t]+|an[ \t]+|the[ \t]+)?"
    r"(?:solution|answer|correct|right|valid|possible|true|the case|it)(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:isn['’]t|aren['’]t|wasn['’]t)[ \t]+(?:a[ \t]+|an[ \t]+|the[ \t]+)?"
    r"(?:solution|answer|correct|right|valid|possible|true|it)(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:is|are|was|seems)[ \t]+(?:wrong|incorrect|impossible|invalid|false|too (?:small|big|large))(?![A-Za-z])",
    re.IGNORECASE,
)
_IF_AFTER = re.compile(r"\d[^.;:]{0,80}?[ \t](?:if|unless|assuming|provided|supposing)[ \t]", re.IGNORECASE)
_OR_BETWEEN = re.compile(
    r"\d[^\d.;]{0,60}?(?<![A-Za-z])(?:or|either|oder|ou)(?![A-Za-z])[^\d.;]{0,60}?\d", re.IGNORECASE
)
_OPTION_LETTER = re.compile(r"(?<![A-Za-z0-9\\_'’])\(?[A-J]\)?(?![A-Za-z0-9_'’])")
_PREDICATE = re.compile(
    r"(?:the\s+)?(?:(?:correct|right|best|only|true|final)\s+)?(?:answer|option|choice|one)"
    r"|correct|right|wrong|incorrect|valid|invalid|close|possible|impossible|best|true",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"[ \t]*(?:(?:so|thus|hence|therefore|then|finally|and|we get|we have|we find|this gives)[ \t]*,?[ \t]*)*",
    re.IGNORECASE,
)
_LISTED = re.compile(r"[ \t]*,?[ \t]*(?:and|or|plus)(?![A-Za-z])", re.IGNORECASE)
_CONCLUSION = re.compile(r"(?<![A-Za-z])(?:so|thus|hence|therefore)(?![A-Za-z])", re.IGNORECASE)
_RELATIVE = re.compile(
    r"(?:,[ \t]*|[ \t]+)(?:which|because|since|given that|due to)(?![A-Za-z])"
    r"|,[ \t]*(?:not|rather than|instead of)(?![A-Za-z])",  # "15, not 12": the alternative it denies
    re.IGNORECASE,
)
# A correction inside the final sentence: only what follows it counts ("First try [30], second try [45].")
_SENTENCE_CORRECTION = re.compile(
    r"(?<![A-Za-z])(?:wait|actually|oops|sorry|correction|on second thought|i mean|no,"
    r"|(?:second|third|fourth|next|another|new|last|revised|corrected|updated)\s+(?:try|attempt|guess)"
    r"|try again|retry|re-?comput\w*|re-?calculat\w*|re-?count\w*"
    # a denied value and the one that replaces it: "not 10 but 12", "isn't 10, it's 12"
    # (the denied item is a value: "not sure it is 12" is no correction)
    r"|(?:not|n['’]t)[ \t]+(?:[-+\u2212]?\$?\d[^\s,;]{0,40}|\(?[A-J]\)?)[ \t]*,?[ \t]*"
    r"(?:but(?:[ \t]+rather)?|rather|instead|it['’]s|it[ \t]+is))(?![A-Za-z])",
    re.IGNORECASE,
)
_CJK_AFTER = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
# "42左右", "42多", "42以上": a bound or an approximation glued after the number, not the number
CJK_BOUND_AFTER = re.compile(r"[ \t]*(?:左右|上下|多|余|餘|以上|以下|以内|以內|开外|出头|前後|前后|くらい|ぐらい|程度|정도|이상|이하)")
# "Step 3", "case 2": a number that names a part of the work, not a result.
_COUNTER = re.compile(
    r"(?:step|case|part|problem|question|equation|line|page|item|stage)\s*\Z", re.IGNORECASE
)
# Words of a language written with spaces (a CJK run is a sentence, not a word: "Haley总共有99颗弹珠").
_WORD = r"[A-Za-z](?:[^\W\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]|['-])*"
_WORDS = re.compile(rf"{_WORD}(?:\s+{_WORD}){{0,2}}")
PROSE = re.compile(
    r"(?<![A-Za-z])[A-Za-z]{2,}(?:['’][a-z]{1,2})?\s+[A-Za-z]{2,}(?:['’][a-z]{1,2})?\s+[A-Za-z]{2,}"  # "it's" is a word
    r"|[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af\u0900-\u097f]{2}"
)


def final_sentence(body: str) -> str | None:
    """The value stated in the final sentence of `body`, or None (see the module doc)."""
    text = body[max(0, len(body) - TAIL) :].rstrip()
    for trailer in (_SPECIAL_TOKENS, _PLEASANTRY, _SPECIAL_TOKENS):
        m = trailer.search(text)
        if m is not None:
            text = text[: m.start()].rstrip()
    if not text:
        return None
    closed_math = text.endswith(("$", "\\]", "\\)")) or (text.endswith("}") and _ENV_END.search(text, len(text) - 24))
    stripped = text.rstrip("*_)\"'”’ \t")
    factorial = stripped.endswith("!") and stripped[-2:-1] in tuple("0123456789)}")  # "7!": kept
    if closed_math or factorial:
        pass
    elif stripped.endswith((".", "!", "。", "！", "।")):
        text = stripped[:-1].rstrip()
    else:
        return None  # unfinished (cut off mid-sentence) or a question
    cut = 0
    for m in _BOUNDARY.finditer(text):
        if m.end() < len(text):
            cut = m.end()
    sentence = text[cut:].strip()
    if cut and text.count("$", 0, cut) % 2 == 1:  # the boundary was inside a math span
        dollar = text.rfind("$", 0, cut)
        sentence = text[text.rfind("\n", 0, dollar) + 1 :].strip()
    elif cut:
        for opener, closer in (("\\begin{", "\\end{"), ("\\[", "\\]")):  # ... or a display block
            at = text.rfind(opener, 0, cut)
            if at >= 0 and text.find(closer, at, cut) < 0:
                start = 0  # the sentence the block belongs to ("... is:\n\\begin{align*}")
                for m in _BOUNDARY.finditer(text, 0, at):
                    if text[m.end() : at].strip():
                        start = m.end()
                sentence = text[start:].strip()
                break
    if closed_math and not _verbs(_MATH.sub(" ", sentence)):
        return None  # "odd $n$": math at the end of a phrase, not a statement
    return stated_value(sentence)


# A sentence that calls its own value provisional commits to nothing ("Work in progress: 10",
# "The total so far is 12"); the words that do it before an answer marker ("Draft answer: 7")
# are PROVISIONAL_WORDS (answer_line reads them).
PROVISIONAL_WORDS = frozenset(
    "draft tentative preliminary provisional partial intermediate temporary rough wip"
    " guess guessing maybe perhaps possibly probably".split()  # "I guess the answer is 42": a guess
)
_PROVISIONAL = re.compile(
    r"(?<![A-Za-z])(?:work in progress|in progress|wip|so far|draft|tentative(?:ly)?|preliminary"
    r"|provisional(?:ly)?|for now|scratch|(?:rough|initial|first) (?:estimate|guess)"
    r"|intermediate (?:result|answer|value)|partial (?:result|answer|sum|total))(?![A-Za-z])",
    re.IGNORECASE,
)


def is_claim(sentence: str) -> bool:
    """False for an empty sentence, a condition ("If ..."), a plan ("we need to ..."), a
    provisional value ("Work in progress: 10") or a pleasantry ("I hope this helps!")."""
    return (
        bool(sentence)
        and not _CONDITION.match(sentence)
        and not _PLAN.search(sentence)
        and not _PLEASANTRY.match(sentence)
        and not _PROVISIONAL.search(sentence)
    )


def stated_value(sentence: str) -> str | None:
    """`sentence_value`, or None for a condition, a plan or an empty sentence. After a
    correction inside the sentence ("First try [30], second try [45]") only what
    follows it is read (and must itself be a claim)."""
    fix = _last_correction(sentence)
    if fix is not None:
        tail = sentence[fix:].strip(" ,;:")
        return _value(tail) if is_claim(tail) else None
    return sentence_value(sentence) if is_claim(sentence) else None


def _last_correction(sentence: str) -> int | None:
    """Where the text after the sentence's last correction starts, if it has one."""
    if "$" in sentence or "\\" in sentence:
        return None
    fix = None
    for fix in _SENTENCE_CORRECTION.finditer(sentence):  # noqa: B007 (the last one)
        pass
    if fix is None or not any(c.isalnum() for c in sentence[fix.end() :]):
        return None  # "It is 5, actually.": nothing follows
    return fix.end()


def sentence_value(sentence: str) -> str | None:
    """The value `sentence` states, or None (see the module doc)."""
    fix = _last_correction(sentence)
    if fix is not None:  # "First try [30], second try [45]": what follows the correction
        return _value(sentence[fix:].strip(" ,;:"))
    return _value(sentence)


# ", so ...", "; therefore ...": the clause that concludes the sentence ("He had 3 apples, ate 1,
# so 2 remain."): its value is the sentence's, and the premises' numbers are not.
CONCLUDES = re.compile(r"[,;][ \t]*(?:and[ \t]+)?(?:so|thus|hence|therefore)(?![A-Za-z])[ \t]*,?[ \t]*", re.IGNORECASE)
_VALUE_MARK = re.compile(r"[\d$\\]")


# The value a sentence calls the answer or right: an option letter, a number (signed, after a
# currency sign), or one math span.
_CALLED_VALUE = r"(?P<v>(?-i:\(?[A-J]\)?)|[-+\u2212]?\$?\d[\d,]*(?:\.\d+)?(?:/\d+)?|\$[^$]{1,80}\$)"
# A value called the answer: "<value> is the (final / correct) answer" ending the sentence.
_INVERTED = re.compile(
    r"(?<![A-Za-z0-9_\\])" + _CALLED_VALUE
    + r"[ \t]+(?:is|would be|must be|should be)[ \t]+(?:the[ \t]+)?(?:final[ \t]+|correct[ \t]+|right[ \t]+|best[ \t]+)?"
    r"(?:answer|option|choice)[ \t]*[.!]?[ \t]*\Z",
    re.IGNORECASE,
)

# "A is correct", "So choice 2 is right.": a value opening the sentence (after a conclusion word or
# "choice" / "option") that the sentence calls right; not "Step 2 is correct" (a check of a step).
_CALLED_RIGHT = re.compile(
    r"[ \t]*(?:(?:so|thus|therefore|hence|then|clearly)[ \t]*,?[ \t]+)?(?:(?:the[ \t]+)?(?:choice|option|answer)[ \t]+)?"
    + _CALLED_VALUE
    + r"[ \t]+(?:is|must be|should be)[ \t]+(?:correct|right)[ \t]*[.!]?[ \t]*\Z",
    re.IGNORECASE,
)
_HEDGED = re.compile(r"(?<![A-Za-z])(?:or|either|maybe|perhaps|possibly|probably|might|could)(?![A-Za-z])", re.IGNORECASE)


def _value(sentence: str) -> str | None:
    if "," in sentence or ";" in sentence:
        last = None
        for last in CONCLUDES.finditer(sentence):  # noqa: B007 (the last one)
            pass
        if last is not None and _VALUE_MARK.search(sentence, last.end()) is not None:
            return _value(sentence[last.end() :])  # (a hedge there stays a hedge: None)
    relative = _RELATIVE.search(sentence)
    if (
        relative is not None
        and relative.start() > 0
        and "$" not in sentence[: relative.start()]
        and _CONCLUSION.search(sentence, relative.end()) is None  # "..., because ..., therefore B"
    ):
        sentence = sentence[: relative.start()]  # "10, which is 2 more than 8": 10
    maths = list(_MATH.finditer(sentence))
    verbs = [v for v in _verbs(sentence) if not any(m.start() <= v.start() < m.end() for m in maths)]
    if not maths:  # 0. several values joined by or/and: the whole list (a hedge stays a hedge)
        listed = _ASSIGNMENTS.search(sentence) or _LIST.search(sentence)  # "x = 4, y = 2" too
        if listed is not None:
            return sentence[listed.start() :].strip(" .")
    if _DENIAL.search(sentence) or _IF_AFTER.search(sentence) or (not maths and _OR_BETWEEN.search(sentence)):
        return None  # "So x = 10 is not a solution.", "12 if we ignored ...", "x is 12 or x is 13"
    inverted = _INVERTED.search(sentence) or _CALLED_RIGHT.match(sentence)  # "So (C) is the answer.", "A is correct"
    if inverted is not None:
        if _negated(sentence, inverted.start()) or _HEDGED.search(sentence, 0, inverted.start()) is not None:
            return None  # "I don't think B is the answer", "A or B is the answer"
        return inverted.group("v").strip("()$ ") or None
    for verb in reversed(verbs):  # 1. a value right after a verb
        value = _value_after(sentence, verb, maths)
        if value:
            return None if _negated(sentence, verb.end()) else value  # "she probably has 7"
    if len(maths) == 1:  # 2. the only math span
        return None if _negated(sentence, maths[0].start()) else _math(maths[0]) or None
    if maths:  # 2b. only math spans joined by ","/and/or after a lead-in ("Then $x=2$, and $y=3$.")
        if verbs or not _LEAD_IN.fullmatch(sentence, 0, maths[0].start()) or sentence[maths[-1].end() :].strip(" ."):
            return None
        if any(_JOIN.fullmatch(sentence, a.end(), b.start()) is None for a, b in zip(maths, maths[1:], strict=False)):
            return None
        values = [v for v in dict.fromkeys(_math(m) for m in maths) if v]
        return ", ".join(values) if values and not _negated(sentence, maths[0].start()) else None
    if verbs:  # 3. a few words after the last verb
        words = _WORDS.fullmatch(_strip_article(sentence[verbs[-1].end() :].strip()).rstrip(" .!"))
        # "it's not A": no value; a lone capital is an option letter, read by `choice` alone
        if (
            words is not None
            and _NEGATION.match(words.group()) is None
            and not _LETTER_ONLY.fullmatch(words.group())
            and not _negated(sentence, verbs[-1].start())  # "I can't tell whether it's A or B"
        ):
            if _PREDICATE.fullmatch(words.group()) and _OPTION_LETTER.search(sentence):
                return None  # "Option C is correct.": the letter is the value, read by `choice`
            return words.group()
    numbers = [m for m in _NUMBER.finditer(sentence)]  # 4. the only number
    if not numbers and sentence.isascii():  # in words ("seventy-two cupcakes"), when no digits
        numbers = [m for m in _NUMBER_WORDS.finditer(sentence)]
        if len(numbers) == 1 and _PRONOUN_ONE.search(sentence) is not None:
            return None
    if (
        len(numbers) == 1
        and not _COUNTER.search(sentence, 0, numbers[0].start())
        and not _negated(sentence, numbers[0].start())
        and _LISTED.match(sentence, numbers[0].end()) is None  # "1 and all odd primes": one part of a list
        and CJK_BOUND_AFTER.match(sentence, numbers[0].end()) is None  # "42左右": about 42
    ):
        return numbers[0].group()
    return None


def _negated(sentence: str, at: int) -> bool:
    """Whether a negation stands in the clause before position `at` ("the total is not 10")."""
    clause = 0
    for clause_end in _CLAUSE_END.finditer(sentence, 0, at):
        clause = clause_end.end()
    return _NEGATION.search(sentence, clause, at) is not None


def _value_after(sentence: str, verb: re.Match[str], maths: list[re.Match[str]]) -> str | None:
    after = verb.end()
    rest = sentence[after:]
    lead = len(rest) - len(rest.lstrip())
    article = _ARTICLE.match(rest, lead)
    start = after + (article.end() if article is not None else lead)
    for i, m in enumerate(maths):
        if m.start() == start:
            values = [_math(m)]
            for prev, cur in zip(maths[i:], maths[i + 1 :], strict=False):
                if _JOIN.fullmatch(sentence, prev.end(), cur.start()) is None:
                    break
                values.append(_math(cur))
            values = [v for v in dict.fromkeys(values) if v]
            return ", ".join(values) if values else None
    if start >= len(sentence):
        return None
    c = sentence[start]
    if c in "([{":
        close = {"(": ")", "[": "]", "{": "}"}
        depth = 0
        for j in range(start, len(sentence)):
            if sentence[j] in "([{":
                depth += 1
            elif sentence[j] in ")]}":
                depth -= 1
                if depth == 0:
                    value = sentence[start : j + 1]
                    if sentence[j] == close[c] or sentence[j] in ")]":
                        return value if not _SEVERAL.search(sentence, j + 1) else None
                    return None
        return None
    number = _NUMBER_AND_WORD.match(sentence, start)
    if number is not None:
        if _SEVERAL.search(sentence, number.end()):  # "3 or 4": a list, see step 3
            return None
        value = number.group().strip()
        glued = _CJK_AFTER.match(sentence, number.end())
        if glued is not None and CJK_BOUND_AFTER.match(sentence, number.end()):
            return None
        return value if glued is None else _NUMBER.match(value).group()  # type: ignore[union-attr]
    return None


def _math(m: re.Match[str]) -> str:
    return next(g for g in m.groups() if g is not None).strip()


def _strip_article(value: str) -> str:
    article = _ARTICLE.match(value)
    return value[article.end() :] if article is not None else value
