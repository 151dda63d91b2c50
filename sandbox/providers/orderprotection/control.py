"""Fake-only controls under `/_sandbox/orderprotection`: the API has no read-by-id, no message and
no approve/deny endpoint (docs/providers/orderprotection.md "Not documented"), so tests drive those
here. Every body is validated (scenario.ACTION_BODIES) before anything is stored."""

from __future__ import annotations

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response

from ...access import sandbox_of
from ...control import error, read_json, record_action, validation_problems
from ...jsonresp import JSON
from ...params import ascii_int
from ...timefmt import iso_millis
from .orders import is_protected, premium_of
from .scenario import ProtectionBody
from .serialize import node_json, num, order_json
from .state import OrderProtectionState, op_state

KEY = "orderprotection"  # the state key record_action looks up


async def claim(request: Request) -> Response:
    """`GET /_sandbox/orderprotection/claims/{id}`: any claim, deleted ones included."""
    state = op_state(request)
    record = state.claims.get(request.path_params["id"])
    if record is None:
        return error(f"no OrderProtection claim {request.path_params['id']!r}", 404)
    return Response(node_json(record), media_type="application/json")


@record_action(KEY, "claims", "OrderProtection claim")
async def act(request: Request, sandbox, state: OrderProtectionState, record, body: dict) -> Response:
    """`POST …/claims/{id}/{action}` with action `resolve` ({"outcome": "approve"|"deny", "type"}),
    `approve`, `deny`, `message` ({"message", "sender_type", "author_name"}), `set_state`
    ({"state"}), `delete`; or `POST …/claims/{id}/act {"action": …}`."""
    action = request.path_params.get("action", "act")
    if action == "act":
        action = str(body.pop("action", ""))
    if action == "resolve":
        outcome = body.pop("outcome", None)
        if outcome not in ("approve", "deny"):
            return error('outcome: must be "approve" or "deny"')
        action = outcome
    problem = state.lifecycle.apply(record, action, body, sandbox.now())
    if problem:
        return error(problem)
    return Response(node_json(record), media_type="application/json")


def _order_json(order) -> dict:
    return {
        "storeId": order.store_id,
        "orderId": order.id,
        "sourceOrderId": order.source_order_id,
        "sourceOrderNumber": order.source_order_number,
        "customerName": order.customer_name,
        "customerEmail": order.customer_email,
        "currency": order.currency,
        "fulfilledAt": iso_millis(order.fulfilled_at) if order.fulfilled_at else None,
        "items": [
            {
                "itemId": i.id,
                "sourceItemId": i.source_item_id,
                "sourceProductId": i.source_product_id,
                "sourceVariantId": i.source_variant_id,
                "sku": i.sku,
                "name": i.name,
                "price": i.price,
                "quantity": i.quantity,
            }
            for i in order.items
        ],
    }


async def orders(request: Request) -> JSON:
    """`GET /_sandbox/orderprotection/stores/{store}/orders?without_claims=1&limit=50`: orders to
    file claims against (the claims API has no order read)."""
    state = op_state(request)
    store_id = request.path_params["store"]
    if store_id not in state.stores:
        return error(f"no OrderProtection store {store_id!r}", 404)
    raw = request.query_params.get("limit", "50")
    long = len(raw) > 9 and raw.isascii() and raw.isdigit()  # any length: past 4300 digits int() raises
    limit = 1000 if long else ascii_int(raw)
    if limit is None:
        return error("limit must be an integer")
    limit = max(1, min(1000, limit))
    bare = request.query_params.get("without_claims") in ("1", "true")
    found = []
    # every bulk order carries its bulk claim: without_claims skips them without building them
    for order in state.orders.of_store(store_id, bulk=not bare):
        if bare and state.claim_ids_of_order(store_id, order.source_order_id):
            continue
        found.append(_order_json(order))
        if len(found) >= limit:
            break
    return JSON({"orders": found})


async def protection(request: Request) -> Response:
    """`POST /_sandbox/orderprotection/stores/{store}/orders/{sourceOrderId}/protection
    {"action": "add"|"remove", "amount"?}`: what a merchant does in the dashboard (the API has no
    route for it); sends `protection.added` (amount billed) or `protection.removed` (amount refunded)."""
    sandbox = sandbox_of(request)
    state = op_state(request)
    store_id, source_id = request.path_params["store"], request.path_params["sourceOrderId"]
    order = state.orders.get((store_id, source_id))
    if order is None:
        return error(f"no OrderProtection order {source_id!r} in store {store_id!r}", 404)
    try:
        body = ProtectionBody.model_validate(await read_json(request))
    except ValidationError as exc:
        return error("; ".join(validation_problems(exc)))
    except ValueError as exc:
        return error(str(exc))
    protected = is_protected(order)
    if (body.action == "add") == protected:
        return error(f"order {source_id} is {'already' if protected else 'not'} protected", 409)
    now = sandbox.now()
    if body.action == "add":
        if body.amount is not None:
            order.premium_paid = body.amount
        order.policy_cancelled_at = None
    else:
        order.policy_cancelled_at = now
    order.updated_at = now
    topic = "protection.added" if body.action == "add" else "protection.removed"
    state.ctx.emit(topic, source_id, store_id, now, amount=num(premium_of(order)), currency=order.currency)
    return Response(order_json(order), media_type="application/json")

