"""`json_path`: a value inside JSON written in the text.

```yaml
extract: {type: json_path, path: "answer.value"}     # also a[0], x["key with space"]
```

Which JSON: the first of these that parses as JSON (and where the path exists):

1. the whole text (stripped);
2. the last fenced code block (```` ```json ... ``` ```` or a plain ```` ``` ```` fence);
3. the span from the first `{` to the last `}` (prose around one object).

Each is one `json.loads` call, so the time is linear in the text; nothing
searches every `{` (that is quadratic on hostile text). Prose with braces before
the object gives no answer: ask the model for a fenced block.

The value at the path is one candidate: a string as it is (stripped), anything
else rendered as compact JSON (`3`, `true`, `[1, 2]`). `null`, a missing path,
deep nesting (RecursionError) and integers over Python's 4300-digit limit
(ValueError) all give no answer.

The path syntax is `graders.paths` (the same as templates), parsed at load time.
"""

from __future__ import annotations

import json
from typing import Any

from ..paths import PathMissing, PathSyntaxError, format_path, parse_path, resolve
from ._core import Built, Kind, SpecError, clean, register

_MISSING = object()


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError, MemoryError):  # JSONDecodeError is a ValueError
        return _MISSING


def _documents(text: str):
    """The candidate JSON texts, in the order they are tried (lazily)."""
    body = text.strip()
    if body:
        yield body
    fence_end = text.rfind("```")
    if fence_end > 0:
        fence_start = text.rfind("```", 0, fence_end)
        if fence_start >= 0:
            block = text[fence_start + 3 : fence_end]
            newline = block.find("\n")
            # drop an info string such as "json" on the opening fence line
            if newline >= 0 and block[:newline].strip().isidentifier():
                block = block[newline + 1 :]
            yield block
    first = text.find("{")
    last = text.rfind("}")
    if 0 <= first < last and (first > 0 or last < len(text) - 1):
        yield text[first : last + 1]


def make_json_path(path: tuple[str | int, ...]):
    def json_path(text: str) -> tuple[str, ...]:
        if not text:
            return ()
        for doc in _documents(text):
            data = _loads(doc)
            if data is _MISSING:
                continue
            try:
                value = resolve(data, path)
            except PathMissing:
                continue
            return _render(value)
        return ()

    return json_path


def _render(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        out = clean(value)
    else:
        try:
            out = json.dumps(value, ensure_ascii=False)
        except (ValueError, RecursionError, TypeError):
            return ()
    return (out,) if out else ()


def _build(options) -> Built:
    raw = options.get("path")
    if not isinstance(raw, str):
        raise SpecError(f"path must be a string such as 'answer.value', got {raw!r}", ".path")
    try:
        path = parse_path(raw)
    except PathSyntaxError as exc:
        raise SpecError(f"invalid path {raw!r}: {exc}", ".path") from None
    return Built(make_json_path(path), (("path", raw),), f"json_path {format_path(path)}")


register(
    Kind(
        name="json_path",
        build=_build,
        summary="a value inside JSON in the text (whole text, last ``` block, or {...})",
        options=("path",),
        required=("path",),
        option_schema={"path": {"type": "string", "minLength": 1}},
    )
)
