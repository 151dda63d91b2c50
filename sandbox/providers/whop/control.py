"""Fake-only Whop controls under `/_sandbox/whop`: what the platform and the other party do.

`POST /_sandbox/whop/cases/{id}/act {"action": "appeal", "by": "merchant", ...}` or
`POST /_sandbox/whop/cases/{id}/{action}`; the body is validated against the action's model
(scenario.ACTION_DATA) before anything changes, so a bad body is a 400 naming the field and the
case stays as it was.
"""

from __future__ import annotations

from pydantic import ValidationError
from starlette.requests import Request

from ...control import error, record_action, validation_problems
from ...jsonresp import JSON
from .scenario import ACTION_DATA
from .serialize import case_json


@record_action("whop", "cases", "Whop case")
async def act(request: Request, sandbox, state, case, body: dict) -> JSON:
    action = body.pop("action", None) or request.path_params.get("action")
    model = ACTION_DATA.get(action) if isinstance(action, str) else None
    if model is None:
        return error(f"action must be one of {', '.join(ACTION_DATA)}")
    try:
        data = model.model_validate(body).model_dump(by_alias=True, exclude_none=True)
    except ValidationError as exc:
        problems = validation_problems(exc)
        return error(f"invalid {action} body: {'; '.join(problems)}", problems=problems)
    if action == "resolve":  # PayPal-sandbox style forced outcome: {"outcome": "merchant_won"}
        action, data = "decide", {**data, "winner": data.pop("outcome").removesuffix("_won")}
    problem = state.lifecycle.apply(case, action, data, sandbox.now())
    if problem:
        return error(problem)
    return JSON(case_json(case, state.companies))

