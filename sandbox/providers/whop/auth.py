"""`Authorization: Bearer <key>`: a company key sees its own company's cases only."""

from __future__ import annotations

from starlette.requests import Request

from . import errors, inferred
from .models import ApiKey


def authenticate(request: Request, state, operation: str) -> ApiKey:
    """The caller's key, or the documented 401/403/429 as a WhopError."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise errors.unauthorized()
    key = state.keys.get(token.strip())
    if key is None:
        raise errors.unauthorized()
    if inferred.REQUIRED_PERMISSION not in key.permissions:
        raise errors.forbidden()
    wait = state.rate.check(key.key, operation)
    if wait is not None:
        raise errors.rate_limited(wait)
    return key
