"""What a config (sub)tree declares it needs beyond one row: `group`, `attempts`.

The compiler gathers the same thing for a whole grader (`Grader.needs`); this
walks config models, so a validator can refuse a child whose needs cannot be met
where it sits (e.g. a `group_length` inside a `self_correction`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

GROUP = "group"
ATTEMPTS = "attempts"


def tree_needs(config: BaseModel, path: str = "") -> dict[str, list[str]]:
    """need -> tree paths of the nodes below (and including) `config` that declare it."""
    out: dict[str, list[str]] = {}
    _walk(config, path, out)
    return out


def _walk(node: Any, path: str, out: dict[str, list[str]]) -> None:
    if isinstance(node, BaseModel):
        for need in sorted(getattr(type(node), "needs", ())):
            out.setdefault(need, []).append(path or "<root>")
        for name in type(node).model_fields:
            # a combinator's `graders` mapping adds no level to tree paths (`a.b`, as in components)
            _walk(getattr(node, name), path if name == "graders" else _join(path, name), out)
    elif isinstance(node, dict):
        for k, v in node.items():
            _walk(v, _join(path, str(k)), out)
    elif isinstance(node, list | tuple):
        for i, v in enumerate(node):
            _walk(v, f"{path}[{i}]", out)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
