"""Fake-only Shoplazza controls under `/_sandbox/shoplazza`.

The real API is read-only (evidence is uploaded in the Shoplazza admin, docs/providers/shoplazza.md
§4), so everything that moves a dispute lives here: open one, respond, escalate a warning, force an
outcome. Every body is validated by its model before anything changes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError
from starlette.requests import Request

from ...control import error, read_json, record_action, validation_problems
from ...jsonresp import JSON
from ...scenario import ScenarioTime
from .generator import make_dispute
from .models import DisputeRecord, Status
from .scenario import DisputeSpec
from .serialize import dispute_json
from .state import ShoplazzaState, state_of


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class NoBody(Body):
    pass


class Resolve(Body):
    outcome: Status


class SetStatus(Body):
    status: Status
    expiration_time: ScenarioTime | None = None


ACTIONS: dict[str, type[Body]] = {"respond": NoBody, "escalate": NoBody, "resolve": Resolve, "set_status": SetStatus}


class OpenDispute(DisputeSpec):
    store: StrictStr = Field(min_length=1)


def _dispute_response(dispute: DisputeRecord, status: int = 200) -> JSON:
    return JSON(b'{"dispute":' + dispute_json(dispute) + b"}", status_code=status)


@record_action("shoplazza", "disputes", "Shoplazza dispute")
async def act(request: Request, sandbox: Any, state: ShoplazzaState, dispute: DisputeRecord, body: dict) -> JSON:
    """`POST /_sandbox/shoplazza/disputes/{id}/act {"action": "escalate"}`, or `/{action}` in the path.

    Actions: `respond`, `escalate`, `resolve` (`{"outcome": "won"|"lost"|"warning_closed"}`),
    `set_status` (`{"status": ..., "expiration_time": "+3d"}`).
    """
    action = request.path_params.get("action") or body.pop("action", None)
    if action == "act" or not isinstance(action, str) or action not in ACTIONS:
        return error('give {"action": "respond" | "escalate" | "resolve" | "set_status"}')
    try:
        data = ACTIONS[action].model_validate(body).model_dump(exclude_none=True)
    except ValidationError as exc:
        return error(f"invalid {action} body", problems=validation_problems(exc))
    problem = state.lifecycle.apply(dispute, action, data, sandbox.now())
    if problem:
        return error(problem, 409 if "status is" in problem or "already closed" in problem else 400)
    return _dispute_response(dispute)


async def create(request: Request) -> JSON:
    """`POST /_sandbox/shoplazza/disputes {"store": "<subdomain or id>", ...any dispute field}`.

    Opens a dispute now (created_at = the sandbox clock) and emits `disputes/create`.
    """
    state = state_of(request)
    try:
        body = await read_json(request)
    except ValueError as exc:
        return error(str(exc))
    body.setdefault("created_at", state.ctx.now().replace(microsecond=0).isoformat())
    try:
        given = OpenDispute.model_validate(body)
    except ValidationError as exc:
        return error("invalid dispute", problems=validation_problems(exc))
    store = state.by_subdomain.get(given.store) or state.stores.get(given.store)
    if store is None:
        return error(f'no Shoplazza store {given.store!r} (give its subdomain or id as "store")', 404)
    spec = DisputeSpec.model_validate(given.model_dump(exclude={"store"}))
    if spec.id and spec.id in state.disputes:
        return error(f"dispute id {spec.id!r} exists already", 409)
    section = state.store_specs[store.id]
    index = state.created_count = state.created_count + 1
    dispute = make_dispute(state.ctx, state.rules, section, index, spec, scope="control")
    if spec.updated_at is None:
        dispute.updated_at = dispute.created_at
    state.add(dispute)
    return _dispute_response(dispute, 201)

