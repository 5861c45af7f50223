"""The `extract:` config value: validation (`ExtractSpec`) and compilation.

Forms:

```yaml
extract: boxed                                        # a name
extract: {type: regex, pattern: "ANSWER: (\\w+)", multiple: last}   # a mapping
extract: [strip_think, {type: xml_tag, tag: answer}, boxed]          # a pipeline
```

Every mapping takes `type` and `multiple` (`all_must_agree` | `last` | `reject`,
default `all_must_agree`), plus its kind's options.

Pipelines run left to right. Each step is applied to every text the previous
step handed on, and the results are concatenated in order. Before handing on,
an intermediate step's candidates are reduced by that step's own `multiple`
policy: `all_must_agree` (default) hands on every candidate, `last` only the
last, `reject` the common value or nothing when they differ. So
`[strip_think, boxed]` boxes only the post-reasoning text, and
`[xml_tag, boxed]` gives the boxes inside every `<answer>` (two answer tags with
different boxes are two candidates, judged by the final policy). A step that
yields nothing ends the pipeline with no answer. The pipeline's `policy` is its
last step's.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Mapping
from typing import Annotated, Any, Union

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..errors import ConfigError, ConfigIssue
from . import answer_line, auto, boxed, fenced, json_path, numbers, regex_ext, simple, tags  # noqa: F401  (registers the kinds)
from ._core import DEFAULT_POLICY, POLICIES, REGISTRY, ExtractFn, Extractor, SpecError

_COMMON = ("type", "multiple")


def names() -> list[str]:
    """Every valid extractor name (aliases included), sorted."""
    return sorted(REGISTRY)


def _unknown(name: str, where: str) -> SpecError:
    msg = f"unknown extractor {name!r}; valid names: {', '.join(names())}"
    close = difflib.get_close_matches(name, names(), n=1)
    if close:
        msg += f" (did you mean {close[0]!r}?)"
    return SpecError(msg, where)


def _compile_step(spec: Any, where: str) -> Extractor:
    if isinstance(spec, Extractor):  # programmatic composition
        return spec
    if isinstance(spec, str):
        name, options, policy = spec.strip(), {}, DEFAULT_POLICY
        kind = REGISTRY.get(name)
        if kind is None:
            raise _unknown(spec, where)
        if kind.required:
            example = ", ".join(f"{k}: ..." for k in kind.required)
            raise SpecError(
                f"extractor {name!r} needs options; write it as a mapping: "
                f"{{type: {name}, {example}}}",
                where,
            )
    elif isinstance(spec, Mapping):
        if "type" not in spec:
            raise SpecError(
                f"an extractor mapping needs a 'type' key (one of: {', '.join(names())})", where
            )
        name = spec["type"]
        if not isinstance(name, str):
            raise SpecError(f"type must be an extractor name, got {name!r}", where + ".type")
        kind = REGISTRY.get(name)
        if kind is None:
            raise _unknown(name, where + ".type")
        policy = spec.get("multiple", DEFAULT_POLICY)
        if policy not in POLICIES:
            raise SpecError(
                f"multiple must be one of {', '.join(POLICIES)}, got {policy!r}",
                where + ".multiple",
            )
        options = {}
        for key, value in spec.items():
            if key in _COMMON:
                continue
            if key not in kind.options:
                allowed = ", ".join((*_COMMON, *kind.options))
                raise SpecError(
                    f"unknown option {key!r} for extractor {name!r}; allowed: {allowed}",
                    f"{where}.{key}",
                )
            options[key] = value
        for key in kind.required:
            if key not in options:
                raise SpecError(f"extractor {name!r} needs the option {key!r}", where)
    else:
        raise SpecError(
            f"an extractor is a name or a mapping with 'type', got {type(spec).__name__}", where
        )
    try:
        built = kind.build(options)
    except SpecError as exc:
        raise SpecError(exc.message, where + exc.where) from None
    key: Hashable = (kind.name, built.options, policy)
    described = built.description or kind.name
    if policy != DEFAULT_POLICY:
        described += f" (multiple: {policy})"
    return Extractor(built.fn, key, policy, described)


# The last step of a pipeline reads the candidates of the step before: short texts that repeat
# (a GRPO group's "The final answer is \\boxed{12}." under `[xml_tag, auto]`). Its results for
# texts of at most _MEMO_CHARS are kept, up to _MEMO_SIZE texts (then the memo starts over).
# Only for steps built from config: their functions are pure (a text always gives the same
# candidates, or raises, and what raises is not kept); a programmatic Extractor may not be.
_MEMO_CHARS = 256
_MEMO_SIZE = 4096


def _pipeline(steps: list[Extractor], memo_last: bool = False) -> Extractor:
    head, last = steps[:-1], steps[-1]
    policies = [s.policy for s in head]
    first, first_policy = head[0], policies[0]
    rest = list(zip(head[1:], policies[1:], strict=True))
    memo: dict[str, tuple[str, ...]] = {}
    memo_get = memo.get

    def final(t: str) -> tuple[str, ...]:
        if not memo_last or len(t) > _MEMO_CHARS:
            return last(t)
        found = memo_get(t)
        if found is None:
            found = last(t)
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[t] = found
        return found

    def run(text: str) -> tuple[str, ...]:
        texts: tuple[str, ...] | list[str] = _reduce(first(text), first_policy)
        if not texts:
            return ()
        for step, policy in rest:
            if len(texts) == 1:
                handed: tuple[str, ...] | list[str] = _reduce(step(texts[0]), policy)
            else:
                handed = []
                seen: dict[str, tuple[str, ...]] = {}
                for t in texts:
                    found = seen.get(t)
                    if found is None:
                        found = seen[t] = _reduce(step(t), policy)
                    handed.extend(found)
            if not handed:
                return ()
            texts = handed
        if len(texts) == 1:
            return final(texts[0])
        out: list[str] = []
        done: dict[str, tuple[str, ...]] = {}
        for t in texts:
            found = done.get(t)
            if found is None:
                found = done[t] = final(t)
            out.extend(found)
        return tuple(out)

    key = ("pipeline", tuple(s.key for s in steps))
    description = " -> ".join(s.describe() for s in steps)
    return Extractor(run, key, last.policy, description)


def _reduce(candidates: tuple[str, ...], policy: str) -> tuple[str, ...]:
    """What an intermediate pipeline step hands on."""
    if not candidates or policy == "all_must_agree":
        return candidates
    if policy == "last":
        return candidates[-1:]
    first = candidates[0]
    return (first,) if all(c == first for c in candidates) else ()


def _compile(spec: Any) -> Extractor:
    if isinstance(spec, list | tuple):
        if not spec:
            raise SpecError("an extract pipeline needs at least one step")
        steps = []
        for i, step in enumerate(spec):
            if isinstance(step, list | tuple):
                raise SpecError("pipeline steps must be names or mappings, not lists", f"[{i}]")
            steps.append(_compile_step(step, f"[{i}]"))
        if len(steps) == 1:
            return steps[0]
        return _pipeline(steps, memo_last=not isinstance(spec[-1], Extractor))
    return _compile_step(spec, "")


def compile_extractor(spec: Any) -> Extractor:
    """Compile an `extract:` value (name, mapping, list) once, at load time.

    `None` means the identity extractor; an `Extractor` (also as a pipeline step)
    is used as it is. Raises ConfigError. Extractors built from config pickle
    (they are rebuilt from `key`), so they can be sent to worker processes."""
    if spec is None:
        spec = "identity"
    try:
        return _compile(spec)
    except SpecError as exc:
        message = f"extract{exc.where}: {exc.message}" if exc.where else f"extract: {exc.message}"
        raise ConfigError(message, [ConfigIssue(exc.message, path=f"extract{exc.where}")]) from None


def _rebuild(key: Hashable) -> Extractor:
    """Inverse of Extractor.key (used to pickle extractors for worker processes)."""
    return _compile(_spec_from_key(key))


def _spec_from_key(key: Any) -> Any:
    if key[0] == "pipeline":
        return [_spec_from_key(k) for k in key[1]]
    name, options, policy = key
    return {"type": name, **dict(options), "multiple": policy}


# --------------------------------------------------------------------------- pydantic type


def _plain(value: Any) -> Any:
    """The spec as plain YAML/JSON data (tuples become lists, mappings dicts)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _validate(value: Any) -> Any:
    if isinstance(value, Extractor):
        raise PydanticCustomError(
            "extract_spec",
            "an extract spec is a name, a mapping or a list, not a compiled Extractor",
        )
    if value is None or not isinstance(value, str | Mapping | list | tuple):
        raise PydanticCustomError(
            "extract_spec",
            "extract must be an extractor name, a mapping with 'type', or a list of those; "
            "got {got}",
            {"got": type(value).__name__},
        )
    try:
        _compile(value)
    except SpecError as exc:
        where = f"{exc.where}: " if exc.where else ""
        raise PydanticCustomError(
            "extract_spec", "{message}", {"message": where + exc.message}
        ) from None
    return _plain(value)


def _step_schema() -> dict[str, Any]:
    mappings = []
    for name in names():
        kind = REGISTRY[name]
        props: dict[str, Any] = {
            "type": {"const": name, "description": kind.summary},
            "multiple": {
                "enum": list(POLICIES),
                "default": DEFAULT_POLICY,
                "description": "what to do with several final answers",
            },
        }
        props.update(kind.option_schema)
        mappings.append(
            {
                "type": "object",
                "properties": props,
                "required": ["type", *kind.required],
                "additionalProperties": False,
            }
        )
    bare = [n for n in names() if not REGISTRY[n].required]
    return {"anyOf": [{"enum": bare}, *mappings]}


_STEP_SCHEMA = _step_schema()
EXTRACT_SPEC_SCHEMA: dict[str, Any] = {
    "title": "Extract",
    "description": (
        "How to find the final answer in the text: an extractor name, a mapping "
        "{type: ..., options}, or a list of those applied left to right."
    ),
    "anyOf": [*_STEP_SCHEMA["anyOf"], {"type": "array", "minItems": 1, "items": _STEP_SCHEMA}],
}

ExtractSpec = Annotated[
    Union[str, dict[str, Any], list[Union[str, dict[str, Any]]]],  # noqa: UP007
    PlainValidator(_validate),
    PlainSerializer(_plain),
    WithJsonSchema(EXTRACT_SPEC_SCHEMA),
]
"""A pydantic v2 field type for `extract:`. Validates fully (names, options,
regex patterns, groups, paths) and keeps the value as plain data; call
`compile_extractor(value)` once at load time to get the `Extractor`."""

__all__ = ["ExtractSpec", "compile_extractor", "names", "EXTRACT_SPEC_SCHEMA", "ExtractFn"]
