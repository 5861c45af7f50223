"""Cross-checks the labels of the numeric rows with exact arithmetic.

For every row whose final answer and reference both parse to a single sympy
number (or a closed-form expression in no free symbols), this recomputes the
label independently of any grader:

- most categories: equal iff `simplify(answer - reference) == 0`, confirmed by
  evaluating the difference to 60 digits;
- numeric_tolerance: a decimal answer is right iff it shows >= 6 significant
  digits and equals the reference correctly rounded to the decimals shown (the rule written in `cases_numbers.py`);
- tuples (ordered), sets_lists and plus_minus (unordered, `a \\pm b` expanded to
  two elements): element-wise with the same exact test.

Intervals, matrices, equations, inequalities, text and the behaviour
categories are not recomputed here; their labels were reviewed by hand and
against math-verify's verdicts (see RESULTS.md).

The extraction here is deliberately plain (last \\boxed{}, else "answer is",
"Final answer:", "####", <answer>), and rows it cannot read are listed as
skipped rather than guessed.  Rows whose recomputed label differs from the
stored one are printed; each needs a human look (`--verbose` lists all).

    .venv/bin/python benchmarks/equivalence/check_labels.py
"""

from __future__ import annotations

import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import sympy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import load_cases  # noqa: E402

NUMERIC = {
    "integers", "decimals", "fractions", "number_formats", "numeric_tolerance",
    "roots_surds", "pi_e", "expressions", "complex", "reward_hacks", "polynomials",
}


def last_boxed(text: str) -> str | None:
    k = text.rfind("\\boxed{")
    if k < 0:
        return None
    i, depth = k + len("\\boxed{"), 1
    j = i
    while j < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        j += 1
    return text[i : j - 1] if depth == 0 else None


def extract(text: str) -> str | None:
    if text.count("\\boxed{") > 1:
        return None  # several boxes: not a single-number row
    b = last_boxed(text)
    if b is not None:
        return b
    for pat in (r"answer is\s*(.+?)\.?\s*$", r"Final answer:\s*(.+)$", r"####\s*(.+)$", r"<answer>(.*?)</answer>"):
        m = re.search(pat, text, re.S | re.I)
        if m:
            return m.group(1)
    return text if len(text) < 40 else None


def clean(s: str) -> str:
    s = s.strip().strip("$").strip()
    s = re.sub(r"^\\boxed\{(.*)\}$", r"\1", s)
    s = s.replace("\\$", "").replace("\\%", "").replace("\\,", "").replace("{,}", "")
    s = s.replace("^\\circ", "").replace("^{\\circ}", "").replace("\u00b0", "")
    s = re.sub(r"\\text\{\s*(cm|hours|dollars)\s*\}(\^2)?", "", s)
    s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\left", "").replace("\\right", "")
    s = s.replace("\u2212", "-")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    return s.strip()


def to_sympy(s: str):
    from latex2sympy2_extended import latex2sympy

    s = clean(s)
    s = re.sub(r"^[a-z]\(x\)\s*=", "", s).strip("*").strip()
    m = re.fullmatch(r"(-?)(\d*)\.(\d*)\\overline\{(\d+)\}", s)  # repeating decimal
    if m:
        sign, whole, pre, rep = m.groups()
        val = sympy.Integer(whole or 0) + sympy.Rational(int(pre or 0), 10 ** len(pre)) + sympy.Rational(
            int(rep), (10 ** len(rep) - 1) * 10 ** len(pre))
        return -val if sign else val
    if not s or len(s) > 200 or re.search(r"\^\{[^}]*\^", s) or re.search(r"\^\{?\d{4,}", s) or s.count("^") > 2:
        return None  # empty, huge, a power tower or a huge power (would not finish)
    if re.search(r"\\(text|begin|infty|pm|mp|le|ge|lt|gt|neq|cup|emptyset|varnothing|mathbf)|[<>=,]|\*\*", s):
        return None  # not a single closed-form value
    s = re.sub(r"\\frac(\d)(\d)", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\frac(\d)([a-z])", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\sqrt(\d)", r"\\sqrt{\1}", s)
    m = re.fullmatch(r"(-?\d+)\\frac\{(\d+)\}\{(\d+)\}", s)  # mixed number
    if m:
        w, n, d = (int(g) for g in m.groups())
        return sympy.Integer(w) + sympy.Rational(n, d) * (1 if w >= 0 else -1)
    if re.fullmatch(r"-?\d*\.?\d+", s):
        return sympy.Rational(s)
    if re.search(r"[A-Za-z]{3,}", re.sub(r"\\[A-Za-z]+", "", s)):
        return None  # words
    try:
        e = latex2sympy(s)
    except Exception:
        return None
    if not isinstance(e, sympy.Expr):
        return None
    e = e.xreplace({f: sympy.Rational(str(f)) for f in e.atoms(sympy.Float)})  # decimals are exact
    return e.subs({sympy.Symbol("e"): sympy.E, sympy.Symbol("i"): sympy.I})


def same(a, r) -> bool:
    d = sympy.simplify(a - r)
    if d == 0:
        return True
    free = sorted((a - r).free_symbols, key=str)
    pts = [dict(zip(free, vals, strict=False)) for vals in ((sympy.Rational(7, 3) + k, sympy.Rational(-5, 11) * k + 3) for k in range(1, 4))]
    if free:
        vals = []
        for p in pts:
            sub = {sym: (p.get(sym) if sym in p else sympy.Rational(13, 7) + i) for i, sym in enumerate(free)}
            vals.append(sympy.N((a - r).subs(sub), 60))
        return all(abs(v) < sympy.Float("1e-40") for v in vals)
    try:
        return bool(abs(sympy.N(a - r, 60)) < sympy.Float("1e-50"))
    except TypeError:  # NaN / zoo
        return False


def sig_digits(d: str) -> int:
    digits = d.lstrip("-").replace(".", "").lstrip("0")
    return len(digits)


def tolerance_label(ans: str, ref) -> bool | None:
    a = clean(ans)
    if not re.fullmatch(r"-?\d*\.\d+|-?\d+", a):
        return None
    places = len(a.split(".")[1]) if "." in a else 0
    exact = Decimal(str(sympy.N(ref, 60)))
    q = Decimal(1).scaleb(-places)
    ok = Decimal(a) == exact.quantize(q, ROUND_HALF_UP)
    if Decimal(a) == exact:
        return True
    return ok and sig_digits(a) >= 6



STRUCTURED = {"tuples", "sets_lists", "plus_minus"}


def split_top(s: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [x.strip() for x in out]


def elements(s: str, ordered: bool):
    """A tuple/list/set answer as a list of sympy values, or None if unreadable."""
    s = clean(s)
    s = re.sub(r"^\(?[a-z](,\s*[a-z])*\)?\s*=\s*", "", s)  # "(a, b) =", "x ="
    s = re.sub(r"\\text\{\s*or\s*\}\s*[a-z]\s*=", ",", s)
    if ordered:
        if not (s.startswith("(") and s.endswith(")")):
            return None
        s = s[1:-1]
    else:
        s = s.replace("\\{", "").replace("\\}", "")
    parts = []
    for item in split_top(s):
        m = re.fullmatch(r"(.*?)\\(pm|mp)\s*(.+)", item)
        if m and not ordered:
            base = to_sympy(m.group(1)) if m.group(1).strip() else sympy.Integer(0)
            off = to_sympy(m.group(3).replace("{", "{", 1))
            if m.group(1).strip().endswith("{"):  # \frac{-1 \pm \sqrt5}{2}
                return None
            if base is None or off is None:
                return None
            parts += [base + off, base - off]
            continue
        v = to_sympy(item)
        if v is None:
            return None
        parts.append(v)
    return parts


def same_elements(a: list, r: list, ordered: bool) -> bool:
    if len(a) != len(r):
        return False
    if ordered:
        return all(same(x, y) for x, y in zip(a, r, strict=True))
    left = list(r)
    for x in a:
        for k, y in enumerate(left):
            if same(x, y):
                del left[k]
                break
        else:
            return False
    return not left


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    checked = skipped = 0
    mismatches = []
    for c in load_cases():
        if c["category"] not in NUMERIC | STRUCTURED:
            continue
        ans = extract(c["completion"])
        if ans is None:
            skipped += 1
            continue
        if c["category"] in STRUCTURED:
            ordered = c["category"] == "tuples"
            ea, er = elements(ans, ordered), elements(c["reference"], ordered)
            if ea is None or er is None:
                skipped += 1
                if verbose:
                    print(f"skip {c['id']}: {ans[:60]!r} vs {c['reference'][:60]!r}")
                continue
            got = same_elements(ea, er, ordered)
            checked += 1
            if verbose:
                print(f"{'ok ' if got == c['expected'] else 'BAD'} {c['id']}: {ans[:50]!r} vs {c['reference'][:50]!r} -> {got}")
            if got != c["expected"]:
                mismatches.append((c["id"], ans, c["reference"], c["expected"], got, c["note"]))
            continue
        a, r = to_sympy(ans), to_sympy(c["reference"])
        if a is None or r is None:
            skipped += 1
            if verbose:
                print(f"skip {c['id']}: {ans[:60]!r} vs {c['reference'][:60]!r}")
            continue
        if c["category"] == "numeric_tolerance":
            got = tolerance_label(ans, r)
            if got is None:
                got = same(a, r)
        else:
            got = same(a, r)
        checked += 1
        if verbose:
            print(f"{'ok ' if bool(got) == c['expected'] else 'BAD'} {c['id']}: {ans[:50]!r} vs {c['reference'][:50]!r} -> {bool(got)}")
        if bool(got) != c["expected"]:
            mismatches.append((c["id"], ans, c["reference"], c["expected"], bool(got), c["note"]))
    print(f"checked {checked} rows with exact arithmetic, skipped {skipped} (not single closed-form numbers)")
    for m in mismatches:
        print("MISMATCH id={} answer={!r} reference={!r} label={} recomputed={} note={}".format(*m))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
