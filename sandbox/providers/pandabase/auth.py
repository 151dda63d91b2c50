"""`Authorization: Bearer sk_…` (or HMAC mode `Bearer stk_…` + `X-Signature`), bound to one store."""

from __future__ import annotations

import hmac
import time
from typing import TYPE_CHECKING

from starlette.requests import Request

from ...access import header
from . import errors, inferred
from .errors import RateInfo
from .models import TokenRecord

if TYPE_CHECKING:
    from ...faults import RateLimiter
    from .state import PandabaseState


def _rate(request: Request, limiter: RateLimiter, credential: str, operation: str, kind: str) -> None:
    """Count the request; record the headers; raise 429 when the window is full."""
    if not limiter.limit:  # no limit set: the headers show the documented default, never spent
        limit = inferred.REQUESTS_PER_SECOND
        request.scope["pandabase_rate"] = RateInfo(limit, limit, int(time.time()) + 1, kind)
        return
    wait, remaining, reset = limiter.count(credential, operation)
    request.scope["pandabase_rate"] = RateInfo(limiter.limit, remaining, reset, kind)
    if wait is not None:
        raise errors.rate_limited(wait)


async def identify(request: Request, state: PandabaseState) -> TokenRecord:
    """The caller's token, or 401 (after counting the request against the caller's IP)."""
    scheme, _, value = (header(request, b"authorization") or "").strip().partition(" ")
    value = value.strip()
    token = None
    problem = inferred.MISSING_AUTH
    if scheme.lower() == "bearer" and value:
        problem = inferred.INVALID_TOKEN
        if value.startswith("stk_"):
            token = state.token_ids.get(value)
            if token is not None and not _signed(request, state, token, await request.body()):
                token, problem = None, inferred.BAD_SIGNATURE
        elif value.startswith("sk_"):
            token = state.tokens.get(value)
    if token is None:
        ip = request.client.host if request.client else "unknown"
        _rate(request, state.rate, f"ip:{ip}", "global", "GlobalResource")
        raise errors.unauthorized(problem)
    return token


def _signed(request: Request, state: PandabaseState, token: TokenRecord, body: bytes) -> bool:
    given = request.headers.get("x-signature", "").strip()
    expected = hmac.new(state.hmac_key(token), body, "sha256").hexdigest()
    return len(given) == 64 and hmac.compare_digest(given.lower(), expected)


async def authenticate(request: Request, state: PandabaseState, scope: str, operation: str) -> TokenRecord:
    """401 → 429 → 403 (naming the missing permission), in that order."""
    token = await identify(request, state)
    _rate(request, state.rate, token.secret, "global", "AccountResource")
    if operation == "reply" and state.reply_rate.limit:  # documented 60/min per token on replies
        _rate(request, state.reply_rate, token.secret, "reply", "AccountResource")
    if scope not in token.scopes:
        raise errors.forbidden([scope], token.id)
    return token
