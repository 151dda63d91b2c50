"""Pandabase's vocabulary (Store API v2: statuses, scopes, reasons) and the sandbox's internal
records. The wire shapes the serializer goes through are in wire.py, made on first use."""


from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

CaseStatus = Literal["OPEN", "AWAITING_CUSTOMER", "AWAITING_MERCHANT", "CLOSED"]
CASE_STATUSES: tuple[str, ...] = get_args(CaseStatus)
CasePriority = Literal["LOW", "NORMAL", "HIGH", "URGENT"]
CASE_PRIORITIES: tuple[str, ...] = get_args(CasePriority)
SenderType = Literal["CUSTOMER", "MERCHANT", "STAFF", "SYSTEM"]
SENDER_TYPES: tuple[str, ...] = get_args(SenderType)
SETTABLE_STATUSES = ("OPEN", "AWAITING_CUSTOMER", "CLOSED")
OrderStatus = Literal["PENDING", "PROCESSING", "COMPLETED", "CANCELLED", "FAILED", "REFUNDED", "CHARGEBACK"]
ORDER_STATUSES: tuple[str, ...] = get_args(OrderStatus)
Scope = Literal[
    "CASES_READ", "CASES_WRITE", "DISPUTES_READ", "DISPUTES_WRITE", "WEBHOOKS_READ", "WEBHOOKS_WRITE", "ORDERS_READ"
]
SCOPES: tuple[str, ...] = get_args(Scope)
DisputeStatus = Literal["AWAITING_REVIEW", "UNDER_REVIEW", "WON", "LOST", "PREVENTED"]
DISPUTE_STATUSES: tuple[str, ...] = get_args(DisputeStatus)
DISPUTE_OUTCOMES = ("WON", "LOST", "PREVENTED")  # final: no evidence, no deadline
# The spec's examples and the older spec give the first six; the guide also names the last two
# (upper snake case inferred, docs/providers/pandabase.md "Disputes").
DisputeReason = Literal[
    "FRAUDULENT", "DUPLICATE_CHARGE", "PRODUCT_NOT_RECEIVED", "PRODUCT_UNACCEPTABLE", "GENERAL", "UNRECOGNIZED",
    "SUBSCRIPTION_CANCELLED", "CREDIT_NOT_PROCESSED",
]
DISPUTE_REASONS: tuple[str, ...] = get_args(DisputeReason)
SignatureVersion = Literal["V1", "V2"]
SIGNATURE_VERSIONS: tuple[str, ...] = get_args(SignatureVersion)


# -- internal state ---------------------------------------------------------------------------------


@dataclass(slots=True)
class AttachmentRecord:
    """A file on a case message; only its metadata is kept (store tokens never see a file URL)."""

    id: str
    filename: str
    mime_type: str
    size_bytes: int


@dataclass(slots=True)
class MessageRecord:
    """One message in a case's thread, from the customer, the merchant, Pandabase staff or the system."""

    id: str
    sender_type: str
    sender_id: str | None
    body: str
    created_at: datetime
    attachments: list[AttachmentRecord] = field(default_factory=list)


@dataclass(slots=True)
class CustomerRecord:
    """A customer who places orders and opens cases; cases and dispute details show them."""

    id: str
    email: str
    first_name: str | None
    last_name: str | None
    guest: bool = False  # bought without an account


@dataclass(slots=True)
class OrderRecord:
    """An order placed in a store: what a case is about and what a dispute disputes."""

    id: str
    store_id: str
    order_number: str
    customer_id: str
    amount: int
    currency: str
    status: str
    created_at: datetime
    product_id: str
    product_name: str


@dataclass(slots=True)
class CaseRecord:
    """A Pandabase support case: a customer's thread with the store about one order."""

    id: str
    store_id: str
    subject: str
    status: str
    priority: str
    order_id: str
    customer_id: str
    last_message_at: datetime
    last_message_by: str
    unread_count: int
    escalated: bool
    closed_at: datetime | None
    closed_by: str | None
    created_at: datetime
    updated_at: datetime
    idle_since: datetime | None  # AWAITING_CUSTOMER: when the auto-close clock started
    messages: list[MessageRecord] = field(default_factory=list)  # oldest first
    bulk: bool = False  # generated: found by customer/order through the store's columns, not a group


@dataclass(slots=True)
class TokenRecord:
    """A Store API token of one store: its `sk_` secret for Bearer auth, its `stk_` id for HMAC mode."""

    secret: str
    id: str
    store_id: str
    scopes: tuple[str, ...]


@dataclass(slots=True)
class StoreRecord:
    """A Pandabase store, which owns the cases, disputes, tokens and webhook endpoints."""

    id: str
    name: str


@dataclass(slots=True)
class DisputeRecord:
    """A chargeback on an order (docs/providers/pandabase.md "Disputes")."""

    id: str
    store_id: str
    order_id: str
    reason: str
    status: str
    created_at: datetime
    updated_at: datetime
    amount: int  # the disputed amount: the order's
    fee: int  # 2000; 3000 once prevented
    total_amount: int  # the payment's total
    method: str
    evidence: str | None  # the access_activity_log, once submitted
    evidence_due: datetime | None  # end of the evidence window (None: no window)


@dataclass(slots=True)
class WebhookEndpointRecord:
    """A webhook endpoint made through the Store API. While enabled it is a core subscription of
    the same id (url, events and secret live there); disabled, it is held here alone."""

    id: str
    store_id: str
    url: str
    events: list[str]
    secret: str
    note: str | None
    enabled: bool
    signature_version: str
    created_at: datetime
    updated_at: datetime
