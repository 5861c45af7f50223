"""Base config models shared by every node kind.

A leaf kind subclasses `LeafConfig`, adds `type: Literal["<kind>"]` and its own
fields, and implements `make_scorer()`, called once at load time, returning a
`LeafScorer` (batch of deduplicated (input, reference) pairs in, `LeafBatch` out).
The engine does the rest: templates, extraction, dedupe, caching, on_error,
range, components and explain.

A node that needs full control (combinators, LLM judges) overrides `compile()`
and returns its own `graders.plan.PlanNode`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graders._types import LeafScorer
from graders.extract import ExtractSpec
from graders.templates import Template

if TYPE_CHECKING:
    from graders.plan import Compiler, PlanNode

OnError = Literal["zero", "skip", "raise"]


class NodeConfig(BaseModel):
    """Fields every node carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(None, description="Display name; components use the key in the parent.")
    weight: float = Field(1.0, ge=0, description="Weight used by a parent `weighted` combinator.")
    range: tuple[float, float] | None = Field(
        None, description="[min, max] the node's score is clipped into (a judge's scale for score_model)."
    )
    on_error: OnError = Field(
        "zero",
        description="Value this node contributes on a per-row error: zero -> 0.0, skip -> NaN "
        "(the row's score becomes NaN so a trainer can drop it), raise -> score() raises.",
    )

    # Data a node needs beyond its own row: "group" (every sample of the same prompt in one
    # score() call) or "attempts" (the sample's earlier attempts). The compiler gathers them
    # into `Grader.needs`; the node checks the data at score time.
    needs: ClassVar[frozenset[str]] = frozenset()

    @field_validator("range")
    @classmethod
    def _range_ordered(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not v[0] < v[1]:
            raise ValueError(f"range must be [min, max] with min < max, got {list(v)}")
        return v

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        raise NotImplementedError


class LeafConfig(NodeConfig):
    """A leaf grader: renders `input` (and `reference`), extracts, scores pairs in batch."""

    input: str = Field("{{ sample.output_text }}", description="Template for the text to grade.")
    reference: str | None = Field(None, description="Template for the reference answer.")
    extract: ExtractSpec | None = Field(
        None, description="Answer extraction applied to the input: a name, a mapping or a list (pipeline)."
    )

    requires_reference: ClassVar[bool] = True
    deterministic: ClassVar[bool] = True  # results may be cached across batches
    cost: ClassVar[str] = "cheap"  # cheap | heavy | remote: read by tools that time work (graders test)

    @field_validator("input", "reference")
    @classmethod
    def _template_parses(cls, v: str | None) -> str | None:
        if v is not None:
            Template.parse(v)  # raises ValueError with a clear message
        return v

    @model_validator(mode="after")
    def _reference_present(self) -> Any:
        if self.requires_reference and self.reference is None:
            kind = getattr(self, "type", type(self).__name__)
            raise ValueError(f"a `{kind}` grader needs a `reference` (e.g. '{{{{ item.answer }}}}')")
        return self

    def make_scorer(self) -> LeafScorer:
        raise NotImplementedError

    def compile(self, compiler: Compiler, path: str) -> PlanNode:
        from graders.plan import LeafNode

        return LeafNode(self, path, compiler)
