"""Fake-only Pandabase controls under `/_sandbox/pandabase`: what customers, staff and the card
network do, which the Store API cannot (docs/providers/pandabase.md "Control plane").

Every body is validated by its model (`actions.py`, `OpenCaseBody`) before anything is stored:
a wrong type answers 400 naming the field and leaves every record as it was. Replies are the
record as the Store API would show it.
"""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import Field, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from ...access import sandbox_of
from ...control import error, read_json, validation_problems
from ...generate import rng_for
from ...jsonresp import JSON
from ...scenario import Strict, empty_list
from .actions import ACTION_BODIES
from .generator import make_customer, make_order, plain_id
from .models import AttachmentRecord, CasePriority, DisputeRecord
from .serialize import case_detail_json, dispute_detail_json
from .state import PandabaseState, pandabase_state
from .wire import DisputeDetail

ACTIONS = {  # the URL's action → the lifecycle's (and the timeline's) name
    "customer-reply": "customer_reply",
    "staff-reply": "staff_reply",
    "merchant-reply": "merchant_reply",
    "customer-close": "customer_close",
    "set-status": "set_status",
    "dispute": "open_dispute",
    "resolve": "resolve",
    "close": "close",
}
DISPUTE_ACTIONS = {"resolve": "resolve_dispute", "evidence": "submit_evidence"}


class AttachmentBody(Strict):
    filename: str = Field(default="file.png", min_length=1, max_length=255)
    mimeType: str = Field(default="image/png", min_length=1, max_length=128)
    sizeBytes: int = Field(default=1000, ge=1, le=10_485_760)


class OpenCaseBody(Strict):
    """`POST /_sandbox/pandabase/stores/{storeId}/cases`: the customer opens a case."""

    orderId: str | None = Field(default=None, min_length=12, max_length=48)
    subject: str | None = Field(default=None, min_length=1, max_length=500)
    priority: CasePriority = "NORMAL"
    body: str | None = Field(default=None, min_length=1, max_length=4000)
    email: str | None = Field(default=None, min_length=3, max_length=254)
    anyOrderStatus: bool = False  # open it on an order that is not COMPLETED too
    attachments: list[AttachmentBody] = Field(default_factory=empty_list, max_length=5)


class ControlDispute(DisputeDetail):
    """A dispute control's reply: the Store API's dispute, plus its `orderId`."""

    orderId: str


class Refused(Exception):
    """A control request refused before anything is stored."""

    def __init__(self, response: Response) -> None:
        self.response = response


async def _body(request: Request, model: type[Strict]) -> Any:
    try:
        return model.model_validate(await read_json(request))
    except ValidationError as exc:
        raise Refused(error("; ".join(validation_problems(exc)))) from None
    except ValueError as exc:
        raise Refused(error(str(exc))) from None


def control(handler: Any) -> Any:
    async def run(request: Request) -> Response:
        try:
            response: Response = await handler(request, pandabase_state(request))
        except Refused as refused:
            return refused.response
        return response

    return run


@control
async def open_case(request: Request, state: PandabaseState) -> Response:
    store_id = request.path_params["storeId"]
    if store_id not in state.stores:
        return error(f"no Pandabase store {store_id!r}", 404)
    body = await _body(request, OpenCaseBody)
    now = sandbox_of(request).now()
    if body.orderId is not None:
        order = state.orders.get(body.orderId)
        if order is None or order.store_id != store_id:
            return error(f"no order {body.orderId!r} in store {store_id!r}", 404)
        if order.status != "COMPLETED" and not body.anyOrderStatus:
            return error(f"cases are opened on completed orders; this one is {order.status}")
    else:  # a fresh order by a fresh customer, deterministic from the seed
        n = len(state.orders)
        customer = make_customer(state.ctx, store_id, ("control", n))
        customer.email = body.email or customer.email
        state.customers[customer.id] = customer
        order = make_order(state.ctx, state.store_specs[store_id], ("control", n), customer.id, now)
        state.orders[order.id] = order
    files = [
        AttachmentRecord(plain_id(rng_for(state.ctx.seed, "pandabase-upload", order.id, n), "csa_"),
                         item.filename, item.mimeType, item.sizeBytes)
        for n, item in enumerate(body.attachments)
    ]
    case = state.lifecycle.open_case(
        order, body.subject or "Question about my order", body.priority,
        body.body or "Hello, I need help with this order.", now, files,
    )
    return JSON(case_detail_json(case, state), status_code=201)


@control
async def act(request: Request, state: PandabaseState) -> Response:
    """`POST /_sandbox/pandabase/cases/{id}/{action}` with `customer-reply`, `staff-reply`, `close`…"""
    raw = request.path_params["action"]
    action = ACTIONS.get(raw, raw)
    if action not in ACTIONS.values():
        return error(f"unknown action {raw!r}; one of {', '.join(ACTIONS)}", 404)
    case = state.cases.get(request.path_params["id"])
    if case is None:
        return error(f"no Pandabase case {request.path_params['id']!r}", 404)
    body = await _body(request, ACTION_BODIES[action])
    problem = state.lifecycle.apply(case, action, body, sandbox_of(request).now())
    if problem:
        return error(problem)
    return JSON(case_detail_json(case, state))


def _dispute(state: PandabaseState, request: Request) -> DisputeRecord:
    dispute = state.disputes.get(request.path_params["id"])
    if dispute is None:
        raise Refused(error(f"no Pandabase dispute {request.path_params['id']!r}", 404))
    return dispute


@control
async def dispute_action(request: Request, state: PandabaseState) -> Response:
    """`POST /_sandbox/pandabase/disputes/{id}/resolve {"outcome": "WON"|"LOST"|"PREVENTED"}` (the
    network decides; `outcome` is case-insensitive) and `…/evidence {"access_activity_log"}`."""
    raw = request.path_params["action"]
    if raw not in DISPUTE_ACTIONS:
        return error(f"unknown action {raw!r}; one of {', '.join(DISPUTE_ACTIONS)}", 404)
    dispute = _dispute(state, request)
    action = DISPUTE_ACTIONS[raw]
    data = await read_json_or_refuse(request)
    if action == "resolve_dispute" and isinstance(data.get("outcome"), str):
        data["outcome"] = data["outcome"].upper()
    try:
        body = ACTION_BODIES[action].model_validate(data)
    except ValidationError as exc:
        return error("; ".join(validation_problems(exc)))
    problem = state.lifecycle.apply(dispute, action, body, sandbox_of(request).now())
    if problem:
        return error(problem)
    # the dispute as GET /disputes/{id} shows it, plus the `orderId` this control always answered
    shown = ControlDispute(**orjson.loads(dispute_detail_json(dispute, state)), orderId=dispute.order_id)
    return JSON(shown.model_dump_json().encode())


async def read_json_or_refuse(request: Request) -> dict[str, Any]:
    try:
        return await read_json(request)
    except ValueError as exc:
        raise Refused(error(str(exc))) from None


@control
async def list_disputes(request: Request, state: PandabaseState) -> Response:
    return JSON(
        {"disputes": [{"id": d.id, "storeId": d.store_id, "orderId": d.order_id, "reason": d.reason, "status": d.status}
                      for d in state.disputes]}
    )

