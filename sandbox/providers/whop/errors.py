"""Whop's error body `{"error":{"type","message","code"?,"param"?}}` with the documented texts."""

from __future__ import annotations

from ...errors import ProviderError
from ...jsonresp import JSON
from . import inferred


class WhopError(ProviderError):
    def __init__(self, status: int, type: str, message: str, **extra: str | None) -> None:
        super().__init__(message)
        self.status, self.type, self.message, self.extra = status, type, message, extra
        self.headers: dict[str, str] = {}

    def response(self) -> JSON:
        body = {"type": self.type, "message": self.message, **self.extra}
        return JSON({"error": body}, status_code=self.status, headers=self.headers)


def bad_request(param: str, message: str | None = None) -> WhopError:
    return WhopError(
        400,
        "invalid_request_error",
        message or "Invalid request parameters.",
        code="parameter_invalid",
        param=param,
    )


def unauthorized() -> WhopError:
    return WhopError(401, "unauthorized", "Invalid or missing API key")


def forbidden() -> WhopError:
    return WhopError(403, "forbidden", "You do not have permission to access this resource")


def not_found() -> WhopError:
    return WhopError(404, "not_found", "Resource not found")


def rate_limited(retry_after: int) -> WhopError:
    error = WhopError(429, "rate_limit_exceeded", f"Try again in {retry_after} seconds.")
    error.headers["Retry-After"] = str(retry_after)  # the SDK honours it (sheet §10)
    return error


def other_company_filter() -> WhopError:
    return forbidden() if inferred.OTHER_COMPANY_FILTER_STATUS == 403 else not_found()


def other_company_case() -> WhopError:
    return not_found() if inferred.OTHER_COMPANY_CASE_STATUS == 404 else forbidden()


def fault_response(status: int, retry_after: int = 1) -> JSON:
    """The documented body for a status, for forced faults."""
    if status == 429:
        return rate_limited(retry_after).response()
    error = {
        400: bad_request("", None),
        401: unauthorized(),
        403: forbidden(),
        404: not_found(),
        422: WhopError(422, "verification_required", "Verification is required to complete this request"),
    }.get(status) or WhopError(500, "internal_server_error", "An unexpected error occurred")
    return error.response()


def conflict(message: str, reason: str | None = None) -> WhopError:
    """A write the record's state does not allow (the SDK maps 409 to ConflictError)."""
    error = WhopError(409, "conflict", message)
    error.reason = reason or message
    return error
