"""The on-disk judge response cache (SQLite, one file, safe across processes).

Key: SHA-256 of the canonical JSON of everything that decides the judge's
reply: model, the rendered messages (graders' system message included, so the
output contract, range and labels are in it), the sampling params, `n` and
`extra_body`. The endpoint URL is not in the key (the same model behind
another URL answers the same), nor is the response-format mode (the parser
reads both forms).

Value: the reply as received (each choice's text, finish_reason and refusal,
and the token usage). Only what the judge decided is stored: a reply whose
every choice parsed (or is a refusal). Malformed, truncated and otherwise
unusable replies, like transport errors (429, 5xx, timeouts), are not, so a
re-run after an outage asks again. Values are stored as ASCII JSON, so any
text (lone surrogates included) round-trips.

Location: `cache_dir` in the config, else `configure_judges(cache_dir=...)`
(that override wins), else `$GRADERS_CACHE_DIR/judge`, else
`./.graders_cache/judge` under the current directory. The file is
`responses.sqlite3`; delete it to clear the cache. Opt out per judge with
`cache: false`, or everywhere with `graders score --no-cache` /
`configure_judges(cache=False)`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

CACHE_VERSION = 1
FILE_NAME = "responses.sqlite3"
_CHUNK = 500  # keys per SELECT (SQLite's variable limit is 999 on old builds)


def request_key(payload: dict[str, Any]) -> str:
    canon = json.dumps({"v": CACHE_VERSION, **payload}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canon.encode("utf-8", "surrogatepass")).hexdigest()


def default_cache_dir() -> Path:
    env = os.environ.get("GRADERS_CACHE_DIR")
    if env:
        return Path(env) / "judge"
    return Path.cwd() / ".graders_cache" / "judge"


class ResponseCache:
    """A key -> reply map in one SQLite file. Errors degrade to a miss, never crash a batch."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.path = Path(directory) / FILE_NAME
        self.errors: list[str] = []

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL)")
        return conn

    def get_many(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        if not keys:
            return {}
        out: dict[str, dict[str, Any]] = {}
        try:
            conn = self._connect()
            try:
                for i in range(0, len(keys), _CHUNK):
                    chunk = keys[i : i + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    for k, v in conn.execute(f"SELECT key, value FROM replies WHERE key IN ({marks})", chunk):
                        try:
                            out[k] = json.loads(v)
                        except ValueError:
                            continue
            finally:
                conn.close()
        except (sqlite3.Error, OSError, ValueError, TypeError) as exc:  # UnicodeError is a ValueError
            self.errors.append(f"{type(exc).__name__}: {exc}")
        return out

    def put_many(self, items: dict[str, dict[str, Any]]) -> None:
        if not items:
            return
        now = time.time()
        try:
            rows = [(k, json.dumps(v, ensure_ascii=True), now) for k, v in items.items()]
            conn = self._connect()
            try:
                conn.execute("BEGIN")
                conn.executemany("INSERT OR REPLACE INTO replies (key, value, created) VALUES (?, ?, ?)", rows)
                conn.execute("COMMIT")
            finally:
                conn.close()
        except (sqlite3.Error, OSError, ValueError, TypeError) as exc:  # UnicodeError is a ValueError
            self.errors.append(f"{type(exc).__name__}: {exc}")
