"""The ASGI app: control plane, every registered provider under its prefix, and host mode."""

from __future__ import annotations

import asyncio
import contextlib

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from . import ui, webhook_routes
from .control import control_routes, error
from .errors import ProviderError, render_provider_error
from .provider import Provider
from .runtime import Sandbox
from .webhooks import deliver_forever


class FrontDoor:
    """The one middleware: host mode (a provider's real Host name reaches its prefix) and forced
    faults (answered in the provider's own error shape). One layer, since it runs per request."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox
        self.hosted = [p for p in sandbox.providers if p.host_patterns]
        self._seen: dict[str, tuple[Provider, dict[str, str]] | None] = {}  # Host → match, memoised

    def _match(self, host: str) -> tuple[Provider, dict[str, str]] | None:
        if host in self._seen:
            return self._seen[host]
        found = None
        for provider in self.hosted:
            match = provider.host_match(host)
            if match is not None:
                found = (provider, {"host": host, **match.groupdict()})
                break
        if len(self._seen) < 4096:  # Host is client-chosen: bound the memo
            self._seen[host] = found
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = _host_header(scope)
            found = self._match(host) if host else None
            if found is not None:
                provider, params = found
                scope = dict(scope)
                scope["path"] = provider.prefix + scope["path"]
                scope["raw_path"] = provider.prefix.encode() + scope.get("raw_path", b"")
                scope["sandbox.host"] = params
            if self.sandbox.faults.pending and await self._fault(scope, receive, send):
                return
        await self.app(scope, receive, send)

    async def _fault(self, scope: Scope, receive: Receive, send: Send) -> bool:
        path = scope["path"]
        for provider in self.sandbox.providers:
            if path.startswith(provider.prefix + "/"):
                fault = self.sandbox.faults.take(provider.key, path)
                if fault is None:
                    return False
                response = provider.fault_response(fault.status, fault.retry_after)
                await response(scope, receive, send)
                return True
        return False


def _host_header(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"host":
            return value.decode("latin-1").rsplit(":", 1)[0].lower() if value else ""
    return ""


async def not_found(request: Request, exc: HTTPException):
    return error(f"no route {request.method} {request.url.path}", exc.status_code)


async def server_error(request: Request, exc: Exception):
    return error("internal sandbox error: please report it with the request", 500)


ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _catch_all(provider: Provider) -> Route:
    """After the provider's own routes: any other path gets the provider's own unknown-path error."""

    async def unknown(request: Request) -> Response:
        raise provider.unknown_path(request)

    return Route("/{rest:path}", unknown, methods=ANY_METHOD)


def _lifespan(sandbox: Sandbox):
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        sender = asyncio.create_task(deliver_forever(lambda: sandbox.world.webhooks))
        try:
            yield
        finally:
            sender.cancel()

    return lifespan


def create_app(sandbox: Sandbox) -> Starlette:
    controls = list(webhook_routes.ROUTES)
    for provider in sandbox.providers:
        controls += provider.control_routes
    # providers first: the router tries routes in order, and provider calls are the hot path
    routes = [Mount(p.prefix, routes=[*p.routes, _catch_all(p)]) for p in sandbox.providers]
    # the dashboard, before the control plane it shares `/_sandbox` with; `/` leads to it
    routes += [Mount("/_sandbox/ui", routes=ui.ROUTES), Route("/_sandbox/ui", ui.to_dashboard), Route("/", ui.to_dashboard)]
    routes.append(control_routes(controls))
    app = Starlette(
        routes=routes,
        middleware=[Middleware(FrontDoor, sandbox=sandbox)],
        exception_handlers={ProviderError: render_provider_error, HTTPException: not_found, Exception: server_error},
        lifespan=_lifespan(sandbox),
    )
    app.state.sandbox = sandbox
    return app
