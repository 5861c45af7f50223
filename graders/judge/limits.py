"""Requests-per-minute and tokens-per-minute limits, shared by every batch in the process.

A reservation-style token bucket: each request reserves one request and its
estimated tokens, and sleeps until the bucket has refilled enough. The state is
plain numbers under a lock (no asyncio objects), so one limiter serves every
batch whatever thread or event loop it runs on, and consecutive batches do not
each get a fresh minute's allowance. Buckets hold at most `BURST_S` seconds of
allowance so that a batch does not open with a minute's worth of requests at
once (providers smooth their limits too).
"""

from __future__ import annotations

import threading
import time

BURST_S = 6.0


class _Bucket:
    def __init__(self, per_minute: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate * BURST_S)
        self.level = self.capacity
        self.t = time.monotonic()

    def reserve(self, amount: float, now: float) -> float:
        self.level = min(self.capacity, self.level + (now - self.t) * self.rate)
        self.t = now
        self.level -= amount
        return 0.0 if self.level >= 0 else -self.level / self.rate

    def refund(self, amount: float) -> None:
        self.level = min(self.capacity, self.level + amount)


class RateLimiter:
    """Reserve capacity with `reserve(tokens)`: returns seconds to wait before sending."""

    def __init__(self, requests_per_minute: float | None, tokens_per_minute: float | None) -> None:
        self._lock = threading.Lock()
        self._req = _Bucket(requests_per_minute) if requests_per_minute else None
        self._tok = _Bucket(tokens_per_minute) if tokens_per_minute else None

    def reserve(self, tokens: int) -> float:
        now = time.monotonic()
        with self._lock:
            wait = 0.0
            if self._req is not None:
                wait = max(wait, self._req.reserve(1, now))
            if self._tok is not None:
                wait = max(wait, self._tok.reserve(tokens, now))
            return wait

    def settle(self, estimated: int, actual: int) -> None:
        """Correct a token reservation once the real usage is known."""
        if self._tok is None or actual == estimated:
            return
        with self._lock:
            if actual < estimated:
                self._tok.refund(estimated - actual)
            else:
                self._tok.level -= actual - estimated


_registry: dict[tuple[str, str, float | None, float | None], RateLimiter] = {}
_registry_lock = threading.Lock()


def limiter_for(base_url: str, model: str, rpm: float | None, tpm: float | None) -> RateLimiter | None:
    if not rpm and not tpm:
        return None
    key = (base_url, model, rpm, tpm)
    with _registry_lock:
        lim = _registry.get(key)
        if lim is None:
            lim = _registry[key] = RateLimiter(rpm, tpm)
        return lim
