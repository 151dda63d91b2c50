"""Errors as `{"statusCode", "message", "error"}`: NestJS's default exception bodies (the error
shape is undocumented; docs/providers/orderprotection.md "Errors" says why this one).

Validation failures carry `message` as a list of class-validator style sentences naming the field;
the others a string. 401 has no `error` key, as NestJS's bare UnauthorizedException renders.
"""

from __future__ import annotations

from http import HTTPStatus

from ...errors import ProviderError
from ...jsonresp import JSON
from . import inferred, wire


class OPError(ProviderError):
    """`error` is NestJS's reason phrase (the body's `error` key, absent when None); `reason` the
    plain-words refusal the journal shows (default: the message)."""

    def __init__(self, status: int, message: str | list[str], error: str | None = None, reason: str = "") -> None:
        super().__init__(str(message))
        self.status, self.message, self.error = status, message, error
        self.reason = reason or (message if isinstance(message, str) else "; ".join(message))
        self.headers: dict[str, str] = {}

    def body(self) -> dict[str, object]:
        return wire.ErrorBody(statusCode=self.status, message=self.message, error=self.error or None).model_dump(exclude_none=True)

    def response(self) -> JSON:
        return JSON(self.body(), status_code=self.status, headers=self.headers)


def bad_request(*messages: str) -> OPError:
    return OPError(400, list(messages), "Bad Request")


def bad_json(detail: str) -> OPError:
    return OPError(400, detail, "Bad Request")


def unauthorized(reason: str = "") -> OPError:
    return OPError(401, inferred.ERROR_401_MESSAGE, reason=reason)


def forbidden(reason: str = "") -> OPError:
    return OPError(403, inferred.ERROR_403_MESSAGE, "Forbidden", reason)


def not_found(message: str) -> OPError:
    return OPError(404, message, "Not Found")


def unknown_order(source_order_id: str) -> OPError:
    """An order that does not exist, or belongs to another store."""
    if inferred.UNKNOWN_ORDER_STATUS == 404:
        return not_found(f"Order {source_order_id} not found")
    return forbidden()


def rate_limited(retry_after: int) -> OPError:
    error = OPError(429, inferred.ERROR_429_MESSAGE)
    error.headers["Retry-After"] = str(retry_after)
    return error


def server_error() -> OPError:
    return OPError(500, inferred.ERROR_500_MESSAGE)


def fault_response(status: int, retry_after: int = 1) -> JSON:
    """The body for a forced fault of any status 400-599, keeping the status."""
    return fault(status, retry_after).response()


def fault(status: int, retry_after: int = 1) -> OPError:
    """What NestJS answers for a bare `HttpException(phrase, status)`: `{statusCode, message}` with
    the status phrase as message (its built-in 4xx exceptions add `error`); 5xx as its filter does."""
    if status == 429:
        return rate_limited(retry_after)
    if status == 400:
        return bad_request("Bad request")
    if status == 401:
        return unauthorized()
    if status == 403:
        return forbidden()
    if status == 404:
        return not_found("Not Found")
    if status >= 500:
        return OPError(status, inferred.ERROR_500_MESSAGE)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = inferred.ERROR_UNNAMED_4XX_MESSAGE
    return OPError(status, phrase)
