"""The answer field of a JSON object that ends a completion (used by `auto`).

Evaluation harnesses that ask for structured output (ZeroEval, many API
"response_format" prompts) get completions such as

    ```json
    {"reasoning": "... so the total is 2079.", "answer": "2079"}
    ```

The `"answer"` (or `"final_answer"`) field of the object the completion ends
with is the stated answer: it is the model's last commitment, so it takes
precedence over every box or marker inside the object's other fields (the
reasoning is a draft) and before it. The object may sit in a ``` or ''' fence,
with a short closing remark after it that holds no value ("Let me know if ...").

Models rarely write valid JSON around LaTeX (`"\\frac{1}{2}"` with one
backslash), so the object is not parsed as a whole: the last answer field in
the tail is read with one bounded regex, and its string is unescaped by hand
(`\\\\` -> `\\`, `\\"` -> `"`, `\\uXXXX`; any other backslash is LaTeX and
stays). An empty or placeholder field (`""`, `"___"`, `"..."`) is an empty
commitment: no answer.
"""

from __future__ import annotations

import re

from ._core import unwrap
from .answer_line import answer_spans

#: How far from the end the answer field is looked for.
WINDOW = 4000
#: The longest closing remark after the object (and its fence).
MAX_TRAILER = 300

# `"answer": "2079"`, `"final_answer": 42`, then other fields or the object's end
_FIELD = re.compile(  # (single quotes too: a Python dict printed as the answer)
    r"""(?P<q>["'])(?:final_answer|finalAnswer|final answer|answer|Answer|Final Answer)(?P=q)[ \t]*:[ \t]*"""
    r"""(?:"(?P<s>(?:[^"\\\n]|\\.){0,400})"|'(?P<s1>(?:[^'\\\n]|\\.){0,400})'"""
    r"""|(?P<n>-?\d[\d.,eE+-]{0,40}|true|false|null|None|True|False))"""
    r"[ \t]*(?=[,}\n])"
)
_CLOSE = re.compile(r"\s*\}\s*(?:```|''')?\s*")
_PLACEHOLDER = re.compile(r"[\s_.…?\-–—]*|<[^<>]{0,40}>|your answer|answer here", re.IGNORECASE)
_UNICODE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "\\" and i + 1 < n:
            nxt = raw[i + 1]
            if nxt in '\\"/\'':
                out.append(nxt)
                i += 2
                continue
            if nxt == "u" and (m := _UNICODE.match(raw, i)) is not None:
                out.append(chr(int(m.group(1), 16)))
                i = m.end()
                continue
            if nxt in "nt" and (i + 2 >= n or not raw[i + 2].isalpha()):  # "\n" but not "\neq"
                out.append(" ")
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


def json_answer(body: str) -> str | None:
    """The answer field of the JSON object `body` ends with: its value, "" for an empty or
    placeholder field (an empty commitment), or None when `body` does not end with such an
    object."""
    end = len(body.rstrip())
    if end == 0 or body.find("}", max(0, end - MAX_TRAILER - 16), end) < 0:
        return None  # cheap gate: no object closes near the end
    lo = max(0, end - WINDOW)
    if body.find('nswer"', lo, end) < 0 and body.find("nswer'", lo, end) < 0:
        return None  # every field name _FIELD accepts ends in "nswer" and a quote
    last = None
    for m in _FIELD.finditer(body, lo, end):
        last = m
    if last is None:
        return None
    # after the field: other fields (no nested object), then the object's close
    brace = body.find("}", last.end(), end)
    if brace < 0 or "{" in body[last.end() : brace]:
        return None
    close = _CLOSE.match(body, brace)
    trailer = body[close.end() : end] if close is not None else body[brace + 1 : end]
    if len(trailer) > MAX_TRAILER or any(ch.isdigit() for ch in trailer) or "\\boxed" in trailer:
        return None
    if trailer and ("answer" in trailer.lower() or "{" in trailer):
        return None
    if last.group("n") is not None:
        value = last.group("n")
        return "" if value in ("null", "true", "false", "None", "True", "False") else value
    raw = last.group("s") if last.group("s") is not None else last.group("s1")
    value = _unescape(raw).strip()
    if _PLACEHOLDER.fullmatch(value):
        return ""
    stated = answer_spans(value) if len(value) > 8 else []  # "The answer is $\\frac{1}{2}$."
    return stated[-1][2] if stated else unwrap(value)
