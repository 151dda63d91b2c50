"""Whop's `resolution_center_case.*` webhooks: Standard Webhooks signing with the raw secret bytes.

Whop's examples pass `btoa(secret)` to the verifier, so the HMAC key is the secret string's UTF-8
bytes (sheet §12). Undocumented choices are in inferred.py.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import orjson
from standardwebhooks import Webhook

from ...events import Event
from ...generate import BASE62, random_id, rng_for
from ...provider import WebhookMessage
from ...timefmt import iso_millis
from . import inferred
from .serialize import case_json

TYPES = (
    "resolution_center_case.created",
    "resolution_center_case.updated",
    "resolution_center_case.decided",
)
RETRY_DELAYS = (timedelta(seconds=10), timedelta(seconds=20), timedelta(seconds=40))  # documented


def messages(state, event: Event) -> list[WebhookMessage]:
    if event.type not in TYPES:
        return []
    case = state.cases.get(event.object_id)
    if case is None:
        return []
    message_id = random_id(rng_for(state.ctx.seed, "whop-webhook", event.seq), "msg_", 24)
    payload = {
        "id": message_id if inferred.WEBHOOK_ID_IS_BODY_ID else random_id(rng_for(state.ctx.seed, "whop-body", event.seq), "msg_", 24),
        "api_version": "v1",
        "timestamp": iso_millis(event.at),
        "type": event.type,
        "company_id": case.company_id,
        "data": orjson.loads(case_json(case, state.companies)),
    }
    return [WebhookMessage(event.type, message_id, payload)]


def headers(secret: str, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
    signature = Webhook(secret.encode()).sign(message.message_id, at, body.decode())
    return {
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def new_secret(rng: random.Random) -> str:
    return inferred.WEBHOOK_SECRET_PREFIX + "".join(rng.choices(BASE62, k=32))
