"""graders vs math-verify on answer pairs we did not write (issue 8).

    .venv/bin/python benchmarks/equivalence/run_external.py                # dev sets, writes the reports
    .venv/bin/python benchmarks/equivalence/run_external.py /work/heldout  # any files or folders
    .venv/bin/python benchmarks/equivalence/run_external.py --json out.json --no-math-verify

Sets (a folder means every *.jsonl under it, e.g. `/work/heldout`; a row's
set is the folder its file is in):

- tests/data/external_equivalence/: pairs asserted by other projects' unit
  tests, rows {id, source, prediction, gold, label, convention, category, ...};
  grouped by file (one file per source project).
- tests/data/realistic/: seeded realistic completions, rows
  {id, style, completion, gold, label, why}; grouped by style.

Scorers, each row scored against `label` (a pass is a verdict of true):

- graders-default: `graders.from_dict({"grader": {"type": "math",
  "reference": "{{ item.gold }}"}})` (no `extract:` line, what most users
  write); one `.score(predictions, items)` call per batch of rows.
- graders-auto: the same with `"extract": "auto"`.
- math-verify, the way its README and its users call it:
  `verify(parse(gold), parse(prediction))` with the default extraction
  configs (LaTeX and plain expressions, boxed first) and math-verify's own
  parsing/verify timeouts; the prediction exactly as the row gives it.
  Two gold forms: `mv-plain` passes the gold as given; `mv-dollar` passes
  `"$" + gold + "$"` (what TRL/open-r1 do so that a bare LaTeX gold is read
  as LaTeX). An exception or an empty parse of the gold counts as false.
  Rows run one by one in a worker process; a row that outlives
  `--row-timeout` is killed and counted as false.

Rows with a `convention` tag (a tool's own convention or option rather than
mathematical equivalence) are tabled apart and left out of the headline
agreement. The runner also lists every row where graders-default and
graders-auto disagree (issue 8 asks for none).

graders is imported the usual way (this checkout). To score a committed
tree while the working tree has edits in progress:
`git archive HEAD graders | tar -x -C /tmp/g && PYTHONPATH=/tmp/g .venv/bin/python
benchmarks/equivalence/run_external.py` (the report names where graders was
imported from).

Outputs (default sets only, or with --md): RESULTS_external.md and
external_misses.md beside this file; --json writes every verdict.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import shlex
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from _common import run_rows_in_worker

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_SETS = [ROOT / "tests" / "data" / "external_equivalence", ROOT / "tests" / "data" / "realistic"]
SCORERS = ("graders-default", "graders-auto", "mv-plain", "mv-dollar")
CONFIGS = {
    "graders-default": {"grader": {"type": "math", "reference": "{{ item.gold }}"}},
    "graders-auto": {"grader": {"type": "math", "reference": "{{ item.gold }}", "extract": "auto"}},
}


# --------------------------------------------------------------------------
# loading


def load(paths: list[Path]) -> list[dict]:
    """Rows from every *.jsonl under `paths`, normalised to
    {set, group, id, prediction, gold, label, convention, category, note}."""
    rows: list[dict] = []
    for base in paths:
        files = sorted(base.rglob("*.jsonl")) if base.is_dir() else [base]
        for path in files:
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                r = json.loads(line)
                realistic = "completion" in r and "prediction" not in r
                rows.append({
                    "set": path.parent.name,
                    "group": (f"{path.stem}:{r['style']}" if realistic else path.stem),
                    "file": str(path),
                    "line": n,
                    "id": r["id"],
                    "prediction": r["completion"] if realistic else r["prediction"],
                    "gold": r["gold"],
                    "label": bool(r["label"]),
                    "convention": r.get("convention"),
                    "category": r.get("category") or r.get("style") or "",
                    "note": r.get("label_note") or r.get("why") or "",
                })
    return rows


# --------------------------------------------------------------------------
# graders


def run_graders(rows: list[dict], batch: int) -> tuple[dict[str, list[bool | None]], dict[str, float], dict[str, list[str]]]:
    import graders

    verdicts: dict[str, list[bool | None]] = {}
    seconds: dict[str, float] = {}
    errors: dict[str, list[str]] = {}
    for name, config in CONFIGS.items():
        grader = graders.from_dict(config)
        out: list[bool | None] = [None] * len(rows)
        errs = [""] * len(rows)
        t0 = time.perf_counter()
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            res = grader.score([r["prediction"] for r in chunk], [{"gold": r["gold"]} for r in chunk])
            for j, s in enumerate(res.scores):
                out[start + j] = float(s) == 1.0
                e = res.errors[j] if res.errors else None
                if e:
                    errs[start + j] = "; ".join(str(x) for x in e)[:300]
        seconds[name] = time.perf_counter() - t0
        verdicts[name] = out
        errors[name] = errs
    return verdicts, seconds, errors


# --------------------------------------------------------------------------
# math-verify


def _mv_worker(inbox: mp.Queue, outbox: mp.Queue) -> None:
    import logging

    logging.disable(logging.CRITICAL)
    from math_verify import parse, verify

    def one(gold_text: str, pred_parsed) -> bool:
        try:
            gold = parse(gold_text)
            if not gold:
                return False
            return bool(verify(gold, pred_parsed))
        except BaseException:  # math-verify's timeout exception is a BaseException
            return False

    outbox.put("ready")
    while True:
        job = inbox.get()
        if job is None:
            return
        idx, gold, prediction = job
        try:
            pred = parse(prediction)
        except BaseException:
            pred = []
        outbox.put((idx, one(gold, pred), one("$" + gold + "$", pred)))


def run_math_verify(rows: list[dict], row_timeout: float) -> tuple[dict[str, list[bool]], float, list[str]]:
    answers, seconds = run_rows_in_worker(_mv_worker, [(r["gold"], r["prediction"]) for r in rows], row_timeout)
    plain = [bool(a and a[0]) for a in answers]
    dollar = [bool(a and a[1]) for a in answers]
    killed = [r["id"] for r, a in zip(rows, answers, strict=True) if a is None]
    return {"mv-plain": plain, "mv-dollar": dollar}, seconds, killed


# --------------------------------------------------------------------------
# report


def _cell(text: str, n: int = 140, tail: bool = False) -> str:
    if len(text) > n:
        text = ("…" + text[-n:]) if tail else (text[:n] + "…")
    return text.replace("\n", "⏎ ").replace("|", "\\|").replace("`", "'")


def _counts(rows: list[dict], idx: list[int], verdicts: dict) -> dict:
    out = {"n": len(idx), "true": sum(rows[i]["label"] for i in idx)}
    for s in SCORERS:
        v = verdicts.get(s)
        if v is None:
            continue
        agree = sum(v[i] == rows[i]["label"] for i in idx)
        out[s] = {
            "agree": agree,
            "agree_pct": round(100.0 * agree / len(idx), 1) if idx else None,
            "fp": sum(bool(v[i]) and not rows[i]["label"] for i in idx),
            "fn": sum((not v[i]) and rows[i]["label"] for i in idx),
        }
    return out


def summarise(rows: list[dict], verdicts: dict) -> dict:
    by_group: dict[str, list[int]] = defaultdict(list)
    conv_by_group: dict[str, list[int]] = defaultdict(list)
    by_set: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        (conv_by_group if r["convention"] else by_group)[r["group"]].append(i)
        if not r["convention"]:
            by_set[r["set"]].append(i)
    return {
        "groups": {g: _counts(rows, idx, verdicts) for g, idx in sorted(by_group.items())},
        "sets": {s: _counts(rows, idx, verdicts) for s, idx in sorted(by_set.items())},
        "conventions": {g: _counts(rows, idx, verdicts) for g, idx in sorted(conv_by_group.items())},
    }


def _table(title: str, block: dict, present: list[str]) -> list[str]:
    head = "| " + title + " | n | true/false | " + " | ".join(f"{s} agree | FP | FN" for s in present) + " |"
    lines = [head, "|---|---:|---:|" + "---:|---:|---:|" * len(present)]
    for name, c in block.items():
        cells = " | ".join(f"{c[s]['agree_pct']:.1f}% | {c[s]['fp']} | {c[s]['fn']}" for s in present)
        lines.append(f"| {name} | {c['n']} | {c['true']}/{c['n'] - c['true']} | {cells} |")
    return lines


def machine() -> str:
    model = "unknown"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    up = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return f"{model}, nproc {os.cpu_count()}, Python {platform.python_version()}; `uptime` at the end: {up}"


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for pkg in ("graders", "math-verify", "latex2sympy2_extended", "sympy"):
        try:
            parts.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            parts.append(f"{pkg} (not installed)")
    try:
        import graders

        src = Path(graders.__file__).resolve().parent
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        if src.is_relative_to(ROOT):
            dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "graders"],
                                   capture_output=True, text=True).stdout.strip()
            parts.append(f"graders from this checkout at {head}" + (" with uncommitted changes in graders/" if dirty else ""))
        else:
            parts.append(f"graders imported from {src} (PYTHONPATH); checkout HEAD {head}")
    except (OSError, ImportError):
        pass
    return ", ".join(parts)


def disagreements_default_auto(rows: list[dict], verdicts: dict) -> list[int]:
    d, a = verdicts.get("graders-default"), verdicts.get("graders-auto")
    if d is None or a is None:
        return []
    return [i for i in range(len(rows)) if d[i] != a[i]]


def write_results(path: Path, rows, verdicts, summary, timing, killed, command, present, note: str = "") -> str:
    lines = ["# graders vs math-verify on answer pairs we did not write\n"]
    lines.append(
        "Agreement with our judged labels (`label`); FP = credited a pair judged false (the costly error in RL), "
        "FN = refused a pair judged true. Rows tagged with a tool convention are tabled apart at the end and are "
        "not in the headline figures. How each side is called: see the docstring of `run_external.py`.\n"
    )
    lines.append(f"- Command: `{command}`")
    if note:
        lines.append(f"- Note: {note}")
    lines.append(f"- Date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    lines.append(f"- Machine: {machine()}")
    lines.append(f"- Versions: {versions()}")
    lines.append("- Time: " + ", ".join(f"{k} {v:.1f} s" for k, v in timing.items())
                 + (f"; math-verify rows killed: {', '.join(killed)}" if killed else ""))
    lines.append("")
    lines.append("## Per set (convention rows excluded)\n")
    lines += _table("set", summary["sets"], present)
    lines.append("")
    lines.append("## Per source / style (convention rows excluded)\n")
    lines += _table("source", summary["groups"], present)
    lines.append("")
    lines.append("## Rows that test a tool's own convention (reported apart)\n")
    lines += _table("source", summary["conventions"], present) if summary["conventions"] else ["none"]
    conv_counts: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["convention"]:
            conv_counts[r["convention"].split(":")[0]] += 1
    if conv_counts:
        lines.append("")
        lines.append("Tags: " + ", ".join(f"`{k}` {v}" for k, v in sorted(conv_counts.items())))
    lines.append("")
    dis = disagreements_default_auto(rows, verdicts)
    lines.append("## graders default config vs `extract: auto`\n")
    if "graders-default" not in verdicts:
        lines.append("graders not run.")
    elif not dis:
        lines.append(f"Same verdict on all {len(rows)} rows.")
    else:
        lines.append(f"Different verdicts on {len(dis)} of {len(rows)} rows:\n")
        lines.append("| id | label | default | auto | gold | prediction (tail) |")
        lines.append("|---|---|---|---|---|---|")
        for i in dis:
            r = rows[i]
            lines.append(f"| {r['id']} | {r['label']} | {verdicts['graders-default'][i]} | {verdicts['graders-auto'][i]} | "
                         f"`{_cell(r['gold'], 50)}` | {_cell(r['prediction'], 120, tail=True)} |")
    lines.append("")
    lines.append("graders' misses, row by row: `external_misses.md`.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "\n".join(lines)


def write_misses(path: Path, rows, verdicts, errors, command) -> None:
    if "graders-default" not in verdicts:
        return
    d = ["# graders' misses on the external and realistic development sets\n"]
    d.append(f"Generated by `{command}`. For the helpers working on extraction and the math parser: every row "
             "where graders' default config (`{type: math}`, no `extract:`) or `extract: auto` disagrees with the "
             "judged label. FP rows first (credit for a wrong answer), then FN. `mv` = math-verify's verdict "
             "(plain gold / `$gold$`). Convention-tagged rows are marked.\n")
    for kind in ("FP", "FN"):
        by_group: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            dv, av = verdicts["graders-default"][i], verdicts["graders-auto"][i]
            wrong = (dv != r["label"]) or (av != r["label"])
            if not wrong:
                continue
            is_fp = (dv and not r["label"]) or (av and not r["label"])
            if (kind == "FP") == bool(is_fp):
                by_group[r["group"]].append(i)
        total = sum(len(v) for v in by_group.values())
        d.append(f"## {kind} ({total})\n")
        for g in sorted(by_group):
            d.append(f"### {g} ({len(by_group[g])})\n")
            for i in by_group[g]:
                r = rows[i]
                mv = "/".join(str(verdicts[s][i])[0] for s in ("mv-plain", "mv-dollar") if s in verdicts)
                conv = f" — convention `{r['convention'].split(':')[0]}`" if r["convention"] else ""
                d.append(f"- **{r['id']}** label {r['label']}: default {verdicts['graders-default'][i]}, "
                         f"auto {verdicts['graders-auto'][i]}, mv {mv or '-'} [{r['category']}]{conv}")
                d.append(f"  - gold: `{_cell(r['gold'], 200)}`")
                d.append(f"  - prediction: `{_cell(r['prediction'], 260, tail=len(r['prediction']) > 260)}`")
                if r["note"]:
                    d.append(f"  - note: {_cell(r['note'], 200)}")
                err = errors.get("graders-default", [""] * len(rows))[i] or errors.get("graders-auto", [""] * len(rows))[i]
                if err:
                    d.append(f"  - graders error: {_cell(err, 200)}")
            d.append("")
    path.write_text("\n".join(d) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", type=Path, help="JSONL files or folders (default: the two dev sets)")
    ap.add_argument("--json", type=Path, help="write every verdict and the summary here")
    ap.add_argument("--md", action="store_true", help="write RESULTS_external.md / external_misses.md even for custom paths")
    ap.add_argument("--results", type=Path, default=HERE / "RESULTS_external.md")
    ap.add_argument("--misses", type=Path, default=HERE / "external_misses.md")
    ap.add_argument("--no-math-verify", action="store_true")
    ap.add_argument("--no-graders", action="store_true")
    ap.add_argument("--batch", type=int, default=256, help="rows per graders score() call")
    ap.add_argument("--row-timeout", type=float, default=30.0, help="seconds per math-verify row before it is killed")
    ap.add_argument("--note", default="", help="a line for the report, e.g. which graders tree was scored")
    args = ap.parse_args(argv)
    raw = sys.argv[1:] if argv is None else argv
    command = ".venv/bin/python benchmarks/equivalence/run_external.py" + ("" if not raw else " " + shlex.join(raw))
    if os.environ.get("PYTHONPATH"):
        command = f"PYTHONPATH={os.environ['PYTHONPATH']} " + command

    paths = args.paths or DEFAULT_SETS
    rows = load([p.resolve() for p in paths])
    print(f"{len(rows)} rows from {', '.join(str(p) for p in paths)}", file=sys.stderr)

    verdicts: dict[str, list] = {}
    timing: dict[str, float] = {}
    errors: dict[str, list[str]] = {}
    killed: list[str] = []
    if not args.no_graders:
        v, secs, errors = run_graders(rows, args.batch)
        verdicts.update(v)
        timing.update({k: s for k, s in secs.items()})
    if not args.no_math_verify:
        v, secs, killed = run_math_verify(rows, args.row_timeout)
        verdicts.update(v)
        timing["math-verify (both gold forms)"] = secs
    present = [s for s in SCORERS if s in verdicts]
    summary = summarise(rows, verdicts)

    dis = disagreements_default_auto(rows, verdicts)
    if dis:
        print(f"graders default vs extract:auto differ on {len(dis)} rows:", file=sys.stderr)
        for i in dis:
            r = rows[i]
            print(f"  {r['id']}: label {r['label']} default {verdicts['graders-default'][i]} auto {verdicts['graders-auto'][i]}",
                  file=sys.stderr)
    elif "graders-default" in verdicts:
        print("graders default and extract:auto agree on every row", file=sys.stderr)

    if args.json:
        args.json.write_text(json.dumps({
            "command": command,
            "summary": summary,
            "default_auto_disagreements": [rows[i]["id"] for i in dis],
            "math_verify_killed": killed,
            "rows": [{"id": r["id"], "group": r["group"], "label": r["label"], "convention": r["convention"],
                      **{s: verdicts[s][i] for s in present}} for i, r in enumerate(rows)],
        }, indent=1, ensure_ascii=False), encoding="utf-8")

    if not args.paths or args.md:
        report = write_results(args.results, rows, verdicts, summary, timing, killed, command, present, args.note)
        write_misses(args.misses, rows, verdicts, errors, command)
        print(report.split("## Rows that test")[0])
    else:
        print(json.dumps(summary["sets"], indent=1))
        print(json.dumps(summary["groups"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
