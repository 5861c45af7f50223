"""Writes the labeled answer-equivalence set to tests/data/equivalence/*.jsonl.

The cases live in the `cases_*.py` tables beside this file, one tuple per row:

    (style, reasoning, answer, reference, expected, note)

`style` says how the completion tail is written:

    b    reasoning, then the answer in \\boxed{} (the wrapper rotates through the
         forms models use: "the answer is $\\boxed{..}$", "$$\\boxed{..}$$",
         a "**Final Answer**" block, a bare \\boxed without $...$)
    a    reasoning, then "The answer is <answer>."
    f    reasoning, then "Final answer: <answer>"
    h    reasoning, then "#### <answer>" (GSM8K)
    t    reasoning in <think>, the answer in <answer> tags
    raw  `answer` is the whole completion (reasoning is ignored)

Edit the tables, then run `python benchmarks/equivalence/build_cases.py`; the
JSONL files are generated and should not be edited by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "tests" / "data" / "equivalence"

sys.path.insert(0, str(HERE))

from cases_algebra import (  # noqa: E402
    EQUATIONS,
    EXPRESSIONS,
    INEQUALITIES,
    PI_E,
    POLYNOMIALS,
    ROOTS_SURDS,
)
from cases_behaviour import (  # noqa: E402
    MULTIPLE_ANSWERS,
    MULTIPLE_CHOICE,
    NO_ANSWER,
    REWARD_HACKS,
    TEXT_ANSWERS,
)
from cases_numbers import (  # noqa: E402
    DECIMALS,
    FRACTIONS,
    INTEGERS,
    NUMBER_FORMATS,
    NUMERIC_TOLERANCE,
)
from cases_structures import (  # noqa: E402
    COMPLEX,
    INTERVALS,
    MATRICES,
    PLUS_MINUS,
    SETS_LISTS,
    TUPLES,
)

CATEGORIES: dict[str, list[tuple]] = {
    "integers": INTEGERS,
    "decimals": DECIMALS,
    "fractions": FRACTIONS,
    "number_formats": NUMBER_FORMATS,
    "numeric_tolerance": NUMERIC_TOLERANCE,
    "roots_surds": ROOTS_SURDS,
    "pi_e": PI_E,
    "expressions": EXPRESSIONS,
    "polynomials": POLYNOMIALS,
    "equations": EQUATIONS,
    "inequalities": INEQUALITIES,
    "sets_lists": SETS_LISTS,
    "tuples": TUPLES,
    "intervals": INTERVALS,
    "matrices": MATRICES,
    "complex": COMPLEX,
    "plus_minus": PLUS_MINUS,
    "multiple_choice": MULTIPLE_CHOICE,
    "text_answers": TEXT_ANSWERS,
    "no_answer": NO_ANSWER,
    "multiple_answers": MULTIPLE_ANSWERS,
    "reward_hacks": REWARD_HACKS,
}


def _boxed(reasoning: str, answer: str, k: int) -> str:
    box = "\\boxed{" + answer + "}"
    if reasoning and reasoning[-1].isalnum() or reasoning.endswith(":") or reasoning.endswith(","):
        # The reasoning leads straight into the answer ("..., so the probability is").
        return reasoning + " $" + box + "$."
    forms = (
        lambda: reasoning + " Therefore, the answer is $" + box + "$.",
        lambda: reasoning + "\n\nThe final answer is $" + box + "$.",
        lambda: reasoning + " So we get $" + box + "$.",
        lambda: reasoning + "\n\n$$" + box + "$$",
        lambda: reasoning + " Thus the answer is " + box + ".",
        lambda: reasoning + "\n\n**Final Answer**\n\\[\n" + box + "\n\\]",
    )
    return forms[k % len(forms)]()


def render(style: str, reasoning: str, answer: str, k: int) -> str:
    if style == "b":
        return _boxed(reasoning, answer, k)
    if style == "a":
        sep = "" if reasoning.endswith((".", "!", "?")) else "."
        return reasoning + sep + " The answer is " + answer + "."
    if style == "f":
        return reasoning + "\n\nFinal answer: " + answer
    if style == "h":
        return reasoning + "\n#### " + answer
    if style == "t":
        return "<think>\n" + reasoning + "\n</think>\n<answer>" + answer + "</answer>"
    if style == "raw":
        return answer
    raise ValueError(f"unknown style {style!r}")


def build() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for cat, rows in CATEGORIES.items():
        built = []
        for i, row in enumerate(rows, 1):
            if len(row) != 6:
                raise ValueError(f"{cat} row {i}: expected 6 fields, got {len(row)}")
            style, reasoning, answer, reference, expected, note = row
            if not isinstance(expected, bool):
                raise ValueError(f"{cat} row {i}: expected must be a bool")
            built.append(
                {
                    "id": f"{cat}-{i:03d}",
                    "category": cat,
                    "completion": render(style, reasoning, answer, i),
                    "reference": reference,
                    "expected": expected,
                    "note": note,
                }
            )
        out[cat] = built
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = build()
    for old in OUT.glob("*.jsonl"):
        if old.stem not in data:
            old.unlink()
    total = t = 0
    for cat, rows in data.items():
        with open(OUT / f"{cat}.jsonl", "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        nt = sum(r["expected"] for r in rows)
        print(f"{cat:20s} {len(rows):4d}  true {nt:3d}  false {len(rows) - nt:3d}")
        total += len(rows)
        t += nt
    print(f"{'total':20s} {total:4d}  true {t:3d}  false {total - t:3d}  ({(total - t) / total:.0%} false)")


if __name__ == "__main__":
    main()
