"""The kind registry: `@grader_kind` files a config model under its `type` literal.

The discriminated union of every node type is built from this registry
(`graders.tree`), so adding a kind means writing one module under
`graders/kinds/` (or a plugin exposing the `graders.kinds` entry point).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

from pydantic import BaseModel

_REGISTRY: dict[str, KindSpec] = {}


@dataclass(frozen=True)
class KindSpec:
    type: str
    config: type[BaseModel]
    module: str


def _type_literal(cls: type[BaseModel]) -> str:
    field = cls.model_fields.get("type")
    if field is None:
        raise TypeError(f"{cls.__name__} has no `type` field")
    args = typing.get_args(field.annotation)
    if typing.get_origin(field.annotation) is not typing.Literal or len(args) != 1:
        raise TypeError(f"{cls.__name__}.type must be annotated Literal['<kind>']")
    return str(args[0])


def grader_kind(cls: type[BaseModel]) -> type[BaseModel]:
    """Class decorator: register a node config model under its `type` literal."""
    kind = _type_literal(cls)
    existing = _REGISTRY.get(kind)
    if existing is not None and existing.config.__qualname__ != cls.__qualname__:
        raise TypeError(f"grader kind {kind!r} is registered twice ({existing.module}, {cls.__module__})")
    _REGISTRY[kind] = KindSpec(kind, cls, cls.__module__)
    return cls


def registered() -> dict[str, KindSpec]:
    """All registered kinds, after discovery (see graders.kinds)."""
    from graders import kinds  # noqa: F401  (discovers the built-in modules and plugins)

    return dict(sorted(_REGISTRY.items()))
