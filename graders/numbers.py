"""Exact parsing of numbers written in the formats people and models use.

`parse_number(text)` reads the *whole* string as one number and returns a
`ParsedNumber` holding an exact `Fraction`, or `None` when the text is not
(only) a number. It never uses `eval`, sympy or `float()` on the input, never
raises on any `str`, and is bounded: inputs over `MAX_INPUT_CHARS` are refused
before any scanning, exponents are capped at `MAX_EXPONENT`, and every digit
run is far below CPython's 4,300-digit `int()` limit.

Plain ASCII integers and decimals, optionally with comma grouping, a leading
``$`` or a trailing ``%``, take a single-regex + `int()` fast path (1-2 us);
everything else (5-20 us) goes through a normalise / unwrap / peel / parse
pipeline:

1. *Normalise characters.* Unicode decimal digits (category Nd: fullwidth,
   Arabic-Indic, Devanagari, mathematical bold, ...) become ASCII digits via
   `unicodedata.decimal`; dashes (U+2010-2015, U+2212 minus, small/fullwidth
   hyphen-minus) become ``-``; fullwidth ASCII becomes ASCII; U+2044 / U+2215
   become ``/``; Arabic separators and percent sign are mapped; zero-width
   characters are dropped; every kind of Unicode space becomes one ASCII space.
   NFKC is deliberately *not* used: superscripts and subscripts are kept, so
   ``4²`` never becomes ``42`` (it is refused; ``10²`` is read as 10^2).
2. *LaTeX spacing.* ``\\,`` ``\\;`` ``\\:`` ``\\ `` ``~`` ``\\quad`` become a space, ``\\!``
   disappears, ``{,}`` becomes ``,`` (so ``1\\,000`` and ``1{,}000`` are 1000).
   A *leading* ``~`` (plain-text "approximately") is refused.
3. *Unwrap* (repeatedly) ``$..$``, ``$$..$$``, ``\\(..\\)``, ``\\[..\\]``,
   ``**..**``, ``{..}`` and ``\\boxed{..}`` / ``\\fbox`` / ``\\text`` / ``\\mathrm`` /
   ``\\mathbf``-style wrappers that span the whole string, and one trailing
   period.
4. *Peel a prefix*: a sign (``+``, ``-``, ``minus ``, ``negative ``), a currency
   (``$ \\$ € £ ¥ ₹ ₩ ₽ US$ USD EUR GBP JPY INR CNY RMB CHF AUD CAD Rs``), and
   a sign after the currency (``$-5``). Two signs are refused.
5. *Peel suffixes*, right to left, in the order
   ``number [scale] [percent | degree | currency-symbol] [unit words]``:
   ``\\text{..}``-style groups are flattened, then ``%`` ``\\%`` ``percent``
   ``per cent``; ``°`` ``^\\circ`` ``^{\\circ}`` ``\\circ`` ``\\degree`` ``degrees``;
   ``$ € £ ¥ ₹ ₩ ₽ ¢``; unit words. At most one of percent / degree /
   currency symbol, and a currency prefix cannot be combined with a percent or
   a currency symbol suffix.
6. *Parse the core* (see formats below). The sign applies to the whole
   number, so ``-2 1/2`` is -5/2.

Formats of the core:

- integers and decimals (``.5``, ``5.``);
- thousands separators, one kind per number, groups of exactly 3 digits after
  a first group of 1-3 digits that does not start with 0: comma, space (any
  Unicode space, LaTeX spacing), underscore, apostrophe (``'`` and ``’``).
  Indian grouping with commas (``12,34,567``, ``1,00,000``) is accepted; its
  value is unambiguous. ``1,23,4``, ``1,5`` and ``0,5`` are refused.
  **Decimal comma:** never. ``1,5`` is refused (it could be 1.5 or a list);
  ``1,500`` is one thousand five hundred. Dots are never thousands separators
  (``1.234.567`` is refused, ``1.234`` is 1.234);
- scientific: ``1.2e3``, ``1.2E+03``, ``m \\times 10^{e}``, ``m \\cdot 10^e``,
  ``m x 10^e``, ``m × 10³``, ``m · 10⁻³``, ``m*10**e``, and a bare ``10^{5}`` /
  ``10⁵`` (a superscript exponent must touch the 10). Only base 10;
  ``|e| <= MAX_EXPONENT`` (``1e100000`` and ``10^{10^{10}}`` are refused
  without computing anything);
- fractions: ``3/4`` (spaces allowed around the slash; no space grouping in
  the parts, so ``1 234/567`` is the mixed number 1 + 234/567),
  ``\\frac{3}{4}``, ``\\dfrac``, ``\\tfrac``, ``\\cfrac``, ``\\frac34``,
  ``\\frac 3 4``, ``\\frac{-3}{4}``, vulgar fractions ``½ ¾ ⅞ ...``,
  ``1⁄2`` (U+2044), ``¹⁄₂``. A zero denominator gives `None`;
- mixed numbers: ``2 1/2``, ``2\\frac{1}{2}``, ``2½``, ``2 ¹⁄₂``. The
  fraction part must be proper (``0 < n < d``) and unsigned;
- Chinese numerals: ``二十五`` (25), ``一百零五``, ``两万三千``, ``负五`` (an integer; two digits
  in a row or units out of order are refused);
- written-out English (case-insensitive): ``zero`` .. ``nineteen``, tens,
  ``twenty-one`` / ``twenty one``, ``one hundred and five``,
  ``three thousand two hundred``, ``twenty-one hundred`` (2100), ``a
  million``, short-scale ``thousand million billion trillion`` (strictly
  decreasing), ``three point one four``, ``a dozen`` / ``two dozen``,
  ``half``, ``a half``, ``one half``, ``a third``, ``three quarters``,
  ``two thirds``, ``five eighths``, ``one hundredth``, ``one and a half``,
  ``two and three quarters``. ``minus five`` / ``negative five``. A phrase
  such as ``one hundred and five eighths`` (100 5/8 or 105/8?) is refused;
- a digit number followed by one scale word: ``5 million`` (5000000),
  ``1.5 billion``, ``3 hundred``, ``2 dozen``, ``2 lakh``, ``1 crore``. The
  abbreviations ``k K M B bn mn mln mil`` are refused as ambiguous.

Decisions on decorations:

- **Percent**: ``50%`` parses to value 50 with ``percent=True``; how that is
  compared is the caller's choice through `candidate_values` (``either``,
  ``value``, ``strip``). Per-mille ``‰`` is refused.
- **Units** are not part of the value: ``5 cm`` parses to 5 with
  ``unit="cm"``; `parse_number` never converts. Comparing quantities is
  `unit_factor`'s job (the numeric kind: ``1200 cm`` = ``12 m``, ``5 cm`` !=
  ``5 m``, a bare side compares the number), and `parse_quantity` also reads a
  number followed by plain words (``42 apples in total``). Up to two
  unit tokens are allowed after the number, each a word of ASCII letters (or
  µ μ Ω) of at most 24 characters, optionally with a power (``cm^2``, ``m²``)
  and ``/`` compounds (``m/s^2``, ``km/h``), either bare or in
  ``\\text{}``/``\\mathrm{}``/``\\mbox{}``. A unit glued to the number
  (``5cm``, ``30°C``) must be a common unit abbreviation (cm, kg, s, h, mph,
  USD, st/nd/rd/th ...), so ``2ab``, ``3xy``, ``0xff``, ``½ex`` are refused;
  a spaced word may be any word not refused below. So ``12 apples`` is 12 and
  ``5 square meters`` is 5, but three words are refused (``5 apples or 6``
  is refused anyway: a number follows). Refused unit words: single letters
  other than ``m g s h L V W J N A C F T Ω`` (so ``5x``, ``2n``, ``3i``,
  ``2e``, ``5k`` are not numbers); math/logic words (``pi``, ``sqrt``,
  ``or``, ``more``, ``than``, ``times``, ``squared`` ...); number words
  (``5 hundred`` is a scale, ``5 half`` is refused).
- **Cents** (``50¢``, ``50 cents``) are a unit like any other: the value is 50,
  not 0.5. Likewise ``5 dollars`` is 5 and ``$5 million`` is 5000000.
- **Degrees** (``30°``, ``30^\\circ``, ``30 degrees``, ``30°C``) are ignored.
- Leading words (``Step 3``, ``x = 5``, ``approximately 5``, ``answer: 5``)
  make the text not a number: extracting the answer is the extractor's job
  and an equation is the math layer's.
- ``inf``, ``nan``, ``infinity``, hex, binary, ``\\pm``, parentheses, the empty
  string and anything over `MAX_INPUT_CHARS` characters give `None`.

`ParsedNumber.value` is exact and may be outside the range of a float (up to
10^10000); compare with `numbers_close` / `relative_error`, which work on
exact values, rather than calling `float()` on it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Rational

__all__ = [
    "MAX_EXPONENT",
    "MAX_INPUT_CHARS",
    "PERCENT_CONVENTIONS",
    "ParsedNumber",
    "candidate_values",
    "numbers_close",
    "parse_number",
    "parse_quantity",
    "relative_error",
    "unit_factor",
]

MAX_INPUT_CHARS = 1000
"""Longer inputs are not numbers (checked before any scanning)."""

MAX_EXPONENT = 10_000
"""Largest absolute power of ten accepted in scientific notation."""

PERCENT_CONVENTIONS = ("either", "value", "strip")


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A number read from text.

    value: the exact value as written (``50%`` -> 50, ``$5 million`` -> 5000000).
    percent: a percent sign or word was attached.
    text: the normalised text that was parsed (characters mapped, LaTeX spacing
        and wrappers such as ``$..$`` / ``\\boxed{}`` removed).
    unit: the unit words written after the value, as written (``5 square meters``
        -> ``square meters``, ``60 km/h`` -> ``km/h``); ``""`` when there are none.
        `parse_number` does not interpret them; `same_quantity` does.
    """

    value: Fraction
    percent: bool
    text: str
    unit: str = ""


# --------------------------------------------------------------------------- fast path

# plain ASCII numbers, optionally with comma grouping, a leading "$" or a trailing "%"
_FAST_RE = re.compile(
    r"[ \t\r\n]*([+-]?)(\$?)(?:(\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.(\d*))?|\.(\d+))(%?)[ \t\r\n]*",
    re.ASCII,
)
_DEFENSIVE = (ValueError, ZeroDivisionError, OverflowError, RecursionError)


def parse_number(text: str) -> ParsedNumber | None:
    """Parse `text` as exactly one number; `None` when it is not (only) a number."""
    if not isinstance(text, str):
        return None
    n = len(text)
    if n == 0 or n > MAX_INPUT_CHARS:
        return None
    m = _FAST_RE.fullmatch(text)
    if m is not None:
        sign, cur, ip, fp, fp2, pct = m.groups()
        if cur and pct:
            return None  # "$5%"
        if fp2 is not None:
            ip, fp = "0", fp2
        elif "," in ip:
            ip = ip.replace(",", "")
        if fp:
            value = Fraction(int(ip + fp), 10 ** len(fp))
        else:
            value = Fraction(int(ip))
        if sign == "-":
            value = -value
        return ParsedNumber(value, bool(pct), text.strip())
    if not text.isascii() and (cjk := _cjk_number(text.strip())) is not None:
        return cjk
    try:
        return _parse_slow(text)
    except _DEFENSIVE:  # pragma: no cover - no known input reaches this
        return None


# ----------------------------------------------------------------- Chinese numerals
# 二十五 = 25, 一百零五 = 105, 两万三千 = 23000, 负五 = -5: an integer written in Chinese numerals
# (units 十 百 千 within a section, strictly decreasing; 万 and 亿 close a section; 零 marks a
# gap). Two digits in a row ("二五") or a unit out of order is refused, not guessed.
_CJK_DIGIT = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CJK_SECTION = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CJK_ZERO = "零〇"
_CJK_NUMERAL = re.compile(r"负?[零〇一二两兩三四五六七八九十拾百佰千仟万萬亿億]{1,24}")


def _cjk_number(s: str) -> ParsedNumber | None:
    if _CJK_NUMERAL.fullmatch(s) is None:
        return None
    negative = s[0] == "负"
    digits = s[1:] if negative else s
    if digits in _CJK_ZERO:
        return ParsedNumber(Fraction(0), False, s)
    total, section, digit, last_unit, last_big = 0, 0, None, 10**5, 10**9
    for ch in digits:
        if ch in _CJK_ZERO:
            if digit is not None:
                return None
            continue
        if ch in _CJK_DIGIT:
            if digit is not None:
                return None  # "二五": not a numeral
            digit = _CJK_DIGIT[ch]
        elif ch in _CJK_UNIT:
            unit = _CJK_UNIT[ch]
            if unit >= last_unit:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            big = _CJK_SECTION[ch]
            section += digit or 0
            if section == 0 or big >= last_big:
                return None
            total += section * big
            section, digit, last_unit, last_big = 0, None, 10**5, big
    value = total + section + (digit or 0)
    return ParsedNumber(Fraction(-value if negative else value), False, s)


# --------------------------------------------------------------------------- normalisation


class _CharTable(dict):
    """str.translate table: fixed mappings plus every Unicode decimal digit -> ASCII."""

    def __missing__(self, cp: int) -> str:
        d = unicodedata.decimal(chr(cp), None)
        if d is None:
            raise LookupError(cp)  # translate() leaves the character unchanged
        r = chr(48 + d)
        if len(self) < 4096:  # Nd has ~700 code points; the bound is a safety net
            self[cp] = r
        return r


_CHARS = _CharTable({cp: cp for cp in range(128)})
for _cp in range(0xFF01, 0xFF5F):  # fullwidth ASCII
    _CHARS[_cp] = chr(_cp - 0xFEE0)
for _c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d":
    _CHARS[ord(_c)] = "-"
for _c in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
    _CHARS[ord(_c)] = None
_CHARS.update(
    {
        0xFE62: "+",
        0x2044: "/",  # fraction slash
        0x2215: "/",  # division slash
        0xFE6A: "%",
        0x066A: "%",  # arabic percent
        0x066C: ",",  # arabic thousands separator
        0x066B: ".",  # arabic decimal separator
        0x2019: "'",
        0x02BC: "'",
        0xFE69: "$",
        0xFFE0: "¢",
        0xFFE1: "£",
        0xFFE5: "¥",
        0xFFE6: "₩",
        0x22C5: "·",  # dot operator
        0x2219: "·",  # bullet operator
    }
)
del _cp, _c

_LATEX_SPACE_RE = re.compile(
    r"\\[,;:> ]|\\(?:quad|qquad|thinspace|enspace|medspace|thickspace|displaystyle|textstyle)"
    r"(?![A-Za-z])|~"
)


def _normalise(text: str) -> str:
    if not text.isascii():
        text = text.translate(_CHARS)
    s = " ".join(text.split())
    if s.startswith("~"):  # "~5" is "approximately 5"
        return ""
    if "\\" in s or "~" in s or "{," in s:
        s = s.replace("{,}", ",").replace("\\!", "")
        s = " ".join(_LATEX_SPACE_RE.sub(" ", s).split())
    return s


_WRAP_RE = re.compile(
    r"\\(?:boxed|fbox|text|textrm|textnormal|mathrm|mbox|textbf|mathbf|bm|boldsymbol)\s*\{"
)


def _closing(s: str, i: int) -> int:
    """Index of the brace closing the one at `i`, or -1."""
    depth = 0
    for j in range(i, len(s)):
        c = s[j]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _unwrap(s: str, period: bool = False) -> str:
    """Remove wrappers spanning the whole string, and one trailing period unless `period`."""
    for _ in range(16):
        s = s.strip()
        if len(s) < 2:
            return s
        if s[-1] == "." and not period and s[-2] != ".":
            s = s[:-1]
            period = True
            continue
        if s[0] == "$" and s[-1] == "$" and s[-2] != "\\":
            s = s[2:-2] if len(s) >= 4 and s[1] == "$" and s[-2] == "$" else s[1:-1]
            continue
        if s[0] == "\\" and (
            (s[:2] == "\\(" and s[-2:] == "\\)") or (s[:2] == "\\[" and s[-2:] == "\\]")
        ):
            s = s[2:-2]
            continue
        if s[:2] == "**" and s[-2:] == "**" and len(s) >= 4:
            s = s[2:-2]
            continue
        if s[-1] == "}":
            if s[0] == "{":
                start = 0
            else:
                m = _WRAP_RE.match(s)
                start = m.end() - 1 if m else -1
            if start >= 0 and _closing(s, start) == len(s) - 1:
                s = s[start + 1 : -1]
                continue
        break
    return s.strip()


# --------------------------------------------------------------------------- prefix / suffix

_CUR_PREFIX = (
    r"US\$|\\\$|\$|€|£|¥|₹|₩|₽|\\(?:euro|pounds|textdollar|yen)(?![A-Za-z])"
    r"|(?:USD|EUR|GBP|JPY|INR|CNY|RMB|CHF|AUD|CAD|Rs\.?)(?=[\s\d.+-])"
)
_PREFIX_RE = re.compile(
    rf"(?P<s1>[+-]|(?i:minus|negative)(?=\s))?\s*(?P<cur>{_CUR_PREFIX})?\s*(?P<s2>[+-])?\s*"
)

_TEXTGROUP_END_RE = re.compile(
    r"\\(?:text|textrm|textnormal|mathrm|mbox|mathit|textit|rm|operatorname)\s*"
    r"\{(?P<b>[^{}]{0,80})\}(?P<p>\s*\^\s*(?:\{\s*-?\d\s*\}|-?\d)|[²³])?\s*\Z"
)
_PCT_END_RE = re.compile(r"(?:\\?%|(?<![A-Za-z])(?i:per\s?cent)(?![A-Za-z]))\s*\Z")
_DEG_END_RE = re.compile(
    r"(?:\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![A-Za-z])|\\circ(?![A-Za-z])|°|º"
    r"|\\degree(?![A-Za-z])|(?<![A-Za-z])(?i:deg|degrees?)(?![A-Za-z]))\s*\Z"
)
_CUR_END_RE = re.compile(
    r"(?:\\\$|\$|€|£|¥|₹|₩|₽|¢|\\(?:euro|pounds|textdollar|yen|textcent))\s*\Z"
)
_UW = r"[A-Za-zµμΩ]{1,24}(?:\^\s*\{?\s*-?\s*[1-9]\s*\}?|⁻?[¹²³])?"
_UNIT_END_RE = re.compile(rf"(?<![A-Za-zµμΩ\\])(?P<u>{_UW}(?:/{_UW}){{0,2}})\s*\Z")
_UNIT_WORD_RE = re.compile(r"[A-Za-zµμΩ]+")

_WINDOW = 160  # every suffix token is far shorter; searching only the tail bounds the cost

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_DENOMS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
    "tenth": 10, "tenths": 10, "eleventh": 11, "elevenths": 11, "twelfth": 12,
    "twelfths": 12, "hundredth": 100, "hundredths": 100, "thousandth": 1000,
    "thousandths": 1000, "millionth": 10**6, "millionths": 10**6,
}  # fmt: skip
# scale words accepted after a digit number ("5 million")
_DIGIT_SCALES = {
    "hundred": 100,
    "dozen": 12,
    "lakh": 10**5,
    "lakhs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
}
_DIGIT_SCALES.update(_SCALES)
_NUMBER_VOCAB = frozenset(
    [
        *_ONES,
        *_TENS,
        *_SCALES,
        *_DENOMS,
        *_DIGIT_SCALES,
        "hundred",
        "and",
        "a",
        "an",
        "point",
        "minus",
        "negative",
    ]
)
_ONE_LETTER_UNITS = frozenset("mgshLVWJNACFTΩ")
_STOP_WORDS = frozenset(
    """or and nor to of the is are was were be it not no more less than plus minus times
    over divided by per approximately approx about around roughly nearly almost exactly only
    at least most pi sqrt root squared cubed inf infinity nan ln log lg sin cos tan cot sec csc
    exp mod factorial choose if then else but so as with from for each bn mn mln mil ish""".split()
)
# a unit glued to the digits ("5cm") must be a known one: "2ab", "3xy", "0xff" are not numbers
_ATTACHED_UNITS = frozenset(
    """m cm mm km nm um µm μm dm g kg mg lb lbs oz t s sec secs ms min mins h hr hrs d day days
    wk yr yrs l ml dl cl ft in yd mi mph kph kmh v mv kv w kw mw j kj cal kcal n kn a ma c f hz khz mhz
    ghz pa kpa atm bar mol st nd rd th usd eur gbp jpy inr cny chf aud cad kb mb gb tb px pt ω""".split()
)


def _classify_unit(u: str, attached: bool) -> str | None:
    """'number' (leave for the core), 'unit' (ignore), or None (not a number at all)."""
    words = _UNIT_WORD_RE.findall(u)
    if len(words) == 1 and words[0].lower() in _NUMBER_VOCAB:
        return "number"
    for w in words:
        lw = w.lower()
        if lw in _STOP_WORDS or lw in _NUMBER_VOCAB or (attached and lw not in _ATTACHED_UNITS):
            return None
        if len(w) == 1 and w not in _ONE_LETTER_UNITS:
            return None
    return "unit"


def _peel_suffix(s: str) -> tuple[str, bool, bool, int, str] | None:
    """Strip trailing percent / degree / currency / unit / scale tokens.

    Returns (core, percent, currency_symbol, multiplier, unit words) or None when a trailing
    token makes the text not a number.
    """
    rank = 9  # tokens, read right to left, must have non-increasing rank
    ranked2 = 0
    units = 0
    unit_words: list[str] = []
    percent = currency = False
    mult = 1
    for _ in range(10):
        s = s.rstrip()
        if not s:
            return None
        pos = len(s) - _WINDOW if len(s) > _WINDOW else 0
        m = _TEXTGROUP_END_RE.search(s, pos)
        if m is not None:
            p = (m.group("p") or "").strip()
            s = s[: m.start()] + " " + m.group("b").strip() + p
            continue
        m = _PCT_END_RE.search(s, pos)
        if m is not None:
            percent = True
            r = 2
        else:
            m = _DEG_END_RE.search(s, pos)
            if m is not None:
                r = 2
            else:
                m = _CUR_END_RE.search(s, pos)
                if m is not None:
                    currency = True
                    r = 2
        if m is None:
            m = _UNIT_END_RE.search(s, pos)
            if m is None:
                break
            u = m.group("u")
            rest = s[: m.start()].rstrip()
            lw = u.lower()
            if (
                lw in _DIGIT_SCALES
                and rest
                and (rest[-1].isdigit() or rest[-1] == "}" or rest[-1] in _VULGAR)
            ):
                if mult != 1:
                    return None
                mult = _DIGIT_SCALES[lw]
                r = 1
            else:
                kind = _classify_unit(u, m.start() > 0 and not s[m.start() - 1].isspace())
                if kind is None:
                    return None
                if kind == "number":
                    break
                units += 1
                unit_words.insert(0, u)
                if units > 2:
                    return None
                r = 3
        if r > rank:
            return None
        if r == 2:
            ranked2 += 1
            if ranked2 > 1:
                return None
        rank = r
        s = s[: m.start()]
    else:
        return None
    return s.strip(), percent, currency, mult, " ".join(unit_words)


# --------------------------------------------------------------------------- core formats

_DEC_RE = re.compile(
    r"(?:(?P<i>\d+)|(?P<g>[1-9]\d{0,2}(?P<sep>[,' _])\d{3}(?:(?P=sep)\d{3})*)"
    r"|(?P<h>[1-9]\d?(?:,\d\d)+,\d{3}))(?:\.(?P<f>\d*))?|\.(?P<f2>\d+)",
    re.ASCII,
)
_SIGNED_RE = re.compile(r"([+-]?)\s*(.*)", re.DOTALL)
_DROP_SEPARATORS = str.maketrans("", "", ",' _")
_SCI_E_RE = re.compile(r"(?P<m>\d+(?:\.\d*)?|\.\d+)[eE](?P<e>[+-]?\d+)", re.ASCII)
_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUB = "₀₁₂₃₄₅₆₇₈₉"
_SUP_TO_ASCII = str.maketrans(_SUP + "⁺⁻", "0123456789+-")
_SUB_TO_ASCII = str.maketrans(_SUB, "0123456789")
_SCI_10_RE = re.compile(
    r"(?:(?P<m>\d+(?:\.\d*)?|\.\d+)\s*(?:\\times|\\cdot|\\ast|[xX×·*])\s*)?10"
    r"(?:\s*\^\s*(?:\{\s*(?P<e1>[+-]?\s*\d+)\s*\}|(?P<e2>[+-]?\d+))|\s*\*\*\s*(?P<e3>[+-]?\d+)"
    rf"|(?P<e4>[⁺⁻]?[{_SUP}]+))",
    re.ASCII,
)
_MIXED_SLASH_RE = re.compile(r"(?P<w>\d+)\s+(?P<n>\d+)\s*/\s*(?P<d>\d+)", re.ASCII)
_SUPSUB_FRAC_RE = re.compile(rf"(?:(?P<w>\d+)\s*)?(?P<n>[{_SUP}]+)/(?P<d>[{_SUB}]+)", re.ASCII)
_FRAC_RE = re.compile(
    r"(?:(?P<w>\d+)\s*)?\\[dtc]?frac\s*(?:\{(?P<a>[^{}]*)\}|(?P<a1>\d))\s*(?:\{(?P<b>[^{}]*)\}|(?P<b1>\d))",
    re.ASCII,
)
_VULGAR = {
    "½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅖": (2, 5),
    "⅗": (3, 5), "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅐": (1, 7), "⅛": (1, 8), "⅜": (3, 8),
    "⅝": (5, 8), "⅞": (7, 8), "⅑": (1, 9), "⅒": (1, 10),
}  # fmt: skip
_VULGAR_RE = re.compile(rf"(?:(?P<w>\d+)\s*)?(?P<v>[{''.join(_VULGAR)}])", re.ASCII)
_WORDS_RE = re.compile(r"[A-Za-z]+(?:[ ,-]+[A-Za-z]+)*")
_WORD_SPLIT_RE = re.compile(r"[ ,-]+")


def _parse_dec(t: str, allow_space: bool) -> Fraction | None:
    m = _DEC_RE.fullmatch(t)
    if m is None:
        return None
    f2 = m.group("f2")
    if f2 is not None:
        ip, fp = "0", f2
    else:
        ip = m.group("i")
        if ip is None:
            if not allow_space and m.group("sep") == " ":
                return None
            ip = (m.group("g") or m.group("h")).translate(_DROP_SEPARATORS)
        fp = m.group("f") or ""
    if fp:
        return Fraction(int(ip + fp), 10 ** len(fp))
    return Fraction(int(ip))


def _parse_signed(t: str, allow_space: bool) -> Fraction | None:
    sign, rest = _SIGNED_RE.fullmatch(t.strip()).groups()  # type: ignore[union-attr]
    v = _parse_dec(rest, allow_space)
    if v is not None and sign == "-":
        v = -v
    return v


def _exponent(e: str) -> int | None:
    e = e.replace(" ", "")
    digits = e.lstrip("+-").lstrip("0")
    if len(digits) > 5:
        return None
    k = int(e)
    return k if abs(k) <= MAX_EXPONENT else None


def _pow10(k: int) -> Fraction:
    return Fraction(10**k) if k >= 0 else Fraction(1, 10 ** (-k))


def _proper(n: int, d: int) -> bool:
    return 0 < n < d


def _parse_core(c: str) -> Fraction | None:
    v = _parse_dec(c, True)
    if v is not None:
        return v
    m = _SCI_E_RE.fullmatch(c)
    if m is not None:
        k = _exponent(m.group("e"))
        mant = _parse_dec(m.group("m"), False)
        return None if k is None or mant is None else mant * _pow10(k)
    if "10" in c:
        m = _SCI_10_RE.fullmatch(c)
        if m is not None:
            e = (
                m.group("e1")
                or m.group("e2")
                or m.group("e3")
                or m.group("e4").translate(_SUP_TO_ASCII)
            )
            k = _exponent(e)
            mant = _parse_dec(m.group("m"), False) if m.group("m") else Fraction(1)
            return None if k is None or mant is None else mant * _pow10(k)
    if "/" in c:
        if c.count("/") != 1:
            return None
        m = _MIXED_SLASH_RE.fullmatch(c)
        if m is not None:
            n, d = int(m.group("n")), int(m.group("d"))
            return Fraction(int(m.group("w"))) + Fraction(n, d) if _proper(n, d) else None
        m = _SUPSUB_FRAC_RE.fullmatch(c)
        if m is not None:
            n, d = (
                int(m.group("n").translate(_SUP_TO_ASCII)),
                int(m.group("d").translate(_SUB_TO_ASCII)),
            )
            if m.group("w") is None:
                return Fraction(n, d) if d else None
            return Fraction(int(m.group("w"))) + Fraction(n, d) if _proper(n, d) else None
        a, _, b = c.partition("/")
        na, nb = _parse_dec(a.strip(), False), _parse_dec(b.strip(), False)
        if na is None or not nb:
            return None
        return na / nb
    if "frac" in c:
        m = _FRAC_RE.fullmatch(c)
        if m is None:
            return None
        a = m.group("a") if m.group("a") is not None else m.group("a1")
        b = m.group("b") if m.group("b") is not None else m.group("b1")
        if m.group("w") is not None:
            if not (
                a.strip().isdigit()
                and b.strip().isdigit()
                and a.strip().isascii()
                and b.strip().isascii()
            ):
                return None
            n, d = int(a), int(b)
            return Fraction(int(m.group("w"))) + Fraction(n, d) if _proper(n, d) else None
        na, nb = _parse_signed(a, True), _parse_signed(b, True)
        if na is None or not nb:
            return None
        return na / nb
    m = _VULGAR_RE.fullmatch(c)
    if m is not None:
        n, d = _VULGAR[m.group("v")]
        w = m.group("w")
        return Fraction(n, d) + (int(w) if w is not None else 0)
    if _WORDS_RE.fullmatch(c):
        return _parse_words(c)
    return None


# --------------------------------------------------------------------------- written numbers


def _w_1_99(t: list[str]) -> int | None:
    if len(t) == 1:
        w = t[0]
        if w in _TENS:
            return _TENS[w]
        v = _ONES.get(w)
        return v if v else None  # "zero" only stands alone
    if len(t) == 2 and t[0] in _TENS and _ONES.get(t[1], 0) and _ONES[t[1]] <= 9:
        return _TENS[t[0]] + _ONES[t[1]]
    return None


def _w_group(t: list[str]) -> int | None:
    """1..9999: [1-99 | a] hundred [and] [1-99] | 1-99."""
    if "hundred" in t:
        i = t.index("hundred")
        left, right = t[:i], t[i + 1 :]
        lv = 1 if left in (["a"], ["an"]) else _w_1_99(left)
        if lv is None:
            return None
        if right and right[0] == "and":
            right = right[1:]
            if not right:
                return None
        rv = _w_1_99(right) if right else 0
        return None if rv is None else lv * 100 + rv
    return _w_1_99(t)


def _w_cardinal(t: list[str]) -> int | None:
    if t == ["zero"]:
        return 0
    total = 0
    last_scale = 0
    chunk: list[str] = []
    for w in t:
        scale = _SCALES.get(w)
        if scale is None:
            chunk.append(w)
            continue
        if last_scale and scale >= last_scale:
            return None
        if not last_scale and chunk in (["a"], ["an"]):
            v: int | None = 1
        else:
            if last_scale and chunk[:1] == ["and"]:
                return None
            v = _w_group(chunk)
        if v is None:
            return None
        total += v * scale
        last_scale = scale
        chunk = []
    if chunk:
        if last_scale and chunk[0] == "and":
            chunk = chunk[1:]
        v = _w_group(chunk)
        if v is None or (last_scale and v >= last_scale):
            return None
        total += v
    elif not last_scale:
        return None
    return total


def _parse_words(c: str) -> Fraction | None:
    t = _WORD_SPLIT_RE.split(c.lower())
    if len(t) > 40:
        return None
    if "point" in t:
        i = t.index("point")
        whole = _w_cardinal(t[:i]) if i else 0
        digits = t[i + 1 :]
        if whole is None or not digits or any(_ONES.get(d, 10) > 9 for d in digits):
            return None
        frac = "".join(str(_ONES[d]) for d in digits)
        return whole + Fraction(int(frac), 10 ** len(frac))
    last = t[-1]
    if last in _DENOMS:
        d = _DENOMS[last]
        if "and" in t:
            j = len(t) - 1 - t[::-1].index("and")
            whole_t, num_t = t[:j], t[j + 1 : -1]
            if not whole_t or whole_t[-1] in _SCALES or whole_t[-1] == "hundred":
                return None  # "one hundred and five eighths" is ambiguous
            whole = _w_cardinal(whole_t)
            n = 1 if num_t in (["a"], ["an"]) else _w_cardinal(num_t)
            if whole is None or not n or n >= d:
                return None
            return whole + Fraction(n, d)
        num_t = t[:-1]
        if not num_t:
            return Fraction(1, 2) if last == "half" else None
        n = 1 if num_t in (["a"], ["an"]) else _w_cardinal(num_t)
        return Fraction(n, d) if n else None
    if last == "dozen":
        num_t = t[:-1]
        n = 1 if num_t in (["a"], ["an"]) else (_w_cardinal(num_t) if num_t else None)
        return Fraction(12 * n) if n else None
    v = _w_cardinal(t)
    return None if v is None else Fraction(v)


# --------------------------------------------------------------------------- slow path


def _parse_slow(text: str) -> ParsedNumber | None:
    s = _unwrap(_normalise(text))
    if not s:
        return None
    m = _PREFIX_RE.match(s)
    s1, cur, s2 = m.group("s1"), m.group("cur"), m.group("s2")  # type: ignore[union-attr]
    if s1 and s2:
        return None
    sign = s1 or s2
    body = s[m.end() :]  # type: ignore[union-attr]
    peeled = _peel_suffix(body)
    if peeled is None:
        return None
    core, percent, cur_suffix, mult, unit = peeled
    if cur and (percent or cur_suffix):
        return None
    if core[:1] in ("{", "\\", "$"):
        core = _unwrap(core, period=True)
    if not core:
        return None
    value = _parse_core(core)
    if value is None:
        return None
    if mult != 1:
        value *= mult
    if sign and sign[0] in "-mMnN":
        value = -value
    return ParsedNumber(value, percent, s, unit)


# --------------------------------------------------------------------------- comparison

_FRACTION_CACHE: dict[float, Fraction] = {}


def _tol(x: float) -> Fraction:
    f = _FRACTION_CACHE.get(x)
    if f is None:
        f = Fraction(x)
        if len(_FRACTION_CACHE) < 256:
            _FRACTION_CACHE[x] = f
    return f


def _exact(x: object) -> Fraction | float:
    """An exact Fraction, or a float that is inf or nan."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(x) if math.isfinite(x) else x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, Decimal):
        return Fraction(x) if x.is_finite() else (math.nan if x.is_nan() else float(x))
    if isinstance(x, Integral):
        return Fraction(int(x))
    if isinstance(x, Rational):
        return Fraction(x.numerator, x.denominator)
    f = float(x)  # type: ignore[arg-type]  # numpy scalars and other real numbers
    return Fraction(f) if math.isfinite(f) else f


def numbers_close(
    a: Fraction | float, b: Fraction | float, *, abs_tol: float = 0.0, rel_tol: float = 1e-9
) -> bool:
    """``|a - b| <= max(abs_tol, rel_tol * max(|a|, |b|))``, computed exactly.

    Like `math.isclose`, but without float rounding or overflow: Fractions of
    any size compare correctly, and floats are taken at their exact value.
    NaN is close to nothing; an infinity only to the same infinity.
    """
    if not (abs_tol >= 0 and rel_tol >= 0):
        raise ValueError("tolerances must be non-negative")
    x, y = _exact(a), _exact(b)
    if x == y:
        return True
    if isinstance(x, float) or isinstance(y, float):
        return False  # nan, or an infinity against anything else
    # Fast reject in floats (exact Fraction arithmetic costs ~10 us): float() is within
    # 2**-52 relative of the exact value, so a gap clearly wider than the tolerance
    # (margin 4e-16 of the magnitude plus 1%) is a gap in exact arithmetic too.
    try:
        fx, fy = float(x), float(y)
    except OverflowError:
        fx = fy = math.inf
    if math.isfinite(fx) and math.isfinite(fy):
        big = max(abs(fx), abs(fy))
        if abs(fx - fy) > 1.01 * max(abs_tol, rel_tol * big) + 4e-16 * big + 1e-300:
            return False
    diff = abs(x - y)  # type: ignore[operator]
    if abs_tol and diff <= _tol(abs_tol):
        return True
    return bool(rel_tol) and diff <= _tol(rel_tol) * max(abs(x), abs(y))  # type: ignore[operator]


def relative_error(a: Fraction | float, b: Fraction | float) -> float:
    """``|a - b| / max(|a|, |b|)``: 0 when equal, at most 2 for finite values.

    The denominator is the larger magnitude (the same convention as
    `numbers_close`'s ``rel_tol``), so the result is symmetric and finite even
    when one side is 0. NaN inputs and unequal infinities give ``inf``.
    """
    x, y = _exact(a), _exact(b)
    if x == y:
        return 0.0
    if isinstance(x, float) or isinstance(y, float):
        return math.inf
    return float(abs(x - y) / max(abs(x), abs(y)))  # type: ignore[operator]


def candidate_values(p: ParsedNumber, percent: str = "either") -> tuple[Fraction, ...]:
    """The values `p` may stand for under a percent convention.

    ``either``: a percent number is its written value or a hundredth of it
    (``50%`` -> (50, 1/2)); ``value``: a hundredth (``50%`` -> (1/2,));
    ``strip``: the written value (``50%`` -> (50,)). Numbers without a
    percent sign always give ``(value,)``.
    """
    if percent not in PERCENT_CONVENTIONS:
        raise ValueError(f"percent must be one of {PERCENT_CONVENTIONS}, not {percent!r}")
    v = p.value
    if not p.percent or percent == "strip":
        return (v,)
    if percent == "value":
        return (v / 100,)
    return (v,) if v == 0 else (v, v / 100)


# --------------------------------------------------------------------------- quantities

_NUMBER_THEN_WORDS_RE = re.compile(r"(\S{0,80}?\d%?)\s+([A-Za-z][A-Za-z' ]{0,200}?)[.!]?")


def parse_quantity(text: str) -> ParsedNumber | None:
    """`parse_number`, or else a number followed only by plain words (`42 apples in total`,
    `1,250 people were there`): the number, with no unit. A word that hedges, negates, scales,
    operates or is math (`42 or more`, `5 hundred apples`, `2 pi`) leaves it not a number; the
    word rule is the math kind's (graders.mathparse.parse.plain_words)."""
    p = parse_number(text)
    if p is not None:
        if p.unit and _changes_answer(p.unit):
            return None  # `1 maybe`, `5 cm perhaps`: parse_number's own word list is narrower
        return p
    if not isinstance(text, str) or len(text) > MAX_INPUT_CHARS:
        return None
    t = text.strip()
    if not t[-2:].isascii() or not t.rstrip(".!")[-1:].isalpha():
        return None  # only text ending in letters can be a number followed by words
    m = _NUMBER_THEN_WORDS_RE.fullmatch(t)
    if m is None:
        return None
    p = parse_number(m.group(1))
    if p is None or p.unit:
        return None
    # only on this fallback: importing the math parser costs ~0.3 s once per process
    from graders.mathparse.parse import plain_words

    return p if plain_words(m.group(2).replace("'", " ").split()) else None


_CHANGES_CACHE: dict[str, bool] = {}


def _changes_answer(unit: str) -> bool:
    """The math kind's word rule (graders.mathparse.parse.changes_answer) on unit words; cached."""
    got = _CHANGES_CACHE.get(unit)
    if got is None:
        from graders.mathparse.parse import changes_answer

        got = changes_answer(_UNIT_WORD_RE.findall(unit))
        if len(_CHANGES_CACHE) < 4096:
            _CHANGES_CACHE[unit] = got
    return got


_UNIT_CACHE: dict[str, object] = {}


def _physical(unit: str) -> object:
    """The physical unit (graders.mathparse.units.Unit) or None; cached (units are few)."""
    got = _UNIT_CACHE.get(unit, _UNIT_CACHE)
    if got is _UNIT_CACHE:
        from graders.mathparse.units import parse_unit

        got = parse_unit(unit)
        if len(_UNIT_CACHE) < 1024:
            _UNIT_CACHE[unit] = got
    return got


def unit_factor(answer: ParsedNumber, reference: ParsedNumber) -> Fraction | None:
    """What to multiply the answer's value by to compare it with the reference's, or None
    when the two cannot be the same quantity.

    The math kind's rules (graders.mathparse.units holds the one unit table): a side with no
    unit compares the numbers as written (`5 m/s` vs `5`, and `5` vs `5 m`: a dataset's bare
    reference is in the unit the question asked for); the same unit words need no conversion;
    two physical units of one dimension convert (`1200 cm` vs `12 m`: factor 1/100); different
    dimensions (`5 kg` vs `5 m`), or words that are not the same and not both physical units
    (`5 apples` vs `5 m`, `5 V` vs `5 mV`), never match.
    """
    ua, ur = answer.unit, reference.unit
    if not ua or not ur:
        return Fraction(1)
    if ua == ur or ua.split() == ur.split():  # case matters: `mA` is not `MA`
        return Fraction(1)
    pa, pr = _physical(ua), _physical(ur)
    if pa is None or pr is None or pa.dims != pr.dims:  # type: ignore[attr-defined]
        return None
    return pa.factor / pr.factor  # type: ignore[attr-defined]
