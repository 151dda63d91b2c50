"""The ASGI app: control plane, every registered provider under its prefix, and host mode."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from . import webhook_routes
from .control import control_routes, error
from .provider import Provider
from .runtime import Sandbox
from .webhooks import deliver_forever


class HostMode:
    """Route a request whose Host is a provider's real host name to that provider's prefix."""

    def __init__(self, app: ASGIApp, providers: Sequence[Provider]) -> None:
        self.app = app
        self.providers = [p for p in providers if p.host_patterns]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = _host_header(scope)
            for provider in self.providers:
                match = provider.host_match(host) if host else None
                if match is not None:
                    scope = dict(scope)
                    scope["path"] = provider.prefix + scope["path"]
                    scope["raw_path"] = provider.prefix.encode() + scope.get("raw_path", b"")
                    scope["sandbox.host"] = {"host": host, **match.groupdict()}
                    break
        await self.app(scope, receive, send)


class FaultInjection:
    """Answer a request with a forced fault, in its provider's error shape, when one is pending."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.sandbox.faults.pending:
            path = scope["path"]
            for provider in self.sandbox.providers:
                if path.startswith(provider.prefix + "/"):
                    fault = self.sandbox.faults.take(provider.key, path)
                    if fault is not None:
                        response = provider.fault_response(fault.status, fault.retry_after)
                        await response(scope, receive, send)
                        return
                    break
        await self.app(scope, receive, send)


def _host_header(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"host":
            return value.decode("latin-1").rsplit(":", 1)[0].lower() if value else ""
    return ""


async def not_found(request: Request, exc: HTTPException):
    return error(f"no route {request.method} {request.url.path}", exc.status_code)


async def server_error(request: Request, exc: Exception):
    return error("internal sandbox error: please report it with the request", 500)


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
        controls += provider.control_routes()
    routes = [control_routes(controls)]
    routes += [Mount(p.prefix, routes=p.routes()) for p in sandbox.providers]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(HostMode, providers=sandbox.providers),
            Middleware(FaultInjection, sandbox=sandbox),
        ],
        exception_handlers={HTTPException: not_found, Exception: server_error},
        lifespan=_lifespan(sandbox),
    )
    app.state.sandbox = sandbox
    return app
