"""Fake-only Riverty controls under `/_sandbox/riverty`: Riverty has no public call that opens,
decides or cancels a dispute (consumers use the app, Riverty decides; docs/providers/riverty.md
§7), so tests drive them here. Every body is validated by its model before anything changes."""

from __future__ import annotations

from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError
from starlette.requests import Request

from ...control import error, read_json, record_action, validation_problems
from ...jsonresp import JSON
from ...timefmt import iso_millis
from . import tables
from .models import DisputeRecord
from .scenario import Decision, DisputeSpec
from .serialize import gen1_json
from .state import RivertyState, state_of


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


class NoBody(Body):
    pass


class RequestInfo(Body):
    from_: Literal["shop", "customer"] = Field(default="shop", alias="from")


class BySide(Body):
    by: Literal["shop", "customer"] | None = None


class WithDecision(Body):
    decision: Decision | None = None


class CommentBody(Body):
    body: StrictStr | None = Field(default=None, min_length=1, max_length=10000)
    message: StrictStr | None = Field(default=None, min_length=1, max_length=10000)
    visibility: StrictInt = Field(default=6, ge=1, le=tables.VISIBILITY_ALL)


class SetStage(Body):
    stage: StrictInt = Field(ge=1, le=7)
    decision: Decision | None = None
    rfi_party: Literal["shop", "customer"] | None = None


ACTIONS: dict[str, type[Body]] = {
    "request_info": RequestInfo,
    "supply_info": BySide,
    "decide": WithDecision,
    "appeal": BySide,
    "final_decision": WithDecision,
    "resolve": WithDecision,
    "cancel": NoBody,
    "customer_comment": CommentBody,
    "agent_comment": CommentBody,
    "set_stage": SetStage,
}


class OpenDispute(DisputeSpec):
    client_id: StrictInt | None = None


def _view(d: DisputeRecord, state: RivertyState) -> dict[str, Any]:
    """Gen 1 object plus the fake's lifecycle fields, for scripts and tests."""
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
    state = state_of(request)
    now = state.ctx.now()
    try:
        body = await read_json(request)
    except ValueError as exc:
        return error(str(exc))
    body.setdefault("created_at", iso_millis(now))
    body["stage"] = 1
    try:
        spec = OpenDispute.model_validate(body)
    except ValidationError as exc:
        return error("invalid dispute", problems=validation_problems(exc))
    client_id = spec.client_id
    if client_id is None and state.clients:
        client_id = next(iter(state.clients))
    if client_id not in state.clients:
        return error(f"no Riverty client {client_id!r}", 404)
    shops = state.clients[client_id].shops
    wanted = [k for k in shops if spec.shop_id in (None, k.split("/")[0]) and spec.country_code in (None, k.split("/")[1])]
    if not wanted:
        return error(f"client {client_id} has no shop {spec.shop_id!r} {spec.country_code or ''}".rstrip())
    try:
        dispute = state.open_dispute(client_id, DisputeSpec.model_validate(spec.model_dump(exclude={"client_id"})), now)
    except ValueError as exc:
        return error(str(exc), 409)
    return JSON(_view(dispute, state), status_code=201)


async def show(request: Request) -> JSON:
    state = state_of(request)
    dispute = state.disputes.get(request.path_params["id"].lower())
    if dispute is None:
        return error(f"no Riverty dispute {request.path_params['id']!r}", 404)
    return JSON(_view(dispute, state))


@record_action("riverty", "disputes", "Riverty dispute", normalise=str.lower)
async def act(request: Request, sandbox: Any, state: RivertyState, dispute: DisputeRecord, body: dict) -> JSON:
    """`POST /_sandbox/riverty/disputes/{id}/{action}`: request_info {"from"}, supply_info,
    decide {"decision"}, appeal, final_decision, resolve {"decision"}, cancel, customer_comment
    {"body"}, agent_comment, set_stage {"stage", "decision"?, "rfi_party"?}."""
    action = request.path_params["action"]
    model = ACTIONS.get(action)
    if model is None:
        return error(f"unknown action {action!r} (known: {', '.join(ACTIONS)})")
    try:
        data = model.model_validate(body).model_dump(by_alias=True, exclude_none=True)
    except ValidationError as exc:
        return error(f"invalid {action} body", problems=validation_problems(exc))
    problem = state.lifecycle.apply(dispute, action, data, sandbox.now())
    if problem:
        return error(problem)
    return JSON(_view(dispute, state))

