"""The six case operations of the Pandabase Store API v2, under `/v2/core/stores/{storeId}/cases…`.

Checks run in the sheet's order: auth (401), rate (429), scope (403), schema (400: params, body,
querystring, headers, in Fastify's order and words), store binding (403), handler rules (400),
lookup (404), state rules (400). Every reply carries X-Request-ID, X-Version and X-RateLimit-*.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from sortedcontainers import SortedList
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...pagination import KeysetView
from ...provider import sandbox_of
from . import errors, inferred
from .auth import RateInfo, authenticate
from .models import CASE_PRIORITIES, CASE_STATUSES, SETTABLE_STATUSES, AttachmentRecord, TokenRecord
from .serialize import case_detail_json, case_json, message_json

PREFIX = "/pandabase"
BASE = "/v2/core/stores/{storeId}/cases"
ENUM = "must be equal to one of the allowed values"
MAX_BODY = 4000
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10_485_760
ALLOWED_MIME = re.compile(r"^(image/[A-Za-z0-9.+-]+|application/pdf|text/plain|application/zip)$", re.IGNORECASE)

Handler = Callable[[Request, Any, TokenRecord], Awaitable[Response]]


# -- schema checks in Fastify/ajv's words (with its type coercion) ---------------------------------


def _js_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _as_string(where: str, value: Any) -> str:
    """ajv coerces scalars to strings (coerceTypes); arrays and objects fail."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _js_number(value)
    if value is None:
        return ""
    raise errors.invalid(where, "must be string")


def _as_integer(where: str, value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip():
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if math.isfinite(number) and number.is_integer():
            return int(number)
    if value is None:
        return 0
    raise errors.invalid(where, "must be integer")


def _length(where: str, value: str, low: int, high: int) -> str:
    if len(value) < low:
        raise errors.invalid(where, f"must NOT have fewer than {low} characters")
    if len(value) > high:
        raise errors.invalid(where, f"must NOT have more than {high} characters")
    return value


def _range(where: str, value: int, low: int | None, high: int | None) -> int:
    if low is not None and value < low:
        raise errors.invalid(where, f"must be >= {low}")
    if high is not None and value > high:
        raise errors.invalid(where, f"must be <= {high}")
    return value


def _path_id(request: Request, name: str) -> str:
    return _length(f"params/{name}", request.path_params[name], inferred.ID_MIN, inferred.ID_MAX)


def _query_value(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if not values:
        return None
    if len(values) > 1:  # an array for a scalar: ajv's coerceTypes "array" does not unwrap two items
        raise errors.invalid(f"querystring/{name}", "must be string" if name not in ("page", "limit") else "must be integer")
    return values[0]


def _query_int(request: Request, name: str, default: int, high: int | None) -> int:
    raw = _query_value(request, name)
    if raw is None:
        return default
    where = f"querystring/{name}"
    if not raw.strip():
        raise errors.invalid(where, "must be integer")
    return _range(where, _as_integer(where, raw), 1, high if high is not None else inferred.MAX_SAFE_PAGE)


def _query_enum(request: Request, name: str, allowed: tuple[str, ...]) -> str | None:
    raw = _query_value(request, name)
    if raw is not None and raw not in allowed:
        raise errors.invalid(f"querystring/{name}", ENUM)
    return raw


def _query_id(request: Request, name: str) -> str | None:
    raw = _query_value(request, name)
    if raw is None:
        return None
    return _length(f"querystring/{name}", raw, inferred.ID_MIN, inferred.ID_MAX)


def _idempotency_key(request: Request) -> None:
    """Documented on every operation (8-32 chars) with no semantics for cases: checked, ignored."""
    key = request.headers.get("idempotency-key")
    if key is not None:
        _length("headers/idempotency-key", key, inferred.IDEMPOTENCY_KEY_MIN, inferred.IDEMPOTENCY_KEY_MAX)


async def _json_body(request: Request, required: bool) -> Any:
    """Fastify's content-type parser: 415 for non-JSON, 400 for empty or broken JSON."""
    raw = await request.body()
    content_type = request.headers.get("content-type")
    if content_type is None:
        if raw:
            raise errors.PandabaseError(415, inferred.UNSUPPORTED_MEDIA.format(type="undefined"))
        return None
    media = content_type.split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise errors.PandabaseError(415, inferred.UNSUPPORTED_MEDIA.format(type=content_type))
    if not raw.strip():
        if not required:
            return None
        raise errors.bad_request(inferred.EMPTY_JSON)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise errors.bad_request(inferred.BAD_JSON) from None


def _object(body: Any) -> dict:
    if not isinstance(body, dict):
        raise errors.invalid("body", "must be object")
    return body


# -- the wrapper every operation runs in -----------------------------------------------------


def endpoint(scope: str, operation: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        state = sandbox_of(request).state("pandabase")
        try:
            token = await authenticate(request, state, scope, operation)
            _path_id(request, "storeId")
            if "caseId" in request.path_params:
                _path_id(request, "caseId")
            response = await handler(request, state, token)
        except errors.PandabaseError as exc:
            response = exc.response()
        return _finish(request, response)

    return run


def _finish(request: Request, response: Response) -> Response:
    info: RateInfo | None = request.scope.get("pandabase_rate")
    if info is None:
        limit = inferred.REQUESTS_PER_SECOND
        info = RateInfo(limit, limit, int(time.time()) + 1, "GlobalResource")
    return errors.add_common_headers(response, info.limit, info.remaining, info.reset, info.kind)


def _own_store(request: Request, state, token: TokenRecord) -> str:
    store_id = request.path_params["storeId"]
    if store_id != token.store_id:
        raise errors.other_store(state.rules.other_store_status)
    return store_id


def _case(request: Request, state, store_id: str):
    case = state.cases.get(request.path_params["caseId"])
    if case is None or case.store_id != store_id:  # another store's case is simply not found
        raise errors.case_not_found()
    return case


def _pagination(page: int, limit: int, total: int) -> dict[str, int]:
    pages = math.ceil(total / limit)
    if total == 0 and inferred.TOTAL_PAGES_WHEN_EMPTY_IS_ONE:
        pages = 1
    return {"page": page, "limit": limit, "total": total, "totalPages": pages}


def _envelope(data: bytes) -> bytes:
    return b'{"ok":true,"data":' + data + b"}"


def _ok(data: bytes, status: int = 200) -> Response:
    return errors.json_response(_envelope(data), status)


# -- the six operations ----------------------------------------------------------------------


async def list_cases(request: Request, state, token: TokenRecord) -> Response:
    page_key = (request.path_params.get("storeId"), request.scope["query_string"])
    cached = state.cases.cached_page(page_key)
    if cached is not None:  # only valid queries are cached: the schema checks below would pass
        _idempotency_key(request)
        _own_store(request, state, token)
        return errors.json_response(cached)
    page = _query_int(request, "page", 1, None)
    limit = _query_int(request, "limit", inferred.CASE_PAGE_SIZE, inferred.MAX_PAGE_SIZE)
    status = _query_enum(request, "status", CASE_STATUSES)
    priority = _query_enum(request, "priority", CASE_PRIORITIES)
    customer_id = _query_id(request, "customerId")
    order_id = _query_id(request, "orderId")
    _idempotency_key(request)
    store = _own_store(request, state, token)

    # The narrowest index does the work. A customer's or an order's few cases are gathered (from
    # their group and the store's generated columns) into a small index of their own.
    if order_id is not None or customer_id is not None:
        keys = state.owner_keys(store, customer_id, order_id, status, priority)
        view = KeysetView(state.cases, [SortedList(keys)], None, None, True, None)
    elif status and priority:
        view = state.cases.view([(store, "sp", status, priority)], descending=True)
    elif status:
        view = state.cases.view([(store, "s", status)], descending=True)
    elif priority:
        view = state.cases.view([(store, "p", priority)], descending=True)
    else:
        view = state.cases.view([(store,)], descending=True)
    total = view.count()
    keys = view.offset((page - 1) * limit, limit) if (page - 1) * limit < total else []
    items = state.cases.fragments(keys, "case", lambda c: case_json(c, state))
    body = (
        b'{"items":[' + b",".join(items) + b'],"pagination":' + orjson.dumps(_pagination(page, limit, total)) + b"}"
    )
    return errors.json_response(state.cases.cache_page(page_key, _envelope(body)))


async def get_case(request: Request, state, token: TokenRecord) -> Response:
    _idempotency_key(request)
    case = _case(request, state, _own_store(request, state, token))
    return _ok(case_detail_json(case, state))


async def update_case(request: Request, state, token: TokenRecord) -> Response:
    body = _object(await _json_body(request, required=True))
    priority = status = None
    if "priority" in body:
        priority = _as_string("body/priority", body["priority"])
        if priority not in CASE_PRIORITIES:
            raise errors.invalid("body/priority", ENUM)
    if "status" in body:
        status = _as_string("body/status", body["status"])
        if status not in SETTABLE_STATUSES:
            raise errors.invalid("body/status", ENUM)
    _idempotency_key(request)
    store = _own_store(request, state, token)
    if priority is None and status is None:
        raise errors.bad_request("Nothing to update")
    case = _case(request, state, store)
    problem = state.lifecycle.patch(case, priority, status, sandbox_of(request).now())
    if problem:
        raise errors.bad_request(problem)
    return _ok(case_json(case, state))


async def list_messages(request: Request, state, token: TokenRecord) -> Response:
    page = _query_int(request, "page", 1, None)
    limit = _query_int(request, "limit", inferred.MESSAGE_PAGE_SIZE, inferred.MAX_PAGE_SIZE)
    _idempotency_key(request)
    case = _case(request, state, _own_store(request, state, token))
    start = (page - 1) * limit
    chosen = case.messages[start : start + limit] if start < len(case.messages) else []  # oldest first
    body = (
        b'{"items":['
        + b",".join(message_json(m) for m in chosen)
        + b'],"pagination":'
        + orjson.dumps(_pagination(page, limit, len(case.messages)))
        + b"}"
    )
    return _ok(body)


def _attachments(body: dict) -> list[AttachmentRecord]:
    """The [OAS] schema: up to 5 `{attachmentId, filename, mimeType, sizeBytes}`, all required."""
    if "attachments" not in body:
        return []
    items = body["attachments"]
    if not isinstance(items, list):
        raise errors.invalid("body/attachments", "must be array")
    if len(items) > MAX_ATTACHMENTS:
        raise errors.invalid("body/attachments", f"must NOT have more than {MAX_ATTACHMENTS} items")
    found = []
    for n, item in enumerate(items):
        where = f"body/attachments/{n}"
        if not isinstance(item, dict):
            raise errors.invalid(where, "must be object")
        for name in ("attachmentId", "filename", "mimeType", "sizeBytes"):
            if name not in item:
                raise errors.invalid(where, f"must have required property '{name}'")
        ident = _length(f"{where}/attachmentId", _as_string(f"{where}/attachmentId", item["attachmentId"]), 12, 48)
        filename = _length(f"{where}/filename", _as_string(f"{where}/filename", item["filename"]), 1, 255)
        mime = _length(f"{where}/mimeType", _as_string(f"{where}/mimeType", item["mimeType"]), 1, 128)
        size = _range(f"{where}/sizeBytes", _as_integer(f"{where}/sizeBytes", item["sizeBytes"]), 1, MAX_ATTACHMENT_BYTES)
        found.append(AttachmentRecord(ident, filename, mime, size))
    return found


async def send_message(request: Request, state, token: TokenRecord) -> Response:
    body = _object(await _json_body(request, required=True))
    if "body" not in body:
        raise errors.invalid("body", "must have required property 'body'")
    text = _length("body/body", _as_string("body/body", body["body"]), 1, MAX_BODY)
    attachments = _attachments(body)
    _idempotency_key(request)
    store = _own_store(request, state, token)
    for attachment in attachments:
        if not ALLOWED_MIME.match(attachment.mime_type):
            raise errors.bad_request(inferred.ATTACHMENT_TYPE_NOT_ALLOWED.format(type=attachment.mime_type))
    case = _case(request, state, store)
    sender = token.id if inferred.REPLY_SENDER == "token" else state.member_ids[store]
    result = state.lifecycle.merchant_reply(case, text, attachments, sender, sandbox_of(request).now())
    if isinstance(result, str):
        raise errors.bad_request(result)
    return _ok(message_json(result), 201)


async def mark_read(request: Request, state, token: TokenRecord) -> Response:
    await _json_body(request, required=False)  # "no body"; a JSON one is parsed and ignored
    _idempotency_key(request)
    case = _case(request, state, _own_store(request, state, token))
    state.lifecycle.mark_read(case, sandbox_of(request).now())
    return _ok(b'{"ok":true,"read":true}')  # [OAS] says {ok:true}, [OAS-HW] {read:true}: both keys


def unknown_path(request: Request) -> errors.PandabaseError:
    """Fastify's 404 in the V2 envelope (the catch-all route below adds the common headers)."""
    path = request.url.path
    if path.startswith(PREFIX + "/"):
        path = path[len(PREFIX) :]
    if request.url.query:
        path += "?" + request.url.query
    return errors.PandabaseError(404, inferred.ROUTE_NOT_FOUND.format(method=request.method, path=path))


async def unknown_route(request: Request) -> Response:
    """Fastify's 404 in the V2 envelope; wrong methods on known paths land here too (no 405)."""
    path = request.url.path
    if path.startswith(PREFIX + "/"):
        path = path[len(PREFIX) :]
    if request.url.query:
        path += "?" + request.url.query
    response = errors.PandabaseError(404, inferred.ROUTE_NOT_FOUND.format(method=request.method, path=path)).response()
    return _finish(request, response)


ROUTES = [
    Route(BASE, endpoint("CASES_READ", "list", list_cases), methods=["GET"]),
    Route(BASE + "/", endpoint("CASES_READ", "list", list_cases), methods=["GET"]),
    Route(BASE + "/{caseId}", endpoint("CASES_READ", "get", get_case), methods=["GET"]),
    Route(BASE + "/{caseId}", endpoint("CASES_WRITE", "update", update_case), methods=["PATCH"]),
    Route(BASE + "/{caseId}/messages", endpoint("CASES_READ", "messages", list_messages), methods=["GET"]),
    Route(BASE + "/{caseId}/messages", endpoint("CASES_WRITE", "reply", send_message), methods=["POST"]),
    Route(BASE + "/{caseId}/read", endpoint("CASES_WRITE", "read", mark_read), methods=["POST"]),
    Route("/{rest:path}", unknown_route, methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
]
