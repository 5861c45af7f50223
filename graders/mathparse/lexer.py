"""Text normalisation and tokenisation for LaTeX and plain-text math answers.

`normalize(text)` turns an answer or a reference, however it was given (raw,
in `$...$`, `\\(...\\)`, `\\[...\\]`, or `\\boxed{...}`), into one canonical string:

1. Unicode: vulgar fractions (`2½` is 2\\frac{1}{2}), superscript and subscript
   digits become `\\frac`, `^{..}` / `_{..}` *before* NFKC (so `4²` stays 4^2
   and never becomes 42); NFKC folds full-width characters; math symbols
   (− × ÷ · √ π ∞ ≤ ≥ ≠ ± ∪ ∈ °) become their LaTeX commands; any other
   non-ASCII character outside `\\text{}` makes the text unparseable.
2. Wrappers: a `\\boxed{}`/`\\fbox{}` around the whole text, then `$$..$$`, `$..$`,
   `\\(..\\)`, `\\[..\\]`, `**..**`; a trailing `.`, `,` or `;`.
3. Decorations that never change a value: `\\$` and currency words, `\\displaystyle`,
   unit words after a number (`12 \\text{ cm}^2`, `5 hours`), `percent` -> `\\%`.

`tokenize(s)` produces tokens for the parser. Letters are single-letter
symbols unless a run spells a known function (`sin`, `ln`, `sqrt`, ...), `pi`,
`infinity`, `or` or `and`. Prose is not algebra: a glued run with more than
three single letters once function words are split off (`Answer`, `apples`,
`total`), or a short prose word (`is`, `the`, `so`), is a word (`text` token),
never a product of letters; a letter preceded by whitespace is marked, and
the parser refuses `x y` (two letters separated only by a space) as a product. Numbers are exact (`Fraction`); a decimal remembers
how many significant digits and decimal places it was written with (used by
the decimal-approximation rule); `0.\\overline{3}` is the exact 1/3. A comma
between digit groups (`1,000`) is a thousands separator only outside brackets;
`1{,}000`, `1\\,000` and `1\\ 000` are thousands separators anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

from .expr import DecInfo
from .limits import LIMITS, ParseError, TooLarge
from .qualifier import strip_qualifier

# --------------------------------------------------------------------------- unicode

_SUP = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
        "⁹": "9", "⁻": "-", "⁺": "+", "ⁿ": "n", "ˣ": "x"}
_SUB = {"₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8",
        "₉": "9"}
_SYMBOLS = {
    "−": "-", "–": "-", "‐": "-", "‑": "-", "﹣": "-", "－": "-",
    "×": r"\times ", "✕": r"\times ", "÷": r"\div ", "·": r"\cdot ", "⋅": r"\cdot ", "∙": r"\cdot ",
    "∗": "*", "√": r"\sqrt ", "π": r"\pi ", "∞": r"\infty ", "≤": r"\le ", "≥": r"\ge ",
    "≠": r"\ne ", "±": r"\pm ", "∓": r"\mp ", "∪": r"\cup ", "∩": r"\cap ", "∈": r"\in ",
    "°": r"^\circ ", "∅": r"\emptyset ", "ℝ": r"\mathbb{R}", "⁄": "/", "∕": "/", "⟨": r"\langle ",
    "⟩": r"\rangle ", "≈": r"\approx ", "θ": r"\theta ", "α": r"\alpha ", "β": r"\beta ",
    "γ": r"\gamma ", "λ": r"\lambda ", "μ": r"\mu ", "φ": r"\phi ", "ω": r"\omega ",
    "σ": r"\sigma ", "Δ": r"\Delta ", "δ": r"\delta ", "ε": r"\epsilon ", "ρ": r"\rho ",
    "τ": r"\tau ", "ψ": r"\psi ", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    "’": "'", "“": '"', "”": '"', "⩽": r"\le ", "⩾": r"\ge ", "≦": r"\le ", "≧": r"\ge ",
}
_SCRIPT_RE = re.compile("[" + "".join(_SUP) + "]+|[" + "".join(_SUB) + "]+")


def _scripts(m: re.Match[str]) -> str:
    t = m.group(0)
    if t[0] in _SUP:
        return "^{" + "".join(_SUP[c] for c in t) + "}"
    return "_{" + "".join(_SUB[c] for c in t) + "}"


_VULGAR = {"½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅖": (2, 5),
           "⅗": (3, 5), "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅐": (1, 7), "⅛": (1, 8), "⅜": (3, 8),
           "⅝": (5, 8), "⅞": (7, 8), "⅑": (1, 9), "⅒": (1, 10)}
_VULGAR_RE = re.compile("[" + "".join(_VULGAR) + "]")
# Enclosed and parenthesised numbers and letters (①, ⑷, ⒈, ❹, ㉑, 🄁): labels, never digits
_ENCLOSED_RE = re.compile("[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf\U0001f100-\U0001f10c]")
_SCRIPT_FRAC_RE = re.compile("([⁰¹²³⁴⁵⁶⁷⁸⁹]+)[⁄/]([₀₁₂₃₄₅₆₇₈₉]+)")


def _unicode(s: str) -> str:
    if s.isascii():
        return s
    # Before NFKC, which would turn `2½` into `21⁄2`.
    s = _VULGAR_RE.sub(lambda m: "\\frac{{{}}}{{{}}}".format(*_VULGAR[m.group(0)]), s)
    s = _SCRIPT_FRAC_RE.sub(
        lambda m: "\\frac{{{}}}{{{}}}".format(
            "".join(_SUP[c] for c in m.group(1)), "".join(_SUB[c] for c in m.group(2))
        ),
        s,
    )
    s = _SCRIPT_RE.sub(_scripts, s)
    if _ENCLOSED_RE.search(s):  # `④②` is two labels, not 42: NFKC would make them digits
        s = "".join(c if _ENCLOSED_RE.match(c) else unicodedata.normalize("NFKC", c) for c in s)
    else:
        s = unicodedata.normalize("NFKC", s)
    if not s.isascii():
        s = "".join(_SYMBOLS.get(c, c) for c in s)
    return s


# --------------------------------------------------------------------------- wrappers


def matching_brace(s: str, i: int) -> int:
    """Index of the `}` closing the `{` at s[i] (escaped braces skipped), or -1."""
    depth = 0
    n = len(s)
    j = i
    while j < n:
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


_BOX_RE = re.compile(r"\\(?:boxed|fbox|beginboxed|box)\s*\{")  # `\beginboxed{}`: a garbled box, seen in suites


def _whole_boxed(s: str) -> str | None:
    """The content of a box that wraps the whole text (`\\boxed{42}`), else None.

    Only a wrapper is removed here: finding the final answer in a longer text
    (which box, which statement) is the extraction layer's job (graders.extract)."""
    m = _BOX_RE.match(s)
    if m is None:
        return None
    start = m.end() - 1
    end = matching_brace(s, start)
    if end != len(s) - 1:
        return None
    return s[start + 1 : end]


_UNIT_WORDS = (
    "units?|square units?|sq units?|cubic units?|cm|mm|km|meters?|metres?|centimeters?|centimetres?|"
    "millimeters?|kilometers?|inch(?:es)?|ft|feet|foot|yards?|yd|miles?|mph|km/h|kg|grams?|"
    "kilograms?|lbs?|pounds?|ounces?|oz|liters?|litres?|ml|mL|gallons?|seconds?|secs?|minutes?|"
    "mins?|hours?|hrs?|days?|weeks?|months?|years?|dollars?|cents?|euros?|degrees?|radians?|"
    "people|persons?|students?|cookies|apples|marbles|books|boxes|items|ways|outcomes|points|"
    "sq\\.? ?(?:ft|m|cm|in|units)|square (?:feet|meters|metres|inches|centimeters|cm|m|units|miles)|"
    "cubic (?:feet|meters|metres|inches|centimeters|cm|units)"
)
# Single letters are units only inside \text{}: a bare `5 h` may be the expression 5h.
_TEXT_UNIT_WORDS = _UNIT_WORDS + "|m|g|s|h|L|in|mi"
# A unit after a number/closing bracket: `12 cm`, `12\text{ cm}^2`, `5\mbox{ hours}`.
_TRAIL_UNIT_RE = re.compile(
    r"(?<=[0-9}).)(?:\s|\\[,;:! ]|~)*"
    r"(?:\\(?:text|mathrm|mbox|textrm|rm)\s*\{\s*(?:" + _TEXT_UNIT_WORDS + r")\s*\}"
    r"|(?<![A-Za-z\\])(?:" + _UNIT_WORDS + r")(?![A-Za-z]))"
    r"(?:\s*\^\s*(?:\{\s*[23]\s*\}|[23]))?\s*$"
)
_ANSWER_IS_RE = re.compile(
    r"^(?:\\(?:text|textbf|mathrm|mbox)\s*\{\s*)?(?:the\s+)?(?:final\s+)?answer\s*(?:is\b|:|(?=\$|\d))\s*\}?\s*:?\s*", re.I
)
_PERCENT_WORD_RE = re.compile(r"(?<![A-Za-z_])\s*(?:percent(?:age)?|per cent|pct)\s*$", re.I)
_CURRENCY_RE = re.compile(r"\\\$|\$|\b(?:USD|US\$|dollars?)\b")


_ANGLE_RE = re.compile(r"(?:(?<![A-Za-z\\])m\s*)?\\(?:measured)?angle\s*\{?\s*([A-Za-z]{1,4})\s*\}?")


_DOUBLED_CMD_RE = re.compile(r"\\\\(?=[A-Za-z])")
_THIN_THOUSANDS_RE = re.compile(r"(?<=\d),(?:\s*\\[!,]\s*)+(?=\d{3}(?!\d))")
_PAREN_UNIT_RE = re.compile(r"(?<=\d)\s*\(\s*([A-Za-z]{2,}(?: [A-Za-z]{2,}){0,3})\s*\)$")
_SPACED_BRACE_COMMA_RE = re.compile(r"(?<=\d)\s*\{\s*,\s*\}\s*(?=\d{3}(?!\d))")
_OVER_RE = re.compile(r"\\over(?![A-Za-z])")
_QUAD_GLUED_RE = re.compile(r"\\(q?quad)(?=[A-Za-z])")


def _over_to_frac(s: str) -> str:
    """`{a \\over b}` -> `\\frac{a}{b}` (TeX's infix fraction; the whole enclosing group)."""
    for _ in range(16):
        m = _OVER_RE.search(s)
        if m is None:
            return s
        depth = 0
        start = -1
        for j in range(m.start() - 1, -1, -1):
            c = s[j]
            if c == "}" and (j == 0 or s[j - 1] != "\\"):
                depth += 1
            elif c == "{" and (j == 0 or s[j - 1] != "\\"):
                if depth == 0:
                    start = j
                    break
                depth -= 1
        if start < 0:
            left, right = s[: m.start()], s[m.end() :]
            return "\\frac{" + left.strip() + "}{" + right.strip() + "}"
        end = matching_brace(s, start)
        if end < 0:
            return s
        left, right = s[start + 1 : m.start()], s[m.end() : end]
        s = s[:start] + "\\frac{" + left.strip() + "}{" + right.strip() + "}" + s[end + 1 :]
    return s


_INT_PARAM_RE = re.compile(
    r"(?:\s*[,;]|\s)\s*(?:\\(?:text|quad|qquad|,|;| )\s*(?:\{\s*(?:for|where|with)?\s*\})?\s*)*\(?\s*"
    r"[a-z](?:\s*,\s*[a-z])?\s*\\in\s*\\mathbb\s*\{?\s*[ZN]\s*\}?\s*\)?\s*$"
)
_GLUED_REL_RE = re.compile(r"\\([lg]e[A-Za-z]+)")
_REL_NAMES = frozenset(("le", "leq", "leqq", "leqslant", "ge", "geq", "geqq", "geqslant"))


def _unglue_rel(m: re.Match[str]) -> str:
    """`\\leqqx` -> `\\leqq x`: a known relation followed by one letter (a name); others unchanged."""
    name = m.group(1)
    if name in _REL_NAMES or name[:-1] not in _REL_NAMES:
        return m.group(0)
    return "\\" + name[:-1] + " " + name[-1]


_LEAD_CONNECTIVE_RE = re.compile(r"\\(?:therefore|because|Rightarrow|implies|Longrightarrow|rightarrow|to)(?![A-Za-z])\s*")
_ALIGN_RE = re.compile(r"\\begin\{(align\*?|aligned|equation\*?|gather\*?|gathered|eqnarray\*?)\}(.*)\\end\{\1\}", re.S)
_LINE_REL_RE = re.compile(r"(?:=|<|>|\\le|\\ge|\\leq|\\geq|\\approx|\\ne)(?![A-Za-z])")


def _align(s: str) -> str:
    """`\\begin{align*} a &= b \\\\ &= c \\end{align*}` -> `a = b = c`: a display environment around
    the whole answer is dropped with its `&`; a line that continues the previous one with a
    relation joins it, other lines are separate items (`x = 1 \\\\ y = 2` -> `x = 1, y = 2`)."""
    m = _ALIGN_RE.fullmatch(s)
    if m is None:
        return s
    lines = [ln.replace("&", " ").strip() for ln in re.split(r"\\\\(?:\[[^\]]*\])?", m.group(2))]
    lines = [ln for ln in lines if ln]
    if not lines:
        return s
    out = lines[0]
    for ln in lines[1:]:
        out += (" " if _LINE_REL_RE.match(ln) else ", ") + ln
    return out


def normalize(text: str) -> str:
    """Canonical form of an answer string (see module docstring). Raises TooLarge."""
    if len(text) > LIMITS.max_length:
        raise TooLarge(f"answer longer than {LIMITS.max_length} characters")
    s = _unicode(text).strip()
    if "\\\\" in s and "\\begin" not in s:  # `-2 \\le x`: a doubled backslash before a command name
        s = _DOUBLED_CMD_RE.sub(r"\\", s)
    if s.endswith("\\") and not s.endswith("\\\\"):  # `185\\`: a stray trailing backslash
        s = s[:-1].rstrip()
    if ",\\!" in s or ",\\," in s:  # `32,\\! 349`: a thousands separator with a (negative) thin space
        s = _THIN_THOUSANDS_RE.sub(",", s)
    if "{" in s and "," in s:  # `14 {, }916`: TeX's braced thousands comma, spaced
        s = _SPACED_BRACE_COMMA_RE.sub("{,}", s)
    if "\\over" in s:
        s = _over_to_frac(s)
    if "quad" in s:
        s = _QUAD_GLUED_RE.sub(lambda m: "\\" + m.group(1) + " ", s)
    if "####" in s:
        s = s.rsplit("####", 1)[1].strip()
    for _ in range(4):
        before = s
        if s.startswith(("\\boxed", "\\fbox", "\\beginboxed", "\\box")):
            inner = _whole_boxed(s)
            if inner is not None:
                s = inner.strip()
        if s.startswith("$$") and s.endswith("$$") and len(s) >= 4:
            s = s[2:-2].strip()
        elif s.startswith("$") and s.endswith("$") and len(s) >= 2 and not s.startswith("\\$"):
            s = s[1:-1].strip()
        if (s.startswith("\\(") and s.endswith("\\)")) or (s.startswith("\\[") and s.endswith("\\]")):
            s = s[2:-2].strip()
        if s.startswith("**") and s.endswith("**") and len(s) >= 4:
            s = s[2:-2].strip()
        if s.startswith('\\"') and s.endswith('\\"') and len(s) >= 4:  # `\"$12$ and $13$\"`: quoted
            s = s[2:-2].strip()
        elif s.startswith('"') and s.endswith('"') and len(s) >= 2 and '"' not in s[1:-1]:
            s = s[1:-1].strip()
        while s and s[-1] in ".;" and not s.endswith("\\;"):
            s = s[:-1].rstrip()
        if s.endswith(",") and not s.endswith("{,}"):
            s = s[:-1].rstrip()
        if s.startswith("\\displaystyle"):
            s = s[len("\\displaystyle") :].strip()
        if s == before:
            break
    if s.startswith("\\begin") and s.endswith("}"):
        s = _align(s)
    s = _ANSWER_IS_RE.sub("", s, count=1) if ("nswer" in s or "ANSWER" in s) else s
    if "mathbb" in s and (m := _INT_PARAM_RE.search(s)) is not None and m.start() > 0:
        s = s[: m.start()].rstrip()  # `\frac{\pi}{3} + 2k\pi, k \in \mathbb{Z}`: the parameter's domain
    if "\\le" in s or "\\ge" in s:  # `1\leqqx\leqq2`: a relation glued to a one-letter name
        s = _GLUED_REL_RE.sub(_unglue_rel, s)
    s = strip_qualifier(s)  # `2^n \text{ for all } n`, `(1,k)\ \forall k\in\mathbb{Z}^+` (graders.mathparse.qualifier)
    if s.startswith("\\") and (m := _LEAD_CONNECTIVE_RE.match(s)) is not None:  # `\therefore x = 3`
        s = s[m.end() :]
    if "angle" in s:  # `\angle ABC = 40^\circ`, `m\angle A`: the angle is a name, like x
        s = _ANGLE_RE.sub(lambda m: "\\theta_{" + m.group(1) + "}", s)
    if s.endswith(("percent", "percentage", "per cent", "pct")):
        s = _PERCENT_WORD_RE.sub(r"\\%", s)
    if "$" in s or "dollar" in s or "USD" in s:
        s = _CURRENCY_RE.sub(" ", s).strip()
    if s.startswith("\\") and s.endswith("}"):  # `\\text{18 cm}`: a value written inside a text wrapper
        m = _WHOLE_TEXT_RE.fullmatch(s)
        if m and m.group(1)[:1].isdigit():
            s = m.group(1).strip()
    if "deg" in s:  # `60 degrees`: an angle, not a decoration (equals `\\frac{\\pi}{3}`)
        s = _DEGREE_WORD_RE.sub(lambda _: "^\\circ", s)
    if s.endswith(")") and "(" in s:  # `15 (balls)`, `12 (cm)`: ASDiv's unit in parentheses after a number
        s = _PAREN_UNIT_RE.sub(r" \1", s)
    compound = _compound_quantity(s)
    if compound is not None:
        return compound
    unit = _physical_unit(s)
    if unit is not None:
        return unit
    for _ in range(2):
        t = _TRAIL_UNIT_RE.sub("", s).rstrip()
        if t == s or not t or t.endswith("_"):  # `v_kg`: a subscript, not a unit
            break
        s = t
    return s


_UNIT_TAIL_RE = re.compile(
    r"(?:(?<=[0-9}).)\]])|(?<=\\pi))((?:\\(?:text|mathrm|mbox|textrm|rm|operatorname)\s*\{[^{}]{1,40}\}"
    r"|[A-Za-z]+(?![A-Za-z])\.?|\^\s*\{\s*-?\d\s*\}|\^\s*-?\d|/|\\cdot|\*|\s|\\[,;:! ]|~)+)$"
)
_WHOLE_TEXT_RE = re.compile(r"\\(?:text|textrm|mathrm|mbox|textbf)\s*\{([^{}]*)\}")
_DEGREE_WORD_RE = re.compile(r"(?<=[\d}])\s*(?:\\(?:text|mathrm|mbox)\s*\{\s*(?:degrees?|deg)\s*\}|(?<![A-Za-z])(?:degrees?|deg))\s*$")
_COMPOUND_RE = re.compile(
    r"(\d{1,9}(?:\.\d{1,9})?)\s*([A-Za-z]{1,12})\s*(?:,|and|\\text\{\s*and\s*\})?\s*(\d{1,9}(?:\.\d{1,9})?)\s*([A-Za-z]{1,12})"
)
_UNIT_TAIL_MAX = 80


def _compound_quantity(s: str) -> str | None:
    """`3 hours and 20 minutes`, `5 ft 3 in` -> the total in the second unit (`200 \\unit{min}`),
    when both are units of the same dimension and the first is the larger one."""
    if len(s) > 120 or not any(c.isalpha() for c in s):
        return None
    flat = _UNIT_WRAP_RE.sub(lambda w: " " + w.group(1) + " ", s) if "\\" in s else s
    m = _COMPOUND_RE.fullmatch(flat.strip())
    if m is None:
        return None
    from .units import parse_unit

    u1, u2 = parse_unit(m.group(2)), parse_unit(m.group(4))
    if u1 is None or u2 is None or u1.dims != u2.dims or u1.factor <= u2.factor:
        return None
    total = Fraction(m.group(1)) * u1.factor / u2.factor + Fraction(m.group(3))
    value = str(total.numerator) if total.denominator == 1 else f"\\frac{{{total.numerator}}}{{{total.denominator}}}"
    return value + " \\unit{" + u2.key + "}"
_UNIT_WRAP_RE = re.compile(r"\\(?:text|mathrm|mbox|textrm|rm|operatorname)\s*\{([^{}]*)\}")


def _physical_unit(s: str) -> str | None:
    """`1200 \\text{ cm}` -> `1200 \\unit{cm}`: a trailing physical unit (graders.mathparse.units)
    becomes a canonical marker that parse() attaches to the value; None when there is none."""
    if len(s) < 2 or not (s[-1].isalpha() or s[-1] in "}0123456789.") or "\\unit{" in s:
        return None  # a unit ends in a letter, `}` (`\\text{cm}`, `^{2}`) or a power (`^2`)
    if s.isdigit() or not any(c.isalpha() for c in s[-_UNIT_TAIL_MAX:]):
        return None
    k = max(0, len(s) - _UNIT_TAIL_MAX)  # a unit is short: only the end of the text is searched
    m = _UNIT_TAIL_RE.search(s, k)
    while m is not None and re.match(r"(?:\s|\\[,;:! ]|~)*[\^/*]", m.group(1)):
        m = _UNIT_TAIL_RE.search(s, m.start(1) + 1)  # `10^{2} \text{ m}`: the power belongs to the value
    if m is None or m.start(1) == k and k > 0:
        return None
    tail = m.group(1)
    wrapped = "\\" in tail and _UNIT_WRAP_RE.search(tail) is not None
    flat = _UNIT_WRAP_RE.sub(lambda w: " " + w.group(1) + " ", tail)
    flat = re.sub(r"\\cdot", "*", flat)
    flat = re.sub(r"\\[,;:! ]|~", " ", flat).strip()
    if not flat or not any(c.isalpha() for c in flat):
        return None
    from .units import is_bare_ok, parse_unit

    u = parse_unit(flat)
    if u is None or not (wrapped or is_bare_ok(flat)):
        return None
    core = s[: m.start(1)].rstrip()
    if not core:
        return None
    return core + " \\unit{" + u.key + "}"


_SPACE_CMD_RE = re.compile(r"\\(?:[,;:! ]|quad|qquad)|~")
_LR_RE = re.compile(r"\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg)(?![A-Za-z])")
_WS_RE = re.compile(r"\s+")
_WS_PUNCT_RE = re.compile(r" (?=[^A-Za-z0-9\\])|(?<=[^A-Za-z0-9]) ")


def compact(s: str) -> str:
    """A whitespace- and spelling-insensitive key of a normalised string (identical keys = same answer)."""
    s = "~" + _SPACE_CMD_RE.sub(" ", s[1:]) if s[:1] == "~" else _SPACE_CMD_RE.sub(" ", s)  # `~42`: about 42
    s = _LR_RE.sub("", s)
    s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\cfrac", "\\frac")
    s = s.replace("\\dbinom", "\\binom").replace("\\tbinom", "\\binom")
    s = s.replace("\\leqq", "\\le").replace("\\geqq", "\\ge").replace("\\leq", "\\le").replace("\\geq", "\\ge").replace("\\neq", "\\ne").replace("{,}", "")
    s = _WS_RE.sub(" ", s).strip()
    return _WS_PUNCT_RE.sub("", s)


# --------------------------------------------------------------------------- tokens

# Token = (kind, value, extra). Kinds: num id const inf func cmd op ( ) [ ] { } lset rset text
# empty reals eof.
Token = tuple

FUNC_WORDS = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc",
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arccot": "acot", "arcsec": "asec",
    "arccsc": "acsc", "asin": "asin", "acos": "acos", "atan": "atan",
    "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "ln": "ln", "log": "log", "exp": "exp",
    "sqrt": "sqrt", "lg": "log10",
}
_WORDS = dict(FUNC_WORDS)
_WORDS.update({"pi": "pi", "infinity": "inf", "infty": "inf", "inf": "inf", "or": "or", "and": "and"})
# Longest first, for splitting glued runs like `xsinx`.
_SPLIT_WORDS = sorted((w for w in _WORDS if w not in ("or", "and", "inf")), key=len, reverse=True)

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Sigma "
    "Upsilon Phi Psi Omega ell".split()
)

_CMD_TOKENS: dict[str, Token] = {
    "frac": ("cmd", "frac", None), "dfrac": ("cmd", "frac", None), "tfrac": ("cmd", "frac", None),
    "cfrac": ("cmd", "frac", None), "sqrt": ("cmd", "sqrt", None), "binom": ("cmd", "binom", None),
    "dbinom": ("cmd", "binom", None), "tbinom": ("cmd", "binom", None), "choose": ("op", "choose", None),
    "pi": ("const", "pi", None), "infty": ("inf", None, None), "infin": ("inf", None, None),
    "cdot": ("op", "*", None), "times": ("op", "*", None), "ast": ("op", "*", None),
    "div": ("op", "/", None), "pm": ("op", "pm", None), "mp": ("op", "mp", None),
    "le": ("op", "le", None), "leq": ("op", "le", None), "leqslant": ("op", "le", None), "leqq": ("op", "le", None),
    "ge": ("op", "ge", None), "geq": ("op", "ge", None), "geqslant": ("op", "ge", None), "geqq": ("op", "ge", None),
    "ne": ("op", "ne", None), "neq": ("op", "ne", None), "lt": ("op", "<", None),
    "gt": ("op", ">", None), "approx": ("op", "approx", None), "in": ("op", "in", None),
    "cup": ("op", "cup", None), "cap": ("op", "cap", None), "setminus": ("op", "setminus", None),
    "backslash": ("op", "setminus", None), "smallsetminus": ("op", "setminus", None), "lor": ("op", "or", None),
    "vee": ("op", "or", None), "land": ("op", "and", None), "wedge": ("op", "and", None),
    "{": ("lset", None, None), "}": ("rset", None, None), "lbrace": ("lset", None, None),
    "rbrace": ("rset", None, None), "langle": ("(", "langle", None), "rangle": (")", "rangle", None),
    "lvert": ("op", "|", None), "rvert": ("op", "|", None), "vert": ("op", "|", None),
    "lfloor": ("cmd", "lfloor", None), "rfloor": ("cmd", "rfloor", None),
    "lceil": ("cmd", "lceil", None), "rceil": ("cmd", "rceil", None),
    "circ": ("op", "deg", None), "degree": ("op", "deg", None), "%": ("op", "%", None),
    "emptyset": ("empty", None, None), "varnothing": ("empty", None, None),
    "triangle": ("text", "triangle", None), "square": ("text", "square", None), "top": ("id", "top", None),
    "intercal": ("id", "top", None),
    "\\": ("op", "row", None), "cr": ("op", "row", None), "&": ("op", "&", None),
    "mid": ("op", "mid", None), "colon": ("op", ":", None), "|": ("op", "|", None),
    "overline": ("cmd", "conj", None), "det": ("cmd", "det", None), "bmod": ("op", "mod", None),
    "lim": ("cmd", "lim", None), "to": ("op", "to", None), "rightarrow": ("op", "to", None),
    "mod": ("op", "mod", None), "sum": ("cmd", "sum", None), "prod": ("cmd", "prod", None),
    "Vert": ("op", "|", None), "lVert": ("op", "|", None), "rVert": ("op", "|", None),
    "sin": ("func", "sin", None), "cos": ("func", "cos", None), "tan": ("func", "tan", None),
    "cot": ("func", "cot", None), "sec": ("func", "sec", None), "csc": ("func", "csc", None),
    "arcsin": ("func", "asin", None), "arccos": ("func", "acos", None), "arctan": ("func", "atan", None),
    "sinh": ("func", "sinh", None), "cosh": ("func", "cosh", None), "tanh": ("func", "tanh", None),
    "ln": ("func", "ln", None), "log": ("func", "log", None), "lg": ("func", "log10", None),
    "exp": ("func", "exp", None),
}
_SKIP_CMDS = frozenset(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr middle displaystyle textstyle "
    "limits nolimits boxed fbox quad qquad , ; : ! enspace thinspace negthinspace".split()
    + [" "]
)
_TEXT_CMDS = frozenset(
    "text textbf textit textrm textsf texttt textnormal mbox emph mathrm mathbf mathit mathsf mathtt "
    "boldsymbol bm operatorname mathcal vec hat bar tilde num".split()
)
_ACCENT_CMDS = frozenset("vec hat bar tilde".split())

_THOUSANDS_COMMA_RE = re.compile(r"(?:[1-9]\d{0,2}|0(?=,\d{3},))(?:,\d{3})+(?!\d)(?:\.\d+)?")
_THOUSANDS_TEX_RE = re.compile(r"\d{1,3}(?:(?:\{,\}|\\,|\\ |~)\d{3})+(?!\d)(?:\.\d+)?")
_NUM_RE = re.compile(r"(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")
_OVERLINE_RE = re.compile(r"\\overline\s*\{\s*(\d+)\s*\}|\\dot\{(\d)\}|\((\d+)\)")
_CMD_RE = re.compile(r"\\([A-Za-z]+|.)")
_DEC_COMMA_RE = re.compile(r",(\d{2,30})(?![\d.,])")  # `1,5` / `0,5` stay lists (roots such as 0 and 5)
_ALPHA_RE = re.compile(r"[A-Za-z]+")
_TEXT_IS_WORD_RE = re.compile(r"[A-Za-z][A-Za-z .,'()-]*")


def _int(digits: str) -> int:
    """int() of a decimal digit string of any length up to max_digits (CPython refuses > 4,300)."""
    if len(digits) <= 4000:
        return int(digits)
    if len(digits) > LIMITS.max_digits:
        raise TooLarge("number literal too long")
    value = 0
    for k in range(0, len(digits), 4000):
        part = digits[k : k + 4000]
        value = value * 10 ** len(part) + int(part)
    return value


def _decimal(ip: str, fp: str | None, ex: str | None, rep: str | None) -> tuple[Fraction, DecInfo | None]:
    if len(ip) + len(fp or "") > LIMITS.max_digits:
        raise TooLarge("number literal too long")
    k = int(ex) if ex else 0
    if abs(k) > 20000:
        raise TooLarge("exponent too large")
    frac = fp or ""
    mant = _int((ip or "0") + frac)
    value = Fraction(mant, 10 ** len(frac))
    if rep:
        # 0.ab(cd) = (abcd - ab) / (10^len(ab) * (10^len(cd) - 1))
        if len(rep) > 100:
            raise TooLarge("repeating block too long")
        value += Fraction(int(rep), 10 ** len(frac) * (10 ** len(rep) - 1))
    if k:
        value *= Fraction(10) ** k
    dec = None
    if (fp is not None or ex) and not rep:
        digits = ((ip or "") + frac).lstrip("0")
        sig = len(digits) if digits else 1
        dec = DecInfo(sig, len(frac) - k)
    return value, dec


def _lex_number(s: str, i: int, depth: int) -> tuple[Token, int]:
    if depth == 0:
        m = _THOUSANDS_COMMA_RE.match(s, i)
        if m:
            ip, _, fp = m.group(0).replace(",", "").partition(".")
            value, dec = _decimal(ip, fp if fp else None, None, None)
            return ("num", value, (dec, dec is None)), m.end()
    m = _THOUSANDS_TEX_RE.match(s, i)
    if m:
        t = re.sub(r"\{,\}|\\,|\\ |~", "", m.group(0))
        ip, _, fp = t.partition(".")
        value, dec = _decimal(ip, fp if fp else None, None, None)
        return ("num", value, (dec, dec is None)), m.end()
    m = _NUM_RE.match(s, i)
    assert m is not None and m.end() > i
    ip, fp, ex = m.group(1), m.group(2), m.group(3)
    end = m.end()
    if fp is not None and fp == "" and not ip:
        raise ParseError("lone '.'")
    if ex is not None and end < len(s) and s[end].isalpha():
        # `2e3x` -> keep sci; but `2ex` (2*e*x) never matched the exponent group.
        pass
    rep = None
    if fp is not None and not ex:
        mo = _OVERLINE_RE.match(s, end)
        if mo:  # 0.\overline{3}, 0.\dot{3}, 0.(3): a repeating block
            rep = mo.group(1) or mo.group(2) or mo.group(3)
            end = mo.end()
    value, dec = _decimal(ip, fp, ex, rep)
    is_int = fp is None and not ex
    return ("num", value, (dec, is_int)), end


MAX_LETTER_PRODUCT = 3
"""Most single letters a glued run may hold and still be a product (`xy`, `abc`, `2xsinx`)."""
PROSE_WORDS = frozenset(
    "is be we so it as at by to of on no yes the are was not for but can has its our let get got use "
    "then thus hence final total answer equals gives value result".split()
)
"""Short words that are prose, not products of letters (`x is 5` is not x*i*s*5)."""


def _split_letters(run: str, out: list[Token], spaced: bool = False, glued: bool = False) -> None:
    """A run of ASCII letters: a known word (`sin`, `pi`, `or`), a glued product of at most
    MAX_LETTER_PRODUCT single letters and function words (`xy`, `2xsinx`), else a word of
    prose (a `text` token: `Answer`, `apples`), never a product of its letters. `glued`: no
    whitespace on either side (`\\frac{NO}{BO}`): a short capital run there is points naming a
    segment, not the word `no`."""
    w = _WORDS.get(run)
    if w is not None:
        out.append(_word_token(w))
        return
    if run.lower() in PROSE_WORDS and not (glued and run.isupper()):
        out.append(("text", run, None))
        return
    if run in GREEK and len(run) > 2:  # `theta` written without its backslash
        out.append(("id", run, "spaced" if spaced else None))
        return
    pieces: list[Token] = []
    letters = 0
    i = 0
    n = len(run)
    while i < n:
        for word in _SPLIT_WORDS:
            if run.startswith(word, i) and len(word) >= 2:
                pieces.append(_word_token(_WORDS[word]))
                i += len(word)
                break
        else:
            pieces.append(_letter(run[i]))
            letters += 1
            i += 1
    words = len(pieces) - letters
    if letters > MAX_LETTER_PRODUCT or (words and letters > words + 1):
        # `Answer`, `apples`; `pizza` is not pi*z*z*a (a function word glued to at most one
        # letter on each side, as in `xsinx`, `sinxcosx`, `2pix`, is still math).
        out.append(("text", run, None))
        return
    if spaced and pieces[0][0] == "id":
        pieces[0] = ("id", pieces[0][1], "spaced")
    out.extend(pieces)


def _call_word(run: str) -> Token | None:
    """A function name written before `(` in plain text: `abs`/`Abs` (sympy), a capitalised name
    (`Sin`, `ArcSin`, `Sqrt`: Mathematica, sympy's `Abs`)."""
    low = run.lower()
    if low == "abs" and run in ("abs", "Abs"):
        return ("func", "abs", None)
    if run == "factorial":
        return ("func", "factorial", None)
    if run == low or not (run[0].isupper() and (run[1:].islower() or (low.startswith("arc") and run[3].isupper()
                                                                       and run[4:].islower()))):
        return None
    w = FUNC_WORDS.get(low)
    return _word_token(w) if w is not None else None


def _word_token(w: str) -> Token:
    if w == "pi":
        return ("const", "pi", None)
    if w == "inf":
        return ("inf", None, None)
    if w in ("or", "and"):
        return ("op", w, None)
    if w == "sqrt":
        return ("cmd", "sqrt", "plain")
    return ("func", w, None)


def _letter(c: str) -> Token:
    if c == "e":
        return ("const", "e", None)
    if c == "i":
        return ("const", "i", None)
    return ("id", c, None)


_OPENERS = "([{"
_CLOSERS = ")]}"


def tokenize(s: str, _nested: int = 0) -> list[Token]:
    """Tokens of a normalised string; raises ParseError / TooLarge."""
    out: list[Token] = []
    i = 0
    n = len(s)
    depth = 0
    plain = "\\" not in s  # no LaTeX command: plain-text / Python conventions (`v_zmf` is one name)
    while i < n:
        if len(out) > LIMITS.max_tokens:
            raise TooLarge("too many tokens")
        c = s[i]
        if c in " \t\r\n":
            i += 1
            continue
        if c.isdecimal() or (c == "." and i + 1 < n and s[i + 1].isdecimal()):  # `④`, `²` are no digits
            start = i
            tok, i = _lex_number(s, i, depth)
            out.append(tok)
            if depth == 0 and i < n and s[i] == "," and tok[2][1] and (start == 0 or s[start - 1] not in ",."):
                m = _DEC_COMMA_RE.match(s, i)
                if m and s[start:i].isdigit():
                    # `1,22` / `1000,99`: not thousands (those were read above); a pair, or the
                    # decimal-comma number: the parser keeps both readings.
                    ip, fp = s[start:i], m.group(1)
                    value = Fraction(int(ip + fp), 10 ** len(fp))
                    digits = (ip + fp).lstrip("0")
                    out.append(("op", ",", (value, DecInfo(len(digits) if digits else 1, len(fp)))))
                    i += 1
            continue
        if c.isalpha():
            if not c.isascii():
                raise ParseError(f"unexpected character {c!r}")
            m = _ALPHA_RE.match(s, i)
            assert m is not None
            end = m.end()
            if plain and end < n and s[end] == "(" and (tok := _call_word(m.group(0))) is not None:
                out.append(tok)  # `abs(x)`, `Abs(x)`, `Sin(x)`, `ArcSin(x)`: a function applied
                i = end
                continue
            if plain and m.group(0) == "oo" and (end == n or not s[end].isalnum()) and (i == 0 or not s[i - 1].isalnum()):
                out.append(("inf", None, None))  # sympy's infinity
                i = end
                continue
            if out and out[-1] == ("op", "_", None) and plain and end - i > 1:
                out.append(("id", m.group(0), None))  # `v_zmf` in plain text: one subscript name
                i = end
                continue
            glued = (i > 0 or end < n) and (i == 0 or s[i - 1] not in " \t\r\n") and (end == n or s[end] not in " \t\r\n")
            _split_letters(m.group(0), out, i > 0 and s[i - 1] in " \t\r\n", glued)
            i = end
            continue
        if c == "\\":
            m = _CMD_RE.match(s, i)
            if m is None:
                raise ParseError("dangling backslash")
            name = m.group(1)
            i = m.end()
            if name in _SKIP_CMDS:
                if name in ("left", "right", "middle") and i < n and s[i] == ".":
                    i += 1
                continue
            if name in _TEXT_CMDS:
                while i < n and s[i] == " ":
                    i += 1
                if i >= n:
                    raise ParseError(f"\\{name} without argument")
                if s[i] != "{":
                    if name in _ACCENT_CMDS or name in ("mathbf", "boldsymbol", "bm", "mathrm"):
                        continue  # `\vec v` -> v
                    raise ParseError(f"\\{name} without braces")
                end = matching_brace(s, i)
                if end < 0:
                    raise ParseError("unbalanced braces")
                content = s[i + 1 : end]
                i = end + 1
                _text_content(name, content, out, _nested)
                continue
            if name == "mathbb":
                m2 = re.compile(r"\s*\{\s*([A-Za-z])\s*\}|\s*([A-Za-z])").match(s, i)
                if not m2:
                    raise ParseError("bad \\mathbb")
                letter = m2.group(1) or m2.group(2)
                i = m2.end()
                if letter == "R":
                    out.append(("reals", None, None))
                    continue
                raise ParseError(f"unsupported set \\mathbb{{{letter}}}")
            if name in ("begin", "end"):
                m2 = re.compile(r"\s*\{\s*([A-Za-z*]+)\s*\}").match(s, i)
                if not m2:
                    raise ParseError(f"bad \\{name}")
                env = m2.group(1)
                i = m2.end()
                if name == "begin" and env == "array":
                    m3 = re.compile(r"\s*\{[^{}]*\}").match(s, i)
                    if m3:
                        i = m3.end()
                out.append(("cmd", name, env))
                continue
            if name in GREEK:
                out.append(("id", name, None))
                continue
            if name == "$" or name == "#":
                continue
            if name in ("{", "}"):
                depth += 1 if name == "{" else -1
            tok = _CMD_TOKENS.get(name)
            if tok is None:
                raise ParseError(f"unsupported command \\{name}")
            out.append(tok)
            continue
        if c in _OPENERS:
            depth += 1
            out.append((c, c, None))
            i += 1
            continue
        if c in _CLOSERS:
            depth -= 1
            out.append((c, c, None))
            i += 1
            continue
        if c == "!" and i + 1 < n and s[i + 1] == "=" and (i == 0 or not (s[i - 1].isdigit() or s[i - 1] in ")}!")):
            out.append(("op", "ne", None))  # `x != 3` (but `5!=120` is a factorial)
            i += 2
            continue
        if c in "+-*/^_!=,;|&:%'":
            if c == "*" and i + 1 < n and s[i + 1] == "*":
                out.append(("op", "^", None))
                i += 2
                continue
            if c == "=" and i + 1 < n and s[i + 1] == "=":  # `x**2 + 1 == 0` (Python / sympy style)
                out.append(("op", "=", None))
                i += 2
                continue
            out.append(("op", c, None))
            i += 1
            continue
        if c in "<>":
            if i + 1 < n and s[i + 1] == "=":
                out.append(("op", "le" if c == "<" else "ge", None))
                i += 2
                continue
            out.append(("op", c, None))
            i += 1
            continue
        if c == "$":
            i += 1
            continue
        raise ParseError(f"unexpected character {c!r}")
    out.append(("eof", None, None))
    return out


def _text_content(name: str, content: str, out: list[Token], nested: int) -> None:
    t = content.replace("~", " ").strip() if "~" in content else content.strip()  # `\mathrm{~N}`: a tie is a space
    if not t:
        return
    if name == "operatorname":
        f = FUNC_WORDS.get(t)
        if f is None:
            raise ParseError(f"unsupported operator {t!r}")
        out.append(_word_token(f))
        return
    low = t.lower()
    if low in ("or", "and"):
        out.append(("op", low, None))
        return
    if low in ("if", "for", "when", "where", "with"):
        raise ParseError(f"condition in answer ({t!r})")
    if name in ("text", "textbf", "textit", "textrm", "textsf", "texttt", "textnormal", "mbox", "emph"):
        if _TEXT_IS_WORD_RE.fullmatch(t) and len(re.sub(r"[^A-Za-z]", "", t)) >= 2:
            out.append(("text", t, None))
            return
    # Math inside a text-style wrapper (`\mathrm{e}`, `\mathbf{v}`, `\text{5}`): lex it in place.
    if nested > 3:
        raise ParseError("nested text wrappers")
    inner = tokenize(t, nested + 1)
    out.extend(inner[:-1])
