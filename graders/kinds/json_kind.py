"""`json`: the output must be JSON (optionally matching a JSON Schema); fields earn partial credit.

```yaml
grader:
  type: json
  schema:                               # inline JSON Schema, or a template: "{{ item.schema }}"
    type: object
    required: [name, age, tags]
    properties: {name: {type: string}, age: {type: integer}, tags: {type: array}}
  order: any                            # list fields compared as multisets (default: exact)
  fields:                               # JSON path -> child grader; weights as in `weighted`
    name: {type: fuzzy, reference: "{{ item.name }}", weight: 2}
    age:  {type: numeric, reference: "{{ item.age }}"}
    tags: {type: exact, reference: "{{ item.tags }}"}
```

Which text is the JSON: the whole output (stripped), else the last fenced code
block (```` ```json ... ``` ```` or a bare ```` ``` ````). Prose around an unfenced
object is not JSON: ask the model for a fence. `NaN`/`Infinity` are not JSON,
nor is a number that overflows a float (`1e400`), nor an object with a
duplicate key (parsers disagree on which value wins).

Score: 0 when the output is not JSON or fails the schema, else the weighted
mean of the field scores (1 with no fields). These are *model* mistakes, not
grader failures: the row is `scored` (status 0) and its `errors` list says why,
with a kind starting `model_`: `model_invalid_json`, `model_schema_violation`,
`model_missing_field`, `model_output_too_large`. Errors of the grader or the data
(a missing template field, an item schema that is not a valid JSON Schema) are
ordinary row errors and follow `on_error`.

Each field grader sees the field's value as its `sample.output_text`: a string
as it is, anything else as compact JSON (`36`, `true`, `["a","b"]`, exactly as
templates render values, so `{{ item.x }}` references compare equal). With a
schema, a wrong type (`"36"` where the schema says integer) fails the schema and
scores 0; without one, `"36"` reaches the field grader as the text 36. A
missing field scores 0 (`model_missing_field`). Extra fields are allowed unless
the schema forbids them (`additionalProperties: false`).

`order: any`: where the output's field and the field grader's reference (its
`reference` template rendered on the item) are both lists, each element is
graded against each reference element by the field grader (a leaf kind), and
elements are paired one to one to maximise the total (optimal assignment, so
each expected element is matched to at most one predicted element). The field
scores that total / max(predicted count, expected count): missing and extra
elements both cost, and two empty lists score 1. `order: exact` (the default)
grades the list as one value.

Bounds (per row, a `model_output_too_large` reason, never a crash): `max_chars`
of output, `max_depth` of nesting (json's RecursionError is caught too),
integers over Python's 4300-digit limit, and `max_pairs` element pairs per
`order: any` field.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from typing import Any, Literal

import numpy as np
from pydantic import Field, FiniteFloat, field_validator, model_validator

from graders._types import ERROR, NOT_APPLICABLE, SCORED
from graders.nodes import LeafConfig, NodeConfig
from graders.paths import Path, PathMissing, PathSyntaxError, format_path, parse_path, resolve
from graders.plan import BatchContext, Compiler, NodeOut, PlanNode, _Failure, combine_status
from graders.registry import grader_kind
from graders.templates import Template, TemplateMissing, render_value

VERDICT_CACHE = 16_384  # schema verdicts kept across batches
VERDICT_MAX_CHARS = 4096  # longer outputs are validated every time (rarely repeat, would pin memory)
ELEMENT_KEY = "__element__"  # the item key an order:any element grader reads its reference from
# One run of blanks before the newline, never two adjacent `[ \t]*` (with no language tag they
# split the same blanks in quadratic ways: "```" + 20,000 spaces took 1.7 s, 1 MB would take hours).
_FENCE = re.compile(r"```[ \t]*(?:([A-Za-z0-9_+-]+)[ \t]*)?\n(.*?)```", re.S)


def _field_path(key: str) -> Path:
    k = key.strip()
    if k in ("$", ""):
        return ()
    if k.startswith("$."):
        k = k[2:]
    elif k.startswith("$["):
        k = k[1:]
    return parse_path(k)


@grader_kind
class JsonConfig(NodeConfig):
    """JSON output: parse, validate against a JSON Schema, grade fields for partial credit.

    Args:
        input: template for the text holding the JSON (default the whole output).
        schema: an inline JSON Schema, or a template to one in the item ("{{ item.schema }}").
        fields: JSON path ("name", "address.city", "items[0].sku", "$" for the whole document)
            -> child grader, which sees the value as its `sample.output_text`.
        weights: field key -> weight (else each child's `weight`); the score is the weighted mean.
        order: exact (lists graded as one value) or any (lists matched element to element).
        max_chars, max_depth, max_pairs: per-row work bounds.
    """

    type: Literal["json"]
    input: str = Field("{{ sample.output_text }}", description="Template for the text holding the JSON.")
    json_schema: dict[str, Any] | bool | str | None = Field(
        None, alias="schema", description="Inline JSON Schema, or a template to one in the item ('{{ item.schema }}').")
    fields: dict[str, GraderNode] = Field(  # noqa: F821  (the union, resolved by graders.tree)
        default_factory=dict, description="JSON path -> child grader (sees the field's value as its input).")
    weights: dict[str, FiniteFloat] | None = Field(None, description="Field key -> weight (default: each child's `weight`).")
    order: Literal["exact", "any"] = Field("exact", description="Lists: exact = one value; any = matched as a multiset.")
    max_chars: int = Field(1_000_000, ge=1, description="Longer outputs score 0 (model_output_too_large).")
    max_depth: int = Field(64, ge=1, le=512, description="Deeper nesting scores 0 (model_output_too_large).")
    max_pairs: int = Field(10_000, ge=1, description="Element pairs per order:any field and row.")

    model_config = {"populate_by_name": True}

    @field_validator("input")
    @classmethod
    def _template_parses(cls, v: str) -> str:
        Template.parse(v)
        return v

    @field_validator("json_schema")
    @classmethod
    def _schema_valid(cls, v: Any) -> Any:
        if isinstance(v, str):
            tpl = Template.parse(v)
            if not tpl.variables:
                raise ValueError("schema must be a JSON Schema mapping or a template such as '{{ item.schema }}'")
            return v
        if v is not None:
            check_schema(v)
        return v

    @field_validator("fields")
    @classmethod
    def _paths_parse(cls, v: dict[str, Any]) -> dict[str, Any]:
        for key in v:
            try:
                _field_path(key)
            except PathSyntaxError as exc:
                raise ValueError(f"field key {key!r} is not a JSON path: {exc}") from None
        return v

    @model_validator(mode="after")
    def _weights_and_order(self) -> JsonConfig:
        if self.weights:
            unknown = set(self.weights) - set(self.fields)
            if unknown:
                raise ValueError(f"weights name unknown fields {sorted(unknown)}; fields are {list(self.fields)}")
            if any(w < 0 for w in self.weights.values()):
                raise ValueError("weights must be >= 0")
        if self.fields and sum(self._weight_list()) <= 0:
            raise ValueError("field weights sum to 0")
        if self.order == "any":
            for key, child in self.fields.items():
                if not isinstance(child, LeafConfig) or child.reference is None:
                    raise ValueError(f"order: any grades list elements with the field grader, so fields.{key} must be "
                                     "a leaf kind with a `reference` (or set order: exact)")
        return self

    def _weight_list(self) -> list[float]:
        ws = self.weights or {}
        return [ws.get(k, c.weight) for k, c in self.fields.items()]

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return JsonNode(self, path, compiler)


def check_schema(schema: Any) -> Any:
    """The validator for `schema`, or ValueError saying where the schema itself is wrong."""
    import jsonschema

    if not isinstance(schema, dict | bool):
        raise ValueError(f"schema must be a JSON Schema object, got {type(schema).__name__}")
    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path)
        raise ValueError(f"schema is not a valid JSON Schema ({cls.__name__}): {exc.message}"
                         + (f" at schema/{where}" if where else "")) from None
    return cls(schema)


class _ModelFail:
    """A model mistake on one row: scored 0 with a reason (not a grader error)."""

    __slots__ = ("kind", "message")

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        self.message = message


def parse_output(text: str, max_chars: int, max_depth: int) -> Any:
    """The JSON value in `text` (whole text, else its last fenced block), or a _ModelFail."""
    if len(text) > max_chars:
        return _ModelFail("model_output_too_large", f"output is {len(text)} characters; max_chars is {max_chars}")
    body = text.strip()
    if not body:
        return _ModelFail("model_invalid_json", "the output is empty")
    value = _loads(body)
    if isinstance(value, _ModelFail) and "```" in text:
        blocks = _FENCE.findall(text)
        if blocks:
            value = _loads(blocks[-1][1].strip())
            if isinstance(value, _ModelFail):
                value.message = "last fenced block: " + value.message
    if isinstance(value, _ModelFail):
        return value
    depth = _depth(value, max_depth)
    if depth > max_depth:
        return _ModelFail("model_output_too_large", f"JSON nested deeper than max_depth={max_depth}")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Duplicate keys are refused: parsers disagree on which one wins (Python keeps the last,
    others the first), so `{"total": 1, "total": 120.5}` could pass here and mean 1 downstream."""
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise ValueError(f"duplicate key {dup[:80]!r}")
    return d


def _finite_float(s: str) -> float:
    """1e400 overflows to inf, which JSON cannot express: refused like the Infinity literal."""
    v = float(s)
    if v - v != 0.0:
        raise ValueError(f"number {s[:40]} is out of range for a float")
    return v


def _loads(s: str) -> Any:
    try:
        return json.loads(s, parse_constant=_reject_constant, object_pairs_hook=_reject_duplicates,
                          parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        return _ModelFail("model_invalid_json", f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except RecursionError:
        return _ModelFail("model_output_too_large", "JSON nested too deeply to parse")
    except ValueError as exc:  # NaN/Infinity, integers over the int-digit limit
        return _ModelFail("model_invalid_json", f"not JSON: {str(exc)[:200]}")


def _depth(value: Any, limit: int) -> int:
    """Nesting depth, iteratively, stopping once past `limit`."""
    best = 0
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict | list):
            best = max(best, d)
            if best > limit:
                return best
            stack.extend((c, d + 1) for c in (v.values() if isinstance(v, dict) else v))
    return best


def assignment_max(score: np.ndarray) -> float:
    """The largest total of one-to-one pairings in a (rows x cols) score matrix (Hungarian, O(n^3))."""
    n_r, n_c = score.shape
    if n_r == 0 or n_c == 0:
        return 0.0
    transpose = n_r > n_c
    a = score.T if transpose else score  # rows <= cols
    n, m = a.shape
    cost = -a
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1, j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return float(sum(a[p[j] - 1, j - 1] for j in range(1, m + 1) if p[j]))


class _Field:
    def __init__(self, key: str, node: PlanNode, element: PlanNode | None, ref_tpl: Template | None) -> None:
        self.key = key
        self.path = _field_path(key)
        self.node = node
        self.element = element  # order: any element grader (reference = the element)
        self.ref_tpl = ref_tpl
        # the element grader reads only its input text and the element: rows with equal lists share a result
        self.pure = element is not None and getattr(element, "input_tpl", None) is not None \
            and element.input_tpl.is_output_text  # type: ignore[attr-defined]


class JsonNode(PlanNode):
    kind = "json"

    def __init__(self, config: JsonConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path)
        self.cfg = config
        self.input_tpl = Template.parse(config.input)
        self.schema_tpl: Template | None = None
        self.validator: Any = None
        if isinstance(config.json_schema, str):
            self.schema_tpl = Template.parse(config.json_schema)
        elif config.json_schema is not None:
            self.validator = check_schema(config.json_schema)
        self._validators: OrderedDict[str, Any] = OrderedDict()  # item schemas, by canonical text
        self._verdicts: OrderedDict[tuple[str, str], Any] = OrderedDict()  # (schema, output) -> violation or None
        self._lock = threading.Lock()
        self.fields: list[_Field] = []
        for key, child in config.fields.items():
            cpath = f"{path}.{key}" if path else key
            node = compiler.compile(child, cpath)
            element = ref_tpl = None
            if config.order == "any":
                assert isinstance(child, LeafConfig) and child.reference is not None
                ref_tpl = Template.parse(child.reference)
                element = compiler.compile(child.model_copy(update={"reference": f"{{{{ item.{ELEMENT_KEY} }}}}"}),
                                           cpath + "[*]")
            self.fields.append(_Field(key, node, element, ref_tpl))
            self.children.append((key, node))
        w = np.asarray(config._weight_list(), dtype=np.float64)
        if len(w):
            w = w / w.max()  # first: 1e308 + 1e308 would overflow to inf and zero every weight
        self.w = w / w.sum() if len(w) else w

    def describe(self) -> str:
        schema = "none" if self.cfg.json_schema is None else (
            f"template {self.schema_tpl.source!r}" if self.schema_tpl else "inline")
        parts = [f"json input={self.input_tpl.source!r}", f"schema={schema}", f"order={self.cfg.order}"]
        if self.fields:
            parts.append("fields " + ", ".join(f"{f.key}*{w:g}" for f, w in zip(self.fields, self.w, strict=True)))
        return " ".join(parts)

    # -- per row: parse and validate ---------------------------------------------------
    def _item_validator(self, ctx: BatchContext, r: int) -> tuple[str, Any]:
        assert self.schema_tpl is not None
        var = self.schema_tpl.variables
        if len(self.schema_tpl.parts) == 1 and len(var) == 1:
            schema = Template._lookup(var[0], ctx.sample(r), ctx.items[r])
        else:
            text = self.schema_tpl.render(ctx.sample(r), ctx.items[r])
            try:
                schema = json.loads(text)
            except ValueError:
                raise ValueError(f"the rendered schema is not JSON: {text[:80]!r}") from None
        if isinstance(schema, str):
            try:
                schema = json.loads(schema)
            except ValueError:
                raise ValueError(f"the item's schema is a string that is not JSON: {schema[:80]!r}") from None
        key = json.dumps(schema, sort_keys=True)
        with self._lock:
            v = self._validators.get(key)
        if v is None:
            v = check_schema(schema)
            with self._lock:
                self._validators[key] = v
                while len(self._validators) > 256:
                    self._validators.popitem(last=False)
        return key, v

    def _violation(self, vkey: str, validator: Any, text: str, doc: Any) -> _ModelFail | None:
        """The schema verdict for this output text, memoised across batches (short texts)."""
        import jsonschema

        ck = (vkey, text)
        cacheable = len(text) <= VERDICT_MAX_CHARS
        if cacheable:
            with self._lock:
                hit = self._verdicts.get(ck, _UNSET)
                if hit is not _UNSET:
                    self._verdicts.move_to_end(ck)
                    return hit  # type: ignore[no-any-return]
        err = jsonschema.exceptions.best_match(validator.iter_errors(doc))
        verdict = None
        if err is not None:
            where = "/".join(str(p) for p in err.absolute_path)
            verdict = _ModelFail("model_schema_violation",
                                 err.message + (f" (at {where})" if where else " (at the top level)"))
        if cacheable:
            with self._lock:
                self._verdicts[ck] = verdict
                while len(self._verdicts) > VERDICT_CACHE:
                    self._verdicts.popitem(last=False)
        return verdict

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        m = len(rows)
        values = np.zeros(m)
        status = np.full(m, SCORED, dtype=np.int8)
        row_list = rows.tolist()
        texts = ctx.rendered(self.input_tpl, rows)
        parsed: dict[str, Any] = ctx.memo.setdefault(("json_parse", self.input_tpl.source, self.cfg.max_chars,
                                                      self.cfg.max_depth), {})  # type: ignore[assignment]
        docs: list[Any] = [None] * m
        ok: list[int] = []
        notes: dict[int, str] = {}
        for j, t in enumerate(texts):
            r = row_list[j]
            if isinstance(t, _Failure):
                values[j] = self.fail_value(ctx, r, t.kind, t.message)
                status[j] = ERROR
                continue
            doc = parsed.get(t, _UNSET)
            if doc is _UNSET:
                doc = parsed[t] = parse_output(t, self.cfg.max_chars, self.cfg.max_depth)
            if isinstance(doc, _ModelFail):
                self._model_fail(ctx, r, doc, notes, j)
                continue
            validator, vkey = self.validator, ""
            if self.schema_tpl is not None:
                try:
                    vkey, validator = self._item_validator(ctx, r)
                except TemplateMissing as exc:
                    values[j] = self.fail_value(ctx, r, TemplateMissing.kind, str(exc))
                    status[j] = ERROR
                    continue
                except ValueError as exc:
                    values[j] = self.fail_value(ctx, r, "bad_schema", str(exc))
                    status[j] = ERROR
                    continue
            if validator is not None:
                bad = self._violation(vkey, validator, t, doc)
                if bad is not None:
                    self._model_fail(ctx, r, bad, notes, j)
                    continue
            docs[j] = doc
            ok.append(j)
        if not self.fields:
            values[ok] = 1.0
        elif ok:
            self._grade_fields(ctx, rows, ok, docs, values, status, notes)
        if ctx.trace is not None and m and 0 in notes:
            ctx.trace.setdefault(self.path, {})["note"] = notes[0]
        ctx.count("json_rows", m)
        return NodeOut(values, status)

    def _model_fail(self, ctx: BatchContext, r: int, f: _ModelFail, notes: dict[int, str], j: int) -> None:
        ctx.add_error(r, f.kind, self.path, f.message)
        ctx.count(f.kind)
        notes[j] = f"{f.kind}: {f.message}"

    # -- fields ------------------------------------------------------------------------
    def _grade_fields(self, ctx: BatchContext, rows: np.ndarray, ok: list[int], docs: list[Any], values: np.ndarray,
                      status: np.ndarray, notes: dict[int, str]) -> None:
        ok_arr = np.asarray(ok, dtype=np.int64)
        total = np.zeros(len(ok))
        statuses = []
        row_list = rows.tolist()
        for f, w in zip(self.fields, self.w, strict=True):
            fv = np.zeros(len(ok))
            fs = np.full(len(ok), SCORED, dtype=np.int8)
            present: list[int] = []  # positions in ok
            vals: list[Any] = []
            for k, j in enumerate(ok):
                try:
                    vals.append(resolve(docs[j], f.path))
                    present.append(k)
                except PathMissing as exc:
                    r = row_list[j]
                    msg = f"field {f.key!r} is missing: {format_path(exc.path[: exc.depth + 1]) or '$'} " \
                          f"{str(exc).split(' ', 1)[-1]}"
                    ctx.add_error(r, "model_missing_field", self.path, msg)
                    ctx.count("model_missing_field")
                    notes.setdefault(j, f"model_missing_field: {msg}")
            if present:
                orig = [row_list[ok[k]] for k in present]
                out_v, out_s = self._grade_one(ctx, f, orig, vals)
                fv[present] = out_v
                fs[present] = out_s
            # the field's component covers every row with a parsed document (missing fields: 0)
            ctx.record(f.node.path, rows[ok_arr], NodeOut(fv, fs))
            arith = np.where(fs == NOT_APPLICABLE, 0.0, fv)
            total += w * arith
            statuses.append(fs)
        values[ok_arr] = total
        st = combine_status(statuses)
        st[st == NOT_APPLICABLE] = SCORED
        status[ok_arr] = st

    def _grade_one(self, ctx: BatchContext, f: _Field, orig: list[int], vals: list[Any]) -> tuple[np.ndarray, np.ndarray]:
        """Scores and statuses of one field on the rows `orig` (original row ids), values `vals`."""
        n = len(orig)
        out_v = np.zeros(n)
        out_s = np.full(n, SCORED, dtype=np.int8)
        whole: list[int] = list(range(n))
        if f.element is not None:
            whole = []
            pairs: list[tuple[int, Any, Any]] = []  # (k, predicted element, reference element)
            shape: dict[int, tuple[int, int, int]] = {}  # k -> (first pair index, n_pred, n_ref)
            same: dict[Any, int] = {}  # (value, reference) -> first k: a pure element grader scores it once
            copies: list[tuple[int, int]] = []  # (k, k it copies)
            for k, (r, v) in enumerate(zip(orig, vals, strict=True)):
                ref = self._reference_value(ctx, f, r) if isinstance(v, list) else None
                if not isinstance(v, list) or not isinstance(ref, list):
                    whole.append(k)
                    continue
                if len(v) * len(ref) > self.cfg.max_pairs:
                    msg = (f"field {f.key!r}: {len(v)} x {len(ref)} element pairs exceed max_pairs="
                           f"{self.cfg.max_pairs}")
                    ctx.add_error(r, "model_output_too_large", self.path, msg)
                    continue
                if f.pure:
                    key = (render_value(v), render_value(ref))
                    first = same.setdefault(key, k)
                    if first != k:
                        copies.append((k, first))
                        continue
                shape[k] = (len(pairs), len(v), len(ref))
                pairs.extend((k, pe, re_) for pe in v for re_ in ref)
            if shape:
                ev, es = self._sub_run(ctx, f.element, [orig[k] for k, _, _ in pairs],
                                       [render_value(pe) for _, pe, _ in pairs],
                                       extra=[{ELEMENT_KEY: re_} for _, _, re_ in pairs], record=False)
                for k, (start, n_p, n_r) in shape.items():
                    if n_p == 0 and n_r == 0:
                        out_v[k] = 1.0
                        continue
                    block_s = es[start : start + n_p * n_r]
                    if (block_s == ERROR).any():
                        out_s[k] = ERROR
                    mat = np.where(block_s == NOT_APPLICABLE, 0.0, ev[start : start + n_p * n_r]).reshape(n_p, n_r)
                    best = assignment_max(np.nan_to_num(mat))
                    out_v[k] = best / max(n_p, n_r)
                    if ctx.trace is not None and orig[k] == 0:
                        ctx.trace[f.node.path] = {
                            "score": float(out_v[k]), "status": int(out_s[k]), "input": render_value(vals[k]),
                            "note": f"order: any: best one-to-one matching totals {best:g} over max({n_p} predicted, "
                                    f"{n_r} expected) elements"}
            for k, first in copies:
                out_v[k], out_s[k] = out_v[first], out_s[first]
                if out_s[k] == ERROR:
                    ctx.add_error(orig[k], "field_error", self.path,
                                  f"field {f.key!r}: the element grader failed on the same list in row {orig[first]}")
        if whole:
            wv, ws = self._sub_run(ctx, f.node, [orig[k] for k in whole], [render_value(vals[k]) for k in whole],
                                   extra=None, record=True)
            out_v[whole] = wv
            out_s[whole] = ws
        return out_v, out_s

    def _reference_value(self, ctx: BatchContext, f: _Field, r: int) -> Any:
        tpl = f.ref_tpl
        assert tpl is not None
        try:
            if len(tpl.parts) == 1 and len(tpl.variables) == 1:
                return Template._lookup(tpl.variables[0], ctx.sample(r), ctx.items[r])
            text = tpl.render(ctx.sample(r), ctx.items[r])
        except TemplateMissing:
            return None  # the whole-value path reports the missing reference as the child's error
        try:
            return json.loads(text)
        except ValueError:
            return None

    def _sub_run(self, ctx: BatchContext, node: PlanNode, orig: list[int], texts: list[str],
                 extra: list[dict[str, Any]] | None, record: bool) -> tuple[np.ndarray, np.ndarray]:
        """Run `node` on a batch whose outputs are `texts`, items those of rows `orig` (plus `extra` keys)."""
        items = [ctx.items[r] for r in orig]
        if extra is not None:
            items = [{**(it if isinstance(it, dict) else {}), **e} for it, e in zip(items, extra, strict=True)]
        sub = BatchContext(list(texts), list(texts), items, opt=ctx.opt,
                           trace=ctx.trace is not None and record and bool(orig) and orig[0] == 0)
        out = node.run(sub, np.arange(len(texts)))
        orig_arr = np.asarray(orig, dtype=np.int64)
        if record:
            for cpath, col in sub.components.items():
                dst = ctx.components.get(cpath)
                if dst is None:
                    dst = ctx.components[cpath] = np.full(ctx.n, np.nan)
                dst[orig_arr] = col
            if sub.trace is not None and ctx.trace is not None:
                for k, v in sub.trace.items():
                    ctx.trace.setdefault(k, {}).update(v)
        for j, errs in sub.errors.items():
            ctx.errors.setdefault(orig[j], []).extend(errs)
        for k, v in sub.counters.items():
            ctx.count(k, v)
        if sub.usage:
            from graders.judge.node import merge_usage

            merge_usage(ctx.usage, sub.usage)
        return out.values, out.status


_UNSET = object()
