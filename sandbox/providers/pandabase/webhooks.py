"""Pandabase webhooks: its dispute events, signed as Standard Webhooks V2 (sheet §10).

Cases have no webhook event at all; only `PAYMENT_DISPUTE*` domain events become messages. The
payload is the order snapshot taken when the event happened, so retries carry the same bytes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from standardwebhooks import Webhook

from ...events import Event
from ...provider import WebhookMessage
from . import inferred
from .models import WebhookPayload

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


def messages(state, event: Event) -> list[WebhookMessage]:
    """Dispute events only: they carry their whole payload, so the state is not read."""
    if event.type not in DISPUTE_EVENTS:
        return []
    data = event.data
    payload = WebhookPayload.model_validate(
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
    signature = Webhook(signing_key(secret)).sign(message.message_id, at, body.decode())
    return {
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }
