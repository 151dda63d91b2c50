"""The one error path: a handler raises its provider's error, the core renders it once.

Each provider's error class subclasses `ProviderError` and knows its own wire shape (`response`).
The app registers one exception handler for the base class (moto's way: handlers raise, the
responder renders), so no handler catches and converts its own errors.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response


class ProviderError(Exception):
    """An answer in a provider's own error shape. `reason` is the plain-words rule that refused the
    request (logged; the wire body stays the provider's own)."""

    reason: str = ""

    def response(self) -> Response:
        raise NotImplementedError

    def render(self, request: Request) -> Response:
        """The answer to `request`; override where every reply carries per-request headers."""
        return self.response()


async def render_provider_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProviderError)
    return exc.render(request)
