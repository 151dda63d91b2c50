"""`Idempotency-Key` on writes: the first answer to a key is replayed for 24 sandbox hours.

Whop documents the header ("A unique key that makes this request safe to retry", at most 255
characters: https://docs.whop.com/api-reference/resolution-center-cases/reply-to-a-case); the
replay window, the store bound and the 409 for a reused key with another body follow Stripe
(https://docs.stripe.com/api/idempotent_requests), see inferred.py.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from . import errors, inferred

MAX_KEY_LENGTH = 255


class IdempotencyStore:
    """(key, credential, method, path) → (body digest, status, body, expiry); bounded, oldest out."""

    def __init__(self, limit: int = inferred.IDEMPOTENCY_LIMIT) -> None:
        self.limit = limit
        self._answers: OrderedDict[tuple[str, ...], tuple[str, int, bytes, datetime]] = OrderedDict()

    async def run(
        self, request: Request, credential: str, body: bytes, now: datetime, answer: Callable[[], Awaitable[Response]]
    ) -> Response:
        """`answer()` once per key; a retry with the same key and body gets the stored reply."""
        key = request.headers.get("idempotency-key")
        if key is None or request.method not in ("POST", "PATCH"):
            return await answer()
        if not key or len(key) > MAX_KEY_LENGTH:
            raise errors.bad_request("Idempotency-Key", f"Idempotency-Key must be 1-{MAX_KEY_LENGTH} characters")
        slot = (key, credential, request.method, request.url.path)
        digest = hashlib.sha256(body).hexdigest()
        stored = self._answers.get(slot)
        if stored is not None and stored[3] > now:
            if stored[0] != digest:
                error = errors.WhopError(
                    409,
                    "idempotency_error",
                    "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                )
                error.reason = f"Idempotency-Key {key[:40]!r} reused with another body"
                raise error
            return Response(stored[2], status_code=stored[1], media_type="application/json")
        try:
            response = await answer()
        except errors.WhopError as exc:  # a refusal is an answer too: store it, then raise it
            rendered = exc.response()
            self._keep(slot, (digest, rendered.status_code, bytes(rendered.body), now + inferred.IDEMPOTENCY_TTL))
            raise
        self._keep(slot, (digest, response.status_code, bytes(response.body), now + inferred.IDEMPOTENCY_TTL))
        return response

    def _keep(self, slot: tuple[str, ...], value: tuple[str, int, bytes, datetime]) -> None:
        self._answers[slot] = value
        self._answers.move_to_end(slot)
        while len(self._answers) > self.limit:
            self._answers.popitem(last=False)
