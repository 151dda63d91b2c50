"""Pandabase webhooks: its dispute events, signed per endpoint as Standard Webhooks (V2, the
default) or the deprecated V1 scheme (docs/providers/pandabase.md "Webhooks").

Cases have no webhook event at all; only `PAYMENT_DISPUTE*` domain events become messages. The
payload is the order snapshot taken when the event happened, so retries carry the same bytes.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ...events import Event
from ...provider import WebhookMessage
from . import inferred, wire

if TYPE_CHECKING:
    from .state import PandabaseState

EVENT_TYPES = (
    "PAYMENT_PENDING",
    "PAYMENT_PROCESSING",
    "PAYMENT_COMPLETED",
    "PAYMENT_REFUNDED",
    "PAYMENT_DISPUTED",
    "PAYMENT_DISPUTE_WON",
    "PAYMENT_DISPUTE_LOST",
    "PAYMENT_DISPUTE_PREVENTED",
    "PAYMENT_FAILED",
    "SUBSCRIPTION_CREATED",
    "SUBSCRIPTION_RENEWED",
    "SUBSCRIPTION_PAST_DUE",
    "SUBSCRIPTION_CANCELLED",
    "SUBSCRIPTION_PAUSED",
    "SUBSCRIPTION_RESUMED",
    "SUBSCRIPTION_UPDATED",
    "SUBSCRIPTION_TRIAL_ENDING",
    "SUBSCRIPTION_RENEWING",
)
DISPUTE_EVENTS = ("PAYMENT_DISPUTED", "PAYMENT_DISPUTE_WON", "PAYMENT_DISPUTE_LOST", "PAYMENT_DISPUTE_PREVENTED")
# Documented: 10 attempts, these delays after the first try (±10% jitter is left out: it must replay).
RETRY_DELAYS = tuple(
    timedelta(seconds=s) for s in (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
)


def messages(state: PandabaseState | None, event: Event) -> list[WebhookMessage]:
    """Dispute events only: they carry their whole payload, so the state is not read."""
    if event.type not in DISPUTE_EVENTS:
        return []
    data = event.data
    payload = wire.WebhookPayload.model_validate(
        {
            "event": event.type,
            "id": data["eventId"],
            "timestamp": data["timestamp"],
            "data": {"order": data["order"], "customer": data["customer"], "geo": None},
        }
    ).model_dump()
    return [WebhookMessage(event.type, data["eventId"], payload)]


def signing_key(secret: str) -> str | bytes:
    """`whsec_…` → the SDK's base64 key; any other secret (e.g. `whk_secret_…`) → its UTF-8 bytes,
    which is what the docs' manual verifier uses."""
    if inferred.WEBHOOK_KEY_FROM_SECRET == "auto" and not secret.startswith("whsec_"):
        return secret.encode()
    return secret


def headers(secret: str, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
    """V2: `Webhook-Id` = payload id, `Webhook-Timestamp` in seconds, `Webhook-Signature: v1,<b64>`."""
    from standardwebhooks import Webhook  # only once a webhook is signed

    signature = Webhook(signing_key(secret)).sign(message.message_id, at, body.decode())
    return {
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def v1_headers(secret: str, webhook_id: str, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
    """V1 (deprecated): `Webhook-*` with a millisecond timestamp and bare hex HMAC-SHA256 of
    `${timestamp}.${rawBody}`, plus the legacy `X-Pandabase-*` (hex HMAC of the raw body alone);
    the key is the secret's UTF-8 bytes, as the docs' `verifyV1`."""
    key = secret.encode()
    millis = str(int(at.timestamp() * 1000))
    delivery = f"{webhook_id}/{inferred.V1_JOB_PREFIX}{message.message_id.removeprefix('evt_')}"
    return {
        "webhook-id": delivery,
        "webhook-timestamp": millis,
        "webhook-signature": hmac.new(key, millis.encode() + b"." + body, hashlib.sha256).hexdigest(),
        "x-pandabase-idempotency": delivery,
        "x-pandabase-timestamp": millis,
        "x-pandabase-signature": hmac.new(key, body, hashlib.sha256).hexdigest(),
    }


def sign(state: PandabaseState, subscription: Any, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
    """Per endpoint: V1 when its `signatureVersion` says so, else V2 (subscriptions made through
    `/_sandbox/webhooks` are V2 unless the Store API switched them)."""
    hook = state.webhooks.get(subscription.id)
    if hook is not None and hook.signature_version == "V1":
        return v1_headers(subscription.secret, subscription.id, message, body, at)
    return headers(subscription.secret, message, body, at)
