"""Plausible OrderProtection orders and claims from the seed, consistent with each claim's state.

A claim's messages, resolutions, credits and timestamps follow from its state; a state with a
running store-settings deadline (Pending, On Hold) is entered recently enough that the deadline is
still ahead of the clock start, so loading a scenario makes no transitions.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ...generate import between, pick, rng_for, weighted
from ...provider import BuildContext
from . import inferred
from .ids import cuid, digits
from .lifecycle import Rules, refund_amount
from .models import (
    CLAIM_TYPES,
    DENIAL_TYPES,
    ClaimItemRecord,
    ClaimRecord,
    CreditRecord,
    DocumentRecord,
    MessageRecord,
    OrderItemRecord,
    OrderRecord,
    ResolutionRecord,
)
from .scenario import ClaimSpec, OrderSpec, StoreSpec

MINUTE = timedelta(minutes=1)
FAMILY_DIGIT = {"bulk": 5, "hand": 6, "spare": 7}  # keeps generated source order ids unique per store
DEFAULT_STATE_WEIGHTS = {
    "NEW": 3, "OPEN": 2, "COMMUNICATING": 1, "WAITING_FOR_CUSTOMER": 2, "WAITING_FOR_BRAND": 1,
    "WAITING_FOR_OP": 1, "APPROVED": 3, "RESOLVED": 2, "RESOLVED_BY_BRAND": 1, "DENIED": 2,
    "DISMISSED": 1, "TEMPORARILY_DISMISSED": 1, "ARCHIVED": 1, "CLOSED": 2,
}
CLOSED_WAYS = ("RETURN_TO_SENDER", "ADRESS_TYPO", *DENIAL_TYPES)  # why a closed/dismissed claim ended
DESCRIPTIONS = {
    "DAMAGED": "The box arrived crushed and the item inside is broken.",
    "DEFECTIVE_ITEM": "The item stopped working after two days.",
    "MISSING_ITEM": "One of the items I ordered was not in the package.",
    "MULTIPLE": "Several things went wrong with this order: one item is damaged and one is missing.",
    "ORDER_DELIVERED_NOT_RECEIVED": "Tracking says delivered but nothing arrived at my door.",
    "RETURNED_TO_SENDER": "The carrier sent my package back to the store.",
    "STOLEN": "My package was taken from the porch, I have a doorbell video.",
    "WRONG_ITEM": "I received a different product than the one I ordered.",
    None: "There is a problem with my order.",
}
BRAND_REPLIES = (
    "We are sorry for the inconvenience. We will process your refund as soon as possible.",
    "Thanks for reaching out, we are looking into this with the carrier.",
    "Could you send us a photo of the package and the item?",
)
CUSTOMER_REPLIES = ("Here are the photos you asked for.", "Any update on this?", "Thank you, that works for me.")


def make_order(
    ctx: BuildContext, store: StoreSpec, family: str, index: int, spec: OrderSpec | None = None,
    around: datetime | None = None,
) -> OrderRecord:
    """One order; `around` is when the claim on it was filed (fulfilment precedes it)."""
    rng = rng_for(ctx.seed, "op-order", store.id, family, index)
    first, last = ctx.pools.person(rng)
    if around is None:
        around = between(rng, ctx.start - timedelta(days=30), ctx.start - timedelta(hours=2))
    fulfilled = around - timedelta(minutes=rng.randint(60, 60 * 24 * 20))
    created = fulfilled - timedelta(minutes=rng.randint(30, 60 * 24 * 3))
    if spec and spec.created_at:
        created = ctx.time(spec.created_at)
    if spec and spec.fulfilled_at:
        fulfilled = ctx.time(spec.fulfilled_at)
    item_specs = spec.items if spec and spec.items else [None] * rng.randint(1, 4)
    items = []
    for item in item_specs:
        price = item.price if item and item.price is not None else round(rng.uniform(8, 240), 2)
        items.append(
            OrderItemRecord(
                id=cuid(rng, created),
                source_item_id=(item.source_item_id if item and item.source_item_id else None) or digits(rng, 13),
                source_product_id=digits(rng, 13),
                source_variant_id=digits(rng, 14),
                sku=(item.sku if item and item.sku else None) or f"SKU-{digits(rng, 6)}",
                name=(item.name if item and item.name else None) or pick(rng, ctx.pools.products).title(),
                price=price,
                discount=round(price * pick(rng, (0, 0, 0, 0.1, 0.2)), 2),
                tax=round(price * 0.08, 2),
                quantity=item.quantity if item else rng.randint(1, 2),
            )
        )
    source_id = spec.source_order_id if spec else f"{FAMILY_DIGIT[family]}{index:07d}{digits(rng, 5)}"
    name = spec.customer_name if spec and spec.customer_name else f"{first} {last}"
    email = spec.customer_email if spec and spec.customer_email else ctx.pools.email(rng, first, last)
    city, state, zip_code = pick(rng, ctx.pools.cities)
    currency = spec.currency if spec else weighted(rng, store.generate.currencies)
    return OrderRecord(
        id=cuid(rng, created),
        store_id=store.id,
        source_order_id=source_id,
        source_order_number=(spec.source_order_number if spec and spec.source_order_number else None)
        or f"#{1001 + rng.randint(0, 98_000)}",
        customer_id=cuid(rng, created),
        customer_name=name,
        customer_email=email,
        currency=currency,
        policy_id=cuid(rng, created),
        created_at=created,
        fulfilled_at=fulfilled,
        shipping_amount=pick(rng, (0.0, 4.99, 5.0, 9.99)),
        shipping_tax=pick(rng, (0.0, 0.4, 1.0)),
        address={"address1": pick(rng, ctx.pools.streets), "address2": "", "city": city, "state": state, "zip": zip_code, "country": "US"},
        items=items,
    )


def _steps(rng: random.Random, state: str, kind: str | None) -> list[tuple[str, str]]:
    """(senderType, text) messages after the customer's own, ending in `state`."""
    ask = ("brand", BRAND_REPLIES[2])
    match state:
        case "OPEN":
            return [("system", "Claim status changed from NEW to OPEN.")]
        case "COMMUNICATING":
            return [ask, ("customer", CUSTOMER_REPLIES[0])]
        case "WAITING_FOR_CUSTOMER":
            return [ask]
        case "WAITING_FOR_BRAND":
            return [("admin", "We need the brand to confirm the shipment before we continue.")]
        case "WAITING_FOR_OP":
            return [("brand", "Please review this claim, the customer sent photos."), ("automatic", "Claim escalated to OrderProtection.")]
        case "APPROVED" | "RESOLVED" | "RESOLVED_BY_BRAND":
            return [("brand", BRAND_REPLIES[0]), ("system", f"Claim approved: {kind}.")]
        case "DENIED":
            return [("system", f"Claim denied: {kind}.")]
        case "DISMISSED" | "TEMPORARILY_DISMISSED" | "ARCHIVED" | "CLOSED":
            return [("system", f"Claim {state.lower().replace('_', ' ')}.")]
    return []


def make_claim(
    ctx: BuildContext, rules: Rules, store: StoreSpec, index: int, order: OrderRecord,
    spec: ClaimSpec | None = None, user_id: str = "",
) -> ClaimRecord:
    """One claim on `order`, from the seed and (hand-written) the fields the scenario gives."""
    rng = rng_for(ctx.seed, "op-claim", store.id, "hand" if spec else "bulk", index)
    gen = store.generate
    now = ctx.start
    state = spec.state if spec else weighted(rng, gen.states or DEFAULT_STATE_WEIGHTS)
    if spec:
        kind = spec.type
    else:
        kind = None if rng.random() < 0.1 else weighted(rng, gen.types or dict.fromkeys(CLAIM_TYPES, 1.0))
    lo, hi = (ctx.time(t) for t in gen.created_between)
    window = rules.window_for(state)
    if window is not None and not spec:
        lo = max(lo, now - window + MINUTE)  # a running deadline must still be ahead
        hi = max(lo, min(hi, now))
    created = ctx.time(spec.created_at) if spec and spec.created_at else between(rng, lo, hi)

    outcome = None
    if state in ("APPROVED", "RESOLVED", "RESOLVED_BY_BRAND"):
        outcome = pick(rng, inferred.APPROVAL_TYPES)
    elif state == "DENIED":
        outcome = pick(rng, DENIAL_TYPES)
    elif state in ("DISMISSED", "TEMPORARILY_DISMISSED", "ARCHIVED", "CLOSED") and rng.random() < 0.7:
        outcome = pick(rng, CLOSED_WAYS)
    if spec and spec.resolutions:
        outcome = spec.resolutions[-1].type

    steps = _steps(rng, state, outcome)
    if spec and spec.messages is not None:
        steps = [(m.sender_type, m.message) for m in spec.messages]
    latest = max(created, now - window + MINUTE) if window else created
    times = sorted(between(rng, latest, now) for _ in steps)

    claim_id = (spec.id if spec and spec.id else None) or cuid(rng, created)
    description = (spec.description if spec and spec.description else None) or DESCRIPTIONS[kind]
    author = (spec.author_name if spec and spec.author_name else None) or order.customer_name
    email = (spec.author_email if spec and spec.author_email else None) or order.customer_email
    messages = [
        MessageRecord(cuid(rng, created), "system", f"A claim was filed for order {order.source_order_number}.", inferred.SYSTEM_AUTHOR, created),
    ]
    if not (spec and spec.messages is not None):  # hand-written messages replace the customer's own
        messages.append(MessageRecord(cuid(rng, created), "customer", description, author, created))
    for (sender, text), at in zip(steps, times, strict=True):
        name = {"customer": author, "brand": pick(rng, ("Sarah", "Mike", "Priya"))}.get(sender, inferred.SYSTEM_AUTHOR)
        medias = []
        if sender == "customer" and rng.random() < 0.3:
            medias = [{"id": cuid(rng, at), "url": f"https://storage.googleapis.com/op-claims/{claim_id}/{digits(rng, 6)}.jpg", "type": "image"}]
        messages.append(MessageRecord(cuid(rng, at), sender, text, name, at, medias))

    count = 2 if kind == "MULTIPLE" and len(order.items) > 1 else 1
    chosen = rng.sample(order.items, k=min(count, len(order.items)))
    items = [ClaimItemRecord(cuid(rng, created), it.id, rng.randint(1, it.quantity), created, created) for it in chosen]

    claim = ClaimRecord(
        id=claim_id,
        store_id=store.id,
        order_id=order.id,
        source_order_id=order.source_order_id,
        source_order_number=order.source_order_number,
        customer_id=order.customer_id,
        claim_filed_from=spec.claim_filed_from if spec else pick(rng, ("EXTERNAL", "EXTERNAL", "EXTERNAL", "INTERNAL")),
        author_name=author,
        author_email=email,
        description=description,
        resolution_requested=(spec.resolution_requested if spec else None)
        or (None if rng.random() < 0.2 else pick(rng, ("RESHIP", "REFUND", "STORE_CREDIT"))),
        resolution_date=None,
        state=state,
        claim_type=kind,
        is_ota=spec.is_ota if spec else rng.random() < 0.05,
        ota_description=None,
        policy_id=order.policy_id,
        created_at=created,
        updated_at=created,
        items=items,
        messages=messages,
    )
    if claim.is_ota:
        claim.ota_description = "Customer opted in to shipping protection after checkout."
    last = max(m.created_at for m in messages)
    if outcome is not None:
        specs = spec.resolutions if spec and spec.resolutions else [None]
        for rs in specs:
            kind_ = rs.type if rs else outcome
            at = ctx.time(rs.at) if rs and rs.at else last
            approve = kind_ in inferred.APPROVAL_TYPES
            paid = rs.paid_value if rs and rs.paid_value is not None else (refund_amount(order, claim) if approve else 0.0)
            claim.resolutions.append(
                ResolutionRecord(
                    id=cuid(rng, at), resolution=kind_, claim_state=state, user_id=user_id,
                    details=(rs.details if rs and rs.details else None) or f"Resolution: {kind_}.",
                    paid_value=paid, paid_currency=order.currency, include_shipping=approve,
                    shipping_amount=order.shipping_amount if approve else 0.0,
                    credit_store=kind_ in ("STORE_CREDIT", "CREDIT"), created_at=at, updated_at=at,
                )
            )
            if kind_ in ("STORE_CREDIT", "CREDIT"):
                kind_credit = pick(rng, ("GIFT_CARD", "DISCOUNT_CODE"))
                code = "OP-" + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=12))
                bonus = pick(rng, (0.0, 0.0, 5.0))
                claim.credits.append(
                    CreditRecord(kind_credit, code, "SENT", at, paid, bonus, "NONE" if not bonus else "FIXED", order.currency, at, at)
                )
        claim.resolution_date = claim.resolutions[-1].created_at
    if rng.random() < 0.25:
        doc_type = "SIGNATURE" if rng.random() < 0.5 else "IMAGE"
        deleted = created if rng.random() < 0.2 else None
        claim.documents.append(
            DocumentRecord(cuid(rng, created), f"https://storage.cloud.google.com/op-claims/{claim_id}.png", doc_type, created, created, deleted)
        )
    stamps = [last] + [r.created_at for r in claim.resolutions]
    claim.updated_at = max(stamps)
    claim.state_since = claim.updated_at
    if spec and spec.updated_at:
        claim.updated_at = claim.state_since = ctx.time(spec.updated_at)
    if spec and spec.deleted_at:
        claim.deleted_at = ctx.time(spec.deleted_at)
    elif not spec and gen.deleted_share and rng.random() < gen.deleted_share:
        claim.deleted_at = claim.updated_at
    return claim
