"""The documented claim endpoints under `/v1` and the OAuth endpoints (orders: orders_api.py; session
tokens: session.py; both imported on their first call).

Sources by endpoint: docs/providers/orderprotection.md."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args
from urllib.parse import parse_qsl

import orjson
from sortedcontainers import SortedList
from starlette.requests import Request
from starlette.responses import Response

from ...access import query_of, sandbox_of
from ...answers import Headers, remember
from ...jsonresp import JSON, spliced
from ...lazy import lazy_endpoint
from ...pagination import KeysetView, relay_slice
from ...routing import Route
from . import bodies, errors, inferred, wire
from .auth import authenticate
from .models import CLAIM_STATES, CLAIM_TYPES, SENDER_TYPES, AppRecord, ClaimRecord, TokenRecord
from .parse import int_param, json_body
from .scenario import Scope
from .serialize import node_json
from .state import OrderProtectionState, op_state
from .writes import file_offline, file_online, filing_window_start, match_items

KEY = "orderprotection"
JSON_TYPE = "application/json"
SCOPES: tuple[str, ...] = get_args(Scope)

# node field → record getter, for exact-match filters (`filter={...}` and the named parameters)
FILTERABLE: dict[str, Callable[[ClaimRecord], Any]] = {
    "id": lambda c: c.id,
    "storeId": lambda c: c.store_id,
    "orderId": lambda c: c.order_id,
    "sourceOrderId": lambda c: c.source_order_id,
    "sourceOrderNumber": lambda c: c.source_order_number,
    "authorName": lambda c: c.author_name,
    "authorEmail": lambda c: c.author_email,
    "claimState": lambda c: c.state,
    "claimType": lambda c: c.claim_type,
    "isOta": lambda c: c.is_ota,
    "externalSource": lambda c: inferred.EXTERNAL_SOURCE,
    "policyId": lambda c: c.policy_id,
    "customerId": lambda c: c.customer_id,
    "claimFiledFrom": lambda c: c.claim_filed_from,
    "resolutionRequested": lambda c: c.resolution_requested,
}
ENUMS = {"claimState": CLAIM_STATES, "claimType": CLAIM_TYPES}


def _nodes(state, keys: list[tuple]) -> list[bytes]:
    """Each claim's node JSON, rendered once and cached until the claim changes."""
    return state.claims.fragments(keys, "node", node_json)


def _multi(params, name: str) -> list[str]:
    """`name=a&name=b`, `name[]=a`, or `name=a,b`."""
    if name not in params and f"{name}[]" not in params:  # most filters are absent: skip the lists
        return []
    values = []
    for raw in params.getlist(name) + params.getlist(f"{name}[]"):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return values


def _blank(params, name: str, values: list[str]) -> bool:
    """`name=` (or `name[]=`, `name=,`) sent with no value: an enum refuses it (inferred.py: empty values)."""
    return not values and (name in params or f"{name}[]" in params)


def _conditions(
    params, problems: list[str], exacts: list[tuple[str, set]] | None = None
) -> tuple[list[str], list[Callable[[ClaimRecord], bool]]]:
    """The claimState values (served by indexes) and every other filter as a predicate; each
    exact filter's (field, values) also goes to `exacts`, for `_narrowed`."""
    states = _multi(params, inferred.PARAM_STATE)
    bad = [s for s in states if s not in CLAIM_STATES]
    if bad or _blank(params, inferred.PARAM_STATE, states):
        problems.append(
            f"each value in {inferred.PARAM_STATE} must be one of the following values: {', '.join(CLAIM_STATES)}"
        )
    conditions: list[Callable[[ClaimRecord], bool]] = []

    def exact(field: str, wanted: set) -> None:
        getter = FILTERABLE[field]
        conditions.append(lambda c: getter(c) in wanted)
        if exacts is not None:
            exacts.append((field, wanted))

    for name in inferred.FIELD_FILTERS:
        values = _multi(params, name)
        if name in ENUMS and (_blank(params, name, values) or any(v not in ENUMS[name] for v in values)):
            problems.append(f"{name} must be one of the following values: {', '.join(ENUMS[name])}")
            continue
        if values:
            exact(name, set(values))
    senders = _multi(params, inferred.PARAM_SENDER)
    if senders or _blank(params, inferred.PARAM_SENDER, senders):
        if _blank(params, inferred.PARAM_SENDER, senders) or any(s not in SENDER_TYPES for s in senders):
            problems.append(f"{inferred.PARAM_SENDER} must be one of the following values: {', '.join(SENDER_TYPES)}")
        else:
            wanted = set(senders)
            conditions.append(lambda c: any(m.sender_type in wanted for m in c.messages))
    raw_filter = params.get(inferred.PARAM_FILTER)
    if raw_filter:
        try:
            parsed = orjson.loads(raw_filter)
        except orjson.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, dict):
            problems.append(f"{inferred.PARAM_FILTER} must be a JSON object")
        else:
            for field, value in parsed.items():
                values = value if isinstance(value, list) else [value]
                if field not in FILTERABLE:
                    problems.append(f"{inferred.PARAM_FILTER}.{field} is not a filterable claim field")
                elif any(isinstance(v, (dict, list)) for v in values):
                    problems.append(f"{inferred.PARAM_FILTER}.{field} must be a string, boolean, null or an array of them")
                elif field in ENUMS and any(v not in ENUMS[field] and v is not None for v in values):
                    problems.append(
                        f"{inferred.PARAM_FILTER}.{field} must be one of the following values: {', '.join(ENUMS[field])}"
                    )
                else:
                    exact(field, set(values))
    return sorted(set(states)), conditions


def _narrowed(state, store_id: str, exacts: list[tuple[str, set]]) -> list[tuple] | None:
    """Sort keys of the only claims an `id` or `sourceOrderId` filter can match (None: no such
    filter). Those filters name a handful of claims: finding them by id and by order (bulk ones
    through their order's id) spares a predicate walk that would build every claim of the store."""
    found: set[str] | None = None
    for field, values in exacts:
        if field == "id":
            ids = {v for v in values if isinstance(v, str)}
        elif field == "sourceOrderId":
            ids = {i for v in values if isinstance(v, str) for i in state.claim_ids_of_order(store_id, v)}
        else:
            continue
        found = ids if found is None else found & ids
    if found is None:
        return None
    claims = (state.claims.get(i) for i in found)
    return [state.claims.key_of(c) for c in claims if c is not None and c.store_id == store_id and c.deleted_at is None]


def _cursor_key(state, store_id: str, name: str, claim_id: str | None, problems: list[str]) -> tuple | None:
    """A cursor is a claim id (as the seed shows); it must name a live claim of the caller's store."""
    if not claim_id:
        return None
    claim = state.claims.get(claim_id)
    if claim is None or claim.store_id != store_id or claim.deleted_at is not None:
        problems.append(f"{name} must be the id of a claim in this store")
        return None
    return state.claims.key_of(claim)


async def _admit_list(request: Request) -> Headers:
    """A stored list's per-request part (sandbox/answers.py): the auth below."""
    authenticate(request, op_state(request), inferred.READ_SCOPES, "list_claims")
    return []


async def list_claims(request: Request) -> Response:
    state = op_state(request)
    token = authenticate(request, state, inferred.READ_SCOPES, "list_claims")
    return remember(request, _claims_page(request, state, token), _admit_list, state.claims)


def _claims_page(request: Request, state: OrderProtectionState, token: TokenRecord) -> Response:
    params = query_of(request)
    page_key = (token.store_id, request.scope["query_string"])
    cached = state.claims.cached_page(page_key)
    if cached is not None:
        return Response(cached, media_type=JSON_TYPE)
    problems: list[str] = []
    first = int_param(params, inferred.PARAM_FIRST, problems)
    if first is None:
        first = int_param(params, inferred.PARAM_SIZE_ALIAS, problems)
    last = int_param(params, inferred.PARAM_LAST, problems)
    if first is not None and last is not None:
        problems.append(f"{inferred.PARAM_FIRST} and {inferred.PARAM_LAST} cannot be used together")
    operator = params.get(inferred.PARAM_OPERATOR, "AND")
    if operator not in ("AND", "OR"):
        problems.append(f"{inferred.PARAM_OPERATOR} must be one of the following values: AND, OR")
    exacts: list[tuple[str, set]] = []
    states, conditions = _conditions(params, problems, exacts)
    after_id = params.get(inferred.PARAM_AFTER) or params.get(inferred.PARAM_CURSOR_ALIAS)
    after = _cursor_key(state, token.store_id, inferred.PARAM_AFTER, after_id, problems)
    before = _cursor_key(state, token.store_id, inferred.PARAM_BEFORE, params.get(inferred.PARAM_BEFORE), problems)
    if problems:
        raise errors.bad_request(*problems)

    store = token.store_id
    predicate = None
    groups: list[tuple[str, ...]]
    if operator == "OR" and conditions:
        # OR across claimState and the other filters: walk the store index, test each claim
        wanted = set(states)
        checks = conditions
        predicate = lambda c: c.state in wanted or any(check(c) for check in checks)  # noqa: E731
        groups = [(store,)]
    else:
        groups = [(store, s) for s in states] if states else [(store,)]
        if conditions:
            checks = conditions
            predicate = lambda c: all(check(c) for check in checks)  # noqa: E731
    narrowed = _narrowed(state, store, exacts) if operator == "AND" else None
    if narrowed is not None:  # a few candidate claims; every filter (states too) as a predicate
        wanted, checks = set(states), conditions
        predicate = lambda c: (not wanted or c.state in wanted) and all(check(c) for check in checks)  # noqa: E731
        view = KeysetView(state.claims, [SortedList(narrowed)], None, None, True, predicate)
    else:
        view = state.claims.view(groups, descending=True, predicate=predicate)
    if first is None and last is None:
        first = inferred.DEFAULT_PAGE_SIZE
    page = relay_slice(view, after, before, first, last)
    keys = page.keys
    nodes = _nodes(state, keys)
    page_info = {  # cursors are claim ids, the last element of each sort key
        "startCursor": keys[0][-1] if keys else inferred.EMPTY_CURSOR,
        "endCursor": keys[-1][-1] if keys else inferred.EMPTY_CURSOR,
        "hasNextPage": page.has_next_page,
        "hasPreviousPage": page.has_previous_page,
    }
    tail = b'],"pageInfo":' + orjson.dumps(page_info) + b"}"
    body = spliced(b'{"edges":[{"node":', nodes, b"}" + tail, b'},{"node":') if nodes else b'{"edges":[' + tail
    return Response(state.claims.cache_page(page_key, body), media_type=JSON_TYPE)


async def order_claims(request: Request) -> Response:
    state = op_state(request)
    token = authenticate(request, state, inferred.READ_SCOPES, "order_claims")
    source_id = request.path_params["sourceOrderId"]
    if (token.store_id, source_id) not in state.orders:
        raise errors.unknown_order(source_id)
    claims = state.claims_of_order(token.store_id, source_id)
    body = b"[" + b",".join(_nodes(state, [state.claims.key_of(c) for c in claims])) + b"]"
    return Response(body, media_type=JSON_TYPE)


async def create_claim(request: Request) -> Response:
    sandbox = sandbox_of(request)
    state = op_state(request)
    token = authenticate(request, state, inferred.WRITE_SCOPES, "create_claim")
    body, problems = bodies.online_claim(await json_body(request))
    if body is None:
        raise errors.bad_request(*problems)
    source_id = request.path_params["sourceOrderId"]
    order = state.orders.get((token.store_id, source_id))
    if order is None:
        raise errors.unknown_order(source_id)
    items, problems = match_items(order, body)
    now = sandbox.now()
    if inferred.EMAIL_MUST_MATCH_ORDER and body.email.lower() != order.customer_email.lower():
        problems.append("email does not match the order's customer")
    start = filing_window_start(order, body.fulfillment_ids, problems)
    if start is not None and now > start + inferred.FILING_WINDOW:
        days = inferred.FILING_WINDOW.days
        problems.append(f"the filing window for this order closed {days} days after fulfillment")
    if problems:
        raise errors.bad_request(*problems)
    file_online(state, order, body, items, now)
    return JSON({"status": "ok"}, status_code=201)


async def create_offline_claim(request: Request) -> Response:
    sandbox = sandbox_of(request)
    state = op_state(request)
    token = authenticate(request, state, inferred.WRITE_SCOPES, "create_offline_claim")
    raw = await json_body(request)
    body, problems = bodies.offline_claim(raw)
    if body is None:
        raise errors.bad_request(*problems)
    if body.store_id is not None and body.store_id != token.store_id:
        if inferred.STORE_ID_MISMATCH_STATUS == 403:
            raise errors.forbidden()
        raise errors.bad_request("storeId must be the store of the access token")
    order, _ = file_offline(state, token.store_id, body, sandbox.now())
    payload = {"sourceOrderId": order.source_order_id, **{k: v for k, v in raw.items() if k != "sourceOrderId"}}
    payload["storeId"] = token.store_id
    return JSON({"status": "ok", "payload": payload}, status_code=201)


async def _form_or_json(request: Request) -> dict:
    """OAuth clients send JSON (documented) or the RFC 6749 form encoding; accept both."""
    content_type = request.headers.get("content-type", "").lower()
    raw = await request.body()
    if "application/x-www-form-urlencoded" in content_type:
        try:
            return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise errors.bad_json("Body must be UTF-8") from None
    return await json_body(request)


def _scopes(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [s for s in value.replace(",", " ").split() if s]
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return value
    raise errors.bad_request("scopes must be an array of strings")


def _app(state: OrderProtectionState, body: dict[str, Any]) -> AppRecord:
    """The app whose client_id and client_secret the body carries, or the 401."""
    client_id = body.get("client_id")
    app = state.apps.get(client_id) if isinstance(client_id, str) else None
    if app is None or body.get("client_secret") != app.client_secret:
        raise errors.OPError(401, "Invalid client credentials", "Unauthorized")
    return app


async def oauth_token(request: Request) -> Response:
    sandbox = sandbox_of(request)
    state = op_state(request)
    body = await _form_or_json(request)
    grant = body.get("grant_type")
    grants = ("authorization_code", "refresh_token", "client_credentials")
    if grant not in grants:
        raise errors.bad_request(f"grant_type must be one of the following values: {', '.join(grants)}")
    app = _app(state, body)
    if grant == "authorization_code":
        raise errors.bad_request(
            "code is invalid or expired (the sandbox has no consent screen: use client_credentials)"
        )
    if grant == "refresh_token":
        refresh = state.refresh_tokens.get(str(body.get("refresh_token")))
        if refresh is None or refresh.revoked or refresh.client_id != app.client_id:
            raise errors.bad_request("refresh_token is invalid or expired")
        store_id, scopes = refresh.store_id, refresh.scopes
    else:
        raw_store = body.get("store_id")
        if not isinstance(raw_store, str) or not raw_store:
            raise errors.bad_request("store_id should not be empty", "store_id must be a string")
        store_id = raw_store
        if store_id not in app.store_ids:
            raise errors.OPError(403, f"App is not installed on store {store_id}", "Forbidden")
        requested = _scopes(body.get("scopes", body.get("scope")))
        if requested is None:
            scopes = app.scopes
        else:
            unknown = [s for s in requested if s not in SCOPES]
            if unknown:
                raise errors.bad_request(f"each value in scopes must be one of the following values: {', '.join(SCOPES)}")
            missing = [s for s in requested if s not in app.scopes]
            if missing:
                raise errors.OPError(403, f"Scopes not granted to this app: {' '.join(missing)}", "Forbidden")
            scopes = tuple(dict.fromkeys(requested))
    access, refresh_token = state.issue_token(store_id, tuple(scopes), app.client_id, sandbox.now())
    return JSON(
        wire.TokenResponse(
            access_token=access.token,
            token_type="Bearer",
            expires_in=int(inferred.TOKEN_LIFETIME.total_seconds()),
            refresh_token=refresh_token,
            scope=" ".join(scopes),
        ).model_dump()
    )


async def oauth_revoke(request: Request) -> Response:
    state = op_state(request)
    body = await _form_or_json(request)
    app = _app(state, body)
    value = body.get("token")
    if not isinstance(value, str) or not value:
        raise errors.bad_request("token should not be empty")
    for table in (state.tokens, state.refresh_tokens):
        record = table.get(value)
        if record is not None and record.client_id == app.client_id:
            record.revoked = True
    return JSON({"status": "ok"})  # RFC 7009: unknown tokens are not an error


def unknown_path(request: Request) -> errors.OPError:
    """NestJS's own 404 for an unmatched route, naming the method and the real path."""
    path = request.url.path
    if path.startswith("/orderprotection/"):
        path = path[len("/orderprotection") :]
    return errors.not_found(f"Cannot {request.method} {path}")


ROUTES = [
    Route("/v1/claims", list_claims, methods=["GET"]),
    Route("/v1/claims/offline", create_offline_claim, methods=["POST"]),
    Route("/v1/claims/{sourceOrderId}", create_claim, methods=["POST"]),
    Route("/v1/orders/{sourceOrderId}/claims", order_claims, methods=["GET"]),
    # the orders API (orders_api.py), imported on its first call: no claim call needs it
    *[Route(path, lazy_endpoint(f"{__package__}.orders_api:{name}"), methods=[method]) for method, path, name in [
        ("GET", "/v1/orders", "list_orders"),
        ("POST", "/v1/orders", "create_order"),
        ("GET", "/v1/orders/{sourceOrderId}", "get_order"),
        ("PUT", "/v1/orders/{sourceOrderId}", "update_order"),
        ("GET", "/v1/orders/{sourceOrderId}/fulfillments", "list_fulfillments"),
        ("POST", "/v1/orders/{sourceOrderId}/fulfillments", "create_fulfillment"),
        ("PUT", "/v1/orders/{sourceOrderId}/fulfillments/{sourceFulfillmentId}", "update_fulfillment"),
    ]],
    Route("/v1/oauth/token", oauth_token, methods=["POST"]),
    Route("/v1/oauth/revoke", oauth_revoke, methods=["POST"]),
    Route("/v1/oauth/session/verify", lazy_endpoint(f"{__package__}.session:verify"), methods=["POST"]),  # session.py
]
