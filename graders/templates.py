"""`{{ sample.output_text }}`-style templates, parsed once at load time.

Two namespaces exist, as in OpenAI's graders: `sample` (what the model
produced: `output_text`, `output_json` = output_text parsed as JSON, and any
other field the caller passes) and `item` (the dataset row). Non-string values
render as compact JSON. A missing path is a per-row `TemplateMissing` naming the
path, never a silent empty string.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from graders.paths import Path, PathMissing, PathSyntaxError, format_path, parse_path, resolve

_VAR = re.compile(r"\{\{(.*?)\}\}", re.S)
NAMESPACES = ("sample", "item")
OUTPUT_JSON_KEY = "__output_json__"  # per-row cache slot inside a normalised sample dict
_NOT_JSON = object()


class TemplateMissing(LookupError):
    """A template path is absent from this row (kind `missing_field`)."""

    kind = "missing_field"


class InvalidOutputJSON(TemplateMissing):
    """`sample.output_json` read from output text that is not JSON: the model's mistake.

    Graders score such a row 0 (status scored) and count it, rather than
    reporting a grader error (see `MODEL_ERROR_KINDS`).
    """

    kind = "invalid_output_json"


# Failures that are the model's wrong answer, not the grader's problem: scored 0.
MODEL_ERROR_KINDS = frozenset({InvalidOutputJSON.kind})


def render_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if hasattr(value, "item") and getattr(value, "shape", None) == ():  # a numpy/torch scalar: its Python value
        value = value.item()
        if isinstance(value, str):
            return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_array_default)


def _array_default(value: Any) -> Any:
    """JSON for array values trainers pass (verl's parquet columns arrive as numpy arrays/scalars)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    raise TypeError(f"cannot render a {type(value).__name__} in a template")


def output_json(sample: dict[str, Any]) -> Any:
    """`sample.output_json`: the caller's value if given, else output_text parsed once per row."""
    if "output_json" in sample:
        return sample["output_json"]
    cached = sample.get(OUTPUT_JSON_KEY)
    if cached is None and not isinstance(sample.get("output_text"), str):
        raise TemplateMissing("sample.output_json: the sample has neither output_json nor output_text")
    if cached is None:
        cached = _parse_json_output(sample.get("output_text"))
        sample[OUTPUT_JSON_KEY] = cached
    if cached is _NOT_JSON:
        raise InvalidOutputJSON("sample.output_json: the model's output is not valid JSON (scored 0)")
    return cached


def _parse_json_output(text: Any) -> Any:
    if not isinstance(text, str):
        return _NOT_JSON
    body = text.strip()
    if body.startswith("```"):
        body = re.sub(r"^```[A-Za-z0-9_-]*\s*\n?", "", body)
        body = re.sub(r"\n?```\s*$", "", body)
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return _NOT_JSON


# Fields a sample carries in OpenAI's graders (output_text, output_json, output_tools,
# choices) and in graders' integrations (messages, completion_ids, attempts). Other
# fields the caller passes are allowed; a near miss of a known one is a typo.
KNOWN_SAMPLE_FIELDS = ("output_text", "output_json", "output_tools", "choices", "messages", "completion_ids",
                       "attempts")


def _check_sample_field(source: str, expr: str, name: str) -> None:
    if name in KNOWN_SAMPLE_FIELDS:
        return
    import difflib

    close = difflib.get_close_matches(name, KNOWN_SAMPLE_FIELDS, n=1, cutoff=0.75)
    if close:
        raise ValueError(f"template {source!r}: {{{{ {expr} }}}}: unknown sample field {name!r}; "
                         f"did you mean 'sample.{close[0]}'?")


def _resolve_through_json(root: Any, path: Path) -> Any:
    """resolve(), reading on into a string that holds a JSON object or array.

    `{{ sample.output_tools[0].function.arguments.symbols }}`: tool arguments are a JSON string, and
    OpenAI's tools-evaluation cookbook reads a field inside them this way.
    """
    try:
        return resolve(root, path)
    except PathMissing as exc:
        depth = exc.depth
        text = resolve(root, path[:depth]) if depth else root
        if not isinstance(text, str) or not text.lstrip().startswith(("{", "[")):
            raise
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            raise exc from None
        if not isinstance(parsed, dict | list):
            raise
        try:
            return _resolve_through_json(parsed, path[depth:])
        except PathMissing as inner:
            reason = str(inner)[len(format_path(inner.path[: inner.depth + 1])) :].strip()
            raise PathMissing(path, depth + inner.depth, reason) from None


@dataclass(frozen=True, slots=True)
class Template:
    source: str
    parts: tuple[str | Path, ...]  # literal strings and variable paths (namespace first)
    # For references: a lone `item.*` field that is null is missing, never the text "null"
    # (a completion answering "null" would match it). Inputs keep rendering null as "null".
    null_missing: bool = False
    # `{{ item.<name> }}` alone (a reference): the name, for render's fast path; else None.
    _item_key: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        only = self.parts[0] if len(self.parts) == 1 else None
        if isinstance(only, tuple) and len(only) == 2 and only[0] == "item" and isinstance(only[1], str):
            object.__setattr__(self, "_item_key", only[1])

    @property
    def key(self) -> str:
        """Memo key of the rendered column (a reference and an input never share one)."""
        return "\x00ref:" + self.source if self.null_missing else self.source

    @classmethod
    def parse(cls, source: str) -> Template:
        parts: list[str | Path] = []
        pos = 0
        for m in _VAR.finditer(source):
            if m.start() > pos:
                parts.append(source[pos : m.start()])
            expr = m.group(1).strip()
            try:
                path = parse_path(expr)
            except PathSyntaxError as exc:
                raise ValueError(f"template {source!r}: bad variable {{{{ {expr} }}}}: {exc}") from None
            if path[0] not in NAMESPACES:
                raise ValueError(
                    f"template {source!r}: variable {{{{ {expr} }}}} must start with "
                    f"'sample.' or 'item.' (got {path[0]!r})"
                )
            if path[0] == "sample" and len(path) >= 2 and isinstance(path[1], str):
                _check_sample_field(source, expr, path[1])
            parts.append(path)
            pos = m.end()
        tail = source[pos:]
        if "{{" in tail or "}}" in tail:
            raise ValueError(f"template {source!r}: unbalanced '{{{{' / '}}}}'")
        if tail:
            parts.append(tail)
        return cls(source, tuple(parts))

    @property
    def variables(self) -> list[Path]:
        return [p for p in self.parts if isinstance(p, tuple)]

    @property
    def item_only(self) -> bool:
        """True when the template reads nothing from the sample (renders once per item)."""
        return all(p[0] == "item" for p in self.variables)

    @property
    def is_output_text(self) -> bool:
        return self.parts == (("sample", "output_text"),)

    def render(self, sample: dict[str, Any], item: Any) -> str:
        name = self._item_key
        if name is not None and type(item) is dict:  # what resolve() reads for a dict: item[name]
            value = item.get(name)
            if type(value) is str:
                return value  # render_value's first case
        if len(self.parts) == 1 and isinstance(self.parts[0], tuple):
            value = self._lookup(self.parts[0], sample, item)
            if value is None and self.null_missing and self.parts[0][0] == "item":
                # A dataset field that is null is no reference: rendered as "null" it would
                # credit a completion that answers "null".
                raise TemplateMissing(f"{format_path(self.parts[0])} is null in this row")
            return render_value(value)
        out = []
        for part in self.parts:
            out.append(part if isinstance(part, str) else render_value(self._lookup(part, sample, item)))
        return "".join(out)

    @staticmethod
    def _lookup(path: Path, sample: dict[str, Any], item: Any) -> Any:
        if path[0] == "sample":
            if len(path) >= 2 and path[1] == "output_json":
                root: Any = output_json(sample)
                rest = path[2:]
                prefix: Path = ("sample", "output_json")
            else:
                root, rest, prefix = sample, path[1:], ("sample",)
        else:
            root, rest, prefix = item, path[1:], ("item",)
        try:
            return _resolve_through_json(root, rest)
        except PathMissing as exc:
            full = prefix + exc.path[: exc.depth + 1]
            reason = str(exc)[len(format_path(exc.path[: exc.depth + 1])) :].strip()
            raise TemplateMissing(f"{format_path(full)} {reason} (template {{{{ {format_path(path)} }}}})") from None
