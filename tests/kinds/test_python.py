"""`python` kind: OpenAI's grade(sample, item) contract, run in the sandbox."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

import graders
from graders.errors import ConfigError
from graders.sandbox.python_grade import MAX_SOURCE_BYTES, run_grade
from tests.sandbox.support import require_sandbox

REPO = Path(__file__).resolve().parents[2]

# OpenAI's held-out example F (numeric tolerance with sympy), from the research notes.
SYMPY_TOL = (
    "import sympy\ndef grade(sample, item):\n    try:\n"
    "        a = sympy.sympify(sample['output_text'].strip().replace(',', ''))\n"
    "        b = sympy.sympify(str(item['answer']))\n"
    "        return 1.0 if abs(float(a - b)) <= 1e-6 * max(1.0, abs(float(b))) else 0.0\n"
    "    except Exception:\n        return 0.0"
)


def grader(source: str, **kw: object) -> graders.Grader:
    return graders.from_dict({"name": "py", "grader": {"type": "python", "source": source, "timeout": 10, **kw}})


@pytest.fixture
def sandbox() -> None:
    require_sandbox()


def test_openai_example_f_with_sympy(sandbox: None) -> None:
    from graders.sandbox import capabilities

    if not capabilities().site_packages:
        pytest.skip("this environment's site-packages are not readable from the sandbox (not world-readable)")
    g = grader(SYMPY_TOL)
    res = g.score(["0.333333333", "1,000", "abc"], [{"answer": "1/3"}, {"answer": "1000"}, {"answer": "1/3"}])
    assert res.scores.tolist() == [1.0, 1.0, 0.0]
    assert res.errors == [[], [], []]


def test_any_float_is_kept_and_sample_fields_reach_grade(sandbox: None) -> None:
    src = ("def grade(sample, item):\n"
           "    return -2.5 * len(sample['output_text']) + item['k'] + len(sample.get('output_tools', []))\n")
    res = grader(src).score([{"output_text": "ab", "output_tools": [1, 2]}], [{"k": 1}])
    assert res.scores.tolist() == [-2.0]


@pytest.mark.parametrize("body, needle", [
    ("raise ValueError('bad row')", "ValueError: bad row"),
    ("return 'high'", "returned str, not a number"),
    ("return True", "returned bool, not a number"),
    ("return None", "returned NoneType"),
    ("return float('nan')", "not a finite number"),
    ("return item['missing']", "KeyError"),
])
def test_errors_are_reported_never_a_silent_zero(sandbox: None, body: str, needle: str) -> None:
    g = grader(f"def grade(sample, item):\n    {body}\n", on_error="skip")
    res = g.score(["x"], [{}])
    assert math.isnan(res.scores[0])
    (err,) = res.errors[0]
    assert err.kind == "python_grader_runtime_error"
    assert needle in err.message


def test_timeout_and_memory(sandbox: None) -> None:
    slow = grader("def grade(sample, item):\n    while True:\n        pass\n", timeout=0.5)
    res = slow.score(["x"], [{}])
    assert res.errors[0][0].kind == "python_grader_runtime_error" and "time_limit" in res.errors[0][0].message
    big = grader("def grade(sample, item):\n    return len(bytearray(4 * 1024**3))\n", memory_mb=256)
    res = big.score(["x"], [{}])
    assert "memory_limit" in res.errors[0][0].message


def test_identical_rows_graded_once(sandbox: None) -> None:
    g = grader("def grade(sample, item):\n    return float(sample['output_text'] == item['a'])\n")
    res = g.score(["1", "1", "2", "1"], [{"a": "1"}] * 4)
    assert res.scores.tolist() == [1.0, 1.0, 0.0, 1.0]
    assert res.counters["python_calls"] == 2


def test_run_grade_api(sandbox: None) -> None:
    out = run_grade("def grade(sample, item):\n    return 0.25\n", {"output_text": "x"}, {"a": 1})
    assert out.value == 0.25 and out.error_kind is None


def test_python_inside_a_formula(sandbox: None) -> None:
    # OpenAI's held-out example I, without the judge: a negative result is kept (no clamping)
    cfg = {"name": "blend", "grader": {"type": "formula", "expression": "sqrt(correct) - 0.1 * abs(len_pen) ^ 2",
           "graders": {
               "correct": {"type": "python", "source": "def grade(sample, item):\n    return float(sample['output_text'].strip().endswith(str(item['answer'])))"},
               "len_pen": {"type": "python", "source": "def grade(sample, item):\n    return min(1.0, len(sample['output_text']) / 4000)"}}}}
    g = graders.from_dict(cfg)
    res = g.score(["x" * 4000 + " 42", "41"], [{"answer": 42}] * 2)
    assert res.scores[0] == pytest.approx(0.9)
    assert res.scores[1] == pytest.approx(-0.1 * (2 / 4000) ** 2)


@pytest.mark.parametrize("source, needle", [
    ("def grade(sample, item)\n    return 1.0\n", "syntax error"),
    ("def score(sample, item):\n    return 1.0\n", "grade(sample, item)"),
    ("def grade(sample):\n    return 1.0\n", "two arguments"),
    ("def grade(a, b, c):\n    return 1.0\n", "two arguments"),
    ("# " + "x" * MAX_SOURCE_BYTES + "\ndef grade(s, i):\n    return 1.0\n", "256 kB"),
])
def test_bad_sources_fail_at_load_time_without_running(source: str, needle: str) -> None:
    with pytest.raises(ConfigError) as exc:
        grader(source)
    assert needle in str(exc.value)


def test_load_error_names_file_line_and_source_line(tmp_path: Path) -> None:
    f = tmp_path / "g.yaml"
    f.write_text("name: g\ngrader:\n  type: python\n  source: |\n    def grade(sample, item):\n"
                 "        return (1.0\n")
    r = subprocess.run([sys.executable, "-m", "graders", "validate", str(f)], capture_output=True, text=True,
                       cwd=REPO, timeout=60)
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "g.yaml:4" in out and "source line 2" in out and "Traceback" not in out


def test_example_passes_through_the_cli(sandbox: None) -> None:
    r = subprocess.run([sys.executable, "-m", "graders", "test", str(REPO / "examples" / "python_grader.yaml"),
                        "--probes"], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert r.returncode == 0, r.stdout + r.stderr
