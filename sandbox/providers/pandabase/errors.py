"""Pandabase's V2 error envelope `{"ok":false,"error":"<message>"}` and the headers on every reply
(docs/providers/pandabase.md "Errors", "Rate limits")."""

from __future__ import annotations

import time
from dataclasses import dataclass
from random import getrandbits

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...errors import ProviderError
from . import inferred

_VERSION = inferred.API_VERSION.encode()


@dataclass
class RateInfo:
    """What the X-RateLimit-* headers of this reply say."""

    limit: int
    remaining: int
    reset: int
    kind: str


class PandabaseError(ProviderError):
    def __init__(self, status: int, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.reason = reason or message
        self.headers: dict[str, str] = {}

    def response(self) -> Response:
        return json_response({"ok": False, "error": self.message}, self.status, self.headers)

    def render(self, request: Request) -> Response:
        """Errors carry X-Request-ID, X-Version and X-RateLimit-* like every other reply."""
        return finish(request, self.response())


def finish(request: Request, response: Response) -> Response:
    """The common headers, with the rate window that `auth` recorded for this request (if any)."""
    response.raw_headers += request_headers(request)
    return response


def request_headers(request: Request) -> list[tuple[bytes, bytes]]:
    """`finish`'s headers for this request (a stored answer's per-request part too)."""
    info: RateInfo | None = request.scope.get("pandabase_rate")
    if info is None:
        limit = inferred.REQUESTS_PER_SECOND
        info = RateInfo(limit, limit, int(time.time()) + 1, "GlobalResource")
    return common_headers(info.limit, info.remaining, info.reset, info.kind)


def json_response(content: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = content if isinstance(content, bytes) else orjson.dumps(content)
    return Response(body, status_code=status, headers=headers, media_type=inferred.CONTENT_TYPE)


def add_common_headers(response: Response, limit: int, remaining: int, reset: int, kind: str) -> Response:
    """X-Request-ID, X-Version and X-RateLimit-* go on every response, errors included."""
    response.raw_headers += common_headers(limit, remaining, reset, kind)  # raw: MutableHeaders rescans on every set
    return response


def common_headers(limit: int, remaining: int, reset: int, kind: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"x-request-id", b"%032x" % getrandbits(128)),  # "a random id" (the docs' introduction)
        (b"x-version", _VERSION),
        (b"x-ratelimit-limit", b"%d" % limit),  # %d on bytes: no str made then encoded
        (b"x-ratelimit-remaining", b"%d" % remaining),
        (b"x-ratelimit-reset", b"%d" % reset),
        (b"x-ratelimit-type", kind.encode()),
    ]


def bad_request(message: str) -> PandabaseError:
    return PandabaseError(400, message)


def invalid(where: str, message: str) -> PandabaseError:
    """A schema failure in Fastify's words: `querystring/limit must be <= 100`."""
    return PandabaseError(400, f"{where} {message}")


def unauthorized(message: str = inferred.INVALID_TOKEN) -> PandabaseError:
    return PandabaseError(401, message)


def forbidden(scopes: list[str], token_id: str = "") -> PandabaseError:
    message = inferred.MISSING_PERMISSION.format(scopes=", ".join(scopes))
    return PandabaseError(403, message, f"token {token_id} lacks {', '.join(scopes)}")


def other_store(status: int) -> PandabaseError:
    if status == 404:
        return PandabaseError(404, inferred.OTHER_STORE_404_MESSAGE)
    return PandabaseError(403, inferred.OTHER_STORE_MESSAGE)


def case_not_found() -> PandabaseError:
    return PandabaseError(404, inferred.CASE_NOT_FOUND)


def dispute_not_found() -> PandabaseError:
    return PandabaseError(404, inferred.DISPUTE_NOT_FOUND)


def webhook_not_found() -> PandabaseError:
    return PandabaseError(404, inferred.WEBHOOK_NOT_FOUND)


def rate_limited(retry_after: int) -> PandabaseError:
    error = PandabaseError(429, inferred.RATE_LIMIT_MESSAGE)
    if inferred.SEND_RETRY_AFTER:
        error.headers["Retry-After"] = str(retry_after)
    return error


FAULT_MESSAGES = {  # a forced fault's text per status; any other status keeps its own number
    400: "Invalid request",
    401: inferred.INVALID_TOKEN,
    403: inferred.MISSING_PERMISSION.format(scopes="CASES_READ"),
    404: inferred.CASE_NOT_FOUND,
    415: inferred.UNSUPPORTED_MEDIA.format(type="text/plain"),
    503: inferred.UNAVAILABLE,
}


def fault_response(status: int, retry_after: int = 1) -> Response:
    """A forced fault with any status 400-599, in the V2 envelope with the common headers: the
    table's text where it has one, else the status's own reason phrase (500s: the generic text)."""
    if status == 429:
        error = rate_limited(retry_after)
    else:
        error = PandabaseError(status, FAULT_MESSAGES.get(status) or _phrase(status), "forced fault")
    reset = int(time.time()) + max(1, retry_after)
    remaining = 0 if status == 429 else inferred.REQUESTS_PER_SECOND - 1
    return add_common_headers(error.response(), inferred.REQUESTS_PER_SECOND, remaining, reset, "AccountResource")


def _phrase(status: int) -> str:
    from http import HTTPStatus

    if status >= 500 and status not in (501, 502, 504):
        return inferred.INTERNAL_ERROR
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return inferred.INTERNAL_ERROR if status >= 500 else "Request failed"
