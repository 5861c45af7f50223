"""The `math` kind end to end: config, scores, errors, threads, asyncio."""

from __future__ import annotations

import asyncio
import pathlib
import random
import threading

import numpy as np
import pytest

import graders
from graders.errors import ConfigError


def _grader(**extra: object) -> graders.Grader:
    spec = {"type": "math", "input": "{{ sample.output_text }}", "reference": "{{ item.answer }}", "extract": "boxed"}
    spec.update(extra)
    return graders.from_dict({"grader": spec})


ROWS = [
    (r"so the answer is \boxed{2\sqrt{3}}", r"\sqrt{12}", 1.0),
    (r"\boxed{\dfrac{9}{7}}", r"\frac{9}{7}", 1.0),
    (r"\boxed{y = 3x + 13}", "3x-y+13=0", 1.0),
    (r"\boxed{x = 3}", "3", 1.0),
    (r"\boxed{3 \text{ or } 4}", "3", 0.0),
    (r"\boxed{\pm 3}", "3", 0.0),
    (r"\boxed{(B)}", r"\text{(B)}", 1.0),
    (r"\boxed{[1, 2)}", r"x \in [1,2)", 1.0),
    (r"\boxed{\{2, 1\}}", r"$\{1, 2\}$", 1.0),
    (r"\boxed{3.14159}", r"\pi", 1.0),
    (r"\boxed{3.14}", r"\pi", 0.0),
    (r"\boxed{\frac{1}{2^{99}}}", r"\frac{1}{2^{98}}", 0.0),
    (r"\boxed{\ln 8}", r"3\ln 2", 1.0),  # needs sympy: runs in the pool
    (r"\boxed{x^2-1}", "(x-1)(x+1)", 1.0),
    (r"\boxed{Evelyn}", r"\text{Evelyn}", 1.0),
    (r"\boxed{42}", r"\boxed{42}", 1.0),
    (r"\boxed{41}", r"42", 0.0),
]


def test_scores_a_batch() -> None:
    g = _grader()
    res = g.score([r[0] for r in ROWS], [{"answer": r[1]} for r in ROWS])
    assert res.scores.tolist() == [r[2] for r in ROWS]
    assert all(not e for e in res.errors)


def test_reference_parsed_the_same_raw_dollar_or_boxed() -> None:
    g = _grader()
    refs = [r"2\sqrt{3}", r"$2\sqrt{3}$", r"\boxed{2\sqrt{3}}", r"$\boxed{2\sqrt3}$", r"\(2\sqrt{3}\)"]
    res = g.score([r"\boxed{\sqrt{12}}"] * len(refs), [{"answer": r} for r in refs])
    assert res.scores.tolist() == [1.0] * len(refs)
    wrong = g.score([r"\boxed{2}"] * len(refs), [{"answer": r} for r in refs])  # math-verify reads 2\sqrt{3} as 2
    assert wrong.scores.tolist() == [0.0] * len(refs)
    eq = g.score([r"\boxed{0}", r"\boxed{y=3x+13}"], [{"answer": "3x-y+13=0"}] * 2)
    assert eq.scores.tolist() == [0.0, 1.0]  # a bare equation is not 0


def test_pathological_rows_are_errors_and_others_score() -> None:
    g = _grader()
    samples = [
        r"\boxed{10^{10^{10^{10}}}}",
        r"\boxed{9999999!}",
        r"\boxed{" + "(" * 10_000 + "1" + ")" * 10_000 + "}",
        r"\boxed{" + "7" * 5_000_000 + "}",
        r"\boxed{42}",
        r"\boxed{\frac{1}{2}}",
    ]
    res = g.score(samples, [{"answer": "1"}] * 4 + [{"answer": "42"}, {"answer": "0.5"}])
    assert res.scores.tolist()[4:] == [1.0, 1.0]
    for i in range(4):
        assert res.scores[i] == 0.0
        assert res.errors[i] and res.errors[i][0].kind == "too_large", res.errors[i]


def test_payload_in_and_out_of_boxed_never_runs(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "pwned"
    py = f"__import__('os').system('touch {target}')"
    g = _grader()
    samples = [rf"\boxed{{{py}}}", py, rf"\boxed{{x}} {py}", r"\boxed{1}"]
    items = [{"answer": "0"}, {"answer": "0"}, {"answer": py}, {"answer": py}]
    res = g.score(samples, items)
    assert not target.exists()
    assert res.scores.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_timeout_is_a_row_error() -> None:
    g = _grader(timeout=0.001)
    k = random.randint(10**6, 10**7)  # a fresh expression: nothing cached in the workers
    res = g.score([rf"\boxed{{{k}\sin x \cos x}}", r"\boxed{5}"], [{"answer": rf"\frac{{{k}}}{{2}}\sin 2x"}, {"answer": "5"}])
    assert res.errors[0] and res.errors[0][0].kind == "timeout"
    assert res.scores[1] == 1.0 and not res.errors[1]


def test_missing_reference_value_is_an_error() -> None:
    g = _grader()
    res = g.score([r"\boxed{1}"], [{}])
    assert res.errors[0]


def test_options() -> None:
    samples = [r"\boxed{3.14}", r"\boxed{50\%}", r"\boxed{(B)}"]
    items = [{"answer": r"\pi"}, {"answer": "0.5"}, {"answer": "B"}]
    assert _grader().score(samples, items).scores.tolist() == [0.0, 1.0, 1.0]
    g = _grader(tolerance={"rel": 0.001}, percent="strip", choices=False)
    assert g.score(samples, items).scores.tolist() == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    "bad",
    [{"timeout": 0}, {"tolerance": {"rel": -1}}, {"percent": "half"}, {"approx_digits": -1}, {"unknown": 1}],
)
def test_config_validation(bad: dict) -> None:
    with pytest.raises(ConfigError):
        _grader(**bad)


def test_from_a_thread_and_from_asyncio() -> None:
    g = _grader()
    samples = [r"\boxed{\ln 8}", r"\boxed{2}", r"\boxed{\sqrt{5+2\sqrt6}}"]
    items = [{"answer": r"3\ln 2"}, {"answer": "2"}, {"answer": r"\sqrt2+\sqrt3"}]
    box: dict[str, np.ndarray] = {}

    def run() -> None:
        box["scores"] = g.score(samples, items).scores

    t = threading.Thread(target=run)
    t.start()
    t.join(120)
    assert box["scores"].tolist() == [1.0, 1.0, 1.0]

    async def main() -> tuple[list[float], list[float]]:
        a = await g.ascore(samples, items)
        b = g.score(samples, items)  # a blocking call inside a running loop also works
        return a.scores.tolist(), b.scores.tolist()

    assert asyncio.run(main()) == ([1.0, 1.0, 1.0], [1.0, 1.0, 1.0])


def test_notes_explain_the_verdict() -> None:
    g = _grader()
    tree = g.explain(r"\boxed{\sqrt{12}}", {"answer": r"2\sqrt3"})
    assert "equal" in str(tree)


def test_import_does_not_load_sympy() -> None:
    import subprocess
    import sys

    code = "import sys, graders; graders.from_dict({'grader': {'type': 'math', 'reference': '1'}}); " \
           "assert 'sympy' not in sys.modules and 'mpmath' not in sys.modules; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr
