"""`Authorization: Bearer op_at_…`: a token is bound to one store and a set of scopes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from . import errors
from .models import TokenRecord

if TYPE_CHECKING:
    from .state import OrderProtectionState


def authenticate(request: Request, state: OrderProtectionState, scopes: tuple[str, ...], operation: str) -> TokenRecord:
    """The caller's live token holding one of `scopes`, or the 401/403/429 as an OPError."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise errors.unauthorized("no Authorization: Bearer header")
    token = state.tokens.get(value)
    if token is None or token.revoked:
        raise errors.unauthorized(f"token {value[:12]}… is unknown or revoked")
    if token.expires_at is not None and state.ctx.now() >= token.expires_at:
        raise errors.unauthorized(f"token {value[:12]}… expired")
    if not any(scope in token.scopes for scope in scopes):
        raise errors.forbidden(f"token {value[:12]}… lacks {' or '.join(scopes)} for {operation}")
    wait = state.rate.check(token.token, operation)
    if wait is not None:
        raise errors.rate_limited(wait)
    return token
