"""Plausible Pandabase cases from the seed: threads, counters and close data consistent with status.

Every record draws from its own generator (seed, store, index), so records are independent of
generation order. A case whose status runs a deadline (AWAITING_CUSTOMER → auto-close) gets its
idle clock inside the window, so loading a scenario fires no transition.
"""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from ...generate import between, pick, rng_for, weighted
from ...provider import BuildContext
from . import inferred
from .models import (
    CASE_PRIORITIES,
    AttachmentRecord,
    CaseRecord,
    CustomerRecord,
    MessageRecord,
    OrderRecord,
)
from .scenario import CaseSpec, StoreSpec

LOWER = string.ascii_lowercase + string.digits
_BYTE_TO_LOWER = bytes((string.ascii_lowercase + string.digits).encode()[b % 36] for b in range(256))
MINUTE = timedelta(minutes=1)

DEFAULT_STATUS_WEIGHTS = {"OPEN": 2, "AWAITING_MERCHANT": 3, "AWAITING_CUSTOMER": 3, "CLOSED": 4}
DEFAULT_PRIORITY_WEIGHTS = {"LOW": 2, "NORMAL": 5, "HIGH": 2, "URGENT": 1}
TOPICS = {
    "License key not working": "The license key from my order says it is invalid when I activate it.",
    "Download link expired": "The download link in my receipt expired before I could use it.",
    "Charged twice for one order": "My card shows two charges for this order. Please refund one.",
    "Refund request": "The product does not do what the page described. I would like a refund.",
    "Cannot access my account": "I paid but my account still shows no access to the product.",
    "Wrong item delivered": "I received a different item than the one I ordered.",
    "Need an invoice with my company name": "Could you send an invoice with my company details?",
    "Subscription renewed after I cancelled": "I cancelled last month but was charged again today.",
    "Payment failed but money was taken": "Checkout said the payment failed, yet my bank was debited.",
    "Question about my order": "When will my order be delivered? I have not heard anything yet.",
}
MERCHANT_REPLIES = (
    "Thanks for reaching out. We are looking into this now.",
    "Sorry about that! I have sent a new key to your email.",
    "Could you send a screenshot of the error you see?",
    "We have issued a refund; it should show in 5-10 business days.",
    "Your access has been restored. Please log out and back in.",
)
CUSTOMER_FOLLOW_UPS = (
    "Here is the screenshot you asked for.",
    "It still does not work, sorry.",
    "Any update on this?",
    "Thank you, that fixed it!",
    "I have not received anything yet.",
)
STAFF_MESSAGES = (
    "Pandabase support here. We are reviewing this order together with the store.",
    "Hi both, I am from Pandabase. Please keep all communication in this case.",
)
CLOSED_BY_WEIGHTS = {"MERCHANT": 6, "SYSTEM": 3, "CUSTOMER": 1}


def case_id(rng: random.Random) -> str:
    """`cse_` + 26 lowercase alphanumerics, first a letter (the dashboard screenshot's form)."""
    return "cse_" + rng.choice(string.ascii_lowercase) + _lower(rng, 25)


def _lower(rng: random.Random, length: int) -> str:
    """Random [a-z0-9] text; one randbytes call instead of a Python loop (ids dominate build time)."""
    return rng.randbytes(length).translate(_BYTE_TO_LOWER).decode()


def plain_id(rng: random.Random, prefix: str) -> str:
    return prefix + _lower(rng, 24)


def member_id(seed: int, store_id: str) -> str:
    """The store member that writes the generated merchant replies."""
    return plain_id(rng_for(seed, "pandabase", store_id, "member"), "usr_")


def staff_id(seed: int) -> str:
    return plain_id(rng_for(seed, "pandabase", "staff"), "adm_")


def make_customer(ctx: BuildContext, store_id: str, index: int) -> CustomerRecord:
    rng = rng_for(ctx.seed, "pandabase", store_id, "customer", index)
    first, last = ctx.pools.person(rng)
    named = rng.random() > 0.1  # some customers never gave a name (nullable in the schema)
    return CustomerRecord(
        plain_id(rng, "cus_"), ctx.pools.email(rng, first, last), first if named else None, last if named else None
    )


def make_order(ctx: BuildContext, store: StoreSpec, key: object, customer_id: str, before: datetime) -> OrderRecord:
    rng = rng_for(ctx.seed, "pandabase", store.id, "order", key)
    gen = store.generate
    return OrderRecord(
        id=plain_id(rng, "ord_"),
        store_id=store.id,
        order_number=plain_id(rng, "cs_"),
        customer_id=customer_id,
        amount=rng.randint(*gen.amount_between),
        currency=weighted(rng, gen.currencies),
        status="REFUNDED" if rng.random() < 0.1 else "COMPLETED",
        created_at=before - timedelta(minutes=rng.randint(10, 60 * 24 * 20)),
        product_id=plain_id(rng, "prd_"),
        product_name=pick(rng, ctx.pools.products),
    )


@dataclass
class Built:
    case: CaseRecord
    order: OrderRecord
    customer: CustomerRecord


def _times(rng: random.Random, count: int, first: datetime, last: datetime) -> list[datetime]:
    """`count` instants from `first` to `last` (both included when count ≥ 2), in order."""
    if count == 1:
        return [first]
    middle = sorted(between(rng, first, last) for _ in range(count - 2))
    return [first, *middle, last]


def _senders(rng: random.Random, status: str, closed_by: str | None) -> list[str]:
    """The non-system thread: customer first, alternating, ending as the status requires."""
    if status == "OPEN":
        return ["CUSTOMER"] * rng.randint(1, 2)
    exchanges = rng.randint(0, 2)
    thread = ["CUSTOMER"] + ["MERCHANT", "CUSTOMER"] * exchanges
    if status == "AWAITING_CUSTOMER" or closed_by == "SYSTEM":
        thread.append("MERCHANT")
    elif status == "CLOSED" and rng.random() < 0.6:
        thread.append("MERCHANT")
    return thread


@dataclass
class StorePools:
    """Per-store values every case of the store shares, made once per build."""

    customers: list[CustomerRecord]
    member: str
    staff: str
    created_between: tuple[datetime, datetime]


def store_pools(ctx: BuildContext, store: StoreSpec) -> StorePools:
    size = store.generate.customers or max(1, math.ceil(store.generate.count / 3))
    customers = [make_customer(ctx, store.id, k) for k in range(size)]
    window = (ctx.time(store.generate.created_between[0]), ctx.time(store.generate.created_between[1]))
    return StorePools(customers, member_id(ctx.seed, store.id), staff_id(ctx.seed), window)


def make_case(
    ctx: BuildContext, rules, store: StoreSpec, index: int, pools: StorePools, spec: CaseSpec | None = None
) -> Built:
    """One case with its order and customer, from the seed and the fields the scenario gives."""
    rng = rng_for(ctx.seed, "pandabase", store.id, "hand" if spec else "bulk", index)
    gen = store.generate
    now = ctx.start
    window: timedelta | None = rules.auto_close_after
    status = spec.status if spec else weighted(rng, gen.statuses or DEFAULT_STATUS_WEIGHTS)
    priority = (spec.priority if spec else None) or weighted(rng, gen.priorities or DEFAULT_PRIORITY_WEIGHTS)
    closed_by = None
    if status == "CLOSED":
        closed_by = (spec.closed_by if spec else None) or weighted(rng, CLOSED_BY_WEIGHTS)
        if closed_by == "SYSTEM" and window is None:
            closed_by = "MERCHANT"
    lo, hi = pools.created_between
    hi = min(hi, now)
    if closed_by == "SYSTEM" and not (spec and spec.created_at):
        hi = min(hi, now - window - timedelta(hours=1))
        if hi < lo:
            closed_by, hi = "MERCHANT", min(pools.created_between[1], now)
    lo = min(lo, hi)
    created = ctx.time(spec.created_at) if spec and spec.created_at else between(rng, lo, hi)

    topic = pick(rng, list(TOPICS))
    subject = spec.subject if spec and spec.subject else topic
    customer, order = _customer_and_order(ctx, store, index, pools, created, spec, rng)
    escalated = spec.escalated if spec and spec.escalated is not None else rng.random() < gen.escalated_share
    merchant, staff = pools.member, pools.staff

    def message(sender: str, body: str, at: datetime, attachments=()) -> MessageRecord:
        sender_id = {"CUSTOMER": customer.id, "MERCHANT": merchant, "STAFF": staff}.get(sender)
        return MessageRecord(plain_id(rng, "csm_"), sender, sender_id, body, at, list(attachments))

    thread = [message("SYSTEM", inferred.TEXT_OPENED, created)]
    if spec and spec.messages is not None:
        for m in spec.messages:
            at = ctx.time(m.at) if m.at else created
            files = [AttachmentRecord(plain_id(rng, "csa_"), a.filename, a.mime_type, a.size_bytes) for a in m.attachments]
            if m.sender_type == "STAFF" and not any(x.sender_type == "STAFF" for x in thread):
                thread.append(message("SYSTEM", inferred.TEXT_STAFF_JOINED, at))
                escalated = True
            thread.append(message(m.sender_type, m.body, at, files))
        thread[1:] = sorted(thread[1:], key=lambda m: m.created_at)
    else:
        senders = _senders(rng, status, closed_by)
        last = between(rng, created, now)
        if status == "AWAITING_CUSTOMER" and window is not None:
            last = between(rng, max(created, now - window + MINUTE), now)
        elif closed_by == "SYSTEM":
            last = between(rng, created, min(now - window, created + timedelta(days=5)))
        times = _times(rng, len(senders), created, last)
        if escalated:
            senders.insert(1, "STAFF")
            times.insert(1, between(rng, times[0], times[1] if len(times) > 1 else last))
        for n, (sender, at) in enumerate(zip(senders, times, strict=True)):
            if sender == "STAFF":
                thread.append(message("SYSTEM", inferred.TEXT_STAFF_JOINED, at))
                body = pick(rng, STAFF_MESSAGES)
            elif sender == "MERCHANT":
                body = pick(rng, MERCHANT_REPLIES)
            else:
                body = TOPICS[topic] if n == 0 else pick(rng, CUSTOMER_FOLLOW_UPS)
            files = []
            if sender == "CUSTOMER" and rng.random() < 0.15:
                files = [AttachmentRecord(plain_id(rng, "csa_"), "screenshot.png", "image/png", rng.randint(20_000, 2_000_000))]
            thread.append(message(sender, body, at, files))

    spoken = [m for m in thread if m.sender_type != "SYSTEM"]
    last_msg = spoken[-1] if spoken else thread[0]
    last_by = last_msg.sender_type if spoken else "CUSTOMER"
    closed_at = None
    if status == "CLOSED":
        if spec and spec.closed_at:
            closed_at = ctx.time(spec.closed_at)
        elif closed_by == "SYSTEM":
            closed_at = last_msg.created_at + window
        else:
            closed_at = between(rng, last_msg.created_at, now)
        thread.append(message("SYSTEM", inferred.TEXT_CLOSED_BY[closed_by], closed_at))
    unread = _unread(rng, thread, status)
    if spec and spec.unread_count is not None:
        unread = spec.unread_count
    updated = max(m.created_at for m in thread)
    idle_since = last_msg.created_at if status == "AWAITING_CUSTOMER" else None
    record = CaseRecord(
        id=(spec.id if spec and spec.id else None) or case_id(rng),
        store_id=store.id,
        subject=subject,
        status=status,
        priority=priority,
        order_id=order.id,
        customer_id=customer.id,
        last_message_at=last_msg.created_at,
        last_message_by=last_by,
        unread_count=unread,
        escalated=escalated,
        closed_at=closed_at,
        closed_by=closed_by,
        created_at=created,
        updated_at=updated,
        idle_since=idle_since,
        customer_unread=1 if last_by == "MERCHANT" and status == "AWAITING_CUSTOMER" else 0,
        messages=thread,
    )
    return Built(record, order, customer)


def _unread(rng: random.Random, thread: list[MessageRecord], status: str) -> int:
    """Customer/staff messages after the merchant's last one, unless the merchant has read them."""
    if status in ("CLOSED", "AWAITING_CUSTOMER") or rng.random() < 0.25:
        return 0
    count = 0
    for m in reversed(thread):
        if m.sender_type == "MERCHANT":
            break
        if m.sender_type in ("CUSTOMER", "STAFF"):
            count += 1
    return count


def _customer_and_order(ctx, store, index, pools: StorePools, created, spec, rng):
    """The case's customer (from the store's pool) and order (its own, placed before the case)."""
    cspec, ospec = (spec.customer, spec.order) if spec else (None, None)
    customer = pools.customers[rng.randrange(len(pools.customers))]
    if spec is not None:
        customer = make_customer(ctx, store.id, ("hand", index))
    if cspec is not None:
        customer.id = cspec.id or customer.id
        customer.email = cspec.email or customer.email
        customer.first_name = cspec.first_name if cspec.first_name is not None else customer.first_name
        customer.last_name = cspec.last_name if cspec.last_name is not None else customer.last_name
    order = make_order(ctx, store, ("hand" if spec else "bulk", index), customer.id, created)
    if ospec is not None:
        order.id = ospec.id or order.id
        order.order_number = ospec.order_number or order.order_number
        order.amount = ospec.amount if ospec.amount is not None else order.amount
        order.currency = ospec.currency or order.currency
        order.status = ospec.status
        order.created_at = ctx.time(ospec.created_at) if ospec.created_at else order.created_at
    return customer, order


__all__ = ["CASE_PRIORITIES", "make_case", "store_pools"]
