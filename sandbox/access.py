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


def front_door_body(request: Request) -> bytes | None:
    """The body the front door read already (whole, within `--max-body`), if it read one."""
    body: bytes | None = request.scope.get("sandbox.body")
    return body


async def request_body(request: Request) -> bytes:
    """The request's body: the front door's (`front_door_body`), else read now. A write then reads its
    body once, not a second time through Starlette's stream."""
    body = front_door_body(request)
    return body if body is not None else await request.body()
