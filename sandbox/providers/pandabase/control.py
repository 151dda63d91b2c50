"""Fake-only Pandabase controls under `/_sandbox/pandabase`: what customers and staff do in the portal.

The Store API cannot open a case or write as the customer; these routes can, so clients can test
the merchant side reacting to them. Replies are the case as GET /cases/{id} would show it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ...control import error, read_json, record_action
from ...generate import rng_for
from ...jsonresp import JSON
from ...provider import sandbox_of
from .generator import make_customer, make_order
from .models import CASE_PRIORITIES, AttachmentRecord
from .serialize import case_detail_json

ACTIONS = {
    "customer-reply": "customer_reply",
    "staff-reply": "staff_reply",
    "merchant-reply": "merchant_reply",
    "customer-close": "customer_close",
    "set-status": "set_status",
    "dispute": "open_dispute",
    "resolve": "resolve",
    "close": "close",
}


async def open_case(request: Request) -> JSON:
    """`POST /_sandbox/pandabase/stores/{storeId}/cases {"orderId"?, "subject", "priority"?, "body"}`."""
    sandbox = sandbox_of(request)
    state = sandbox.state("pandabase")
    store_id = request.path_params["storeId"]
    if store_id not in state.stores:
        return error(f"no Pandabase store {store_id!r}", 404)
    try:
        body = await read_json(request)
    except ValueError as exc:
        return error(str(exc))
    now = sandbox.now()
    priority = body.get("priority", "NORMAL")
    if priority not in CASE_PRIORITIES:
        return error(f"priority must be one of {', '.join(CASE_PRIORITIES)}")
    order_id = body.get("orderId")
    if order_id is not None:
        order = state.orders.get(order_id)
        if order is None or order.store_id != store_id:
            return error(f"no order {order_id!r} in store {store_id!r}", 404)
        if order.status != "COMPLETED" and not body.get("anyOrderStatus"):
            return error(f"cases are opened on completed orders; this one is {order.status}")
    else:  # a fresh order by a fresh customer, deterministic from the seed
        n = len(state.orders)
        customer = make_customer(state.ctx, store_id, ("control", n))
        customer.email = body.get("email") or customer.email
        state.customers[customer.id] = customer
        order = make_order(state.ctx, state.store_specs[store_id], ("control", n), customer.id, now)
        state.orders[order.id] = order
    files = []
    for n, item in enumerate(body.get("attachments") or []):
        rng = rng_for(state.ctx.seed, "pandabase-upload", order.id, n)
        files.append(
            AttachmentRecord(
                "csa_" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=24)),
                str(item.get("filename", "file.png")),
                str(item.get("mimeType", "image/png")),
                int(item.get("sizeBytes", 1000)),
            )
        )
    case = state.lifecycle.open_case(
        order,
        str(body.get("subject") or "Question about my order"),
        priority,
        str(body.get("body") or "Hello, I need help with this order."),
        now,
        files,
    )
    return JSON(case_detail_json(case, state), status_code=201)


@record_action("pandabase", "cases", "Pandabase case")
async def act(request: Request, sandbox, state, case, body: dict) -> JSON:
    """`POST /_sandbox/pandabase/cases/{id}/{action}` with `customer-reply`, `staff-reply`, `close`…"""
    raw = request.path_params["action"]
    action = ACTIONS.get(raw, raw)
    if action not in ACTIONS.values():
        return error(f"unknown action {raw!r}; one of {', '.join(ACTIONS)}", 404)
    problem = state.lifecycle.apply(case, action, body, sandbox.now())
    if problem:
        return error(problem)
    return JSON(case_detail_json(case, state))


@record_action("pandabase", "disputes", "Pandabase dispute")
async def resolve_dispute(request: Request, sandbox, state, dispute, body: dict) -> JSON:
    """`POST /_sandbox/pandabase/disputes/{id}/resolve {"outcome": "WON"|"LOST"|"PREVENTED"}`."""
    problem = state.lifecycle.decide_dispute(dispute, str(body.get("outcome", "")).upper(), sandbox.now())
    if problem:
        return error(problem)
    return JSON({"id": dispute.id, "orderId": dispute.order_id, "status": dispute.status})


async def list_disputes(request: Request) -> JSON:
    state = sandbox_of(request).state("pandabase")
    return JSON(
        {"disputes": [{"id": d.id, "storeId": d.store_id, "orderId": d.order_id, "reason": d.reason, "status": d.status}
                      for d in state.disputes.values()]}
    )


ROUTES = [
    Route("/pandabase/stores/{storeId}/cases", open_case, methods=["POST"]),
    Route("/pandabase/cases/{id}/{action}", act, methods=["POST"]),
    Route("/pandabase/disputes", list_disputes, methods=["GET"]),
    Route("/pandabase/disputes/{id}/resolve", resolve_dispute, methods=["POST"]),
]
