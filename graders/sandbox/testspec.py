"""Turn an item's tests into sandbox jobs, and judge stdin/stdout results.

Accepted test forms (the rendered `tests:` template; JSON text is parsed):

- stdin/stdout cases: a list of `{input, output}` mappings (`stdin`/`stdout`
  and `expected_output` are accepted too), or a mapping of parallel lists
  (`{inputs: [...], outputs: [...]}` as in APPS, `{input: [...], output: [...]}`
  as in CodeContests). One case = one test.
- a list of code strings (MBPP's `test_list`): one string = one test.
- test code (a string), split with `ast` here, in the grader (parsing, never
  running it):
  - pytest style: every top-level `def test_*()` is one test;
  - HumanEval style: with `def check(candidate)` and an entry point, every
    statement of `check`'s body that contains an `assert` is one test (the
    statements between two of them are the second one's set-up), run with
    `candidate` bound to the program's entry-point function;
  - otherwise every top-level statement holding an `assert` is one test, and
    what comes before is set-up.

Test code runs in the same interpreter as the program (that is what assert
tests are), so a program written to attack the harness could report false
results; the supervisor keeps it from seeing other rows, and the always-equal
trick (returning an object whose `__eq__` says yes) is refused when an entry
point is known. stdin/stdout tests are judged here, outside the sandbox: their
expected outputs never enter it.
"""

from __future__ import annotations

import ast
import json
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

__all__ = ["TestPlan", "TestsInvalid", "outputs_match", "parse_tests"]

Compare = Literal["lines", "tokens", "exact"]


class TestsInvalid(ValueError):
    """The item's tests cannot be used (a data problem, not the program's)."""

    __test__ = False  # not a pytest class


@dataclass(frozen=True)
class TestPlan:
    """What to run: stdin/stdout `cases`, or `units` of test code after `prelude`."""

    __test__ = False  # not a pytest class

    mode: Literal["stdio", "tests"]
    cases: tuple[tuple[str, str], ...] = ()
    prelude: str = ""
    units: tuple[tuple[str, str], ...] = ()  # (set-up, test) source pairs
    labels: tuple[str, ...] = ()
    entry_point: str | None = None

    def __len__(self) -> int:
        return len(self.cases) if self.mode == "stdio" else len(self.units)


def _as_text(v: Any, what: str) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return "\n".join(v) + ("\n" if v else "")
    raise TestsInvalid(f"a test case's {what} must be text, got {type(v).__name__}")


def _cases_from_list(value: list[Any]) -> tuple[tuple[str, str], ...]:
    out = []
    for i, c in enumerate(value):
        if not isinstance(c, dict):
            raise TestsInvalid(f"test case {i} is a {type(c).__name__}, expected {{input, output}}")
        inp = next((c[k] for k in ("input", "stdin") if k in c), None)
        exp = next((c[k] for k in ("output", "stdout", "expected_output") if k in c), None)
        if inp is None or exp is None:
            raise TestsInvalid(f"test case {i} needs `input` and `output` (has {sorted(c)[:6]})")
        out.append((_as_text(inp, "input"), _as_text(exp, "output")))
    return tuple(out)


def _cases_from_columns(value: dict[str, Any]) -> tuple[tuple[str, str], ...] | None:
    for ki, ko in (("inputs", "outputs"), ("input", "output")):
        if ki in value and ko in value and isinstance(value[ki], list) and isinstance(value[ko], list):
            ins, outs = value[ki], value[ko]
            if len(ins) != len(outs):
                raise TestsInvalid(f"{ki} has {len(ins)} entries but {ko} has {len(outs)}")
            return tuple((_as_text(a, "input"), _as_text(b, "output")) for a, b in zip(ins, outs, strict=True))
    return None


def _segment(src_lines: list[str], node: ast.stmt) -> str:
    end = node.end_lineno or node.lineno
    start = node.lineno
    decos = getattr(node, "decorator_list", None)
    if decos:
        start = min(start, *(d.lineno for d in decos))
    return textwrap.dedent("\n".join(src_lines[start - 1 : end]))


def _has_assert(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Assert) for n in ast.walk(node))


def _split(stmts: list[ast.stmt], lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Statements -> (set-up before the first test, [(set-up, test)])."""
    head: list[str] = []
    units: list[tuple[str, str]] = []
    pending: list[str] = []
    for st in stmts:
        seg = _segment(lines, st)
        if _has_assert(st):
            units.append(("\n".join(pending), seg))
            pending = []
        elif not units:
            head.append(seg)
        else:
            pending.append(seg)
    return head, units


@lru_cache(maxsize=4096)
def _plan_from_code(code: str, entry_point: str | None) -> TestPlan:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise TestsInvalid(f"the test code does not parse: {exc}") from None
    lines = code.splitlines()
    body = tree.body
    tests = [st for st in body if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)) and st.name.startswith("test")]
    if tests:
        units = tuple(("", f"{st.name}()") for st in tests)
        return TestPlan("tests", prelude=code, units=units, labels=tuple(st.name for st in tests),
                        entry_point=entry_point)
    check = next((st for st in body if isinstance(st, ast.FunctionDef) and st.name == "check"), None)
    if check is not None:
        if not entry_point:
            raise TestsInvalid("the tests define check(candidate): set `entry_point` (e.g. '{{ item.entry_point }}')")
        param = check.args.args[0].arg if check.args.args else "candidate"
        head, units = _split(check.body, lines)
        bind = f"{param} = candidate" if param != "candidate" else ""
        setup0 = "\n".join(x for x in (bind, *head) if x)
        if not units:
            return TestPlan("tests", prelude=code, units=(("", "check(candidate)"),), labels=("check",),
                            entry_point=entry_point)
        units[0] = ("\n".join(x for x in (setup0, units[0][0]) if x), units[0][1])
        labels = tuple(f"check line {st.lineno}" for st in check.body if _has_assert(st))
        return TestPlan("tests", prelude=code, units=tuple(units), labels=labels, entry_point=entry_point)
    head, units = _split(body, lines)
    if not units:
        return TestPlan("tests", units=(("", code),), labels=("tests",), entry_point=entry_point)
    labels = tuple(f"line {st.lineno}" for st in body if _has_assert(st))
    return TestPlan("tests", prelude="\n".join(head), units=tuple(units), labels=labels, entry_point=entry_point)


def parse_tests(value: Any, entry_point: str | None = None) -> TestPlan:
    """An item's tests (already rendered; JSON text is decoded) -> TestPlan. Raises TestsInvalid."""
    if isinstance(value, str):
        s = value.strip()
        if s[:1] in ("[", "{"):
            try:
                decoded = json.loads(s)
            except ValueError:
                decoded = None
            if isinstance(decoded, (list, dict)):
                return parse_tests(decoded, entry_point)
        if not s:
            raise TestsInvalid("the item has no tests (empty)")
        return _plan_from_code(value, entry_point or None)
    if isinstance(value, dict):
        cases = _cases_from_columns(value)
        if cases is None:
            raise TestsInvalid("tests as a mapping need parallel lists `inputs`/`outputs` (or `input`/`output`)")
        if not cases:
            raise TestsInvalid("the item has no test cases")
        return TestPlan("stdio", cases=cases, labels=tuple(f"case {i}" for i in range(len(cases))))
    if isinstance(value, list):
        if not value:
            raise TestsInvalid("the item has no tests (empty list)")
        if all(isinstance(x, str) for x in value):
            for i, x in enumerate(value):
                try:
                    ast.parse(x)
                except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
                    raise TestsInvalid(f"test {i} does not parse: {exc}") from None
            return TestPlan("tests", units=tuple(("", x) for x in value),
                            labels=tuple(f"test {i}" for i in range(len(value))), entry_point=entry_point or None)
        cases = _cases_from_list(value)
        return TestPlan("stdio", cases=cases, labels=tuple(f"case {i}" for i in range(len(cases))))
    raise TestsInvalid(f"tests must be a list of cases, a mapping of lists or test code, got {type(value).__name__}")


def _norm_lines(text: str) -> list[str]:
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def outputs_match(got: str, expected: str, compare: Compare = "lines") -> bool:
    """Whether a program's stdout matches the expected output.

    `lines` (default, the usual judge rule): trailing whitespace on each line and
    trailing blank lines are ignored; `tokens`: equal whitespace-separated
    tokens (line breaks and spacing ignored); `exact`: byte-for-byte.
    """
    if compare == "exact":
        return got == expected
    if compare == "tokens":
        return got.split() == expected.split()
    return _norm_lines(got) == _norm_lines(expected)
