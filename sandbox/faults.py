"""Failures on demand and rate limits, answered in each provider's own error shape.

`POST /_sandbox/faults {"provider": "whop", "status": 429, "count": 2, "path": "/cases"}` makes
the next two matching requests to that provider fail; the provider renders the body. Other kinds
(`"kind"`) break the transport rather than the answer, as WireMock's and Mountebank's faults do:
`latency` (then the real answer), `hang` (no answer until the client leaves), `reset` (the
connection closed mid-body), `truncated` (a body cut short under a Content-Length that matches
the cut), `not_json` (an HTML page where JSON was due). `"target": "webhooks"` acts on webhook
deliveries instead: `latency`, `drop`, `duplicate`, `status` (a failed attempt: the provider's
retry schedule runs). A fault fires for a count of matches, or with a `probability`, drawn from
`random.Random(scenario seed ^ fault number)`: the same calls after a reset fire the same way.

Rate limits count real (monotonic) seconds, not sandbox time: a frozen clock must not freeze a
window shut.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

V = TypeVar("V")

# True while an export or a state file is replayed (sandbox/oplog.py): the replayed requests were
# counted when they first arrived, and replaying hundreds of them at once must not trip a window
UNCOUNTED: ContextVar[bool] = ContextVar("sandbox_rate_uncounted", default=False)

API_KINDS = ("status", "latency", "hang", "reset", "truncated", "not_json")
WEBHOOK_KINDS = ("status", "latency", "drop", "duplicate")
MAX_HANG_SECONDS = 300.0
NOT_JSON = (b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
            b"<body><h1>Bad Gateway</h1><p>The upstream server returned an invalid response.</p></body></html>")


@dataclass
class Fault:
    """One forced failure (`POST /_sandbox/faults`): which requests or webhook deliveries it hits,
    and how they fail."""

    provider: str
    status: int = 0  # kind status: the answer's status; not_json: its status (0: 200)
    count: int | None = 1  # matches left; None: unbounded (a `probability` fault)
    path: str = ""  # substring of the request path (webhooks: of the target URL); empty matches all
    retry_after: int = 1
    kind: str = "status"
    target: str = "api"  # api | webhooks
    tenant: str | None = None  # the credential's tenant (webhooks: the subscription's)
    probability: float | None = None
    ms: int | None = None  # latency: fixed
    min_ms: int | None = None  # latency: jittered, uniform in min_ms..max_ms
    max_ms: int | None = None
    seconds: float = MAX_HANG_SECONDS  # hang: answered 504 after this, if the client is still there
    rng: random.Random = field(default_factory=lambda: random.Random(0), repr=False, compare=False)

    def to_json(self) -> dict[str, object]:
        shown: dict[str, object] = {
            "provider": self.provider,
            "status": self.status or None,
            "count": self.count,
            "path": self.path,
            "retry_after": self.retry_after,
        }  # today's five keys, in today's order; the new ones only where they are not the default
        extra = {"kind": self.kind, "target": self.target, "tenant": self.tenant, "probability": self.probability,
                 "ms": self.ms, "min_ms": self.min_ms, "max_ms": self.max_ms, "seconds": self.seconds}
        defaults = {"kind": "status", "target": "api", "seconds": MAX_HANG_SECONDS}
        shown.update({k: v for k, v in extra.items() if v is not None and v != defaults.get(k)})
        return shown

    def delay(self) -> float:
        """Seconds a latency fault waits (drawn from its own generator when jittered)."""
        if self.ms is not None:
            return self.ms / 1000
        return self.rng.randint(self.min_ms or 0, self.max_ms or 0) / 1000

    def where(self) -> str:
        return f" on paths containing {self.path!r}" if self.path else ""


class Faults:
    def __init__(self) -> None:
        self.pending: list[Fault] = []
        self.hanging = 0  # requests a `hang` fault holds right now (0 once their clients left)
        self.added = 0  # faults added since the last clear: each one's generator is seeded by it

    def add(self, fault: Fault, seed: int = 0) -> None:
        self.added += 1
        fault.rng = random.Random(seed ^ self.added)
        self.pending.append(fault)

    def clear(self) -> None:
        self.pending.clear()
        self.added = 0

    def take(self, provider: str, path: str, tenant: Callable[[], str | None] = lambda: None,
             target: str = "api") -> Fault | None:
        """The first pending fault that fires for this request (or delivery), spending one of its
        count. `tenant` is asked only when a fault is scoped to one."""
        for fault in self.pending:
            if fault.target != target or fault.provider != provider or fault.path not in path:
                continue
            if fault.tenant is not None and tenant() != fault.tenant:
                continue
            if fault.probability is not None and fault.rng.random() >= fault.probability:
                continue
            if fault.count is not None:
                fault.count -= 1
                if fault.count <= 0:
                    self.pending.remove(fault)
            return fault
        return None


def _with_status(response: Response, status: int) -> Response:
    """A forced fault answers with its own status even where the provider's table lacks it."""
    response.status_code = status
    return response


async def capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message | None, bytes]:
    """Run `app` and keep its answer: the start message and the whole body."""
    start: list[Message] = []
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.append(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, keep)
    return (start[0] if start else None), b"".join(chunks)


def _length(start: Message, length: int) -> Message:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    return {**start, "headers": [*headers, (b"content-length", str(length).encode())]}


async def answer(fault: Fault, faults: Faults, fault_response: Callable[[int, int], Response], app: ASGIApp,
                 scope: Scope, receive: Receive, send: Send) -> None:
    """Serve one request under `fault` (`app`: the real answer, where the kind gives one)."""
    left = "" if fault.count is None else f", {fault.count} left"
    kind = fault.kind
    if kind == "status":
        scope["sandbox.reason"] = f"forced fault {fault.status}{fault.where()} (/_sandbox/faults{left})"
        await _with_status(fault_response(fault.status, fault.retry_after), fault.status)(scope, receive, send)
    elif kind == "latency":
        wait = fault.delay()
        scope["sandbox.reason"] = f"forced fault latency {round(wait * 1000)} ms{fault.where()} (/_sandbox/faults{left})"
        await asyncio.sleep(wait)
        await app(scope, receive, send)
    elif kind == "hang":
        await _hang(fault, faults, fault_response, scope, receive, send)
    elif kind == "not_json":
        scope["sandbox.reason"] = f"forced fault not_json{fault.where()} (/_sandbox/faults{left})"
        await Response(NOT_JSON, fault.status or 200, media_type="text/html")(scope, receive, send)
    else:  # reset, truncated: the real answer, cut
        start, body = await capture(app, scope, receive)
        if start is None:
            return
        cut = len(body) // 2
        scope["sandbox.reason"] = (f"forced fault {kind}: {cut} of {len(body)} body bytes sent{fault.where()} "
                                   f"(/_sandbox/faults{left})")
        if kind == "truncated":  # a whole HTTP message whose Content-Length matches the cut body
            await send(_length(start, cut))
            await send({"type": "http.response.body", "body": body[:cut]})
        else:  # the full length announced, half sent, then the app returns: the server drops the line
            await send(_length(start, len(body)))
            await send({"type": "http.response.body", "body": body[:cut], "more_body": True})


async def _hang(fault: Fault, faults: Faults, fault_response: Callable[[int, int], Response], scope: Scope,
                receive: Receive, send: Send) -> None:
    """No answer until the client disconnects (then nothing is held), or 504 after `seconds`."""
    faults.hanging += 1
    began = time.monotonic()
    try:
        async with asyncio.timeout(fault.seconds):
            while (await receive())["type"] != "http.disconnect":
                pass
        scope["sandbox.reason"] = f"forced fault hang: the client went away after {time.monotonic() - began:.1f} s"
        return
    except TimeoutError:
        scope["sandbox.reason"] = f"forced fault hang: answered 504 after {fault.seconds} s"
    finally:
        faults.hanging -= 1
    await _with_status(fault_response(504, fault.retry_after), 504)(scope, receive, send)


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
        return self._take((credential, operation), time.monotonic())

    def count(self, credential: str, operation: str) -> tuple[int | None, int, int]:
        """`check` then `usage` in one look-up of the window: (wait, remaining, reset), for a
        provider whose every reply, a refusal too, carries X-RateLimit-Remaining/-Reset."""
        now = time.monotonic()
        key = (credential, operation)
        wait = self._take(key, now) if self.limit and not UNCOUNTED.get() else None
        return (wait, *self._usage(self._keys.get(key) or (), now))

    def usage(self, credential: str, operation: str) -> tuple[int, int]:
        """(remaining, reset as epoch seconds) of the window this credential is in, for providers
        whose replies carry X-RateLimit-Remaining/-Reset headers."""
        return self._usage(self._keys.get((credential, operation)) or (), time.monotonic())

    def _take(self, key: tuple[str, str], now: float) -> int | None:
        """Count a request at `now` in `key`'s window (hits older than it dropped); or, when the
        window is full, the whole seconds until a slot frees."""
        assert self.limit
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

    def _usage(self, hits: deque[float] | tuple[()], now: float) -> tuple[int, int]:
        remaining = max(0, (self.limit or 0) - len(hits))
        oldest = hits[0] if hits else now
        reset = time.time() + max(0.0, oldest + self.window - now)
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
