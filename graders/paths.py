"""Dotted/indexed paths into JSON-like data: `a.b[0].c`, `x["key with space"]`.

Shared by templates (`{{ item.answer.value }}`) and the `json_path` extractor, so
both accept exactly the same syntax. Paths are parsed once at load time.
"""

from __future__ import annotations

import re
from typing import Any

Path = tuple[str | int, ...]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)      # bare key
      | \[\s*(?P<index>-?\d+)\s*\]              # [0] / [-1]
      | \[\s*(?P<q>["'])(?P<key>(?:(?!(?P=q)).)*)(?P=q)\s*\]   # ["key"] / ['key']
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)


class PathSyntaxError(ValueError):
    """A path string is malformed."""


def parse_path(text: str) -> Path:
    """Parse `a.b[0]["c d"]` into ("a", "b", 0, "c d")."""
    parts: list[str | int] = []
    pos = 0
    text = text.strip()
    expect_name = True
    if not text:
        raise PathSyntaxError("empty path")
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise PathSyntaxError(f"unexpected {text[pos:pos + 10]!r} at position {pos} in path {text!r}")
        if m.group("name") is not None:
            if not expect_name:
                raise PathSyntaxError(f"missing '.' before {m.group('name')!r} in path {text!r}")
            parts.append(m.group("name"))
            expect_name = False
        elif m.group("index") is not None:
            if expect_name and parts:
                raise PathSyntaxError(f"'.' followed by an index in path {text!r}")
            parts.append(int(m.group("index")))
            expect_name = False
        elif m.group("key") is not None:
            parts.append(m.group("key"))
            expect_name = False
        else:  # dot
            if expect_name:
                raise PathSyntaxError(f"unexpected '.' at position {pos} in path {text!r}")
            expect_name = True
        pos = m.end()
    if expect_name:
        raise PathSyntaxError(f"path {text!r} ends with '.'")
    return tuple(parts)


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]*", part):
            out += ("." if out else "") + part
        else:
            out += f"[{part!r}]"
    return out


class PathMissing(LookupError):
    """Raised by resolve(): `where` is the prefix that exists, `missing` the step that does not."""

    def __init__(self, path: Path, depth: int, reason: str) -> None:
        self.path = path
        self.depth = depth
        super().__init__(f"{format_path(path[: depth + 1])} {reason}")


def resolve(obj: Any, path: Path) -> Any:
    """Follow `path` into `obj`; raise PathMissing naming the first step that fails."""
    cur = obj
    for depth, part in enumerate(path):
        if isinstance(part, int):
            if isinstance(cur, list | tuple):
                try:
                    cur = cur[part]
                except IndexError:
                    raise PathMissing(path, depth, f"is out of range (length {len(cur)})") from None
                continue
            raise PathMissing(path, depth, f"cannot index a {type(cur).__name__}")
        if isinstance(cur, dict):
            if part in cur:
                cur = cur[part]
                continue
            raise PathMissing(path, depth, "is missing")
        raise PathMissing(path, depth, f"cannot take key of a {type(cur).__name__}")
    return cur
