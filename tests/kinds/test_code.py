"""`code` kind: labeled HumanEval / MBPP / stdin-stdout sets, test forms, failure kinds, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import graders
from graders.errors import ConfigError
from graders.kinds.code import run_tests
from tests.sandbox.support import require_sandbox

DATA = Path(__file__).resolve().parents[1] / "data" / "code"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _sandbox() -> None:
    require_sandbox()


def code_grader(**kw: object) -> graders.Grader:
    cfg = {"type": "code", "tests": "{{ item.tests }}", "entry_point": "{{ item.entry_point }}",
           "language": "{{ item.language }}", **kw}
    return graders.from_dict({"name": "code", "grader": cfg})


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / f"{name}.labeled.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("name", ["stdio", "mbpp", "humaneval"])
def test_labeled_set_scored_as_labeled(name: str) -> None:
    """Every row agrees with its label (labels come from running each program the datasets' own way)."""
    rows = load(name)
    g = code_grader(scoring="all", timeout=0.5)
    res = g.score([r["sample"] for r in rows], [r["item"] for r in rows])
    wrong = [(r["id"], r["expected"], float(s)) for r, s in zip(rows, res.scores, strict=True) if s != r["expected"]]
    assert wrong == []
    assert all(not e for e in res.errors)
    assert {r["expected"] for r in rows} == {0, 1}


def test_fraction_gives_partial_credit_on_humaneval_mutants() -> None:
    rows = [r for r in load("humaneval") if r["tags"][-1] not in ("tle", "syntax_error", "correct")]
    g = code_grader(scoring="fraction", timeout=0.5)
    res = g.score([r["sample"] for r in rows], [r["item"] for r in rows])
    partial = [s for s in res.scores if 0 < s < 1]
    assert len(partial) >= 3  # check(candidate) is split into one test per assert
    for r, s in zip(rows, res.scores, strict=True):
        if r["expected"] == 1:
            assert s == 1.0
        else:
            assert s < 1.0


def test_failure_kinds_kept_apart_and_explained() -> None:
    g = code_grader(timeout=0.5)
    item = {"tests": [{"input": "2\n", "output": "4\n"}, {"input": "3\n", "output": "9\n"},
                      {"input": "-1\n", "output": "1\n"}], "entry_point": None, "language": "python"}
    prog = ("n = int(input())\nif n == 3:\n    while True:\n        pass\nif n < 0:\n    raise ValueError('neg')\n"
            "print(n * n)\n")
    samples = [f"```python\n{prog}```", "```python\nprint(int(input()) * 2\n```", "no code here"]
    res = g.score(samples, [item] * 3)
    assert res.scores.tolist() == pytest.approx([1 / 3, 0.0, 0.0])
    assert res.status.tolist() == [0, 0, 1]  # scored, scored, not applicable (no program)
    assert res.counters["code.time_limit"] == 1
    assert res.counters["code.runtime_error"] == 1
    assert res.counters["code.syntax_error"] == 3
    assert res.errors == [[], [], []]  # the program's failures are scores, not grader errors
    trace = json.dumps(g.explain(samples[0], item))
    assert "passed 1/3" in trace and "time_limit" in trace and "runtime_error" in trace


def test_stdio_whitespace_rules() -> None:
    cases = [{"input": "", "output": "a b\nc\n"}]
    assert run_tests("print('a b   ')\nprint('c')\nprint()\nprint()", cases)["score"] == 1.0
    assert run_tests("print('a  b')\nprint('c')", cases)["score"] == 0.0
    assert run_tests("print('a  b')\nprint('c')", cases, compare="tokens")["score"] == 1.0
    assert run_tests("print('a b')\nprint('c')", cases, compare="exact")["score"] == 1.0
    assert run_tests("print('a b ')\nprint('c')", cases, compare="exact")["score"] == 0.0


def test_pytest_style_and_plain_assert_tests() -> None:
    program = "def add(a, b):\n    return a + b\n"
    pytest_style = "def test_small():\n    assert add(1, 2) == 3\n\ndef test_wrong():\n    assert add(2, 2) == 5\n"
    rep = run_tests(program, pytest_style)
    assert [t["label"] for t in rep["tests"]] == ["test_small", "test_wrong"]
    assert rep["score"] == 0.5
    plain = "x = 1\nassert add(x, 1) == 2\ny = 5\nassert add(y, y) == 10\nassert add(0, 0) == 1\n"
    rep = run_tests(program, plain)
    assert rep["passed"] == 2 and rep["total"] == 3


def test_always_equal_hack_is_refused() -> None:
    hack = "class A:\n    def __eq__(self, other):\n        return True\n    __hash__ = None\ndef f(x):\n    return A()\n"
    check = "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(2) == 3\n"
    rep = run_tests(hack, check, entry_point="f")
    assert rep["score"] == 0.0
    assert "results must be plain values" in rep["tests"][0]["message"]
    # plain values, including numpy-free subclasses of nothing, pass
    assert run_tests("def f(x):\n    return x + 1\n", check, entry_point="f")["score"] == 1.0


def test_fake_result_lines_on_stdout_do_not_pass() -> None:
    prog = "import sys\nprint('E 0 ok 0.1 ')\nprint('passed')\nsys.stdout.flush()\ndef f(x):\n    return 0\n"
    assert run_tests(prog, ["assert f(1) == 1"], entry_point="f")["score"] == 0.0


def test_cpp_compiled_in_the_sandbox() -> None:
    cases = [{"input": "2 3\n", "output": "5\n"}]
    ok = "#include <iostream>\nint main(){int a,b;std::cin>>a>>b;std::cout<<a+b<<std::endl;}\n"
    assert run_tests(ok, cases, language="cpp")["score"] == 1.0
    rep = run_tests("int main( {", cases, language="cpp")
    assert rep["tests"][0]["kind"] == "syntax_error" and "compile error" in rep["tests"][0]["message"]
    loop = "int main(){volatile long x=0; while(1) x++;}\n"
    assert run_tests(loop, cases, language="cpp", timeout=0.5)["tests"][0]["kind"] == "time_limit"


def test_invalid_tests_are_row_errors() -> None:
    g = code_grader()
    items = [{"tests": "def check(candidate)\n    assert 1", "entry_point": "f", "language": "python"},
             {"tests": [{"input": "1"}], "entry_point": None, "language": "python"},
             {"tests": "def check(candidate):\n    assert candidate(1) == 1\n", "entry_point": None,
              "language": "python"},
             {"tests": [], "entry_point": None, "language": "python"}]
    res = g.score(["```python\ndef f(x):\n    return x\n```"] * 4, items)
    assert [e[0].kind for e in res.errors] == ["invalid_tests"] * 4
    assert "entry_point" in res.errors[2][0].message


def test_sandbox_refused_is_a_row_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from graders.sandbox import Sandbox
    from graders.sandbox import pool as pool_mod

    broken = pool_mod.SandboxPool(1, sandbox=Sandbox(bwrap="/nonexistent/bwrap"))
    monkeypatch.setattr(pool_mod, "_SHARED", broken)
    g = code_grader(on_error="skip")
    item = {"tests": [{"input": "", "output": "1"}], "entry_point": None, "language": "python"}
    res = g.score(["```python\nprint(1)\n```"], [item])
    assert res.errors[0][0].kind == "sandbox_refused"
    assert res.scores[0] != res.scores[0]  # NaN under on_error: skip


@pytest.mark.parametrize("bad, needle", [
    ({"language": "rust"}, "language"),
    ({"reference": "{{ item.x }}"}, "tests"),
    ({"scoring": "half"}, "scoring"),
    ({"timeout": 0}, "timeout"),
])
def test_config_errors(bad: dict, needle: str) -> None:
    with pytest.raises(ConfigError) as exc:
        graders.from_dict({"name": "c", "grader": {"type": "code", **bad}})
    assert needle in str(exc.value)


def test_example_passes_through_the_cli() -> None:
    r = subprocess.run([sys.executable, "-m", "graders", "test", str(REPO / "examples" / "code_tests.yaml"), "--probes"],
                       capture_output=True, text=True, timeout=300, cwd=REPO)
    assert r.returncode == 0, r.stdout + r.stderr


def test_prompt_plus_completion_protocol() -> None:
    """HumanEval's original protocol: the completion continues the prompt (no fences)."""
    g = graders.from_dict({"name": "he", "grader": {
        "type": "code", "input": "{{ item.prompt }}{{ sample.output_text }}", "extract": "none",
        "tests": "{{ item.test }}", "entry_point": "{{ item.entry_point }}"}})
    item = {"prompt": 'def inc(x):\n    """x + 1"""\n', "entry_point": "inc",
            "test": "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(-1) == 0\n"}
    res = g.score(["    return x + 1\n", "    return 2\n", "  return x +"], [item] * 3)
    assert res.scores.tolist() == [1.0, 0.5, 0.0]
    assert res.counters["code.syntax_error"] == 2
