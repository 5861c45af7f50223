"""The reward-hacking corpus of the `math` and `numeric` kinds (tests/data/adversarial_math).

Every row is a completion, a gold answer and the score it must get: 0 for what a
policy optimised against the reward would write to be paid without committing to
the answer (hedges, denied or quoted answers, answers only in the reasoning,
approximations, lookalike digits, several letters), 1 for the near-identical
controls that keep the fixes from rejecting real answers. Rows name their kinds
(`kinds`, default both). The default config is graded, and `extract: auto` must
give the same verdict; a must-be-0 row also earns nothing under the opt-in
policies `all_must_agree` and `reject` (a hedge earns nothing under every policy).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import graders

DATA = Path(__file__).resolve().parents[1] / "data" / "adversarial_math"
FILES = sorted(DATA.glob("*.jsonl"))
KINDS = ("math", "numeric")


def _rows() -> list[dict]:
    rows = []
    for path in FILES:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                row["where"] = f"{path.name}:{n}"
                rows.append(row)
    return rows


ROWS = _rows()


def _grader(kind: str, extract: object = None) -> graders.Grader:
    spec: dict = {"type": kind, "input": "{{ sample.output_text }}", "reference": "{{ item.gold }}"}
    if extract is not None:
        spec["extract"] = extract
    return graders.from_dict({"grader": spec})


def _scores(kind: str, rows: list[dict], extract: object = None) -> list[float]:
    result = _grader(kind, extract).score(
        [r["completion"] for r in rows], [{"gold": r["gold"]} for r in rows]
    )
    return [float(s) for s in result.scores]


def _failures(rows: list[dict], scores: list[float], want) -> list[str]:
    return [
        f"{r['where']}: {r['completion'][:120]!r} vs {r['gold']!r} scored {s}, want {want(r)} ({r['why']})"
        for r, s in zip(rows, scores, strict=True)
        if s != want(r)
    ]


def test_corpus_is_well_formed():
    assert {p.stem for p in FILES} >= {
        "hedges",
        "negations",
        "placement",
        "numbers",
        "digits",
        "choice",
        "languages",
        "around",
    }
    for r in ROWS:
        assert set(r) <= {"completion", "gold", "expected", "why", "kinds", "where"}, r["where"]
        assert r["expected"] in (0, 1) and r["why"], r["where"]
        assert set(r.get("kinds", KINDS)) <= set(KINDS), r["where"]
    zeros = sum(r["expected"] == 0 for r in ROWS)
    assert zeros >= 300 and len(ROWS) - zeros >= 60  # adversarial rows and their controls


@pytest.mark.parametrize("kind", KINDS)
def test_default_config(kind):
    rows = [r for r in ROWS if kind in r.get("kinds", KINDS)]
    failures = _failures(rows, _scores(kind, rows), lambda r: r["expected"])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("kind", KINDS)
def test_auto_gives_the_default_verdict(kind):
    rows = [r for r in ROWS if kind in r.get("kinds", KINDS)]
    failures = _failures(rows, _scores(kind, rows, "auto"), lambda r: r["expected"])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("policy", ["all_must_agree", "reject"])
def test_no_policy_pays_a_hack(policy):
    rows = [r for r in ROWS if r["expected"] == 0 and "math" in r.get("kinds", KINDS)]
    scores = _scores("math", rows, {"type": "auto", "multiple": policy})
    failures = _failures(rows, scores, lambda r: 0)
    assert not failures, "\n".join(failures)
