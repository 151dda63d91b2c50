"""Failures on demand and rate limits, answered in each provider's own error shape.

`POST /_sandbox/faults {"provider": "whop", "status": 429, "count": 2, "path": "/cases"}` makes
the next two matching requests to that provider fail; the provider renders the body. Rate limits
count real (monotonic) seconds, not sandbox time: a frozen clock must not freeze a window shut.
"""

from __future__ import annotations

import math
import time
from collections import deque
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Generic, TypeVar

V = TypeVar("V")

# True while an export or a state file is replayed (sandbox/oplog.py): the replayed requests were
# counted when they first arrived, and replaying hundreds of them at once must not trip a window
UNCOUNTED: ContextVar[bool] = ContextVar("sandbox_rate_uncounted", default=False)


@dataclass
class Fault:
    provider: str
    status: int
    count: int = 1
    path: str = ""  # substring of the request path; empty matches every request
    retry_after: int = 1

    def to_json(self) -> dict[str, object]:
        return {
            "provider": self.provider,
            "status": self.status,
            "count": self.count,
            "path": self.path,
            "retry_after": self.retry_after,
        }


class Faults:
    def __init__(self) -> None:
        self.pending: list[Fault] = []

    def add(self, fault: Fault) -> None:
        self.pending.append(fault)

    def clear(self) -> None:
        self.pending.clear()

    def take(self, provider: str, path: str) -> Fault | None:
        """The first pending fault for this request, spending one of its count."""
        for fault in self.pending:
            if fault.provider == provider and fault.path in path:
                fault.count -= 1
                if fault.count <= 0:
                    self.pending.remove(fault)
                return fault
        return None


MAX_KEYS = 10_000
"""Keys a limiter remembers at most. Keys are client-chosen (tokens, IPs, store ids), so past this
the longest-known key is forgotten: memory stays bounded and the forgotten client starts afresh."""


class _Keyed(Generic[V]):
    """One bounded map of per-(credential, operation) state, shared by both algorithms."""

    def __init__(self, max_keys: int = MAX_KEYS) -> None:
        self.max_keys = max_keys
        self._keys: dict[tuple[str, str], V] = {}

    def _remember(self, key: tuple[str, str], value: V) -> None:
        if key not in self._keys and len(self._keys) >= self.max_keys:
            del self._keys[next(iter(self._keys))]
        self._keys[key] = value


class RateLimiter(_Keyed[deque[float]]):
    """Sliding window per (credential, operation): `limit` requests per `window` real seconds."""

    def __init__(self, limit: int | None, window: float = 60.0, max_keys: int = MAX_KEYS) -> None:
        super().__init__(max_keys)
        self.limit, self.window = limit, window

    def check(self, credential: str, operation: str) -> int | None:
        """None when allowed (and counted); else the whole seconds until a slot frees."""
        if not self.limit or UNCOUNTED.get():
            return None
        now = time.monotonic()
        key = (credential, operation)
        hits = self._keys.get(key)
        if hits is None:
            hits = deque()
            self._remember(key, hits)
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1, math.ceil(hits[0] + self.window - now))
        hits.append(now)
        return None

    def usage(self, credential: str, operation: str) -> tuple[int, int]:
        """(remaining, reset as epoch seconds) of the window this credential is in, for providers
        whose replies carry X-RateLimit-Remaining/-Reset headers."""
        hits = self._keys.get((credential, operation)) or ()
        remaining = max(0, (self.limit or 0) - len(hits))
        oldest = hits[0] if hits else time.monotonic()
        reset = time.time() + max(0.0, oldest + self.window - time.monotonic())
        return remaining, int(-(-reset // 1))


class LeakyBucket(_Keyed[tuple[float, float]]):
    """Leaky bucket per (credential, operation): `size` requests, draining `leak` per real second;
    for a provider that documents this algorithm rather than a window."""

    def __init__(self, size: int, leak: float, max_keys: int = MAX_KEYS) -> None:
        super().__init__(max_keys)
        self.size, self.leak = size, leak

    def check(self, credential: str, operation: str) -> int | None:
        """None when the request fits (and is counted); else whole seconds until one slot drains."""
        if UNCOUNTED.get():
            return None
        now = time.monotonic()
        key = (credential, operation)
        level, since = self._keys.get(key, (0.0, now))
        level = max(0.0, level - (now - since) * self.leak)
        if level + 1 > self.size:
            self._remember(key, (level, now))
            return max(1, math.ceil((level + 1 - self.size) / self.leak))
        self._remember(key, (level + 1, now))
        return None
