"""`length`: length shaping, in chars, words or tokens (see graders.shaping.base for units).

Shapes (L = the length, M = `max_length`):

- `overlong` (DAPO, arXiv 2503.14476, Eq. 13, "soft overlong punishment"):
  0 while L <= M - buffer; (M - buffer - L) / buffer on (M - buffer, M]
  (so -1 exactly at M); -1 for L > M. Add it to the correctness reward.
  DAPO's runs used M = 20,480 tokens with a 4,096-token buffer; both are
  required here (no default suits every unit and model).
- `cosine` (Yeo et al., arXiv 2502.03373, App. C.1): a `correct:` child
  decides correctness (score >= `threshold`, default 1); with [a, b] =
  `correct_range` or `wrong_range` (reward at length 0, reward as L nears M):
  b + (a - b) * (1 + cos(pi * L / M)) / 2 for L <= M (b at L = M), and
  `exceed` for L > M: the contract's "the reward past max_length". The
  paper pays r_e once a generation reaches L_max (cut off; the authors'
  code applies it from max_len - 16 tokens on): set `max_length` one (or 16)
  below the trainer's limit for that.
  Defaults are the paper's: correct [2, 1], wrong [-10, 0], exceed -10.
  `exceed: null` drops the term: L > M then scores b, the curve held at its
  end (TRL's `get_cosine_scaled_reward` clamps L / M to 1 the same way).
- `target` (for summaries): 1 within `tolerance` of `target`, then falling
  linearly, max(0, 1 - (|L - target| - tolerance) / target): 0 at L = 0
  (tolerance 0) and at twice the target.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, FiniteFloat, model_validator

from graders._types import ERROR, NOT_APPLICABLE, SCORED
from graders.plan import BatchContext, Compiler, NodeOut, PlanNode
from graders.registry import grader_kind
from graders.shaping.base import MeasureConfig, MeasureNode, child_path

_SHAPE_FIELDS = {
    "overlong": {"max_length", "buffer"},
    "cosine": {"max_length", "correct", "correct_range", "wrong_range", "exceed", "threshold"},
    "target": {"target", "tolerance"},
}


@grader_kind
class LengthConfig(MeasureConfig):
    """A reward (or penalty) from the completion's length; `shape` picks the curve.

    Args:
        shape: overlong (DAPO), cosine (Yeo et al., needs `correct`), target.
        unit: chars | words | tokens (default tokens, as the papers count).
        max_length: overlong and cosine: the length limit M.
        buffer: overlong: the window before M over which the penalty grows from 0 to -1.
        correct: cosine: the child grader that decides whether the answer is right.
        correct_range / wrong_range: cosine: [reward at length 0, reward as the length nears M].
        exceed: cosine: the reward past M (null: none, the curve's end b holds).
        threshold: cosine: a child score at or above this is "correct".
        target / tolerance: target: the wanted length and the band scoring 1 around it.
    """

    type: Literal["length"]
    shape: Literal["overlong", "cosine", "target"]
    max_length: int | None = Field(None, gt=0, description="overlong, cosine: the length limit.")
    buffer: int | None = Field(None, ge=0, description="overlong: the window before max_length where the penalty ramps to -1.")
    correct: GraderNode | None = Field(  # noqa: F821  (the union, resolved by graders.tree)
        None, description="cosine: the child grader deciding correctness.")
    correct_range: tuple[FiniteFloat, FiniteFloat] = Field(
        (2.0, 1.0), description="cosine: [reward at length 0, reward as the length nears max_length] for a correct "
        "answer (Yeo et al.: [2, 1]).")
    wrong_range: tuple[FiniteFloat, FiniteFloat] = Field(
        (-10.0, 0.0), description="cosine: [reward at length 0, reward as the length nears max_length] for a wrong "
        "answer (Yeo et al.: [-10, 0]).")
    exceed: FiniteFloat | None = Field(
        -10.0, description="cosine: the reward for a length past max_length (Yeo et al.: -10). null: no such "
        "term; the curve's end holds (TRL).")
    threshold: FiniteFloat = Field(1.0, description="cosine: a `correct` score at or above this counts as correct.")
    target: int | None = Field(None, gt=0, description="target: the wanted length.")
    tolerance: int = Field(0, ge=0, description="target: distance from the target that still scores 1.")

    @model_validator(mode="after")
    def _shape_fields(self) -> LengthConfig:
        need = {"overlong": ["max_length", "buffer"], "cosine": ["max_length", "correct"], "target": ["target"]}[self.shape]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"shape: {self.shape} needs {', '.join(missing)}")
        stray = sorted((self.model_fields_set & set().union(*_SHAPE_FIELDS.values())) - _SHAPE_FIELDS[self.shape])
        if stray:
            raise ValueError(f"{', '.join(stray)} do not apply to shape: {self.shape} "
                             f"(it takes {', '.join(sorted(_SHAPE_FIELDS[self.shape]))})")
        if self.shape == "overlong" and self.buffer > self.max_length:  # type: ignore[operator]
            raise ValueError(f"buffer ({self.buffer}) must not exceed max_length ({self.max_length})")
        return self

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        return _LengthNode(self, path, compiler)


def overlong(lengths: np.ndarray, max_length: float, buffer: float) -> np.ndarray:
    """DAPO's soft overlong punishment, vectorised."""
    start = max_length - buffer
    out = np.zeros(len(lengths))
    if buffer > 0:
        ramp = (lengths > start) & (lengths <= max_length)
        out[ramp] = (start - lengths[ramp]) / buffer
    out[lengths > max_length] = -1.0
    return out


def cosine(lengths: np.ndarray, correct: np.ndarray, max_length: float, correct_range: tuple[float, float],
           wrong_range: tuple[float, float], exceed: float | None) -> np.ndarray:
    """Yeo et al.'s cosine length scaling: [at length 0, at max_length] per correctness; `exceed` past
    max_length (None: the curve's end value holds there)."""
    start = np.where(correct, correct_range[0], wrong_range[0])
    end = np.where(correct, correct_range[1], wrong_range[1])
    progress = np.minimum(lengths / max_length, 1.0)
    out = end + 0.5 * (start - end) * (1.0 + np.cos(np.pi * progress))
    if exceed is not None:
        out[lengths > max_length] = exceed
    return out


def target_score(lengths: np.ndarray, target: float, tolerance: float) -> np.ndarray:
    """1 within `tolerance` of the target, then linear down to 0 (at |L - target| = target + tolerance)."""
    dist = np.maximum(np.abs(lengths - target) - tolerance, 0.0)
    return np.maximum(0.0, 1.0 - dist / target)


class _LengthNode(MeasureNode):
    def __init__(self, config: LengthConfig, path: str, compiler: Compiler) -> None:
        super().__init__(config, path, compiler)
        self.cfg = config
        if config.correct is not None:
            self.children = [("correct", compiler.compile(config.correct, child_path(path, "correct")))]

    def describe(self) -> str:
        c = self.cfg
        if c.shape == "overlong":
            curve = f"overlong max_length={c.max_length} buffer={c.buffer}"
        elif c.shape == "cosine":
            exceed = "none" if c.exceed is None else f"{c.exceed:g}"
            curve = (f"cosine max_length={c.max_length} correct={list(c.correct_range)} wrong={list(c.wrong_range)} "
                     f"exceed={exceed} past max_length (correct if score >= {c.threshold:g})")
        else:
            curve = f"target={c.target} tolerance={c.tolerance}"
        return f"length {curve} {self.describe_unit()}"

    def _run(self, ctx: BatchContext, rows: np.ndarray) -> NodeOut:
        c = self.cfg
        lengths, errors = self.lengths(ctx, rows)
        status = np.full(len(rows), SCORED, dtype=np.int8)
        if c.shape == "overlong":
            values = overlong(lengths, float(c.max_length), float(c.buffer))  # type: ignore[arg-type]
        elif c.shape == "target":
            values = target_score(lengths, float(c.target), float(c.tolerance))  # type: ignore[arg-type]
        else:
            out = self.children[0][1].run(ctx, rows)
            child = out.values.copy()
            child[out.status == NOT_APPLICABLE] = 0.0  # no answer: wrong
            values = cosine(lengths, child >= c.threshold, float(c.max_length),  # type: ignore[arg-type]
                            c.correct_range, c.wrong_range, c.exceed)
            values[np.isnan(child)] = np.nan  # a child that failed with on_error: skip
            status[out.status == ERROR] = ERROR
        self.apply_errors(ctx, rows, values, status, errors)
        return NodeOut(values, status)
