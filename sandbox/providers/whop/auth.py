"""`Authorization: Bearer <token>`: a company key acts as the merchant on its own company's cases,
a user token as the customer on the cases it opened (docs/providers/whop.md, "Authentication")."""

from __future__ import annotations

from starlette.requests import Request

from ...access import header
from . import errors, inferred
from .models import ApiKey


def credential(request: Request, state) -> ApiKey:
    """The caller's key or token, or the documented 401."""
    scheme, _, token = (header(request, b"authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.unauthorized("no Bearer token")
    key = state.keys.get(token.strip())
    if key is None:
        raise errors.unauthorized("unknown token")
    return key


def authenticate(
    request: Request, state, operation: str, permission: str = inferred.REQUIRED_PERMISSION
) -> ApiKey:
    """The caller's key, or the documented 401/403/429 as a WhopError."""
    key = credential(request, state)
    if permission not in key.permissions:
        raise errors.forbidden(f"token {key.key[:12]}… lacks {permission}")
    wait = state.rate.check(key.key, operation)
    if wait is not None:
        raise errors.rate_limited(wait)
    return key
