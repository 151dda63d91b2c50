"""What every Riverty handler shares: the JSON answer and the absolute base that Gen 2 download
links start with (the typed state accessor is `state.state_of`)."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...access import host_params

JSON_TYPE = "application/json; charset=utf-8"
URL_MARK = b'"originalFileUrl":"'  # where a cached Gen 2 fragment takes the request's base


def api_base(request: Request) -> str:
    """Absolute base for Gen 2 download links: the real host in host mode, else `…/riverty`."""
    host = request.headers.get("host", "localhost")
    prefix = "" if host_params(request) else "/riverty"
    return f"{request.scope.get('scheme', 'http')}://{host}{prefix}"  # what request.url.scheme reads, unbuilt


def with_base(body: bytes, base: str) -> bytes:
    """Put the request's base in front of every `originalFileUrl` of a body rendered without one.

    Fragments are cached once for every client (the base comes from the client's Host header, so
    keying the cache on it grew one cache per Host). The mark cannot occur inside a JSON string:
    there its quotes would be escaped."""
    return body.replace(URL_MARK, URL_MARK + orjson.dumps(base)[1:-1])


def json_response(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=JSON_TYPE)
