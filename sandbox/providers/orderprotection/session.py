"""Embedded-app session tokens: `POST /v1/oauth/session/verify` and the control that mints them.

In production the dashboard mints a 60-second JWT and appends it to the app's iframe URL; the
app's server sends it to the verify endpoint and gets the merchant's user and store context back,
30 requests a minute per IP (docs/providers/orderprotection.md "Embedded apps"). The sandbox has no
dashboard, so `POST /_sandbox/orderprotection/session_tokens` plays its part; the token is opaque to
the app, which only forwards it, so the signing key is the sandbox's own (inferred.py).
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from pydantic import Field, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from ...access import sandbox_of
from ...control import error, read_json, validation_problems
from ...jsonresp import JSON
from ...scenario import Strict
from ...timefmt import iso_millis
from . import errors, inferred
from .parse import json_body
from .state import OrderProtectionState, op_state
from .wire import SessionContext

Name = Annotated[str, Field(min_length=1, max_length=255)]


class SessionTokenBody(Strict):
    """What the dashboard knows when a merchant opens an installed app."""

    client_id: Name
    store_id: Name
    email: Annotated[str, Field(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    first_name: Name | None = None
    last_name: Name | None = None


def _key(state: OrderProtectionState) -> str:
    return hashlib.sha256(f"op-session:{state.ctx.seed}".encode()).hexdigest()


def _ids(client_id: str, store_id: str) -> tuple[str, str]:
    """installationId and applicationId, stable for an (app, store) pair."""
    app = hashlib.sha256(client_id.encode()).hexdigest()[:16]
    inst = hashlib.sha256(f"{client_id}:{store_id}".encode()).hexdigest()[:16]
    return f"inst_{inst}", f"app_{app}"


async def mint(request: Request) -> Response:
    """`POST /_sandbox/orderprotection/session_tokens {"client_id", "store_id", "email"?, …}` →
    `{"session_token", "expires_at"}` for an app installed on the store."""
    sandbox = sandbox_of(request)
    state = op_state(request)
    try:
        body = SessionTokenBody.model_validate(await read_json(request))
    except ValidationError as exc:
        return error("; ".join(validation_problems(exc)))
    except ValueError as exc:
        return error(str(exc))
    app = state.apps.get(body.client_id)
    if app is None:
        return error(f"no OrderProtection app {body.client_id!r}", 404)
    if body.store_id not in app.store_ids:
        return error(f"app {body.client_id} is not installed on store {body.store_id!r}")
    now = sandbox.now()
    installation, application = _ids(app.client_id, body.store_id)
    claims = {
        "sub": state.user_id(body.store_id),
        "email": body.email or inferred.SESSION_DEFAULT_EMAIL.format(store=body.store_id),
        "firstName": body.first_name or inferred.SESSION_DEFAULT_NAME[0],
        "lastName": body.last_name or inferred.SESSION_DEFAULT_NAME[1],
        "storeId": body.store_id,
        "installationId": installation,
        "applicationId": application,
        "clientId": app.client_id,
        "scopes": list(app.scopes),
        "iat": int(now.timestamp()),
        "exp": int((now + inferred.SESSION_TOKEN_LIFETIME).timestamp()),
    }
    import jwt  # PyJWT only once a session token is asked for (it costs start-up time)

    token = jwt.encode(claims, _key(state), algorithm="HS256")
    return JSON({"session_token": token, "expires_at": iso_millis(now + inferred.SESSION_TOKEN_LIFETIME)}, status_code=201)


async def verify(request: Request) -> Response:
    """The documented verify: the merchant's user and store context, or 401 for a token that is
    not one, was altered, or is past its 60 seconds on the sandbox clock."""
    sandbox = sandbox_of(request)
    state = op_state(request)
    ip = request.client.host if request.client else "unknown"
    wait = state.session_rate.check(ip, "session_verify")
    if wait is not None:
        raise errors.rate_limited(wait)
    raw: Any = (await json_body(request)).get("session_token")
    if not isinstance(raw, str) or not raw:
        raise errors.bad_request("session_token should not be empty", "session_token must be a string")
    import jwt

    try:
        claims = jwt.decode(raw, _key(state), algorithms=["HS256"], options={"verify_exp": False, "require": ["exp"]})
    except jwt.PyJWTError:
        raise errors.OPError(401, inferred.SESSION_INVALID_MESSAGE, "Unauthorized") from None
    if not isinstance(claims.get("exp"), int) or sandbox.now().timestamp() >= claims["exp"]:
        raise errors.OPError(401, inferred.SESSION_INVALID_MESSAGE, "Unauthorized")
    app = state.apps.get(claims.get("clientId", ""))
    if app is None or claims.get("storeId") not in app.store_ids:
        raise errors.OPError(401, inferred.SESSION_INVALID_MESSAGE, "Unauthorized")
    keys = ("email", "firstName", "lastName", "storeId", "installationId", "applicationId", "clientId", "scopes")
    return JSON(SessionContext(userId=claims["sub"], **{k: claims[k] for k in keys}).model_dump())

