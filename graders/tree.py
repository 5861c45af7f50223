"""Builds the discriminated `GraderNode` union from the registry, and the file model.

Nothing here lists kinds by hand: every registered config model joins the
union keyed on its `type` literal, so an error deep in a tree names only the
member that matched (pydantic's discriminated unions).
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

from graders.registry import registered


@functools.cache
def node_union() -> Any:
    specs = registered()
    members = tuple(spec.config for spec in specs.values())
    union = Annotated[Union[members], Field(discriminator="type")]  # noqa: UP007
    for spec in specs.values():
        spec.config.model_rebuild(force=True, _types_namespace={"GraderNode": union})
    return union


class _FileBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@functools.cache
def grader_file_model() -> type[BaseModel]:
    """The model of a whole grader file: `name`, `description`, `grader`, `tests`."""
    from graders.testing.spec import InlineTests

    union = node_union()
    model = create_model(
        "GraderFile",
        __base__=_FileBase,
        name=(str | None, Field(None, description="The reward's name (shown in reports).")),
        description=(str | None, Field(None, description="What this grader rewards.")),
        grader=(union, Field(..., description="The root node of the grader tree.")),
        tests=(InlineTests | None, Field(None, description="Labeled examples kept in the file (see `graders test`).")),
    )
    return model


def json_schema() -> dict[str, Any]:
    """The JSON Schema of grader files (what `graders schema` prints)."""
    schema = grader_file_model().model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "graders grader file"
    return schema
