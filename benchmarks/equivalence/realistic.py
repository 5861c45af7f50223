"""Seeded generator of realistic completions, labelled by construction (issue 8).

    python3 benchmarks/equivalence/realistic.py --seed 1 --n 600 --out tests/data/realistic/dev.jsonl
    python3 benchmarks/equivalence/realistic.py --seed 7 --n 600 --extra EXTRA.json --only-extra-share 0.5 --out X.jsonl

Each row is `{id, style, completion, gold, label, why}`. A completion is a
short chain of reasoning followed by a final statement in one of the styles
models write (CoT + \\boxed, Minerva, GSM8K `####`, prose only,
<think>/<answer>, markdown bold, markers in other languages,
self-corrections, hedges, intermediate numbers then a wrong final, answers
with units or trailing prose). The gold is written the way datasets write
it (MATH LaTeX, GSM8K integers). The label is known by construction: it is
true exactly when the answer the completion finally commits to is an
equivalent rendering of the gold (picked from that answer's list of
equivalent renderings; exact arithmetic with `fractions`), and false when it
is a near miss, a hedge between two values, or no final answer at all.

Labelling policy (issue 8): the last answer the model commits to is the
answer (a self-correction that ends on the right value is right); several
answers in the final statement ("\\boxed{41} or \\boxed{42}", "either 3 or
4") earn nothing; when there is no answer marker the value stated in the
final sentence counts, and nothing earlier in the reasoning ever does.
Decimals for non-terminating values are correct only when they show at
least 6 correctly rounded significant digits.

Answer pools are generated from the seed (integers, money, terminating and
repeating fractions, surds, multiples of pi, intervals, tuples, solution
sets, plus-minus pairs, matrices, polynomials, multiple-choice letters,
degrees). `--extra` adds templates and literal answers from a JSON file
(used for the unseen set, whose templates and pools are kept outside the
repository); `--only-extra-share` is the share of rows that must use them.
Pure Python: no graders import.
"""

from __future__ import annotations

import argparse
import json
import random
from fractions import Fraction
from math import gcd
from pathlib import Path

# --------------------------------------------------------------------------
# answers: gold + equivalent renderings + near misses


class Answer:
    """One gold answer: how a dataset writes it, how a model may write it."""

    def __init__(self, kind: str, gold: str, right: list[str], wrong: list[str], plain: bool = False,
                 unit: str | None = None, number: str | None = None) -> None:
        self.kind, self.gold, self.right, self.wrong = kind, gold, right, wrong
        self.plain = plain  # readable without LaTeX (prose, GSM8K styles)
        self.unit = unit  # noun that may follow the number in prose
        self.number = number  # the bare value, as an intermediate step would print it


def _thousands(v: int, sep: str) -> str:
    s = f"{abs(v):,}".replace(",", sep)
    return ("-" if v < 0 else "") + s


def _digit_swap(v: int) -> int:
    s = str(v)
    if len(s) >= 2 and s[-1] != s[-2]:
        return int(s[:-2] + s[-1] + s[-2])
    return v + 9


UNITS = ["apples", "dollars", "cookies", "minutes", "pages", "students", "miles", "cm", "kg", "marbles", "tickets", "books"]


def ans_integer(rng: random.Random) -> Answer:
    v = rng.choice([rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 99999), rng.randint(1000000, 9999999)])
    right = [str(v)]
    if v >= 1000:
        right += [_thousands(v, ","), _thousands(v, " "), _thousands(v, "\\,"), _thousands(v, "{,}"), _thousands(v, ",\\!")]
    wrong = [str(v + 1), str(v - 1), str(_digit_swap(v)), str(v * 10), str(v + 10)]
    return Answer("integer", str(v), right, [w for w in wrong if w != str(v)], plain=True, unit=rng.choice(UNITS), number=str(v))


def ans_money(rng: random.Random) -> Answer:
    v = rng.randint(12, 20000)
    right = [str(v), f"\\${_thousands(v, ',')}", f"${_thousands(v, ',')}" if v >= 1000 else f"${v}", f"{v}.00"]
    wrong = [str(v + 5), str(v - 1), str(_digit_swap(v))]
    return Answer("money", str(v), right, wrong, plain=True, unit="dollars", number=str(v))


def _frac_tex(f: Fraction, style: str = "frac") -> str:
    sign = "-" if f < 0 else ""
    p, q = abs(f.numerator), f.denominator
    return f"{sign}\\{style}{{{p}}}{{{q}}}"


def ans_terminating(rng: random.Random) -> Answer:
    q = rng.choice([2, 4, 5, 8, 10, 20, 25, 40])
    p = rng.randint(1, 3 * q)
    while gcd(p, q) != 1 or p % q == 0:
        p = rng.randint(1, 3 * q)
    f = Fraction(p, q)
    dec = f"{float(f):.6f}".rstrip("0").rstrip(".")
    as_frac = rng.random() < 0.5
    gold = _frac_tex(f) if as_frac else dec
    right = [dec, _frac_tex(f), f"{p}/{q}", _frac_tex(f, "dfrac"), f"\\frac{{{2 * p}}}{{{2 * q}}}"]
    if dec.startswith("0."):
        right.append(dec[1:])  # .75
    wrong = [_frac_tex(1 / f), f"{float(f) + 0.1:.6f}".rstrip("0").rstrip("."), f"\\frac{{{p + 1}}}{{{q}}}"]
    return Answer("terminating_fraction", gold, right, wrong, plain=not as_frac, number=dec)


def ans_repeating(rng: random.Random) -> Answer:
    q = rng.choice([3, 6, 7, 9, 11, 12, 13, 15])
    p = rng.randint(1, 2 * q)
    while gcd(p, q) != 1 or p % q == 0:
        p = rng.randint(1, 2 * q)
    f = Fraction(p, q)
    right = [_frac_tex(f), f"{p}/{q}", _frac_tex(f, "dfrac"), _frac_tex(f, "tfrac"), f"\\frac{{{3 * p}}}{{{3 * q}}}",
             f"{float(f):.8g}"]
    if p > q:
        right.append(f"{p // q}\\frac{{{p % q}}}{{{q}}}")  # mixed number
    wrong = [_frac_tex(1 / f), f"\\frac{{{p}}}{{{q + 1}}}", f"{float(f):.2f}", f"{float(f):.3f}"]
    return Answer("repeating_fraction", _frac_tex(f), right, wrong)


SQUAREFREE = [2, 3, 5, 6, 7, 10, 11, 13, 14, 15]


def ans_surd(rng: random.Random) -> Answer:
    a, b = rng.randint(2, 9), rng.choice(SQUAREFREE)
    right = [f"{a}\\sqrt{{{b}}}", f"\\sqrt{{{a * a * b}}}", f"{a} \\sqrt {b}", f"{a}\\sqrt{b}" if b < 10 else f"{a}\\sqrt{{{b}}}",
             f"\\sqrt{{{b}}} \\cdot {a}"]
    wrong = [f"{b}\\sqrt{{{a}}}" if a != b else f"{a + 1}\\sqrt{{{b}}}", f"\\sqrt{{{a * b}}}", f"{a}\\sqrt{{{b + 1}}}",
             f"{a + 1}\\sqrt{{{b}}}"]
    return Answer("surd", f"{a}\\sqrt{{{b}}}", right, wrong)


def ans_pi(rng: random.Random) -> Answer:
    k, m = rng.randint(1, 12), rng.choice([1, 2, 3, 4, 6])
    f = Fraction(k, m)
    k, m = f.numerator, f.denominator
    if m == 1:
        gold = f"{k}\\pi" if k != 1 else "\\pi"
        right = [gold, f"{k} \\pi", f"\\pi \\cdot {k}", f"{k}\\cdot\\pi"]
        wrong = [f"{k + 1}\\pi", f"{2 * k}\\pi", f"{k}\\pi^2"]
    else:
        gold = f"\\frac{{{k}\\pi}}{{{m}}}"
        right = [gold, f"\\frac{{{k}}}{{{m}}}\\pi", f"{k}\\pi/{m}", f"\\dfrac{{{k} \\pi}}{{{m}}}"]
        wrong = [f"\\frac{{{k}\\pi}}{{{m + 1}}}", f"\\frac{{{m}\\pi}}{{{k}}}" if k != m else f"\\frac{{{k + 1}\\pi}}{{{m}}}",
                 f"\\frac{{{k}}}{{{m}}}"]
    return Answer("pi", gold, right, wrong)


def ans_interval(rng: random.Random) -> Answer:
    a = rng.randint(-9, 5)
    b = a + rng.randint(1, 9)
    shape = rng.choice(["closed_open", "ray_le", "ray_gt", "open", "closed"])
    if shape == "closed_open":
        gold = f"[{a}, {b})"
        right = [f"[{a},{b})", f"\\left[{a}, {b}\\right)", f"{a} \\le x < {b}", f"x \\in [{a}, {b})"]
        wrong = [f"({a}, {b})", f"[{a}, {b}]", f"[{a}, {b + 1})"]
    elif shape == "ray_le":
        gold = f"(-\\infty, {b}]"
        right = [f"(-\\infty,{b}]", f"x \\le {b}", f"\\left(-\\infty, {b}\\right]", f"x \\leq {b}"]
        wrong = [f"(-\\infty, {b})", f"[{b}, \\infty)", f"x < {b}"]
    elif shape == "ray_gt":
        gold = f"({a}, \\infty)"
        right = [f"({a},\\infty)", f"x > {a}", f"\\left({a}, \\infty\\right)", f"({a}, +\\infty)"]
        wrong = [f"[{a}, \\infty)", f"(-\\infty, {a})", f"x \\ge {a}"]
    elif shape == "open":
        gold = f"({a}, {b})"
        right = [f"({a},{b})", f"{a} < x < {b}", f"\\left({a}, {b}\\right)"]
        wrong = [f"[{a}, {b}]", f"({a}, {b + 1})", f"({a - 1}, {b})"]
    else:
        gold = f"[{a}, {b}]"
        right = [f"[{a},{b}]", f"{a} \\le x \\le {b}", f"\\left[{a}, {b}\\right]"]
        wrong = [f"({a}, {b})", f"[{a}, {b})", f"[{a}, {b - 1}]" if b - 1 > a else f"[{a}, {b + 1}]"]
    return Answer("interval", gold, right, wrong)


def ans_tuple(rng: random.Random) -> Answer:
    a, b = rng.randint(-9, 12), rng.randint(-9, 12)
    while a == b or a == -b:
        b = rng.randint(-9, 12)
    gold = f"({a}, {b})"
    right = [f"({a},{b})", f"\\left({a}, {b}\\right)", f"( {a} , {b} )", f"(x, y) = ({a}, {b})"]
    wrong = [f"({b}, {a})", f"({a}, {-b})", f"({a + 1}, {b})"]
    return Answer("tuple", gold, right, wrong)


def ans_roots(rng: random.Random) -> Answer:
    roots = sorted(rng.sample([x for x in range(-9, 10) if x != 0], 3))
    gold = ", ".join(str(r) for r in roots)
    shuffled = roots[:]
    rng.shuffle(shuffled)
    right = [",".join(str(r) for r in shuffled), f"\\{{{', '.join(str(r) for r in shuffled)}\\}}",
             f"x = {', '.join(str(r) for r in roots)}", " , ".join(str(r) for r in reversed(roots))]
    flip = roots[:]
    flip[0] = -flip[0] if -flip[0] not in roots else flip[0] + 10
    wrong = [", ".join(str(r) for r in roots[:2]), ", ".join(str(r) for r in flip),
             ", ".join(str(r) for r in roots + [roots[-1] + 1])]
    return Answer("solution_set", gold, right, wrong)


def ans_pm(rng: random.Random) -> Answer:
    a, b = rng.randint(-5, 9), rng.choice(SQUAREFREE)
    gold = f"{a} \\pm \\sqrt{{{b}}}"
    right = [f"{a}\\pm\\sqrt{{{b}}}", f"{a} + \\sqrt{{{b}}}, {a} - \\sqrt{{{b}}}", f"{a} - \\sqrt{{{b}}}, {a} + \\sqrt{{{b}}}"]
    wrong = [f"{a} + \\sqrt{{{b}}}", f"{a} \\pm \\sqrt{{{b + 1}}}", f"{-a} \\pm \\sqrt{{{b}}}" if a else f"1 \\pm \\sqrt{{{b}}}"]
    return Answer("plus_minus", gold, right, wrong)


def ans_matrix(rng: random.Random) -> Answer:
    m = [[rng.randint(-9, 9) for _ in range(2)] for _ in range(2)]
    while m[0][1] == m[1][0]:
        m[1][0] = rng.randint(-9, 9)

    def tex(env: str, mm, sep: str = " & ", row: str = " \\\\ ") -> str:
        return f"\\begin{{{env}}} " + row.join(sep.join(str(x) for x in r) for r in mm) + f" \\end{{{env}}}"

    gold = tex("pmatrix", m)
    right = [tex("pmatrix", m, "&", "\\\\"), tex("bmatrix", m), f"\\left[{tex('array', m)[:0]}\\begin{{array}}{{cc}} "
             + " \\\\ ".join(" & ".join(str(x) for x in r) for r in m) + " \\end{array}\\right]"]
    t = [[m[0][0], m[1][0]], [m[0][1], m[1][1]]]
    bump = [r[:] for r in m]
    bump[1][1] += 1
    wrong = [tex("pmatrix", t), tex("pmatrix", bump)]
    return Answer("matrix", gold, right, wrong)


def _poly(b: int, c: int) -> str:
    out = "x^2"
    if b:
        out += (" + " if b > 0 else " - ") + (f"{abs(b)}x" if abs(b) != 1 else "x")
    if c:
        out += (" + " if c > 0 else " - ") + str(abs(c))
    return out


def _lin(r: int) -> str:
    return f"(x + {r})" if r > 0 else f"(x - {-r})"


def ans_polynomial(rng: random.Random) -> Answer:
    r, s = rng.choice([x for x in range(-7, 8) if x]), rng.choice([x for x in range(-7, 8) if x])
    while r == -s or r == s:
        s = rng.choice([x for x in range(-7, 8) if x])
    b, c = r + s, r * s
    gold = _poly(b, c)
    right = [f"{_lin(r)}{_lin(s)}", f"{_lin(s)}{_lin(r)}", f"{c} + {b}x + x^2".replace("+ -", "- "), gold.replace(" ", "")]
    wrong = [f"{_lin(-r)}{_lin(-s)}", f"{_lin(r)}{_lin(-s)}", _poly(b, c + 1)]
    return Answer("polynomial", gold, right, wrong)


def ans_choice(rng: random.Random) -> Answer:
    letter = rng.choice("ABCDE")
    other = rng.choice([x for x in "ABCDE" if x != letter])
    gold = rng.choice([letter, f"({letter})", f"\\text{{({letter})}}"])
    right = [letter, f"({letter})", f"\\text{{({letter})}}", f"\\textbf{{({letter})}}", f"\\mathrm{{{letter}}}"]
    wrong = [other, f"({other})", f"\\text{{({other})}}"]
    return Answer("multiple_choice", gold, right, wrong)


def ans_degrees(rng: random.Random) -> Answer:
    v = rng.choice([15, 30, 36, 40, 45, 60, 72, 75, 90, 108, 120, 135, 150])
    gold = f"{v}^\\circ"
    right = [f"{v}^\\circ", f"{v}°", f"{v}^{{\\circ}}", f"{v}"]
    wrong = [f"{180 - v}^\\circ" if v != 90 else "45^\\circ", f"{v + 5}^\\circ", f"{2 * v}^\\circ"]
    return Answer("degrees", gold, right, wrong)


ANSWER_KINDS = {
    "integer": (ans_integer, 6), "money": (ans_money, 2), "terminating_fraction": (ans_terminating, 3),
    "repeating_fraction": (ans_repeating, 3), "surd": (ans_surd, 2), "pi": (ans_pi, 2), "interval": (ans_interval, 2),
    "tuple": (ans_tuple, 2), "solution_set": (ans_roots, 2), "plus_minus": (ans_pm, 1), "matrix": (ans_matrix, 1),
    "polynomial": (ans_polynomial, 2), "multiple_choice": (ans_choice, 2), "degrees": (ans_degrees, 1),
}


def literal_answer(item: dict) -> Answer:
    return Answer(item.get("kind", "literal"), item["gold"], list(item["right"]), list(item["wrong"]),
                  plain=bool(item.get("plain", False)), unit=item.get("unit"), number=item.get("number"))


# --------------------------------------------------------------------------
# reasoning filler and final statements

REASONING = [
    "Let me set up the problem carefully.",
    "First, we write down what is given.",
    "We start by simplifying the expression.",
    "Substituting the known values gives a simpler equation.",
    "Combining like terms, the equation becomes easier to handle.",
    "Checking the boundary cases shows nothing is lost.",
    "Both conditions have to hold at the same time.",
    "We can verify this by plugging the value back in.",
    "This matches the constraint from the problem statement.",
    "Now we just need to finish the computation.",
]
STEPS = [
    "Step {k}: multiply {a} by {b} to get {c}.",
    "Step {k}: adding {a} and {b} gives {c}.",
    "Step {k}: so the subtotal is {c}.",
    "Step {k}: subtracting, we get {c}.",
]
# final statements keyed by style; {a} is the answer text
FINALS = {
    "cot_boxed": ["Therefore, the answer is $\\boxed{{{a}}}$.", "So the final answer is $\\boxed{{{a}}}$.",
                  "$$\\boxed{{{a}}}$$", "Thus we get $\\boxed{{{a}}}$ as the answer.", "Hence, \\(\\boxed{{{a}}}\\).",
                  "The answer is \\[\\boxed{{{a}}}\\]"],
    "minerva": ["Final Answer: The final answer is ${a}$. I hope it is correct.",
                "Final Answer: The final answer is ${a}$. I hope it is correct."],
    "answer_line": ["The answer is ${a}$.", "Final answer: ${a}$", "Answer: ${a}$", "So the answer is ${a}$.",
                    "The final answer is ${a}$", "Hence the result is $${a}$$", "Answer $ {a} $"],
    "think_answer": ["<think>\n{r}\n</think>\n<answer>{a}</answer>", "<think>{r}</think> <answer>${a}$</answer>",
                     "<think>\n{r}\n</think>\n\n<answer>\n\\boxed{{{a}}}\n</answer>"],
    "bold": ["**Answer:** ${a}$", "**Final Answer:** ${a}$", "The answer is **${a}$**.", "**Answer: ${a}$**"],
}
PLAIN_FINALS = {
    "answer_line": ["The answer is {a}.", "Final answer: {a}", "Answer: {a}", "So the answer is {a}.", "The final answer is {a}",
                    "So the total is {a}."],
    "bold": ["**Answer:** {a}", "**Final Answer:** {a}", "The answer is **{a}**.", "**Answer: {a}**"],
    "think_answer": ["<think>\n{r}\n</think>\n<answer>{a}</answer>", "<think>{r}</think> <answer> {a} </answer>"],
    "minerva": ["Final Answer: The final answer is ${a}$. I hope it is correct."],
}
GSM8K = ["#### {a}", "#### {a}", "#### ${a}", "The answer is {a}.\n#### {a}"]
PROSE = ["So now she has {a} {u} in total.", "That means there are {a} {u} left.", "In total, he needs {a} {u}.",
         "So the total is {a} {u}.", "Therefore they collected {a} {u} altogether."]
MULTI = [  # (language, marker line), every one a final-answer marker in that language
    ("zh", "答案：{a}"), ("zh", "最终答案是 {a}。"), ("zh", "所以答案是 ${a}$。"), ("ru", "Ответ: {a}"), ("ru", "Ответ: ${a}$."),
    ("fr", "Réponse : {a}"), ("fr", "La réponse est ${a}$."), ("de", "Antwort: {a}"), ("de", "Die Antwort ist ${a}$."),
    ("es", "Respuesta: {a}"), ("es", "La respuesta es ${a}$."), ("pt", "Resposta: {a}"), ("it", "Risposta: {a}"),
    ("ko", "정답: {a}"), ("ja", "答え：{a}"), ("ar", "الإجابة: {a}"),
]
MULTI_REASONING = {
    "zh": "首先，我们整理已知条件，然后逐步计算。", "ru": "Сначала запишем условие и упростим выражение.",
    "fr": "Tout d'abord, simplifions l'expression.", "de": "Zuerst vereinfachen wir den Ausdruck.",
    "es": "Primero, simplificamos la expresión.", "pt": "Primeiro, simplificamos a expressão.",
    "it": "Per prima cosa semplifichiamo l'espressione.", "ko": "먼저 주어진 조건을 정리합니다.",
    "ja": "まず、条件を整理します。", "ar": "أولاً، نبسط المعادلة خطوة بخطوة.",
}
CORRECTIONS = ["Wait, that's wrong. Let me recompute.", "Hmm, I made an arithmetic error above. Redoing that step:",
               "Actually, let me double-check. That step was wrong.", "Wait, I misread the question. Recomputing:"]
HEDGE_FINALS = ["The answer is $\\boxed{{{a}}}$ or $\\boxed{{{b}}}$.", "So the answer is either ${a}$ or ${b}$.",
                "$\\boxed{{{a}}}$ or $\\boxed{{{b}}}$", "The answer is ${a}$ or ${b}$, depending on the interpretation.",
                "The answer is probably $\\boxed{{{a}}}$, but it could also be $\\boxed{{{b}}}$."]
UNIT_TRAILS = ["The answer is {a} {u}.", "Final answer: {a} {u}", "The final answer is {a} {u}, as required.",
               "So the answer is {a}. This completes the solution."]

STYLES = ["cot_boxed", "minerva", "gsm8k", "prose", "think_answer", "bold", "multilingual", "self_correction",
          "hedge", "intermediate", "units_trailing", "answer_line"]


# --------------------------------------------------------------------------
# generator


class Generator:
    def __init__(self, seed: int, extra: dict | None = None, only_extra_share: float = 0.0, prefix: str = "dev") -> None:
        self.rng = random.Random(seed)
        self.prefix = prefix
        self.extra = extra or {}
        self.only_extra_share = only_extra_share
        self.finals = {k: list(v) for k, v in FINALS.items()}
        self.plain_finals = {k: list(v) for k, v in PLAIN_FINALS.items()}
        self.extra_templates: dict[str, list[str]] = self.extra.get("finals", {})
        self.extra_answers = [literal_answer(x) for x in self.extra.get("answers", [])]
        self.reasoning = REASONING + self.extra.get("reasoning", [])

    # -- pieces
    def answer(self, plain: bool = False, use_extra: bool = False) -> Answer:
        rng = self.rng
        if use_extra and self.extra_answers:
            pool = [a for a in self.extra_answers if a.plain or not plain]
            if pool:
                return rng.choice(pool)
        kinds = [k for k, (fn, w) in ANSWER_KINDS.items() for _ in range(w)]
        if plain:
            kinds = [k for k in kinds if k in ("integer", "money", "terminating_fraction")]
        while True:
            a = ANSWER_KINDS[rng.choice(kinds)][0](rng)
            if not plain or a.plain:
                return a

    def reasoning_text(self, k: int | None = None) -> str:
        k = k if k is not None else self.rng.randint(1, 4)
        return " ".join(self.rng.sample(self.reasoning, k))

    def pick(self, a: Answer, correct: bool, plain: bool = False) -> str:
        pool = a.right if correct else a.wrong
        if plain:
            simple = [x for x in pool if "\\" not in x and "{" not in x]
            pool = simple or pool
        return self.rng.choice(pool)

    def final(self, style: str, text: str, plain: bool, use_extra: bool) -> str:
        pool = (self.plain_finals if plain else self.finals).get(style) or self.finals[style]
        if use_extra and self.extra_templates.get(style):
            pool = self.extra_templates[style]
        tpl = self.rng.choice(pool)
        return tpl.replace("{r}", self.reasoning_text(2)).replace("{{{a}}}", "{" + text + "}").replace("{a}", text)

    # -- styles: each returns (completion, gold, label, why)
    def style_simple(self, style: str, use_extra: bool):
        a = self.answer(use_extra=use_extra)
        correct = self.rng.random() < 0.6
        text = self.pick(a, correct)
        body = self.final(style, text, plain=False, use_extra=use_extra)
        if style != "think_answer":
            body = self.reasoning_text() + "\n\n" + body
        why = f"{style}: final answer {text!r} is {'an equivalent form of' if correct else 'a near miss of'} the gold ({a.kind})"
        return body, a.gold, correct, why

    def style_gsm8k(self, use_extra: bool):
        a = self.answer(plain=True, use_extra=use_extra)
        correct = self.rng.random() < 0.6
        v = self.pick(a, correct, plain=True)
        tpl = self.rng.choice(self.extra_templates.get("gsm8k") if use_extra and self.extra_templates.get("gsm8k") else GSM8K)
        line = (tpl.replace("${a}", "{a}") if v.startswith("$") else tpl).replace("{a}", v)
        if a.unit and self.rng.random() < 0.3 and "$" not in line and "\n" not in line:
            line += f" {a.unit}"
        steps = self.steps(avoid=a.number)
        return f"{steps}\n{line}", a.gold, correct, f"gsm8k: '####' line gives {v!r} ({'equal to' if correct else 'not'} the gold)"

    def steps(self, avoid: str | None = None, include: str | None = None) -> str:
        out = []
        for _ in range(self.rng.randint(2, 4)):
            a, b = self.rng.randint(2, 60), self.rng.randint(2, 30)
            tpl = self.rng.choice(STEPS)
            c = a * b if "multiply" in tpl else a - b if "subtracting" in tpl else a + b
            if avoid is not None and str(c) == avoid:
                a, c = a + 1, c + (b if "multiply" in tpl else 1)
            out.append(tpl.replace("Step {k}: ", "").format(a=a, b=b, c=c))
        if include is not None:
            out.insert(self.rng.randint(0, len(out)), f"that gives {include} for this part.")
        return "\n".join(f"Step {k}: {line}" for k, line in enumerate(out, 1))

    def style_prose(self, use_extra: bool):
        a = self.answer(plain=True, use_extra=use_extra)
        correct = self.rng.random() < 0.6
        v = self.pick(a, correct, plain=True)
        v = v.replace("\\$", "").replace("$", "")
        unit = a.unit or "items"
        tpl = self.rng.choice(self.extra_templates.get("prose") if use_extra and self.extra_templates.get("prose") else PROSE)
        last = tpl.replace("{a}", v).replace("{u}", unit)
        return (f"{self.steps(avoid=a.number)}\n{last}", a.gold, correct,
                f"prose: no marker; the final sentence states {v!r} ({'equal to' if correct else 'not'} the gold)")

    def style_multilingual(self, use_extra: bool):
        a = self.answer(use_extra=use_extra)
        correct = self.rng.random() < 0.6
        text = self.pick(a, correct)
        pool = MULTI + [tuple(x) for x in self.extra.get("multilingual", [])] if not use_extra else \
            ([tuple(x) for x in self.extra.get("multilingual", [])] or MULTI)
        lang, tpl = self.rng.choice(pool)
        if "$" not in tpl and "\\" in text:
            tpl = tpl.replace("{a}", "${a}$")
        line = tpl.replace("{a}", text)
        reasoning = MULTI_REASONING.get(lang, self.reasoning_text(1))
        return (f"{reasoning}\n{line}", a.gold, correct,
                f"multilingual ({lang}): marker gives {text!r} ({'equivalent to' if correct else 'a near miss of'} the gold)")

    def style_self_correction(self, use_extra: bool):
        a = self.answer(use_extra=use_extra)
        ends_right = self.rng.random() < 0.6
        first = self.pick(a, not ends_right)
        last = self.pick(a, ends_right)
        corr = self.rng.choice(CORRECTIONS)
        body = (f"{self.reasoning_text(2)} So the answer is $\\boxed{{{first}}}$.\n\n{corr} {self.reasoning_text(1)}\n"
                f"Therefore the answer is $\\boxed{{{last}}}$.")
        why = ("self-correction: the last committed answer " + repr(last)
               + (" is right (the earlier one was wrong)" if ends_right else " is wrong (the earlier one was right)"))
        return body, a.gold, ends_right, why

    def style_hedge(self, use_extra: bool):
        a = self.answer(use_extra=use_extra)
        r, w = self.pick(a, True), self.pick(a, False)
        pair = [r, w] if self.rng.random() < 0.5 else [w, r]
        tpl = self.rng.choice(HEDGE_FINALS)
        line = tpl.replace("{{{a}}}", "{" + pair[0] + "}").replace("{{{b}}}", "{" + pair[1] + "}")
        line = line.replace("{a}", pair[0]).replace("{b}", pair[1])
        return (f"{self.reasoning_text()}\n\n{line}", a.gold, False,
                "hedge: two different answers in the final statement; one of them is right, which earns nothing")

    def style_intermediate(self, use_extra: bool):
        a = self.answer(plain=True, use_extra=use_extra)
        shown = a.number or a.gold
        wrong = self.pick(a, False, plain=True)
        variant = self.rng.random()
        if variant < 0.6:
            end = self.rng.choice([f"The answer is {wrong}.", f"#### {wrong}", f"So the final answer is $\\boxed{{{wrong}}}$.",
                                   f"Final answer: {wrong}"])
            why = f"intermediate: the gold {shown!r} appears only as an intermediate step; the final answer is {wrong!r}"
        else:
            end = self.rng.choice(["Let me double-check this carefully before answering.",
                                   "I will verify the remaining cases next.", "Now we need to consider the other case."])
            why = f"intermediate: the gold {shown!r} appears only as an intermediate step; there is no final answer"
        return f"{self.steps(avoid=shown, include=shown)}\n{end}", a.gold, False, why

    def style_units_trailing(self, use_extra: bool):
        a = self.answer(plain=True, use_extra=use_extra)
        correct = self.rng.random() < 0.6
        v = self.pick(a, correct, plain=True).replace("\\$", "").replace("$", "")
        tpl = self.rng.choice(UNIT_TRAILS)
        line = tpl.replace("{a}", v).replace("{u}", a.unit or "units")
        return (f"{self.reasoning_text()}\n{line}", a.gold, correct,
                f"units/trailing prose: answer {v!r} followed by a unit or words ({'equal to' if correct else 'not'} the gold)")

    def row(self, i: int) -> dict:
        use_extra = bool(self.extra) and self.rng.random() < self.only_extra_share
        style = self.rng.choice(STYLES + list(self.extra.get("extra_styles", [])))
        if style in ("cot_boxed", "minerva", "think_answer", "bold", "answer_line"):
            comp, gold, label, why = self.style_simple(style, use_extra)
        elif style == "gsm8k":
            comp, gold, label, why = self.style_gsm8k(use_extra)
        elif style == "prose":
            comp, gold, label, why = self.style_prose(use_extra)
        elif style == "multilingual":
            comp, gold, label, why = self.style_multilingual(use_extra)
        elif style == "self_correction":
            comp, gold, label, why = self.style_self_correction(use_extra)
        elif style == "hedge":
            comp, gold, label, why = self.style_hedge(use_extra)
        elif style == "intermediate":
            comp, gold, label, why = self.style_intermediate(use_extra)
        else:
            comp, gold, label, why = self.style_units_trailing(use_extra)
        return {"id": f"{self.prefix}-{i:04d}", "style": style, "completion": comp, "gold": gold, "label": label,
                "why": why + (" [extra templates/pool]" if use_extra else "")}


def generate(seed: int, n: int, extra: dict | None = None, only_extra_share: float = 0.0, prefix: str = "dev") -> list[dict]:
    """`n` labelled rows, the same for the same arguments."""
    g = Generator(seed, extra, only_extra_share, prefix)
    return [g.row(i) for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--prefix", default="dev", help="id prefix")
    ap.add_argument("--extra", type=Path, help="JSON with extra templates/answers (unseen set)")
    ap.add_argument("--only-extra-share", type=float, default=0.0)
    args = ap.parse_args(argv)
    extra = json.loads(args.extra.read_text(encoding="utf-8")) if args.extra else None
    rows = generate(args.seed, args.n, extra, args.only_extra_share, args.prefix)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    true = sum(r["label"] for r in rows)
    print(f"{len(rows)} rows ({true} true, {len(rows) - true} false) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
