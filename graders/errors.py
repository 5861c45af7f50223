"""Exceptions raised by graders.

    GraderError
    ├── ConfigError          a grader file or dict is invalid (carries file, line, tree path)
    ├── BatchShapeError      samples and items differ in length, or a row has the wrong type
    ├── FormulaError         a formula does not parse or names something unknown
    ├── ScoringError         a node with on_error: raise met a per-row error
    └── MissingExtraError    an optional dependency is not installed

Per-row problems during scoring are *not* exceptions: they are `RowError`
records in the result (see `graders._types`), unless a node says `on_error: raise`.
"""

from __future__ import annotations


class GraderError(Exception):
    """Root of every exception graders raises on purpose."""


class ConfigError(GraderError):
    """A grader config is invalid. `issues` holds one entry per problem found."""

    def __init__(self, message: str, issues: list[ConfigIssue] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []


class ConfigIssue:
    """One problem in a config: where it is (file, line, column, tree path) and what was expected."""

    __slots__ = ("file", "line", "column", "path", "message")

    def __init__(
        self,
        message: str,
        *,
        path: str = "",
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.file = file
        self.line = line
        self.column = column

    def location(self) -> str:
        where = self.file or "<config>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        at = f" at {self.path}" if self.path else ""
        return f"{self.location()}{at}: {self.message}"

    def __repr__(self) -> str:
        return f"ConfigIssue({str(self)!r})"


class BatchShapeError(GraderError):
    """The batch handed to score() is malformed as a whole (not one bad row)."""


class FormulaError(GraderError):
    """A formula is malformed or names a child or function that does not exist."""

    def __init__(self, message: str, expression: str = "", position: int | None = None) -> None:
        super().__init__(message)
        self.expression = expression
        self.position = position


class ScoringError(GraderError):
    """A node configured with `on_error: raise` hit a per-row error."""

    def __init__(self, message: str, errors: list | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


class MissingExtraError(GraderError, ImportError):
    """An optional dependency is needed; the message names the pip extra."""
