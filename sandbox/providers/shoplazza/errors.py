"""Shoplazza's documented error bodies (docs/providers/shoplazza.md §6), each with the status the
docs give it (or the one chosen in inferred.py).

`{"code","message"}` for parameters and unknown ids, `{"error"}` for token and store problems,
`{"errors":[...]}` for scope, routing, method and throttling, `{"errors":{field:[...]}}` for the
2022-01 webhook API's validation (422), and OAuth 2.0's `{"error","error_description"}` on the
token endpoint. Every response, errors too, carries `Request-Id`: `render` adds it to an error,
`ok` to a success.
"""

from __future__ import annotations

from random import getrandbits
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...errors import ProviderError
from ...generate import uuid4_text
from ...jsonresp import JSON
from . import inferred, wire


class ShoplazzaError(ProviderError):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None, reason: str = "") -> None:
        super().__init__(str(body))
        self.status, self.body, self.headers = status, body, headers or {}
        self.reason = reason or str(body)

    def response(self) -> JSON:
        return JSON(self.body, status_code=self.status, headers=self.headers)

    def render(self, request: Request) -> Response:
        response = self.response()
        response.headers["Request-Id"] = request_id()
        return response


def ok(body: bytes | Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A success in Shoplazza's style: JSON (bytes pass through) with its own `Request-Id`."""
    response = JSON(body, status_code=status, headers=headers)
    response.headers["Request-Id"] = request_id()
    return response


def invalid_parameter(message: str) -> ShoplazzaError:
    return ShoplazzaError(400, wire.CodeError(code="InvalidParameter", message=message).model_dump())


def wrong_cursor() -> ShoplazzaError:
    return invalid_parameter("wrong cursor")  # documented verbatim [SEED]


def unauthorized(status: int = inferred.AUTH_FAILURE_STATUS) -> ShoplazzaError:
    return ShoplazzaError(status, dict(inferred.AUTH_FAILURE_BODY))


def store_not_active() -> ShoplazzaError:
    return ShoplazzaError(inferred.STORE_NOT_ACTIVE_STATUS, wire.StringError(error="store is not active").model_dump())


def forbidden(message: str = inferred.SCOPE_MESSAGE) -> ShoplazzaError:
    return ShoplazzaError(403, wire.ListError(errors=[message]).model_dump())


def dispute_not_found() -> ShoplazzaError:
    return ShoplazzaError(404, dict(inferred.NOT_FOUND_BODY))


def route_not_found() -> ShoplazzaError:
    return ShoplazzaError(404, wire.ListError(errors=["Not Found"]).model_dump())


def method_not_allowed(allowed: tuple[str, ...] = ("GET", "HEAD")) -> ShoplazzaError:
    return ShoplazzaError(405, {"errors": ["Method Not Allowed"]}, {"Allow": ", ".join(allowed)})


def record_not_found() -> ShoplazzaError:
    """The webhook API's unknown id (documented verbatim)."""
    return ShoplazzaError(404, {"errors": ["record not found!"]})


def field_errors(problems: dict[str, list[str]], version: str) -> ShoplazzaError:
    """Validation of a webhook body or query: the 2022-01 reference answers 422 with the messages by
    field; from 2025-06 validation errors are 400 (docs/providers/shoplazza.md §6)."""
    if version in inferred.WRAPPED_WEBHOOK_VERSIONS:
        first = next(iter(problems))
        return invalid_parameter(f"{first} {problems[first][0]}")
    return ShoplazzaError(422, wire.FieldErrors(errors=problems).model_dump())


def oauth_error(status: int, error: str, description: str) -> ShoplazzaError:
    """RFC 6749 §5.2's error body for the token and authorize endpoints (Shoplazza documents none)."""
    return ShoplazzaError(status, wire.OAuthError(error=error, error_description=description).model_dump(), reason=description)


def rate_limited(retry_after: int) -> ShoplazzaError:
    headers = {"Retry-After": str(retry_after)} if inferred.RETRY_AFTER_HEADER else {}
    return ShoplazzaError(429, {"errors": ["Too Many Requests"]}, headers)


def request_id() -> str:
    """A fresh id per response; Shoplazza's own format is undocumented."""
    return uuid4_text(getrandbits(128), dashed=inferred.REQUEST_ID_IS_UUID4)


def fault_response(status: int, retry_after: int = 1) -> JSON:
    """The body a forced fault of `status` gets, with the `Request-Id` every reply carries."""
    response = _fault(status, retry_after).response()
    response.headers["Request-Id"] = request_id()
    return response


def _fault(status: int, retry_after: int) -> ShoplazzaError:
    """The shape the docs give each status; any other keeps its status with the `errors` array."""
    known = {
        400: lambda: invalid_parameter("Bad Request"),
        401: lambda: unauthorized(401),
        403: forbidden,
        404: route_not_found,
        405: method_not_allowed,
        429: lambda: rate_limited(retry_after),
    }
    if status in known:
        return known[status]()
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Internal Server Error"
    return ShoplazzaError(status, {"errors": [phrase]})
