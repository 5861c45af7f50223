"""Side-by-side agreement of graders' `math` kind and math-verify with the
labeled answer-equivalence set in tests/data/equivalence/.

    .venv/bin/python benchmarks/equivalence/run.py            # both sides
    .venv/bin/python benchmarks/equivalence/run.py --only math-verify

math-verify is scored the way TRL's / open-r1's `accuracy_reward` does it:
the gold is `parse(reference)` with the default extraction, the completion is
parsed with a LaTeX-only config (boxed first, no anchorless fallback), and the
row passes when `verify(gold, answer)` is true; an unparseable gold
(TRL skips the row with reward None) counts as not passing.  Two gold variants
are scored: the reference as given, and the reference wrapped in `$...$`; the
report shows the better one per category and says which.  math-verify runs in
one worker process, sequentially, and a row that outlives `--row-timeout` is
killed and counted as not passing (math-verify's own SIGALRM timeouts are best
effort).

graders is scored with

    graders.from_dict({"grader": {"type": "math", "input": "{{ sample.output_text }}",
                       "reference": "{{ item.answer }}", "extract": "auto"}})

and one `.score(samples, items)` call over the whole set; a row passes when its
score is 1.0.  The call runs in a child process with a time limit; if it fails
or times out, the set is split in halves until the rows that hang are found.

Outputs RESULTS.md and disagreements.md beside this file.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import subprocess
import sys
import time
import traceback
from collections import defaultdict
from pathlib import Path

from _common import pct, run_rows_in_worker

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = ROOT / "tests" / "data" / "equivalence"
SENTINEL = Path("/tmp/graders_equiv_pwned")  # the reward_hacks payloads `touch` this

GRADER_CONFIG = {
    "grader": {
        "type": "math",
        "input": "{{ sample.output_text }}",
        "reference": "{{ item.answer }}",
        "extract": "auto",
    }
}


RESULTS_NAME, DISAGREEMENTS_NAME = "RESULTS.md", "disagreements.md"
HELDOUT_DATA = ROOT / "tests" / "data" / "equivalence_heldout"
HELDOUT_PROVENANCE = """\
## How the held-out set was built

429 rows in 23 categories, written by a separate author who never saw the
main set, the math kind's code or its results, and kept outside the
repository until the math kind was finished. Scored once on arrival:
graders 98.4% (422/429) with 0 false positives, ahead of math-verify overall
but behind it in two categories. Three engine changes followed, each a class
of answers rather than a row: identical answers too large to evaluate
(`10^{10^{10}}` against itself) compare equal before the size guard; a scalar
times a matrix (`\\frac12\\begin{pmatrix}2\\\\4\\end{pmatrix}`); angle names
(`\\angle ABC = 40^\\circ`, `m\\angle A`) as the name side of an equation.
The table below is after those changes, so it is no longer a held-out
figure; 98.4% / 0 FP is. Conventions: tests/data/equivalence_heldout/README.md.
"""

PROVENANCE = """\
## How the set was built (read before trusting the agreement numbers)

The first 637 rows were written before graders' `math` kind existed; the kind
was then written with the set in the tree, so its score on them is not a
held-out number.  A probe of 104 new cases (neutral reasoning text) was then
scored once outside the tree: graders 103/104 with 0 FP (the miss,
`(-\\infty,1)\\cup(1,\\infty)` vs `\\mathbb{R}\\setminus\\{1\\}`, was fixed
later), math-verify 91/104 with 0 FP (`$..$` gold).  Most of the probe went
into the set as the second batch (107 rows with realistic reasoning, 744 in
all).  The last 30 rows (precision traps: 20-digit integers, `355/113` vs pi,
`1/2^{60}` vs `1/2^{61}`, `0.1+0.2`, ...) were scored once on arrival:
graders missed only `3.1415926` vs pi, a truncated decimal, whose label was
then set to false (rounding rule; marked unsure in its note).  Labels are
mathematical judgments, cross-checked with exact arithmetic by
`check_labels.py` for the numeric, tuple, set and plus-minus rows.
"""


def load_cases(data_dir: Path = DATA) -> list[dict]:
    rows: list[dict] = []
    for path in sorted(data_dir.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rows.append(json.loads(line))
    return rows


# --------------------------------------------------------------------------
# math-verify side


def _mv_worker(inbox: mp.Queue, outbox: mp.Queue) -> None:
    import logging

    logging.disable(logging.CRITICAL)
    from latex2sympy2_extended import NormalizationConfig
    from math_verify import LatexExtractionConfig, parse, verify

    answer_cfg = [
        LatexExtractionConfig(
            normalization_config=NormalizationConfig(
                nits=False,
                malformed_operators=False,
                basic_latex=True,
                equations=True,
                boxed="all",
                units=True,
            ),
            boxed_match_priority=0,
            try_extract_without_anchor=False,
        )
    ]

    def one(gold_text: str, answer_parsed) -> bool:
        try:
            gold = parse(gold_text, extraction_mode="first_match")
            if len(gold) == 0:
                return False  # TRL: reward None (row skipped); not a pass
            return bool(verify(gold, answer_parsed))
        except Exception:
            return False

    outbox.put("ready")
    while True:
        job = inbox.get()
        if job is None:
            return
        idx, reference, completion = job
        try:
            answer = parse(completion, extraction_config=answer_cfg, extraction_mode="first_match")
        except Exception:
            answer = []
        outbox.put((idx, one(reference, answer), one("$" + reference + "$", answer)))


def run_math_verify(cases: list[dict], row_timeout: float) -> tuple[dict[str, list[bool]], float, list[str]]:
    """Returns ({"as_given": [...], "dollar_wrapped": [...]}, seconds, ids that timed out)."""
    answers, seconds = run_rows_in_worker(_mv_worker, [(c["reference"], c["completion"]) for c in cases], row_timeout)
    as_given = [bool(a and a[0]) for a in answers]
    wrapped = [bool(a and a[1]) for a in answers]
    timeouts = [c["id"] for c, a in zip(cases, answers, strict=True) if a is None]
    return {"as_given": as_given, "dollar_wrapped": wrapped}, seconds, timeouts


# --------------------------------------------------------------------------
# graders side


_GRADERS_CHILD = r"""
import json, sys, time, traceback
payload = json.load(sys.stdin)
out = {"ok": False}
try:
    import graders
    g = graders.from_dict(payload["config"])
    t0 = time.perf_counter()
    res = g.score(samples=payload["samples"], items=payload["items"])
    out["seconds"] = time.perf_counter() - t0
    out["scores"] = [None if s != s else float(s) for s in list(res.scores)]
    errs = getattr(res, "errors", None) or [[] for _ in payload["samples"]]
    out["errors"] = [[str(e) for e in (row or [])] for row in errs]
    out["ok"] = True
except BaseException:
    out["traceback"] = traceback.format_exc()
json.dump(out, sys.stdout)
"""


def graders_available() -> tuple[bool, str]:
    """Whether `graders.from_dict` builds the math grader, checked in a child process."""
    probe = (
        "import json, graders\n"
        f"g = graders.from_dict({GRADER_CONFIG!r})\n"
        "r = g.score(samples=['so the answer is $\\\\boxed{\\\\frac{1}{2}}$.'], items=[{'answer': '0.5'}])\n"
        "print(json.dumps(float(r.scores[0])))\n"
    )
    try:
        p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return False, "probe timed out"
    if p.returncode != 0:
        tail = (p.stderr or p.stdout).strip().splitlines()
        return False, tail[-1] if tail else f"exit {p.returncode}"
    return True, p.stdout.strip()


def _graders_child(cases: list[dict], timeout: float) -> dict:
    payload = {
        "config": GRADER_CONFIG,
        "samples": [c["completion"] for c in cases],
        "items": [{"answer": c["reference"]} for c in cases],
    }
    try:
        p = subprocess.run(
            [sys.executable, "-c", _GRADERS_CHILD],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "timeout": True}
    try:
        out = json.loads(p.stdout)
    except json.JSONDecodeError:
        out = {"ok": False, "traceback": (p.stderr or "")[-4000:] or f"exit {p.returncode}"}
    return out


def run_graders(cases: list[dict], batch_timeout: float, row_timeout: float):
    """Returns (scores, errors, seconds, notes).  scores[i] is None when the row hung or crashed."""
    scores: list[float | None] = [None] * len(cases)
    errors: list[list[str]] = [[] for _ in cases]
    notes: list[str] = []
    seconds = 0.0

    def solve(idx: list[int], depth: int) -> None:
        nonlocal seconds
        limit = batch_timeout if depth == 0 else max(row_timeout, row_timeout * 0.25 * len(idx))
        out = _graders_child([cases[i] for i in idx], limit)
        if out.get("ok"):
            seconds += out.get("seconds", 0.0)
            for j, i in enumerate(idx):
                scores[i] = out["scores"][j]
                errors[i] = out["errors"][j] if j < len(out["errors"]) else []
            return
        if len(idx) == 1:
            i = idx[0]
            why = "timed out" if out.get("timeout") else "crashed"
            errors[i] = [f"score() {why} on this row"]
            notes.append(f"{cases[i]['id']}: score() {why}" + ("" if out.get("timeout") else f"\n{out.get('traceback', '')[-1500:]}"))
            return
        if depth == 0:
            why = "timed out" if out.get("timeout") else "failed"
            notes.append(f"whole-set score() {why}; bisecting" + ("" if out.get("timeout") else f"\n{out.get('traceback', '')[-1500:]}"))
        mid = len(idx) // 2
        solve(idx[:mid], depth + 1)
        solve(idx[mid:], depth + 1)

    solve(list(range(len(cases))), 0)
    return scores, errors, seconds, notes


# --------------------------------------------------------------------------
# report


def _machine() -> str:
    model = "unknown"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{model}, nproc {os.cpu_count()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average at the end {load} "
        "(other jobs share this machine, so the times are indicative)"
    )


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for pkg in ("math-verify", "latex2sympy2_extended", "sympy", "graders"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            parts.append(f"{pkg} (not installed)")
    return ", ".join(parts)


def _tail(text: str, n: int = 220) -> str:
    text = text if len(text) <= n else "…" + text[-n:]
    return text.replace("\n", "⏎ ").replace("|", "\\|")


def _cell(text: str, n: int = 120) -> str:
    text = text if len(text) <= n else text[:n] + "…"
    return text.replace("\n", "⏎ ").replace("|", "\\|")


def write_reports(cases, mv, mv_seconds, mv_timeouts, gr, gr_note, args) -> str:
    cats: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cases):
        cats[c["category"]].append(i)
    order = sorted(cats)

    gr_scores = gr[0] if gr else None
    gr_pass = [s == 1.0 for s in gr_scores] if gr_scores is not None else None

    lines = []
    lines.append("# Answer-equivalence set: graders `math` vs math-verify\n")
    lines.append(
        f"{len(cases)} labeled rows in `tests/data/equivalence/` "
        f"({sum(c['expected'] for c in cases)} true, {sum(not c['expected'] for c in cases)} false), "
        f"{len(order)} categories. Agreement = share of rows where the grader's pass/fail equals the label; "
        "FP = rows labeled false that the grader passed (wrong credit, the costly error in RL); "
        "FN = rows labeled true that it failed.\n"
    )
    lines.append(f"- Machine: {_machine()}")
    lines.append(f"- Versions: {_versions()}")
    lines.append(f"- Rerun: `{args.command}`")
    lines.append(f"- Date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    lines.append("")
    lines.append(
        "math-verify is scored as TRL's `accuracy_reward` does (gold: `parse(reference)`; completion: "
        "LaTeX-only extraction, boxed first, `try_extract_without_anchor=False`; unparseable gold = not a pass). "
        "`mv gold` says which gold variant scored better in that category: `as given` or `$..$` "
        "(the reference wrapped in `$...$`); ties show `as given`.\n"
    )
    if gr_scores is None:
        lines.append(f"**graders side not run:** {gr_note}\n")
    else:
        lines.append(f"graders config: `{json.dumps(GRADER_CONFIG)}`; a row passes when its score is 1.0.\n")

    head = "| category | n | true/false | graders agree | graders FP | graders FN | math-verify agree | mv FP | mv FN | mv gold |"
    lines.append(head)
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")

    tot = defaultdict(int)
    variant_totals = {"as_given": 0, "dollar_wrapped": 0}
    for cat in order:
        idx = cats[cat]
        n = len(idx)
        nt = sum(cases[i]["expected"] for i in idx)
        best_v, best_agree = None, -1
        for v in ("as_given", "dollar_wrapped"):
            agree = sum(mv[v][i] == cases[i]["expected"] for i in idx)
            variant_totals[v] += agree
            if agree > best_agree:
                best_v, best_agree = v, agree
        mv_fp = sum(mv[best_v][i] and not cases[i]["expected"] for i in idx)
        mv_fn = sum((not mv[best_v][i]) and cases[i]["expected"] for i in idx)
        if gr_pass is not None:
            g_agree = sum(gr_pass[i] == cases[i]["expected"] for i in idx)
            g_fp = sum(gr_pass[i] and not cases[i]["expected"] for i in idx)
            g_fn = sum((not gr_pass[i]) and cases[i]["expected"] for i in idx)
            gcells = f"{pct(g_agree, n)} | {g_fp} | {g_fn}"
            tot["g_agree"] += g_agree
            tot["g_fp"] += g_fp
            tot["g_fn"] += g_fn
        else:
            gcells = "- | - | -"
        tot["n"] += n
        tot["nt"] += nt
        tot["mv_agree"] += best_agree
        tot["mv_fp"] += mv_fp
        tot["mv_fn"] += mv_fn
        label = "as given" if best_v == "as_given" else "$..$"
        lines.append(f"| {cat} | {n} | {nt}/{n - nt} | {gcells} | {pct(best_agree, n)} | {mv_fp} | {mv_fn} | {label} |")
    n = tot["n"]
    gtot = f"{pct(tot['g_agree'], n)} | {tot['g_fp']} | {tot['g_fn']}" if gr_pass is not None else "- | - | -"
    lines.append(
        f"| **overall** | {n} | {tot['nt']}/{n - tot['nt']} | {gtot} | {pct(tot['mv_agree'], n)} | "
        f"{tot['mv_fp']} | {tot['mv_fn']} | best per category |"
    )
    lines.append("")
    lines.append(
        f"math-verify with a single gold variant for every row: as given {pct(variant_totals['as_given'], n)}, "
        f"`$..$`-wrapped {pct(variant_totals['dollar_wrapped'], n)}."
    )
    best = {}
    for cat in order:
        idx = cats[cat]
        best[cat] = max(("as_given", "dollar_wrapped"), key=lambda v: sum(mv[v][i] == cases[i]["expected"] for i in idx))
    fn_unboxed = sum(
        1 for i, c in enumerate(cases)
        if c["expected"] and not mv[best[c["category"]]][i] and "\\boxed" not in c["completion"]
    )
    lines.append(
        f"Of math-verify's {tot['mv_fn']} false negatives, {fn_unboxed} are rows whose completion has no `\\boxed` "
        "(\"The answer is X\", \"Final answer: X\", \"#### X\", `<answer>` tags, bare answers): TRL's "
        "completion config reads LaTeX anchors only, so those are refused by design rather than misjudged."
    )
    lines.append("")
    lines.append(PROVENANCE)
    lines.append("## Time and safety\n")
    lines.append(f"- math-verify: {mv_seconds:.1f} s for {len(cases)} rows (one process, sequential, both gold variants); "
                 f"rows killed after {args.row_timeout:g} s: {', '.join(mv_timeouts) or 'none'}.")
    if gr is not None:
        lines.append(f"- graders: {gr[2]:.1f} s inside `score()` for the set (one call, default settings).")
        for note in gr[3]:
            lines.append(f"- graders: {note.splitlines()[0]}")
    lines.append(f"- `{SENTINEL}` (touched by the code-injection payloads if anything evaluated them): "
                 f"{'CREATED — a side evaluated completion text' if SENTINEL.exists() else 'not created'}.")
    lines.append("")

    # math-verify disagreements (brief), to help whoever reviews the labels.
    lines.append("## math-verify disagreements (best gold variant per category)\n")
    lines.append("| id | expected | got | reference | completion tail |")
    lines.append("|---|---|---|---|---|")
    for cat in order:
        idx = cats[cat]
        best_v = max(("as_given", "dollar_wrapped"), key=lambda v: sum(mv[v][i] == cases[i]["expected"] for i in idx))
        for i in idx:
            if mv[best_v][i] != cases[i]["expected"]:
                c = cases[i]
                lines.append(f"| {c['id']} | {c['expected']} | {mv[best_v][i]} | `{_cell(c['reference'], 60)}` | {_tail(c['completion'], 120)} |")
    lines.append("")
    (HERE / RESULTS_NAME).write_text("\n".join(lines), encoding="utf-8")

    # graders disagreements
    d = ["# graders `math` disagreements with the labels\n"]
    if gr_scores is None:
        d.append(f"graders side not run: {gr_note}\n")
    else:
        d.append(f"Generated by `{args.command}`. FP = credited a row labeled false; FN = refused a row labeled true.\n")
        if all(gr_pass[i] == c["expected"] for i, c in enumerate(cases)):
            d.append(f"No disagreements: all {len(cases)} rows scored as labeled.\n")
        for cat in order:
            rows = [i for i in cats[cat] if gr_pass[i] != cases[i]["expected"]]
            if not rows:
                continue
            d.append(f"## {cat} ({len(rows)})\n")
            for i in rows:
                c = cases[i]
                kind = "FP" if gr_pass[i] else "FN"
                errs = "; ".join(gr[1][i])[:400] if gr[1][i] else ""
                d.append(f"- **{c['id']}** {kind} (expected {c['expected']}, score {gr_scores[i]}) — {c['note']}")
                d.append(f"  - reference: `{_cell(c['reference'], 200)}`")
                d.append(f"  - completion tail: `{_tail(c['completion'])}`")
                if errs:
                    d.append(f"  - errors: {_cell(errs, 400)}")
            d.append("")
    (HERE / DISAGREEMENTS_NAME).write_text("\n".join(d), encoding="utf-8")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["math-verify", "graders"], help="score one side only")
    ap.add_argument("--row-timeout", type=float, default=20.0, help="seconds per row (math-verify; graders bisection)")
    ap.add_argument("--batch-timeout", type=float, default=600.0, help="seconds for the whole-set graders call")
    ap.add_argument("--category", action="append", help="only these categories (repeatable)")
    ap.add_argument("--set", choices=["main", "heldout"], default="main",
                    help="heldout: the independent set in tests/data/equivalence_heldout (never used while building the math kind)")
    args = ap.parse_args(argv)
    if args.set == "heldout":
        global DATA, PROVENANCE, RESULTS_NAME, DISAGREEMENTS_NAME
        DATA = HELDOUT_DATA
        PROVENANCE = HELDOUT_PROVENANCE
        RESULTS_NAME, DISAGREEMENTS_NAME = "RESULTS_heldout.md", "disagreements_heldout.md"
    args.command = ".venv/bin/python benchmarks/equivalence/run.py" + (" " + " ".join(argv if argv is not None else sys.argv[1:]) if (argv or sys.argv[1:]) else "")

    cases = load_cases(DATA)
    if args.category:
        cases = [c for c in cases if c["category"] in args.category]
    if SENTINEL.exists():
        SENTINEL.unlink()
    print(f"{len(cases)} cases", file=sys.stderr)

    mv = {"as_given": [False] * len(cases), "dollar_wrapped": [False] * len(cases)}
    mv_seconds, mv_timeouts = 0.0, []
    if args.only != "graders":
        mv, mv_seconds, mv_timeouts = run_math_verify(cases, args.row_timeout)
        print(f"math-verify done in {mv_seconds:.1f} s", file=sys.stderr)

    gr = None
    gr_note = "skipped (--only math-verify)"
    if args.only != "math-verify":
        ok, msg = graders_available()
        if ok:
            try:
                gr = run_graders(cases, args.batch_timeout, args.row_timeout)
                gr_note = ""
                print(f"graders done in {gr[2]:.1f} s", file=sys.stderr)
            except Exception:
                gr_note = "runner error: " + traceback.format_exc().splitlines()[-1]
        else:
            gr_note = f"`graders.from_dict` with the math kind is not usable yet ({msg})"
            print(gr_note, file=sys.stderr)

    report = write_reports(cases, mv, mv_seconds, mv_timeouts, gr, gr_note, args)
    print(report.split("## math-verify disagreements")[0])
    print(f"graders disagreements: {HERE / DISAGREEMENTS_NAME}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
