"""`GET /api/v1/resolution_center_cases[/{id}]`, as SDK 0.0.41 calls them."""

from __future__ import annotations

from datetime import datetime

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...bulk import micros
from ...pagination import CursorError, decode_cursor, encode_cursor, query_fingerprint, relay_slice
from ...provider import sandbox_of
from ...timefmt import parse_instant
from . import dispute_routes, errors, inferred
from .auth import authenticate
from .models import STATUSES
from .serialize import case_json, list_item_json

JSON_TYPE = "application/json"


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise errors.bad_request(name, f"{name} must be an integer") from None
    if value < 0:
        raise errors.bad_request(name, f"{name} must be non-negative")
    return min(value, inferred.MAX_PAGE_SIZE)


def _time_param(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse_instant(raw)
    except ValueError:
        raise errors.bad_request(name, f"{name} must be an ISO 8601 date-time") from None


def _statuses(request: Request) -> list[str]:
    """`statuses=a&statuses=b` (the OAS form) and `statuses[]=a` (what the SDK sends)."""
    values = request.query_params.getlist("statuses") + request.query_params.getlist("statuses[]")
    for value in values:
        if value not in STATUSES:
            raise errors.bad_request("statuses", f"Invalid value for statuses: {value!r}")
    return sorted(set(values))


async def list_cases(request: Request) -> Response:
    state = sandbox_of(request).state("whop")
    try:
        key = authenticate(request, state, "list_resolution_center_cases")
        company_id = request.query_params.get("company_id") or key.company_id
        if company_id != key.company_id:
            raise errors.other_company_filter()
        page_key = (company_id, request.scope["query_string"])
        cached = state.cases.cached_page(page_key)
        if cached is not None:
            return Response(cached, media_type=JSON_TYPE)
        first, last = _int_param(request, "first"), _int_param(request, "last")
        direction = request.query_params.get("direction") or inferred.DEFAULT_DIRECTION
        if direction not in ("asc", "desc"):
            raise errors.bad_request("direction", "direction must be asc or desc")
        statuses = _statuses(request)
        created_after = _time_param(request, "created_after")
        created_before = _time_param(request, "created_before")
        binding = query_fingerprint(company_id, statuses, created_after, created_before, direction)
        after = _cursor(request, "after", binding)
        before = _cursor(request, "before", binding)
    except errors.WhopError as exc:
        return exc.response()

    groups = [(company_id, s) for s in statuses] if statuses else [(company_id,)]
    view = state.cases.view(
        groups,
        lower=(micros(created_after), "\uffff") if created_after else None,
        upper=(micros(created_before), "") if created_before else None,
        descending=direction == "desc",
    )
    if first is None and last is None:
        first = inferred.DEFAULT_PAGE_SIZE
    page = relay_slice(view, after, before, first, last)
    companies = state.companies
    items = state.cases.fragments(page.keys, "list", lambda c: list_item_json(c, companies))
    page_info = {
        "end_cursor": encode_cursor(page.keys[-1], binding) if page.keys else None,
        "start_cursor": encode_cursor(page.keys[0], binding) if page.keys else None,
        "has_next_page": page.has_next_page,
        "has_previous_page": page.has_previous_page,
    }
    body = b'{"data":[' + b",".join(items) + b'],"page_info":' + orjson.dumps(page_info) + b"}"
    return Response(state.cases.cache_page(page_key, body), media_type=JSON_TYPE)


def _cursor(request: Request, name: str, binding: str) -> tuple | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        key = decode_cursor(raw, binding, arity=2)
    except CursorError:
        raise errors.bad_request(name, f"Invalid cursor for {name}") from None
    if type(key[0]) is not int or not isinstance(key[1], str):
        raise errors.bad_request(name, f"Invalid cursor for {name}")
    return key


async def retrieve_case(request: Request) -> Response:
    state = sandbox_of(request).state("whop")
    try:
        key = authenticate(request, state, "retrieve_resolution_center_case")
        case = state.cases.get(request.path_params["id"])
        if case is None:
            raise errors.not_found()
        if case.company_id != key.company_id:
            raise errors.other_company_case()
    except errors.WhopError as exc:
        return exc.response()
    return Response(case_json(case, state.companies), media_type=JSON_TYPE)


def unknown_path(request: Request) -> errors.WhopError:
    return errors.not_found()


ROUTES = [
    Route("/api/v1/resolution_center_cases", list_cases, methods=["GET"]),
    Route("/api/v1/resolution_center_cases/{id:path}", retrieve_case, methods=["GET"]),
    *dispute_routes.ROUTES,
]
