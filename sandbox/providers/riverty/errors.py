"""Riverty's error bodies (docs/providers/riverty.md §9): the ASP.NET Web API one-key `message` object for 401/429/500,
ASP.NET Core ProblemDetails (validation form for bad input) for 400/404/413/415/422, an empty 403 and
204, and the serialised .NET exception the comments page documents."""

from __future__ import annotations

import hashlib
from http import HTTPStatus

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...errors import ProviderError
from . import inferred

PROBLEM_TYPE = "application/problem+json; charset=utf-8"
RFC = "https://tools.ietf.org/html/"
TYPES = {
    400: RFC + "rfc7231#section-6.5.1",
    404: RFC + "rfc7231#section-6.5.4",
    413: RFC + "rfc7231#section-6.5.11",
    415: RFC + "rfc7231#section-6.5.13",
    422: RFC + "rfc4918#section-11.2",
}
TITLES = {
    400: "Bad Request",
    404: "Not Found",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
}


class RivertyError(ProviderError):
    """An answer in Riverty's shape; raised by validators, rendered by the route."""

    def __init__(self, status: int, body: dict | None, media_type: str = "application/json") -> None:
        super().__init__(status)
        self.status, self.body, self.media_type = status, body, media_type
        self.headers: dict[str, str] = {}

    def response(self) -> Response:
        if self.body is None:
            return Response(b"", status_code=self.status, headers=self.headers)
        return Response(orjson.dumps(self.body), self.status, self.headers, self.media_type)


def trace_id(request: Request | None) -> str:
    """W3C traceparent-style id as ASP.NET Core puts in ProblemDetails; derived from the request
    so that the same request gets the same body (byte-identical after a reset)."""
    seed = f"{request.method} {request.url.path}?{request.url.query}" if request else "fault"
    digest = hashlib.blake2s(seed.encode(), digest_size=24).hexdigest()
    return f"00-{digest[:32]}-{digest[32:48]}-00"


def _message(text: str) -> dict:
    return {inferred.UNAUTHORIZED_MESSAGE_KEY: text}


def unauthorized() -> RivertyError:
    return RivertyError(401, _message("Authorization has been denied for this request."))


def forbidden() -> RivertyError:
    """Another client's resource (Gen 1 path clientId, Gen 2 shop filter): the status, no body."""
    return RivertyError(inferred.OTHER_CLIENT_STATUS, None)


def no_content() -> RivertyError:
    return RivertyError(204, None)


def rate_limited(retry_after: int) -> RivertyError:
    error = RivertyError(429, _message("Too many requests."))
    error.headers["Retry-After"] = str(retry_after)  # fake-only convenience (docs/providers/riverty.md §10)
    return error


def server_error() -> RivertyError:
    return RivertyError(500, _message("Internal server error."))


def validation(errors: dict[str, list[str]], request: Request | None) -> RivertyError:
    """ASP.NET Core's automatic 400 for model-binding/validation failures."""
    body = {
        "type": TYPES[400],
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": errors,
        "traceId": trace_id(request),
    }
    return RivertyError(400, body, PROBLEM_TYPE)


def problem(status: int, request: Request | None, detail: str | None = None, title: str | None = None,
            reason: str = "") -> RivertyError:
    """A plain ProblemDetails {type, title, status, detail, instance, traceId}."""
    body: dict = {"type": TYPES.get(status, TYPES[400]), "title": title or TITLES.get(status, "Error"), "status": status}
    if detail is not None:
        body["detail"] = detail
    if request is not None:
        body["instance"] = request.url.path
    body["traceId"] = trace_id(request)
    error = RivertyError(status, body, PROBLEM_TYPE)
    error.reason = reason or detail or ""
    return error


def not_valid(name: str, value: str) -> tuple[str, str]:
    return name, f"The value '{value}' is not valid."


def exception_body(message: str, status: int) -> RivertyError:
    """The serialised .NET `Exception` the comments page documents as its error schema."""
    body = {
        "message": message,
        "statusCode": status,
        "data": {},
        "innerException": None,
        "helpLink": None,
        "source": inferred.EXCEPTION_SOURCE,
        "hResult": inferred.EXCEPTION_HRESULT,
        "stackTrace": None,
        "targetSite": None,
    }
    return RivertyError(status, body)


def unknown_dispute(status: int) -> RivertyError:
    """Gen 1/Gen 2 get of an unknown or other tenant's dispute: 204 (default) or 404."""
    return no_content() if status == 204 else problem(404, None)


def fault_response(status: int, retry_after: int = 1) -> Response:
    """The body for a forced fault."""
    return _fault(status, retry_after).response()


def _fault(status: int, retry_after: int) -> RivertyError:
    """Each documented status in its documented shape; any other status keeps its number: a 4xx
    as ProblemDetails, a 5xx as the one-key `message` object (docs/providers/riverty.md §9)."""
    if status == 401:
        return unauthorized()
    if status == 403:
        return forbidden()
    if status == 429:
        return rate_limited(retry_after)
    if status == 400:
        return problem(400, None, "Invalid request")
    if status == 500 or not inferred.FAULT_STATUS_KEPT:
        return server_error()
    phrase = _phrase(status)
    if status < 500:
        return problem(status, None, title=TITLES.get(status, phrase))
    return RivertyError(status, _message(phrase + "."))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
