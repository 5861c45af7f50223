"""`parse(text)`: any answer or reference string -> typed Answer or ParseFailure.

Order of attempts on the normalised text (graders.mathparse.lexer.normalize):

1. multiple-choice letters: `B`, `(B)`, `B)`, `\\text{(B)}`, `\\textbf{B}`,
   `option B`, `(B) 12` -> Choice('B') (upper-case letters only; a lone
   lower-case letter is a symbol);
2. plain numbers through graders.numbers.parse_number (integers, decimals,
   thousands separators, scientific notation, fractions, mixed numbers,
   currency, percent, units, number words such as `twelve`), unless the text
   contains a single-letter word (`5h`, `2 A`: those are expressions here);
3. text answers: only letters, spaces and light punctuation, with a word that
   is not math (`Evelyn`, `no solution`, `yes`) -> Text (case-folded);
   `all real numbers` -> the interval (-oo, oo);
4. the math parser (graders.mathparse.parser).

A physical unit after the value (`1200 \\text{ cm}`, `5 m/s`; see
graders.mathparse.units) is attached to the value as a `unit` node, which
the comparator converts; other trailing words (`apples`) are dropped.

Never raises: every failure, including a recursion or memory error, is a
ParseFailure with kind `parse_error` or `too_large`.
"""

from __future__ import annotations

import re

from . import expr as X
from .answer import Answer, Choice, Interval, ParseFailure, Rel, Scalar, Seq, Text, Where
from .compare import COMMON_WORDS
from .expr import DecInfo
from .lexer import FUNC_WORDS, GREEK, MAX_LETTER_PRODUCT, PROSE_WORDS, normalize, tokenize
from .limits import LIMITS, ParseError, TooLarge
from .parser import PROSE_STOP as _PROSE_STOP
from .parser import Parser, to_answer

_WRAP_RE = re.compile(r"\\(?:text|textbf|textit|textrm|mathrm|mathbf|mbox|emph|textnormal)\s*\{([^{}]*)\}")
_CHOICE_RES = (
    re.compile(r"\(?\s*([A-Z])\s*\)?"),
    re.compile(r"(?i:option|choice|answer)\s*:?\s*\(?\s*([A-Za-z])\s*\)?"),
    re.compile(r"\(\s*([A-Z])\s*\)\s*\S.*"),
    re.compile(r"([A-Z])\)\s*\S.*"),
    re.compile(r"([A-Z])[.:]\s+\S.*"),
)
_TEXTY_RE = re.compile(r"[A-Za-z][A-Za-z .,'!?-]*")
_MATH_WORDS = frozenset(FUNC_WORDS) | {"pi", "or", "and", "infinity", "inf", "infty", "e", "i"}
_REALS_TEXT = frozenset(("all real numbers", "all reals", "real numbers", "all real x", "r"))
_SINGLE_LETTER_WORD_RE = re.compile(r"(?<![A-Za-z\\])[B-Zb-z](?![A-Za-z])")  # `a` is an article (`a dozen`)
_TEXT_CMD_RE = re.compile(r"\\[A-Za-z]+")
_DEC_RE = re.compile(r"[+-]?(?:(\d*)\.(\d+)(?:[eE]([+-]?\d+))?|(\d+)[eE]([+-]?\d+))")
_SCI_TEN_RE = re.compile(r"(?P<m>[+-]?\d*\.\d+)(?:\\times|\\cdot|\*|x|×)10\^(?:\{(?P<e>[+-]?\d{1,4})\}|(?P<e1>\d))")
_PLAIN_INT_RE = re.compile(r"[+-]?\d{1,300}")
_DEGREE_RE = re.compile(r"(?:\\circ|\\degree|°)\s*\}?\s*$|(?<![A-Za-z])degrees?\s*$")


def unwrap_text(s: str) -> str:
    """`\\text{abc}` -> `abc` (one level, all occurrences)."""
    if "\\" not in s:
        return s
    return _WRAP_RE.sub(lambda m: m.group(1), s)


def text_key(s: str) -> str:
    """Light text normalisation: wrappers removed, case-folded, single spaces, no outer punctuation."""
    t = unwrap_text(s).replace("\\ ", " ")
    if "~" in t:  # `a~b` is a LaTeX space; a leading `~42` is "approximately 42"
        t = t.lstrip()
        t = t[:1] + t[1:].replace("~", " ")
    t = " ".join(t.split()).casefold()
    return t.strip(" .,;:!?")


_OTHER_CHOICE_RE = re.compile(r"(?i:\b(?:and|or)\b)|\(\s*[A-Z]\s*\)|(?:^|\s)[A-Z](?:[).,:]|\s|$)")


def _choice(s: str) -> Choice | None:
    t = unwrap_text(s).strip()
    if len(t) > 200:
        return None
    for k, rx in enumerate(_CHOICE_RES):
        m = rx.fullmatch(t)
        if m:
            if k >= 2:  # a letter followed by option text: the text must not name another option
                rest = t[m.end(1) :].lstrip(").:")
                if _OTHER_CHOICE_RE.search(rest):
                    return None
            return Choice(m.group(1).upper())
    return None


def _is_math_word(w: str) -> bool:
    if len(w) == 1 or w in _MATH_WORDS:
        return True
    for f in FUNC_WORDS:
        if w.startswith(f) and len(w) - len(f) == 1:
            return True
    return False


def _text_answer(s: str) -> Answer | None:
    t = unwrap_text(s).strip()
    if not _TEXTY_RE.fullmatch(t):
        return None
    words = re.findall(r"[A-Za-z]+", t)
    if all(_is_math_word(w) for w in words):
        return None
    if "-" in t and all(len(w) <= MAX_LETTER_PRODUCT and w.lower() not in COMMON_WORDS for w in words):
        return None  # `ad-bc`: short letter products, not hyphenated words
    key = text_key(t)
    if key in _REALS_TEXT:
        return Interval(X.neg(X.inf()), X.inf(), False, False)
    return Text(key, t)


def _dec_info(text: str) -> DecInfo | None:
    """Digits of a plain decimal literal (the whole text), else None: no approximation rule."""
    core = text.replace(",", "").replace("{,}", "").replace("\\,", "").replace(" ", "")
    sci = _SCI_TEN_RE.fullmatch(core)  # `2.3148 \times 10^{-3}` is written like 2.3148e-3
    if sci is not None:
        core = f"{sci['m']}e{sci['e'] or sci['e1']}"
    m = _DEC_RE.fullmatch(core)
    if m is None:
        return None
    ip, fp, ex, ip2, ex2 = (g or "" for g in m.groups())
    if ip2:
        ip, fp, ex = ip2, "", ex2
    k = int(ex) if ex else 0
    digits = (ip + fp).lstrip("0")
    return DecInfo(len(digits) if digits else 1, len(fp) - k)


def _mathy_words_after_digits(s: str) -> bool:
    """Words after the last digit that read as math: a function or Greek name, or a short letter
    run that is not prose or a common abbreviation (`xy`, `ab`)."""
    k = max((i for i, c in enumerate(s) if c.isdigit()), default=-1)
    if k < 0:
        return False
    for w in _WORD_RE.findall(_TEXT_CMD_RE.sub(" ", s[k + 1 :])):
        lw = w.lower()
        if lw in _MATHY or (len(w) <= MAX_LETTER_PRODUCT and lw not in _SHORT_PROSE and lw not in _ABBREVIATIONS):
            return True
    return False


def _number(s: str) -> Answer | None:
    if _PLAIN_INT_RE.fullmatch(s):
        return Scalar(X.num(int(s), literal=True))
    if _SINGLE_LETTER_WORD_RE.search(_TEXT_CMD_RE.sub(" ", s)):
        return None
    if "\\pm" in s or "\\mp" in s or "_" in s:
        return None
    if _mathy_words_after_digits(s):
        return None  # `2 xy`, `3 theta`: a product, not a number with a unit word
    from graders.numbers import parse_number

    p = parse_number(s)
    if p is None:
        return None
    if p.unit and changes_answer(_WORD_RE.findall(p.unit)):
        return None  # `42 (wrong)`, `42 maybe`: the numeric kind's rule (graders.numbers.parse_quantity)
    v = p.value
    dec = _dec_info(p.text) if not p.percent else None
    literal = v.denominator == 1 and dec is None and "/" not in p.text and "frac" not in p.text
    node = X.num(v, dec, literal=literal)
    if p.percent:
        node = X.unary("pct", node)
    elif _DEGREE_RE.search(s):  # `30^\circ`: kept, so that it can equal `\frac{\pi}{6}`
        node = X.unary("deg", node)
    return Scalar(node)


_NUMBER_THEN_WORDS_RE = re.compile(r"([+-]?\d[\d,]*(?:\.\d+)?(?:\\?%)?)\s+([A-Za-z][A-Za-z' ]{0,200}?)[.!]?")


_WORD_RE = re.compile(r"[A-Za-z]+")
_ABBREVIATIONS = frozenset("pts usd eur gbp am pm st nd rd th mn bn".split())
_MATHY = frozenset(w.lower() for w in (*FUNC_WORDS, *GREEK, "pi", "infinity", "infty", "inf", "sqrt", "root", "roots"))
_SHORT_PROSE = PROSE_WORDS | frozenset("in all his her had now out off own new old big day per ago".split())


# Words of other alphabets after a number (`42 рубля`, `12 pommes à Marie`): the number, unless a
# word negates, hedges, compares or scales (a prefix list, as these words inflect).
_NUMBER_THEN_INTL_RE = re.compile(
    r"([+-]?\d[\d,]*(?:\.\d+)?)\s+((?:[A-Za-z\u00c0-\u024f\u0400-\u04ff'’-]{1,40}\s*){1,8}?)[.!]?"
)
_INTL_SCALES = re.compile(
    r"(?:тысяч|миллион|миллиард|сотн|дюжин|около|примерно|больше|меньше|более|менее|mill|milliard|douzaine"
    r"|environ|tausend|hundert|dutzend|weniger|docena|cerca|quasi|circa)",
    re.IGNORECASE,
)
_INTL_WORDS = frozenset(
    "не нет или раз пол pas ni ou plus moins cent cents demi nicht kein keine oder mehr etwa halb não nao mais"
    " menos unos unas mil cien medio media più meno fois mal o no non".split()
)


def _number_then_intl_words(s: str) -> Answer | None:
    m = _NUMBER_THEN_INTL_RE.fullmatch(s)
    if m is None or m.group(2).isascii():
        return None
    words = m.group(2).replace("'", " ").replace("’", " ").split()
    if any(w.lower() in _INTL_WORDS or _INTL_SCALES.match(w) for w in words) or changes_answer(words):
        return None
    return _number(m.group(1))


def _number_then_words(s: str) -> Answer | None:
    """`42 apples in total`, `1,250 people were there`: a number followed only by words (no
    digits, no single letters, none that hedges, negates, scales or operates) is the number.
    Words of other alphabets too (`42 рубля`), unless one negates, hedges or scales."""
    m = _NUMBER_THEN_WORDS_RE.fullmatch(s)
    if m is None:
        return _number_then_intl_words(s) if not s.isascii() else None
    if not plain_words(m.group(2).replace("'", " ").split()):
        return None
    return _number(m.group(1))


def changes_answer(words: list[str]) -> bool:
    """Whether a word after a value hedges, negates, scales or operates (`maybe`, `not`,
    `hundred`, `times`) or is math (`pi`, `sin`): the value alone is then not the answer."""
    low = {w.lower() for w in words}
    return bool(_PROSE_STOP & low or low & _MATHY)


def plain_words(words: list[str]) -> bool:
    """Whether words written after a number leave it the number (`apples in total`): none
    hedges, negates, scales or operates (`or more`, `hundred`), none is math (`pi`, `xy`).
    Also the numeric kind's rule (graders.numbers.parse_quantity)."""
    if not words or changes_answer(words):
        return False
    # `2 pi`, `2 xy`, `3 ab`: math, not prose
    return not any(len(w) <= MAX_LETTER_PRODUCT and w.lower() not in _SHORT_PROSE for w in words)


def _parse_core(s: str) -> Answer:
    c = _choice(s)
    if c is not None:
        return c
    a = _number(s)
    if a is not None:
        return a
    a = _number_then_words(s)
    if a is not None:
        return a
    a = _text_answer(s)
    if a is not None:
        return a
    tokens = tokenize(s)
    return to_answer(Parser(tokens).parse_top())


_WHERE_RE = re.compile(r"(?:\s*,\s*|\s+)(?:\\text\s*\{\s*)?(?:where|with)\s*\}?\s+(?=\S)")


def _where(s: str) -> Answer | None:
    """`A, where n = v` / `A \\text{ where } n = v, m = w`: A with the names defined after it
    (single names, at most 4), kept both as written and with the values substituted."""
    m = _WHERE_RE.search(s)
    if m is None or m.start() == 0:
        return None
    try:
        body = _parse_core(s[: m.start()])
        defs = to_answer(Parser(tokenize(s[m.end() :])).parse_top())
    except ParseError:
        return None
    items = defs.items if isinstance(defs, Seq) and defs.kind == "list" else (defs,)
    if not 1 <= len(items) <= 4:
        return None
    value = body
    for d in items:
        if not (isinstance(d, Rel) and d.ops == ("=",) and all(isinstance(x, Scalar) for x in d.sides)):
            return None
        name, val = d.sides[0].expr, d.sides[1].expr  # type: ignore[attr-defined]
        if name.op != "sym" or name.args[0] in val.syms:
            return None
        value = _substitute(value, name.args[0], val)
        if value is None:
            return None
    return Where(body, value) if value != body else None


def _substitute(a: Answer, name: str, val: X.E) -> Answer | None:
    if isinstance(a, Scalar):
        return Scalar(X.substitute(a.expr, name, val))
    if isinstance(a, Rel):
        sides = [_substitute(x, name, val) for x in a.sides]
        return None if any(x is None for x in sides) else Rel(tuple(sides), a.ops)  # type: ignore[arg-type]
    if isinstance(a, Seq):
        items = [_substitute(x, name, val) for x in a.items]
        return None if any(x is None for x in items) else Seq(a.kind, tuple(items), a.paren2)  # type: ignore[arg-type]
    return None


def _with_unit(a: Answer, unit: str) -> Answer:
    """The unit attaches to a value, or to the value side of `x = 5 cm`; elsewhere it is dropped."""
    if isinstance(a, Scalar):
        return Scalar(X.quantity(a.expr, unit))
    if isinstance(a, Rel) and isinstance(a.sides[-1], Scalar) and a.ops[-1] == "=":
        return Rel((*a.sides[:-1], Scalar(X.quantity(a.sides[-1].expr, unit))), a.ops)
    return a


def parse(text: str, *, normalized_text: str | None = None) -> Answer | ParseFailure:
    """Parse an answer or a reference. Never raises. `normalized_text`: `normalize(text)` when
    the caller already has it (graders.mathparse.check normalises every text once)."""
    try:
        if not isinstance(text, str):
            return ParseFailure("parse_error", "not a string")
        s = normalized_text if normalized_text is not None else normalize(text)
        if not s:
            return ParseFailure("parse_error", "empty answer")
        if ("where" in s or "with" in s) and len(s) <= 400:
            w = _where(s)
            if w is not None:
                return w
        unit = None
        if s.endswith("}") and "\\unit{" in s:  # a physical unit (graders.mathparse.units)
            k = s.rfind("\\unit{")
            s, unit = s[:k].rstrip(), s[k + 6 : -1]
            return _with_unit(_parse_core(s), unit)
        return _parse_core(s)
    except TooLarge as e:
        return ParseFailure("too_large", str(e))
    except ParseError as e:
        return ParseFailure("parse_error", str(e))
    except RecursionError:
        return ParseFailure("too_large", "nested too deeply")
    except MemoryError:
        return ParseFailure("too_large", "out of memory")
    except Exception as e:  # noqa: BLE001 - a parse never raises; report what broke
        return ParseFailure("parse_error", f"{type(e).__name__}: {e}")


def normalized(text: str) -> str | None:
    """The normalised text, or None when it is too long."""
    try:
        return normalize(text)
    except Exception:  # noqa: BLE001
        return None


__all__ = ["parse", "normalized", "text_key", "LIMITS"]
