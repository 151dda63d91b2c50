"""`Access-Token: <token>` (not `Authorization: Bearer`): one token names one store.

Path mode: the token chooses the store. Host mode: the subdomain chooses it and the token must
belong to it. A Bearer header is simply no Access-Token, so it gets the missing-token answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from ...access import header, host_params
from . import errors, inferred
from .models import StoreRecord, TokenRecord

if TYPE_CHECKING:
    from .state import ShoplazzaState


def token_of(request: Request, state: ShoplazzaState) -> TokenRecord:
    """The token `authenticate` accepted for this request."""
    return state.tokens[request.headers.get("access-token", "").strip()]


def authenticate(request: Request, state: ShoplazzaState,
                 scopes: frozenset[str] | None = inferred.IMPLYING_SCOPES) -> StoreRecord:
    """The store the request may use, or the documented error. `scopes`: any one of them is
    needed (the dispute routes need read_finance; None: any valid token will do)."""
    subdomain = host_params(request).get("store")
    store: StoreRecord | None = None
    if subdomain is not None:
        store = state.by_subdomain.get(subdomain.lower())
        if store is None or not store.active:
            raise errors.store_not_active()
    value = (header(request, b"access-token") or "").strip()
    token = state.tokens.get(value) if value else None
    if token is None or (token.expires_at is not None and state.ctx.now() >= token.expires_at):
        raise errors.unauthorized(state.auth_failure_status)
    if store is None:
        store = state.stores[token.store_id]
        if not store.active:
            raise errors.store_not_active()
    elif token.store_id != store.id and inferred.OTHER_STORE_TOKEN_IS_INVALID:
        raise errors.unauthorized(state.auth_failure_status)
    if scopes is not None and not scopes.intersection(token.scopes):
        raise errors.forbidden()
    if state.bucket is not None:
        wait = state.bucket.check(token.token, store.id)
        if wait is not None:
            raise errors.rate_limited(wait)
    return store
