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


# --------------------------------------------------------------------------- issue 8: one final-answer layer

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


def _default(**extra: object) -> graders.Grader:
    spec = {"type": "math", "reference": "{{ item.answer }}"}  # no extract line: what most users write
    spec.update(extra)
    return graders.from_dict({"grader": spec})


def test_default_extraction_is_auto_with_policy_last() -> None:
    from graders.kinds.math import MathConfig

    cfg = MathConfig(type="math", reference="{{ item.answer }}")
    assert cfg.extract == "auto"
    g = _default()
    assert "extract=auto" in g.explain_plan() and "multiple=last" in g.explain_plan()


@pytest.mark.parametrize(
    ("completion", "reference", "want"),
    [
        # answers where models put them, scored by the default config
        ("Reasoning...\nFinal answer: 1 234", "1234", 1.0),
        ("We divide. The answer is 0.75.", r"\frac{3}{4}", 1.0),
        ("Adding up the costs.\n#### $1,234", "1234", 1.0),
        ("So the total is (6, 8).", "(6,8)", 1.0),
        ("Let me compute.\nHence the result is $$x=3$$", "3", 1.0),
        ("Careful counting. So now she has 42 apples in total.", "42", 1.0),
        ("Final Answer: The final answer is $34$. I hope it is correct.", "34", 1.0),
        ("计算如下。\n答案：$\\frac{1}{2}$", "0.5", 1.0),
        ("Итак.\nОтвет: 5", "5", 1.0),
        # self-correction earns 1; the corrected-away answer earns 0
        (r"So \boxed{3}. Wait, that step is wrong. Recomputing, we get \boxed{5}.", "5", 1.0),
        (r"So \boxed{3}. Wait, that step is wrong. Recomputing, we get \boxed{5}.", "3", 0.0),
        # a hedge in the final statement earns nothing, whichever value is right
        (r"\boxed{41} or \boxed{42}", "42", 0.0),
        (r"\boxed{41} or \boxed{42}", "41", 0.0),
        ("The answer is either 3 or 4.", "4", 0.0),
        ("So it is 3 or 4.", "3", 0.0),
        (r"So \boxed{3} and \boxed{4}.", "4", 0.0),
        ("Final answer: 7 (or possibly 8)", "7", 0.0),
        (r"there are \boxed{5} ways." "\n\nAlternatively, if order matters, \\boxed{10} ways.", "10", 0.0),
        # ... but several values are an answer when the reference has several parts
        (r"So $x = \boxed{2}$ or $x = \boxed{-3}$.", "2, -3", 1.0),
        ("Thus, x = 2 or x = -3.", r"x=2 \text{ or } x=-3", 1.0),
        (r"\boxed{x \leq 3} or \boxed{x < 3}", r"(-\infty, 3]", 0.0),  # two boxes are not their union
        # nothing earlier in the reasoning counts
        ("Step 1: 7 * 8 = 56.\nStep 2: 56 - 14 = 42.\nStep 3: we check whether 42", "42", 0.0),
        ("Then we need to multiply by the probability, which is $\\frac{3}{8}$.", r"\frac{3}{8}", 0.0),
    ],
)
def test_default_config_reads_final_answers(completion: str, reference: str, want: float) -> None:
    assert _default().score([completion], [{"answer": reference}]).scores.tolist() == [want]


def test_extract_none_compares_the_whole_input() -> None:
    g = _default(extract="none")
    res = g.score([r"so \boxed{5}", "5", r"\boxed{5}"], [{"answer": "5"}] * 3)
    assert res.scores.tolist() == [0.0, 1.0, 1.0]  # a box around the whole input is only a wrapper


def test_reference_given_as_a_worked_solution() -> None:
    solution = r"We have $x + 1 = 4$, so $x = \boxed{3}$."
    assert _default().score([r"\boxed{3}", r"\boxed{4}"], [{"answer": solution}] * 2).scores.tolist() == [1.0, 0.0]


def _rows(path: pathlib.Path) -> list[tuple[str, str]]:
    import json

    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append((r.get("completion", r.get("prediction")), r.get("reference", r.get("gold"))))
    return out


def test_default_config_and_auto_agree_on_every_data_set() -> None:
    """Acceptance (issue 8): the default config and `extract: auto` give the same verdict
    on every case of every set in tests/data."""
    files = sorted(DATA.glob("*/*.jsonl")) + sorted(DATA.glob("*/*/*.jsonl"))
    rows = [r for f in files for r in _rows(f) if isinstance(r[0], str) and isinstance(r[1], str)]
    assert len(rows) > 1000
    items = [{"answer": ref} for _, ref in rows]
    samples = [c for c, _ in rows]
    a = _default(timeout=2).score(samples, items)
    b = _default(timeout=2, extract="auto").score(samples, items)
    timeouts = {i for i, e in enumerate(a.errors) if e and e[0].kind == "timeout"}
    timeouts |= {i for i, e in enumerate(b.errors) if e and e[0].kind == "timeout"}
    diff = [rows[i] for i in range(len(rows)) if i not in timeouts and a.scores[i] != b.scores[i]]
    assert not diff, diff[:5]


def test_one_row_causes_bounded_work_under_every_policy() -> None:
    """Issue 9 item 2: 40 distinct boxed answers that each need sympy cost at most one
    comparison (`last`, `reject`) or none (`all_must_agree`: too_many_answers)."""
    import time

    boxes = [rf"\boxed{{\sin^{{2}}({k}x)+\cos^{{2}}({k}x) + {k}}}" for k in range(1, 41)]
    one_statement = " ".join(boxes)
    sentences = ". ".join(f"Then {b}" for b in boxes) + "."
    samples = [one_statement, sentences, r"\boxed{7}"]
    items = [{"answer": "1"}, {"answer": "41"}, {"answer": "7"}]
    start = time.perf_counter()
    last = _default(timeout=3).score(samples, items)
    every = _default(timeout=3, extract={"type": "auto", "multiple": "all_must_agree"}).score(samples, items)
    reject = _default(timeout=3, extract={"type": "auto", "multiple": "reject"}).score(samples, items)
    assert time.perf_counter() - start < 30
    assert last.scores[0] == 0.0 and last.scores[2] == 1.0  # a 40-way hedge; the clean row scores
    assert not last.errors[1] or last.errors[1][0].kind == "timeout"  # only the last box was compared
    assert every.errors[1] and every.errors[1][0].kind == "too_many_answers"
    assert every.scores[2] == 1.0 and reject.scores[2] == 1.0
    assert reject.scores.tolist()[:2] == [0.0, 0.0]
