"""The request journal: a bounded ring of every request that reached a provider route.

WireMock's request journal and MockServer's `retrieveRecordedRequests` are the model: a test (or a
person reading a 4xx) asks what arrived and which rule refused it. The ring is bounded
(`--journal-size`, `SANDBOX_JOURNAL_SIZE`; 0 turns it off) so a long-lived sandbox keeps a flat
memory: the oldest entry goes when a new one comes.

Recording is on the hot path, so it appends one tuple of values the front door already has (the
header set as one tuple shared by every request that sent it, the body capped); masking, tenant
lookup, route templates and JSON are built only when the journal is listed (`GET /_sandbox/requests`).
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from starlette.routing import BaseRoute, Match, Mount
from starlette.types import Scope

from .timefmt import iso_millis

DEFAULT_SIZE = 1000
BODY_CAP = 4096  # request body bytes kept per entry; the size is kept too
MAX_SIZE = 1_000_000

# headers that carry a credential whatever the provider (plus every provider's own credential
# header, read from its tenants when listed)
_SECRET_HEADERS = re.compile(
    r"^(?:authorization|proxy-authorization|cookie|set-cookie|access-token|x-[a-z0-9-]*(?:key|token|secret|signature)|[a-z0-9-]*-access-token)$"
)
# query and body fields that carry a secret (OAuth token exchange, API keys in a query string)
_SECRET_FIELDS = r"(?:access_token|refresh_token|client_secret|api_key|apikey|password|secret|token|code)"
_FORM_SECRET = re.compile(r"(?i)(?<![A-Za-z0-9_])(" + _SECRET_FIELDS + r")=([^&\s]*)")
_JSON_SECRET = re.compile(r'(?i)"(' + _SECRET_FIELDS + r')"(\s*:\s*)"([^"]*)"')
_SCHEMES = ("bearer ", "basic ", "token ")


class Entry(NamedTuple):
    """One request, as recorded (raw; kept as a plain tuple, made an Entry when listed)."""

    seq: int
    wall: float  # time.time() at arrival
    done: float  # time.time() once answered
    sandbox_at: datetime
    provider: str
    method: str
    path: str
    query: bytes
    headers: Sequence[tuple[bytes, bytes]]
    body: bytes  # at most BODY_CAP bytes
    body_size: int
    status: int
    tenant: str | None  # set by a handler (`scope["sandbox.tenant"]`), else found when listed
    reason: str  # the rule that refused it, plain words; "" for a success


def mask(value: str) -> str:
    """A short prefix, the rest masked: `Bearer stk_live_abc123` → `Bearer stk_…`."""
    scheme = ""
    lowered = value.lower()
    for known in _SCHEMES:
        if lowered.startswith(known):
            scheme, value = value[: len(known)], value[len(known) :]
            break
    keep = min(4, len(value) // 3)
    return f"{scheme}{value[:keep]}…"


def mask_fields(text: str) -> str:
    """Secret-looking query or body fields (`client_secret=…`, `"access_token": "…"`) masked."""
    text = _FORM_SECRET.sub(lambda m: f"{m.group(1)}={mask(m.group(2))}", text)
    return _JSON_SECRET.sub(lambda m: f'"{m.group(1)}"{m.group(2)}"{mask(m.group(3))}"', text)


@dataclass(frozen=True)
class Filters:
    """`GET /_sandbox/requests` filters; every one given must hold."""

    provider: str | None = None
    tenant: str | None = None
    method: str | None = None
    path: str | None = None  # a substring of the path (so a prefix too)
    status: tuple[int, int] | None = None  # inclusive range: 404 → (404, 404), 4xx → (400, 499)
    since_seq: int = 0
    since_wall: float | None = None


class Journal:
    """The ring of one sandbox; `size` 0 records nothing. The front door appends each entry
    itself (`(next(journal.seq), *Entry fields after seq)`, a plain tuple: the hot path)."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        if not 0 <= size <= MAX_SIZE:
            raise ValueError(f"journal size must be 0..{MAX_SIZE}, not {size}")
        self.size = size
        self.on = size > 0
        self.entries: deque[tuple[Any, ...]] = deque(maxlen=size or 1)
        self.seq = itertools.count(1)
        self._cleared = 0  # entries a DELETE removed
        self._next_at_clear = 1

    @property
    def next_seq(self) -> int:
        return int(self.entries[-1][0]) + 1 if self.entries else self._next_at_clear

    @property
    def dropped(self) -> int:
        """Entries the bound pushed out (a DELETE does not count)."""
        return self.next_seq - 1 - len(self.entries) - self._cleared

    def clear(self) -> None:
        self._next_at_clear = self.next_seq
        self._cleared += len(self.entries)
        self.entries.clear()

    def select(self, filters: Filters, tenant_of: TenantFinder) -> Iterator[tuple[Entry, str | None]]:
        """Matching entries, oldest first, each with its tenant."""
        for raw in self.entries:
            entry = Entry._make(raw)
            if entry.seq <= filters.since_seq:
                continue
            if filters.since_wall is not None and entry.wall < filters.since_wall:
                continue
            if filters.provider is not None and entry.provider != filters.provider:
                continue
            if filters.method is not None and entry.method != filters.method:
                continue
            if filters.path is not None and filters.path not in entry.path:
                continue
            if filters.status is not None and not filters.status[0] <= entry.status <= filters.status[1]:
                continue
            tenant = entry.tenant if entry.tenant is not None else tenant_of(entry)
            if filters.tenant is not None and tenant != filters.tenant:
                continue
            yield entry, tenant


class TenantFinder:
    """Which tenant a recorded request was for, where the provider can tell: the tenant whose
    credential it carried, else a path segment naming a tenant. Built once per listing from every
    provider's `tenants(state)`; also knows every credential header name (for masking)."""

    def __init__(self, tenants: dict[str, Iterable[Any]]) -> None:
        self.by_credential: dict[tuple[str, bytes, bytes], str] = {}
        self.ids: dict[str, set[str]] = {}
        self.secret_headers: set[bytes] = set()
        for provider, found in tenants.items():
            ids = self.ids.setdefault(provider, set())
            for tenant in found:
                ids.add(tenant.id)
                for credential in tenant.credentials:
                    name = credential.header.lower().encode("latin-1")
                    self.secret_headers.add(name)
                    value = credential.value.encode("latin-1", "replace")
                    self.by_credential[(provider, name, value)] = tenant.id
                    if name == b"authorization" and not credential.value.lower().startswith(_SCHEMES):
                        self.by_credential[(provider, name, b"Bearer " + value)] = tenant.id

    def __call__(self, entry: Entry) -> str | None:
        return self.find(entry.provider, entry.headers, entry.path)

    def find(self, provider: str, headers: Iterable[tuple[bytes, bytes]], path: str) -> str | None:
        """The tenant of a request to `provider` (also asked by tenant-scoped faults and drills)."""
        for name, value in headers:
            found = self.by_credential.get((provider, name, value))
            if found is not None:
                return found
        ids = self.ids.get(provider)
        if ids:
            for segment in path.split("/"):
                if segment in ids:
                    return segment
        return None

    def secret(self, name: bytes) -> bool:
        return name in self.secret_headers or _SECRET_HEADERS.match(name.decode("latin-1")) is not None


def route_template(routes: Sequence[BaseRoute], method: str, path: str) -> str | None:
    """The path template of the route that serves `method path` (`/whop/api/v1/.../{id}`), found by
    Starlette's own matching, so it is what served the request."""
    scope: Scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
    return _template(routes, scope, "")


def _template(routes: Sequence[BaseRoute], scope: Scope, prefix: str) -> str | None:
    partial: str | None = None
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.NONE:
            continue
        if isinstance(route, Mount):
            inner = _template(route.routes, {**scope, **child}, prefix + route.path)
            if inner is not None:
                return inner
            continue
        found = prefix + str(getattr(route, "path", ""))
        if match is Match.FULL:
            return found
        partial = partial or found  # the path matches, the method does not (a 405)
    return partial


def entry_json(entry: Entry, tenant: str | None, finder: TenantFinder, route: str | None) -> dict[str, Any]:
    headers: dict[str, str] = {}
    for name, value in entry.headers:
        key = name.decode("latin-1")
        text = value.decode("latin-1")
        if finder.secret(name):
            text = mask(text)
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    query = entry.query.decode("latin-1")
    return {
        "seq": entry.seq,
        "at": iso_millis(datetime.fromtimestamp(entry.wall, UTC)),
        "sandbox_at": iso_millis(entry.sandbox_at),
        "provider": entry.provider,
        "tenant": tenant,
        "method": entry.method,
        "path": entry.path,
        "query": mask_fields(query) if query else "",
        "route": route,
        "headers": headers,
        "body": mask_fields(entry.body.decode("utf-8", "replace")),
        "body_size": entry.body_size,
        "body_truncated": entry.body_size > len(entry.body),
        "status": entry.status,
        "ms": round((entry.done - entry.wall) * 1000, 2),
        "reason": entry.reason or None,
    }
