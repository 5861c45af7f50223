"""`self_correction`: SCoRe's reward for a revised answer (Kumar et al., arXiv 2409.12917) (needs: attempts).

A child `grader` scores a sample's first attempt (r1) and its revision (r2),
each seen by the child as `sample.output_text`; the reward is
r2 + alpha x (r2 - r1): a wrong -> right flip earns alpha extra, right -> wrong
loses alpha, "repeat the first answer" earns only r2. SCoRe's stage II sets
alpha above 1 (a large bonus); no framework ships a default, so `alpha` is
required. Components: `r1`, `r2` and `flipped` (+1 wrong -> right, -1 right ->
wrong, 0 otherwise; right = score >= `threshold`).

`attempts` is a template naming one field holding the attempts in order
(default `{{ sample.attempts }}`): a list of texts, or of sample dicts with
`output_text`. With more than two, the last two are the first attempt and
the revision. A row without the field, or with fewer than two attempts, is a
`missing_attempts` error naming the field, never a reward computed as if
r1 = r2: that would silently pay the no-bonus reward.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, FiniteFloat, field_validator, model_validator

from graders._types import ERROR, NOT_APPLICABLE, SCORED
from graders.nodes import NodeConfig
from graders.plan import BatchContext, Compiler, NodeOut, PlanNode
from graders.registry import grader_kind
from graders.shaping.base import child_path
from graders.shaping.needs import ATTEMPTS, tree_needs
from graders.templates import Template, TemplateMissing


@grader_kind
class SelfCorrectionConfig(NodeConfig):
    """r2 + alpha (r2 - r1) over a sample's first attempt and revision.

    Args:
        attempts: template to the list of attempts (default `{{ sample.attempts }}`).
        grader: the child grader, run on each attempt as `sample.output_text`.
        alpha: the flip bonus (SCoRe: > 1).
        threshold: a child score at or above this counts as right (for `flipped`).
    """

    type: Literal["self_correction"]
    attempts: str = Field("{{ sample.attempts }}", description="Template naming the field that holds the attempts, in order.")
    grader: GraderNode = Field(..., description="Child grader scored on each attempt.")  # noqa: F821
    alpha: FiniteFloat = Field(..., ge=0, description="Weight of the improvement bonus r2 - r1 (SCoRe: > 1).")
    threshold: FiniteFloat = Field(1.0, description="A child score at or above this counts as right (for `flipped`).")

    needs: ClassVar[frozenset[str]] = frozenset({ATTEMPTS})

    @field_validator("attempts")
    @classmethod
    def _one_variable(cls, v: str) -> str:
        tpl = Template.parse(v)
        if len(tpl.parts) != 1 or not isinstance(tpl.parts[0], tuple):
            raise ValueError(f"attempts must be one variable such as '{{{{ sample.attempts }}}}', got {v!r}")
        return v

    @model_validator(mode="after")
    def _child_needs(self) -> SelfCorrectionConfig:
        needs = tree_needs(self.grader, "grader")
        if needs:
            what = "; ".join(f"{k} (at {', '.join(v)})" for k, v in needs.items())
            raise ValueError(f"the child grader runs on single attempts and cannot need {what}")
        return self

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _SelfCorrectionNode(self, path, compiler)


def _attempt_sample(a: Any) -> dict[str, Any] | None:
    if isinstance(a, str):
        return {"output_text": a}
    if isinstance(a, dict) and isinstance(a.get("output_text"), str):
        return dict(a)
    return None


class _SelfCorrectionNode(PlanNode):
    def __init__(self, config: SelfCorrectionConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path)
        self.kind = "self_correction"
        self.tpl = Template.parse(config.attempts)
        self.var = self.tpl.parts[0]
        self.var_name = config.attempts.strip("{} ")
        self.alpha = config.alpha
        self.threshold = config.threshold
        self.children = [("grader", compiler.compile(config.grader, child_path(path, "grader")))]

    def describe(self) -> str:
        return f"self_correction r2 + {self.alpha:g}*(r2 - r1) over {self.tpl.source!r} (right if score >= {self.threshold:g})"

    def _pair(self, ctx: BatchContext, r: int) -> tuple[dict[str, Any], dict[str, Any]] | str:
        """(first attempt, revision) as sample dicts, or why the row has none."""
        try:
            value = Template._lookup(self.var, ctx.sample(r), ctx.items[r])  # type: ignore[arg-type]
        except TemplateMissing as exc:
            return f"{exc}: self_correction needs the sample's attempts (first attempt, revision)"
        if not isinstance(value, list | tuple):
            return f"{self.var_name} must be a list of attempts (texts), got {type(value).__name__}"
        if len(value) < 2:
            return (f"{self.var_name} has {len(value)} attempt{'s' if len(value) != 1 else ''}; self_correction "
                    "needs 2 (the first attempt and the revision)")
        first, second = _attempt_sample(value[-2]), _attempt_sample(value[-1])
        if first is None or second is None:
            return f"{self.var_name}: each attempt must be a text or an object with a string output_text"
        return first, second

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        m = len(rows)
        values = np.zeros(m)
        status = np.full(m, SCORED, dtype=np.int8)
        row_list = rows.tolist()
        ok: list[int] = []
        firsts: list[dict[str, Any]] = []
        seconds: list[dict[str, Any]] = []
        for j, r in enumerate(row_list):
            pair = self._pair(ctx, r)
            if isinstance(pair, str):
                values[j] = self.fail_value(ctx, r, "missing_attempts", pair)
                status[j] = ERROR
                continue
            ok.append(j)
            firsts.append(pair[0])
            seconds.append(pair[1])
        r1 = np.full(m, np.nan)
        r2 = np.full(m, np.nan)
        if ok:
            k = len(ok)
            samples = firsts + seconds
            items = [ctx.items[row_list[j]] for j in ok] * 2
            sub = BatchContext([s["output_text"] for s in samples], samples, items, opt=ctx.opt,
                               trace=ctx.trace is not None)
            out = self.children[0][1].run(sub, np.arange(2 * k))
            if ctx.trace is not None and sub.trace:  # explain shows the child on the first attempt
                for path, info in sub.trace.items():
                    ctx.trace[path] = {**info, "note": "on the first attempt (sample.output_text = attempt 1)"}
            vals = out.values.copy()
            vals[out.status == NOT_APPLICABLE] = 0.0
            okj = np.asarray(ok, dtype=np.int64)
            r1[okj], r2[okj] = vals[:k], vals[k:]
            values[okj] = vals[k:] + self.alpha * (vals[k:] - vals[:k])
            child_err = (out.status[:k] == ERROR) | (out.status[k:] == ERROR)
            status[okj[child_err]] = ERROR
            for s, errs in sub.errors.items():
                j = ok[s % k]
                for e in errs:
                    ctx.add_error(row_list[j], e.kind, e.grader, f"attempt {1 if s < k else 2}: {e.message}")
            for name, c in sub.counters.items():
                ctx.count(name, c)
        flipped = (r2 >= self.threshold).astype(np.float64) - (r1 >= self.threshold)
        flipped[np.isnan(r1) | np.isnan(r2)] = np.nan
        for name, col in (("r1", r1), ("r2", r2), ("flipped", flipped)):
            ctx.record(child_path(self.path, name), rows, NodeOut(col, status))
        return NodeOut(values, status)
