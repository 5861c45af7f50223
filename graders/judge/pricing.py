"""Token prices for the judge cost estimate (USD per million tokens).

List prices of OpenAI's documented judge models at the time of writing; they
change, so treat the estimate as an estimate and set `prices:` in the judge
config (or `configure_judges(prices={model: {...}})`) for your contract or
for self-hosted models. A model with no known price is reported under
`unpriced_models` and left out of `estimated_cost_usd`.
"""

from __future__ import annotations

import re

# model prefix -> (input, output, cached input)
DEFAULT_PRICES: dict[str, tuple[float, float, float]] = {
    "gpt-4o-mini": (0.15, 0.60, 0.075),
    "gpt-4o": (2.50, 10.00, 1.25),
    "gpt-4.1-nano": (0.10, 0.40, 0.025),
    "gpt-4.1-mini": (0.40, 1.60, 0.10),
    "gpt-4.1": (2.00, 8.00, 0.50),
    "o1": (15.00, 60.00, 7.50),
    "o3-mini": (1.10, 4.40, 0.55),
    "o3": (2.00, 8.00, 0.50),
    "o4-mini": (1.10, 4.40, 0.275),
    "gpt-5-nano": (0.05, 0.40, 0.005),
    "gpt-5-mini": (0.25, 2.00, 0.025),
    "gpt-5": (1.25, 10.00, 0.125),
}

_PROVIDER = re.compile(r"^(?:[\w.-]+/)+")


def price_for(model: str, overrides: dict[str, dict[str, float]] | None = None,
              config_prices: tuple[float, float, float | None] | None = None) -> tuple[float, float, float] | None:
    """(input, output, cached input) per million tokens, or None when unknown."""
    if config_prices is not None:
        i, o, c = config_prices
        return i, o, i if c is None else c
    if overrides and model in overrides:
        p = overrides[model]
        return float(p["input"]), float(p["output"]), float(p.get("cached_input", p["input"]))
    name = _PROVIDER.sub("", model.strip().lower())
    best = None
    for prefix in DEFAULT_PRICES:
        if (name == prefix or name.startswith(prefix + "-")) and (best is None or len(prefix) > len(best)):
            best = prefix
    return DEFAULT_PRICES[best] if best is not None else None


def cost_usd(price: tuple[float, float, float], prompt_tokens: int, completion_tokens: int, cached_tokens: int = 0) -> float:
    i, o, c = price
    fresh = max(0, prompt_tokens - cached_tokens)
    return (fresh * i + cached_tokens * c + completion_tokens * o) / 1e6
