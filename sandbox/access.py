"""What a request handler reaches the running sandbox through.

Kept apart from `sandbox/provider.py` (the interface providers implement) so that the interface does
not import the runtime that imports it: `access → runtime → webhooks → provider`, no circle.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from .runtime import Sandbox


def sandbox_of(request: Request) -> Sandbox:
    """The request's namespace (`/_ns/{name}/...`, sandbox/namespaces.py), else the app's
    default sandbox (set by `sandbox.app.create_app`)."""
    sandbox: Sandbox = request.scope.get("sandbox.sandbox") or request.app.state.sandbox
    return sandbox


def host_params(request: Request) -> dict[str, str]:
    """Named groups of the host-mode pattern that routed this request (e.g. Shoplazza's store)."""
    params: dict[str, Any] = request.scope.get("sandbox.host", {})
    return params
