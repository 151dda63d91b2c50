"""The one error path: a handler raises its provider's error, the core renders it once.

Each provider's error class subclasses `ProviderError` and knows its own wire shape (`response`).
The app registers one exception handler for the base class (moto's way: handlers raise, the
responder renders), so no handler catches and converts its own errors.
"""

from __future__ import annotations

from http import HTTPStatus

import orjson
from starlette.requests import Request
from starlette.responses import Response

REASON_EXCERPT = 300  # bytes of an error body a fallback reason reads
_MESSAGE_KEYS = ("errors", "message", "error_description", "error", "detail", "msg", "title", "description")


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
    """Render `exc`, leaving its reason in the scope for the request journal and the access log
    (a fallback read from the status and body where the error names none)."""
    assert isinstance(exc, ProviderError)
    response = exc.render(request)
    reason = exc.reason or fallback_reason(response.status_code, bytes(response.body)[:REASON_EXCERPT])
    request.scope["sandbox.reason"] = reason
    return response


def fallback_reason(status: int, body: bytes) -> str:
    """Plain words for a refusal that named no reason: the status and the message its body gives
    (`404 Not Found: Case not found`)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "error"
    message = _message(body)
    return f"{status} {phrase}: {message}" if message else f"{status} {phrase}"


def _message(body: bytes) -> str:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body.decode("utf-8", "replace").strip()[:160]
    for _ in range(4):  # {"error": {"message": ...}}, [{"msg": ...}]: a few levels down at most
        if isinstance(data, list) and data:
            data = data[0]
        elif isinstance(data, dict):
            found = next((data[k] for k in _MESSAGE_KEYS if data.get(k)), None)
            if found is None:
                break
            data = found
        else:
            break
    if isinstance(data, str | int | float):
        return str(data)[:160]
    return orjson.dumps(data).decode()[:160] if data else ""
