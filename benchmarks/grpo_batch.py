"""A reproducible GRPO-shaped batch: prompts x completions with group agreement.

256 prompts x 16 completions by default; each completion is 500-3,000
characters of reasoning inside <think>, then an <answer> with a final
\\boxed{} answer. In each group about 60% of completions agree on one answer
(right for most groups), the rest scatter over wrong answers that repeat a
little; about 10% break the output format. Fixed seed: same batch every run.

`mix="integers"` gives plain integer answers (the engine benchmark);
`mix="math"` gives ~60% integers, ~30% fractions/LaTeX, ~10% expressions,
sets or intervals (the math benchmark).
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass

WORDS = (
    "we first compute the total number of items then subtract the ones already used so the "
    "remaining amount is split evenly between the groups which gives each part a share and "
    "checking the arithmetic again confirms that value because the rate times time equals "
    "distance and the area of the rectangle is length times width while the ratio stays fixed"
).split()


@dataclass(frozen=True)
class Batch:
    samples: list[str]
    items: list[dict[str, str]]
    group_size: int

    def rows(self) -> list[dict[str, object]]:
        return [{"item": it, "sample": {"output_text": s}} for s, it in zip(self.samples, self.items, strict=True)]


def _reasoning(rng: random.Random, n_chars: int) -> str:
    out: list[str] = []
    size = 0
    step = 1
    while size < n_chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18)))
        if rng.random() < 0.5:
            sentence += f" = {rng.randint(2, 999)}"
        line = f"Step {step}: {sentence}."
        out.append(line)
        size += len(line) + 1
        step += 1
    return "\n".join(out)[:n_chars]


def _math_answer(rng: random.Random) -> tuple[str, list[str]]:
    """A reference and a few ways a model may write an equivalent answer."""
    r = rng.random()
    if r < 0.6:
        v = rng.randint(-50, 5000)
        forms = [str(v), f"{v:,}" if abs(v) >= 1000 else str(v), f"{v}.0" if rng.random() < 0.3 else str(v)]
        return str(v), forms
    if r < 0.9:
        p, q = rng.randint(1, 40), rng.randint(2, 40)
        if p % q == 0:
            q += 1
        if rng.random() < 0.5:
            return f"\\frac{{{p}}}{{{q}}}", [f"\\frac{{{p}}}{{{q}}}", f"\\dfrac{{{p}}}{{{q}}}", f"{p}/{q}"]
        k, r = rng.randint(2, 9), rng.choice([2, 3, 5, 7])
        return f"{k}\\sqrt{{{r}}}", [f"{k}\\sqrt{{{r}}}", f"{k} \\sqrt{{{r}}}", f"\\sqrt{{{k * k * r}}}"]
    kind = rng.randrange(3)
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    if kind == 0:
        return f"{a}x+{b}", [f"{a}x+{b}", f"{b}+{a}x", f"{a}x + {b}"]
    if kind == 1:
        return f"\\{{{a},{a + b}\\}}", [f"\\{{{a},{a + b}\\}}", f"\\{{{a + b},{a}\\}}"]
    return f"[{a},{a + b})", [f"[{a},{a + b})", f"[{a}, {a + b})"]


def _wrong(rng: random.Random, ref: str, mix: str) -> str:
    if mix == "integers" or ref.lstrip("-").isdigit():
        return str(int(ref) + rng.choice([-10, -2, -1, 1, 2, 3, 7, 100])) if ref.lstrip("-").isdigit() else "0"
    return _math_answer(rng)[0]


def make_batch(n_prompts: int = 256, group_size: int = 16, *, mix: str = "integers", seed: int = 1234,
               min_chars: int = 500, max_chars: int = 3000) -> Batch:
    rng = random.Random(seed)
    samples: list[str] = []
    items: list[dict[str, str]] = []
    for p in range(n_prompts):
        if mix == "integers":
            ref = str(rng.randint(1, 5000))
            forms = [ref]
        else:
            ref, forms = _math_answer(rng)
        majority = rng.choice(forms) if rng.random() < 0.75 else _wrong(rng, ref, mix)
        wrong_pool = [_wrong(rng, ref, mix) for _ in range(3)]
        item = {"question": f"Problem {p}: compute the requested quantity.", "answer": ref}
        for _ in range(group_size):
            ans = majority if rng.random() < 0.6 else rng.choice(wrong_pool)
            body = _reasoning(rng, rng.randint(min_chars, max_chars))
            if rng.random() < 0.1:  # broken format: no think block
                text = f"{body}\nSo the answer is \\boxed{{{ans}}}."
            else:
                text = f"<think>\n{body}\n</think>\n<answer>The final answer is \\boxed{{{ans}}}.</answer>"
            samples.append(text)
            items.append(item)
    return Batch(samples, items, group_size)


if __name__ == "__main__":  # write the batch as JSONL rows: python benchmarks/grpo_batch.py [integers|math] > rows.jsonl
    b = make_batch(mix=sys.argv[1] if len(sys.argv) > 1 else "integers")
    for row in b.rows():
        sys.stdout.write(json.dumps(row) + "\n")
