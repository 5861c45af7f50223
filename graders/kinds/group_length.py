"""`group_length`: Kimi k1.5's length reward over the samples of one prompt (needs: group).

Kimi k1.5 (arXiv 2501.12599, Sec. 2.3.3 "length penalty"): within the k
samples of one prompt, with min and max their lengths,
lambda = 0.5 - (len - min) / (max - min); a correct sample gets lambda, a
wrong one min(0, lambda); every sample gets 0 when all lengths are equal (a
group of one included). Correctness is the `correct:` child's score >=
`threshold` (default 1: a fully passing check, as a `gate` reads it). The
paper warms this penalty up over training; schedule it with a trainer-side
weight. open-r1's `len_reward` computes the same over whatever batch it is
given, which silently mixes groups; here a group is explicit:

- `score(..., groups=[...])`: the caller's group id per row (None or NaN: a
  `bad_group_id` row error); else
- `group_by:` a template (e.g. `{{ item.id }}`): rows rendering the same text; else
- rows whose items are equal (the same dataset row, compared by value).

Lengths come from every row of the call in the group, even rows a `gate` or
`product` above did not run this node on, so short-circuits never change the
reward. A partial group cannot be detected from the data alone: set
`group_size:` (your trainer's samples per prompt, e.g. TRL's
`num_generations`) and any group of another size is an `incomplete_group`
error on its rows, never a reward computed from part of the group.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, FiniteFloat, field_validator

from graders._types import ERROR, NOT_APPLICABLE, SCORED
from graders.errors import BatchShapeError
from graders.plan import BatchContext, Compiler, NodeOut, PlanNode, _Failure
from graders.registry import grader_kind
from graders.shaping.base import MeasureConfig, MeasureNode, child_path
from graders.shaping.needs import GROUP
from graders.templates import Template


@grader_kind
class GroupLengthConfig(MeasureConfig):
    """Kimi k1.5 length reward in [-0.5, 0.5] over each group of samples.

    Args:
        correct: the child grader deciding correctness (score >= threshold).
        group_by: template naming a row's group (default: rows with equal items).
        group_size: the expected rows per group; other sizes are `incomplete_group` errors.
        threshold: a `correct` score at or above this counts as correct (default 1).
        unit: chars | words | tokens (default tokens).
    """

    type: Literal["group_length"]
    correct: GraderNode = Field(..., description="The child grader deciding correctness.")  # noqa: F821
    group_by: str | None = Field(None, description="Template naming a row's group; default: rows with equal items.")
    group_size: int | None = Field(None, ge=1, description="Rows per complete group (e.g. TRL's num_generations); "
                                   "a group of any other size is an `incomplete_group` error.")
    threshold: FiniteFloat = Field(1.0, description="A `correct` score at or above this counts as correct.")

    needs: ClassVar[frozenset[str]] = frozenset({GROUP})

    @field_validator("group_by")
    @classmethod
    def _group_template(cls, v: str | None) -> str | None:
        if v is not None:
            Template.parse(v)
        return v

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _GroupLengthNode(self, path, compiler)


def kimi_length_reward(lengths: np.ndarray, correct: np.ndarray, gmin: np.ndarray, gmax: np.ndarray) -> np.ndarray:
    """lambda = 0.5 - (len - min)/(max - min) (0 where max == min); wrong answers keep min(0, lambda)."""
    span = gmax - gmin
    lam = np.zeros(len(lengths))
    ok = span > 0
    lam[ok] = 0.5 - (lengths[ok] - gmin[ok]) / span[ok]
    return np.where(correct, lam, np.minimum(0.0, lam))


class _GroupLengthNode(MeasureNode):
    def __init__(self, config: GroupLengthConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path, compiler)
        self.cfg = config
        self.group_tpl = Template.parse(config.group_by) if config.group_by is not None else None
        self.children = [("correct", compiler.compile(config.correct, child_path(path, "correct")))]

    def describe(self) -> str:
        by = "groups= argument, else " + (f"group_by={self.group_tpl.source!r}" if self.group_tpl else "equal items")
        size = f" group_size={self.cfg.group_size}" if self.cfg.group_size else ""
        return (f"group_length (Kimi k1.5) {self.describe_unit()} correct if score >= {self.cfg.threshold:g}; "
                f"groups: {by}{size}")

    def _group_keys(self, ctx: BatchContext, rows: np.ndarray) -> tuple[list[Any], dict[int, tuple[str, str]]]:
        if ctx.groups is not None:
            keys = [ctx.groups[r] for r in rows.tolist()]
            # None or NaN is no group id: NaN != NaN made each such row a silent group of one (reward 0).
            bad = {j: ("bad_group_id", f"groups[{r}] is {k!r}, not a group id")
                   for j, (r, k) in enumerate(zip(rows.tolist(), keys, strict=True))
                   if k is None or (isinstance(k, float) and k != k)}
            for j in bad:
                keys[j] = ("<bad>", j)
            return keys, bad
        if self.group_tpl is not None:
            col = ctx.rendered(self.group_tpl, rows)
            errors = {j: (t.kind, f"group_by: {t.message}") for j, t in enumerate(col) if type(t) is _Failure}
            return [("<failed>", j) if j in errors else t for j, t in enumerate(col)], errors
        # Equal items form a group: each distinct item object is keyed once, by value.
        items = ctx.items
        row_list = rows.tolist()
        ids = list(map(id, map(items.__getitem__, row_list)))
        first = dict(zip(ids, row_list, strict=True))
        by_id = {i: json.dumps(items[r], sort_keys=True, default=repr) for i, r in first.items()}
        return list(map(by_id.__getitem__, ids)), {}

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        cfg = self.cfg
        m = len(rows)
        # The whole group: every row of this call, not only the rows a gate above let through.
        universe = ctx.root_rows if ctx.root_rows is not None else np.arange(ctx.n)
        keys, key_err = self._group_keys(ctx, universe)
        lengths, len_err = self.lengths(ctx, universe)
        gid_of: dict[Any, int] = {}
        try:
            gids = np.fromiter((gid_of.setdefault(k, len(gid_of)) for k in keys), dtype=np.int64, count=len(keys))
        except TypeError as exc:  # an unhashable group id from groups=[...]: the whole argument is wrong
            raise BatchShapeError(f"groups must hold hashable ids (str, int, tuple): {exc}") from None
        n_groups = len(gid_of)
        sizes = np.bincount(gids, minlength=n_groups)
        bad_group: dict[int, tuple[str, str]] = {}
        for j, (kind, msg) in {**len_err, **key_err}.items():
            bad_group.setdefault(int(gids[j]), (kind, f"row {int(universe[j])} of this group has no length: {msg}"))
        if cfg.group_size is not None:
            for g in np.flatnonzero(sizes != cfg.group_size).tolist():
                bad_group.setdefault(g, ("incomplete_group", (
                    f"this row's group has {int(sizes[g])} rows in this score() call, group_size is {cfg.group_size}: "
                    "group_length needs every sample of a prompt in one call (with TRL, the whole "
                    "num_generations group; per-device slices of a group are refused)")))
        gmin = np.full(n_groups, np.inf)
        gmax = np.full(n_groups, -np.inf)
        np.minimum.at(gmin, gids, lengths)
        np.maximum.at(gmax, gids, lengths)

        pos = np.searchsorted(universe, rows)  # rows is a subset of universe (both ascending)
        out = self.children[0][1].run(ctx, rows)
        child = out.values.copy()
        child[out.status == NOT_APPLICABLE] = 0.0
        g_rows = gids[pos]
        values = kimi_length_reward(lengths[pos], child >= cfg.threshold, gmin[g_rows], gmax[g_rows])
        values[np.isnan(child)] = np.nan
        status = np.full(m, SCORED, dtype=np.int8)
        status[out.status == ERROR] = ERROR
        if bad_group:
            errors = {j: bad_group[int(g)] for j, g in enumerate(g_rows.tolist()) if int(g) in bad_group}
            self.apply_errors(ctx, rows, values, status, errors)
        return NodeOut(values, status)
