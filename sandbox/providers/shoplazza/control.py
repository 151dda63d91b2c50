"""Fake-only Shoplazza controls under `/_sandbox/shoplazza`.

The real API is read-only (evidence is uploaded in the Shoplazza admin, sheet headline facts), so
everything that moves a dispute lives here: open one, respond, escalate a warning, force an outcome.
"""

from __future__ import annotations

from pydantic import ValidationError
from starlette.requests import Request
from starlette.routing import Route

from ...control import error, read_json, record_action, validation_problems
from ...jsonresp import JSON
from ...provider import sandbox_of
from .generator import make_dispute
from .scenario import DisputeSpec
from .serialize import dispute_json


def _dispute_response(dispute) -> JSON:
    return JSON(b'{"dispute":' + dispute_json(dispute) + b"}")


@record_action("shoplazza", "disputes", "Shoplazza dispute")
async def act(request: Request, sandbox, state, dispute, body: dict) -> JSON:
    """`POST /_sandbox/shoplazza/disputes/{id}/act {"action": "escalate"}`, or `/{action}` in the path.

    Actions: `respond`, `escalate`, `resolve` (`{"outcome": "won"|"lost"|"warning_closed"}`),
    `set_status` (`{"status": ..., "expiration_time": "+3d"}`).
    """
    action = request.path_params.get("action") or body.pop("action", None)
    if action == "act" or not isinstance(action, str):
        return error('give {"action": "respond" | "escalate" | "resolve" | "set_status"}')
    problem = state.lifecycle.apply(dispute, action, body, sandbox.now())
    if problem:
        return error(problem, 409 if "status is" in problem or "already closed" in problem else 400)
    return _dispute_response(dispute)


async def create(request: Request) -> JSON:
    """`POST /_sandbox/shoplazza/disputes {"store": "<subdomain or id>", ...any dispute field}`.

    Opens a dispute now (created_at = the sandbox clock) and emits `disputes/create`.
    """
    sandbox = sandbox_of(request)
    state = sandbox.state("shoplazza")
    try:
        body = await read_json(request)
    except ValueError as exc:
        return error(str(exc))
    key = str(body.pop("store", ""))
    store = state.by_subdomain.get(key) or state.stores.get(key)
    if store is None:
        return error(f'no Shoplazza store {key!r} (give its subdomain or id as "store")', 404)
    body.setdefault("created_at", sandbox.now().replace(microsecond=0).isoformat())
    try:
        spec = DisputeSpec.model_validate(body)
    except ValidationError as exc:
        return error("invalid dispute", problems=validation_problems(exc))
    if spec.id and spec.id in state.disputes:
        return error(f"dispute id {spec.id!r} exists already", 409)
    section = state.store_specs[store.id]
    index = state.created_count = state.created_count + 1
    dispute = make_dispute(state.ctx, state.rules, section, index, spec, scope="control")
    if spec.updated_at is None:
        dispute.updated_at = dispute.created_at
    state.add(dispute)
    return JSON(b'{"dispute":' + dispute_json(dispute) + b"}", status_code=201)


ROUTES = [
    Route("/shoplazza/disputes", create, methods=["POST"]),
    Route("/shoplazza/disputes/{id}/act", act, methods=["POST"]),
    Route("/shoplazza/disputes/{id}/{action:str}", act, methods=["POST"]),
]
