"""Finding and reading labeled examples.

Where a grader's examples come from, in this order (a file reached twice is read once):

1. the inline `tests.examples` of the grader file;
2. the JSONL files in `tests.files` (paths relative to the grader file);
3. the convention file beside the grader: `G.yaml` -> `G.labeled.jsonl`
   (and `G.grader.yaml` -> `G.grader.labeled.jsonl` or `G.labeled.jsonl`);
4. files given with `--examples` on the command line.

A JSONL line is one object: `{"item": {...}, "sample": {...} | "text",
"expected": 0.8 | "pass" | "fail", "tolerance": 0.05, "tags": [...], "note": "...",
"id": "..."}`. Blank lines and lines starting with `//` or `#` are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graders.errors import ConfigError, ConfigIssue
from graders.testing.spec import Example, InlineTests

MAX_ISSUES = 20


@dataclass(frozen=True)
class LabeledExample:
    """An example plus where it came from: `id` names it in reports and test ids."""

    id: str
    where: str
    example: Example


def convention_paths(grader_path: str | Path) -> list[Path]:
    """The labeled files looked for beside a grader file (existing or not)."""
    p = Path(grader_path)
    name = p.name
    for suffix in (".yaml", ".yml", ".json"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    out = [p.with_name(name + ".labeled.jsonl")]
    if name.endswith(".grader"):
        out.append(p.with_name(name[: -len(".grader")] + ".labeled.jsonl"))
    return out


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(x) for x in err["loc"] if not (isinstance(x, str) and x in ("float", "literal['pass','fail']")))
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown key (allowed: {', '.join(Example.model_fields)})"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(dict.fromkeys(parts))


def read_jsonl(path: str | Path, *, display: str | None = None) -> list[LabeledExample]:
    """Read a labeled JSONL file; every bad line is reported (file:line) in one ConfigError."""
    p = Path(path)
    shown = display or str(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        issue = ConfigIssue(f"cannot read labeled examples: {exc.strerror or exc}", file=shown)
        raise ConfigError(str(issue), [issue]) from None
    out: list[LabeledExample] = []
    issues: list[ConfigIssue] = []
    validate = Example.model_validate
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith(("//", "#")):
            continue
        try:
            row = json.loads(s)
        except (ValueError, RecursionError) as exc:
            issues.append(ConfigIssue(f"not valid JSON: {exc}", file=shown, line=lineno))
            continue
        if not isinstance(row, dict):
            issues.append(ConfigIssue(f"expected a JSON object, got {type(row).__name__}", file=shown, line=lineno))
            continue
        try:
            ex = validate(row)
        except ValidationError as exc:
            issues.append(ConfigIssue(_validation_message(exc), file=shown, line=lineno))
            continue
        out.append(LabeledExample(ex.id or f"{Path(shown).name}:{lineno}", f"{shown}:{lineno}", ex))
    if issues:
        more = f"\n  ... and {len(issues) - MAX_ISSUES} more" if len(issues) > MAX_ISSUES else ""
        msg = "invalid labeled examples:\n" + "\n".join(f"  {i}" for i in issues[:MAX_ISSUES]) + more
        raise ConfigError(msg, issues)
    return out


def inline_examples(tests: InlineTests | None, grader_display: str) -> list[LabeledExample]:
    if tests is None:
        return []
    return [
        LabeledExample(ex.id or f"tests.examples[{i}]", f"{grader_display}: tests.examples[{i}]", ex)
        for i, ex in enumerate(tests.examples)
    ]


def collect(grader_path: str | Path | None, tests: InlineTests | None,
            extra_files: Iterable[str | Path] = (), *, convention: bool = True) -> tuple[list[LabeledExample], list[str]]:
    """All labeled examples of a grader, and the list of sources they came from."""
    examples: list[LabeledExample] = []
    sources: list[str] = []
    display = str(grader_path) if grader_path is not None else "<grader>"
    inline = inline_examples(tests, display)
    if inline:
        examples.extend(inline)
        sources.append(f"{display} (inline, {len(inline)})")
    seen: set[Path] = set()
    files: list[tuple[Path, str]] = []
    base = Path(grader_path).parent if grader_path is not None else Path(".")
    if tests is not None:
        for f in tests.files:
            files.append((base / f, str(base / f)))
    if convention and grader_path is not None:
        for cp in convention_paths(grader_path):
            if cp.is_file():
                files.append((cp, str(cp)))
                break
    for f in extra_files:
        files.append((Path(f), str(f)))
    for path, shown in files:
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        rows = read_jsonl(path, display=shown)
        examples.extend(rows)
        sources.append(f"{shown} ({len(rows)})")
    return _unique_ids(examples), sources


def _unique_ids(examples: list[LabeledExample]) -> list[LabeledExample]:
    """Make ids unique (a repeated explicit id gets `#2`, `#3`...), so test ids never collide."""
    counts: dict[str, int] = {}
    out = []
    for ex in examples:
        n = counts.get(ex.id, 0) + 1
        counts[ex.id] = n
        out.append(ex if n == 1 else LabeledExample(f"{ex.id}#{n}", ex.where, ex.example))
    return out


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write labeled rows (dicts) as JSONL (used by tests and benchmarks)."""
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
