"""Reading a judge's reply: a number (score_model) or a label (label_model).

Order of attempts, for one choice of a reply:

1. A refusal (`message.refusal`, or `finish_reason: content_filter`) is a
   `judge_refusal` error. An empty reply is a `judge_parse_error`
   (`judge_truncated` when the reply hit the token limit).
2. The whole reply as JSON (code fences stripped): an object holding the key
   (`result` or `score` for scores, `label` or `result` for labels), or a bare
   JSON number / string.
3. The last JSON object inside the text that holds the key (judges often
   reason first and answer last).
4. If the reply was cut off (`finish_reason: length`), stop here: a
   `judge_truncated` error. A number read from a cut reply may itself be cut
   ("10" read as "1"), so no pattern is trusted on it.
5. The last `score: 7` / `result = 7` line (scores) or `label: polite` line
   (labels), then, for labels only, a reply that is nothing but one of the
   labels.
6. Otherwise a `judge_parse_error`. It is never read as 0: the row carries the
   error (and its on_error value) and `explain` shows the raw reply.

Values: a score must be a finite number (a numeric string is accepted); a
label must be one of `labels` (exact match first, then ignoring case and
surrounding quotes/punctuation), else `judge_invalid_label`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

SCORE_KEYS = ("result", "score")
LABEL_KEYS = ("label", "result")

_FENCE = re.compile(r"^```[A-Za-z0-9_-]*\s*\n?(.*?)\n?```\s*$", re.S)
_SCORE_LINE = re.compile(
    r"(?im)(?:^|[\s*_#>(\[{,])(?:final\s+)?(?:score|result|rating|grade)\**\s*[:=]\s*\**\s*"
    r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)(?![\d.])")
_LABEL_LINE = re.compile(r"(?im)(?:^|[\s*_#>(\[{,])(?:final\s+)?label\**\s*[:=]\s*\**\s*([^\n]+)")
_STRIP = " \t\r\n\"'`*_.,;:!()[]{}<>"
MAX_SCAN_CHARS = 200_000  # replies longer than this are parsed from their last part only


@dataclass(frozen=True)
class Parsed:
    """One choice's verdict: a value, or an error (kind, message); `how` tells which rule read it."""

    value: float | str | None
    error: tuple[str, str] | None = None
    how: str = ""


def _fail(kind: str, message: str) -> Parsed:
    return Parsed(None, (kind, message))


def _snippet(text: str, n: int = 120) -> str:
    t = text.strip().replace("\n", "\\n")
    return t if len(t) <= n else t[: n - 20] + " ... " + t[-15:]


def _strip_fence(text: str) -> str:
    m = _FENCE.match(text.strip())
    return m.group(1) if m else text.strip()


def _json_objects(text: str) -> list[Any]:
    """Every JSON value that starts at a '{' in the text and decodes, in order."""
    dec = json.JSONDecoder()
    out = []
    i = text.find("{")
    while i != -1:
        try:
            obj, end = dec.raw_decode(text, i)
        except (ValueError, RecursionError):
            i = text.find("{", i + 1)
            continue
        out.append(obj)
        i = text.find("{", end)
    return out


def _first_key(obj: dict[str, Any], keys: tuple[str, ...]) -> tuple[bool, Any]:
    lower = {str(k).lower(): v for k, v in obj.items()}
    for k in keys:
        if k in lower:
            return True, lower[k]
    return False, None


def _pre(text: str | None, finish_reason: str | None, refusal: str | None) -> Parsed | str:
    if refusal:
        return _fail("judge_refusal", f"the judge refused: {_snippet(refusal)}")
    if finish_reason == "content_filter":
        return _fail("judge_refusal", "the reply was stopped by the endpoint's content filter")
    if text is None or not text.strip():
        if finish_reason == "length":
            return _fail("judge_truncated", "the reply hit the token limit before any text (raise max_completions_tokens)")
        return _fail("judge_parse_error", "the judge returned an empty reply")
    if len(text) > MAX_SCAN_CHARS:
        text = text[-MAX_SCAN_CHARS:]
    return text


def _as_score(v: Any) -> Parsed | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        f = float(v)
    elif isinstance(v, str):
        try:
            f = float(v.strip())
        except ValueError:
            return None
    else:
        return None
    if not math.isfinite(f):
        return _fail("judge_parse_error", f"the judge's score is not a finite number: {v!r}")
    return Parsed(f)


def parse_score(text: str | None, finish_reason: str | None = "stop", refusal: str | None = None) -> Parsed:
    """Read a numeric score from one choice (see the module docstring for the order)."""
    pre = _pre(text, finish_reason, refusal)
    if isinstance(pre, Parsed):
        return pre
    body = _strip_fence(pre)
    try:
        whole = json.loads(body)
    except (ValueError, RecursionError):
        whole = None
    else:
        if isinstance(whole, dict):
            found, v = _first_key(whole, SCORE_KEYS)
            if found:
                p = _as_score(v)
                if p is not None:
                    return Parsed(p.value, p.error, "json")
                return _fail("judge_parse_error", f"the judge's result is not a number: {v!r}")
        elif (p := _as_score(whole)) is not None and not isinstance(whole, str):
            return Parsed(p.value, p.error, "json")
    for obj in reversed(_json_objects(pre)):
        if isinstance(obj, dict):
            found, v = _first_key(obj, SCORE_KEYS)
            if found:
                p = _as_score(v)
                if p is not None:
                    return Parsed(p.value, p.error, "json_in_text")
                return _fail("judge_parse_error", f"the judge's result is not a number: {v!r}")
    if finish_reason == "length":
        return _fail("judge_truncated", f"the reply was cut at the token limit before a complete answer: {_snippet(pre)}")
    matches = _SCORE_LINE.findall(pre)
    if matches:
        p = _as_score(matches[-1])
        if p is not None:
            return Parsed(p.value, p.error, "pattern")
    return _fail("judge_parse_error", f"no score found in the reply: {_snippet(pre)}")


def _match_label(v: Any, labels: list[str]) -> str | None:
    if not isinstance(v, str):
        return None
    if v in labels:
        return v
    key = v.strip(_STRIP).casefold()
    for lab in labels:
        if lab.strip().casefold() == key:
            return lab
    return None


def parse_label(text: str | None, labels: list[str], finish_reason: str | None = "stop",
                refusal: str | None = None) -> Parsed:
    """Read one of `labels` from one choice (see the module docstring for the order)."""
    pre = _pre(text, finish_reason, refusal)
    if isinstance(pre, Parsed):
        return pre
    body = _strip_fence(pre)

    def judged(v: Any, how: str) -> Parsed:
        lab = _match_label(v, labels)
        if lab is None:
            return _fail("judge_invalid_label", f"the judge chose {v!r}, which is not one of {labels}")
        return Parsed(lab, None, how)

    try:
        whole = json.loads(body)
    except (ValueError, RecursionError):
        whole = None
    else:
        if isinstance(whole, dict):
            found, v = _first_key(whole, LABEL_KEYS)
            if found:
                return judged(v, "json")
        elif isinstance(whole, str):
            return judged(whole, "json")
    for obj in reversed(_json_objects(pre)):
        if isinstance(obj, dict):
            found, v = _first_key(obj, LABEL_KEYS)
            if found:
                return judged(v, "json_in_text")
    if finish_reason == "length":
        return _fail("judge_truncated", f"the reply was cut at the token limit before a complete answer: {_snippet(pre)}")
    matches = _LABEL_LINE.findall(pre)
    if matches:
        return judged(matches[-1].strip(), "pattern")
    lab = _match_label(body, labels)
    if lab is not None:
        return Parsed(lab, None, "bare_label")
    return _fail("judge_parse_error", f"no label found in the reply: {_snippet(pre)}")
