"""A number followed by a unit or words, read as the number against a bare-number reference.

Issue 8, item 4: "a number followed by a unit or words compares as the number when
the reference is a bare number". The unit table (graders.mathparse.units) and the
lexer's list of counting nouns cover the common English units; answers also carry
units and words that no table lists: `2 kPa`, `7 newtons`, `21 个`, `21\\text{ 个}`,
`3 本书`, `12 Äpfel`. A dataset's bare reference is in the unit the question asked
for, so the number is what is compared (as for a known unit against a bare value).

`worded_number(text)` gives the number of such a text, or None. It is deliberately
narrow, since a word after a number can change the value:

- the tail is 1-4 words of at least two letters each (a single letter is algebra:
  `5 m` may be 5m; inside `\\text{}` it is a unit and the lexer already reads it),
  a run of CJK characters, or one `\\text{...}` / `\\mathrm{...}` holding such words;
- no digit, operator or bracket in the tail (`2 and 3`, `2 or more`, `2 x + 1`);
- no word that changes the value or makes it a bound or an expression: multipliers
  (`million`, `dozen`, `thousand`, 万, 千, 百, 倍, 成), fractions (`thirds`,
  `halves`, `tenths`), math names (`pi`, `sqrt`, `log`, `squared`, `factorial`),
  bounds and connectives (`or`, `more`, `less`, `least`, `about`, 左右, 以上, 多);
- CJK tails never start with a multiplier or a bound.
"""

from __future__ import annotations

import re

from .lexer import MAX_LETTER_PRODUCT
from .parse import _SHORT_PROSE, changes_answer

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_WORD = r"[^\W\d_]{2,}(?:/[^\W\d_]{1,6})?"
_WORDED = re.compile(
    r"[ \t]*(?P<n>[-+\u2212]?(?:\\?\$[ \t]*)?\d{1,15}(?:,\d{3})*(?:\.\d{1,15})?)"
    r"(?:(?:[ \t]|\\[,;: ]|~)*(?P<c>[" + _CJK + r"]{1,8})"
    r"|(?:[ \t]|\\[,;: ]|~)+(?P<w>" + _WORD + r"(?:[ \t]+" + _WORD + r"){0,3})"
    r"|(?:[ \t]|\\[,;: ]|~)*\\(?:text|mathrm|textrm|mbox|rm)[ \t]*\{[ \t]*(?P<t>[^{}\\\d]{1,40})\})"
    r"[ \t]*[.。]?[ \t]*"
)
_BLOCKED_WORDS = frozenset(
    """
    thousand thousands million millions billion billions trillion trillions hundred hundreds dozen dozens
    score lakh lakhs crore crores percent percentage pct per cent times
    half halves third thirds quarter quarters fourth fourths fifth fifths
    pi sqrt root roots sin cos tan cot sec csc log ln exp mod modulo squared cubed factorial power powers
    or and nor to plus minus over under than more less fewer least most about around approximately approx
    roughly nearly almost exactly only not but if else with without by divided each
    tens ones repeating recurring inverse reciprocal base digit digits mil gross myriad
    """.split()
)
# `kPa`, `Pa`, `mL`, `kWh`, `MHz`, `eV`, `dB`: an SI symbol with its prefix (a capital inside)
_UNIT_SYMBOL = re.compile(r"[a-zμ]?[A-Z][a-z]{0,2}|[a-z][A-Z]|[kMGT]?(?:Hz|Wh|B)|[smhd]")
_SHORT_WORDS = _SHORT_PROSE | frozenset(
    "mph kph rpm bpm psi atm mol kcal cal lux rad sr cd ohm gal qt pt oz lb lbs mi yd ft km cm mm kg mg ml hrs min sec"
    " yrs mos wks pcs pts".split()
)
_FRACTION_WORD = re.compile(  # sixths, tenths, hundredths: a fraction, not a unit
    r"(?:fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|[a-z]*teenth|[a-z]*ieth"
    r"|hundredth|thousandth|millionth)s?\Z"
)
_CJK_BLOCKED_START = tuple("万萬亿億千百十倍成折")
_CJK_BLOCKED = ("分之", "左右", "以上", "以下", "以内", "以內", "多", "余", "餘", "次方", "平方", "立方", "约", "約")


def _words_ok(words: str) -> bool:
    if not words.isascii():  # other alphabets: graders.mathparse.parse's rule (`42 рубля`, not `42 тысячи`)
        return False
    split = [w for w in re.split(r"[ \t/]+", words.lower()) if w]
    if changes_answer(split):  # the parser's own list: `maybe`, `not`, `hundred`, `times`, `pi`, ...
        return False
    if any(word in _BLOCKED_WORDS or _FRACTION_WORD.match(word) for word in split):
        return False
    # a short lowercase word may be a product of letters (`2 xy`, `3 ab`): only unit symbols pass
    return all(len(w) > MAX_LETTER_PRODUCT or w.lower() in _SHORT_WORDS or _UNIT_SYMBOL.fullmatch(w)
               for w in re.split(r"[ \t/]+", words) if w)


def _cjk_ok(run: str) -> bool:
    return not run.startswith(_CJK_BLOCKED_START) and not any(b in run for b in _CJK_BLOCKED)


def worded_number(text: str) -> str | None:
    """The number of `<number> <unit or words>` (see the module doc), else None."""
    if len(text) > 80:
        return None
    m = _WORDED.fullmatch(text)
    if m is None:
        return None
    if m["w"] is not None:
        ok = _words_ok(m["w"])
    elif m["c"] is not None:
        ok = _cjk_ok(m["c"])
    else:
        inner = m["t"].strip()
        cjk = re.fullmatch(r"[" + _CJK + r"]{1,8}", inner)
        ok = bool(inner) and (
            _cjk_ok(inner) if cjk else re.fullmatch(_WORD + r"(?:[ \t]+" + _WORD + r"){0,3}", inner) is not None
            and _words_ok(inner)
        )
    if not ok:
        return None
    number = m["n"].replace("\u2212", "-")
    return number.replace("\\$", "").replace("$", "").replace(" ", "").replace("\t", "")
