"""Failures on demand and rate limits, answered in each provider's own error shape.

`POST /_sandbox/faults {"provider": "whop", "status": 429, "count": 2, "path": "/cases"}` makes
the next two matching requests to that provider fail; the provider renders the body. Rate limits
count real (monotonic) seconds, not sandbox time: a frozen clock must not freeze a window shut.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass


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


class RateLimiter:
    """Sliding window per (credential, operation): `limit` requests per `window` real seconds."""

    def __init__(self, limit: int | None, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._hits: dict[tuple[str, str], deque[float]] = {}

    def check(self, credential: str, operation: str) -> int | None:
        """None when allowed (and counted); else the whole seconds until a slot frees."""
        if not self.limit:
            return None
        now = time.monotonic()
        hits = self._hits.setdefault((credential, operation), deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1, math.ceil(hits[0] + self.window - now))
        hits.append(now)
        return None
