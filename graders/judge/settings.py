"""Process-wide judge settings: `configure_judges()` overrides, and endpoint resolution.

Precedence for the endpoint and key, highest first:

1. `configure_judges(base_url=..., api_key=...)` (what `graders score --base-url/--api-key` sets);
2. the judge's config: `base_url`, `api_key` / `api_key_env`;
3. the environment, as the openai client reads it: `OPENAI_BASE_URL`, `OPENAI_API_KEY`;
4. the openai client's default (https://api.openai.com/v1).

A judge pointed at a non-OpenAI URL with no key anywhere sends the placeholder
key `EMPTY` (local servers such as vLLM ignore it); against OpenAI itself a
missing key is a `JudgeConfigError` raised before any request is sent.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from graders.errors import GraderError

OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "EMPTY"


class JudgeConfigError(GraderError):
    """A judge cannot run at all (no API key for OpenAI, unusable base URL)."""


@dataclass(frozen=True)
class JudgeOverrides:
    base_url: str | None = None
    api_key: str | None = None
    cache: bool | None = None  # False disables every judge's cache; True/None leave configs alone
    cache_dir: str | None = None
    prices: dict[str, dict[str, float]] = field(default_factory=dict)  # model -> {input, output, cached_input}


_lock = threading.Lock()
_overrides = JudgeOverrides()


def configure_judges(
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    cache: bool | None = None,
    cache_dir: str | None = None,
    prices: dict[str, dict[str, float]] | None = None,
) -> JudgeOverrides:
    """Set process-wide judge overrides; they win over grader configs and the environment.

    Only the arguments given (not None) change. `cache=False` turns every judge's
    disk cache off; `cache=True` leaves each config's own `cache` setting in force.
    Returns the settings now in force. `reset_judges()` clears them.
    """
    global _overrides
    with _lock:
        changes: dict[str, Any] = {}
        if base_url is not None:
            changes["base_url"] = base_url
        if api_key is not None:
            changes["api_key"] = api_key
        if cache is not None:
            changes["cache"] = cache
        if cache_dir is not None:
            changes["cache_dir"] = str(cache_dir)
        if prices is not None:
            changes["prices"] = {**_overrides.prices, **prices}
        _overrides = replace(_overrides, **changes)
        return _overrides


def configure_from_args(args: Any) -> None:
    """Apply a command line's `--base-url`, `--api-key` and `--no-cache` (when given)."""
    if getattr(args, "base_url", None) or getattr(args, "api_key", None) or getattr(args, "no_cache", False):
        configure_judges(base_url=args.base_url, api_key=args.api_key, cache=not args.no_cache)


def reset_judges() -> None:
    """Forget every `configure_judges()` override."""
    global _overrides
    with _lock:
        _overrides = JudgeOverrides()


def overrides() -> JudgeOverrides:
    return _overrides


def resolve_base_url(config_base_url: str | None) -> str:
    o = _overrides
    url = o.base_url or config_base_url or os.environ.get("OPENAI_BASE_URL") or OPENAI_DEFAULT_BASE_URL
    if not url.startswith(("http://", "https://")):
        raise JudgeConfigError(f"judge base_url must start with http:// or https://, got {url!r}")
    return url.rstrip("/")


def resolve_api_key(config_key: str | None, key_env: str | None, base_url: str) -> str:
    o = _overrides
    key = o.api_key or config_key
    if not key:
        env_name = key_env or "OPENAI_API_KEY"
        key = os.environ.get(env_name)
        if not key and key_env is not None:
            raise JudgeConfigError(f"the judge's api_key_env names ${key_env}, which is not set")
    if key:
        return key
    if "api.openai.com" in base_url:
        raise JudgeConfigError(
            "no API key for the OpenAI judge: set OPENAI_API_KEY, or pass --api-key / "
            "configure_judges(api_key=...), or point --base-url at a local OpenAI-compatible server")
    return PLACEHOLDER_KEY


def resolve_cache(config_cache: bool, config_dir: str | None) -> str | None:
    """The cache directory to use, or None when caching is off."""
    from graders.judge.cache import default_cache_dir

    o = _overrides
    if o.cache is False or not config_cache:
        return None
    return o.cache_dir or config_dir or str(default_cache_dir())
