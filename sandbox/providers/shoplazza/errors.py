"""Shoplazza's three documented error bodies (sheet §6), each with the status the sheet maps it to.

`{"code","message"}` for parameters and unknown ids, `{"error"}` for token and store problems,
`{"errors":[...]}` for scope, routing, method and throttling. Every response, errors too, carries
`Request-Id` (added by the route wrapper).
"""

from __future__ import annotations

import uuid
from typing import Any

from ...errors import ProviderError
from ...jsonresp import JSON
from . import inferred


class ShoplazzaError(ProviderError):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(str(body))
        self.status, self.body, self.headers = status, body, headers or {}

    def response(self) -> JSON:
        return JSON(self.body, status_code=self.status, headers=self.headers)


def invalid_parameter(message: str) -> ShoplazzaError:
    return ShoplazzaError(400, {"code": "InvalidParameter", "message": message})


def wrong_cursor() -> ShoplazzaError:
    return invalid_parameter("wrong cursor")  # documented verbatim [SEED]


def unauthorized(status: int = inferred.AUTH_FAILURE_STATUS) -> ShoplazzaError:
    return ShoplazzaError(status, dict(inferred.AUTH_FAILURE_BODY))


def store_not_active() -> ShoplazzaError:
    return ShoplazzaError(inferred.STORE_NOT_ACTIVE_STATUS, {"error": "store is not active"})


def forbidden() -> ShoplazzaError:
    return ShoplazzaError(403, {"errors": [inferred.SCOPE_MESSAGE]})


def dispute_not_found() -> ShoplazzaError:
    return ShoplazzaError(404, dict(inferred.NOT_FOUND_BODY))


def route_not_found() -> ShoplazzaError:
    return ShoplazzaError(404, {"errors": ["Not Found"]})


def method_not_allowed() -> ShoplazzaError:
    return ShoplazzaError(405, {"errors": ["Method Not Allowed"]}, {"Allow": "GET, HEAD"})


def rate_limited(retry_after: int) -> ShoplazzaError:
    headers = {"Retry-After": str(retry_after)} if inferred.RETRY_AFTER_HEADER else {}
    return ShoplazzaError(429, {"errors": ["Too Many Requests"]}, headers)


def request_id() -> str:
    """A fresh id per response; Shoplazza's own format is undocumented."""
    return str(uuid.uuid4()) if inferred.REQUEST_ID_IS_UUID4 else uuid.uuid4().hex


def fault_response(status: int, retry_after: int = 1) -> JSON:
    """The body a forced fault of `status` gets, with the `Request-Id` every reply carries."""
    response = _fault(status, retry_after).response()
    response.headers["Request-Id"] = request_id()
    return response


def _fault(status: int, retry_after: int) -> ShoplazzaError:
    """The shape the sheet gives each status."""
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
