"""LLM judges: the `score_model` and `label_model` kinds' engine.

    graders.judge.config       shared config fields and load-time checks (no openai import)
    graders.judge.prompt       templated messages, untrusted-sample delimiters, output contract
    graders.judge.parse        reading a score or a label from a reply (fallback order)
    graders.judge.node         the compiled PlanNode: render, dedupe, cache, call, parse, reduce
    graders.judge.runner       concurrent calls: limits, retries with backoff, timeouts, deadline
    graders.judge.transport    a lean HTTP/1.1 transport for plain-http endpoints
    graders.judge.cache        the on-disk response cache
    graders.judge.limits       requests/tokens per minute
    graders.judge.pricing      token prices for the cost estimate
    graders.judge.settings     configure_judges(): process-wide overrides
    graders.judge.fake_server  alias of graders.testing.fake_server (the local OpenAI-compatible test server)

Importing this package is cheap: openai and httpx2 load when a judge first runs.
"""

from __future__ import annotations

from graders.judge.settings import JudgeConfigError, configure_judges, overrides, reset_judges

__all__ = ["JudgeConfigError", "configure_judges", "overrides", "reset_judges"]
