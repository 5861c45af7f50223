"""The labeled-example format, shared by JSONL files and a grader file's inline `tests:`."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Example(BaseModel):
    """One labeled row: the DESIGN.md row shape plus what the grader should give.

    `expected` is a score (checked within `tolerance`) or `pass` / `fail`
    (checked against the pass threshold). JSON `true` / `false` read as pass / fail.
    """

    model_config = ConfigDict(extra="forbid")
    item: dict[str, Any] = Field(default_factory=dict)
    sample: dict[str, Any] | str
    expected: float | Literal["pass", "fail"]
    tolerance: float | None = Field(None, ge=0, description="Allowed |score - expected| for a numeric label.")
    tags: list[str] = Field(default_factory=list)
    note: str | None = None
    id: str | None = None

    @field_validator("expected", mode="before")
    @classmethod
    def _expected(cls, v: Any) -> Any:
        if isinstance(v, bool):
            return "pass" if v else "fail"
        if isinstance(v, str) and v.strip().lower() in ("pass", "fail"):
            return v.strip().lower()
        if isinstance(v, str):
            raise ValueError(f"expected must be a number, 'pass' or 'fail' (got {v!r})")
        return v

    @field_validator("expected")
    @classmethod
    def _finite(cls, v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError("expected must be a finite number")
        return v

    @property
    def is_binary(self) -> bool:
        return isinstance(self.expected, str)


class Thresholds(BaseModel):
    """Minimum quality for `graders test` to pass; unset = every example must agree."""

    model_config = ConfigDict(extra="forbid")
    agreement: float | None = Field(None, ge=0, le=1, description="Minimum share of examples that agree with their label.")
    precision: float | None = Field(None, ge=0, le=1, description="Minimum precision of 'pass' at the pass threshold.")
    recall: float | None = Field(None, ge=0, le=1, description="Minimum recall of 'pass' at the pass threshold.")
    f1: float | None = Field(None, ge=0, le=1, description="Minimum F1 of 'pass' at the pass threshold.")
    mae: float | None = Field(None, ge=0, description="Maximum mean absolute error on numeric labels.")
    spearman: float | None = Field(None, ge=-1, le=1, description="Minimum Spearman correlation on numeric labels.")

    def is_empty(self) -> bool:
        return all(v is None for v in self.model_dump().values())


class ProbeSettings(BaseModel):
    """How `graders test --probes` treats the built-in reward-hack probes for this grader."""

    model_config = ConfigDict(extra="forbid")
    strict: bool = Field(False, description="Fail the test (exit 1) when a probe not in `allow` earns reward.")
    allow: list[str] = Field(default_factory=list, description="Probes this grader may reward on purpose (e.g. overlong).")


class InlineTests(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pass_threshold: float = Field(0.5, description="Scores at or above this count as pass.")
    tolerance: float = Field(1e-6, ge=0, description="Default allowed |score - expected| for numeric labels.")
    thresholds: Thresholds = Field(default_factory=Thresholds)
    tag_thresholds: dict[str, Thresholds] = Field(
        default_factory=dict, description="Thresholds for the examples carrying one tag (tag -> thresholds)."
    )
    examples: list[Example] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list, description="JSONL files of examples, relative to the grader file.")
    probes: ProbeSettings = Field(default_factory=ProbeSettings)
