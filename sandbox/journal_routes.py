"""`/_sandbox/requests`: list (with filters) and clear the request journal (`sandbox/journal.py`).

    GET /_sandbox/requests?provider=&tenant=&method=&path=&status=&since=&limit=
    DELETE /_sandbox/requests

Filters: `provider` (a served provider's key), `tenant`, `method`, `path` (a substring of the path,
so a prefix too), `status` (`404` or a class, `4xx`), `since` (an entry `seq`: entries after it; or
an ISO 8601 instant: entries that arrived at or after it, wall time), `limit` (the first N matches,
default and at most `LIST_LIMIT`). A bad filter is a 400 naming it.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request

from .access import sandbox_of
from .control import ControlError
from .journal import Filters, TenantFinder, entry_json, route_template
from .jsonresp import JSON
from .params import ascii_int
from .runtime import Sandbox
from .timefmt import parse_instant

LIST_LIMIT = 10_000
KNOWN = ("provider", "tenant", "method", "path", "status", "since", "limit")
_STATUS = re.compile(r"^([1-5])(?:xx|XX)$")
_METHOD = re.compile(r"^[A-Za-z]{1,16}$")


def parse_filters(sandbox: Sandbox, params: Any) -> tuple[Filters, int]:
    """The filters and limit of a listing; ControlError (400) naming a bad one."""
    unknown = sorted(set(params.keys()) - set(KNOWN))
    if unknown:
        raise ControlError(f"{unknown[0]}: unknown filter (known: {', '.join(KNOWN)})")
    for name in params.keys():
        if len(params.getlist(name)) > 1:
            raise ControlError(f"{name}: give it once")
        if len(params[name]) > 2048:
            raise ControlError(f"{name}: longer than 2048 characters")
    provider = params.get("provider")
    if provider is not None and provider not in sandbox.by_key:
        raise ControlError(f"provider: unknown provider {provider!r} (known: {', '.join(sandbox.by_key)})")
    method = params.get("method")
    if method is not None and not _METHOD.match(method):
        raise ControlError(f"method: {method!r} is not an HTTP method")
    status: tuple[int, int] | None = None
    if "status" in params:
        text = params["status"]
        found = _STATUS.match(text)
        if found:
            low = int(found.group(1)) * 100
            status = (low, low + 99)
        elif (code := ascii_int(text)) is not None and 100 <= code <= 599:
            status = (code, code)
        else:
            raise ControlError(f"status: {text!r} is neither a status (100-599) nor a class like 4xx")
    since_seq, since_wall = 0, None
    if "since" in params:
        text = params["since"]
        seq = ascii_int(text)
        if seq is not None:
            since_seq = seq
        else:
            try:
                since_wall = parse_instant(text).timestamp()
            except (ValueError, OverflowError):
                raise ControlError(f"since: {text!r} is neither an entry seq nor an ISO 8601 instant") from None
    limit = LIST_LIMIT
    if "limit" in params:
        text = params["limit"]
        found_limit = ascii_int(text)
        if found_limit is None or not 1 <= found_limit <= LIST_LIMIT:
            raise ControlError(f"limit: must be an integer 1..{LIST_LIMIT}")
        limit = found_limit
    path = params.get("path")
    if path == "":
        raise ControlError("path: give a non-empty substring of the path")
    filters = Filters(provider, params.get("tenant"), method.upper() if method else None, path, status,
                      since_seq, since_wall)
    return filters, limit


def tenant_finder(sandbox: Sandbox) -> TenantFinder:
    return TenantFinder({p.key: p.tenants(sandbox.state(p.key)) for p in sandbox.providers})


async def requests_list(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    filters, limit = parse_filters(sandbox, request.query_params)
    journal = sandbox.journal
    finder = tenant_finder(sandbox)
    routes = request.app.routes
    templates: dict[tuple[str, str], str | None] = {}
    found: list[dict[str, Any]] = []
    total = 0
    for entry, tenant in journal.select(filters, finder):
        total += 1
        if len(found) >= limit:
            continue
        key = (entry.method, entry.path)
        if key not in templates:
            templates[key] = route_template(routes, entry.method, entry.path)
        found.append(entry_json(entry, tenant, finder, templates[key]))
    return JSON(
        {
            "requests": found,
            "total": total,
            "truncated": total > len(found),
            "size": journal.size,
            "dropped": journal.dropped,
            "next_seq": journal.next_seq,
        }
    )


async def requests_clear(request: Request) -> JSON:
    sandbox_of(request).journal.clear()
    return JSON({"requests": [], "total": 0})
