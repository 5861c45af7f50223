"""Combinators: nodes whose children are other nodes.

`weighted`, `min`, `max`, `product`, `formula` / `multi` (OpenAI's multi
grader), `gate` and `first_of`. Children are a mapping key -> node; the keys
name the children in formulas and in `components` (dotted paths for nested
nodes). A child that was not applicable contributes 0 to arithmetic; an
errored child contributes its own on_error value and marks the row an error.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from pydantic import field_validator, model_validator

from graders._types import ERROR, NOT_APPLICABLE, SCORED
from graders.nodes import NodeConfig
from graders.plan import BatchContext, Compiler, NodeOut, PlanNode, combine_status
from graders.registry import grader_kind
from graders.shaping.base import child_path


class _Parent(NodeConfig):
    graders: dict[str, GraderNode]  # noqa: F821  (the union, resolved by graders.tree) = Field(..., description="Children by key (ordered).")

    @field_validator("graders")
    @classmethod
    def _not_empty(cls, v: dict[str, Any]) -> dict[str, Any]:
        if not v:
            raise ValueError("needs at least one child under `graders`")
        for key in v:
            if not key.isidentifier():
                raise ValueError(f"child key {key!r} must be an identifier (letters, digits, _)")
        return v


class _ParentNode(PlanNode):
    def __init__(self, config: _Parent, path: str, compiler: Compiler) -> None:
        super().__init__(config, path)
        self.kind = config.type  # type: ignore[attr-defined]
        self.children = [(k, compiler.compile(c, child_path(path, k))) for k, c in config.graders.items()]

    def run_all(self, ctx: BatchContext, rows: np.ndarray) -> list[NodeOut]:
        return [child.run(ctx, rows) for _k, child in self.children]


def _arith_values(out: NodeOut) -> np.ndarray:
    """A child's values as arithmetic sees them: not-applicable rows count as 0."""
    v = out.values
    na = out.status == NOT_APPLICABLE
    if na.any():
        v = v.copy()
        v[na] = 0.0
    return v


# --- weighted -----------------------------------------------------------------
# Weights above this would overflow a weighted sum of scores in [0, 1] long before a
# user meant them (and 1e400 in YAML already reads as infinity).
MAX_WEIGHT = 1e12

@grader_kind
class WeightedConfig(_Parent):
    """Weighted sum of the children (weights from `weights` or each child's `weight`).

    Args:
        weights: key -> weight; missing keys use the child's own `weight` (default 1).
        normalize: divide by the sum of weights, so all-1 children give a score in [0, 1].
    """

    type: Literal["weighted"]
    weights: dict[str, float] | None = None
    normalize: bool = True

    @model_validator(mode="after")
    def _weights_known(self) -> WeightedConfig:
        if self.weights:
            unknown = set(self.weights) - set(self.graders)
            if unknown:
                raise ValueError(f"weights name unknown children {sorted(unknown)}; children are {list(self.graders)}")
            if any(w < 0 for w in self.weights.values()):
                raise ValueError("weights must be >= 0")
        ws = self._weight_list()
        for key, w in zip(self.graders, ws, strict=True):
            if not math.isfinite(w):
                raise ValueError(f"weight of {key!r} is {w!r}; weights must be finite numbers")
            if w > MAX_WEIGHT:
                raise ValueError(f"weight of {key!r} is {w:g}, above {MAX_WEIGHT:g}: the weighted sum could "
                                 "overflow; scale the weights down")
        if self.normalize and sum(ws) <= 0:
            raise ValueError("weights sum to 0; cannot normalize")
        return self

    def _weight_list(self) -> list[float]:
        ws = self.weights or {}
        return [ws.get(k, c.weight) for k, c in self.graders.items()]

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _WeightedNode(self, path, compiler)


class _WeightedNode(_ParentNode):
    def __init__(self, config: WeightedConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path, compiler)
        w = np.asarray(config._weight_list(), dtype=np.float64)
        self.w = w / w.sum() if config.normalize else w

    def describe(self) -> str:
        return "weighted " + ", ".join(f"{k}*{w:g}" for (k, _), w in zip(self.children, self.w, strict=True))

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        outs = self.run_all(ctx, rows)
        total = np.zeros(len(rows))
        for w, out in zip(self.w, outs, strict=True):
            total += w * _arith_values(out)
        return NodeOut(total, combine_status([o.status for o in outs]))


# --- min / max ----------------------------------------------------------------
class _ReduceNode(_ParentNode):
    fn: Any

    def describe(self) -> str:
        return f"{self.kind}({', '.join(k for k, _ in self.children)})"

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        outs = self.run_all(ctx, rows)
        vals = np.stack([_arith_values(o) for o in outs])
        return NodeOut(type(self).fn(vals, axis=0), combine_status([o.status for o in outs]))


class _MinNode(_ReduceNode):
    fn = staticmethod(np.min)


class _MaxNode(_ReduceNode):
    fn = staticmethod(np.max)


@grader_kind
class MinConfig(_Parent):
    """The lowest child score (all criteria must hold)."""

    type: Literal["min"]

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _MinNode(self, path, compiler)


@grader_kind
class MaxConfig(_Parent):
    """The highest child score (any criterion suffices)."""

    type: Literal["max"]

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _MaxNode(self, path, compiler)


# --- product ------------------------------------------------------------------
@grader_kind
class ProductConfig(_Parent):
    """Product of the children; once a row's product is 0, later children are skipped for it."""

    type: Literal["product"]

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _ProductNode(self, path, compiler)


class _ProductNode(_ParentNode):
    def describe(self) -> str:
        sc = " (skip after 0)" if self._short else ""
        return f"product({', '.join(k for k, _ in self.children)}){sc}"

    def __init__(self, config: ProductConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path, compiler)
        self._short = compiler.opt.short_circuit

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        m = len(rows)
        total = np.ones(m)
        status = np.full(m, NOT_APPLICABLE, dtype=np.int8)
        active = np.arange(m)  # rows whose product is not yet 0
        skipped = 0
        for _k, child in self.children:
            skipped = m - len(active)  # rows this child is spared
            if len(active) == 0:
                break
            # Without short-circuit the child runs on every row, but only active rows use it,
            # so the switch changes the work done, never the result.
            out = child.run(ctx, rows[active] if self._short else rows)
            vals, st_child = _arith_values(out), out.status
            if not self._short:
                vals, st_child = vals[active], st_child[active]
            total[active] *= vals
            st = status[active]
            st[(st_child != NOT_APPLICABLE) & (st != ERROR)] = SCORED
            st[st_child == ERROR] = ERROR
            status[active] = st
            active = active[total[active] != 0.0]
        ctx.count("rows_skipped", skipped)
        return NodeOut(total, status)


# --- formula / multi ----------------------------------------------------------
class _FormulaBase(_Parent):
    def _expression(self) -> str:
        raise NotImplementedError

    @model_validator(mode="after")
    def _formula_compiles(self) -> _FormulaBase:
        from graders.errors import FormulaError
        from graders.formula import compile_formula

        try:
            compile_formula(self._expression(), set(self.graders))
        except FormulaError as exc:
            raise ValueError(str(exc)) from None
        return self

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _FormulaNode(self, path, compiler)


@grader_kind
class FormulaConfig(_FormulaBase):
    """An arithmetic expression over the children's scores (never Python eval).

    Args:
        expression: `+ - * / ^`, unary minus, parentheses, comparisons,
            `min max abs floor ceil exp sqrt log clip`; names are child keys.
    """

    type: Literal["formula"]
    expression: str

    def _expression(self) -> str:
        return self.expression


@grader_kind
class MultiConfig(_FormulaBase):
    """OpenAI's multi grader: `calculate_output` over the `graders` keys (same language as formula)."""

    type: Literal["multi"]
    calculate_output: str

    def _expression(self) -> str:
        return self.calculate_output


class _FormulaNode(_ParentNode):
    def __init__(self, config: _FormulaBase, path: str, compiler: Compiler) -> None:
        super().__init__(config, path, compiler)
        from graders.formula import compile_formula

        self.formula = compile_formula(config._expression(), {k for k, _ in self.children})
        # Children the formula never mentions are still scored: they appear in components.

    def describe(self) -> str:
        return f"{self.kind} {self.formula.expression!r}"

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        outs = self.run_all(ctx, rows)
        env = {k: _arith_values(o) for (k, _), o in zip(self.children, outs, strict=True)}
        values, bad = self.formula.evaluate(env)
        status = combine_status([o.status for o in outs])
        if bad.any():
            values = values.copy()
            row_list = rows.tolist()
            for j in np.flatnonzero(bad).tolist():
                values[j] = self.fail_value(ctx, row_list[j], "formula_domain_error",
                                            f"{self.formula.expression!r} has no value here (division by zero, log/sqrt domain or overflow)")
                status[j] = ERROR
        return NodeOut(values, status)


# --- gate ---------------------------------------------------------------------
@grader_kind
class GateConfig(_Parent):
    """Checks in order; a row failing a check gets `otherwise`, and later children are not computed.

    Every child but the last is a check (passes when its score >= its threshold);
    the last child's score is the result for rows that pass all checks.

    Args:
        threshold: a number for every check, or key -> number (default 1.0: the check must fully pass).
        otherwise: the score of a row that fails a check.
    """

    type: Literal["gate"]
    threshold: float | dict[str, float] = 1.0
    otherwise: float = 0.0

    @model_validator(mode="after")
    def _shape(self) -> GateConfig:
        if len(self.graders) < 2:
            raise ValueError("a gate needs at least two children: one or more checks, then the graded child")
        if isinstance(self.threshold, dict):
            checks = list(self.graders)[:-1]
            unknown = set(self.threshold) - set(checks)
            if unknown:
                raise ValueError(f"threshold names {sorted(unknown)}, which are not checks; checks are {checks}")
        return self

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _GateNode(self, path, compiler)


class _GateNode(_ParentNode):
    def __init__(self, config: GateConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path, compiler)
        t = config.threshold
        self.thresholds = [t.get(k, 1.0) if isinstance(t, dict) else t for k, _ in self.children[:-1]]
        self.otherwise = config.otherwise
        self._short = compiler.opt.short_circuit

    def describe(self) -> str:
        checks = ", ".join(f"{k}>={t:g}" for (k, _), t in zip(self.children, self.thresholds, strict=False))
        return f"gate [{checks}] then {self.children[-1][0]} else {self.otherwise:g}"

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        m = len(rows)
        values = np.full(m, self.otherwise)
        status = np.full(m, SCORED, dtype=np.int8)
        passing = np.arange(m)  # rows that passed every check so far
        for (_k, child), thr in zip(self.children[:-1], self.thresholds, strict=False):
            if len(passing) == 0:
                break
            out = child.run(ctx, rows[passing] if self._short else rows)
            vals, st = _arith_values(out), out.status
            if not self._short:
                vals, st = vals[passing], st[passing]
            status[passing[st == ERROR]] = ERROR
            values[passing[np.isnan(vals)]] = np.nan  # a skipped check makes the row NaN
            passing = passing[vals >= thr]  # NaN fails the check
        if len(passing):
            out = self.children[-1][1].run(ctx, rows[passing] if self._short else rows)
            vals, st = out.values, out.status
            if not self._short:
                vals, st = vals[passing], st[passing]
            values[passing] = vals
            status[passing] = np.where(status[passing] == ERROR, ERROR, st)
        ctx.count("rows_gated", int(m - len(passing)))
        return NodeOut(values, status)


# --- first_of -----------------------------------------------------------------
@grader_kind
class FirstOfConfig(_Parent):
    """The first child that applies (is not `not applicable`) gives the score.

    Typical use: try `\\boxed{}` extraction, then an "answer is" line. Children
    after the one that applied are not computed for that row.
    """

    type: Literal["first_of"]

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _FirstOfNode(self, path, compiler)


class _FirstOfNode(_ParentNode):
    def describe(self) -> str:
        return f"first_of({' -> '.join(k for k, _ in self.children)})"

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        m = len(rows)
        values = np.zeros(m)
        status = np.full(m, NOT_APPLICABLE, dtype=np.int8)
        active = np.arange(m)
        for _k, child in self.children:
            if len(active) == 0:
                break
            out = child.run(ctx, rows[active])
            applied = out.status != NOT_APPLICABLE
            values[active[applied]] = out.values[applied]
            status[active[applied]] = out.status[applied]
            active = active[~applied]
        return NodeOut(values, status)

