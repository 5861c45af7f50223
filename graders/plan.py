"""The compiled batch plan: a frozen tree of PlanNodes executed column-wise.

`graders.load()` compiles a config tree once into PlanNodes. `score()` then
runs the root over the whole batch: each node receives the row indices it must
score (a `gate` or a zero `product` narrows them for later children) and
returns one value and one status per row. Leaves render templates and extract
answers once per distinct input (memoised in the BatchContext and shared by
every leaf reading the same input), score each distinct (answer, reference)
pair once, and keep a bounded LRU cache of pair results across batches.
"""

from __future__ import annotations

import dataclasses
import operator
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, islice, repeat
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from graders._types import ERROR, NOT_APPLICABLE, SCORED, LeafBatch, RowError
from graders.errors import ScoringError
from graders.extract._core import MAX_DISTINCT_CANDIDATES
from graders.templates import MODEL_ERROR_KINDS, Template, TemplateMissing

if TYPE_CHECKING:
    from graders.nodes import LeafConfig, NodeConfig

# Pairs whose answer is longer than this are scored but not kept in the cross-batch
# cache: long free-text inputs rarely repeat across batches and would pin memory.
CACHE_MAX_KEY_CHARS = 2048
DEFAULT_CACHE_ENTRIES = 65_536
# How much of a rendered input `explain` shows.
TRACE_MAX_CHARS = 2000


@dataclass(frozen=True)
class OptFlags:
    """Switchable optimisation passes (all on by default); tests turn them off to compare."""

    dedupe: bool = True  # score each distinct (answer, reference) pair once per batch
    cache: bool = True  # keep pair results across batches (deterministic kinds only)
    short_circuit: bool = True  # gate / product skip children their result no longer needs
    # Pause Python's cyclic garbage collector during score(): a batch allocates ~10^4
    # small containers and no reference cycles, so collections triggered mid-batch only
    # add jitter (measured: cold batch 24-45 ms with, 21-27 ms without). The caller's
    # GC state is restored afterwards; refcounting frees everything as usual.
    pause_gc: bool = True
    cache_entries: int = DEFAULT_CACHE_ENTRIES

    @classmethod
    def none(cls) -> OptFlags:
        return cls(dedupe=False, cache=False, short_circuit=False, pause_gc=False)


class NodeOut(NamedTuple):
    """Values and statuses aligned with the `rows` a node was run on."""

    values: np.ndarray
    status: np.ndarray


class _Failure:
    """A per-row failure while rendering or extracting (kept in memo columns)."""

    __slots__ = ("kind", "message")

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        self.message = message


_UNSET = object()


class BatchContext:
    """Everything one score() call shares between nodes: rows, memo columns, results."""

    def __init__(
        self,
        texts: list[str],
        samples: list[Any],
        items: list[Any],
        *,
        opt: OptFlags,
        trace: bool = False,
    ) -> None:
        self.n = len(texts)
        self.texts = texts
        self._samples = samples  # str (a bare completion) or a normalised sample dict
        self.items = items
        self.opt = opt
        self.errors: dict[int, list[RowError]] = {}
        self.components: dict[str, np.ndarray] = {}
        self.memo: dict[Any, list[Any]] = {}
        self.trace: dict[str, dict[str, Any]] | None = {} if trace else None
        self.counters: dict[str, int] = {}
        self.usage: dict[str, Any] = {}
        # Rows the root runs on (bad input rows excluded) and the caller's group ids
        # (`score(..., groups=...)`): nodes that need the whole group read them.
        self.root_rows: np.ndarray | None = None
        self.groups: list[Any] | None = None
        # Rows whose sample dict has no `output_text` (texts[r] is "" there): a template
        # reading it fails for those rows with `missing_field`.
        self.no_output_text: set[int] = set()

    @property
    def samples(self) -> _SampleView:
        """`ctx.samples[r]`: row r's sample dict (a view; dicts are made on first use)."""
        return _SampleView(self)

    def sample(self, r: int) -> dict[str, Any]:
        """Row r's sample as a dict (made on first use: most batches are plain strings)."""
        s = self._samples[r]
        if type(s) is str:
            s = self._samples[r] = {"output_text": s}
        return s  # type: ignore[no-any-return]

    def sample_field(self, rows: np.ndarray, name: str) -> list[Any]:
        """`sample[name]` for each row (None where absent or the sample is a bare string)."""
        s = self._samples
        return [s[r].get(name) if type(s[r]) is dict else None for r in rows.tolist()]

    # -- per-row bookkeeping -------------------------------------------------
    def add_error(self, row: int, kind: str, grader: str, message: str) -> None:
        self.errors.setdefault(row, []).append(RowError(kind, grader or "<root>", message))

    def count(self, name: str, k: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + k

    def record(self, path: str, rows: np.ndarray, out: NodeOut) -> None:
        if not path:
            return
        comp = self.components.get(path)
        if comp is None:
            comp = self.components[path] = np.full(self.n, np.nan)
        comp[rows] = out.values

    # -- memoised columns ----------------------------------------------------
    def rendered(self, tpl: Template, rows: np.ndarray) -> list[Any]:
        """Rendered template per row (aligned with rows): str or _Failure. The caller must
        not modify the returned list (it may be the batch's own column)."""
        if tpl.is_output_text:
            texts = self.texts
            if self.no_output_text:
                miss = _Failure(TemplateMissing.kind, "sample.output_text is absent from this sample "
                                                      "(template {{ sample.output_text }})")
                return [miss if r in self.no_output_text else texts[r] for r in rows.tolist()]
            if len(rows) == self.n:
                return texts
            return [texts[r] for r in rows.tolist()]
        rows_l = rows.tolist()
        items = self.items
        if tpl.item_only:
            # A template reading only `item.*` renders once per distinct item object (a GRPO
            # group shares its dataset row); the per-row work is C-level maps.
            full = len(rows_l) == self.n
            if full:  # the whole column, kept for the next leaf reading it (a shared reference)
                whole = self.memo.get(("item_col", tpl.key))
                if whole is not None:
                    return whole
            by_item: dict[int, Any] = self.memo.setdefault(("items", tpl.key), {})  # type: ignore[assignment]
            ids = list(map(id, map(items.__getitem__, rows_l)))
            first_row = dict(zip(ids, rows_l, strict=True))
            for i in first_row.keys() - by_item.keys():
                by_item[i] = self._render(tpl, first_row[i])
            out = list(map(by_item.__getitem__, ids))
            if full:
                self.memo[("item_col", tpl.key)] = out
            return out
        col = self.memo.get(tpl.key)
        if col is None:
            col = self.memo[tpl.key] = [_UNSET] * self.n
        out = [col[r] for r in rows_l]
        if _UNSET in out:
            for k, r in enumerate(rows_l):
                if out[k] is _UNSET:
                    col[r] = out[k] = self._render(tpl, r)
        return out

    def _render(self, tpl: Template, r: int) -> Any:
        try:
            return tpl.render(self.sample(r), self.items[r])
        except TemplateMissing as exc:
            return _Failure(exc.kind, str(exc))

    def extracted(self, tpl: Template, extractor: Any, rows: np.ndarray) -> list[Any]:
        """Extraction candidates per row (aligned with rows): tuple[str, ...] or _Failure.

        Memoised per (template, extractor) as a column over the batch, so leaves
        reading the same answer share the work, and computed once per distinct text,
        so repeated completions (GRPO groups) are extracted once. The caller must not
        modify the returned list.
        """
        texts = self.rendered(tpl, rows)
        if extractor is None:
            return [t if type(t) is _Failure else (t,) for t in texts]
        key = ("xt", tpl.source, extractor.key)
        col: list[Any] | None = self.memo.get(key)
        if col is None and len(rows) == self.n:  # the usual case: the whole batch at once
            probes = None
            if texts is self.texts or _Failure not in set(map(type, texts)):
                # Shared by every extractor reading this input.
                probes = self.memo.get(("probes", tpl.source))
                if probes is None:
                    probes = self.memo[("probes", tpl.source)] = _Probes(texts)
            col = self.memo[key] = _extract_column(extractor, texts, probes)
            return col
        if col is None:
            col = self.memo[key] = [_UNSET] * self.n
        rows_l = rows.tolist()
        out = [col[r] for r in rows_l]
        if _UNSET in out:
            miss = [k for k, v in enumerate(out) if v is _UNSET]
            for k, v in zip(miss, _extract_column(extractor, [texts[k] for k in miss]), strict=True):
                out[k] = col[rows_l[k]] = v
        return out


# A text's dedupe probe: the 64 characters that end 256 before its end (the tail
# itself is often a shared template such as "... \\boxed{42}.</answer>"), or the whole
# text when it is 256 characters or shorter.
PROBE_FROM, PROBE_TO = -320, -256
_PROBE = operator.itemgetter(slice(PROBE_FROM, PROBE_TO))


class _Probes:
    """Cheap dedupe keys for a column of str texts (see PROBE_FROM).

    Finding the distinct texts by hashing them all reads every character (2.7 ms
    per 4,096 GRPO completions, more than some extractors cost). Texts whose probes
    are unique are distinct for sure and need no further dedupe; only texts sharing
    a probe are deduplicated by their full text. Same result, less reading.
    """

    __slots__ = ("probes", "shared")

    def __init__(self, texts: list[str]) -> None:
        self.probes = list(map(_PROBE, texts))  # C-level; a text of <= 256 chars gives ""...
        if self.probes.count(""):  # ...and is its own probe
            self.probes = [p or t for p, t in zip(self.probes, texts, strict=True)]
        self.shared: set[str] | None = None  # probes met more than once (None: every probe unique)
        if len(set(self.probes)) < len(self.probes):
            self.shared = {p for p, c in Counter(self.probes).items() if c > 1}


def _extract_column(extractor: Any, texts: list[Any], probes: _Probes | None = None) -> list[Any]:
    """extractor(text) per text (a _Failure passes through), each distinct text once."""
    if probes is None:
        if _Failure in set(map(type, texts)):
            cache: dict[str, Any] = {}
            return [t if type(t) is _Failure else _extract_cached(cache, extractor, t) for t in texts]
        probes = _Probes(texts)
    shared = probes.shared
    if shared is None:
        return _map_extractor(extractor, texts)
    pairs = list(zip(texts, probes.probes, strict=True))
    distinct = list(dict.fromkeys([t for t, p in pairs if p in shared]))
    by_text = dict(zip(distinct, _map_extractor(extractor, distinct), strict=True))
    lone = iter(_map_extractor(extractor, [t for t, p in pairs if p not in shared]))
    return [by_text[t] if p in shared else next(lone) for t, p in pairs]


def _map_extractor(extractor: Any, texts: list[str]) -> list[Any]:
    """The extractor's function over str texts at C speed (a map); if any text raises,
    each is redone on its own so that only that row fails."""
    fn = getattr(extractor, "_fn", extractor)
    try:
        return list(map(fn, texts))
    except Exception:  # noqa: BLE001
        return [_run_extractor(extractor, t) for t in texts]


def _extract_cached(cache: dict[str, Any], extractor: Any, text: str) -> Any:
    v = cache.get(text, _UNSET)
    if v is _UNSET:
        v = cache[text] = _run_extractor(extractor, text)
    return v


def _pair_rows(cands_col: list[Any], refs_col: list[Any], dedupe: bool) -> tuple[Any, ...]:
    """Partition rows into clean (one answer, nothing failed) and messy; dedupe clean pairs."""
    m = len(cands_col)
    refs_ok = _Failure not in set(map(type, refs_col))
    clean: list[int] | None
    one = None
    if refs_ok and set(map(type, cands_col)) == {tuple}:
        lens = set(map(len, cands_col))
        one = lens == {1}
    if one:
        messy: list[int] = []
        clean = None  # every row
        clean_keys = list(zip(map(_first, cands_col), refs_col, strict=True))
    elif one is not None:  # nothing failed; some rows have no answer or several (C-level passes)
        ok = list(map((1).__eq__, map(len, cands_col)))
        messy = list(compress(range(m), map(operator.not_, ok)))
        clean = list(compress(range(m), ok))
        clean_keys = list(zip(map(_first, compress(cands_col, ok)), compress(refs_col, ok), strict=True))
    else:
        messy = [j for j, (c, r) in enumerate(zip(cands_col, refs_col, strict=True))
                 if type(c) is not tuple or len(c) != 1 or type(r) is _Failure]
        messy_set = set(messy)
        clean = [j for j in range(m) if j not in messy_set]
        clean_keys = [(cands_col[j][0], refs_col[j]) for j in clean]
    key_index: dict[Any, Any] = {}
    if dedupe:
        keys: list[Any] = list(dict.fromkeys(clean_keys))
        key_index = dict(zip(keys, range(len(keys)), strict=True))
        clean_idx = list(map(key_index.__getitem__, clean_keys))
    else:
        keys = list(clean_keys)
        clean_idx = list(range(len(keys)))
    return messy, clean, keys, key_index, clean_idx


class _SampleView:
    __slots__ = ("ctx",)

    def __init__(self, ctx: BatchContext) -> None:
        self.ctx = ctx

    def __getitem__(self, r: int) -> dict[str, Any]:
        return self.ctx.sample(r)

    def __len__(self) -> int:
        return self.ctx.n


def _run_extractor(extractor: Any, text: str) -> Any:
    try:
        return extractor(text)
    except Exception as exc:  # ExtractionTimeout and anything unexpected: a row error, not a crash
        kind = "extraction_timeout" if "Timeout" in type(exc).__name__ else "extraction_error"
        return _Failure(kind, f"{type(exc).__name__}: {exc}")


class PlanNode:
    """One node of the compiled plan."""

    kind: str = "node"

    def __init__(self, config: NodeConfig, path: str) -> None:
        self.config = config
        self.path = path
        self.on_error = config.on_error
        self.range = config.range
        self.children: list[tuple[str, PlanNode]] = []

    # Subclasses implement _run: values/status aligned with rows.
    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        raise NotImplementedError

    def run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        t0 = time.perf_counter()
        if len(rows) == 0:
            out = NodeOut(np.zeros(0), np.zeros(0, dtype=np.int8))
        else:
            out = self._run(ctx, rows)
            if self.range is not None:
                # Clip scored values only: an error keeps its on_error value (0 or NaN), so a
                # failed row on a [1, 10] scale does not turn into a 1.
                ok = out.status != ERROR
                out.values[ok] = np.clip(out.values[ok], self.range[0], self.range[1])
        ctx.record(self.path, rows, out)
        if ctx.trace is not None:
            node = ctx.trace.setdefault(self.path, {})
            node["time_ms"] = node.get("time_ms", 0.0) + (time.perf_counter() - t0) * 1000
            if len(rows):
                node["score"] = float(out.values[0])
                node["status"] = int(out.status[0])
        return out

    def fail_value(self, ctx: BatchContext, row: int, kind: str, message: str) -> float:
        """Record a per-row error originating at this node; return the on_error value."""
        ctx.add_error(row, kind, self.path, message)
        if self.on_error == "raise":
            raise ScoringError(f"{self.path or '<root>'}: row {row}: {kind}: {message}", ctx.errors.get(row))
        return float("nan") if self.on_error == "skip" else 0.0

    # -- explain -------------------------------------------------------------
    def describe(self) -> str:
        return self.kind

    def explain(self) -> str:
        """The plan below this node as text, one line per node (what `graders explain` prints)."""
        return "\n".join(self.explain_lines())

    def explain_lines(self, indent: int = 0, key: str = "") -> list[str]:
        label = f"{key}: " if key else ""
        extras = []
        if self.range is not None:
            extras.append(f"range={list(self.range)}")
        if self.on_error != "zero":
            extras.append(f"on_error={self.on_error}")
        line = "  " * indent + label + self.describe() + (f" [{', '.join(extras)}]" if extras else "")
        lines = [line]
        for k, child in self.children:
            lines.extend(child.explain_lines(indent + 1, k))
        return lines


class _LRU:
    """A bounded, thread-safe LRU map of pair results shared across batches."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.data: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = 0
        self.misses = 0


class LeafNode(PlanNode):
    """Render -> extract -> dedupe -> cache -> score pairs in one batch call."""

    def __init__(self, config: LeafConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path)
        from graders.extract import compile_extractor

        self.kind = getattr(config, "type", "leaf")
        self.input_tpl = Template.parse(config.input)
        self.ref_tpl = (dataclasses.replace(Template.parse(config.reference), null_missing=True)
                        if config.reference is not None else None)
        self.extractor = compile_extractor(config.extract) if config.extract is not None else None
        self.policy = self.extractor.policy if self.extractor is not None else "last"
        self.scorer = config.make_scorer()
        self.opt = compiler.opt
        cacheable = type(config).deterministic and compiler.opt.cache
        self.cache = _LRU(compiler.opt.cache_entries) if cacheable else None
        # Longest answer/reference kept in the cross-batch cache (a kind may lower it).
        self.cache_key_max = min(CACHE_MAX_KEY_CHARS, getattr(type(config), "cache_key_max_chars", CACHE_MAX_KEY_CHARS))
        # Kinds cheaper than dedupe + cache (regex) score inputs directly when nothing
        # is extracted and there is no reference.
        self.direct = (getattr(type(config), "direct_scoring", False) and self.extractor is None
                       and self.ref_tpl is None)
        extra = getattr(config, "describe_extra", None)
        self.detail: str | None = extra() if callable(extra) else None  # e.g. a regex's pattern and engine

    def describe(self) -> str:
        parts = [f"{self.kind}", f"input={self.input_tpl.source!r}"]
        if self.detail:
            parts.append(self.detail)
        if self.ref_tpl is not None:
            parts.append(f"reference={self.ref_tpl.source!r}")
        if self.extractor is not None:
            parts.append(f"extract={self.extractor.describe()}")
            parts.append(f"multiple={self.policy}")
        flags = []
        if self.opt.dedupe:
            flags.append("dedupe")
        if self.cache is not None:
            flags.append(f"cache<={self.cache.maxsize}")
        if flags:
            parts.append("+".join(flags))
        return "leaf " + " ".join(parts)

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        m = len(rows)
        if self.direct and ctx.trace is None:
            out = self._run_direct(ctx, rows)
            if out is not None:
                return out
        values = np.zeros(m)
        status = np.zeros(m, dtype=np.int8)
        cands_col = ctx.extracted(self.input_tpl, self.extractor, rows)
        refs_col = ctx.rendered(self.ref_tpl, rows) if self.ref_tpl is not None else None
        row_list = rows.tolist()
        policy = self.policy
        dedupe = self.opt.dedupe
        if refs_col is None:
            refs_col = [None] * m

        # 1. Work out the (answer, reference) pairs each row needs. Clean rows (one
        #    candidate, nothing failed) take a vectorised path; the rest are few.
        #    Sibling leaves grading the same answer against the same reference on the
        #    same rows (numeric + fuzzy under one parent) share this step.
        share_key = ("pairs", self.input_tpl.source, self.extractor.key if self.extractor else None,
                     self.ref_tpl.source if self.ref_tpl else None, dedupe)
        shared = ctx.memo.get(share_key)
        if shared is not None and shared[0] is rows:  # the memo holds `rows`, so its id is not reused
            messy, clean, keys, key_index, clean_idx = shared[1]
        else:
            messy, clean, keys, key_index, clean_idx = _pair_rows(cands_col, refs_col, dedupe)
            ctx.memo[share_key] = [rows, (messy, clean, keys, key_index, clean_idx)]  # type: ignore[assignment]
        if messy:  # the messy rows may add work items: do it on copies
            keys, key_index = list(keys), dict(key_index)

        def want(key: Any) -> int:
            if dedupe:
                idx = key_index.get(key)
                if idx is not None:
                    return idx
                key_index[key] = len(keys)
            keys.append(key)
            return len(keys) - 1

        single: list[tuple[int, int]] = []  # messy rows that still need one pair: (position, work index)
        multi: list[tuple[int, list[int]]] = []  # all_must_agree rows with several answers
        for j in messy:
            cands, ref = cands_col[j], refs_col[j]
            if type(cands) is _Failure or type(ref) is _Failure:
                f = cands if type(cands) is _Failure else ref
                if f.kind in MODEL_ERROR_KINDS:  # the model's wrong answer (e.g. invalid JSON): 0
                    ctx.count(f.kind)
                    continue
                values[j] = self.fail_value(ctx, row_list[j], f.kind, f.message)
                status[j] = ERROR
                continue
            if not cands:
                status[j] = NOT_APPLICABLE
                continue
            if policy == "last":
                single.append((j, want((cands[-1], ref))))
                continue
            distinct = list(dict.fromkeys(c.strip() for c in cands))
            if len(distinct) == 1:
                single.append((j, want((distinct[0], ref))))
            elif policy == "reject":
                status[j] = NOT_APPLICABLE
            elif len(distinct) > MAX_DISTINCT_CANDIDATES:  # bounds the work one row can cause
                values[j] = self.fail_value(ctx, row_list[j], "too_many_answers",
                                            f"{len(distinct)} different final answers; all_must_agree "
                                            f"scores at most {MAX_DISTINCT_CANDIDATES}")
                status[j] = ERROR
            else:  # all_must_agree: every distinct answer is scored; the row gets the minimum
                multi.append((j, [want((c, ref)) for c in distinct]))

        # 2. Score what the cache does not already hold, in one batch call.
        pair_scores, pair_status, pair_err, pair_note = self._score_pairs(keys, ctx)

        # 3. Scatter pair results back to rows (vectorised for clean rows).
        if clean_idx:
            ci = np.asarray(clean_idx, dtype=np.int64)
            cj = np.arange(m) if clean is None else np.asarray(clean, dtype=np.int64)
            values[cj] = pair_scores[ci]
            status[cj] = pair_status[ci]
            if pair_err:
                for j, i in zip(cj.tolist(), clean_idx, strict=True):
                    if i in pair_err:
                        values[j] = self.fail_value(ctx, row_list[j], *pair_err[i])
        for j, i in single:
            values[j], status[j] = pair_scores[i], pair_status[i]
            if i in pair_err:
                values[j] = self.fail_value(ctx, row_list[j], *pair_err[i])
        for j, idxs in multi:
            errs = [i for i in idxs if i in pair_err]
            if errs:
                values[j] = self.fail_value(ctx, row_list[j], *pair_err[errs[0]])
                status[j] = ERROR
            elif all(pair_status[i] == NOT_APPLICABLE for i in idxs):
                status[j] = NOT_APPLICABLE
            else:
                values[j] = min(pair_scores[i] for i in idxs)
                status[j] = SCORED

        if ctx.trace is not None and m:
            node = ctx.trace.setdefault(self.path, {})
            node["input"] = _clip(ctx.rendered(self.input_tpl, rows[:1])[0])
            if self.detail:
                node["detail"] = self.detail
            node["extracted"] = None if type(cands_col[0]) is _Failure else list(cands_col[0])
            if self.ref_tpl is not None:
                node["reference"] = _clip(refs_col[0])
            first = clean_idx[0] if clean_idx and (clean is None or clean[0] == 0) else (single[0][1] if single and single[0][0] == 0 else None)
            if first is not None and first in pair_note:
                node["note"] = pair_note[first]
            if type(cands_col[0]) is _Failure and cands_col[0].kind in MODEL_ERROR_KINDS:
                node["note"] = f"{cands_col[0].kind}: {cands_col[0].message}"
            if multi and policy == "all_must_agree":
                node["note"] = "several final answers: each scored, minimum taken (multiple: all_must_agree)"
            elif status[0] == NOT_APPLICABLE:
                node["note"] = "no answer extracted" if not node.get("extracted") else "several different final answers (multiple: reject)"
        return NodeOut(values, status)

    # -- helpers ---------------------------------------------------------------
    def _run_direct(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut | None:
        """Score rendered inputs as they are: for kinds cheaper than dedupe and cache
        (`direct_scoring`), with no extractor and no reference. None: take the usual path."""
        texts = ctx.rendered(self.input_tpl, rows)
        if _Failure in set(map(type, texts)):
            return None
        m = len(rows)
        try:
            batch = self.scorer(texts, [None] * m)
        except Exception:  # noqa: BLE001 - the usual path reports it per row
            return None
        values = np.asarray(batch.scores, dtype=np.float64)
        status = np.zeros(m, dtype=np.int8)
        if batch.not_applicable:
            status[list(batch.not_applicable)] = NOT_APPLICABLE
        if batch.errors:
            values = values.copy()
            row_list = rows.tolist()
            for k, (kind, msg) in batch.errors.items():
                values[k] = self.fail_value(ctx, row_list[k], kind, msg)
                status[k] = ERROR
        ctx.count("pairs_scored", m)
        return NodeOut(values, status)

    def _score_pairs(self, order: list[Any], ctx: BatchContext) -> tuple[np.ndarray, np.ndarray, dict[int, tuple[str, str]], dict[int, str]]:
        """Per pair key in `order`: scores, statuses, errors {i: (kind, msg)}, notes {i: text}."""
        n = len(order)
        scores = np.zeros(n)
        status = np.zeros(n, dtype=np.int8)
        errors: dict[int, tuple[str, str]] = {}
        notes: dict[int, str] = {}
        cache = self.cache
        todo: list[int]
        if cache is not None and n:
            with cache.lock:
                get = cache.data.get
                limit = self.cache_key_max  # long keys are never stored: skip the lookup
                if max(map(len, map(_first, order))) <= limit:
                    hits = list(map(get, order))
                else:
                    hits = [get(k) if len(k[0]) <= limit else None for k in order]
                missed = hits.count(None)
                todo = list(range(n)) if missed == n else list(compress(range(n), map(operator.is_, hits, repeat(None))))
                if missed < n:  # hits: refreshed in the LRU in pair order, values scattered (C-level maps)
                    got = list(compress(range(n), map(operator.is_not, hits, repeat(None))))
                    vals = list(map(hits.__getitem__, got))
                    deque(map(cache.data.move_to_end, map(order.__getitem__, got)), maxlen=0)
                    scores[got] = list(map(_first, vals))
                    status[got] = list(map(_second, vals))
                    if list(map(_third, vals)).count(None) < len(vals):
                        for i, hit in zip(got, vals, strict=True):
                            if hit[2] is not None:
                                notes[i] = hit[2]
                cache.hits += n - len(todo)
                cache.misses += len(todo)
        else:
            todo = list(range(n))
        if todo:
            every = len(todo) == n
            inputs = list(map(_first, order)) if every else [order[i][0] for i in todo]
            refs = list(map(_second, order)) if every else [order[i][1] for i in todo]
            try:
                batch = self.scorer(inputs, refs)
            except Exception as exc:  # a scorer bug must not lose the batch
                batch = LeafBatch(np.zeros(len(todo)),
                                  errors={k: ("grader_exception", f"{type(exc).__name__}: {exc}") for k in range(len(todo))})
            t = np.asarray(todo, dtype=np.int64)
            scores[t] = batch.scores
            if batch.not_applicable:
                status[[todo[k] for k in batch.not_applicable]] = NOT_APPLICABLE
            for k, err in batch.errors.items():
                errors[todo[k]] = err
                status[todo[k]] = ERROR
            for k, note in batch.notes.items():
                notes[todo[k]] = note
            if cache is not None:
                lim = self.cache_key_max
                with cache.lock:
                    data = cache.data
                    if (not errors and not notes and max(map(len, inputs)) <= lim
                            and max(map(len, filter(None, refs)), default=0) <= lim):
                        # The usual batch: every computed pair is stored (the entries, in the order, _store gives).
                        if every:
                            data.update(zip(order, zip(scores.tolist(), status.tolist(), repeat(None), strict=False), strict=True))
                        else:
                            data.update(zip(map(order.__getitem__, todo),
                                            zip(scores[t].tolist(), status[t].tolist(), repeat(None), strict=False), strict=True))
                    else:
                        self._store(data, order, todo, scores, status, errors, notes)
                    extra = len(data) - cache.maxsize
                    if extra > 0:  # the oldest entries go (popitem(last=False) `extra` times, C-level)
                        deque(map(data.pop, list(islice(data, extra))), maxlen=0)
        ctx.count("pairs_from_cache", n - len(todo))
        ctx.count("pairs_scored", len(todo))  # computed now; cache hits are counted above
        return scores, status, errors, notes

    def _store(self, data: OrderedDict[Any, Any], order: list[Any], todo: list[int], scores: np.ndarray,
               status: np.ndarray, errors: dict[int, Any], notes: dict[int, str]) -> None:
        """Keep the pairs `todo` in the cross-batch cache (not errors, not long keys)."""
        for i in todo:
            if i in errors:
                continue  # errors (timeouts) are retried next batch
            key = order[i]
            if len(key[0]) > self.cache_key_max or (key[1] is not None and len(key[1]) > self.cache_key_max):
                continue
            data[key] = (float(scores[i]), int(status[i]), notes.get(i))


_first = operator.itemgetter(0)
_second = operator.itemgetter(1)
_third = operator.itemgetter(2)


def _clip(v: Any) -> Any:
    if isinstance(v, str) and len(v) > TRACE_MAX_CHARS:
        return v[: TRACE_MAX_CHARS // 2] + f" ...[{len(v) - TRACE_MAX_CHARS} chars]... " + v[-TRACE_MAX_CHARS // 2 :]
    if isinstance(v, _Failure):
        return f"<{v.kind}: {v.message}>"
    return v


class Compiler:
    """Turns a validated config tree into PlanNodes (one compile per load)."""

    def __init__(self, opt: OptFlags | None = None) -> None:
        self.opt = opt or OptFlags()
        # Data beyond one row that nodes declare (`NodeConfig.needs`): need -> tree paths.
        self.needs: dict[str, list[str]] = {}

    def compile(self, config: NodeConfig, path: str = "") -> PlanNode:
        for need in sorted(getattr(type(config), "needs", ())):
            self.needs.setdefault(need, []).append(path or "<root>")
        return config.compile(self, path)


def combine_status(statuses: Sequence[np.ndarray]) -> np.ndarray:
    """ERROR if any child errored; NOT_APPLICABLE if every child was; else SCORED."""
    st = np.stack(statuses)
    if not st.any():  # every child scored every row (SCORED is 0): the usual case
        return np.zeros(st.shape[1], dtype=np.int8)
    out = np.full(st.shape[1], SCORED, dtype=np.int8)
    out[np.all(st == NOT_APPLICABLE, axis=0)] = NOT_APPLICABLE
    out[np.any(st == ERROR, axis=0)] = ERROR
    return out
