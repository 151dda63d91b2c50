"""`Authorization: Bearer op_at_…`: a token is bound to one store and a set of scopes."""

from __future__ import annotations

from starlette.requests import Request

from . import errors
from .models import TokenRecord


def authenticate(request: Request, state, scopes: tuple[str, ...], operation: str) -> TokenRecord:
    """The caller's live token holding one of `scopes`, or the 401/403/429 as an OPError."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise errors.unauthorized()
    token = state.tokens.get(value)
    if token is None or token.revoked:
        raise errors.unauthorized()
    if token.expires_at is not None and state.ctx.now() >= token.expires_at:
        raise errors.unauthorized()
    if not any(scope in token.scopes for scope in scopes):
        raise errors.forbidden()
    wait = state.rate.check(token.token, operation)
    if wait is not None:
        raise errors.rate_limited(wait)
    return token
