"""The router's method shortcut (sandbox/app.py `_Router`, `method_routes`): inside a provider's
mount it tries only the routes that take the request's method, then walks them all when none
matched. For every route of every provider, each method, and a path no route names, the route it
hands the request to is the one Starlette's own walk of the mount picks."""

from __future__ import annotations

import asyncio
import re

import pytest
from starlette.routing import BaseRoute, Match, Route

from sandbox.app import create_app, literal_start, method_routes
from sandbox.testing import make_sandbox

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]


def _record(routes: list[BaseRoute], seen: list[BaseRoute], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each route's `handle` notes the route and answers nothing (until the test ends)."""
    for route in routes:
        async def handle(scope: dict, receive: object, send: object, route: BaseRoute = route) -> None:
            seen.append(route)

        monkeypatch.setattr(route, "handle", handle)


async def _silent(scope: dict, receive: object, send: object) -> None:
    """A response that sends nothing."""


def _record_direct(router, prefix: str, seen: list[BaseRoute], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each endpoint the router awaits itself (`direct_endpoint`) notes its route instead."""

    def recorder(route: BaseRoute):
        async def endpoint(request: object) -> object:
            seen.append(route)
            return _silent

        return endpoint

    table, others = router.by_method[prefix]

    def noting(candidates):
        return [(route, start, None if endpoint is None else recorder(route)) for route, start, endpoint in candidates]

    monkeypatch.setitem(router.by_method, prefix, ({m: noting(c) for m, c in table.items()}, noting(others)))


def _filled(route: Route) -> str:
    """A concrete path the route's pattern matches (digits suit every convertor)."""
    return re.sub(r"{[^}]+}", "12", route.path_format)


@pytest.fixture(scope="module")
def app():
    return create_app(make_sandbox("default"))


def test_shortcut_picks_what_the_walk_picks(app, monkeypatch: pytest.MonkeyPatch) -> None:
    """`_Router.app` (the shortcut) against the mount's own Starlette router walking every route."""
    router = app.router
    checked = 0
    for prefix, mount in router.mounts.items():
        routes = mount.routes
        seen: list[BaseRoute] = []
        _record(routes, seen, monkeypatch)
        _record_direct(router, prefix, seen, monkeypatch)
        paths = [_filled(r) for r in routes if isinstance(r, Route)] + ["/no/such/path"]
        for path in paths:
            for method in METHODS:
                scope = {"type": "http", "method": method, "path": mount.path + path, "root_path": "", "headers": []}
                asyncio.run(router.app(dict(scope), None, None))
                walked = dict(scope, router=router)
                walked.update(mount.matches(walked)[1])
                asyncio.run(mount.handle(walked, None, None))
                assert len(seen) == 2 and seen[0] is seen[1], (mount.path, path, method)
                seen.clear()
                checked += 1
    assert checked > 500


def test_table_keeps_route_order_and_every_method_routes(app) -> None:
    for mount in app.router.mounts.values():
        routes = mount.routes
        for method, candidates in method_routes(routes).items():
            positions = [routes.index(r) for r in candidates]
            assert positions == sorted(positions)
            assert routes[-1] in candidates  # the catch-all takes every method
            assert all(method in r.methods for r in candidates if isinstance(r, Route) and r.methods)


def test_a_route_skipped_for_its_literal_start_could_not_match(app) -> None:
    """`literal_start`: any path a route matches (FULL or PARTIAL) starts with it, so the router
    skipping a route whose start the path lacks never skips a match; and it does skip some."""
    skipped = 0
    for mount in app.router.mounts.values():
        routes = [r for r in mount.routes if isinstance(r, Route)]
        paths = [_filled(r) for r in routes] + ["/no/such/path"]
        for route in routes:
            start = literal_start(route)
            for path in paths:
                scope = {"type": "http", "method": "GET", "path": mount.path + path, "root_path": mount.path}
                if route.matches(scope)[0] is not Match.NONE:
                    assert path.startswith(start), (mount.path, route.path, path)
                skipped += not path.startswith(start)
    assert skipped > 100
