"""graders: declarative grader configs compiled into fast batch reward functions.

Importing the package is cheap: the engine (pydantic models, numpy) loads on
first use of an attribute, and sympy / openai only when a grader needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "Grader": "graders.api",
    "load": "graders.api",
    "from_dict": "graders.api",
    "from_yaml": "graders.api",
    "ScoreResult": "graders.result",
    "OptFlags": "graders.plan",
    "RowError": "graders._types",
    "GraderError": "graders.errors",
    "ConfigError": "graders.errors",
    "BatchShapeError": "graders.errors",
    "FormulaError": "graders.errors",
    "ScoringError": "graders.errors",
    "json_schema": "graders.tree",
    "from_openai": "graders.openai",
    "to_openai": "graders.openai",
    "run_openai": "graders.openai",
}

__all__ = [  # noqa: RUF022  (kept in sync with _LAZY by tests/test_exported_members.py)
    "BatchShapeError", "ConfigError", "FormulaError", "Grader", "GraderError", "OptFlags", "RowError",
    "ScoreResult", "ScoringError", "__version__", "from_dict", "from_openai", "from_yaml", "json_schema", "load",
    "run_openai", "to_openai",
]

if TYPE_CHECKING:
    from graders._types import RowError
    from graders.api import Grader, from_dict, from_yaml, load
    from graders.errors import BatchShapeError, ConfigError, FormulaError, GraderError, ScoringError
    from graders.openai import from_openai, run_openai, to_openai
    from graders.plan import OptFlags
    from graders.result import ScoreResult
    from graders.tree import json_schema


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'graders' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
