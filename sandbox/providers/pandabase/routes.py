"""The Pandabase Store API v2 operations the sandbox serves, under `/v2/core/stores/{storeId}/…`:
cases (6), disputes (3) and webhook endpoints (5, in `webhook_api.py`); docs/providers/pandabase.md.

Checks run in this order: auth (401), rate (429), scope (403), schema (400: params, body,
querystring, headers, in Fastify's order and words), store binding (403), handler rules (400),
lookup (404), state rules (400). Handlers raise `PandabaseError`; the core renders it once, with
X-Request-ID, X-Version and X-RateLimit-* as on every reply (`PandabaseError.render`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import cache
from operator import attrgetter

import orjson
from sortedcontainers import SortedList
from starlette.requests import Request
from starlette.responses import Response

from ...access import sandbox_of
from ...answers import Headers, remember
from ...lazy import lazy_endpoint
from ...pagination import IndexedCollection, KeysetView
from ...routing import Route
from . import errors, inferred, wire
from .auth import authenticate
from .models import (
    CASE_PRIORITIES,
    CASE_STATUSES,
    DISPUTE_STATUSES,
    SETTABLE_STATUSES,
    AttachmentRecord,
    CaseRecord,
    DisputeRecord,
    TokenRecord,
)
from .params import (
    ENUM,
    as_integer,
    as_string,
    body_string,
    enveloped,
    idempotency_key,
    in_range,
    json_body,
    json_object,
    length,
    ok,
    own_store,
    pagination,
    path_id,
    query_bool,
    query_enum,
    query_id,
    query_int,
)
from .serialize import case_detail_json, case_json, dispute_detail_json, dispute_json, message_json
from .state import PandabaseState, pandabase_state

PREFIX = "/pandabase"
STORE = "/v2/core/stores/{storeId}"
BASE = STORE + "/cases"
DISPUTES = STORE + "/disputes"
MAX_BODY = 4000
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10_485_760
MAX_EVIDENCE = 20_000
ALLOWED_MIME = re.compile(r"^(image/[A-Za-z0-9.+-]+|application/pdf|text/plain|application/zip)$", re.IGNORECASE)


@cache
def _read_body() -> bytes:
    """Both documented variants' keys; made on the first read mark, with the wire classes."""
    return wire.ReadResult(ok=True, read=True).model_dump_json().encode()


Handler = Callable[[Request, PandabaseState, TokenRecord], Awaitable[Response]]


# -- the wrapper every operation runs in -----------------------------------------------------


def endpoint(
    scope: str, operation: str, handler: Handler, made_from: Callable[[PandabaseState], IndexedCollection] | None = None
) -> Callable[[Request], Awaitable[Response]]:
    """Auth, rate and scope, then the path ids (12-48 characters), then the handler; a raised
    PandabaseError is rendered by the core (with the common headers). `made_from`: a list whose
    answer is that collection's alone, stored for the next identical request (sandbox/answers.py)."""

    async def checked(request: Request, state: PandabaseState) -> TokenRecord:
        token = await authenticate(request, state, scope, operation)
        for name in request.path_params:
            path_id(request, name)
        return token

    async def admit(request: Request) -> Headers:
        """A stored list's per-request part: the checks a cached page passes (list_cases)."""
        state = pandabase_state(request)
        valid_list_checks(request, state, await checked(request, state))
        return errors.request_headers(request)

    async def run(request: Request) -> Response:
        state = pandabase_state(request)
        response = await handler(request, state, await checked(request, state))
        if made_from is not None:
            remember(request, response, admit, made_from(state))
        return errors.finish(request, response)

    return run


def _case(request: Request, state: PandabaseState, store_id: str) -> CaseRecord:
    case = state.cases.get(request.path_params["caseId"])
    if case is None or case.store_id != store_id:  # another store's case is simply not found
        raise errors.case_not_found()
    return case


# -- the six operations ----------------------------------------------------------------------


def valid_list_checks(request: Request, state: PandabaseState, token: TokenRecord) -> None:
    """What a list query already known valid (a cached page, a stored answer) still checks: the
    request's own headers and store, which are not part of the query."""
    idempotency_key(request)
    own_store(request, state, token)


async def list_cases(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    page_key = (request.path_params.get("storeId"), request.scope["query_string"])
    cached = state.cases.cached_page(page_key)
    if cached is not None:  # only valid queries are cached: the schema checks below would pass
        valid_list_checks(request, state, token)
        return errors.json_response(cached)
    page = query_int(request, "page", 1, None)
    limit = query_int(request, "limit", inferred.CASE_PAGE_SIZE, inferred.MAX_PAGE_SIZE)
    status = query_enum(request, "status", CASE_STATUSES)
    priority = query_enum(request, "priority", CASE_PRIORITIES)
    customer_id = query_id(request, "customerId")
    order_id = query_id(request, "orderId")
    idempotency_key(request)
    store = own_store(request, state, token)

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
    body = enveloped(b'{"items":[', items, b'],"pagination":' + orjson.dumps(pagination(page, limit, total)) + b"}")
    return errors.json_response(state.cases.cache_page(page_key, body))


async def get_case(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    idempotency_key(request)
    case = _case(request, state, own_store(request, state, token))
    return ok(case_detail_json(case, state))


async def update_case(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    body = json_object(await json_body(request, required=True))
    priority = status = None
    if "priority" in body:
        priority = as_string("body/priority", body["priority"])
        if priority not in CASE_PRIORITIES:
            raise errors.invalid("body/priority", ENUM)
    if "status" in body:
        status = as_string("body/status", body["status"])
        if status not in SETTABLE_STATUSES:
            raise errors.invalid("body/status", ENUM)
    idempotency_key(request)
    store = own_store(request, state, token)
    if priority is None and status is None:
        raise errors.bad_request("Nothing to update")
    case = _case(request, state, store)
    problem = state.lifecycle.patch(case, priority, status, sandbox_of(request).now())
    if problem:
        raise errors.bad_request(problem)
    return ok(case_json(case, state))


async def list_messages(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    page = query_int(request, "page", 1, None)
    limit = query_int(request, "limit", inferred.MESSAGE_PAGE_SIZE, inferred.MAX_PAGE_SIZE)
    idempotency_key(request)
    case = _case(request, state, own_store(request, state, token))
    start = (page - 1) * limit
    chosen = case.messages[start : start + limit] if start < len(case.messages) else []  # oldest first
    body = (
        b'{"items":['
        + b",".join(message_json(m) for m in chosen)
        + b'],"pagination":'
        + orjson.dumps(pagination(page, limit, len(case.messages)))
        + b"}"
    )
    return ok(body)


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
        ident = length(f"{where}/attachmentId", as_string(f"{where}/attachmentId", item["attachmentId"]), 12, 48)
        filename = length(f"{where}/filename", as_string(f"{where}/filename", item["filename"]), 1, 255)
        mime = length(f"{where}/mimeType", as_string(f"{where}/mimeType", item["mimeType"]), 1, 128)
        size = in_range(f"{where}/sizeBytes", as_integer(f"{where}/sizeBytes", item["sizeBytes"]), 1, MAX_ATTACHMENT_BYTES)
        found.append(AttachmentRecord(ident, filename, mime, size))
    return found


async def send_message(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    body = json_object(await json_body(request, required=True))
    if "body" not in body:
        raise errors.invalid("body", "must have required property 'body'")
    text = length("body/body", as_string("body/body", body["body"]), 1, MAX_BODY)
    attachments = _attachments(body)
    idempotency_key(request)
    store = own_store(request, state, token)
    for attachment in attachments:
        if not ALLOWED_MIME.match(attachment.mime_type):
            raise errors.bad_request(inferred.ATTACHMENT_TYPE_NOT_ALLOWED.format(type=attachment.mime_type))
    case = _case(request, state, store)
    sender = token.id if inferred.REPLY_SENDER == "token" else state.member_ids[store]
    result = state.lifecycle.merchant_reply(case, text, attachments, sender, sandbox_of(request).now())
    if isinstance(result, str):
        raise errors.bad_request(result)
    return ok(message_json(result), 201)


async def mark_read(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    await json_body(request, required=False)  # "no body"; a JSON one is parsed and ignored
    idempotency_key(request)
    case = _case(request, state, own_store(request, state, token))
    state.lifecycle.mark_read(case, sandbox_of(request).now())
    return ok(_read_body())


# -- disputes --------------------------------------------------------------------------------


def _dispute(request: Request, state: PandabaseState, store_id: str) -> DisputeRecord:
    dispute = state.disputes.get(request.path_params["disputeId"])
    if dispute is None or dispute.store_id != store_id:  # another store's dispute is simply not found
        raise errors.dispute_not_found()
    return dispute


async def list_disputes(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    """Newest first unless `sort=asc`; `needsEvidence` and `status` filter through their indexes."""
    page_key = (request.path_params.get("storeId"), request.scope["query_string"])
    cached = state.disputes.cached_page(page_key)
    if cached is not None:  # only valid queries are cached
        valid_list_checks(request, state, token)
        return errors.json_response(cached)
    page = query_int(request, "page", 1, None)
    limit = query_int(request, "limit", inferred.DISPUTE_PAGE_SIZE, inferred.MAX_PAGE_SIZE)
    status = query_enum(request, "status", DISPUTE_STATUSES)
    order = query_enum(request, "sort", ("asc", "desc")) or inferred.DISPUTE_SORT
    needs = query_bool(request, "needsEvidence")
    idempotency_key(request)
    store = own_store(request, state, token)
    group: tuple = (store,)
    if status is not None and needs is not None:
        group = (store, "sn", status, needs)
    elif status is not None:
        group = (store, "s", status)
    elif needs is not None:
        group = (store, "n", needs)
    view = state.disputes.view([group], descending=order == "desc")
    total = view.count()
    keys = view.offset((page - 1) * limit, limit) if (page - 1) * limit < total else []
    items = state.disputes.fragments(keys, "dispute", lambda d: dispute_json(d, state))
    body = enveloped(b'{"items":[', items, b'],"pagination":' + orjson.dumps(pagination(page, limit, total)) + b"}")
    return errors.json_response(state.disputes.cache_page(page_key, body))


async def get_dispute(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    idempotency_key(request)
    return ok(dispute_detail_json(_dispute(request, state, own_store(request, state, token)), state))


async def submit_evidence(request: Request, state: PandabaseState, token: TokenRecord) -> Response:
    """Once, within the window: → UNDER_REVIEW and the lapse is cancelled; 400 otherwise."""
    body = json_object(await json_body(request, required=True))
    log = body_string(body, "access_activity_log", 1, MAX_EVIDENCE, required=True)
    assert log is not None
    idempotency_key(request)
    dispute = _dispute(request, state, own_store(request, state, token))
    problem = state.lifecycle.submit_evidence(dispute, log, sandbox_of(request).now())
    if problem:
        raise errors.bad_request(problem)
    return ok(dispute_detail_json(dispute, state))


def unknown_path(request: Request) -> errors.PandabaseError:
    """Fastify's 404 in the V2 envelope; wrong methods on known paths get it too (no 405). The
    core mounts the catch-all; `render` adds the common headers."""
    path = request.url.path
    if path.startswith(PREFIX + "/"):
        path = path[len(PREFIX) :]
    if request.url.query:
        path += "?" + request.url.query
    return errors.PandabaseError(404, inferred.ROUTE_NOT_FOUND.format(method=request.method, path=path))


# webhook endpoints (webhook_api.py, imported on the first call: no case or dispute call needs it):
# (method, path under /v2/core/stores/{storeId}, scope, handler)
WEBHOOK_OPERATIONS = [
    ("GET", "/webhooks", "WEBHOOKS_READ", "list_webhooks"),
    ("GET", "/webhooks/", "WEBHOOKS_READ", "list_webhooks"),
    ("POST", "/webhooks", "WEBHOOKS_WRITE", "create_webhook"),
    ("POST", "/webhooks/", "WEBHOOKS_WRITE", "create_webhook"),
    ("GET", "/webhooks/{webhookId}", "WEBHOOKS_READ", "get_webhook"),
    ("PATCH", "/webhooks/{webhookId}", "WEBHOOKS_WRITE", "update_webhook"),
    ("DELETE", "/webhooks/{webhookId}", "WEBHOOKS_WRITE", "delete_webhook"),
]
ROUTES = [
    Route(BASE, endpoint("CASES_READ", "list", list_cases, attrgetter("cases")), methods=["GET"]),
    Route(BASE + "/", endpoint("CASES_READ", "list", list_cases, attrgetter("cases")), methods=["GET"]),
    Route(BASE + "/{caseId}", endpoint("CASES_READ", "get", get_case), methods=["GET"]),
    Route(BASE + "/{caseId}", endpoint("CASES_WRITE", "update", update_case), methods=["PATCH"]),
    Route(BASE + "/{caseId}/messages", endpoint("CASES_READ", "messages", list_messages), methods=["GET"]),
    Route(BASE + "/{caseId}/messages", endpoint("CASES_WRITE", "reply", send_message), methods=["POST"]),
    Route(BASE + "/{caseId}/read", endpoint("CASES_WRITE", "read", mark_read), methods=["POST"]),
    Route(DISPUTES, endpoint("DISPUTES_READ", "list", list_disputes, attrgetter("disputes")), methods=["GET"]),
    Route(DISPUTES + "/", endpoint("DISPUTES_READ", "list", list_disputes, attrgetter("disputes")), methods=["GET"]),
    Route(DISPUTES + "/{disputeId}", endpoint("DISPUTES_READ", "get", get_dispute), methods=["GET"]),
    Route(DISPUTES + "/{disputeId}/evidence", endpoint("DISPUTES_WRITE", "evidence", submit_evidence), methods=["POST"]),
    *[Route(STORE + path, endpoint(scope, "webhooks", lazy_endpoint(f"{__package__}.webhook_api:{handler}")), methods=[method])
      for method, path, scope, handler in WEBHOOK_OPERATIONS],
]
