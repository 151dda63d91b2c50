"""What a request handler reaches the running sandbox through.

Kept apart from `sandbox/provider.py` (the interface providers implement) so that the interface does
not import the runtime that imports it: `access → runtime → webhooks → provider`, no circle.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from .runtime import Sandbox


def sandbox_of(request: Request) -> Sandbox:
    """The request's namespace (`/_ns/{name}/...`, sandbox/namespaces.py), else the app's
    default sandbox (set by `sandbox.app.create_app`). The front door leaves either in the scope;
    `app.state` answers a request that did not pass it."""
    sandbox: Sandbox = request.scope.get("sandbox.sandbox") or request.app.state.sandbox
    return sandbox


def host_params(request: Request) -> dict[str, str]:
    """Named groups of the host-mode pattern that routed this request (e.g. Shoplazza's store)."""
    params: dict[str, Any] = request.scope.get("sandbox.host", {})
    return params


def header(request: Request, name: bytes) -> str | None:
    """`request.headers.get(name)` for a lower-case name (ASGI's header names are lower-case),
    without building Starlette's `Headers` or raising and catching a KeyError when, as usual, an
    optional header is absent: an auth check reads one on every request, a stored answer's too."""
    for key, value in request.scope["headers"]:
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


def front_door_body(request: Request) -> bytes | None:
    """The body the front door read already (whole, within `--max-body`), if it read one."""
    body: bytes | None = request.scope.get("sandbox.body")
    return body


async def request_body(request: Request) -> bytes:
    """The request's body: the front door's (`front_door_body`), else read now. A write then reads its
    body once, not a second time through Starlette's stream."""
    body = front_door_body(request)
    return body if body is not None else await request.body()


class Query:
    """A request's query parameters as Starlette's `QueryParams` reads them (`parse_qsl` with blank
    values kept, the last value of a repeated name for `get`), for the read handlers' hot path:
    a query without `%` or `+` (nothing to decode) is split directly, which is what `parse_qsl`
    does with it, and the lookups are plain dict and list reads. Parsed once per request."""

    __slots__ = ("_dict", "_list")

    def __init__(self, raw: bytes) -> None:
        text = raw.decode("latin-1")
        if "%" in text or "+" in text:
            pairs = parse_qsl(text, keep_blank_values=True)
        else:
            pairs = [(name, value) for name, _, value in (part.partition("=") for part in text.split("&") if part)]
        self._list = pairs
        self._dict = dict(pairs)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._dict.get(name, default)

    def getlist(self, name: str) -> list[str]:
        return [value for key, value in self._list if key == name]

    def multi_items(self) -> list[tuple[str, str]]:
        return list(self._list)

    def __contains__(self, name: object) -> bool:
        return name in self._dict

    def __getitem__(self, name: str) -> str:
        return self._dict[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)


def query_of(request: Request) -> Query:
    """The request's `Query`, parsed on first use and kept in its scope (every `Request` made
    from the scope shares it)."""
    query: Query | None = request.scope.get("sandbox.query")
    if query is None:
        query = request.scope["sandbox.query"] = Query(request.scope["query_string"])
    return query
