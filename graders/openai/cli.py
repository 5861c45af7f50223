"""`graders convert` (OpenAI JSON <-> graders YAML) and `graders run-openai` (the run endpoint, locally)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Block style, keys in order, multi-line strings (python source) as `|` literals."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value and not any(c in value for c in "\r\t") and value == value.rstrip(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(config: dict[str, Any], source: str | None = None) -> str:
    head = f"# converted by `graders convert` from {source}\n" if source else ""
    body = yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    return head + body


def _direction(path: str, to: str | None) -> str:
    if to:
        return to
    if path.endswith((".yaml", ".yml")):
        return "openai"
    return "yaml"


def cmd_convert(args: argparse.Namespace) -> int:
    from graders.openai.exporter import to_openai
    from graders.openai.importer import from_openai, openai_to_config

    to = _direction(args.input, args.to)
    if to == "yaml":
        from_openai(args.input)  # the whole check (templates, judge rules), errors at file:line: never write a bad YAML
        config = openai_to_config(args.input)
        text = to_yaml(config, Path(args.input).name)
    else:
        import graders

        g = graders.load(args.input)
        text = json.dumps(to_openai(g), indent=2, ensure_ascii=False) + "\n"
    if args.output and args.output != "-":
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _json_arg(value: str | None, what: str) -> Any:
    if value is None:
        return None
    if value.lstrip().startswith(("{", "[")):
        text = value
    else:
        try:
            text = Path(value).read_text(encoding="utf-8")
        except OSError as exc:
            raise SystemExit(f"error: cannot read {what} {value}: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise SystemExit(f"error: {what} is not valid JSON: {exc}") from None


def cmd_run_openai(args: argparse.Namespace) -> int:
    from graders.judge.settings import configure_from_args
    from graders.openai.run import run_openai

    configure_from_args(args)
    if args.sample_file:
        sample: Any = Path(args.sample_file).read_text(encoding="utf-8")
    elif args.sample_json:
        sample = _json_arg(args.sample_json, "--sample-json")
    elif args.sample is not None:
        sample = args.sample
    else:
        raise SystemExit("error: give the model's output with --sample TEXT, --sample-file F or --sample-json OBJ")
    item = _json_arg(args.item, "--item") or {}
    grader: Any = args.grader
    if args.grader.endswith((".yaml", ".yml")):
        import graders

        grader = graders.load(args.grader)
    out = run_openai(grader, sample, item)
    sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


def add_parsers(sub: Any, judge_flags: Any = None) -> None:
    """Register `convert` and `run-openai` on the main parser's subparsers."""
    c = sub.add_parser("convert", help="OpenAI grader JSON -> graders YAML, or graders YAML -> OpenAI JSON")
    c.add_argument("input", help="an OpenAI grader .json (-> YAML) or a graders .yaml (-> OpenAI JSON)")
    c.add_argument("--output", "-o", help="output file (default stdout)")
    c.add_argument("--to", choices=["yaml", "openai"], help="direction (default: by the input's extension)")
    c.set_defaults(fn=cmd_convert)

    r = sub.add_parser("run-openai", help="OpenAI's graders/run response for one sample, computed locally")
    r.add_argument("grader", help="an OpenAI grader .json (or a graders .yaml)")
    r.add_argument("--sample", "-s", help="the model's output text (model_sample); JSON text sets output_json")
    r.add_argument("--sample-file", help="read the model's output text from a file")
    r.add_argument("--sample-json", help="a sample object {output_text, output_json, output_tools} (JSON or file)")
    r.add_argument("--item", "-i", help="the dataset row: a JSON file or inline JSON")
    if judge_flags is not None:
        judge_flags(r)
    else:
        r.add_argument("--base-url")
        r.add_argument("--api-key")
        r.add_argument("--no-cache", action="store_true")
    r.set_defaults(fn=cmd_run_openai)
