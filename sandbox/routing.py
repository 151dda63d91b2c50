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


class Route(routing.Route):
    """Starlette's `Route` with the same arguments and behaviour; `path_regex`, `path_format` and
    `param_convertors` are made from `path` the first time one is read (matching a request,
    building a URL), by Starlette's own `compile_path`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        assert path.startswith("/"), "Routed paths must start with '/'"  # Starlette's check, before "/" stands in
        super().__init__("/", endpoint, **kwargs)  # compiles "/" only, from `re`'s cache after the first route
        self.path = path
        for name in _COMPILED:
            delattr(self, name)

    if not TYPE_CHECKING:  # mypy keeps seeing Starlette's attributes, which every read finds set

        def __getattr__(self, name: str) -> Any:
            """Only called for an attribute not set: the three compiled ones before their first read."""
            if name not in _COMPILED:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            for key, value in zip(_COMPILED, routing.compile_path(self.path), strict=True):
                setattr(self, key, value)
            return getattr(self, name)


def is_compiled(route: routing.BaseRoute) -> bool:
    """False for a route of ours no request has matched yet (tests/test_startup_imports.py)."""
    return "path_regex" in vars(route)
