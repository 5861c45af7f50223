"""Helpers shared by the `graders test` tests (a plain module, not a conftest)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

EXACT = """\
name: capital
grader:
  type: exact
  reference: "{{ item.answer }}"
  normalize: [case, whitespace]
"""

TOY = """\
name: toy-math
grader:
  type: formula
  expression: "0.1 * format + 0.9 * format * correct"
  graders:
    format:
      type: regex
      pattern: "(?s)<think>.*</think>\\\\s*<answer>.*</answer>"
    correct:
      type: numeric
      reference: "{{ item.answer }}"
      extract: {type: xml_tag, tag: answer}
"""


def row(answer: str, output: str, expected: Any, **extra: Any) -> dict[str, Any]:
    return {"item": {"question": f"what is {answer}?", "answer": answer}, "sample": {"output_text": output},
            "expected": expected, **extra}


def write(tmp: Path, grader_yaml: str, rows: list[dict[str, Any]] | None = None, name: str = "g") -> Path:
    g = tmp / f"{name}.yaml"
    g.write_text(grader_yaml, encoding="utf-8")
    if rows is not None:
        with open(tmp / f"{name}.labeled.jsonl", "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r) + "\n")
    return g


def cli(*args: str) -> tuple[int, str, str]:
    """Run `graders ...` in-process; return (exit code, stdout, stderr)."""
    from graders.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in args])
    return rc, out.getvalue(), err.getvalue()


CAPITAL_ROWS = [
    row("Paris", "paris", "pass", tags=["europe"]),
    row("Paris", "Lyon", "fail", tags=["europe"]),
    row("Rome", "Rome", "pass", tags=["europe"]),
    row("Tokyo", "tokyo ", 1.0, tags=["asia"]),
    row("Tokyo", "Kyoto", 0.0, tags=["asia"]),
]
