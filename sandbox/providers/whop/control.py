"""Fake-only Whop controls under `/_sandbox/whop`: SDK 0.0.41 has no write calls for cases."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ...control import error, record_action
from ...jsonresp import JSON
from . import dispute_control
from .serialize import case_json


@record_action("whop", "cases", "Whop case")
async def act(request: Request, sandbox, state, case, body: dict) -> JSON:
    """`POST /_sandbox/whop/cases/{id}/act {"action": "appeal", "by": "merchant", ...}`."""
    action = body.pop("action", None) or request.path_params.get("action")
    if action == "resolve":  # PayPal-sandbox style forced outcome: {"outcome": "merchant_won"}
        outcome = body.get("outcome", "")
        action, body = "decide", {**body, "winner": outcome.removesuffix("_won")}
    problem = state.lifecycle.apply(case, str(action), body, sandbox.now())
    if problem:
        return error(problem)
    return JSON(case_json(case, state.companies))


ROUTES = [
    Route("/whop/cases/{id}/act", act, methods=["POST"]),
    Route("/whop/cases/{id}/{action:str}", act, methods=["POST"]),
    *dispute_control.ROUTES,
]
