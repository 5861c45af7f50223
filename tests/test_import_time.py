"""`import graders` stays cheap: no sympy, openai or ray, and well under 0.3 s."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys, time
t = time.perf_counter()
import graders
dt = time.perf_counter() - t
heavy = [m for m in ("sympy", "openai", "ray", "torch") if m in sys.modules]
print(dt, ",".join(heavy))
"""


def test_import_is_light() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True, timeout=60).stdout.split()
    assert float(out[0]) < 0.3
    assert len(out) == 1, f"heavy modules imported: {out[1:]}"


def test_loading_a_rule_grader_does_not_import_sympy_or_openai() -> None:
    code = ("import sys, graders; g = graders.from_dict({'type': 'numeric', 'reference': '{{ item.a }}', 'extract': 'boxed'});"
            "g.score(['\\\\boxed{1}'], [{'a': '1'}]);"
            "print(','.join(m for m in ('sympy', 'openai', 'ray') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    assert out == ""
