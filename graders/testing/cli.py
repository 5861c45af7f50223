"""`graders test`: check graders against labeled examples (and, with --probes, known reward hacks).

Exit status: 0 every threshold met (and, in strict probe mode, no probe earned
reward); 1 a threshold not met or a strict probe earned reward; 2 a usage or
config error (bad grader file, bad labeled file, no examples found).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from typing import Any

from graders.errors import ConfigError, GraderError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_THRESHOLD_FLAGS = [
    ("--min-agreement", "agreement", "minimum share of examples that agree with their label"),
    ("--min-precision", "precision", "minimum precision of 'pass' at the pass threshold"),
    ("--min-recall", "recall", "minimum recall of 'pass' at the pass threshold"),
    ("--min-f1", "f1", "minimum F1 of 'pass' at the pass threshold"),
    ("--max-mae", "mae", "maximum mean absolute error on numeric labels"),
    ("--min-spearman", "spearman", "minimum Spearman correlation on numeric labels"),
]

EPILOG = """\
examples come from the grader file's `tests.examples` and `tests.files`, from
G.labeled.jsonl beside G.yaml, and from --examples. With no threshold set (in
the file's `tests.thresholds` or on the command line) every example must agree
with its label. Exit status: 0 passed, 1 thresholds not met, 2 usage/config error.
"""


def add_test_parser(sub: Any, judge_flags: Callable[[argparse.ArgumentParser], None]) -> argparse.ArgumentParser:
    from graders.testing.probes import PROBE_NAMES

    t = sub.add_parser(
        "test", help="check graders against labeled examples; exit 1 below thresholds",
        description="Score labeled examples, compare with the labels, report agreement metrics and disagreements.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    t.add_argument("graders", nargs="+", metavar="GRADER", help="grader YAML file(s)")
    t.add_argument("--examples", "-e", action="append", default=[], metavar="JSONL",
                   help="labeled examples (repeatable; only with a single grader)")
    t.add_argument("--pass-threshold", type=float, metavar="X",
                   help="scores >= X count as pass (default: the file's tests.pass_threshold, else 0.5)")
    t.add_argument("--tolerance", type=float, metavar="X",
                   help="default allowed |score - expected| for numeric labels (default: tests.tolerance, else 1e-6)")
    for flag, dest, help_ in _THRESHOLD_FLAGS:
        t.add_argument(flag, type=float, dest=f"thr_{dest}", metavar="X", help=help_ + " (overrides the file)")
    t.add_argument("--junit", metavar="PATH", help="write a JUnit XML report (one test case per example)")
    t.add_argument("--html", metavar="PATH", help="write a self-contained HTML report with plots")
    t.add_argument("--json", metavar="PATH", dest="json_out", help="write the metrics and per-row results as JSON")
    t.add_argument("--probes", action="store_true", help="also run the built-in reward-hack probes")
    t.add_argument("--probes-strict", action="store_true",
                   help="run the probes and fail (exit 1) when one earns reward (except tests.probes.allow)")
    t.add_argument("--probe", action="append", choices=PROBE_NAMES, metavar="NAME",
                   help=f"run only these probes (repeatable): {', '.join(PROBE_NAMES)}")
    t.add_argument("--show", type=int, default=20, metavar="N",
                   help="explain and print at most N disagreements (default 20)")
    t.add_argument("--timings", action="store_true",
                   help="time rows one by one to find the slowest (always on with --html)")
    t.add_argument("--timing-budget", type=float, default=2.0, metavar="S",
                   help="seconds allowed for finding the slowest rows (default 2)")
    t.add_argument("--quiet", "-q", action="store_true", help="print only the verdict line per grader")
    judge_flags(t)
    t.set_defaults(fn=run_test_command)
    return t


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def _check_args(args: argparse.Namespace) -> str | None:
    if args.examples and len(args.graders) > 1:
        return "--examples needs a single grader file (put G.labeled.jsonl beside each grader, or list them in tests.files)"
    for name in ("pass_threshold", "tolerance", "timing_budget"):
        v = getattr(args, name, None)
        if v is not None and not math.isfinite(v):
            return f"--{name.replace('_', '-')} must be a finite number"
    if args.tolerance is not None and args.tolerance < 0:
        return "--tolerance must be >= 0"
    for flag, dest, _h in _THRESHOLD_FLAGS:
        v = getattr(args, f"thr_{dest}", None)
        if v is None:
            continue
        lo, hi = (-1.0, 1.0) if dest == "spearman" else (0.0, math.inf if dest == "mae" else 1.0)
        if not (lo <= v <= hi):
            return f"{flag} must be in [{lo:g}, {hi:g}], got {v:g}"
    if args.show < 0:
        return "--show must be >= 0"
    return None


def test_one(path: str, args: argparse.Namespace) -> Any:
    """Load one grader, run its examples (and probes); return the TestRun. Raises ConfigError."""
    import graders
    from graders.openai.importer import is_openai_grader_file
    from graders.testing.examples import collect, convention_paths
    from graders.testing.runner import has_remote_nodes, run_examples, time_rows

    # An OpenAI grader .json runs with OpenAI's semantics; its labels sit beside it as for YAML.
    grader = graders.from_openai(path) if is_openai_grader_file(path) else graders.load(path)
    tests = getattr(grader.spec, "tests", None)
    examples, sources = collect(path, tests, args.examples)
    if not examples:
        conv = convention_paths(path)[0]
        raise ConfigError(f"{path}: no labeled examples found (looked in tests.examples, tests.files and {conv}"
                          + (", --examples" if args.examples else "") + ")")
    overrides = {dest: getattr(args, f"thr_{dest}", None) for _f, dest, _h in _THRESHOLD_FLAGS}
    run = run_examples(grader, examples, tests=tests, pass_threshold=args.pass_threshold, tolerance=args.tolerance,
                       threshold_overrides=overrides, max_trees=args.show, sources=sources)
    if args.html or args.timings:
        if has_remote_nodes(grader) and (args.no_cache or not args.timings):
            run.timing_note = "not measured: the grader calls an LLM judge (use --timings to time it anyway)"
        else:
            samples = [le.example.sample for le in examples]
            items = [le.example.item for le in examples]
            run.row_times, run.timing_note = time_rows(grader, samples, items, budget_s=args.timing_budget)
    if args.probes or args.probes_strict or args.probe:
        from graders.testing.probes import contexts_from_examples, run_probes
        from graders.testing.spec import ProbeSettings

        settings = tests.probes if tests is not None else ProbeSettings()
        contexts, note = contexts_from_examples(grader, examples, run.scores, run.pass_threshold)
        run.probes = run_probes(grader, contexts, run.pass_threshold, names=args.probe, allow=settings.allow,
                                strict=args.probes_strict or settings.strict, note=note)
    return run


def run_test_command(args: argparse.Namespace) -> int:
    problem = _check_args(args)
    if problem:
        _err(f"graders test: {problem}")
        return EXIT_USAGE
    from graders.judge.settings import configure_from_args
    from graders.testing.report import text_report

    configure_from_args(args)
    runs = []
    usage_error = False
    t0 = time.perf_counter()
    for path in args.graders:
        try:
            run = test_one(path, args)
        except ConfigError as exc:
            _err(str(exc))
            usage_error = True
            continue
        except GraderError as exc:
            _err(f"{path}: error: {exc}")
            usage_error = True
            continue
        runs.append(run)
    if runs:  # reports first: they must exist even if stdout is a closed pipe
        try:
            if args.junit:
                from graders.testing.junit import write_junit

                write_junit(args.junit, runs)
            if args.html:
                from graders.testing.html import write_html

                write_html(args.html, runs)
            if args.json_out:
                import json

                from graders.testing.report import json_report

                with open(args.json_out, "w", encoding="utf-8", errors="backslashreplace") as fh:
                    json.dump({"runs": [json_report(r) for r in runs]}, fh, indent=1, default=str)
        except OSError as exc:
            _err(f"graders test: cannot write report: {exc}")
            return EXIT_USAGE
    failed = [r for r in runs if not r.passed]
    try:
        for run in runs:
            if args.quiet:
                verdict = "PASSED" if run.passed else "FAILED"
                print(f"{verdict}: {run.grader_name} ({run.grader_source}): agreement {run.metrics.n_agree}/{run.metrics.n}")
            else:
                print(text_report(run, show=args.show, color=sys.stdout.isatty()))
                print()
        if len(args.graders) > 1 and not args.quiet:
            print(f"graders test: {len(runs) - len(failed)} passed, {len(failed)} failed"
                  + (f", {len(args.graders) - len(runs)} not run (errors above)" if usage_error else "")
                  + f" in {time.perf_counter() - t0:.2f}s")
        sys.stdout.flush()
    except BrokenPipeError:  # `graders test ... | head`: keep the exit status
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if usage_error:
        return EXIT_USAGE
    return EXIT_FAILED if failed else EXIT_OK
