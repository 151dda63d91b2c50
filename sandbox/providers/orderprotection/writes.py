"""Filing claims (online and offline): the records a valid create body produces.

Called only after the body, the order and every cross-check passed, so nothing is half-written.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import TYPE_CHECKING

from . import inferred
from .ids import cuid, digits
from .models import (
    CLAIM_TYPES,
    ClaimItemRecord,
    ClaimRecord,
    DocumentRecord,
    MessageRecord,
    OrderItemRecord,
    OrderRecord,
)
from .orders import fulfillments_of, last_shipped

if TYPE_CHECKING:
    from .bodies import OfflineClaim, OnlineClaim
    from .state import OrderProtectionState


def claim_type_for(issue_types: list[str]) -> str | None:
    """One distinct issue → its claim type (the two extra issue types → null); several → MULTIPLE."""
    distinct = sorted(set(issue_types))
    if len(distinct) > 1:
        return "MULTIPLE"
    kind = distinct[0] if distinct else None
    if kind in inferred.CLAIM_TYPE_FOR_ISSUE:
        return inferred.CLAIM_TYPE_FOR_ISSUE[kind]
    return kind if kind in CLAIM_TYPES else None


def match_items(order: OrderRecord, claim: OnlineClaim) -> tuple[list[tuple[OrderItemRecord, int]], list[str]]:
    """Each issue's order item (by source item, variant or product id) and the summed quantity."""
    problems: list[str] = []
    wanted: dict[str, int] = {}
    by_id = {item.id: item for item in order.items}
    for n, issue in enumerate(claim.issues):
        item = next(
            (
                it
                for it in order.items
                if (issue.source_item_id and it.source_item_id == issue.source_item_id)
                or (issue.source_variant_id and it.source_variant_id == issue.source_variant_id)
                or (issue.source_product_id and it.source_product_id == issue.source_product_id)
            ),
            None,
        )
        if item is None:
            problems.append(f"issues.{n} does not match any item of order {order.source_order_id}")
            continue
        wanted[item.id] = wanted.get(item.id, 0) + issue.quantity
    for item_id, quantity in wanted.items():
        item = by_id[item_id]
        if quantity > item.quantity:
            problems.append(f"quantity for item {item.source_item_id} exceeds the {item.quantity} ordered")
    return [(by_id[i], q) for i, q in wanted.items()], problems


def filing_window_start(order: OrderRecord, named: list[tuple[str, str]], problems: list[str]) -> datetime | None:
    """When the 45-day window began: the earliest fulfilment the claim names (each must be the
    order's), else the order's latest shipped one; None while nothing shipped."""
    fulfillments = fulfillments_of(order)
    by_id = {f.source_fulfillment_id: f for f in fulfillments}
    if named:
        starts = []
        for path, fid in named:
            if fid in by_id:
                starts.append(by_id[fid].created_at)
            else:
                problems.append(f"{path} must be a fulfillment of order {order.source_order_id}")
        return min(starts) if starts else None
    return last_shipped(order)


def _rng(state: OrderProtectionState, what: str) -> random.Random:
    return state.next_rng("op-create", what)


def new_claim(
    state, order: OrderRecord, now: datetime, *, email: str, author: str, description: str,
    items: list[tuple[OrderItemRecord, int]], claim_type: str | None, desired: str | None,
    filed_from: str, images: list[str], documents: list[tuple[str, str]],
) -> ClaimRecord:
    rng = _rng(state, "claim")
    claim_id = cuid(rng, now)
    medias = [{"id": cuid(rng, now), "url": url, "type": "image"} for url in images]
    claim = ClaimRecord(
        id=claim_id,
        store_id=order.store_id,
        order_id=order.id,
        source_order_id=order.source_order_id,
        source_order_number=order.source_order_number,
        customer_id=order.customer_id,
        claim_filed_from=filed_from,
        author_name=author,
        author_email=email,
        description=description,
        resolution_requested=desired,
        resolution_date=None,
        state="NEW",
        claim_type=claim_type,
        is_ota=False,
        ota_description=None,
        policy_id=order.policy_id,
        created_at=now,
        updated_at=now,
        items=[ClaimItemRecord(cuid(rng, now), item.id, quantity, now, now) for item, quantity in items],
        messages=[
            MessageRecord(
                cuid(rng, now), "system",
                f"A claim was filed for order {order.source_order_number}. View it in the dashboard: "
                + inferred.DASHBOARD_URL.format(claim_id=claim_id),
                inferred.SYSTEM_AUTHOR, now,
            ),
            MessageRecord(cuid(rng, now), "customer", description, author, now, medias),
        ],
        documents=[DocumentRecord(cuid(rng, now), url, kind, now, now) for kind, url in documents],
        state_since=now,
    )
    state.add_claim(claim)
    state.ctx.emit("claim.created", claim.id, claim.store_id, now, claim_state="NEW")
    state.ctx.emit("message.created", claim.id, claim.store_id, now, message_id=claim.messages[0].id)
    return claim


def file_online(state, order: OrderRecord, body: OnlineClaim, items, now: datetime) -> ClaimRecord:
    details = [i.details for i in body.issues if i.details]
    images = [url for i in body.issues for url in i.images]
    return new_claim(
        state, order, now, email=body.email, author=order.customer_name,
        description="\n".join(details) or f"Claim filed for {len(items)} item(s).",
        items=items, claim_type=claim_type_for([i.issue_type for i in body.issues]),
        desired=body.desired, filed_from=body.filed_from, images=images,
        documents=[("SIGNATURE", body.signature)] if body.signature else [],
    )


def file_offline(state, store_id: str, body: OfflineClaim, now: datetime) -> tuple[OrderRecord, ClaimRecord]:
    """Mint an order (`OF-1234-1234`) for the in-store purchase, then file the claim on it."""
    rng = _rng(state, "offline")
    while True:
        source = f"{inferred.OFFLINE_ORDER_PREFIX}-{digits(rng, 4)}-{digits(rng, 4)}"
        if (store_id, source) not in state.orders:
            break
    purchased = body.purchased or now
    name = " ".join(p for p in (body.first_name, body.last_name) if p) or body.email.split("@")[0]
    item_id, product_id, variant_id = body.item_ids
    order = OrderRecord(
        id=cuid(rng, now), store_id=store_id, source_order_id=source, source_order_number=source,
        customer_id=cuid(rng, now), customer_name=name, customer_email=body.email, currency="USD",
        policy_id=cuid(rng, now), created_at=min(purchased, now), fulfilled_at=min(purchased, now),
        shipping_amount=0.0, shipping_tax=0.0,
        address={k: body.address.get(k, "") for k in ("address1", "address2", "city", "state", "zip", "country")},
        items=[
            OrderItemRecord(
                cuid(rng, now), item_id or digits(rng, 13), product_id or digits(rng, 13),
                variant_id or digits(rng, 14), body.sku or "", body.item_name, body.price, 0.0, 0.0, 1,
            )
        ],
    )
    state.add_order(order)
    documents = [("RECEIPT", url) for url in body.receipts]
    if body.signature:
        documents.append(("SIGNATURE", body.signature))
    claim = new_claim(
        state, order, now, email=body.email, author=name,
        description=body.details or f"Warranty claim for {body.item_name}.",
        items=[(order.items[0], 1)], claim_type=claim_type_for([body.issue_type]),
        desired=body.resolution, filed_from=body.filed_from, images=body.images, documents=documents,
    )
    return order, claim
