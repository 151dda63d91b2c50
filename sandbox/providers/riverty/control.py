"""Fake-only Riverty controls under `/_sandbox/riverty`: Riverty has no public call that opens,
decides or cancels a dispute (consumers use the app, Riverty decides), so tests drive them here."""

from __future__ import annotations

from pydantic import ValidationError
from starlette.requests import Request
from starlette.routing import Route

from ...control import error, read_json, record_action, validation_problems
from ...jsonresp import JSON
from ...provider import sandbox_of
from ...timefmt import iso_millis
from . import tables
from .models import DisputeRecord
from .scenario import DisputeSpec
from .serialize import gen1_json


def _view(d: DisputeRecord, state) -> dict:
    """Gen 1 object plus the fake's lifecycle fields, for scripts and tests."""
    import orjson

    return {
        "dispute": orjson.loads(gen1_json(d, state)),
        "stage": {"id": d.stage, "name": tables.STAGES[d.stage]},
        "rfiParty": d.rfi_party,
        "decision": d.decision,
        "deadline": iso_millis(d.deadline) if d.deadline else None,
        "ticketNumber": d.ticket_number,
        "shopId": d.shop_id,
        "comments": len(d.comments),
    }


async def open_dispute(request: Request) -> JSON:
    """`POST /_sandbox/riverty/disputes {"client_id": 1, ...DisputeSpec fields}`: a consumer opens
    a dispute now; sends `DisputeNotificationEvent`."""
    sandbox = sandbox_of(request)
    state = sandbox.state("riverty")
    try:
        body = await read_json(request)
    except ValueError as exc:
        return error(str(exc))
    client_id = body.pop("client_id", None)
    if client_id is None and state.clients:
        client_id = next(iter(state.clients))
    if client_id not in state.clients:
        return error(f"no Riverty client {client_id!r}", 404)
    body.setdefault("created_at", iso_millis(sandbox.now()))
    body["stage"] = 1
    try:
        spec = DisputeSpec.model_validate(body)
    except ValidationError as exc:
        return error("invalid dispute", problems=validation_problems(exc))
    shops = state.clients[client_id].shops
    wanted = [k for k in shops if spec.shop_id in (None, k.split("/")[0]) and spec.country_code in (None, k.split("/")[1])]
    if not wanted:
        return error(f"client {client_id} has no shop {spec.shop_id!r} {spec.country_code or ''}".rstrip())
    try:
        dispute = state.open_dispute(client_id, spec, sandbox.now())
    except ValueError as exc:
        return error(str(exc), 409)
    return JSON(_view(dispute, state), status_code=201)


async def show(request: Request) -> JSON:
    state = sandbox_of(request).state("riverty")
    dispute = state.disputes.get(request.path_params["id"].lower())
    if dispute is None:
        return error(f"no Riverty dispute {request.path_params['id']!r}", 404)
    return JSON(_view(dispute, state))


@record_action("riverty", "disputes", "Riverty dispute", normalise=str.lower)
async def act(request: Request, sandbox, state, dispute, body: dict) -> JSON:
    """`POST /_sandbox/riverty/disputes/{id}/{action}`: request_info {"from"}, supply_info,
    decide {"decision"}, appeal, final_decision, resolve {"decision"}, cancel, customer_comment
    {"body"}, agent_comment, set_stage {"stage", "decision"?, "rfi_party"?}."""
    problem = state.lifecycle.apply(dispute, request.path_params["action"], body, sandbox.now())
    if problem:
        return error(problem)
    return JSON(_view(dispute, state))


ROUTES = [
    Route("/riverty/disputes", open_dispute, methods=["POST"]),
    Route("/riverty/disputes/{id}", show, methods=["GET"]),
    Route("/riverty/disputes/{id}/{action}", act, methods=["POST"]),
]
