"""Trailing qualifiers on an answer: `2^n \\text{ for all } n`, `(1,k)\\ \\forall k\\in\\mathbb{Z}^+`,
`\\frac{3\\pi}{2} + 2\\pi k,\\ k \\in \\mathbb{Z}`, `2^n, n \\geq 1`.

A qualifier states the domain of a free variable of the value; the value is the answer, so the
qualifier is dropped before parsing (a reference without one compares equal). Stripped only when
it follows a complete value and is one of:

- introduced by `\\forall`, `for all / any / every / each [integer(s)...]`: `\\forall k`, `for all n`;
- introduced by `for` / `where` / `with`, or bare after a separator, or in parentheses: a domain
  (`k \\in \\mathbb{Z}`, `n \\geq 1`, `k \\text{ is an integer}`) of a name that occurs in the value.

A comparison domain (`n \\geq 1`) is never stripped after a value that is itself an inequality,
nor for the name a relation defines (`x = 2, x \\geq 1` keeps it), so `x > 1` stays `x > 1`.
Only the last 200 characters are looked at (linear time on any input).
"""

from __future__ import annotations

import re

_WINDOW = 200
_HINT_RE = re.compile(r"[<>]|\\(?:in(?![a-z])|ge|le(?!ft)|ne|forall)|for|where|with|integer")
_SET = (
    r"(?:\\mathbb\s*\{?\s*[ZNQR]\s*\}?|\\mathbf\s*\{\s*[ZNQR]\s*\}|[ZNQR](?![A-Za-z]))"
    r"(?:\s*\^\s*(?:\{\s*[+*]\s*\}|[+*])|\s*_\s*(?:\{[^{}]{1,12}\}|[+*0]))?"
)
_CMP = r"(?:\\geqslant|\\leqslant|\\geq|\\leq|\\ge|\\le|\\neq|\\ne|>=|<=|>|<)"
_KIND = (
    r"(?:positive\s+|non-?negative\s+|negative\s+|natural\s+|real\s+|whole\s+)?"
    r"(?:integers?|numbers?|reals?|values?(?:\s+of)?)"
)
_IS_KIND = r"\\(?:text|textrm|mbox|mathrm)\s*\{\s*(?:is\s+an?|are|is)\s+" + _KIND + r"\s*\}"
_VARS = r"(?P<vars>[A-Za-z](?:\s*,\s*[A-Za-z]){0,3})"
_DOMAIN = (
    r"(?:\s*\\in\s*(?P<set>" + _SET + r")|\s*(?P<cmp>" + _CMP + r")\s*-?\d{1,6}|\s*(?P<kind>" + _IS_KIND + r"))"
)
_TEXT_OPEN = r"(?:\\(?:text|textrm|mbox|mathrm|textnormal)\s*\{\s*)?"
_TEXT_CLOSE = r"(?:\s*\})?"
_SEP = r"(?P<sep>[\s,;~]*(?:\\(?:[ ,;:!]|q?quad(?![A-Za-z]))[\s,;~]*)*)"
_QUALIFIER_RE = re.compile(
    _SEP
    + r"(?:"
    # \forall k, \forall k \in Z^+, \forall n \geq 1
    + r"(?P<forall>\\forall(?![A-Za-z])\s*" + _VARS.replace("vars", "v1") + r"(?:" + _DOMAIN.replace("?P<", "?P<f_") + r")?)"
    # for all n, \text{ for any integer } k, \text{for all integers k}
    + r"|(?P<forall_words>" + _TEXT_OPEN + r"for\s+(?:all|any|every|each)(?:\s+" + _KIND + r")?" + _TEXT_CLOSE
    + r"\s*" + _VARS.replace("vars", "v2") + _TEXT_CLOSE + r"(?:" + _DOMAIN.replace("?P<", "?P<w_") + r")?)"
    # \text{ for } k \in Z, \text{ where } n \geq 1
    + r"|(?P<for>" + _TEXT_OPEN + r"(?:for|where|with)" + _TEXT_CLOSE + r"\s*" + _VARS.replace("vars", "v3")
    + _DOMAIN.replace("?P<", "?P<r_") + r")"
    # (k \in Z)
    + r"|(?P<paren>\(\s*" + _VARS.replace("vars", "v4") + _DOMAIN.replace("?P<", "?P<p_") + r"\s*\))"
    # , k \in Z   , n \geq 1   , k \text{ is an integer}
    + r"|(?P<bare>" + _VARS.replace("vars", "v5") + _DOMAIN.replace("?P<", "?P<b_") + r")"
    + r")\s*$"
)
_INEQ_RE = re.compile(r"<|>|\\(?:le|ge|ne|leq|geq|neq|leqslant|geqslant|lt|gt)(?![A-Za-z])")
_BODY_END_BAD = tuple("+-*/^_=,;({[\\&|")


def _occurs(name: str, body: str) -> bool:
    """The one-letter name stands alone in `body` (not a letter of a word or of a command)."""
    return re.search(r"(?<![A-Za-z\\])" + name + r"(?![A-Za-z])", body) is not None


def _defined_by_relation(name: str, body: str) -> bool:
    """`x = 2`: the relation defines x (the value's subject, not a free variable)."""
    return re.match(r"\s*" + name + r"\s*(?:=|<|>|\\(?:le|ge|leq|geq|ne)(?![A-Za-z]))", body) is not None


def strip_qualifier(s: str) -> str:
    """`s` without a trailing qualifier (see module docstring); `s` itself when there is none."""
    tail = s[-_WINDOW:]
    if _HINT_RE.search(tail) is None:  # the common path (numbers, fractions): one scan
        return s
    offset = len(s) - len(tail)
    pos = 0
    while (m := _QUALIFIER_RE.search(tail, pos)) is not None:  # leftmost first: `2^n, n \geq 1` is tried at `^n, n`
        body = _accepted(m, s[: offset + m.start()].rstrip())
        if body is not None:
            return body
        pos = m.start() + 1
    return s


def _accepted(m: re.Match[str], body: str) -> str | None:
    """The value before the qualifier `m`, or None when `m` is no qualifier of it."""
    if not body or body.endswith(_BODY_END_BAD) and not body.endswith(("\\}", "\\,", "\\!")):
        return None
    kind = next((k for k in ("forall", "forall_words", "for", "paren", "bare") if m.group(k) is not None), None)
    if kind == "forall":
        names, cmp_ = m.group("v1"), m.group("f_cmp")
    elif kind == "forall_words":
        names, cmp_ = m.group("v2"), m.group("w_cmp")
    elif kind == "for":
        names, cmp_ = m.group("v3"), m.group("r_cmp")
    elif kind == "paren":
        names, cmp_ = m.group("v4"), m.group("p_cmp")
    elif kind == "bare":
        if not m.group("sep"):
            return None  # `x\in Z` glued: not a qualifier after a value
        names, cmp_ = m.group("v5"), m.group("b_cmp")
    else:
        return None
    letters = [v.strip() for v in names.split(",")]
    introduced = kind in ("forall", "forall_words")
    if not introduced and not all(_occurs(v, body) for v in letters):
        return None  # `2, x \geq 1`: no free variable of the value is qualified
    if cmp_ is not None:
        if _INEQ_RE.search(body):
            return None  # `n \geq 1, n \leq 5`: the answer is the inequalities
        if any(_defined_by_relation(v, body) for v in letters):
            return None  # `x = 2, x > 1`: a condition on the value itself
    return body


__all__ = ["strip_qualifier"]
