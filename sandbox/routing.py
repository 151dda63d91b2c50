"""The route every route table declares: Starlette's `Route`, its path pattern compiled on first use.

A start declares about 130 routes and a session reaches a few of them, yet Starlette compiles each
route's regex in `Route.__init__`: 1.5% of a start's instructions (docs/architecture.md, Start-up).
The app's router tries a route only when the request's path has the route's literal start (the
text before its first `{`, sandbox/app.py `literal_start`), so most routes never compile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette import routing

_COMPILED = ("path_regex", "path_format", "param_convertors")


class _CompiledOnFirstRead:
    """A non-data descriptor for one of the three: its first read compiles `path` into all three,
    kept in the route's `__dict__`, which Python then reads before the class (so later reads cost
    what any attribute read does; a `__getattr__` would slow every attribute read of the route)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, route: Route | None, owner: type | None = None) -> Any:
        if route is None:
            return self
        route.__dict__.update(zip(_COMPILED, routing.compile_path(route.path), strict=True))
        return route.__dict__[self.name]


class Route(routing.Route):
    """Starlette's `Route` with the same arguments and behaviour; `path_regex`, `path_format` and
    `param_convertors` are made from `path` the first time one is read (matching a request,
    building a URL), by Starlette's own `compile_path`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        assert path.startswith("/"), "Routed paths must start with '/'"  # Starlette's check, before "/" stands in
        super().__init__("/", endpoint, **kwargs)  # compiles "/" only, from `re`'s cache after the first route
        self.path = path
        for name in _COMPILED:
            del self.__dict__[name]  # what "/" made: the class's descriptors answer until the first read

    if not TYPE_CHECKING:  # mypy keeps seeing Starlette's attributes, which every read finds set
        path_regex = _CompiledOnFirstRead()
        path_format = _CompiledOnFirstRead()
        param_convertors = _CompiledOnFirstRead()


def is_compiled(route: routing.BaseRoute) -> bool:
    """False for a route of ours no request has matched yet (tests/test_startup_imports.py)."""
    return "path_regex" in vars(route)
