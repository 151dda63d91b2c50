"""Plausible OrderProtection orders and claims from the seed, consistent with each claim's state.

A claim's messages, resolutions, credits and timestamps follow from its state; a state with a
running store-settings deadline (Pending, On Hold) is entered recently enough that the deadline is
still ahead of the clock start, so loading a scenario makes no transitions.

Generated (bulk) claims come in two halves, as in sandbox/bulk.py: `bulk_columns` fixes, for a
whole store at once, each claim's id, state, creation and state-entry times, soft deletion and
deadline; `bulk_claim` and `bulk_order` build one claim and its order on first read from their
own rng, consistent with those columns. Hand-written claims (`make_claim`) stay eager.
"""

from __future__ import annotations

import random
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from ...bulk import MICRO, choose, created_bounds, micros, np_rng, timer_micros, uniform_micros
from ...generate import between, pick, rng_for, weighted
from ...provider import BuildContext
from . import inferred
from .ids import BASE36, cuid, digits
from .lifecycle import Rules, refund_amount
from .models import (
    CLAIM_STATES,
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
    order = OrderRecord(
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
    if spec is not None:  # no rng draws below: the seed's other data stays as it was
        order.premium_paid = spec.premium_paid
        order.policy_cancelled_at = None if spec.protected else created
        order.original_source_order_id = spec.original_source_order_id
    return order


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


def _outcome(rng: random.Random, state: str) -> str | None:
    """The resolution (or the reason a closed claim ended) that the state implies, if any."""
    if state in ("APPROVED", "RESOLVED", "RESOLVED_BY_BRAND"):
        return pick(rng, inferred.APPROVAL_TYPES)
    if state == "DENIED":
        return pick(rng, DENIAL_TYPES)
    if state in ("DISMISSED", "TEMPORARILY_DISMISSED", "ARCHIVED", "CLOSED") and rng.random() < 0.7:
        return pick(rng, CLOSED_WAYS)
    return None


STEP_COUNT = {state: len(_steps(random.Random(0), state, None)) for state in CLAIM_STATES}


# -- bulk: columns for a whole store now, each claim (and its order) on first read ----------------


@dataclass(frozen=True, slots=True)
class Skeleton:
    """What the bulk columns fix for one generated claim; the rest comes from its own rng."""

    id: str
    state: str
    created: datetime
    entered: datetime  # when the claim entered its state: its last message (created if none)
    deleted: bool


def bulk_order_index(source_order_id: str) -> int | None:
    """The bulk index a generated order's source id carries (`5` + 7-digit index + 5 digits)."""
    if len(source_order_id) != 13 or not source_order_id.isdigit() or source_order_id[0] != str(FAMILY_DIGIT["bulk"]):
        return None
    return int(source_order_id[1:8])


def _cuids(rng: np.random.Generator, at_micros: np.ndarray) -> list[str]:
    """cuid-style ids (see ids.cuid) for instants given in microseconds, vectorised."""
    n = len(at_micros)
    table = np.frombuffer(BASE36.encode(), dtype=np.uint8)
    out = np.empty((n, 25), dtype=np.uint8)
    out[:, 0] = ord("c")
    value = at_micros // 1000
    for column in range(8, 0, -1):  # 8 base36 time characters, most significant first
        out[:, column] = table[value % 36]
        value = value // 36
    out[:, 9:] = table[rng.integers(0, 36, size=(n, 16))]
    text = out.tobytes().decode()
    return [text[i : i + 25] for i in range(0, n * 25, 25)]


@dataclass(frozen=True)
class BulkColumns:
    """One store's bulk claims, position i being bulk claim i (on bulk order i)."""

    ids: list[str]
    labels: list[str]  # the states; `codes` index into them
    codes: np.ndarray
    created: np.ndarray  # microseconds
    entered: np.ndarray
    deleted: np.ndarray
    due: np.ndarray  # -1: no deadline


def bulk_columns(ctx: BuildContext, rules: Rules, store: StoreSpec) -> BulkColumns:
    """Ids, states, creation and state-entry times, soft deletion and the next deadline of every
    bulk claim of a store, vectorised and in creation order (position i is bulk claim i, on bulk
    order i). A claim whose state runs a store-settings timer entered it inside the window, so no
    deadline has passed at the clock start; deleted claims have none."""
    gen, n = store.generate, store.generate.count
    rng = np_rng(ctx.seed, "op-bulk-columns", store.id)
    weights: dict[Hashable, float] = {k: float(v) for k, v in (gen.states or DEFAULT_STATE_WEIGHTS).items()}
    labels = [str(s) for s in weights]
    codes = choose(rng, weights, n)
    now = micros(ctx.start)
    lo, hi = (micros(ctx.time(t)) for t in gen.created_between)
    win = timer_micros([rules.window_for(s) for s in labels], codes)
    timed = win >= 0
    created = uniform_micros(rng, *created_bounds(lo, hi, now, win), n)
    floor = now - win + MINUTE // MICRO  # created_bounds' floor: a running deadline is still ahead
    # the last of k uniform message times in [latest, now] (k = the state's steps): max of k
    # uniforms is u^(1/k); the builder draws the other k - 1 below it, as sorting k draws would
    steps = np.array([STEP_COUNT[s] for s in labels], dtype=np.int64)[codes]
    latest = np.where(timed, np.maximum(created, floor), created) // 1000
    span = np.maximum(now // 1000 - latest, 0)
    share = rng.random(n) ** (1.0 / np.maximum(steps, 1))
    entered = np.where(steps > 0, (latest + np.floor(share * (span + 1)).astype(np.int64)) * 1000, created)
    deleted = rng.random(n) < gen.deleted_share if gen.deleted_share else np.zeros(n, dtype=bool)
    due = np.where(timed & ~deleted, entered + win, -1)
    order = np.argsort(created, kind="stable")
    created = created[order]
    return BulkColumns(_cuids(rng, created), labels, codes[order], created, entered[order], deleted[order], due[order])


def bulk_order(ctx: BuildContext, store: StoreSpec, index: int, claim_created: datetime) -> OrderRecord:
    """The order of bulk claim `index`: fulfilled (and placed) no later than the claim."""
    order = make_order(ctx, store, "bulk", index)
    assert order.fulfilled_at is not None  # make_order always fulfils
    order.fulfilled_at = min(order.fulfilled_at, claim_created)
    order.created_at = min(order.created_at, order.fulfilled_at)
    return order


def bulk_claim(
    ctx: BuildContext, rules: Rules, store: StoreSpec, index: int, skeleton: Skeleton, order: OrderRecord,
    user_id: str,
) -> ClaimRecord:
    """A generated claim, built on first read, consistent with its columns."""
    rng = rng_for(ctx.seed, "op-claim", store.id, "bulk", index)
    gen = store.generate
    types: dict[str, float] = {str(k): v for k, v in gen.types.items()} if gen.types else dict.fromkeys(CLAIM_TYPES, 1.0)
    kind = None if rng.random() < 0.1 else weighted(rng, types)
    outcome = _outcome(rng, skeleton.state)
    steps = _steps(rng, skeleton.state, outcome)
    window = rules.window_for(skeleton.state)
    latest = max(skeleton.created, ctx.start - window + MINUTE) if window else skeleton.created
    times = sorted(between(rng, latest, skeleton.entered) for _ in steps[:-1])
    times += [skeleton.entered] if steps else []
    claim = _assemble(ctx, rng, store, order, skeleton.id, skeleton.state, kind, skeleton.created, outcome, steps, times, user_id)
    if skeleton.deleted:
        claim.deleted_at = claim.updated_at
    return claim


# -- hand-written claims (eager) ------------------------------------------------------------------


def make_claim(
    ctx: BuildContext, rules: Rules, store: StoreSpec, index: int, order: OrderRecord,
    spec: ClaimSpec, user_id: str = "",
) -> ClaimRecord:
    """A hand-written claim on `order`: the fields the scenario gives, the rest from the seed."""
    rng = rng_for(ctx.seed, "op-claim", store.id, "hand", index)
    gen = store.generate
    now = ctx.start
    state = spec.state
    kind = spec.type
    lo, hi = (ctx.time(t) for t in gen.created_between)
    window = rules.window_for(state)
    created = ctx.time(spec.created_at) if spec.created_at else between(rng, lo, hi)
    outcome = _outcome(rng, state)
    if spec.resolutions:
        outcome = spec.resolutions[-1].type
    steps = _steps(rng, state, outcome)
    if spec.messages is not None:
        steps = [(m.sender_type, m.message) for m in spec.messages]
    latest = max(created, now - window + MINUTE) if window else created
    times = sorted(between(rng, latest, now) for _ in steps)
    claim_id = spec.id or cuid(rng, created)
    claim = _assemble(ctx, rng, store, order, claim_id, state, kind, created, outcome, steps, times, user_id, spec)
    if spec.updated_at:
        claim.updated_at = claim.state_since = ctx.time(spec.updated_at)
    if spec.deleted_at:
        claim.deleted_at = ctx.time(spec.deleted_at)
    return claim


def _assemble(
    ctx: BuildContext,
    rng: random.Random,
    store: StoreSpec,
    order: OrderRecord,
    claim_id: str,
    state: str,
    kind: str | None,
    created: datetime,
    outcome: str | None,
    steps: list[tuple[str, str]],
    times: list[datetime],
    user_id: str,
    spec: ClaimSpec | None = None,
) -> ClaimRecord:
    """Messages, items, resolutions, credits and documents of one claim; `updatedAt` and the
    state's start are its last message or resolution."""
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
    return claim
