"""OrderProtection webhooks in both documented dialects, with the `x-webhook-secret` header
(docs/providers/orderprotection.md "Webhooks").

Reference pages: `{"id": <uuid4>, "topic": "claim.approved", "created_at": <ISO, seconds>, "body":
{…snake_case…}}`. Developer-app page: `{"topic": "claim/approved", "body": {…camelCase…}}`, no id.
Each event yields one message per dialect, typed by its topic; a subscription receives the
dialect whose topics it lists (none listed: the reference dialect, `DEFAULT_TYPES`).
Authentication is the shared secret itself: no HMAC, no timestamp. Ids derive from the event, so
retries and redeliveries carry the same one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from ...events import Event
from ...generate import rng_for, uuid4_text
from ...jsonresp import WireModel
from ...provider import WebhookMessage
from ...timefmt import iso_seconds
from .models import WEBHOOK_DEFAULT_TYPES as DEFAULT_TYPES
from .models import WEBHOOK_TYPES as TYPES
from .models import ClaimRecord, ClaimState, ClaimType, Number, OrderRecord, ResolutionRecord, ResolutionType
from .serialize import num
from .state import OrderProtectionState

__all__ = ["DEFAULT_TYPES", "PAYLOADS", "TYPES", "headers", "messages"]


# -- payload shapes, for the OpenAPI document's `webhooks` (tests check every sent payload against them)


class ItemRef(WireModel):
    product_id: str | None
    variant_id: str | None
    sku: str
    item_id: str
    item_name: str
    quantity: int


class ResolutionItem(ItemRef):
    price: Number
    discount: Number
    tax: Number
    resolution_percentage: Number
    resolution_flat_amount: Number | None


class ResolutionDetails(WireModel):
    items: list[ResolutionItem]
    currency: str
    total_refund_amount: Number
    shipping_amount: Number
    shipping_amount_tax: Number
    shipping_address: dict[str, str] | None = None  # RESHIP only


class Resolution(WireModel):
    type: ResolutionType
    details: ResolutionDetails


class ClaimCreatedBody(WireModel):
    claim_id: str
    order_id: str
    source_order_id: str
    created_at: str
    claim_description: str
    claim_type: ClaimType | None
    claim_state: ClaimState
    items: list[ItemRef]


class ClaimResolvedBody(WireModel):
    claim_id: str
    order_id: str
    source_order_id: str
    resolutions: list[Resolution]


class MessageCreatedBody(WireModel):
    claim_id: str
    order_id: str
    source_order_id: str
    message: str


class ProtectionBody(WireModel):
    order_id: str
    source_order_id: str
    amount: Number
    currency: str


class DevItemRef(WireModel):
    productId: str | None
    variantId: str | None
    sku: str
    itemId: str
    itemName: str
    quantity: int


class DevClaimCreatedBody(WireModel):
    claimId: str
    storeId: str
    orderId: str
    sourceOrderId: str
    createdAt: str
    claimDescription: str
    claimType: ClaimType | None
    claimState: ClaimState
    items: list[DevItemRef]


class DevResolution(WireModel):
    type: ResolutionType
    itemId: str | None
    quantity: int


class DevClaimResolvedBody(WireModel):
    claimId: str
    storeId: str
    orderId: str
    sourceOrderId: str
    resolutions: list[DevResolution]


class DevMessageCreatedBody(WireModel):
    claimId: str
    storeId: str
    orderId: str
    sourceOrderId: str
    message: str


class DevProtectionBody(WireModel):
    storeId: str
    orderId: str
    sourceOrderId: str
    amount: Number
    currency: str


def _envelopes() -> dict[str, type[BaseModel]]:
    """Topic → the model of its whole payload, reference dialect `{id, topic, created_at, body}`
    and developer-app dialect `{topic, body}`."""
    from pydantic import ConfigDict, create_model

    bodies: dict[str, tuple[type[WireModel], type[WireModel]]] = {
        "claim.created": (ClaimCreatedBody, DevClaimCreatedBody),
        "claim.approved": (ClaimResolvedBody, DevClaimResolvedBody),
        "claim.denied": (ClaimResolvedBody, DevClaimResolvedBody),
        "message.created": (MessageCreatedBody, DevMessageCreatedBody),
        "protection.added": (ProtectionBody, DevProtectionBody),
        "protection.removed": (ProtectionBody, DevProtectionBody),
    }
    config = ConfigDict(extra="forbid", defer_build=True)  # built when a payload is checked, not at import
    out: dict[str, type[BaseModel]] = {}
    for topic, (reference, dev_app) in bodies.items():
        name = "".join(part.title() for part in topic.replace(".", "_").split("_"))
        reference_topic: Any = Literal[topic]
        out[topic] = create_model(
            f"{name}Event", __config__=config, id=(str, ...), topic=(reference_topic, ...),
            created_at=(str, ...), body=(reference, ...),
        )
        slash = topic.replace(".", "/")
        dev_app_topic: Any = Literal[slash]
        out[slash] = create_model(f"DevApp{name}Event", __config__=config, topic=(dev_app_topic, ...), body=(dev_app, ...))
    return out


def message_id(seed: int, event: Event, dialect: str = "") -> str:
    rng = rng_for(seed, "op-webhook" + dialect, event.seq, event.type, event.object_id)
    return uuid4_text(rng.getrandbits(128))


def _camel(value: Any) -> Any:
    """snake_case keys → camelCase, recursively (`claim_id` → `claimId`)."""
    if isinstance(value, dict):
        return {_camel_key(k): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _camel_key(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def _dev_app_body(topic: str, body: dict[str, Any], store_id: str) -> dict[str, Any]:
    """The developer-app body: the reference one in camelCase, led by the example's `claimId`,
    `storeId`; approvals and denials carry the example's flat `resolutions[{type, itemId, quantity}]`."""
    out = _camel(body)
    lead = {"claimId": out.pop("claimId")} if "claimId" in out else {}
    out = {**lead, "storeId": store_id, **out}
    if topic in ("claim.approved", "claim.denied"):
        out["resolutions"] = [
            {"type": r["type"], "itemId": item["item_id"], "quantity": item["quantity"]}
            for r in body["resolutions"]
            for item in r["details"]["items"]
        ] or [{"type": r["type"], "itemId": None, "quantity": 0} for r in body["resolutions"]]
    return out


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


def _body(state: OrderProtectionState, event: Event) -> dict[str, Any] | None:
    """The reference-dialect body of an event, or None when it sends nothing."""
    if event.type in ("protection.added", "protection.removed"):
        order = state.orders.get((event.tenant, event.object_id))
        if order is None:
            return None
        return {
            "order_id": order.id, "source_order_id": order.source_order_id,
            "amount": event.data["amount"], "currency": event.data["currency"],
        }
    claim = state.claims.get(event.object_id)
    if claim is None:
        return None
    order = state.orders.get((claim.store_id, claim.source_order_id))
    if event.type == "claim.created":
        return _created_body(claim, order, event)
    if event.type == "message.created":
        wanted = event.data.get("message_id")
        message = next((m for m in claim.messages if m.id == wanted), None)
        return None if message is None else {**_refs(claim), "message": message.message}
    wanted = event.data.get("resolution_id")
    resolution = next((r for r in claim.resolutions if r.id == wanted), None)
    return None if resolution is None else _resolution_body(claim, order, resolution)


def messages(state: OrderProtectionState, event: Event) -> list[WebhookMessage]:
    if event.type not in DEFAULT_TYPES:
        return []
    body = _body(state, event)
    if body is None:
        return []
    mid = message_id(state.ctx.seed, event)
    reference = {"id": mid, "topic": event.type, "created_at": iso_seconds(event.at), "body": body}
    topic = event.type.replace(".", "/")
    dev_app = {"topic": topic, "body": _dev_app_body(event.type, body, event.tenant)}
    return [
        WebhookMessage(event.type, mid, reference),
        WebhookMessage(topic, message_id(state.ctx.seed, event, "-dev-app"), dev_app),
    ]


PAYLOADS = _envelopes()


def headers(secret: str, message: WebhookMessage, body: bytes, at: datetime) -> dict[str, str]:
    """The documented scheme: the secret itself, compared for equality by the receiver."""
    return {"x-webhook-secret": secret}
