"""OrderProtection webhooks (sheet §11): reference-dialect payloads, `x-webhook-secret` header.

Payloads are `{"id": <uuid4>, "topic": "claim.approved", "created_at": <ISO, seconds>, "body":
{…snake_case…}}`. Authentication is the shared secret itself in `x-webhook-secret`: no HMAC, no
timestamp. The id derives from the event, so retries and redeliveries carry the same one.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ...events import Event
from ...generate import rng_for
from ...provider import WebhookMessage
from ...timefmt import iso_seconds
from .models import ClaimRecord, OrderRecord, ResolutionRecord
from .serialize import num

TYPES = ("claim.created", "claim.approved", "claim.denied", "message.created")


def message_id(seed: int, event: Event) -> str:
    rng = rng_for(seed, "op-webhook", event.seq, event.type, event.object_id)
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _refs(claim: ClaimRecord) -> dict[str, Any]:
    return {"claim_id": claim.id, "order_id": claim.order_id, "source_order_id": claim.source_order_id}


def _items(claim: ClaimRecord, order: OrderRecord | None) -> list[tuple[Any, int]]:
    by_id = {i.id: i for i in order.items} if order else {}
    return [(by_id[c.item_id], c.quantity) for c in claim.items if c.item_id in by_id]


def _created_body(claim: ClaimRecord, order: OrderRecord | None, event: Event) -> dict[str, Any]:
    return {
        **_refs(claim),
        "created_at": iso_seconds(claim.created_at),
        "claim_description": claim.description,
        "claim_type": claim.claim_type,
        "claim_state": event.data.get("claim_state", "NEW"),
        "items": [
            {
                "product_id": item.source_product_id,
                "variant_id": item.source_variant_id,
                "sku": item.sku,
                "item_id": item.source_item_id,
                "item_name": item.name,
                "quantity": quantity,
            }
            for item, quantity in _items(claim, order)
        ],
    }


def _resolution_body(claim: ClaimRecord, order: OrderRecord | None, resolution: ResolutionRecord) -> dict[str, Any]:
    approved = resolution.claim_state == "APPROVED"
    flat = resolution.resolution == "FLAT_RATE"
    items = [
        {
            "product_id": item.source_product_id,
            "variant_id": item.source_variant_id,
            "sku": item.sku,
            "item_id": item.source_item_id,
            "item_name": item.name,
            "price": num(item.price),
            "discount": num(item.discount),
            "tax": num(item.tax),
            "resolution_percentage": 0 if flat or not approved else 100,
            "resolution_flat_amount": num(resolution.paid_value) if flat else None,
            "quantity": quantity,
        }
        for item, quantity in _items(claim, order)
    ]
    details: dict[str, Any] = {
        "items": items,
        "currency": resolution.paid_currency,
        "total_refund_amount": num(resolution.paid_value) if approved else 0,
        "shipping_amount": num(order.shipping_amount) if approved and order else 0,
        "shipping_amount_tax": num(order.shipping_tax) if approved and order else 0,
    }
    if resolution.resolution == "RESHIP" and order is not None:
        details["shipping_address"] = dict(order.address)
    return {**_refs(claim), "resolutions": [{"type": resolution.resolution, "details": details}]}


def messages(state, event: Event) -> list[WebhookMessage]:
    if event.type not in TYPES:
        return []
    claim = state.claims.get(event.object_id)
    if claim is None:
        return []
    order = state.orders.get((claim.store_id, claim.source_order_id))
    if event.type == "claim.created":
        body = _created_body(claim, order, event)
    elif event.type == "message.created":
        wanted = event.data.get("message_id")
        message = next((m for m in claim.messages if m.id == wanted), None)
        if message is None:
            return []
        body = {**_refs(claim), "message": message.message}
    else:
        wanted = event.data.get("resolution_id")
        resolution = next((r for r in claim.resolutions if r.id == wanted), None)
        if resolution is None:
            return []
        body = _resolution_body(claim, order, resolution)
    mid = message_id(state.ctx.seed, event)
    payload = {"id": mid, "topic": event.type, "created_at": iso_seconds(event.at), "body": body}
    return [WebhookMessage(event.type, mid, payload)]


def headers(secret: str, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
    """The documented scheme: the secret itself, compared for equality by the receiver."""
    return {"x-webhook-secret": secret}
