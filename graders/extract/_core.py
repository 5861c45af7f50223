"""The Extractor object, the multiple-answer policies and the extractor registry.

Every extractor kind lives in its own module and registers itself here with
`register(...)`; `graders.extract.spec` turns a config value into an `Extractor`
by looking the name up in `REGISTRY`. Adding a kind touches one module.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import GraderError

ExtractFn = Callable[[str], tuple[str, ...]]

#: What to do when the text holds several final answers.
POLICIES = ("last", "all_must_agree", "reject")

#: The default policy: the answer is the last statement's (the answer the model
#: ends on), so a model that corrects itself ("\\boxed{3} ... wait, that is wrong
#: ... \\boxed{5}") is graded on 5. Listing answers does not pay under it: the
#: answers of one statement form ONE candidate (graders.extract.final), and a
#: multi-valued candidate ("41, 42") never matches a single-valued reference.
DEFAULT_POLICY = "last"

#: The most distinct candidates `all_must_agree` scores for one row; more is a
#: `too_many_answers` row error (`TooManyAnswers`). Together with `last` and
#: `reject` (one candidate each) this bounds the comparisons one row can cause
#: (sympy, judges): a cost the completion's author would otherwise control.
MAX_DISTINCT_CANDIDATES = 16


class TooManyAnswers(ValueError):
    """`all_must_agree` met more than MAX_DISTINCT_CANDIDATES distinct candidates."""

    kind = "too_many_answers"


class ExtractionTimeout(GraderError, TimeoutError):
    """A config-supplied regular expression ran past its time bound on one text.

    Raised by `Extractor.__call__` (never swallowed into "no answer", so the engine
    can record a per-row error instead of a silent zero).
    """

    def __init__(self, message: str, pattern: str = "", timeout: float | None = None) -> None:
        super().__init__(message)
        self.pattern = pattern
        self.timeout = timeout


class SpecError(ValueError):
    """An extract spec is invalid. `where` is the position inside the spec (`[1].pattern`)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


class Extractor:
    """A compiled answer extractor: immutable, hashable by its config (`key`).

    `extractor(text)` returns the candidates for the final answer in order of
    appearance, stripped and non-empty; `()` means "no answer" (a normal outcome).
    The only exception it raises on purpose is `ExtractionTimeout`.
    """

    __slots__ = ("key", "policy", "_fn", "_description")

    key: Hashable
    policy: str

    def __init__(self, fn: ExtractFn, key: Hashable, policy: str, description: str) -> None:
        if policy not in POLICIES:
            raise ValueError(f"unknown policy {policy!r}")
        object.__setattr__(self, "_fn", fn)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "policy", policy)
        object.__setattr__(self, "_description", description)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Extractor is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Extractor is immutable")

    def __call__(self, text: str) -> tuple[str, ...]:
        if not isinstance(text, str):
            raise TypeError(f"an extractor takes a str, not {type(text).__name__}")
        return self._fn(text)

    def answers(self, text: str) -> tuple[str, ...]:
        """The distinct candidates the engine must score for `text` under `policy`
        (see `apply_policy`): `()` means no answer."""
        return apply_policy(self(text), self.policy)

    def describe(self) -> str:
        return self._description

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Extractor) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"<Extractor {self._description}>"

    def __reduce__(self):  # picklable for worker pools: rebuild from the key
        from .spec import _rebuild

        return (_rebuild, (self.key,))


def apply_policy(candidates: tuple[str, ...], policy: str) -> tuple[str, ...]:
    """Reduce candidates to the distinct answers that must be scored.

    - `last` (default): the last candidate only.
    - `all_must_agree`: every distinct candidate, in order of first appearance; the
      engine scores each and takes the minimum. More than
      `MAX_DISTINCT_CANDIDATES` distinct ones raise `TooManyAnswers`.
    - `reject`: the single candidate if all candidates are equal, else `()`.
    """
    if not candidates:
        return ()
    if policy == "last":
        return (candidates[-1],)
    first = candidates[0]
    if policy == "reject":
        return (first,) if all(c == first for c in candidates) else ()
    if policy != "all_must_agree":
        raise ValueError(f"unknown policy {policy!r}")
    distinct = tuple(dict.fromkeys(candidates))
    if len(distinct) > MAX_DISTINCT_CANDIDATES:
        raise TooManyAnswers(
            f"{len(distinct)} different final answers; all_must_agree scores at most "
            f"{MAX_DISTINCT_CANDIDATES}"
        )
    return distinct


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Built:
    """What a kind's builder returns: the function, the normalized options (part
    of the extractor's key) and a short description."""

    fn: ExtractFn
    options: tuple[tuple[str, Hashable], ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    build: Callable[[Mapping[str, Any]], Built]
    summary: str
    options: tuple[str, ...] = ()  # allowed option keys besides `type` and `multiple`
    required: tuple[str, ...] = ()  # options without which the name alone is an error
    option_schema: dict[str, Any] = field(default_factory=dict)  # JSON Schema per option
    aliases: tuple[str, ...] = ()


REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    for name in (kind.name, *kind.aliases):
        if name in REGISTRY:
            raise RuntimeError(f"extractor {name!r} registered twice")
        REGISTRY[name] = kind
    return kind


def clean(value: str) -> str | None:
    """Strip a candidate; None when nothing is left."""
    value = value.strip()
    return value or None


def unwrap(value: str, *, bold: bool = True) -> str:
    """Strip whitespace and wrappers around a whole answer: `$x$`, `$$x$$`,
    `\\(x\\)`, `\\[x\\]` and (if `bold`) markdown `**x**` / `__x__` / `*x*` / `_x_`. A wrapper is
    only removed when it encloses the whole value (`$a$ and $b$` is kept)."""
    value = value.strip()
    for _ in range(6):  # bounded: each pass removes one layer
        before = value
        if len(value) >= 2 and value[0] == "$" and value[-1] == "$":
            inner = value.strip("$")
            if "$" not in inner and len(value) - len(inner) <= 4:
                value = inner.strip()
        elif (
            len(value) >= 4
            and value[:2] in ("\\(", "\\[")
            and value[-2:] == ("\\)" if value[1] == "(" else "\\]")
        ):
            inner = value[2:-2]
            if "\\(" not in inner and "\\[" not in inner:
                value = inner.strip()
        elif bold and len(value) >= 4 and value[:2] in ("**", "__") and value[-2:] == value[:2]:
            inner = value[2:-2]
            if value[:2] not in inner:
                value = inner.strip()
        elif (  # markdown emphasis `*x*` / `_x_` (no space inside its ends, no inner delimiter)
            bold and len(value) >= 3 and value[0] in "*_" and value[-1] == value[0]
            and value[1] not in " *_" and value[-2] not in " *_" and value[0] not in value[1:-1]
        ):
            value = value[1:-1]
        if value == before:
            break
    return value
