"""Dispute webhooks in Shoplazza's delivery style — an OPT-IN INVENTION: Shoplazza has no dispute
topic (docs/providers/shoplazza.md §9). The topics `disputes/create` and `disputes/update` are the sandbox's own; the
headers and the signature follow Shoplazza's documented webhook rules: `X-Shoplazza-Topic`,
`X-Shoplazza-Hmac-Sha256` = base64(HMAC-SHA256(client secret, raw body)), `X-Shoplazza-Shop-Domain`,
`X-Shoplazza-Api-Version`, `X-Shoplazza-Deduplication-ID`. An extra header says the topic is invented.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import uuid
from dataclasses import dataclass
from datetime import datetime

from ...events import Event
from ...generate import random_id
from ...provider import WebhookMessage
from ...timefmt import iso_seconds
from . import inferred
from .serialize import dispute_dict

NAMESPACE = uuid.UUID("6f1b0c1e-5d0a-4c7e-9a43-2f1e6b7d5a10")


@dataclass(frozen=True)
class ShoplazzaWebhookMessage(WebhookMessage):
    """A dispute webhook that also carries its store's domain for the headers."""

    shop_domain: str = ""  # for X-Shoplazza-Shop-Domain; webhook_headers gets no state


def sign(secret: str, body: bytes) -> str:
    """Base64 HMAC-SHA256 of the raw body keyed by the app's client secret (what receivers verify)."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def messages(state, event: Event) -> list[WebhookMessage]:
    if event.type not in inferred.WEBHOOK_TOPICS:
        return []
    dispute = state.disputes.get(event.object_id)
    if dispute is None:
        return []
    body = dispute_dict(dispute)
    # The record may have moved on since the event: show the dispute as the event left it.
    status = event.data.get("status")
    body["status"] = status["to"] if isinstance(status, dict) else status or body["status"]
    body["updated_at"] = iso_seconds(event.at)
    message_id = str(
        uuid.uuid5(NAMESPACE, f"{event.seq}:{event.type}:{event.object_id}:{event.at.isoformat()}")
    )
    store = state.stores[dispute.store_id]
    return [ShoplazzaWebhookMessage(event.type, message_id, {"dispute": body}, store.domain)]


def new_secret(rng: random.Random) -> str:
    """An app client secret (the HMAC key); its real format is undocumented."""
    return random_id(rng, "", inferred.CLIENT_SECRET_LENGTH)


def headers(secret: str, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
    flag, value = inferred.WEBHOOK_FLAG_HEADER
    out = {
        "X-Shoplazza-Topic": message.type,
        "X-Shoplazza-Hmac-Sha256": sign(secret, body),
        "X-Shoplazza-Api-Version": inferred.WEBHOOK_API_VERSION,
        "X-Shoplazza-Deduplication-ID": message.message_id,
        flag: value,
    }
    domain = getattr(message, "shop_domain", "")
    if domain:
        out["X-Shoplazza-Shop-Domain"] = domain
    return out
