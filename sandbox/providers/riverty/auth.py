"""`X-Auth-Key: <key>`: one key per webshop and country. Gen 2 calls see the key's shop; Gen 1
calls name a client in the path, which must be the key's client."""

from __future__ import annotations

from starlette.requests import Request

from ...access import header
from . import errors, inferred
from .models import ShopRecord

_AUTH_HEADER = inferred.AUTH_HEADER.lower().encode()  # as ASGI names it


def authenticate(request: Request, state, operation: str) -> ShopRecord:
    """The caller's shop, or the 401 / 429 as a RivertyError."""
    key = (header(request, _AUTH_HEADER) or "").strip()
    shop = state.keys.get(key) if key else None
    if shop is None:
        raise errors.unauthorized(f"{'unknown' if key else 'no'} {inferred.AUTH_HEADER} key")
    wait = state.rate.check(key, operation)
    if wait is not None:
        raise errors.rate_limited(wait)
    return shop
