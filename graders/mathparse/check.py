"""Batch checking: parse caches, the in-process fast path, and the sympy pool.

`MathChecker(options, timeout_s).check(pairs)` returns one `Verdict` per
(answer, reference) pair:

1. Every distinct text is normalised and parsed once (a bounded LRU shared
   by all checkers in the process, so a reference seen in an earlier batch is
   not parsed again). Parsing is pure Python, linear in the text, and bounded
   by graders.mathparse.limits; texts over `max_length` characters are
   refused before any work.
2. Pairs whose normalised texts are identical are equal. Everything else is
   decided in-process by graders.mathparse.compare without sympy (exact
   arithmetic, the decimal rule, numerics); sympy is never imported in the
   calling process. The in-process path only takes pairs it can bound: texts
   up to `FAST_MAX_CHARS` (400) characters, values up to `FAST_MAX_BITS`
   (8192 bits), and a cooperative budget of `FAST_BUDGET_S` (50 ms) per pair.
3. Everything else (pairs only sympy can decide, long texts, big values,
   pairs over the budget) is deduplicated and sent to a shared
   `graders.pool.WorkerPool` (one worker per core up to 8, or
   GRADERS_MATH_WORKERS; sympy preloaded; 4 GB address-space limit each) with
   a hard per-item time limit. A timed-out item is a `timeout` error; the
   worker is killed and replaced and the other items complete.
4. Pool verdicts are kept across batches (`_VerdictCache`, keyed by the
   normalised texts and the options): a pair that needed sympy once is not
   sent again. A timeout is kept as a `timeout` error for the same time limit
   (never as a 0 verdict), so a pair that cannot be decided in time costs its
   timeout once per process, not once per batch.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import gcd

from graders.extract.choice import committed_letter, has_letter

from . import expr as X
from .answer import (
    Answer,
    Choice,
    Interval,
    Matrix,
    Minus,
    ParseFailure,
    Rel,
    Scalar,
    Seq,
    Text,
    Union,
    Where,
)
from .compare import Comparator, NeedsSympy, Options
from .lexer import compact
from .limits import LIMITS
from .parse import _dec_info as dec_info
from .parse import normalized, parse, text_key
from .worded import worded_number


@dataclass(frozen=True, slots=True)
class Verdict:
    """equal: the answers are equivalent. error: an error kind when the pair could not be
    decided (`too_large`, `reference_too_large`, `timeout`, `crashed`, ...), else None."""

    equal: bool
    reason: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    key: str | None  # compact normalised text (None when refused)
    answer: Answer | ParseFailure


class _LRU:
    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.data: OrderedDict[str, Prepared] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, k: str) -> Prepared | None:
        with self.lock:
            v = self.data.get(k)
            if v is not None:
                self.data.move_to_end(k)
            return v

    def put(self, k: str, v: Prepared) -> None:
        with self.lock:
            self.data[k] = v
            if len(self.data) > self.maxsize:
                self.data.popitem(last=False)


_CACHE = _LRU(16_384)
FAST_MAX_CHARS = 400
"""Longer texts are parsed and compared in a worker (under the time limit), not in-process."""
FAST_BUDGET_S = 0.05
"""In-process time budget per pair; past it the pair is finished in a worker."""
FAST_MAX_BITS = 8192
"""Answers whose size bound (graders.mathparse.expr) is larger are compared in a worker."""
_CACHEABLE_LEN = 2000


# The plain numbers most answers and references are (`42`, `-7`, `3,228`, `\\frac{3}{4}`,
# `-\\dfrac{3}{4}`, `3/4`, `0.75`), read without the normaliser and the parser. Each
# alternative is a text that `normalize` leaves as it is (`\\dfrac` only becomes `\\frac`
# in the compact key) and that `parse` reads as one number; tests/mathparse/test_fast_path.py
# checks with hypothesis that both ways give the same key, value and literal kind. ASCII
# digits only: `normalize` rewrites others (`４２` is `42`).
_SIMPLE = re.compile(
    r"(?P<int>-?[0-9]{1,18})"
    r"|(?P<th>[1-9][0-9]{0,2}(?:,[0-9]{3}){1,5})"
    r"|(?P<fs>-?)\\[dt]?frac\{(?P<fp>[0-9]{1,9})\}\{(?P<fq>[1-9][0-9]{0,8})\}"
    r"|(?P<sp>-?[0-9]{1,9})/(?P<sq>[1-9][0-9]{0,8})"
    r"|(?P<dec>-?[0-9]{1,9}\.[0-9]{1,9})"
)


def _plain(text: str) -> tuple[str, int, int, str] | None:
    """(key, numerator, denominator, kind) of a plain number (see `_SIMPLE`; the fraction in
    lowest terms, denominator > 0), else None."""
    m = _SIMPLE.fullmatch(text)
    if m is None:
        return None
    kind = m.lastgroup
    if kind == "int":
        return text, int(text), 1, kind
    if kind == "th":
        return text, int(text.replace(",", "")), 1, kind
    if kind == "dec":
        v = Fraction(text)
        return text, v.numerator, v.denominator, kind
    if kind == "fq":
        p, q = int(m["fp"]), int(m["fq"])
        key = f"{m['fs']}\\frac{{{m['fp']}}}{{{m['fq']}}}"
        if m["fs"]:
            p = -p
    else:
        p, q, key = int(m["sp"]), int(m["sq"]), text
    g = gcd(p, q)
    return key, p // g, q // g, kind


def _simple(text: str) -> Prepared | None:
    """`prepare(text)` for a plain number, else None."""
    got = _plain(text)
    if got is None:
        return None
    key, p, q, kind = got
    if kind in ("int", "th"):
        return Prepared(key, Scalar(X.num(p, literal=True)))
    return Prepared(key, Scalar(X.num(Fraction(p, q), dec_info(text) if kind == "dec" else None)))


def _plain_verdict(answer: str, reference: str, options: Options) -> Verdict | None:
    """`decide` for two plain numbers compared exactly, without building either: the same
    verdict and reason; None when the pair needs the general path (a tolerance, or the
    decimal rule: `0.333333` vs `1/3`)."""
    if options.abs_tol or options.rel_tol:
        return None
    pa = _plain(answer)
    if pa is None:
        return None
    pr = _plain(reference)
    if pr is None:
        return None
    if pa[0] == pr[0]:
        return _IDENTICAL
    if pa[1] == pr[1] and pa[2] == pr[2]:
        note = "equal"
    elif pa[3] == "dec" or pr[3] == "dec":
        return None
    else:
        note = "different"
    return Verdict(note == "equal", f"{note}: {_num_text(pa[1], pa[2])} vs {_num_text(pr[1], pr[2])}")


def _num_text(p: int, q: int) -> str:
    """graders.mathparse.expr.to_text of the number p/q (small: under 256 bits)."""
    return str(p) if q == 1 else f"{p}/{q}"


def prepare(text: str) -> Prepared:
    """Normalise and parse one text (cached)."""
    if len(text) <= 24:
        simple = _simple(text)
        if simple is not None:
            return simple
    cacheable = len(text) <= _CACHEABLE_LEN
    if cacheable:
        got = _CACHE.get(text)
        if got is not None:
            return got
    norm = normalized(text)
    ans = parse(text, normalized_text=norm)
    p = Prepared(compact(norm) if norm is not None else None, ans)
    if cacheable:
        _CACHE.put(text, p)
    return p


def _max_bits(a: Answer) -> int:
    if isinstance(a, Scalar):
        return a.expr.bits
    if isinstance(a, Seq):
        return max((_max_bits(i) for i in a.items), default=0)
    if isinstance(a, Rel):
        return max((_max_bits(i) for i in a.sides), default=0)
    if isinstance(a, Interval):
        return max(a.lo.bits, a.hi.bits)
    if isinstance(a, Union):
        return max((_max_bits(i) for i in a.parts), default=0)
    if isinstance(a, Minus):
        return max(_max_bits(a.base), _max_bits(a.removed))
    if isinstance(a, Matrix):
        return max((c.bits for row in a.rows for c in row), default=0)
    if isinstance(a, Where):
        return max(_max_bits(a.body), _max_bits(a.value))
    return 0


def _task_key(text: str) -> str:
    """Dedupe key for pool tasks: the normalised form of short texts (already cached), else the text."""
    if len(text) > FAST_MAX_CHARS:
        return text
    return prepare(text).key or text


def _as_answer(p: Prepared) -> Answer:
    a = p.answer
    if isinstance(a, ParseFailure):
        return Text(text_key(p.key or ""))
    return a


def decide(answer: str, reference: str, options: Options, *, use_sympy: bool) -> Verdict:
    """The verdict for one pair; raises NeedsSympy when `use_sympy` is False and sympy is needed.

    In fast mode (`use_sympy=False`) long texts are not even parsed here: they go to a
    worker, where the per-item time limit applies to everything.
    """
    if not use_sympy and (len(answer) > FAST_MAX_CHARS or len(reference) > FAST_MAX_CHARS):
        if len(answer) > LIMITS.max_length:
            return Verdict(False, f"answer refused: longer than {LIMITS.max_length} characters", "too_large")
        if len(reference) > LIMITS.max_length:
            return Verdict(False, f"reference refused: longer than {LIMITS.max_length} characters",
                           "reference_too_large")
        raise NeedsSympy
    if len(answer) <= 24 and len(reference) <= 24:
        plain = _plain_verdict(answer, reference, options)
        if plain is not None:
            return plain
    if len(answer) <= 80 and not answer[-1:].isdigit() and _plain(reference) is not None:
        worded = worded_number(answer)  # `2 kPa`, `21 个` vs 2, 21: the number (graders.mathparse.worded)
        if worded is not None:
            answer = worded
    pr = prepare(reference)
    pa = prepare(answer)
    # Identical after normalisation is equal, even for values too large to evaluate
    # (`10^{10^{10}}` against itself): no arithmetic is needed to see it.
    if pa.key and pa.key == pr.key:
        return _IDENTICAL
    if isinstance(pr.answer, ParseFailure) and pr.answer.kind == "too_large":
        return Verdict(False, f"reference refused: {pr.answer.reason}", "reference_too_large")
    if isinstance(pa.answer, ParseFailure) and pa.answer.kind == "too_large":
        return Verdict(False, f"answer refused: {pa.answer.reason}", "too_large")
    a, r = _as_answer(pa), _as_answer(pr)
    if options.choices:
        a, r = _choice_pair(answer, reference, a, r)
    if not use_sympy and (_max_bits(a) > FAST_MAX_BITS or _max_bits(r) > FAST_MAX_BITS):
        raise NeedsSympy  # big exact values (5000!, 2^60000): computed under the time limit
    if type(a) is Scalar and type(r) is Scalar and a.expr.op == "num" and r.expr.op == "num":
        v = _numbers_verdict(a.expr, r.expr, options)
        if v is not None:
            return v
    comp = Comparator(options, use_sympy, budget_s=FAST_BUDGET_S)
    eq = comp.equal(a, r)
    how = ""
    if comp.numeric_fallback:
        how = " (numerically equal to ~50 digits; sympy undecided)"
    elif comp.used_sympy:
        how = " (sympy)"
    note = "equal" if eq else "different"
    if isinstance(pa.answer, ParseFailure):
        note += f"; answer not parsed as math ({pa.answer.reason})"
    return Verdict(eq, f"{note}{how}: {a.describe()[:200]} vs {r.describe()[:200]}")


def _numbers_verdict(a: X.E, r: X.E, options: Options) -> Verdict | None:
    """Two numbers compared exactly (no tolerance): the comparator's verdict and reason without
    the comparator, or None when the decimal rule may apply (`0.333333` vs `\\frac13`)."""
    if options.abs_tol or options.rel_tol:
        return None
    if a.args[0] == r.args[0]:
        note = "equal"
    elif isinstance(a.meta, X.DecInfo) or isinstance(r.meta, X.DecInfo):
        return None
    else:
        note = "different"
    return Verdict(note == "equal", f"{note}: {X.to_text(a)[:200]} vs {X.to_text(r)[:200]}")


_IDENTICAL = Verdict(True, "identical after normalisation")
_OPTION_TEXT = re.compile(r"\(?([A-J])\)?[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Za-z]+){0,5}")


def _choice_pair(answer: str, reference: str, a: Answer, r: Answer) -> tuple[Answer, Answer]:
    """Multiple choice: the letter a prose answer commits to ("for sure D, it can't be A or
    B" -> D; `graders.extract.choice`), read only when the reference is a letter; and a
    reference written as a letter and its option's text ("C Cecile") is that letter (against
    prose only for letters that are not also words: "A Tale of Two Cities" may be a title)."""
    if not isinstance(r, Choice):
        m = _OPTION_TEXT.fullmatch(reference.strip()) if has_letter(reference[:3]) else None
        if m is None:
            return a, r
        if isinstance(a, Choice):
            return a, Choice(m.group(1))
        if m.group(1) in "AI" or (isinstance(a, Text) and a.raw.strip() == reference.strip()):
            return a, r  # "A Tale of Two Cities" may be a title, not option A; the option in full: text
        r = Choice(m.group(1))
    if not isinstance(a, Choice) and has_letter(answer):
        letter = committed_letter(answer, lead=True)
        if letter is not None:
            return Choice(letter), r
    return a, r


class _VerdictCache:
    """Verdicts of pairs that went to the sympy pool, kept across batches (bounded LRU).

    A decided pair (equal or different) is kept whatever the time limit. A `timeout` is
    kept too, as a timeout and never as a wrong answer, but only for the time limit it
    ran under: a checker with a longer `timeout` tries the pair again. Other errors
    (`crashed`, `memory`, `error`) may be transient and are not kept.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.data: OrderedDict[tuple, Verdict] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, timeout_s: float) -> Verdict | None:
        with self.lock:
            for k in (key, (key, timeout_s)):
                v = self.data.get(k)
                if v is not None:
                    self.data.move_to_end(k)
                    return v
        return None

    def put(self, key: tuple, timeout_s: float, v: Verdict) -> None:
        if v.error is None:
            k: tuple = key
        elif v.error == "timeout":
            k = (key, timeout_s)
            v = Verdict(False, v.reason + " (kept: this pair is not retried under the same time limit)", "timeout")
        else:
            return
        with self.lock:
            self.data[k] = v
            if len(self.data) > self.maxsize:
                self.data.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


_VERDICTS = _VerdictCache(32_768)


def pool_task(args: tuple[str, str, tuple]) -> Verdict:
    """Runs in a pool worker: the full comparison, sympy allowed."""
    answer, reference, opts = args
    return decide(answer, reference, Options(*opts), use_sympy=True)


def default_workers() -> int:
    """Sympy workers: GRADERS_MATH_WORKERS, else one per core up to 8."""
    env = os.environ.get("GRADERS_MATH_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(os.cpu_count() or 1, 8))


def get_pool():  # type: ignore[no-untyped-def]
    """The process-wide sympy pool (workers preload sympy; 4 GB address-space limit each)."""
    from graders.pool import shared_pool

    return shared_pool(
        "graders.math",
        max_workers=default_workers(),
        timeout_s=5.0,
        preload=("sympy", "graders.mathparse.check"),
        memory_limit_mb=4096,
    )


class MathChecker:
    """Batch equivalence checks with a per-item time limit for the sympy part."""

    def __init__(self, options: Options | None = None, timeout_s: float = 5.0) -> None:
        self.options = options or Options()
        self.timeout_s = float(timeout_s)

    def warm(self, count: int | None = 1) -> None:
        """Start sympy workers in the background (they take ~1 s to import sympy); more start on demand."""
        get_pool().warm(count)

    def check(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        out: list[Verdict | None] = [None] * len(pairs)
        slow: dict[tuple, list[int]] = {}
        tasks: list[tuple[str, str, tuple]] = []
        opts = self.options
        for i, (a, r) in enumerate(pairs):
            try:
                out[i] = decide(a, r, opts, use_sympy=False)
            except NeedsSympy:
                key = (_task_key(a), _task_key(r), opts)
                if key not in slow:
                    slow[key] = []
                    tasks.append((a, r, opts.as_tuple()))
                slow[key].append(i)
            except RecursionError:
                out[i] = Verdict(False, "nested too deeply", "too_large")
        if slow:
            todo: list[tuple[tuple, list[int]]] = []
            todo_tasks: list[tuple[str, str, tuple]] = []
            for (key, idxs), task in zip(slow.items(), tasks, strict=True):
                hit = _VERDICTS.get(key, self.timeout_s)
                if hit is not None:
                    for i in idxs:
                        out[i] = hit
                else:
                    todo.append((key, idxs))
                    todo_tasks.append(task)
            if todo_tasks:
                results = get_pool().map(pool_task, todo_tasks, timeout_s=self.timeout_s)
                for (key, idxs), res in zip(todo, results, strict=True):
                    if res.ok:
                        v = res.value
                    else:
                        v = Verdict(False, f"{res.error_kind}: {res.message}", res.error_kind or "error")
                    _VERDICTS.put(key, self.timeout_s, v)
                    for i in idxs:
                        out[i] = v
        return [v if v is not None else Verdict(False, "lost", "error") for v in out]
