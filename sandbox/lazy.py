"""Parts declared at start but imported on first use: a route's endpoint ("package.module:name").

The route table (paths, methods) is built at start as before; only the module behind an endpoint
no first request needs (control routes, drills, the journal, OpenAPI, the dashboard, webhook
registration) waits for its first call. tests/test_startup_imports.py pins what stays unloaded,
tests/test_provider_contract.py that every such target resolves.

A module only requests use (a provider's wire models, pydantic classes whose creation is most of
its import) is declared deferred once (`defer_submodules`): a plain `from . import wire` binds it at
import and it executes on first attribute access.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from collections.abc import Awaitable, Callable, Sequence
from types import ModuleType
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

Endpoint = Callable[..., Awaitable[Response]]


def resolve(target: str) -> Any:
    """The object `target` ("package.module:name") names, importing its module."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


class _DeferredSubmodules:
    """A `sys.meta_path` finder for the named submodules of the named packages: it finds each as the
    standard path finder does and wraps its loader in `importlib.util.LazyLoader` (the recipe of the
    standard library's importlib documentation, "Implementing lazy imports"). The import system
    then registers the module in sys.modules and binds it on its package as usual, without
    executing it, so every `from package import module` gets this one copy of its classes."""

    def __init__(self, packages: frozenset[str], submodules: frozenset[str]) -> None:
        self.packages = packages
        self.submodules = submodules

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None,
                  ) -> importlib.machinery.ModuleSpec | None:
        package, _, submodule = fullname.rpartition(".")
        if package not in self.packages or submodule not in self.submodules:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def defer_submodules(packages: Sequence[str], submodules: Sequence[str]) -> None:
    """Import each package's `submodules` (those it has) lazily from now on: call before the packages
    import (sandbox/providers/__init__.py)."""
    sys.meta_path.insert(0, _DeferredSubmodules(frozenset(packages), frozenset(submodules)))


def is_loaded(module: ModuleType) -> bool:
    """False for a deferred module no one has used yet (tests/test_startup_imports.py)."""
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
