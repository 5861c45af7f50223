"""`graders serve G.yaml [more.yaml]`: an HTTP reward server (optional extra `graders[serve]`).

Endpoints (the first grader is the default; others by name):
- `POST /get_reward[/{name}]`: OpenRLHF's remote reward protocol, `{query, prompts,
  labels}` -> `{rewards, scores, extra_logs}` (`--reward.remote_url http://host:port/get_reward`);
- `POST /score[/{name}]`: `{"rows": [{"item": ..., "sample": ...}]}` -> one DESIGN-shaped row each;
- `GET /health`: graders served, requests in flight and waiting.
Runs on uvicorn; SIGINT/SIGTERM stop accepting, finish in-flight requests, then exit.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any

DEFAULT_MAX_BODY = 16 * 1024 * 1024
DEFAULT_MAX_ROWS = 16_384
DEFAULT_MAX_CONCURRENCY = 64
DEFAULT_MAX_QUEUE = 4096


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register `serve` on the CLI's subparsers."""
    p = sub.add_parser("serve", help="HTTP reward server: OpenRLHF /get_reward, /score, /health (needs graders[serve])")
    p.add_argument("graders", nargs="+", metavar="G.yaml",
                   help="grader files (YAML, or OpenAI grader .json); served by name, the first is the default")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="0 picks a free port (see --port-file)")
    p.add_argument("--port-file", help="write the bound port here once listening")
    p.add_argument("--max-body-mb", type=float, default=DEFAULT_MAX_BODY / 2**20, help="larger requests get 413")
    p.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS, help="rows per request; more get 413")
    p.add_argument("--max-concurrency", type=int, default=DEFAULT_MAX_CONCURRENCY,
                   help="requests scored at once; the rest wait")
    p.add_argument("--max-queue", type=int, default=DEFAULT_MAX_QUEUE, help="waiting requests beyond this get 503")
    p.add_argument("--window-ms", type=float, default=2.0, help="how long a batch waits for more rows")
    p.add_argument("--tokenizer", help="a Hugging Face tokenizer dir/name whose special tokens /get_reward strips")
    p.set_defaults(fn=run)
    return p


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from graders.serve.app import build_app
    except ImportError as exc:
        print(f"graders serve needs the `serve` extra: pip install 'graders[serve]' ({exc})", file=sys.stderr)
        return 2
    from graders.errors import ConfigError
    from graders.openai.importer import load_grader_file

    loaded: dict[str, Any] = {}
    for path in args.graders:
        try:
            g = load_grader_file(path)  # a graders YAML, or an OpenAI grader .json
        except ConfigError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        if g.name in loaded:
            print(f"{path}: a grader named {g.name!r} is already served (names come from `name:` or the file name)",
                  file=sys.stderr)
            return 1
        loaded[g.name] = g
    tokenizer = None
    if args.tokenizer:
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(args.tokenizer)
    app = build_app(loaded, max_body=int(args.max_body_mb * 2**20), max_rows=args.max_rows,
                    max_concurrency=args.max_concurrency, max_queue=args.max_queue, window_ms=args.window_ms,
                    tokenizer=tokenizer)
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(2048)  # connections made before uvicorn starts wait in the backlog
    port = sock.getsockname()[1]
    if args.port_file:
        Path(args.port_file).write_text(str(port))
    print(f"graders serve: {', '.join(loaded)} on http://{args.host}:{port} (default {next(iter(loaded))})",
          file=sys.stderr)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=30, access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


__all__ = ["add_parser", "run"]
