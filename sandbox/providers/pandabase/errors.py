"""Pandabase's V2 error envelope `{"ok":false,"error":"<message>"}` and the headers on every reply."""

from __future__ import annotations

import time
from random import getrandbits

import orjson
from starlette.responses import Response

from ...errors import ProviderError
from . import inferred

_VERSION = inferred.API_VERSION.encode()


class PandabaseError(ProviderError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.headers: dict[str, str] = {}

    def response(self) -> Response:
        return json_response({"ok": False, "error": self.message}, self.status, self.headers)


def json_response(content: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = content if isinstance(content, bytes) else orjson.dumps(content)
    return Response(body, status_code=status, headers=headers, media_type=inferred.CONTENT_TYPE)


def add_common_headers(response: Response, limit: int, remaining: int, reset: int, kind: str) -> Response:
    """X-Request-ID, X-Version and X-RateLimit-* go on every response, errors included (sheet §1, §5)."""
    response.raw_headers += [  # appended raw: MutableHeaders rescans the list on every set
        (b"x-request-id", b"%032x" % getrandbits(128)),  # "a random id" (sheet §1)
        (b"x-version", _VERSION),
        (b"x-ratelimit-limit", str(limit).encode()),
        (b"x-ratelimit-remaining", str(remaining).encode()),
        (b"x-ratelimit-reset", str(reset).encode()),
        (b"x-ratelimit-type", kind.encode()),
    ]
    return response


def bad_request(message: str) -> PandabaseError:
    return PandabaseError(400, message)


def invalid(where: str, message: str) -> PandabaseError:
    """A schema failure in Fastify's words: `querystring/limit must be <= 100`."""
    return PandabaseError(400, f"{where} {message}")


def unauthorized(message: str = inferred.INVALID_TOKEN) -> PandabaseError:
    return PandabaseError(401, message)


def forbidden(scopes: list[str]) -> PandabaseError:
    return PandabaseError(403, inferred.MISSING_PERMISSION.format(scopes=", ".join(scopes)))


def other_store(status: int) -> PandabaseError:
    if status == 404:
        return PandabaseError(404, inferred.OTHER_STORE_404_MESSAGE)
    return PandabaseError(403, inferred.OTHER_STORE_MESSAGE)


def case_not_found() -> PandabaseError:
    return PandabaseError(404, inferred.CASE_NOT_FOUND)


def rate_limited(retry_after: int) -> PandabaseError:
    error = PandabaseError(429, inferred.RATE_LIMIT_MESSAGE)
    if inferred.SEND_RETRY_AFTER:
        error.headers["Retry-After"] = str(retry_after)
    return error


def fault_response(status: int, retry_after: int = 1) -> Response:
    """The documented body for a forced fault, with the headers every Pandabase reply carries."""
    if status == 429:
        error = rate_limited(retry_after)
    else:
        error = {
            400: bad_request("Invalid request"),
            401: unauthorized(),
            403: forbidden(["CASES_READ"]),
            404: case_not_found(),
            415: PandabaseError(415, inferred.UNSUPPORTED_MEDIA.format(type="text/plain")),
            503: PandabaseError(503, inferred.UNAVAILABLE),
        }.get(status) or PandabaseError(status if status >= 500 else 500, inferred.INTERNAL_ERROR)
    reset = int(time.time()) + max(1, retry_after)
    remaining = 0 if status == 429 else inferred.REQUESTS_PER_SECOND - 1
    return add_common_headers(error.response(), inferred.REQUESTS_PER_SECOND, remaining, reset, "AccountResource")
