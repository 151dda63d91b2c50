"""Plausible Pandabase cases from the seed: threads, counters and close data consistent with status.

Every record draws from its own generator (seed, store, index), so records are independent of
generation order. A case whose status runs a deadline (AWAITING_CUSTOMER → auto-close) gets its
idle clock inside the window, so loading a scenario fires no transition.

Generated (bulk) cases come in two halves: `bulk_columns` draws, vectorised for a whole store,
what indexes, filters and deadlines need (ids, status, priority, customer and order, the sort-key
times, the auto-close instant); `bulk_case` builds one full case from those columns on first read.
"""

from __future__ import annotations

import math
import random
import string
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import numpy as np

from ...bulk import MICRO, choose, from_micros, micros, np_rng, uniform_micros
from ...generate import IdForm, between, pick, rng_for, weighted
from ...provider import BuildContext
from . import inferred
from .models import (
    CASE_PRIORITIES,
    DISPUTE_OUTCOMES,
    DISPUTE_REASONS,
    AttachmentRecord,
    CasePriority,
    CaseRecord,
    CaseStatus,
    CustomerRecord,
    DisputeRecord,
    DisputeStatus,
    MessageRecord,
    OrderRecord,
)
from .scenario import CaseSpec, CustomerSpec, DisputeSpec, OrderSpec, StoreSpec

LOWER = string.ascii_lowercase + string.digits
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
SYSTEM_CLOSE_SPAN = timedelta(days=5)  # a system-closed case went quiet within days of opening

DEFAULT_STATUS_WEIGHTS: dict[CaseStatus, float] = {"OPEN": 2, "AWAITING_MERCHANT": 3, "AWAITING_CUSTOMER": 3, "CLOSED": 4}
DEFAULT_PRIORITY_WEIGHTS: dict[CasePriority, float] = {"LOW": 2, "NORMAL": 5, "HIGH": 2, "URGENT": 1}
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
CLOSED_BY_WEIGHTS: dict[str, float] = {"MERCHANT": 6, "SYSTEM": 3, "CUSTOMER": 1}


def case_id(rng: random.Random) -> str:
    """`cse_` + 26 lowercase alphanumerics, first a letter (the dashboard screenshot's form)."""
    return _CASE_TAIL(rng, "cse_" + rng.choice(string.ascii_lowercase))


# Random [a-z0-9] text from one randbytes call, not a Python loop: ids dominate build time.
_CASE_TAIL = IdForm(25, alphabet=LOWER, bytewise=True)
plain_id = IdForm(24, alphabet=LOWER, bytewise=True)
"""A Pandabase id: the prefix (`dsp_`, `csm_`, …) and 24 of [a-z0-9]."""


def member_id(seed: int, store_id: str) -> str:
    """The store member that writes the generated merchant replies."""
    return plain_id(rng_for(seed, "pandabase", store_id, "member"), "usr_")


def staff_id(seed: int) -> str:
    return plain_id(rng_for(seed, "pandabase", "staff"), "adm_")


def make_customer(ctx: BuildContext, store_id: str, index: object, ident: str | None = None) -> CustomerRecord:
    """A customer from its own generator; `ident` is a bulk customer's id from its column."""
    rng = rng_for(ctx.seed, "pandabase", store_id, "customer", index)
    first, last = ctx.pools.person(rng)
    named = rng.random() > 0.1  # some customers never gave a name (nullable in the schema)
    made = plain_id(rng, "cus_")
    return CustomerRecord(
        ident or made, ctx.pools.email(rng, first, last), first if named else None, last if named else None,
        guest=not named and inferred.NAMELESS_IS_GUEST,
    )


def make_order(
    ctx: BuildContext, store: StoreSpec, key: object, customer_id: str, before: datetime, ident: str | None = None
) -> OrderRecord:
    """An order placed before `before`; `ident` is a bulk order's id from its column."""
    rng = rng_for(ctx.seed, "pandabase", store.id, "order", key)
    gen = store.generate
    made = plain_id(rng, "ord_")
    return OrderRecord(
        id=ident or made,
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
    """A hand-written case as `make_case` returns it, with the order and customer made for it."""

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
    """Per-store values every case of the store shares, made once per build. The customer pool
    itself is a column (`bulk_columns`); its records are built on first read."""

    customer_count: int
    member: str
    staff: str
    created_between: tuple[datetime, datetime]


def store_pools(ctx: BuildContext, store: StoreSpec) -> StorePools:
    size = store.generate.customers or max(1, math.ceil(store.generate.count / 3))
    window = (ctx.time(store.generate.created_between[0]), ctx.time(store.generate.created_between[1]))
    return StorePools(size, member_id(ctx.seed, store.id), staff_id(ctx.seed), window)


def make_case(ctx: BuildContext, rules, store: StoreSpec, index: int, pools: StorePools, spec: CaseSpec) -> Built:
    """A hand-written case with its order and customer: the fields the scenario gives, the rest
    from the seed."""
    rng = rng_for(ctx.seed, "pandabase", store.id, "hand", index)
    gen = store.generate
    now = ctx.start
    window: timedelta | None = rules.auto_close_after
    status = spec.status
    priority: str = spec.priority or weighted(rng, gen.priorities or DEFAULT_PRIORITY_WEIGHTS)
    closed_by: str | None = None
    if status == "CLOSED":
        closed_by = spec.closed_by or weighted(rng, CLOSED_BY_WEIGHTS)
        if closed_by == "SYSTEM" and window is None:
            closed_by = "MERCHANT"
    lo, hi = pools.created_between
    hi = min(hi, now)
    if closed_by == "SYSTEM" and not spec.created_at and window is not None:
        hi = min(hi, now - window - HOUR)
        if hi < lo:
            closed_by, hi = "MERCHANT", min(pools.created_between[1], now)
    lo = min(lo, hi)
    created = ctx.time(spec.created_at) if spec.created_at else between(rng, lo, hi)

    topic = pick(rng, list(TOPICS))
    subject = spec.subject or topic
    customer, order = _customer_and_order(ctx, store, index, pools, created, spec, rng)
    escalated = spec.escalated if spec.escalated is not None else rng.random() < gen.escalated_share
    message = _writer(rng, customer.id, pools)

    thread = [message("SYSTEM", inferred.TEXT_OPENED, created)]
    if spec.messages is not None:
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
        elif closed_by == "SYSTEM" and window is not None:
            last = between(rng, created, min(now - window, created + SYSTEM_CLOSE_SPAN))
        times = _times(rng, len(senders), created, last)
        if escalated:
            senders.insert(1, "STAFF")
            times.insert(1, between(rng, times[0], times[1] if len(times) > 1 else last))
        _write(rng, thread, senders, times, topic, message)
    record = _assemble(ctx, rules, store, rng, message, thread, spec, spec.id, subject, status, priority,
                       closed_by, escalated, created, customer.id, order.id)
    return Built(record, order, customer)


@dataclass(frozen=True, slots=True)
class Skeleton:
    """What the bulk columns fix for one generated case; the rest comes from its own rng."""

    id: str
    status: str
    priority: str
    closed_by: str | None
    spoken: int  # customer/merchant messages in the thread (staff not counted)
    escalated: bool
    created: datetime
    last_message_at: datetime
    customer_id: str
    order_id: str


def bulk_case(ctx: BuildContext, rules, store: StoreSpec, index: int, pools: StorePools, sk: Skeleton) -> CaseRecord:
    """A generated case, built on first read, consistent with its columns: the same status,
    priority, customer, order, creation and last-message instants (so the same sort key, groups
    and auto-close deadline)."""
    rng = rng_for(ctx.seed, "pandabase", store.id, "bulk", index)
    topic = pick(rng, list(TOPICS))
    message = _writer(rng, sk.customer_id, pools)
    thread = [message("SYSTEM", inferred.TEXT_OPENED, sk.created)]
    senders = ["CUSTOMER"] * sk.spoken if sk.status == "OPEN" else [("CUSTOMER", "MERCHANT")[n % 2] for n in range(sk.spoken)]
    times = _times(rng, sk.spoken, sk.created, sk.last_message_at)
    if sk.escalated:  # support joined after the first message; alone after it, it spoke last
        senders.insert(1, "STAFF")
        times.insert(1, between(rng, times[0], times[1]) if sk.spoken > 1 else sk.last_message_at)
    _write(rng, thread, senders, times, topic, message)
    return _assemble(ctx, rules, store, rng, message, thread, None, sk.id, topic, sk.status, sk.priority,
                     sk.closed_by, sk.escalated, sk.created, sk.customer_id, sk.order_id)


def _writer(rng: random.Random, customer_id: str, pools: StorePools):
    """`message(sender, body, at, attachments)` for one case's thread, ids from the case's rng."""
    senders = {"CUSTOMER": customer_id, "MERCHANT": pools.member, "STAFF": pools.staff}

    def message(sender: str, body: str, at: datetime, attachments=()) -> MessageRecord:
        return MessageRecord(plain_id(rng, "csm_"), sender, senders.get(sender), body, at, list(attachments))

    return message


def _write(rng: random.Random, thread: list, senders: list[str], times: list[datetime], topic: str, message) -> None:
    """Append a generated exchange: bodies from the pools, now and then a customer screenshot."""
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


def _assemble(ctx, rules, store, rng, message, thread, spec, ident, subject, status, priority, closed_by, escalated,
              created, customer_id, order_id) -> CaseRecord:
    """The fields that follow from the thread: last message, close, unread counters, updatedAt."""
    window = rules.auto_close_after
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
            closed_at = between(rng, last_msg.created_at, ctx.start)
        thread.append(message("SYSTEM", inferred.TEXT_CLOSED_BY[closed_by], closed_at))
    unread = _unread(rng, thread, status)
    if spec and spec.unread_count is not None:
        unread = spec.unread_count
    updated = max(m.created_at for m in thread)
    return CaseRecord(
        id=ident or case_id(rng),
        store_id=store.id,
        subject=subject,
        status=status,
        priority=priority,
        order_id=order_id,
        customer_id=customer_id,
        last_message_at=last_msg.created_at,
        last_message_by=last_by,
        unread_count=unread,
        escalated=escalated,
        closed_at=closed_at,
        closed_by=closed_by,
        created_at=created,
        updated_at=updated,
        idle_since=last_msg.created_at if status == "AWAITING_CUSTOMER" else None,
        messages=thread,
        bulk=spec is None,
    )


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


def _customer_and_order(ctx, store, index, pools: StorePools, created, spec: CaseSpec, rng):
    """A hand-written case's own customer and order (placed before the case), with what the spec gives."""
    rng.randrange(pools.customer_count)  # the pool draw of the generated path: keeps the stream as it was
    customer = given_customer(make_customer(ctx, store.id, ("hand", index)), spec.customer)
    order = given_order(ctx, make_order(ctx, store, ("hand", index), customer.id, created), spec.order)
    return customer, order


def given_customer(customer: CustomerRecord, spec: CustomerSpec | None) -> CustomerRecord:
    """A generated customer with what a scenario spec gives laid over it."""
    if spec is not None:
        customer.id = spec.id or customer.id
        customer.email = spec.email or customer.email
        customer.first_name = spec.first_name if spec.first_name is not None else customer.first_name
        customer.last_name = spec.last_name if spec.last_name is not None else customer.last_name
        nameless = customer.first_name is None and customer.last_name is None
        customer.guest = spec.guest if spec.guest is not None else nameless and inferred.NAMELESS_IS_GUEST
    return customer


def given_order(ctx: BuildContext, order: OrderRecord, spec: OrderSpec | None) -> OrderRecord:
    if spec is not None:
        order.id = spec.id or order.id
        order.order_number = spec.order_number or order.order_number
        order.amount = spec.amount if spec.amount is not None else order.amount
        order.currency = spec.currency or order.currency
        order.status = spec.status
        order.created_at = ctx.time(spec.created_at) if spec.created_at else order.created_at
    return order


# -- disputes ------------------------------------------------------------------------------------

DEFAULT_DISPUTE_WEIGHTS: dict[DisputeStatus, float] = {"AWAITING_REVIEW": 3, "UNDER_REVIEW": 3, "WON": 2, "LOST": 2, "PREVENTED": 1}
EVIDENCE_LOGS = (
    "Customer logged in 14 times after purchase from the IP used at checkout and activated the license twice.",
    "The download was completed 3 minutes after payment; the account shows daily sessions for two weeks.",
    "Delivery email opened, product key redeemed on the customer's registered device, support chat attached.",
)


def dispute_fee(status: str) -> int:
    return inferred.PREVENTED_FEE if status == "PREVENTED" else inferred.DISPUTE_FEE


def make_dispute(ctx: BuildContext, rules, store_id: str, key: object, order: OrderRecord, status: str,
                 created: datetime, spec: DisputeSpec | None = None) -> DisputeRecord:
    """A dispute on `order` in `status`, consistent with it: evidence (and when it came) for the
    ones reviewed, a decision after the window for the decided ones, the order in CHARGEBACK
    (back to COMPLETED when won). A hand-written `spec` overrides any field."""
    rng = rng_for(ctx.seed, "pandabase-dispute-made", store_id, key)
    window: timedelta | None = rules.dispute_evidence_window
    end = min(created + window, ctx.start) if window is not None else ctx.start
    evidence = None
    updated = created
    if status == "UNDER_REVIEW" or (status in ("WON", "LOST") and rng.random() < 0.6):
        evidence = pick(rng, EVIDENCE_LOGS)
        updated = between(rng, created, max(created, end))
    if status in DISPUTE_OUTCOMES:
        updated = between(rng, max(updated, end if status != "PREVENTED" else created), ctx.start)
    reason = pick(rng, list(DISPUTE_REASONS))
    fee = dispute_fee(status)
    if spec is not None:
        reason = spec.reason or reason
        evidence = spec.evidence if spec.evidence is not None else evidence
        updated = ctx.time(spec.updated_at) if spec.updated_at else updated
        fee = spec.fee if spec.fee is not None else fee
    order.status = "COMPLETED" if status == "WON" else "CHARGEBACK"
    return DisputeRecord(
        id=(spec.id if spec and spec.id else None) or plain_id(rng, "dsp_"),
        store_id=store_id, order_id=order.id, reason=reason, status=status, created_at=created,
        updated_at=max(updated, created), amount=order.amount, fee=fee,
        total_amount=spec.total_amount if spec and spec.total_amount is not None else order.amount + inferred.PAYMENT_SURCHARGE,
        method=spec.method if spec else inferred.DISPUTE_METHOD, evidence=evidence,
        evidence_due=created + window if window is not None else None,
    )


def dispute_created(ctx: BuildContext, rules, rng: random.Random, status: str, lo: datetime, hi: datetime) -> datetime:
    """When a generated dispute opened: an AWAITING_REVIEW one inside its evidence window."""
    window: timedelta | None = rules.dispute_evidence_window
    hi = min(hi, ctx.start)
    if status == "AWAITING_REVIEW" and window is not None:
        lo = max(lo, ctx.start - window + MINUTE)
    elif status in ("WON", "LOST") and window is not None:
        hi = min(hi, ctx.start - window)
    return between(rng, min(lo, hi), hi)


CLOSERS = tuple(CLOSED_BY_WEIGHTS)
_BYTE_TO_LETTER = bytes(string.ascii_lowercase.encode()[b % 26] for b in range(256))


def _id_matrix(rng: np.random.Generator, n: int, prefix: str, length: int, extra: int = 0) -> np.ndarray:
    """`n` rows of `prefix` + `length` random [a-z0-9] bytes (`plain_id`'s map) + `extra` spare."""
    head = len(prefix)
    rows = np.empty((n, head + length + extra), dtype=np.uint8)
    rows[:, :head] = np.frombuffer(prefix.encode(), dtype=np.uint8)
    rows[:, head : head + length] = np.frombuffer(rng.bytes(n * length).translate(plain_id.table), dtype=np.uint8).reshape(n, length)
    return rows


def id_column(rng: np.random.Generator, n: int, prefix: str, length: int) -> np.ndarray:
    """`n` ids as fixed-width bytes: a few bytes each, decoded only for the records that are read."""
    return _id_matrix(rng, n, prefix, length).view(f"S{len(prefix) + length}").ravel()


def case_ids(rng: np.random.Generator, n: int) -> list[str]:
    """`n` case ids in `case_id`'s form, as strings (the collection keys on them)."""
    rows = _id_matrix(rng, n, "cse_", 26, extra=1)
    rows[:, 4] = np.frombuffer(rng.bytes(n).translate(_BYTE_TO_LETTER), dtype=np.uint8)
    rows[:, -1] = ord(" ")
    return rows.tobytes().decode().split()


def bulk_columns(ctx: BuildContext, rules, store: StoreSpec, pools: StorePools) -> dict:
    """Everything indexes, filters and deadlines need about a store's generated cases, vectorised
    and sorted by lastMessageAt (the documented order read ascending, but for ties).

    The draws are `make_case`'s, per column: status, priority and closer by weight; created in
    the window (early enough for a system close); the thread's length and escalation; its last
    message inside the auto-close window for AWAITING_CUSTOMER (so no deadline has passed at the
    clock start), within days of opening for a system close, else any time until now."""
    gen, n = store.generate, store.generate.count
    rng = np_rng(ctx.seed, "pandabase-bulk", store.id)
    status_weights = gen.statuses or DEFAULT_STATUS_WEIGHTS
    priority_weights = gen.priorities or DEFAULT_PRIORITY_WEIGHTS
    statuses: list[str] = list(status_weights)
    priorities: list[str] = list(priority_weights)
    status = choose(rng, cast(Mapping[Hashable, float], status_weights), n)  # Mapping keys are invariant
    priority = choose(rng, cast(Mapping[Hashable, float], priority_weights), n)
    closer = choose(rng, cast(Mapping[Hashable, float], CLOSED_BY_WEIGHTS), n)

    def has(label: str) -> np.ndarray:
        return np.array([s == label for s in statuses], dtype=bool)[status]

    now = micros(ctx.start)
    lo, hi = micros(pools.created_between[0]), min(micros(pools.created_between[1]), now)
    window = rules.auto_close_after
    win = window // MICRO if window is not None else 0
    closed, awaiting_customer = has("CLOSED"), has("AWAITING_CUSTOMER")
    system = closed & (closer == CLOSERS.index("SYSTEM"))
    system_hi = min(hi, now - win - HOUR // MICRO)
    if window is None or system_hi < lo:  # no auto-close, or the window is too recent for one
        closer = np.where(system, CLOSERS.index("MERCHANT"), closer)
        system = np.zeros(n, dtype=bool)
    top = np.where(system, system_hi, hi)
    created = uniform_micros(rng, np.minimum(lo, top), top, n)

    exchanges = rng.integers(0, 3, size=n)
    merchant_last = awaiting_customer | system | (closed & (rng.random(n) < 0.6))
    spoken = np.where(has("OPEN"), 1 + (rng.random(n) < 0.5), 1 + 2 * exchanges + merchant_last)
    escalated = rng.random(n) < gen.escalated_share

    timed = awaiting_customer & (window is not None)
    first = np.where(timed, np.maximum(created, now - win + MINUTE // MICRO), created)
    end = np.where(system, np.minimum(now - win, created + SYSTEM_CLOSE_SPAN // MICRO), now)
    last = uniform_micros(rng, first, end, n)
    staff_at = uniform_micros(rng, created, last, n)  # support alone after a single message speaks last
    single = spoken == 1
    last_message = np.where(single, np.where(escalated, staff_at, created), last)
    due = np.where(timed, last_message + win, -1)

    order = np.argsort(last_message)  # nearly key order: the indexes finish the sort almost for free
    return {
        "ids": case_ids(rng, n),
        "statuses": statuses,
        "priorities": priorities,
        "status": status[order].astype(np.int8),  # codes into `statuses`, etc.: a byte each
        "priority": priority[order].astype(np.int8),
        "closer": np.where(closed, closer, -1)[order].astype(np.int8),  # into CLOSERS; -1: open
        "spoken": spoken[order].astype(np.int8),
        "escalated": escalated[order],
        "created": created[order],
        "last_message": last_message[order],
        "due": due[order],
        "customer": rng.integers(0, pools.customer_count, size=n).astype(np.int32),  # into customer_ids
        "customer_ids": id_column(rng, pools.customer_count, "cus_", 24),
        "order_ids": id_column(rng, n, "ord_", 24),
    }


def skeleton(cols: dict, i: int) -> Skeleton:
    """Bulk case `i` as its columns describe it."""
    closer = int(cols["closer"][i])
    return Skeleton(
        id=cols["ids"][i],
        status=cols["statuses"][cols["status"][i]],
        priority=cols["priorities"][cols["priority"][i]],
        closed_by=CLOSERS[closer] if closer >= 0 else None,
        spoken=int(cols["spoken"][i]),
        escalated=bool(cols["escalated"][i]),
        created=from_micros(cols["created"][i]),
        last_message_at=from_micros(cols["last_message"][i]),
        customer_id=cols["customer_ids"][cols["customer"][i]].decode(),
        order_id=cols["order_ids"][i].decode(),
    )


__all__ = ["CASE_PRIORITIES", "bulk_case", "bulk_columns", "make_case", "skeleton", "store_pools"]
