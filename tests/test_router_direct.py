"""The router's direct call (sandbox/app.py `direct_endpoint`): a provider route whose endpoint is
a plain async function is awaited by `_Router` itself, not through Starlette's `request_response`
and its exception wrapper. Two apps on the same scenario, one with every direct call turned back
into Starlette's own `route.handle`, get the same requests (every provider route and method, with
and without the provider's credentials: 200 pages, refusals, records that do not exist) and must
answer each with the same messages, byte for byte."""

from __future__ import annotations

import asyncio
import random
import re
import uuid
from typing import Any

import pytest
from starlette.routing import Route

from bench.scenarios import DEFAULT_LISTS
from sandbox.app import create_app, direct_endpoint
from sandbox.testing import make_sandbox

# path parameters that name the default scenario's tenants; any other is "12", a record none has
TENANTS = {"storeId": "shp_kxw5h7n4tr3bcfp2v8q1mzj0", "clientId": "1", "version": "2024-07"}


def _filled(route: Route) -> str:
    return re.sub(r"{([^}:]+)(?::[^}]+)?}", lambda m: TENANTS.get(m.group(1), "12"), route.path_format)


def _walked(app: Any) -> Any:
    """`app` with every direct call handed back to Starlette (`route.handle`)."""
    router = app.router
    for prefix, (table, others) in router.by_method.items():
        def undirect(candidates: list) -> list:
            return [(route, start, None) for route, start, _ in candidates]

        router.by_method[prefix] = ({m: undirect(c) for m, c in table.items()}, undirect(others))
    return app


def _answer(app: Any, method: str, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    target, _, query = path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": target, "raw_path": target.encode(), "root_path": "", "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1:8000"), *((k.lower().encode(), v.encode()) for k, v in headers.items())],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    random.seed(7)  # random per-response ids (Pandabase's X-Request-ID) the same in both apps
    asyncio.run(app(scope, receive, send))
    return sent


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-response ids (Shoplazza's Request-Id) the same in both apps."""
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=7))


def test_direct_call_answers_as_starlettes_walk(fixed_ids: None) -> None:
    direct = create_app(make_sandbox("default"))
    walked = _walked(create_app(make_sandbox("default")))
    awaited = [
        route for table, others in direct.router.by_method.values() for candidates in [others, *table.values()]
        for route, _, endpoint in candidates if endpoint is not None
    ]
    assert len({id(route) for route in awaited}) > 50  # the shortcut serves most provider routes
    requests: list[tuple[str, str, dict[str, str]]] = []
    for prefix, mount in direct.router.mounts.items():
        provider = prefix.strip("/")
        list_path, credentials = DEFAULT_LISTS[provider]
        requests += [("GET", list_path, credentials), ("GET", list_path, {}), ("GET", prefix + "/no/such/path", credentials)]
        for route in mount.routes:
            if not isinstance(route, Route) or route.path_format == "/{rest}":
                continue
            for method in sorted(route.methods or {"GET", "POST"}):
                requests += [(method, prefix + _filled(route), credentials), (method, prefix + _filled(route), {})]
    statuses = set()
    for method, path, headers in requests:
        answer = _answer(direct, method, path, headers)
        assert answer == _answer(walked, method, path, headers), (method, path, headers)
        statuses.add(answer[0]["status"])
    assert {200, 401, 404} <= statuses  # pages, refusals and records that do not exist among them


def test_only_plain_async_function_routes_are_called_directly() -> None:
    async def plain(request: Any) -> Any:
        raise NotImplementedError

    def sync(request: Any) -> Any:
        raise NotImplementedError

    async def loader(request: Any) -> Any:
        raise NotImplementedError

    loader.target = "x:y"  # type: ignore[attr-defined]  # how sandbox/lazy.py marks its endpoints
    lazy = Route("/l", loader)
    assert direct_endpoint(Route("/p", plain)) is plain
    assert direct_endpoint(Route("/s", sync)) is None
    assert direct_endpoint(Route("/b", plain, max_body_size=10)) is None
    assert direct_endpoint(lazy) is None
