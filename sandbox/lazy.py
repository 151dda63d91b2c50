"""Parts declared at start but imported on first use: a route's endpoint ("package.module:name").

The route table (paths, methods) is built at start as before; only the module behind an endpoint
no first request needs (control routes, drills, the journal, OpenAPI, the dashboard, webhook
registration) waits for its first call. tests/test_startup_imports.py pins what stays unloaded,
tests/test_provider_contract.py that every such target resolves.

A module only requests use (a provider's wire models, pydantic classes whose creation is most of
its import) can be bound at import and executed on first attribute access (`lazy_module`).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

Endpoint = Callable[..., Awaitable[Response]]


def resolve(target: str) -> Any:
    """The object `target` ("package.module:name") names, importing its module."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def lazy_module(name: str) -> ModuleType:
    """Module `name` ("package.module", its package already imported), registered at once and
    executed at its first attribute access (the standard library's `importlib.util.LazyLoader`):
    `from package import module` elsewhere gets this same module, so there is one copy of its
    classes."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def is_loaded(module: ModuleType) -> bool:
    """False for a `lazy_module` no one has used yet (tests/test_startup_imports.py)."""
    return not isinstance(module, importlib.util._LazyModule)  # type: ignore[attr-defined]


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
