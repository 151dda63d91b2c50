"""Whop's error body `{"error":{"type","message","code"?,"param"?}}` with the documented texts
(docs/providers/whop.md, "Errors")."""

from __future__ import annotations

from http import HTTPStatus

from ...errors import ProviderError
from ...jsonresp import JSON, WireModel
from . import inferred


class ErrorDetail(WireModel):
    type: str
    message: str
    code: str | None = None  # `parameter_invalid`, `parameter_missing`, `invalid_json` on 400s
    param: str | None = None  # the parameter a 400 is about


class ErrorBody(WireModel):
    """Every error Whop answers: `{"error": {"type", "message", "code"?, "param"?}}`."""

    error: ErrorDetail


class WhopError(ProviderError):
    def __init__(self, status: int, type: str, message: str, reason: str = "", **extra: str | None) -> None:
        super().__init__(message)
        self.status, self.type, self.message, self.extra = status, type, message, extra
        self.reason = reason or message
        self.headers: dict[str, str] = {}

    def response(self) -> JSON:
        detail = ErrorDetail(type=self.type, message=self.message, **self.extra)
        body = ErrorBody(error=detail).model_dump_json(exclude_unset=True).encode()
        return JSON(body, status_code=self.status, headers=self.headers)


def bad_request(param: str, message: str | None = None, reason: str = "") -> WhopError:
    return WhopError(
        400,
        "invalid_request_error",
        message or "Invalid request parameters.",
        reason,
        code="parameter_invalid",
        param=param,
    )


def unauthorized(reason: str = "") -> WhopError:
    return WhopError(401, "unauthorized", "Invalid or missing API key", reason)


def forbidden(reason: str = "") -> WhopError:
    return WhopError(403, "forbidden", "You do not have permission to access this resource", reason)


def not_found(reason: str = "") -> WhopError:
    return WhopError(404, "not_found", "Resource not found", reason)


def conflict(message: str, reason: str | None = None) -> WhopError:
    """A write the record's state does not allow (the SDK maps 409 to ConflictError on every case write)."""
    return WhopError(409, "conflict", message, reason or "")


def idempotency_mismatch() -> WhopError:
    return WhopError(
        409,
        "idempotency_error",
        "Keys for idempotent requests can only be used with the same parameters they were first used with.",
    )


def rate_limited(retry_after: int) -> WhopError:
    error = WhopError(429, "rate_limit_exceeded", f"Try again in {retry_after} seconds.")
    error.headers["Retry-After"] = str(retry_after)  # the SDK honours it (docs/providers/whop.md)
    return error


def other_company_filter() -> WhopError:
    reason = "company_id/account_id names a company the key cannot read"
    return forbidden(reason) if inferred.OTHER_COMPANY_FILTER_STATUS == 403 else not_found(reason)


def other_company_case() -> WhopError:
    reason = "the case belongs to another company"
    return not_found(reason) if inferred.OTHER_COMPANY_CASE_STATUS == 404 else forbidden(reason)


def _for_status(status: int) -> WhopError:
    """The documented body of a status; any other 4xx/5xx in the same envelope, its HTTP phrase as
    the message and a snake_case type (docs/providers/whop.md, "Errors")."""
    documented = {
        400: bad_request(""),
        401: unauthorized(),
        403: forbidden(),
        404: not_found(),
        409: conflict("The request conflicts with the resource's current state."),
        422: WhopError(422, "verification_required", "Verification is required to complete this request"),
        500: WhopError(500, "internal_server_error", "An unexpected error occurred"),
    }
    if status in documented:
        return documented[status]
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Client error" if status < 500 else "Server error"
    return WhopError(status, phrase.lower().replace(" ", "_").replace("-", "_"), phrase)


def fault_response(status: int, retry_after: int = 1) -> JSON:
    """A forced fault: the given status, in Whop's shape."""
    if status == 429:
        return rate_limited(retry_after).response()
    return _for_status(status).response()
