"""`/v1/orders…`: list, read, create, update (incl. reship) and fulfillments, as
docs/providers/orderprotection.md "Orders" and "Fulfillments" describe them.

The list pages by graphql-relay offset cursors (`size`, `cursor`, `buttonNum`) with `pageCursors`
and `totalCount`, unlike the claims list; the cursor semantics are in inferred.py.
"""

from __future__ import annotations

import base64
import binascii
import math
import random
from datetime import datetime

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...access import sandbox_of
from ...jsonresp import JSON
from ...params import ascii_int
from . import errors, inferred
from .auth import authenticate
from .bodies import FulfillmentBody, OrderBody, fulfillment_body, order_body
from .ids import cuid
from .models import FulfillmentRecord, OrderItemRecord, OrderRecord
from .orders import fulfillments_of, last_shipped
from .parse import int_param, json_body
from .serialize import fulfillment_model, order_json
from .state import OrderProtectionState, op_state

JSON_TYPE = "application/json"
OK = {"status": "ok"}


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{inferred.CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(raw: str, problems: list[str]) -> int:
    """`YXJyYXljb25uZWN0aW9uOjA=` → 0; anything else is a 400."""
    try:
        text = base64.b64decode(raw.encode(), validate=True).decode()
        if not text.startswith(inferred.CURSOR_PREFIX):
            raise ValueError(text)
        offset = ascii_int(text[len(inferred.CURSOR_PREFIX) :])
        if offset is None or offset > 10**9:
            raise ValueError(text)
        return offset
    except (ValueError, binascii.Error, UnicodeError):
        problems.append("cursor must be a valid cursor")
        return 0


def _order(state: OrderProtectionState, store_id: str, source_id: str) -> OrderRecord:
    order = state.orders.get((store_id, source_id))
    if order is None:
        raise errors.unknown_order(source_id)
    return order


async def list_orders(request: Request) -> Response:
    state = op_state(request)
    token = authenticate(request, state, inferred.ORDER_READ_SCOPES, "list_orders")
    params = request.query_params
    problems: list[str] = []
    size = int_param(params, "size", problems, inferred.ORDERS_MAX_SIZE) or inferred.ORDERS_DEFAULT_SIZE
    buttons = int_param(params, "buttonNum", problems, inferred.ORDERS_MAX_BUTTONS) or inferred.ORDERS_DEFAULT_BUTTONS
    raw_cursor = params.get("cursor")
    start = decode_cursor(raw_cursor, problems) if raw_cursor else 0
    if problems:
        raise errors.bad_request(*problems)
    store = token.store_id
    total = state.orders.count(store)
    orders = state.orders.page(store, start, start + size)
    has_next, has_previous = start + size < total, start > 0
    pages = max(1, math.ceil(total / size))
    current = start // size + 1
    first = max(1, min(current - buttons // 2, pages - buttons + 1))
    around = [
        {"cursor": encode_cursor((p - 1) * size), "page": p, "isCurrent": p == current}
        for p in range(first, min(pages, first + buttons - 1) + 1)
    ]
    head = {
        "pageInfo": {
            "startCursor": encode_cursor(max(0, start - size)) if has_previous else inferred.ORDERS_EMPTY_CURSOR,
            "endCursor": encode_cursor(start + size) if has_next else inferred.ORDERS_EMPTY_CURSOR,
            "hasNextPage": has_next,
            "hasPreviousPage": has_previous,
        },
        "pageCursors": {"around": around},
        "totalCount": total,
    }
    nodes = [order_json(o) for o in orders]
    edges = b'{"node":' + b'},{"node":'.join(nodes) + b"}" if nodes else b""
    return Response(orjson.dumps(head)[:-1] + b',"edges":[' + edges + b"]}", media_type=JSON_TYPE)


async def get_order(request: Request) -> Response:
    state = op_state(request)
    token = authenticate(request, state, inferred.ORDER_READ_SCOPES, "get_order")
    order = _order(state, token.store_id, request.path_params["sourceOrderId"])
    return Response(order_json(order), media_type=JSON_TYPE)


def _rng(state: OrderProtectionState, what: str) -> random.Random:
    return state.next_rng("op-order-api", what)


def _fulfillment_record(state: OrderProtectionState, body: FulfillmentBody, now: datetime) -> FulfillmentRecord:
    at = min(body.created_at, now) if body.created_at else now
    fid = cuid(_rng(state, "fulfillment"), at)
    return FulfillmentRecord(fid, body.source_fulfillment_id, body.status, body.company, body.numbers, body.urls, body.items, at, at)


def _replaced(state: OrderProtectionState, store_id: str, body: OrderBody, source_id: str) -> OrderRecord | None:
    """The order `originalSourceOrderId` names (this store's, not the order itself), or None."""
    original_id = body.fields.get("originalSourceOrderId")
    if not original_id:
        return None
    original = state.orders.get((store_id, original_id))
    if original is None or original_id == source_id:
        raise errors.bad_request("originalSourceOrderId must be another order of this store")
    return original


def _apply(order: OrderRecord, body: OrderBody, original: OrderRecord | None, now: datetime) -> None:
    """Copy what the body gave onto the order record (validation already passed)."""
    f = body.fields
    simple = {
        "sourceOrderNumber": "source_order_number", "riskLevel": "risk_level", "customerName": "customer_name",
        "customerPhone": "customer_phone", "tags": "tags", "customerEmail": "customer_email", "currency": "currency",
        "platformId": "platform_id", "premiumPaid": "premium_paid", "premiumCost": "premium_cost",
        "sourceUpdatedAt": "source_updated_at", "sourceCancelledAt": "source_cancelled_at",
    }
    for key, attr in simple.items():
        if key in f and f[key] is not None:
            setattr(order, attr, f[key])
    if f.get("premiumDiscount") is not None:
        order.premium_discount = f["premiumDiscount"]
    if f.get("sourceCreatedAt") is not None:
        order.created_at = min(f["sourceCreatedAt"], now)
    if f.get("shippingCost") is not None:
        order.shipping_amount = f["shippingCost"]
    if f.get("shippingCostTax") is not None:
        order.shipping_tax = f["shippingCostTax"]
    sent = {k: v for k in ("total", "subtotal", "discountTotal", "tax") if (v := f.get(k)) is not None}
    if sent:
        order.totals = {**(order.totals or {}), **sent}
    if body.address is not None:
        order.address = {**order.address, **body.address}
    if original is not None:
        order.original_source_order_id = original.source_order_id
        order.original_order_id = original.id
    order.updated_at = now


def _items(state: OrderProtectionState, body: OrderBody, now: datetime) -> list[OrderItemRecord]:
    rng = _rng(state, "items")
    return [
        OrderItemRecord(
            cuid(rng, now), i.source_item_id, i.source_product_id, i.source_variant_id, i.sku or "", i.name,
            i.price, 0.0, 0.0, i.quantity, i.url, i.image, i.description,
        )
        for i in body.items or []
    ]


def _resolve_reships(state: OrderProtectionState, original: OrderRecord | None, replacement: OrderRecord, now: datetime) -> None:
    """The guide's "send the outcome back": an approved RESHIP/REPLACEMENT claim on the original
    order is resolved by the replacement order (inferred.RESHIP_RESOLVES_TO)."""
    if original is None:
        return
    for claim in state.claims_of_order(original.store_id, original.source_order_id):
        last = claim.resolutions[-1].resolution if claim.resolutions else None
        if claim.state == "APPROVED" and last in ("RESHIP", "REPLACEMENT"):
            note = f"Replacement order {replacement.source_order_number} ({replacement.source_order_id}) sent for this claim."
            state.lifecycle.transition(claim, inferred.RESHIP_RESOLVES_TO, now, note)


async def create_order(request: Request) -> Response:
    sandbox = sandbox_of(request)
    state = op_state(request)
    token = authenticate(request, state, inferred.ORDER_WRITE_SCOPES, "create_order")
    body, problems = order_body(await json_body(request), create=True)
    if body is None:
        raise errors.bad_request(*problems)
    source_id = body.source_order_id or ""
    if (token.store_id, source_id) in state.orders:
        raise errors.OPError(inferred.DUPLICATE_ORDER_STATUS, f"Order {source_id} already exists", "Conflict")
    original = _replaced(state, token.store_id, body, source_id)
    now = sandbox.now()
    rng = _rng(state, "order")
    order = OrderRecord(
        id=cuid(rng, now), store_id=token.store_id, source_order_id=source_id, source_order_number=source_id,
        customer_id=cuid(rng, now), customer_name="", customer_email="", currency="USD", policy_id=cuid(rng, now),
        created_at=now, fulfilled_at=None, shipping_amount=0.0, shipping_tax=0.0, address={},
        items=_items(state, body, now), fulfillments=[],
    )
    _apply(order, body, original, now)
    order.customer_name = order.customer_name or order.customer_email.split("@")[0]
    order.fulfillments = [_fulfillment_record(state, f, now) for f in body.fulfillments]
    order.fulfilled_at = last_shipped(order)
    state.add_order(order)
    _resolve_reships(state, original, order, now)
    return JSON(OK, status_code=inferred.ORDER_CREATE_STATUS)


async def update_order(request: Request) -> Response:
    sandbox = sandbox_of(request)
    state = op_state(request)
    token = authenticate(request, state, inferred.ORDER_WRITE_SCOPES, "update_order")
    source_id = request.path_params["sourceOrderId"]
    order = _order(state, token.store_id, source_id)
    body, problems = order_body(await json_body(request), create=False)
    if body is None:
        raise errors.bad_request(*problems)
    original = _replaced(state, token.store_id, body, source_id)
    now = sandbox.now()
    _apply(order, body, original, now)
    if body.items is not None:
        order.items = _items(state, body, now)
    _resolve_reships(state, original, order, now)
    return JSON(OK)


async def list_fulfillments(request: Request) -> Response:
    state = op_state(request)
    token = authenticate(request, state, inferred.FULFILLMENT_SCOPES, "list_fulfillments")
    order = _order(state, token.store_id, request.path_params["sourceOrderId"])
    return JSON([fulfillment_model(order, f).model_dump() for f in fulfillments_of(order)])


async def create_fulfillment(request: Request) -> Response:
    sandbox = sandbox_of(request)
    state = op_state(request)
    token = authenticate(request, state, inferred.FULFILLMENT_SCOPES, "create_fulfillment")
    order = _order(state, token.store_id, request.path_params["sourceOrderId"])
    body, problems = fulfillment_body(await json_body(request))
    if body is None:
        raise errors.bad_request(*problems)
    existing = fulfillments_of(order)
    if any(f.source_fulfillment_id == body.source_fulfillment_id for f in existing):
        message = f"Fulfillment {body.source_fulfillment_id} already exists"
        raise errors.OPError(inferred.DUPLICATE_FULFILLMENT_STATUS, message, "Conflict")
    now = sandbox.now()
    order.fulfillments = [*existing, _fulfillment_record(state, body, now)]
    order.fulfilled_at = last_shipped(order)
    order.updated_at = now
    return JSON(OK, status_code=201)


async def update_fulfillment(request: Request) -> Response:
    """`PUT …/fulfillments/{sourceFulfillmentId}` `{"status"}`: the documented status change."""
    sandbox = sandbox_of(request)
    state = op_state(request)
    token = authenticate(request, state, inferred.FULFILLMENT_SCOPES, "update_fulfillment")
    order = _order(state, token.store_id, request.path_params["sourceOrderId"])
    fid = request.path_params["sourceFulfillmentId"]
    raw = await json_body(request)
    body, problems = fulfillment_body(
        {"sourceFulfillmentId": fid, "sourceItemIds": [], "fulfillmentStatus": raw.get("status")}
    )
    if body is None:
        raise errors.bad_request(*[p.replace("fulfillmentStatus", "status") for p in problems])
    existing = fulfillments_of(order)
    found = next((f for f in existing if f.source_fulfillment_id == fid), None)
    if found is None:
        raise errors.not_found(f"Fulfillment {fid} not found")
    now = sandbox.now()
    found.status, found.updated_at = body.status, now
    order.fulfillments = existing
    order.fulfilled_at = last_shipped(order)
    order.updated_at = now
    return JSON(OK)

