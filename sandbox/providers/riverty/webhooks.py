"""Riverty webhooks (docs/providers/riverty.md §11): PascalCase `Header`/`Body` envelope, `Riverty-Signature:
t=<unix>,v1=<hex HMAC-SHA256 of "{t}.{body}">` (the signed string is inferred, Stripe-style)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from ...events import Event
from ...provider import WebhookMessage
from . import inferred, tables
from .serialize import ticks_offset


def message_id(event: Event) -> str:
    """Stable per domain event (same after a reset), GUID-shaped like the documented example."""
    h = hashlib.blake2s(f"riverty:{event.seq}:{event.type}:{event.object_id}".encode(), digest_size=16).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def messages(state, event: Event) -> list[WebhookMessage]:
    if event.type not in tables.WEBHOOK_TYPES:
        return []  # stage 3/5 and comments have no Riverty webhook
    data = event.data
    stage = data.get("stage", {}).get("to")
    mid = message_id(event)
    payload = {
        "Header": {
            "TransmittedTimestamp": ticks_offset(event.at),
            "ClientId": data.get("client_id"),
            "MessageName": event.type,
            "Version": inferred.WEBHOOK_VERSION,
            "MessageId": mid,
            "ShopId": data.get("shop_id"),
            "CountryCode": data.get("country_code"),
        },
        "Body": {  # invented field names (docs/providers/riverty.md §11)
            "DisputeId": event.object_id,
            "TicketNumber": data.get("ticket_number"),
            "InvoiceNumber": data.get("invoice_number"),
            "ReasonCode": data.get("reason_code"),
            "StageId": stage,
            "Decision": data.get("decision"),
        },
    }
    return [WebhookMessage(event.type, mid, payload)]


def sign(secret: str, body: bytes, at: datetime) -> str:
    t = int(at.timestamp())
    signed = str(t).encode() + inferred.SIGNED_SEPARATOR.encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def headers(secret: str, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
    return {inferred.SIGNATURE_HEADER: sign(secret, body, at)}
