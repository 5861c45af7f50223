"""YAML (or dict) -> validated grader file, with file:line:column for every error.

YAML is composed with the safe loader (the C one when available) into nodes
that keep their position, then built into plain data by our own walker, which:
refuses tags other than YAML's core ones, refuses duplicate keys, bounds alias
expansion (billion laughs) and nesting depth, and records the line of every
tree path. Pydantic errors are then mapped back to those lines.
"""

from __future__ import annotations

import difflib
from pathlib import Path as FsPath
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from graders.errors import ConfigError, ConfigIssue

try:  # the C loader is ~10x faster; fall back to pure Python where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 100_000  # nodes after alias expansion
MAX_DEPTH = 64
MAX_BYTES = 8 * 1024 * 1024
MAX_NUMBER_CHARS = 400  # an integer literal longer than this is a mistake (or an attack), not a setting

_CORE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge",
}

Marks = dict[tuple[Any, ...], tuple[int, int]]


class _Builder:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.nodes = 0
        self.marks: Marks = {}
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, message: str, path: tuple[Any, ...]) -> ConfigError:
        issue = ConfigIssue(message, path=_dotted(path), file=self.filename,
                            line=node.start_mark.line + 1, column=node.start_mark.column + 1)
        return ConfigError(str(issue), [issue])

    def build(self, node: yaml.Node, path: tuple[Any, ...] = (), depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(node, f"more than {MAX_NODES} nodes after expanding aliases (alias bomb?)", path)
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested deeper than {MAX_DEPTH} levels", path)
        if node.tag not in _CORE_TAGS:
            raise self.fail(node, f"tag {node.tag!r} is not allowed (only plain YAML data)", path)
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            explicit: set[str] = set()
            merged: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    value = self.build(value_node, path, depth + 1)
                    sources = value if isinstance(value, list) else [value]
                    for src in sources:
                        if not isinstance(src, dict):
                            raise self.fail(value_node, "'<<' merges only mappings", path)
                        for k, v in src.items():
                            merged.setdefault(k, v)
                    continue
                if key_node.tag not in _CORE_TAGS:
                    raise self.fail(key_node, f"tag {key_node.tag!r} is not allowed on a key (only plain YAML data)", path)
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, "mapping keys must be plain strings", path)
                key = str(self.scalar(key_node, path))
                if key in explicit:
                    raise self.fail(key_node, f"duplicate key {key!r} (YAML would silently keep the last one)", path + (key,))
                explicit.add(key)
                out[key] = self.build(value_node, path + (key,), depth + 1)
            for k, v in merged.items():
                out.setdefault(k, v)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: tuple[Any, ...]) -> Any:
        """A plain scalar; a number Python refuses to convert (5,000 digits) is a config error."""
        raw = str(node.value)
        if node.tag == "tag:yaml.org,2002:int" and len(raw) > MAX_NUMBER_CHARS:
            raise self.fail(node, f"number with {len(raw)} characters is too long (at most {MAX_NUMBER_CHARS})", path)
        try:
            return self.constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError) as exc:
            raise self.fail(node, f"cannot read value {raw[:40]!r}{'...' if len(raw) > 40 else ''}: {exc}", path) from None


def parse_yaml(text: str, filename: str = "<string>") -> tuple[Any, Marks]:
    """Safe-load YAML text into data plus a map tree path -> (line, column)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        issue = ConfigIssue(f"file is larger than {MAX_BYTES} bytes", file=filename)
        raise ConfigError(str(issue), [issue])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        issue = ConfigIssue(f"invalid YAML: {exc.problem or exc}", file=filename, line=line, column=col)
        raise ConfigError(str(issue), [issue]) from None
    except yaml.YAMLError as exc:
        issue = ConfigIssue(f"invalid YAML: {exc}", file=filename)
        raise ConfigError(str(issue), [issue]) from None
    if node is None:
        issue = ConfigIssue("the file is empty; expected a mapping with a `grader:` key", file=filename, line=1)
        raise ConfigError(str(issue), [issue])
    builder = _Builder(filename)
    return builder.build(node), builder.marks


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _normalize_root(data: Any, marks: Marks) -> tuple[Any, Marks]:
    """Accept a bare node (a mapping with `type:`) as the whole file's `grader`."""
    # A file has no `type` key; a bare node may have a `grader` child (self_correction).
    if isinstance(data, dict) and "type" in data and ("grader" not in data or isinstance(data.get("type"), str)):
        return {"grader": data}, {("grader",) + k: v for k, v in marks.items()}
    if isinstance(data, dict):  # top-level `x-...` keys hold anchors to reuse (as in compose files)
        data = {k: v for k, v in data.items() if not str(k).startswith("x-")}
    return data, marks


def validate(data: Any, *, filename: str = "<dict>", marks: Marks | None = None) -> BaseModel:
    """Validate plain data as a grader file; raise ConfigError with located issues."""
    from graders.tree import grader_file_model

    marks = marks or {}
    data, marks = _normalize_root(data, marks)
    if not isinstance(data, dict):
        issue = ConfigIssue(f"expected a mapping with a `grader:` key, got {type(data).__name__}",
                            file=filename, line=1 if marks else None)
        raise ConfigError(str(issue), [issue])
    model = grader_file_model()
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        issues = _issues(exc, data, marks, filename)
        head = issues[0]
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        msg = str(head) + more + ("\n" + "\n".join(f"  {i}" for i in issues[1:]) if len(issues) > 1 else "")
        raise ConfigError(msg, issues) from None


def _issues(exc: ValidationError, data: Any, marks: Marks, filename: str) -> list[ConfigIssue]:
    seen: set[tuple[str, str]] = set()
    issues: list[ConfigIssue] = []
    for err in exc.errors(include_url=False):
        path, node = _data_path(err["loc"], data)
        message = _message(err, node, path, data)
        if err["type"] == "union_tag_invalid":
            path = path + ("type",)  # point at the bad `type:` line itself
        key = (_dotted(path), message)
        if key in seen:
            continue
        seen.add(key)
        line_col = None
        probe = path
        while line_col is None:
            line_col = marks.get(tuple(probe))
            if not probe:
                break
            probe = probe[:-1]
        issues.append(ConfigIssue(message, path=_dotted(path), file=filename,
                                  line=line_col[0] if line_col else None,
                                  column=line_col[1] if line_col else None))
    # Most specific (deepest) first, like jsonschema's best_match.
    issues.sort(key=lambda i: -i.path.count(".") - i.path.count("["))
    return issues


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[Any, ...], Any]:
    """Map a pydantic error location onto the data, dropping union/discriminator labels."""
    path: list[Any] = []
    cur: Any = data
    parent: Any = None
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(cur, dict):
            if part in cur:
                parent, cur = cur, cur[part]
                path.append(part)
            elif cur.get("type") == part or not last:
                continue  # discriminator tag or union branch label
            else:
                path.append(part)  # a missing or unknown key
                parent, cur = cur, None
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            parent, cur = cur, cur[part]
            path.append(part)
        else:
            continue
    return tuple(path), parent if isinstance(parent, dict) else None


def _message(err: dict[str, Any], parent: dict[str, Any] | None, path: tuple[Any, ...], root: Any = None) -> str:
    etype = err["type"]
    msg = err["msg"]
    if etype == "extra_forbidden" and path:
        key = path[-1]
        allowed = _allowed_keys(parent) or _nested_keys(root, path[:-1])
        hint = ""
        if allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            hint += f" Expected one of: {', '.join(sorted(allowed))}"
        return f"unknown key {key!r}{hint}"
    if etype == "missing":
        return f"missing required key {path[-1]!r}" if path else "missing required key"
    if etype == "union_tag_invalid":
        ctx = err.get("ctx", {})
        got = ctx.get("tag")
        from graders.registry import registered

        kinds = list(registered())
        close = difflib.get_close_matches(str(got), kinds, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown grader type {got!r}{hint} Expected one of: {', '.join(kinds)}"
    if etype == "union_tag_not_found":
        return "missing `type:` (which grader kind is this node?)"
    if etype == "value_error":
        return msg.removeprefix("Value error, ")
    inp = err.get("input")
    if inp is not None and not isinstance(inp, dict | list):
        return f"{msg} (got {inp!r})"
    return msg


def _model_of(annotation: Any) -> Any:
    """The pydantic model inside an annotation (`X | None`, `list[X]`, ...), else None."""
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _nested_keys(root: Any, path: tuple[Any, ...]) -> list[str]:
    """Keys allowed in a nested settings mapping (e.g. `sampling_params`), by following the
    field annotations down from the nearest node with a registered `type`."""
    from graders.registry import registered

    model: Any = None
    cur = root
    for part in path:
        if isinstance(cur, dict):
            kind = cur.get("type")
            spec = registered().get(kind) if isinstance(kind, str) else None
            if spec is not None:
                model = spec.config
            if model is not None and isinstance(part, str):
                field = model.model_fields.get(part)
                model = _model_of(field.annotation) if field is not None else None
            cur = cur.get(part)
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            cur = cur[part]
        else:
            return []
    return [f.alias or name for name, f in model.model_fields.items()] if model is not None else []


def _allowed_keys(node: dict[str, Any] | None) -> list[str]:
    from graders.registry import registered

    if node is None:
        return []
    kind = node.get("type")
    spec = registered().get(kind) if isinstance(kind, str) else None
    if spec is not None:  # the names users write: a field's alias where it has one (json's `schema`)
        return [f.alias or name for name, f in spec.config.model_fields.items()]
    if "grader" in node:
        from graders.tree import grader_file_model

        return list(grader_file_model().model_fields)
    return []


def load_file(path: str | FsPath) -> BaseModel:
    p = FsPath(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        issue = ConfigIssue(f"cannot read grader file: {exc.strerror}", file=str(p))
        raise ConfigError(str(issue), [issue]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        issue = ConfigIssue(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                            file=str(p), line=line, column=column)
        raise ConfigError(str(issue), [issue]) from None
    return load_text(text, filename=str(p))


def load_text(text: str, *, filename: str = "<string>") -> BaseModel:
    data, marks = parse_yaml(text, filename)
    return validate(data, filename=filename, marks=marks)
