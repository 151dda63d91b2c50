"""Parts declared at start but imported on first use: a route's endpoint ("package.module:name").

The route table (paths, methods) is built at start as before; only the module behind an endpoint
no first request needs (control routes, drills, the journal, OpenAPI, the dashboard, webhook
registration) waits for its first call. tests/test_startup_imports.py pins what stays unloaded,
tests/test_provider_contract.py that every such target resolves.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

Endpoint = Callable[..., Awaitable[Response]]


def resolve(target: str) -> Any:
    """The object `target` ("package.module:name") names, importing its module."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def lazy_endpoint(target: str) -> Endpoint:
    """An async function that imports `target` (an async endpoint, or a provider's handler taking
    more arguments) on its first call, then awaits it with the same arguments; Starlette sees a
    plain function, so routing, methods and answers are those of `target`."""
    found: list[Endpoint] = []

    async def endpoint(request: Request, *args: Any) -> Response:
        if not found:
            found.append(resolve(target))
        return await found[0](request, *args)

    endpoint.__name__ = endpoint.__qualname__ = target.rpartition(":")[2]
    endpoint.target = target  # type: ignore[attr-defined]  # read by the contract tests
    return endpoint
