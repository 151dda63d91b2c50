"""Shoplazza's route table and the two dispute reads, `GET /openapi/{version}/shoplazza-payment/
disputes[/{id}]`, as the 2024-07 reference gives them (docs/providers/shoplazza.md §4). Handlers
raise `ShoplazzaError`; the core renders it with a fresh `Request-Id`."""

from __future__ import annotations

import re

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...access import query_of
from ...answers import Headers, remember
from ...jsonresp import JSON, spliced
from ...lazy import lazy_endpoint
from ...pagination import CursorError, decode_cursor, encode_cursor, query_fingerprint
from ...params import ascii_int
from ...routing import Route
from . import errors, inferred
from .auth import authenticate
from .models import STATUSES
from .serialize import dispute_json
from .state import ShoplazzaState, state_of

SUCCESS = b'{"code":"Success","message":"Success","data":'
_TIMESTAMP = re.compile(inferred.TIMESTAMP_PATTERN)
SECOND_US = 1_000_000  # sort keys are (created_at in integer microseconds, id)


def _check_route(request: Request) -> None:
    """Unsupported versions are unknown routes (404); other methods than GET are 405."""
    if request.path_params["version"] not in inferred.VERSIONS:
        raise errors.route_not_found()
    if request.method not in ("GET", "HEAD"):
        raise errors.method_not_allowed()


def _limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return inferred.DEFAULT_LIMIT
    value = ascii_int(raw) if len(raw) <= 3 else None  # ASCII digits only: not `٣`, `1_0` or ` 5`
    if value is None or not 1 <= value <= inferred.MAX_LIMIT:
        raise errors.invalid_parameter("limit is invalid")
    return value


def _timestamp(request: Request, name: str) -> int | None:
    raw = query_of(request).get(name)
    if raw is None or raw == "":
        return None
    if not _TIMESTAMP.fullmatch(raw):
        raise errors.invalid_parameter(f"{name} is invalid")
    return int(raw)


def _cursor(raw: str | None, binding: str) -> tuple | None:
    if not raw:
        return None
    try:
        key = decode_cursor(raw, binding, arity=2)
    except CursorError:
        raise errors.wrong_cursor() from None
    if type(key[0]) is not int or not isinstance(key[1], str):
        raise errors.wrong_cursor()
    return key


async def list_disputes(request: Request) -> Response:
    _check_route(request)
    state = state_of(request)
    store = authenticate(request, state)
    page_key = (store.id, request.scope["query_string"])
    cached = state.disputes.cached_page(page_key)
    if cached is not None:
        return _stored(request, state, cached)
    params = query_of(request)
    limit = _limit(params.get("limit"))
    status = params.get("status") or None
    if status is not None and status not in STATUSES:
        raise errors.invalid_parameter("status is invalid")
    created_min = _timestamp(request, "created_at_min")
    created_max = _timestamp(request, "created_at_max")
    binding = query_fingerprint(store.id, status, created_min, created_max)
    after = _cursor(params.get("cursor"), binding)

    view = state.disputes.view(
        [(store.id, status)] if status else [(store.id,)],
        # keys hold microseconds; the bounds are whole seconds, both inclusive: [min s, max s + 1 s)
        lower=(created_min * SECOND_US, "") if created_min is not None else None,  # ids are non-empty
        upper=((created_max + 1) * SECOND_US, "") if created_max is not None else None,
        descending=True,
    )
    keys = view.after(after, limit + 1)
    has_more = len(keys) > limit
    keys = keys[:limit]
    cursor = encode_cursor(keys[-1], binding) if has_more else inferred.LAST_PAGE_CURSOR
    items = state.disputes.fragments(keys, "dispute", dispute_json)
    head = SUCCESS + b'{"has_more":' + (b"true" if has_more else b"false") + b',"cursor":' + orjson.dumps(cursor) + b',"list":['
    body = spliced(head, items, b"]}}")
    return _stored(request, state, state.disputes.cache_page(page_key, body))


async def get_dispute(request: Request) -> Response:
    _check_route(request)
    state = state_of(request)
    store = authenticate(request, state)
    dispute = state.disputes.get(request.path_params["id"])
    if dispute is None:
        raise errors.dispute_not_found()
    if dispute.store_id != store.id:
        raise errors.dispute_not_found() if inferred.OTHER_STORE_DISPUTE_IS_NOT_FOUND else errors.forbidden()
    fragment = state.disputes.fragment(dispute, "dispute", dispute_json)
    return _stored(request, state, SUCCESS + b'{"dispute":' + fragment + b"}}")


async def _admit(request: Request) -> Headers:
    """A stored read's per-request part (sandbox/answers.py): the checks above, a fresh Request-Id."""
    _check_route(request)
    authenticate(request, state_of(request))
    return [(b"request-id", errors.request_id().encode())]


def _stored(request: Request, state: ShoplazzaState, body: bytes) -> Response:
    """`errors.ok(body)`, stored first (without its Request-Id) for the next identical read."""
    response = remember(request, JSON(body), _admit, state.disputes)
    response.headers["Request-Id"] = errors.request_id()
    return response


def unknown_path(request: Request) -> errors.ShoplazzaError:
    return errors.route_not_found()


ANY = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]  # others get 405/404 in Shoplazza's shape
ROUTES = [
    Route("/openapi/{version}/shoplazza-payment/disputes", list_disputes, methods=ANY),
    Route("/openapi/{version}/shoplazza-payment/disputes/{id}", get_dispute, methods=ANY),
    # the webhook registration API (subscriptions.py) and the OAuth install flow (oauth.py), imported
    # on their first call: no dispute read needs them
    Route("/openapi/{version}/webhooks", lazy_endpoint(f"{__package__}.subscriptions:collection"), methods=ANY),
    Route("/openapi/{version}/webhooks/count", lazy_endpoint(f"{__package__}.subscriptions:count"), methods=ANY),
    Route("/openapi/{version}/webhooks/{id}", lazy_endpoint(f"{__package__}.subscriptions:one"), methods=ANY),
    Route("/admin/oauth/authorize", lazy_endpoint(f"{__package__}.oauth:authorize"), methods=ANY),
    Route("/admin/oauth/token", lazy_endpoint(f"{__package__}.oauth:token"), methods=ANY),
]
