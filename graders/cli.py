"""`graders` command line: validate, score, explain, schema, test."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from graders.errors import ConfigError, GraderError
from graders.openai.importer import load_grader_file
from graders.present import format_tree, merge_usage, plural, summary_table


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


# -- rows in / out -----------------------------------------------------------------
class RowReadError:
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message


def read_rows(path: str, info: dict[str, Any] | None = None) -> Iterator[tuple[Any, Any] | RowReadError]:
    """JSONL rows `{"item": {...}, "sample": {...} | "text"}`, one result per input line.

    Bytes are decoded line by line, so a bad byte, a blank line or a line that
    is not a row object costs that line only (a RowReadError in its place).
    `info["json_array"]` is set when the first line opens a JSON array.
    """
    fh: BinaryIO = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    try:
        for lineno, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield RowReadError(lineno, f"line {lineno}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} "
                                           f"at column {exc.start + 1})")
                continue
            if not line.strip():
                yield RowReadError(lineno, f"line {lineno}: blank line; expected a JSON object")
                continue
            if lineno == 1 and info is not None and line.lstrip().startswith("["):
                info["json_array"] = True
            try:
                row = json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield RowReadError(lineno, f"line {lineno}: not valid JSON: {exc}")
                continue
            if not isinstance(row, dict) or "sample" not in row:
                yield RowReadError(lineno, f"line {lineno}: expected an object with `sample` (and `item`)")
                continue
            yield row["sample"], row.get("item", {})
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


JSONL_HINT = "expected JSONL, one JSON object per line (this looks like a JSON array: write one row per line)"

class Progress:
    """A progress line on stderr (only when stderr is a terminal, or forced)."""

    def __init__(self, total: int | None, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.t0 = time.perf_counter()
        self.done = 0

    def update(self, k: int) -> None:
        self.done += k
        if not self.enabled:
            return
        rate = self.done / max(time.perf_counter() - self.t0, 1e-9)
        if self.total:
            frac = self.done / self.total
            bar = "#" * int(frac * 30)
            sys.stderr.write(f"\r[{bar:<30}] {self.done}/{self.total} rows  {rate:,.0f} rows/s")
        else:
            sys.stderr.write(f"\r{self.done} rows  {rate:,.0f} rows/s")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _count_lines(path: str) -> int | None:
    if path == "-":
        return None
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


# -- commands -----------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.graders:
        try:
            g = load_grader_file(path)  # a graders YAML, or an OpenAI grader .json
        except ConfigError as exc:
            failed += 1
            _err(str(exc))
            continue
        nodes = len(g.explain_plan().splitlines())
        print(f"ok: {path} ({g.name}, {plural(nodes, 'node')})")
    return 1 if failed else 0


def _configure_judges(args: argparse.Namespace) -> None:
    from graders.judge.settings import configure_from_args

    configure_from_args(args)


def cmd_score(args: argparse.Namespace) -> int:
    import numpy as np

    from graders._types import ERROR, RowError
    from graders.result import ScoreResult

    _configure_judges(args)
    g = load_grader_file(args.grader)
    try:
        total = _count_lines(args.input)
    except OSError as exc:
        _err(f"graders score: cannot read input {args.input}: {exc.strerror or exc}")
        return 2
    try:
        out: TextIO = sys.stdout if args.output in (None, "-") else open(args.output, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        _err(f"graders score: cannot write output {args.output}: {exc.strerror or exc}")
        return 2
    progress = Progress(total, enabled=not args.quiet and (args.progress or sys.stderr.isatty()))
    all_scores: list[np.ndarray] = []
    all_status: list[np.ndarray] = []
    comp_sums: dict[str, list[float]] = {}
    usage: dict[str, Any] = {}
    counters: dict[str, int] = {}
    t0 = time.perf_counter()

    def flush(batch: list[Any]) -> None:
        good = [(i, r) for i, r in enumerate(batch) if not isinstance(r, RowReadError)]
        res: ScoreResult | None = g.score([r[0] for _, r in good], [r[1] for _, r in good]) if good else None
        pos = {i: k for k, (i, _) in enumerate(good)}
        scores = np.zeros(len(batch))
        status = np.full(len(batch), ERROR, dtype=np.int8)
        for i, r in enumerate(batch):
            if isinstance(r, RowReadError):
                row = {"score": 0.0, "components": {}, "status": "error",
                       "errors": [RowError("bad_row", "<input>", r.message).to_dict()]}
            else:
                assert res is not None
                k = pos[i]
                row = res.row(k)
                scores[i], status[i] = res.scores[k], res.status[k]
            # ASCII escapes keep every line valid UTF-8 even when a completion carries
            # lone surrogates ("\ud800" is valid JSON input).
            out.write(json.dumps(row) + "\n")
        if res is not None:
            for name, vals in res.components.items():
                acc = comp_sums.setdefault(name, [0.0, 0])
                finite = vals[~np.isnan(vals)]
                acc[0] += float(finite.sum())
                acc[1] += len(finite)
            for k, v in res.counters.items():
                counters[k] = counters.get(k, 0) + v
            merge_usage(usage, res.usage)
        all_scores.append(scores)
        all_status.append(status)
        progress.update(len(batch))

    batch: list[Any] = []
    info: dict[str, Any] = {}
    try:
        for row in read_rows(args.input, info):
            batch.append(row)
            if len(batch) >= args.batch_size:
                flush(batch)
                batch = []
        if batch:
            flush(batch)
    finally:
        progress.close()
        if out is not sys.stdout:
            out.close()
    elapsed = time.perf_counter() - t0
    scores = np.concatenate(all_scores) if all_scores else np.zeros(0)
    status = np.concatenate(all_status) if all_status else np.zeros(0, dtype=np.int8)
    if not args.quiet:
        _err(summary_table(g.name, scores, status, comp_sums, usage, counters, elapsed))
    if info.get("json_array"):
        _err(f"graders score: {args.input}: {JSONL_HINT}")
        return 1
    if len(status) and bool((status == ERROR).all()):
        _err(f"graders score: every row is an error ({plural(len(status), 'row')}); see the `errors` of each row")
        return 1
    if not len(status) and not args.quiet:
        _err(f"graders score: {args.input} has no rows")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    _configure_judges(args)
    g = load_grader_file(args.grader)
    if args.input is None:
        print(g.explain_plan())
        return 0
    for i, row in enumerate(read_rows(args.input)):
        if i == args.row:
            if isinstance(row, RowReadError):
                _err(row.message)
                return 1
            tree = g.explain(row[0], row[1])
            print(json.dumps(tree, indent=2, ensure_ascii=False) if args.json else format_tree(tree))
            return 0
    _err(f"{args.input}: there is no row {args.row} (rows are numbered from 0)")
    return 1


def cmd_schema(args: argparse.Namespace) -> int:
    from graders.tree import json_schema

    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="graders", description="Declarative, compiled reward functions for RL fine-tuning.")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check grader files; errors name the file, line and tree path")
    v.add_argument("graders", nargs="+")
    v.set_defaults(fn=cmd_validate)

    def judge_flags(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--base-url", help="OpenAI-compatible endpoint for LLM judges (overrides configs and OPENAI_BASE_URL)")
        sp.add_argument("--api-key", help="API key for LLM judges (default: OPENAI_API_KEY)")
        sp.add_argument("--no-cache", action="store_true", help="do not use the on-disk judge response cache")

    s = sub.add_parser("score", help="score a JSONL file of rows; one output line per input row, in order")
    s.add_argument("grader")
    s.add_argument("--input", "-i", required=True, help="JSONL rows {item, sample} ('-' = stdin)")
    s.add_argument("--output", "-o", help="JSONL scores (default stdout)")
    s.add_argument("--batch-size", type=int, default=4096)
    s.add_argument("--progress", action="store_true", help="show the progress bar even when stderr is not a terminal")
    s.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary")
    judge_flags(s)
    s.set_defaults(fn=cmd_score)

    e = sub.add_parser("explain", help="the tree for one row (or the compiled plan when no --input)")
    e.add_argument("grader")
    e.add_argument("--input", "-i")
    e.add_argument("--row", type=int, default=0)
    e.add_argument("--json", action="store_true")
    judge_flags(e)
    e.set_defaults(fn=cmd_explain)

    sc = sub.add_parser("schema", help="print the JSON Schema of grader files")
    sc.add_argument("--output", "-o")
    sc.set_defaults(fn=cmd_schema)

    from graders.serve import add_parser as add_serve_parser  # imports uvicorn only when run

    add_serve_parser(sub)

    from graders.openai.cli import add_parsers as add_openai_parsers  # convert, run-openai

    add_openai_parsers(sub, judge_flags)

    try:
        from graders.testing.cli import add_test_parser
    except ImportError:
        pass
    else:
        add_test_parser(sub, judge_flags)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # completions may hold lone surrogates: never crash printing them
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args) or 0)
    except ConfigError as exc:
        _err(str(exc))
        return 2
    except GraderError as exc:
        _err(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
