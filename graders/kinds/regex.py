"""`regex`: 1 when the pattern matches the input (search or fullmatch), every pattern time-bounded.

Patterns come from configs and the text from a policy, so a backtracking
blow-up must cost one row, not a training step. A backtracking engine's
`timeout` is not a bound: `re` has none, and the `regex` module checks its
clock only now and then. So each pattern is classified once, at load time:

- **literal alternation** (`\\boxed\\{|####|answer is`): `in` tests (search) or
  a set lookup (fullmatch). Linear, exact.
- **linear chain** (`(?s)<think>.*</think>\\s*<answer>.*</answer>`, search
  mode): segments joined by DOTALL `.*` gaps, each segment a sequence of
  single characters and runs of one character class where every run is
  fenced by characters outside its class (see `_linear_segment`). Such a
  segment has at most one match per start, `re` finds it in time linear in
  the text, and (checked by `_non_overlapping`) two of its matches never
  overlap, so the leftmost match also ends first and searching the segments
  one after another (`str.find`/`re.search` from the last end) decides the
  whole pattern exactly.
- **everything else**: run in worker processes (`graders.pool`) on the `regex`
  engine with its `timeout`, under a hard per-input deadline (timeout x 1.5
  + 0.25 s) after which the worker is killed. A timed-out input is a
  `regex_timeout` error for that row, never a score.

`explain` shows the pattern and which engine runs it.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any, ClassVar, Literal

import numpy as np
import regex
from pydantic import Field, field_validator

from graders._regex_task import match_bounded
from graders._types import LeafBatch, LeafScorer
from graders.nodes import LeafConfig
from graders.registry import grader_kind

DEFAULT_TIMEOUT_S = 1.0
# Inputs longer than this are not kept in the plan's cross-batch pair cache: matching
# is cheap, and whole completions would pin memory without ever hitting again.
CACHE_MAX_KEY_CHARS = 256
POOL_NAME = "regex"

_c = re._constants  # type: ignore[attr-defined]
_SINGLE = {_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_CATEGORIES = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
               _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W"}


# --------------------------------------------------------------------------- analysis


def _char(c: int) -> str:
    return f"\\U{c:08x}"


def _unparse_single(op: Any, av: Any) -> str | None:
    """Pattern text for one single-character item, or None when unsupported."""
    if op is _c.LITERAL:
        return _char(av)
    if op is _c.NOT_LITERAL:
        return f"[^{_char(av)}]"
    if op is _c.ANY:
        return "."
    if op is _c.IN:
        out = []
        for iop, iav in av:
            if iop is _c.NEGATE:
                out.append("^")
            elif iop is _c.LITERAL:
                out.append(_char(iav))
            elif iop is _c.RANGE:
                out.append(f"{_char(iav[0])}-{_char(iav[1])}")
            elif iop is _c.CATEGORY and iav in _CATEGORIES:
                out.append(_CATEGORIES[iav])
            else:
                return None
        return "[" + "".join(out) + "]"
    return None


class _Item:
    """One single-character position of a segment: its text and a membership test."""

    __slots__ = ("lit", "lo", "hi", "text", "test", "lazy")

    def __init__(self, op: Any, av: Any, flags: int, lo: int = 1, hi: int = 1, lazy: bool = False) -> None:
        self.text = _unparse_single(op, av)
        self.lit = chr(av) if op is _c.LITERAL else None
        self.lo, self.hi, self.lazy = lo, hi, lazy
        self.test = re.compile(self.text, flags).fullmatch if self.text is not None else None

    @property
    def single(self) -> bool:
        return self.lo == 1 and self.hi == 1

    def disjoint(self, other: _Item) -> bool:
        """True only when no character can match both (decided exactly when one is a literal)."""
        if self.lit is not None and other.test is not None:
            return other.test(self.lit) is None
        if other.lit is not None and self.test is not None:
            return self.test(other.lit) is None
        return False

    def pattern(self) -> str:
        assert self.text is not None
        if self.single:
            return self.text
        hi = "" if self.hi == _c.MAXREPEAT else str(self.hi)
        return f"{self.text}{{{self.lo},{hi}}}" + ("?" if self.lazy else "")


def _segment_items(items: list[tuple[Any, Any]], flags: int) -> list[_Item] | None:
    out = []
    for op, av in items:
        if op in _SINGLE:
            it = _Item(op, av, flags)
        elif op in _REPEATS and len(av[2]) == 1 and av[2][0][0] in _SINGLE:
            lo, hi, body = av
            it = _Item(body[0][0], body[0][1], flags, lo, hi, lazy=op is _c.MIN_REPEAT)
        else:
            return None
        if it.text is None:
            return None
        out.append(it)
    return out


def _linear_segment(seg: list[_Item], anchored: bool = False) -> bool:
    """Single characters and fenced runs: one match at most per start, found in linear time.

    Rules: the first item is a single character outside every run's class; every
    run sits between two single characters that are both outside its class (so
    the run is forced to be maximal, and a start can neither begin inside a run
    nor reach it by two paths). A run may end the segment. An `anchored`
    segment (matched at one position only) may also begin with a run.
    """
    if not seg or (not anchored and not seg[0].single):
        return False
    runs = [i for i, it in enumerate(seg) if not it.single]
    for i in runs:
        run = seg[i]
        if i > 0:
            prev = seg[i - 1]
            if not prev.single or not prev.disjoint(run):
                return False
        if not anchored and not seg[0].disjoint(run):
            return False
        if i + 1 < len(seg):
            nxt = seg[i + 1]
            if not nxt.single or not nxt.disjoint(run):
                return False
    return True


def _non_overlapping(seg: list[_Item]) -> bool:
    """True when no match of `seg` can start inside another match (so leftmost = earliest end).

    A second start must match the segment's leading block of single characters;
    runs cannot hold it (their class excludes the first character), so it is
    enough that the leading block is incompatible with every later offset of
    every block. Unknown characters count as compatible.
    """
    blocks: list[list[_Item]] = [[]]
    for it in seg:
        if it.single:
            blocks[-1].append(it)
        else:
            blocks.append([])
    head = blocks[0]
    for b, block in enumerate(blocks):
        for off in range(1 if b == 0 else 0, len(block)):
            span = min(len(head), len(block) - off)  # past the block: unknown, so compatible
            compatible = all(not head[k].disjoint(block[off + k]) for k in range(span))
            if compatible:
                return False
    return True


def _literal_alternatives(parsed: Any) -> list[str] | None:
    """The strings of a pattern that is an alternation of plain literals, else None."""
    items = list(parsed)
    if len(items) == 1 and items[0][0] is _c.BRANCH:
        branches = items[0][1][1]
    elif len(items) == 1 and items[0][0] is _c.IN and all(op is _c.LITERAL for op, _ in items[0][1]):
        return [chr(av) for _, av in items[0][1]]
    else:
        branches = [items]
    out = []
    for br in branches:
        if not br or not all(op is _c.LITERAL for op, _ in br):
            return None
        out.append("".join(chr(av) for _, av in br))
    return out


_Matcher = Callable[[str], bool]


# Needles up to this long are searched from the end (`rfind`): format markers and
# answers sit at the end of a completion, so the reverse search meets them at once
# (measured on the GRPO batch: 1.7 ms vs 4.7 ms per 4,096 rows for three markers).
# Longer needles keep `in`, whose two-way search stays linear for any needle (the
# reverse search is O(len(text) * len(needle)) at worst, bounded here by 32x).
RFIND_MAX_CHARS = 32


def _contains_any(alts: tuple[str, ...]) -> _Matcher:
    """`any(a in t for a in alts)` without a generator per call (the common 1-4 alternatives).

    The matcher's `column(texts)` gives the same answers for a whole batch as a float
    array, with C-level maps: each alternative is searched only in the texts that
    none of the earlier ones was found in."""
    matcher = _contains_any_one(alts)
    matcher.column = _any_column(alts)  # type: ignore[attr-defined]
    return matcher


def _any_column(alts: tuple[str, ...]) -> Callable[[Sequence[str]], np.ndarray]:
    reverse = len(alts) <= 4 and max(map(len, alts)) <= RFIND_MAX_CHARS  # as _contains_any_one

    def column(texts: Sequence[str]) -> np.ndarray:
        found = np.zeros(len(texts), dtype=bool)
        todo: Sequence[str] = texts
        miss: np.ndarray | None = None
        for a in alts:
            if reverse:
                got = np.fromiter(map(operator.methodcaller("rfind", a), todo), dtype=np.int64, count=len(todo)) >= 0
            else:
                got = np.fromiter(map(operator.contains, todo, repeat(a)), dtype=bool, count=len(todo))
            if miss is None:
                found = got
            else:
                found[miss] = got
            miss = np.flatnonzero(~found)
            if not len(miss):
                break
            todo = [texts[i] for i in miss.tolist()]
        return found.astype(np.float64)

    return column


def _contains_any_one(alts: tuple[str, ...]) -> _Matcher:
    if len(alts) > 4 or max(map(len, alts)) > RFIND_MAX_CHARS:
        if len(alts) == 1:
            (a,) = alts
            return lambda t: a in t
        return lambda t: any(a in t for a in alts)
    if len(alts) == 1:
        (a,) = alts
        return lambda t: t.rfind(a) >= 0
    if len(alts) == 2:
        a, b = alts
        return lambda t: t.rfind(a) >= 0 or t.rfind(b) >= 0
    if len(alts) == 3:
        a, b, c = alts
        return lambda t: t.rfind(a) >= 0 or t.rfind(b) >= 0 or t.rfind(c) >= 0
    a, b, c, d = alts
    return lambda t: t.rfind(a) >= 0 or t.rfind(b) >= 0 or t.rfind(c) >= 0 or t.rfind(d) >= 0


def plan_pattern(pattern: str, flags: int, mode: str) -> tuple[str, _Matcher | None]:
    """(engine name, in-process matcher) for a pattern; matcher None means 'worker processes'.

    `flags` are `re` flags (IGNORECASE, MULTILINE, DOTALL).
    """
    try:
        parsed = re._parser.parse(pattern, flags)  # type: ignore[attr-defined]
    except (re.error, RecursionError, OverflowError, ValueError):
        return "bounded", None
    gflags = parsed.state.flags & ~re.VERBOSE  # segments are re-emitted without whitespace
    if gflags & re.LOCALE:
        return "bounded", None
    alts = _literal_alternatives(parsed)
    if alts is not None:
        if gflags & re.IGNORECASE:
            compiled = re.compile(pattern, flags)  # a literal alternation backtracks linearly
            m = compiled.search if mode == "search" else compiled.fullmatch
            return "literal", lambda t: m(t) is not None
        if mode == "fullmatch":
            fs = frozenset(alts)
            return "literal", fs.__contains__
        return "literal", _contains_any(tuple(alts))
    if gflags & re.IGNORECASE:
        return "bounded", None
    return _chain(list(parsed), gflags, fullmatch=mode == "fullmatch")


def _chain(items: list[tuple[Any, Any]], flags: int, fullmatch: bool = False) -> tuple[str, _Matcher | None]:
    """Segments separated by DOTALL `.*` gaps, searched one after another.

    A leading `^`/`\\A` (not MULTILINE) pins the first segment to position 0; a
    trailing `$`/`\\Z` is appended to the last segment's own pattern (so its
    meaning, MULTILINE included, is `re`'s). `fullmatch` is both.
    """
    dotall = bool(flags & re.DOTALL)

    def is_gap(op: Any, av: Any) -> bool:
        return (dotall and op in _REPEATS and av[0] == 0 and av[1] == _c.MAXREPEAT
                and len(av[2]) == 1 and av[2][0][0] is _c.ANY)

    anchored = fullmatch
    suffix = r"\Z" if fullmatch else ""
    if items and items[0][0] is _c.AT and items[0][1] in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING):
        if items[0][1] == _c.AT_BEGINNING and flags & re.MULTILINE:
            return "bounded", None
        items, anchored = items[1:], True
    if items and items[-1][0] is _c.AT and items[-1][1] in (_c.AT_END, _c.AT_END_STRING):
        if not suffix:
            suffix = "$" if items[-1][1] == _c.AT_END else r"\Z"
        items = items[:-1]
    if any(op is _c.AT for op, _ in items):
        return "bounded", None
    # A gap next to an anchor makes the anchor free: `^.*x` is `x` anywhere, `x.*$` ends anywhere.
    if anchored and items and is_gap(*items[0]):
        anchored = False
    if suffix and items and is_gap(*items[-1]):
        suffix = ""
    segments: list[list[tuple[Any, Any]]] = [[]]
    for op, av in items:
        if is_gap(op, av):
            segments.append([])
        else:
            segments[-1].append((op, av))
    segments = [s for s in segments if s]
    if not segments:
        return ("literal", lambda t: True) if not anchored and not suffix else ("bounded", None)
    finders: list[Callable[[str, int], int]] = []
    # The same segments for a search from the end (see _reverse_matcher): (literal head, its
    # length, match(text, pos, endpos) or None for an all-literal segment, pinned).
    steps: list[tuple[str, int, Callable[..., Any] | None, bool]] = []
    for k, seg in enumerate(segments):
        parsed_items = _segment_items(seg, flags)
        first, last = k == 0, k == len(segments) - 1
        pinned = first and anchored
        if parsed_items is None or not _linear_segment(parsed_items, anchored=pinned):
            return "bounded", None
        if not last and (not parsed_items[-1].single or (not pinned and not _non_overlapping(parsed_items))):
            return "bounded", None
        tail = suffix if last else ""
        head = ""
        for it in parsed_items:
            if it.lit is None or not it.single or len(head) == RFIND_MAX_CHARS:
                break
            head += it.lit
        if not pinned and not tail and all(it.lit is not None and it.single for it in parsed_items):
            lit = "".join(it.lit for it in parsed_items)  # type: ignore[misc]
            n = len(lit)
            finders.append(lambda t, pos, lit=lit, n=n: (lambda i: -1 if i < 0 else i + n)(t.find(lit, pos)))
            steps.append((lit if n <= RFIND_MAX_CHARS else "", n, None, False))
            continue
        rx = re.compile("".join(it.pattern() for it in parsed_items) + tail, flags)
        find = rx.match if pinned else rx.search
        finders.append(lambda t, pos, f=find: (lambda m: -1 if m is None else m.end())(f(t, pos)))
        steps.append((head, len(head), rx.match, pinned))

    def match(t: str) -> bool:
        pos = 0
        for f in finders:
            pos = f(t, pos)
            if pos < 0:
                return False
        return True

    if all(head or pinned for head, _, _, pinned in steps):
        return "linear", _reverse_matcher(steps[::-1], match)
    return "linear", match


# Failed tries (a head occurrence where its segment does not match) before the reverse search
# hands the text to the forward one: tries are Python-level, the forward search scans in C.
REVERSE_TRIES = 8


def _reverse_matcher(steps: list[tuple[str, int, Callable[..., Any] | None, bool]], forward: _Matcher) -> _Matcher:
    """The chain decided from the end: completions put their format markers and answer last,
    so `rfind` meets them at once where a forward search scans the whole reasoning.

    Segments from the last to the first: each takes its match with the largest start that
    ends by the start of the one chosen after it (the best room for the segments before it;
    a segment has at most one match per start, and a match cut off by `endpos` is the same
    match: non-last segments end with a single character outside their runs). Candidates
    are the occurrences of the segment's literal head, right to left (`rfind`, heads of at
    most RFIND_MAX_CHARS); a pinned first segment is tried at 0. A run stops at the next
    occurrence's first character (it is outside every run's class), so the tries cost
    linear time in all; past REVERSE_TRIES failed tries (a text full of near-misses) the
    text goes to the forward search instead."""

    def match(t: str) -> bool:
        lim = len(t)
        tries = REVERSE_TRIES
        for head, n, m, pinned in steps:
            if pinned:
                return m(t, 0, lim) is not None  # type: ignore[misc]  # the first segment: the last step
            i = t.rfind(head, 0, lim)
            if m is not None:
                while i >= 0 and m(t, i, lim) is None:
                    tries -= 1
                    if not tries:
                        return forward(t)
                    i = t.rfind(head, 0, i + n - 1)
            if i < 0:
                return False
            lim = i
        return True

    return match


# --------------------------------------------------------------------------- worker side


def _pool() -> Any:
    import os

    from graders.pool import shared_pool

    return shared_pool(POOL_NAME, max_workers=min(4, os.cpu_count() or 1), timeout_s=DEFAULT_TIMEOUT_S * 2,
                       preload=("graders._regex_task",), chunk_size=64)


# --------------------------------------------------------------------------- config


def _re_flags(cfg: RegexConfig) -> int:
    return (re.IGNORECASE if cfg.ignore_case else 0) | (re.MULTILINE if cfg.multiline else 0) | (re.DOTALL if cfg.dotall else 0)


@grader_kind
class RegexConfig(LeafConfig):
    """1 when `pattern` matches the input, else 0.

    Args:
        pattern: a regular expression (Python/`regex` syntax).
        mode: search (anywhere) or fullmatch (the whole input).
        ignore_case, multiline, dotall: flags.
        timeout: seconds allowed per input (patterns that are not provably
            linear run in worker processes under this bound).

    Example:
        ```yaml
        type: regex
        pattern: "(?s)<think>.*</think>\\\\s*<answer>.*</answer>"
        ```
    """

    type: Literal["regex"]
    pattern: str
    mode: Literal["search", "fullmatch"] = "search"
    ignore_case: bool = False
    multiline: bool = False
    dotall: bool = False
    timeout: float = Field(DEFAULT_TIMEOUT_S, gt=0, le=60)

    requires_reference = False
    cache_key_max_chars: ClassVar[int] = CACHE_MAX_KEY_CHARS
    direct_scoring: ClassVar[bool] = True  # a match is cheaper than dedupe + cache lookups

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            regex.compile(v)
        except (regex.error, OverflowError, RecursionError, ValueError) as exc:
            raise ValueError(f"pattern {v!r} does not compile: {exc}") from None
        return v

    def engine(self) -> str:
        """`literal`, `linear` (in-process, linear time) or `bounded` (worker processes)."""
        return plan_pattern(self.pattern, _re_flags(self), self.mode)[0]

    def describe_extra(self) -> str:
        return f"pattern={self.pattern!r} mode={self.mode} engine={self.engine()}"

    def make_scorer(self) -> LeafScorer:
        flags = regex.V0
        if self.ignore_case:
            flags |= regex.IGNORECASE
        if self.multiline:
            flags |= regex.MULTILINE
        if self.dotall:
            flags |= regex.DOTALL
        _, fast = plan_pattern(self.pattern, _re_flags(self), self.mode)
        timeout = self.timeout
        hard = timeout * 1.5 + 0.25
        pattern, mode = self.pattern, self.mode

        if fast is not None:
            column = getattr(fast, "column", None)

            def score_fast(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
                if column is not None and len(inputs) >= 64:  # (its numpy steps cost ~10 us per call)
                    return LeafBatch(column(inputs))
                return LeafBatch(np.fromiter(map(fast, inputs), dtype=np.float64, count=len(inputs)))

            return score_fast

        def score(inputs: Sequence[str], refs: Sequence[str | None]) -> LeafBatch:
            results = _pool().map(match_bounded, [(pattern, int(flags), mode, timeout, t) for t in inputs],
                                  timeout_s=hard)
            out = np.zeros(len(inputs))
            errors: dict[int, tuple[str, str]] = {}
            for i, r in enumerate(results):
                if r.ok and r.value >= 0:
                    out[i] = r.value
                elif r.ok or r.error_kind == "timeout":
                    errors[i] = ("regex_timeout", f"pattern took longer than {timeout:g}s on this input "
                                                  f"({len(inputs[i])} characters)")
                else:
                    errors[i] = ("regex_error", f"{r.error_kind}: {r.message}")
            return LeafBatch(out, errors=errors)

        return score
